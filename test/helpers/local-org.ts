/**
 * Shared test helpers for anything that talks to the local org: start one, make an isolated sf CLI
 * HOME, run the real sf CLI, log it in, and call the REST API directly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, } from 'node:path';
import { REPO_ROOT } from './paths.ts';
import { startLocalOrg, type LocalOrg, type LocalOrgOptions } from '../../local-org/index.ts';
import { withSfHome } from './sf-home.ts';
import { sfRun } from './sf-runner.ts';
import { runProcess, type ProcessResult } from './process.ts';

export { REPO_ROOT, runProcess, type ProcessResult };
export const SF_BIN = join(REPO_ROOT, 'node_modules/.bin/sf');
export const API_VERSION = '62.0';

/** Starts an in-memory org on an ephemeral port (pass stateFile to persist). Call `org.stop()` in afterAll. */
export function startTestOrg(options: LocalOrgOptions = {}): Promise<LocalOrg> {
  return startLocalOrg({ port: 0, ...options });
}

export interface SfHome {
  home: string;
  env: NodeJS.ProcessEnv;
  /** Deletes the HOME (the worker's sf runner serves other HOMEs and goes on). */
  cleanup(): Promise<void>;
}

/** A throwaway HOME so the sf CLI's auth store and config never touch the developer's. */
export function makeSfHome(): SfHome {
  const home = mkdtempSync(join(tmpdir(), 'omni-sf-home-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_DISABLE_LOG_FILE: 'true',
  };
  delete env.SF_ACCESS_TOKEN;
  delete env.SF_TARGET_ORG;
  // As a user's shell has it: vitest's NODE_ENV=test puts oclif in development mode (the sf CLI's dev plugins
  // looked for, each plugin's tsconfig read, a tsx registration tried), which no sf user runs and which costs an
  // sf process ≈ 0.08 s of CPU. (An omni bin started with this env loads React's production build for its
  // tables, as a user's does: test/cli/sf-table-build.test.ts holds that both builds print the same.)
  delete env.NODE_ENV;
  return {
    home,
    env,
    cleanup: async () => {
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Runs the real sf CLI (node_modules/.bin/sf) with the isolated HOME. */
export function runSf(home: SfHome, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  // JSON by default for the sf CLI's own commands; not in home.env, because omni honours SF_CONTENT_TYPE too
  // and the tests that run omni with this HOME read its human output.
  return runProcess(SF_BIN, args, { env: { SF_CONTENT_TYPE: 'JSON', ...home.env, ...extraEnv } });
}

/**
 * `sf ARGS` with the isolated HOME, run in the worker's sf runner (test/helpers/sf-runner.ts): the unmodified sf
 * CLI (its entry, config, plugins, errors, exit codes) without a process start per command (≈ 1 s of CPU each).
 * Same environment as runSf (SF_CONTENT_TYPE=JSON unless `extraEnv` says otherwise), cwd REPO_ROOT unless given.
 * Keep runSf where the process itself is the point, and for one run per file as the proof that both agree.
 */
export function sfInRunner(home: SfHome, args: string[], extraEnv: NodeJS.ProcessEnv = {}, cwd: string = REPO_ROOT): Promise<ProcessResult> {
  return sfRun(home.env, args, { env: { SF_CONTENT_TYPE: 'JSON', ...home.env, ...extraEnv }, cwd });
}

/**
 * `sf org login access-token` against the local org, under `alias`, in the worker's sf runner (sfInRunner): the sf
 * CLI's own login over HTTP and the auth store it writes, which the next commands (sf's or omni's) read from disk.
 * A login whose process is the point (a printed command run by a shell) is spawned by its test.
 */
export async function loginSf(home: SfHome, org: LocalOrg, alias: string): Promise<ProcessResult> {
  const result = await sfInRunner(home, ['org', 'login', 'access-token', '--instance-url', org.instanceUrl, '--alias', alias, '--no-prompt', '--json'], {
    SF_ACCESS_TOKEN: org.accessToken,
  });
  if (result.code !== 0) throw new Error(`sf org login access-token failed (${result.code}): ${result.stdout}${result.stderr}`);
  return result;
}

/**
 * What `sf org login access-token --alias ALIAS` stores, written in-process with the same @salesforce/core calls
 * the sf CLI makes (AuthInfo from the access token → save → alias → scratch-org check) into `home`: for tests
 * whose subject is what comes after the login (the sf CLI or omni reading that auth), ≈ 1 s of CPU less than
 * spawning the sf CLI. Where the login itself is under test, use loginSf.
 */
export async function authorizeSf(home: SfHome, org: LocalOrg, alias: string): Promise<void> {
  await withSfHome(home.env, undefined, async () => {
    const { AuthInfo } = await import('@salesforce/core');
    const authInfo = await AuthInfo.create({ accessTokenOptions: { accessToken: org.accessToken, instanceUrl: org.instanceUrl, loginUrl: org.instanceUrl } });
    await authInfo.save();
    await authInfo.handleAliasAndDefaultSettings({ alias, setDefault: false, setDefaultDevHub: false });
    await AuthInfo.identifyPossibleScratchOrgs(authInfo.getFields(true), authInfo);
  });
}

export interface ApiResponse {
  status: number;
  body: any;
  text: string;
}

/** A raw REST call with the org's token (or `token`), for asserting exact wire shapes. */
export async function api(org: LocalOrg, method: string, path: string, body?: unknown, token: string | null = org.accessToken): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(org.instanceUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text };
}

export function dataPath(path: string, version = API_VERSION): string {
  return `/services/data/v${version}${path}`;
}
