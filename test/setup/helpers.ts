/** Setup/doctor test helpers: a temp copy of the project and the CLI run in-process against a local org. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/local-org.ts';
import { omniInProcess, type CliResult } from '../helpers/omni.ts';

/** sfdx-project.json, .forceignore, force-app and config/ copied to a throwaway folder (journals land there). */
export function makeProject(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'omni-setup-proj-'));
  for (const f of ['sfdx-project.json', '.forceignore', 'force-app', 'config']) cpSync(join(REPO_ROOT, f), join(dir, f), { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export type { CliResult };

/** `omni …` in-process with --instance-url and the token in SF_ACCESS_TOKEN (the CI way). */
export const omni = omniInProcess;

export const check = (r: CliResult, id: string) => r.json.result.checks.find((c: any) => c.id === id);
export const stage = (r: CliResult, name: string) => r.json.result.stages.find((s: any) => s.stage === name);
