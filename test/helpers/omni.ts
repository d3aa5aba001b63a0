/** `omni …` in-process against a local org, the CI way: --instance-url and the token in SF_ACCESS_TOKEN. */
import { runCli } from '../../scripts/cli/run.ts';
import type { LocalOrg } from '../../scripts/local-org/server.ts';

export interface CliResult {
  code: number;
  /** The parsed `--json` envelope, when stdout is JSON. */
  json: any;
  stdout: string;
  stderr: string;
}

export async function omniInProcess(org: LocalOrg, cwd: string, args: string[], token = org.accessToken): Promise<CliResult> {
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
