/**
 * The real CLI against a local org through an sf auth store alias that holds a refresh token (as a web
 * login leaves it), so the injected `session` fault is cured by a refresh — the way an admin runs
 * `omni assign apply --target-org uat`. Each helper instance has its own HOME.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/server.ts';
import { makeSfHome, REPO_ROOT } from '../helpers/local-org.ts';
import { OMNI_BIN } from '../helpers/paths.ts';

export interface CliRun {
  child: ReturnType<typeof spawn>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; json: any; stdout: string; stderr: string }>;
}

export interface AliasedOrg {
  alias: string;
  env: NodeJS.ProcessEnv;
  /** `omni …` as a child process with --target-org alias and --json. */
  cli(args: string[], cwd: string): CliRun;
  cleanup(): void;
}

/**
 * Registers `org` under `alias` in a fresh sf HOME (refresh-token login, through omni org local's
 * registerAlias) — in a child process, asynchronously: the org answers from this process's event loop.
 * `instanceUrl`: where the alias points instead of the org itself (a proxy in front of it).
 */
export async function aliasFor(org: LocalOrg, alias = 'omni-test', instanceUrl = org.instanceUrl): Promise<AliasedOrg> {
  const home = makeSfHome();
  const env = { ...home.env, CI: 'true', SF_DISABLE_TELEMETRY: 'true' };
  const script = `import(${JSON.stringify(join(REPO_ROOT, 'scripts/commands/org-local.ts'))}).then((m) => m.registerAlias(${JSON.stringify({ instanceUrl, refreshToken: org.refreshToken })}, ${JSON.stringify(alias)}))`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`registering ${alias} failed (${code}): ${stderr}`);
  return {
    alias,
    env,
    cli(args, cwd) {
      const child = spawn(process.execPath, [OMNI_BIN, ...args, '--target-org', alias, '--json'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      return watchRun(child);
    },
    cleanup: home.cleanup,
  };
}

/** Collects a spawned omni run's output; `done` resolves on close with its exit code or signal and parsed --json. */
export function watchRun(child: ReturnType<typeof spawn>): CliRun {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Awaited<CliRun['done']>>((resolve) =>
    child.on('close', (code, signal) => {
      let json;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, signal, json, stdout, stderr });
    }),
  );
  return { child, done };
}
