/**
 * The real CLI against a local org through an sf auth store alias that holds a refresh token (as a web
 * login leaves it), so the injected `session` fault is cured by a refresh — the way an admin runs
 * `omni assign apply --target-org uat`. Each helper instance has its own HOME.
 */
import { spawn } from 'node:child_process';
import type { LocalOrg } from '../../local-org/server.ts';
import { registerAlias } from '../../scripts/commands/org-local.ts';
import { makeSfHome } from '../helpers/local-org.ts';
import { withSfHome } from '../helpers/sf-home.ts';
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
 * registerAlias), in-process with HOME switched (withSfHome): what is under test is the spawned run that reads
 * this alias, not the registration. `instanceUrl`: where the alias points instead of the org itself (a proxy).
 */
export async function aliasFor(org: LocalOrg, alias = 'omni-test', instanceUrl = org.instanceUrl): Promise<AliasedOrg> {
  const home = makeSfHome();
  const env = { ...home.env, CI: 'true', SF_DISABLE_TELEMETRY: 'true' };
  await withSfHome(env, undefined, () => registerAlias({ instanceUrl, refreshToken: org.refreshToken }, alias));
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
