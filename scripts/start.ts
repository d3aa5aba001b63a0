#!/usr/bin/env node
/**
 * `npm start`: the whole tool on a fresh clone, with no org and no sf login. Starts the local org on an
 * ephemeral port with in-memory state, runs `omni setup` against it (instance URL + access token in
 * the child environment, never in argv or on screen) with config/assignments/local.yaml, prints what
 * was deployed, who got which configuration and who can go online, stops the org and exits with
 * setup's exit code. The project is copied to a temporary folder first so the throwaway org's
 * journals and deploy records never land in this checkout's .omni/.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const started = Date.now();
const root = resolve(import.meta.dirname, '..');
const ASSIGNMENTS = 'config/assignments/local.yaml';

// The local org is plain HTTP on 127.0.0.1 by design; jsforce's warning about it is noise here.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (String(warning instanceof Error ? warning.message : warning).startsWith('Using insecure protocol')) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

// As the omni bin (scripts/omni.mjs): @salesforce/core's debug log goes to ~/.sf/sf.log through a pino worker
// thread, memory and start-up for a file this run never reads. Kept when the user asks for sf logging.
if (process.env.SF_LOG_LEVEL === undefined && process.env.SFDX_DISABLE_LOG_FILE === undefined) process.env.SF_DISABLE_LOG_FILE ??= 'true';

const { startLocalOrg } = await import('../local-org/index.ts');
const { runCli } = await import('./cli/run.ts');
const { messageText } = await import('./lib/messages.ts');

const work = mkdtempSync(join(tmpdir(), 'omni-start-'));
for (const item of ['sfdx-project.json', '.forceignore', 'force-app', 'config']) {
  if (existsSync(join(root, item))) cpSync(join(root, item), join(work, item), { recursive: true });
}

const org = await startLocalOrg({ port: 0 });
let code = 1;
const stop = async () => {
  await org.stop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
};
process.once('SIGINT', () => void stop().then(() => process.exit(130)));
try {
  process.stdout.write(`${messageText('command-output', 'start.started', [org.instanceUrl, 'omni', ASSIGNMENTS])}\n\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, SF_ACCESS_TOKEN: org.accessToken, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true', SF_DISABLE_AUTOUPDATE: 'true' };
  delete env.SF_TARGET_ORG;
  code = await runCli(['setup', '--instance-url', org.instanceUrl, '--file', ASSIGNMENTS, '--no-prompt'], { cwd: work, env });
} finally {
  await stop();
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(`\n${code === 0 ? messageText('command-output', 'start.done', [seconds]) : messageText('command-output', 'start.failed', [code, seconds])}\n`);
process.exitCode = code;
