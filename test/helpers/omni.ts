/** `omni …` in-process against a local org, the CI way: --instance-url and the token in SF_ACCESS_TOKEN. */
import { stripVTControlCharacters } from 'node:util';
import { runCli } from '../../scripts/cli/run.ts';
import type { LocalOrg } from '../../local-org/index.ts';

export interface CliResult {
  code: number;
  /** The parsed `--json` envelope, when stdout is JSON. */
  json: any;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  token?: string;
  /** Extra environment; a variable set to undefined is removed (e.g. { CI: undefined } to see progress). */
  env?: NodeJS.ProcessEnv;
  /** Pretend stderr is a terminal (progress output). */
  tty?: boolean;
}

export async function omniInProcess(org: LocalOrg, cwd: string, args: string[], options: InProcessOptions | string = {}): Promise<CliResult> {
  const { token = org.accessToken, env: extra = {}, tty = false } = typeof options === 'string' ? { token: options } : options;
  return runCaptured([...args, '--instance-url', org.instanceUrl], cwd, { SF_ACCESS_TOKEN: token, ...extra }, tty);
}

/**
 * `omni …` in-process without an org (offline commands: validate, generate, import): captured streams, CI=true.
 * `timeoutMs`: a run that has not ended by then fails the test (never a hang).
 */
export async function omniOffline(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs?: number): Promise<CliResult> {
  return runCaptured(args, cwd, env, false, timeoutMs);
}

/**
 * `omni …` in-process as if started in `cwd` with `env` (an sf HOME from makeSfHome, say): @salesforce/core
 * reads the auth store and the sf config from this process's HOME and cwd, not from the env it is given,
 * so for the run both are switched (HOME, the SF_ variables, the cwd) and core's per-HOME and per-cwd
 * caches are dropped, then everything is restored. Test files run one test at a time, so no other run
 * sees the switch. The process boundary itself (a real process reading its own HOME) stays covered by the
 * spawned runs in test/cli/ and test/org/hostile-org.test.ts.
 */
export async function omniWithHome(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const core = await import('@salesforce/core');
  const saved = new Map<string, string | undefined>();
  const keys = Object.keys(env).filter((k) => k === 'HOME' || k.startsWith('SF_'));
  for (const key of [...keys, 'SF_ACCESS_TOKEN', 'SF_TARGET_ORG']) saved.set(key, process.env[key]);
  const before = process.cwd();
  const reset = async () => {
    core.StateAggregator.clearInstance();
    await core.ConfigAggregator.clearInstance();
  };
  try {
    delete process.env.SF_ACCESS_TOKEN;
    delete process.env.SF_TARGET_ORG;
    for (const key of keys) process.env[key] = env[key];
    process.chdir(cwd);
    await reset();
    return await runCaptured(args, cwd, env, false);
  } finally {
    process.chdir(before);
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await reset();
  }
}

/** The CLI entry as a function: CI=true, telemetry off, `extra` on top of this process's env (undefined deletes). */
async function runCaptured(args: string[], cwd: string, extra: NodeJS.ProcessEnv, tty: boolean, timeoutMs?: number): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream;
  const err = { isTTY: tty, write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream;
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', SF_DISABLE_TELEMETRY: 'true', ...extra };
  for (const [key, value] of Object.entries(extra)) if (value === undefined) delete env[key];
  const run = runCli(args, { cwd, env, stdout: out, stderr: err });
  let timer: NodeJS.Timeout | undefined;
  const deadline = timeoutMs
    ? new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`omni ${args.join(' ')} did not finish in ${timeoutMs} ms`)), timeoutMs);
      })
    : undefined;
  const code = await (deadline ? Promise.race([run, deadline]) : run).finally(() => clearTimeout(timer));
  let json: any;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  // SfCommand colours its warnings from the environment (CI=true counts as colour-capable, as for sf itself),
  // not from the captured stream: compare the text, not its colours.
  return { code, json, stdout: stripVTControlCharacters(stdout), stderr: stripVTControlCharacters(stderr) };
}
