/** Deploy-test helpers: a temp copy of the sample project and the real CLI spawned with pinned node. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalOrg } from '../../scripts/local-org/server.ts';
import { REPO_ROOT, runProcess, type ProcessResult, type SfHome } from '../helpers/local-org.ts';

export const NODE_BIN = join(REPO_ROOT, 'node_modules/.bin/node');
export const OMNI = join(REPO_ROOT, 'scripts/omni.ts');

/** A throwaway project: sfdx-project.json, .forceignore and a copy of the sample force-app. */
export function makeProject(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'omni-deploy-proj-'));
  for (const f of ['sfdx-project.json', '.forceignore', 'force-app']) cpSync(join(REPO_ROOT, f), join(dir, f), { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const FORCE_APP = join(REPO_ROOT, 'force-app');

/** `omni …` against the org by instance URL + SF_ACCESS_TOKEN (the CI way). */
export function omni(org: LocalOrg, home: SfHome, cwd: string, args: string[]): Promise<ProcessResult> {
  return runProcess(NODE_BIN, [OMNI, ...args, '--instance-url', org.instanceUrl], {
    cwd,
    env: { ...home.env, SF_ACCESS_TOKEN: org.accessToken, CI: 'true' },
    timeoutMs: 58_000,
  });
}

/** `omni …` with --target-org ALIAS from the isolated sf auth store. */
export function omniAlias(home: SfHome, cwd: string, alias: string, args: string[]): Promise<ProcessResult> {
  return runProcess(NODE_BIN, [OMNI, ...args, '--target-org', alias], { cwd, env: { ...home.env, CI: 'true' }, timeoutMs: 58_000 });
}
