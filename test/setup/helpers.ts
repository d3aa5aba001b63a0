/** Setup/doctor test helpers: a temp copy of the project and the CLI run in-process against a local org. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../scripts/cli/run.ts';
import type { LocalOrg } from '../../scripts/local-org/server.ts';
import { REPO_ROOT } from '../helpers/local-org.ts';

/** sfdx-project.json, .forceignore, force-app and config/ copied to a throwaway folder (journals land there). */
export function makeProject(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'omni-setup-proj-'));
  for (const f of ['sfdx-project.json', '.forceignore', 'force-app', 'config']) cpSync(join(REPO_ROOT, f), join(dir, f), { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  code: number;
  json: any;
  stdout: string;
  stderr: string;
}

/** `omni …` in-process with --instance-url and the token in SF_ACCESS_TOKEN (the CI way). */
export async function omni(org: LocalOrg, cwd: string, args: string[], token = org.accessToken): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream;
  const err = { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream;
  const env = { ...process.env, SF_ACCESS_TOKEN: token, CI: 'true', SF_DISABLE_TELEMETRY: 'true' };
  const code = await runCli([...args, '--instance-url', org.instanceUrl], { cwd, env, stdout: out, stderr: err });
  let json: any;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code, json, stdout, stderr };
}

export const check = (r: CliResult, id: string) => r.json.result.checks.find((c: any) => c.id === id);
export const stage = (r: CliResult, name: string) => r.json.result.stages.find((s: any) => s.stage === name);
