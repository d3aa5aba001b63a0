/** `omni …` in-process against a local org, the CI way: --instance-url and the token in SF_ACCESS_TOKEN. */
import { stripVTControlCharacters } from 'node:util';
import { runCli } from '../../scripts/cli/run.ts';
import type { LocalOrg } from '../../local-org/index.ts';
import { withSfHome } from './sf-home.ts';

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
 * `omni …` in-process as if started in `cwd` with `env` (an sf HOME from makeSfHome, say): HOME, the SF_ variables
 * and the cwd are switched for the run and core's per-HOME and per-cwd caches dropped (withSfHome).
 */
export async function omniWithHome(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return withSfHome(env, cwd, () => runCaptured(args, cwd, env, false));
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
