/**
 * Deploy-test helpers (projects: test/helpers/project.ts): `omni` runs the CLI entry in-process (the CI way,
 * by instance URL and token); the bin is spawned only where the process boundary is under test (an sf
 * auth-store alias in another HOME, a TTY).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/server.ts';
import { REPO_ROOT, runProcess, type ProcessResult, type SfHome } from '../helpers/local-org.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { OMNI_BIN } from '../helpers/paths.ts';

/** The one temp-project helper, re-exported for the benches that take their project from here. */
export { makeProject } from '../helpers/project.ts';

export const NODE_BIN = join(REPO_ROOT, 'node_modules/.bin/node');
export const OMNI = OMNI_BIN;

export const FORCE_APP = join(REPO_ROOT, 'force-app');

/**
 * `omni …` against the org by instance URL + SF_ACCESS_TOKEN (the CI way), in-process with captured streams
 * and `home`'s environment: the same entry as the bin (`runCli`) without a process per call.
 */
export async function omni(org: LocalOrg, home: SfHome, cwd: string, args: string[]): Promise<ProcessResult> {
  const run = await omniInProcess(org, cwd, args, { env: { ...home.env, CI: 'true' } });
  return { code: run.code, stdout: run.stdout, stderr: run.stderr, json: run.json };
}

/** `omni …` with --target-org ALIAS from the isolated sf auth store. */
export function omniAlias(home: SfHome, cwd: string, alias: string, args: string[]): Promise<ProcessResult> {
  return runProcess(NODE_BIN, [OMNI, ...args, '--target-org', alias], { cwd, env: { ...home.env, CI: 'true' }, timeoutMs: 58_000 });
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * `omni …` on a real pseudo-terminal (util-linux `script`), so stdin and stderr are TTYs as on a
 * developer's terminal; `answer` is typed when the `(y/N)` prompt appears. stdout and stderr
 * arrive merged (as on a terminal) in `stdout`.
 */
export function omniOnTty(org: LocalOrg, home: SfHome, cwd: string, args: string[], answer?: string): Promise<ProcessResult> {
  const command = [NODE_BIN, OMNI, ...args, '--instance-url', org.instanceUrl].map(shellQuote).join(' ');
  const env: NodeJS.ProcessEnv = { ...home.env, SF_ACCESS_TOKEN: org.accessToken, TERM: 'dumb' };
  delete env.CI;
  return new Promise((resolvePromise, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let answered = false;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (answer !== undefined && !answered && stdout.includes('(y/N)')) {
        answered = true;
        child.stdin.write(`${answer}\n`);
      }
    });
    child.stderr.on('data', (d) => (stdout += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 58_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolvePromise({ code, stdout, stderr: '' });
    });
  });
}
