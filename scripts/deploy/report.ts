/**
 * `omni deploy report` / `omni deploy resume`: re-attach to a deploy by id (or the last one from this
 * project), check or wait for it, then map results and finish the data-loss check like `omni deploy`.
 */
import { join, resolve } from 'node:path';
import { assertStateWritable } from '../lib/state-file.ts';
import type { EngineIo } from '../lib/io.ts';
import { ExitCode } from '../lib/errors.ts';
import { catalogueError, warningText } from '../lib/messages.ts';
import { connectOrg, type ConnectOptions } from '../org/connection.ts';
import { findProjectRootOrCwd } from '../metadata/project.ts';
import { loadDeployRecord, type DeployRecord } from './jobs.ts';
import { trapDeployInterrupt, type DeployInterrupt } from './interrupt.ts';
import { signalExitCode } from '../lib/signals.ts';
import { finishDeploy, runRecordStage } from './pipeline.ts';
import type { DeployCommandResult } from './pipeline.ts';
import { attachDeploy, loadComponentSet, pollDeploy, PollStopped, PollTimeout, toOutcome } from './sdr-deploy.ts';

/** Which deploy to report on and how long to wait: the typed input of `deploy report` / `deploy resume`. */
export interface DeployReportRequest {
  /** 0Af… id; absent: the last deploy started from this project. */
  jobId?: string;
  /** Minutes to wait for the deploy to finish (0: check once). */
  waitMinutes: number;
  mode: 'report' | 'resume';
}

/**
 * Re-attaches to a deploy. The org is `org.connect` when it names one, else the org the deploy was
 * started in (from the project's deploy record).
 */
export async function runDeployReport(
  org: { connect?: ConnectOptions },
  request: DeployReportRequest,
  ctx: EngineIo,
): Promise<{ status: number; result: DeployCommandResult }> {
  const { mode, waitMinutes } = request;
  const projectRoot = findProjectRootOrCwd(ctx.cwd);
  const jobId = request.jobId;
  const record = await loadDeployRecord(projectRoot, jobId);
  const id = jobId ?? record?.id;
  if (!id) throw catalogueError('DeployNotFound', { variant: 'noId' });

  const connect: ConnectOptions = { env: ctx.env, ...org.connect };
  // Same org as the deploy, unless the user says otherwise.
  if (record && !connect.targetOrg && !connect.instanceUrl) {
    if (record.org.viaAccessToken) connect.instanceUrl = record.org.instanceUrl;
    else connect.targetOrg = record.org.label;
  }
  // From here a signal stops following the deployment, which goes on in the org (interrupt.ts): 130/143.
  const trap = trapDeployInterrupt(ctx);
  trap.queued(id);
  try {
    return await follow(ctx, trap, { connect, record, id, projectRoot, mode, waitMinutes });
  } finally {
    trap.release();
  }
}

async function follow(
  ctx: EngineIo,
  trap: DeployInterrupt,
  job: { connect: ConnectOptions; record: DeployRecord | undefined; id: string; projectRoot: string; mode: DeployReportRequest['mode']; waitMinutes: number },
): Promise<{ status: number; result: DeployCommandResult }> {
  const { connect, record, id, projectRoot, mode, waitMinutes } = job;
  if (mode === 'resume' && record && !record.options.checkOnly) trap.recordsPending = await recordSpecFile(projectRoot);
  // resume writes the record settings' journal: writable before anything goes to the org.
  if (trap.recordsPending) assertStateWritable(join(projectRoot, '.omni', 'records'), '.omni/records');
  const session = await connectOrg(connect);
  // Map results to local files when we know the sources; a foreign deploy is reported from its own messages.
  const cs = record ? await loadComponentSet(record.sourceDirs.map((d) => resolve(projectRoot, d))).catch(() => undefined) : undefined;
  const deploy = await attachDeploy(session.connection, id, cs);

  let status;
  try {
    // Polled as often as a deployment of its age deserves (a resumed one queued long ago: every 2 s).
    status = await pollDeploy(deploy, { timeoutMs: waitMinutes * 60_000, queuedAt: record && record.id === id ? Date.parse(record.createdAt) : undefined, signal: trap.polling });
  } catch (error) {
    if (error instanceof PollStopped) status = error.lastStatus ?? (await deploy.checkStatus());
    else if (!(error instanceof PollTimeout) || !error.lastStatus) throw wrapNotFound(error, id);
    else status = error.lastStatus;
  }
  const outcome = await toOutcome(status, cs, projectRoot);
  if (trap.stoppedBy && !outcome.done) {
    const stopped = await finishDeploy(ctx, outcome, { projectRoot, session, before: record?.assignmentsBefore, validationWarnings: [] });
    trap.tell();
    return { status: signalExitCode(trap.stoppedBy), result: stopped.result };
  }
  trap.finished();
  if (!outcome.done) {
    ctx.warn(warningText('DeployNotFinished', [id, outcome.status, outcome.numberComponentsDeployed, outcome.numberComponentsTotal])); // the command to follow it: render's line
  }
  const finished = await finishDeploy(ctx, outcome, { projectRoot, session, before: record?.assignmentsBefore, validationWarnings: [] });
  // resume finishes what an --async deploy of this project left: the record settings of the components it deployed.
  if (mode !== 'resume' || !record || finished.status !== ExitCode.Ok || outcome.checkOnly || !outcome.done) return finished;
  const { loadRecordSettings } = await import('./record-settings.ts');
  const records = await loadRecordSettings(projectRoot);
  const deployed = new Set(outcome.components.map((c) => `${c.type}:${c.fullName.toLowerCase()}`));
  records.settings = records.settings.filter((r) => deployed.has(`${r.sobject}:${r.fullName.toLowerCase()}`));
  if (!records.settings.length || records.diagnostics.some((d) => d.severity === 'error')) return finished;
  return runRecordStage(ctx, finished, records, { projectRoot, session, deployId: outcome.id });
}

function wrapNotFound(error: unknown, id: string): unknown {
  const text = `${(error as { errorCode?: string }).errorCode ?? ''} ${(error as Error)?.message ?? ''}`;
  if (/INVALID_ID_FIELD|INVALID_CROSS_REFERENCE_KEY|not found|invalid id/i.test(text)) {
    return catalogueError('DeployNotFound', { tokens: [id], cause: error });
  }
  return error;
}

/** The spec file whose record settings resume sets, when it has any (named by a stopped resume). */
async function recordSpecFile(projectRoot: string): Promise<string | undefined> {
  const { loadRecordSettings } = await import('./record-settings.ts');
  const records = await loadRecordSettings(projectRoot).catch(() => undefined);
  return records?.settings.length ? String(records.specFile) : undefined;
}
