/**
 * `omni deploy` end to end: offline validation → connect and know the org → org-aware reference
 * check and assignment snapshot (in parallel) → one SDR deployment → results mapped to files →
 * data-loss check. Nothing talks to the org before the offline validation has passed.
 */
import { relative, sep } from 'node:path';
import { commandPrefix, type EngineIo, omniCommandLine } from '../lib/io.ts';
import { ExitCode, type OmniError } from '../lib/errors.ts';
import { catalogueError, countText, messageText, warningCountText, warningText } from '../lib/messages.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import { formatDiagnostic, inReadingOrder } from '../lib/diagnostic.ts';
import { confirmOrgChange, describeOrg, resolveOrg } from '../org/connection.ts';
import type { OrgInfo, OrgSession, OrgTarget } from '../org/connection.ts';
import { checkOrgReferences } from './org-refs.ts';
import { compositeReader } from '../org/composite-query.ts';
import type { AssignmentConflict, MissingRef } from './org-refs.ts';
import { heldFromSnapshot, mergeOrgHeldMembers, readOrgHeldMembers, removedAssignments, saveSnapshot, snapshotAssignments } from './guard.ts';
import type { AssignmentSnapshot, OrgHeldMembers, RemovedAssignment } from './guard.ts';
import { assertStateWritable, stateWriteError } from '../lib/state-file.ts';
import { rmSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveDeployRecord } from './jobs.ts';
import type { DeployRecord } from './jobs.ts';
import { loadComponentSet, pollDeploy, PollStopped, PollTimeout, startDeploy, toOutcome } from './sdr-deploy.ts';
import type { ComponentRow, DeployOptions, DeployOutcome } from './sdr-deploy.ts';
import type { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { loadDeploymentSource } from './source.ts';
import type { DeploymentSource } from './source.ts';
import { startStages } from './stages.ts';
import type { StageOutput } from '../lib/io.ts';
import { applyRecordSettings, loadRecordSettings, recordSettingsExitCode, unresolvedStaticResources } from './record-settings.ts';
import type { DesiredRecordSettings, RecordSettingsResult } from './record-settings.ts';
import { trapDeployInterrupt, type DeployInterrupt } from './interrupt.ts';
import { signalExitCode } from '../lib/signals.ts';

/** One component as sf's deploy result lists it (SDR's FileResponse: fullName, type, state, filePath). */
export interface DeployFile {
  fullName: string;
  type: string;
  state: ComponentRow['state'];
  /** Project-relative path, forward slashes; null when the org reported no file (e.g. a delete). */
  filePath: string | null;
  lineNumber?: number;
  columnNumber?: number;
  error?: string;
  problemType?: 'Warning' | 'Error';
}

/** `components` → sf's `files[]` rows. */
export function toDeployFiles(components: ComponentRow[]): DeployFile[] {
  return components.map((c) => ({
    fullName: c.fullName,
    type: c.type,
    state: c.state,
    filePath: c.file ?? null,
    ...(c.line !== undefined ? { lineNumber: c.line } : {}),
    ...(c.column !== undefined ? { columnNumber: c.column } : {}),
    ...(c.problem !== undefined ? { error: c.problem } : {}),
    ...(c.problemType !== undefined ? { problemType: c.problemType } : {}),
  }));
}

export interface DeploySummary {
  created: number;
  changed: number;
  unchanged: number;
  deleted: number;
  failed: number;
}

export interface DeployCommandResult {
  id: string | null;
  status: string;
  success: boolean;
  checkOnly: boolean;
  done: boolean;
  org: { username: string; instanceUrl: string; orgType: string; apiVersion: string } | null;
  summary: DeploySummary;
  components: ComponentRow[];
  /**
   * The components in the shape of `sf project deploy start --json` (`result.files[]`), so scripts written
   * for sf (`jq '.result.files'`) read omni's output unchanged. Same rows as `components`.
   */
  files: DeployFile[];
  /** Assignments the org had before and no longer has (data-loss guard). */
  removedAssignments: RemovedAssignment[];
  /**
   * Org-held members (user assignments, queue user members) the files don't list: kept by merging them
   * into the deployed XML, or removed with --replace-assignments. One entry per component and list.
   */
  assignments: Array<{ type: string; fullName: string; element: string; action: 'kept' | 'removed'; count: number; members: string[] }>;
  /** Where the pre-deploy assignment snapshot was saved (restorable), if anything was removed. */
  snapshotFile: string | null;
  /** Offline validation warnings (errors stop the deploy). */
  validationWarnings: Diagnostic[];
  /** Set when the deploy is still running (exit 69). */
  reportCommand: string | null;
  errorMessage: string | null;
  /**
   * The "record settings" stage (spec keys without a metadata element, set on the records after the
   * deployment); null when the spec has none or the stage did not run (check-only, failed, async).
   */
  recordSettings?: RecordSettingsResult | null;
}

export function summarize(components: ComponentRow[]): DeploySummary {
  const s: DeploySummary = { created: 0, changed: 0, unchanged: 0, deleted: 0, failed: 0 };
  for (const c of components) s[c.state.toLowerCase() as keyof DeploySummary]++;
  return s;
}

/** Exit code of a finished deploy, sf-compatible. */
export function exitCodeFor(outcome: Pick<DeployOutcome, 'status' | 'done'>): number {
  if (!outcome.done) return ExitCode.Running;
  if (outcome.status === 'Succeeded') return ExitCode.Ok;
  if (outcome.status === 'SucceededPartial') return ExitCode.Partial;
  return ExitCode.Failed;
}

/**
 * What to deploy and how: the typed input of the deploy engine. `omni deploy` builds it from its flags
 * (scripts/commands/deploy.ts); `omni setup` builds it directly.
 */
export interface DeployRequest {
  /** Source paths, relative to the working directory; empty: the package directories. */
  sourceDirs: string[];
  options: DeployOptions;
  /** Minutes to wait for the deploy before returning 69 (the deploy goes on in the org). */
  waitMinutes: number;
  /** Return right after the deploy starts (69, with the job id). */
  async: boolean;
  /** Production orgs need a yes on a TTY unless this is set (scripts, CI). */
  noPrompt: boolean;
  /** Metadata API version of the deploy request (default: the org's). */
  apiVersion?: string;
  /** Write the spec's record settings after the deploy (setup writes them in a stage of its own). */
  writeRecordSettings: boolean;
  /** Remove org-held assignment rows the files do not list (otherwise they are kept). */
  replaceAssignments: boolean;
}


/**
 * The deploy engine: validate offline, check against the org, deploy with SDR, report. The org is
 * `org.session` when the caller already resolved it (omni setup resolves it once per run), else
 * `org.connect` is resolved here.
 */
/** The stage that sets what the Metadata API cannot deploy (record settings), after a deploy. */
const recordStageLabel = () => messageText('deploy-output', 'stages.records');

export async function runDeploy(org: OrgTarget, request: DeployRequest, io: EngineIo): Promise<{ status: number; result: DeployCommandResult }> {
  // SIGINT/SIGTERM say what reached the org and how to follow it (interrupt.ts), for the whole run.
  const trap = trapDeployInterrupt(io);
  try {
    return await deployRun(org, request, io, trap);
  } finally {
    trap.release();
  }
}

async function deployRun(org: OrgTarget, request: DeployRequest, io: EngineIo, trap: DeployInterrupt): Promise<{ status: number; result: DeployCommandResult }> {
  const ctx = io;
  const { options, waitMinutes, noPrompt } = request;

  // 1. Offline validation: errors stop here, before any API call. The stages as sf shows a deploy's (on a TTY).
  const deployStage = options.checkOnly ? messageText('deploy-output', 'stages.validatingInOrg') : messageText('deploy-output', 'stages.deploying');
  const connectStage = messageText('deploy-output', 'stages.connect');
  const orgChecksStage = messageText('deploy-output', 'stages.orgChecks');
  const components = (done: number, total: number) => messageText('deploy-output', 'stages.components', [done, total]);
  const stages = startStages(ctx, options.checkOnly ? messageText('deploy-output', 'stages.dryRun') : messageText('deploy-output', 'stages.deploy'), [
    messageText('deploy-output', 'stages.files'),
    connectStage,
    orgChecksStage,
    deployStage,
    ...(request.writeRecordSettings && !options.checkOnly ? [recordStageLabel()] : []),
  ], [deployStage]);
  let source: DeploymentSource;
  let session: OrgSession;
  let info: OrgInfo;
  let refCheck: Awaited<ReturnType<typeof checkOrgReferences>>;
  let before: AssignmentSnapshot | undefined;
  let records: DesiredRecordSettings;
  // setup writes the record settings in a stage of its own (they are still checked here, before the deploy).
  const writeRecords = request.writeRecordSettings;
  let held: OrgHeldMembers = new Map();
  const replace = request.replaceAssignments;
  const notes: string[] = [];
  // The XML sent instead of a file's (org-held members merged in, step 4): SDR's tree reads it when it zips.
  const overrides = new Map<string, string>();
  let componentSet: Promise<ComponentSet> | undefined;
  try {
    source = await loadDeploymentSource(ctx.cwd, request.sourceDirs);
    records = await loadRecordSettings(source.projectRoot);
    // --source-dir deploys part of the project: only the records of the components it deploys are set.
    if (request.sourceDirs.length) {
      const deployed = new Set(source.components.map((c) => `${c.type}:${c.fullName.toLowerCase()}`));
      records.settings = records.settings.filter((r) => deployed.has(`${r.sobject}:${r.fullName.toLowerCase()}`));
    }
    // The spec's record settings are part of the deploy: their errors (31 s, …) stop it too.
    source.diagnostics.push(...records.diagnostics.filter((d) => d.severity === 'error'));
    // The files' and the spec's record settings' errors together, each file's in line:column order.
    const errors = inReadingOrder(source.diagnostics.filter((d) => d.severity === 'error'), (d) => d);
    if (errors.length) {
      for (const w of source.diagnostics.filter((d) => d.severity === 'warning')) ctx.warn(formatDiagnostic(w));
      throw catalogueError('ValidationFailed', {
        tokens: [countText('deploy-output', 'count.error', errors.length, [errors.length]), errors.map((d) => '  ' + formatDiagnostic(d).replace(/\n/g, '\n  ')).join('\n')],
        actionTokens: [commandPrefix(ctx)],
        data: { diagnostics: source.diagnostics },
      });
    }
    // The local state this run writes (the deploy record, a dry run's too; the snapshot and the record
    // settings' journal of a real one) must be writable before anything goes to the org.
    // (The journal's folder also when setup writes the record settings in a stage of its own.)
    for (const folder of stateFolders(options.checkOnly, records.settings.length > 0)) {
      assertStateWritable(join(source.projectRoot, '.omni', folder), `.omni/${folder}`);
    }

    // 2. Connect and know the org.
    stages.goto(connectStage);
    session = await resolveOrg(org, ctx.env);
    const describing = describeOrg(session);
    // SDR and the deployment's component set are local CPU work the deployment needs once the checks pass:
    // started on the next turn of the event loop, once the description's request is on its way, so the org
    // answers it (and the checks) while they load, rather than after them. Awaited below; a failure here
    // surfaces there, as before.
    componentSet = new Promise((resolve) => setImmediate(resolve)).then(() => loadComponentSet(source.sourcePaths, source.sourceApiVersion, request.apiVersion, overrides));
    componentSet.catch(() => undefined);
    info = await describing;
    // A production org's question pauses the stages (ui.confirm); the next stage draws the rest below it.
    if (!options.checkOnly) {
      await confirmOrgChange(info, session, {
        noPrompt,
        action: 'Deploy Omni-Channel metadata',
        confirm: (q) => ctx.ui.confirm(q),
        interactive: ctx.ui.interactive,
      });
    }
    // The doctor's checks that concern this deployment (API version, Omni-Channel on unless this deployment
    // turns it on, skills routing, status-based capacity): same id, message and fix as omni doctor, and
    // nothing is sent to the Metadata API when one fails. Omni-Channel off keeps its own name.
    const { deployCheckFailures } = await import('../setup/deploy-checks.ts');
    const failed = await deployCheckFailures({ cwd: ctx.cwd, sourceDirs: request.sourceDirs, session, info, env: ctx.env });
    if (failed.length) {
      const refusal = doctorRefusal(session, failed, ctx);
      throw failed.some((c) => c.id === 'omni-enabled')
        ? catalogueError('OmniChannelDisabled', { variant: 'doctor', ...refusal })
        : catalogueError('OrgCheckFailed', { variant: 'doctor', ...refusal });
    }
    if (!info.omniEnabled) {
      notes.push(messageText('deploy-output', 'deploy.omniOffSkipped'));
    }

    // 3. Org-aware checks, the assignment snapshot and the org-held members, together: their queries share
    //    composite requests (a few requests whatever the number of components).
    stages.goto(orgChecksStage);
    const conn = session.connection;
    const reader = compositeReader(conn);
    const snapshotting = info.omniEnabled && !options.checkOnly;
    const omniComponents = info.omniEnabled ? source.components : [];
    let unknownSounds: Awaited<ReturnType<typeof unresolvedStaticResources>>;
    let heldElsewhere: OrgHeldMembers;
    [refCheck, before, unknownSounds, heldElsewhere] = await Promise.all([
      checkOrgReferences(reader, { uses: source.unresolved, deployedConfigs: source.presenceConfigs, omniEnabled: info.omniEnabled }),
      snapshotting ? snapshotAssignments(reader, source.presenceConfigs) : Promise.resolve(undefined),
      unresolvedStaticResources(conn, records),
      // The configurations' users come with the snapshot; without one (check-only) they are read here.
      readOrgHeldMembers(reader, omniComponents, snapshotting ? heldFromSnapshot({ configs: {} }) : undefined),
    ]);
    if (refCheck.missing.length || refCheck.conflicts.length) {
      throw orgCheckError(refCheck.missing, refCheck.conflicts, session, ctx);
    }
    if (unknownSounds.length) {
      // The doctor's record-settings failure, found by the query above (same id, message and fix).
      const { unknownStaticResourcesFailure } = await import('../setup/deploy-checks.ts');
      const refusal = doctorRefusal(session, [unknownStaticResourcesFailure(unknownSounds)], ctx);
      throw catalogueError('OrgCheckFailed', { variant: 'doctor', ...refusal, data: { ...refusal.data, missing: unknownSounds } });
    }
    // The members the org holds on what is deployed.
    held = before ? new Map([...heldElsewhere, ...heldFromSnapshot(before)]) : heldElsewhere;
  } catch (error) {
    stages.stop('failed');
    throw error;
  }
  const warnings = source.diagnostics.filter((d) => d.severity === 'warning');
  for (const w of warnings) ctx.warn(formatDiagnostic(w));
  for (const n of notes) ctx.warn(n);

  // 4. Keep what the org holds: the org's members of each org-held list are merged into the outgoing XML
  //    (the files are not touched), unless --replace-assignments.
  const { assignments } = mergeHeld(source.projectRoot, source.components, held, replace, overrides);
  for (const a of assignments) {
    if (a.action === 'kept') ctx.warn(a.element === 'queueMembers.users.user' ? warningCountText('AssignmentsKept.queueMembers', a.count, [a.count, a.type, a.fullName]) : warningCountText('AssignmentsKept', a.count, [a.count, a.type, a.fullName]));
  }
  // 5. The pre-deploy snapshot is on disk (synced) before anything is sent; if it can't be written, nothing is.
  let snapshotPath: string | undefined;
  if (!options.checkOnly && before && Object.values(before.configs).some((c) => c.users.length || c.profiles.length)) {
    try {
      snapshotPath = saveSnapshot(source.projectRoot, snapshotRecord(session, `pre-${new Date().toISOString().replace(/[-:.]/g, '')}`, before, []));
    } catch (error) {
      throw stateWriteError(join('.omni', 'snapshots'), error, { variant: 'snapshot' });
    }
  }

  // 6. One deployment through SDR.
  const cs = await componentSet;
  const total = cs.getSourceComponents().toArray().length;
  let deploy;
  let queuedAt: number;
  stages.goto(deployStage, components(0, total));
  trap.sending();
  try {
    deploy = await startDeploy(session.connection, cs, options);
    queuedAt = Date.now();
  } catch (error) {
    stages.stop('failed');
    throw catalogueError('DeployRequestFailed', { tokens: [(error as Error).message], cause: error });
  }
  const id = deploy.id ?? '';
  const record: DeployRecord = {
    id,
    createdAt: new Date().toISOString(),
    org: { label: session.label, username: session.username, orgId: session.orgId, instanceUrl: session.instanceUrl, viaAccessToken: Boolean(org.connect?.instanceUrl) },
    sourceDirs: source.sourcePaths.map((p) => relative(source.projectRoot, p).split(sep).join('/') || '.'),
    options,
    assignmentsBefore: before,
  };
  // Record settings a stopped run leaves unset (deploy resume sets them, as after --async).
  if (records.settings.length && writeRecords && !options.checkOnly) trap.recordsPending = String(records.specFile);
  // On disk before the first poll: a signal from here on names this id, and `deploy report` finds it.
  try {
    await saveDeployRecord(source.projectRoot, record);
  } catch (error) {
    // Checked writable above, so a full disk or a folder changed meanwhile: say what the org has.
    stages.stop('failed');
    const report = omniCommandLine(ctx, `deploy report ${id}`);
    throw options.checkOnly
      ? stateWriteError('.omni/deploys', error, { variant: 'checkOnlySent', tokens: [id], actionTokens: [report] })
      : stateWriteError('.omni/deploys', error, { variant: 'deploySent', tokens: [id], actionTokens: [report] });
  }
  trap.queued(id);
  // Stopped while the request was being sent: the id is saved, the deployment goes on in the org.
  if (trap.stoppedBy) return interruptedRun(trap, runningResult(ctx, id, session, info, warnings, 'Queued', options.checkOnly), stages);

  if (request.async) {
    if (records.settings.length && !options.checkOnly) {
      ctx.warn(warningCountText('RecordSettingsAfterDeploy', records.settings.length, [records.settings.length, String(records.specFile), omniCommandLine(ctx, `deploy resume ${id}`)]));
    }
    // As `sf project deploy start --async`: queued is success (exit 0); result.id is the job to follow.
    stages.detail(messageText('deploy-output', 'stages.queued', [id]));
    stages.pause();
    return { status: ExitCode.Ok, result: runningResult(ctx, id, session, info, warnings, 'Queued', options.checkOnly) };
  }
  if (waitMinutes === 0) {
    // --wait 0: the job id at once, without a status check ("To run the command asynchronously, set --wait to
    // 0, which immediately returns the job ID", sfdx force:source:deploy), and exit 69 as for any wait that ends.
    stages.detail(messageText('deploy-output', 'stages.queued', [id]));
    // Nothing ran out, so no warning: the follow-up command is the result's (reportCommand), printed once by render.
    stages.pause();
    return { status: ExitCode.Running, result: runningResult(ctx, id, session, info, warnings, 'Queued', options.checkOnly) };
  }
  let status;
  try {
    status = await pollDeploy(deploy, {
      timeoutMs: waitMinutes * 60_000,
      justQueued: true,
      queuedAt,
      onUpdate: (s) => stages.detail(components(Number(s.numberComponentsDeployed ?? 0) + Number(s.numberComponentErrors ?? 0), total)),
      signal: trap.polling,
    });
  } catch (error) {
    if (error instanceof PollStopped) {
      return interruptedRun(trap, runningResult(ctx, id, session, info, warnings, error.lastStatus?.status ?? 'InProgress', options.checkOnly), stages);
    }
    if (error instanceof PollTimeout) {
      // still running: the stage is left paused, the job id and how to follow it below
      stages.pause();
      // what happened; how to follow it is the result's reportCommand, printed once (stdout) by render
      ctx.warn(warningCountText('DeployStillRunning', waitMinutes, [waitMinutes]));
      return { status: ExitCode.Running, result: runningResult(ctx, id, session, info, warnings, error.lastStatus?.status ?? 'InProgress', options.checkOnly) };
    }
    stages.stop('failed');
    throw error;
  }
  trap.finished();
  const outcome = await toOutcome(status, cs, source.projectRoot);
  stages.detail(components(outcome.components.length, total));
  const finished = await finishDeploy(ctx, outcome, { projectRoot: source.projectRoot, session, info, before, validationWarnings: warnings, snapshotPath });
  finished.result.assignments = assignments;
  if (finished.status === ExitCode.Ok && outcome.checkOnly && records.settings.length && writeRecords) {
    // --dry-run: what the record settings stage would write, nothing written.
    const { previewRecordSettings } = await import('./record-settings.ts');
    finished.result.recordSettings = await previewRecordSettings(session.connection, records);
    // What only Setup can set: a warning, as after a real deploy (the preview's own "Dry run: …" line is the render's).
    const setupNotes = new Set(records.settings.flatMap((s) => s.notes));
    for (const n of finished.result.recordSettings.notes) if (setupNotes.has(n)) ctx.warn(n);
    return finished;
  }
  if (finished.status !== ExitCode.Ok || outcome.checkOnly || !records.settings.length || !writeRecords) {
    stages.stop(finished.status === ExitCode.Ok || finished.status === ExitCode.Partial ? 'completed' : 'failed');
    return finished;
  }
  // 5. Record settings: what the Metadata API cannot deploy, set on the records just deployed.
  return runRecordStage(ctx, finished, records, { projectRoot: source.projectRoot, session, deployId: outcome.id }, stages);
}

/** The `.omni/` folders a deploy writes: its record always; a real one's snapshot and record-settings journal. */
function stateFolders(checkOnly: boolean, writesRecords: boolean): string[] {
  if (checkOnly) return ['deploys'];
  return ['deploys', 'snapshots', ...(writesRecords ? ['records'] : [])];
}

/** A run stopped by a signal once the deployment was queued: the stage paused, what follows told, 130/143. */
function interruptedRun(trap: DeployInterrupt, result: DeployCommandResult, stages: StageOutput): { status: number; result: DeployCommandResult } {
  stages.pause();
  trap.tell();
  return { status: signalExitCode(trap.stoppedBy ?? 'SIGINT'), result };
}

/**
 * The "record settings" stage after a successful deployment (deploy, and deploy resume of an --async
 * one): writes what differs, puts the result under `recordSettings`, and makes the exit code 68 when a
 * record failed.
 */
export async function runRecordStage(
  ctx: Pick<EngineIo, 'ui' | 'env' | 'json' | 'warn'>,
  finished: { status: number; result: DeployCommandResult },
  records: DesiredRecordSettings,
  context: { projectRoot: string; session: OrgSession; deployId: string | null },
  deployStages?: StageOutput,
): Promise<{ status: number; result: DeployCommandResult }> {
  // the last stage of the deploy's stages, or stages of its own (deploy resume)
  const label = recordStageLabel();
  const recordStage = deployStages ?? startStages(ctx, label, [label]);
  recordStage.goto(label);
  try {
    const { session } = context;
    finished.result.recordSettings = await applyRecordSettings(session.connection, records, {
      projectRoot: context.projectRoot,
      org: { orgId: session.orgId, username: session.username, instanceUrl: session.instanceUrl, label: session.label },
      deployId: context.deployId,
    });
  } catch (error) {
    recordStage.stop('failed');
    throw error;
  }
  recordStage.stop('completed');
  // What only Setup can set: a warning, so --json lists it in `warnings` as the text output shows it.
  for (const n of finished.result.recordSettings.notes) ctx.warn(n);
  finished.status = recordSettingsExitCode(finished.result.recordSettings);
  return finished;
}

/** Fills `overrides` (absolute path → merged XML); returns what each org-held list keeps or loses. */
function mergeHeld(projectRoot: string, components: DeploymentSource['components'], held: OrgHeldMembers, replace: boolean, overrides: Map<string, string>) {
  const assignments: DeployCommandResult['assignments'] = [];
  if (!held.size) return { assignments };
  for (const c of components) {
    if (![...held.values()].some((h) => h.list.type === c.type)) continue;
    const abs = join(projectRoot, c.file);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch {
      continue;
    }
    const merged = mergeOrgHeldMembers(text, c.type, c.fullName, held, { replace });
    if (merged.xml !== undefined) overrides.set(abs, merged.xml);
    for (const [element, members] of Object.entries(merged.orgOnly)) {
      assignments.push({ type: c.type, fullName: c.fullName, element, action: replace ? 'removed' : 'kept', count: members.length, members });
    }
  }
  return { assignments };
}

function snapshotRecord(session: OrgSession, id: string, before: AssignmentSnapshot, removed: RemovedAssignment[]) {
  return {
    kind: 'omni-assignment-snapshot' as const,
    version: 1 as const,
    createdAt: new Date().toISOString(),
    org: { orgId: session.orgId, username: session.username, instanceUrl: session.instanceUrl },
    deployId: id,
    before,
    removed,
  };
}

/**
 * Shared by deploy, report and resume: the data-loss check and the result. `snapshotPath`: the
 * pre-deploy snapshot already on disk (deploy); without it (report/resume) one is written if needed.
 */
export async function finishDeploy(
  ctx: Pick<EngineIo, 'warn' | 'commandPrefix'>,
  outcome: DeployOutcome,
  context: { projectRoot: string; session: OrgSession; info?: Pick<OrgInfo, 'orgType'>; before?: AssignmentSnapshot; validationWarnings: Diagnostic[]; snapshotPath?: string },
): Promise<{ status: number; result: DeployCommandResult }> {
  let removed: RemovedAssignment[] = [];
  let snapshotFile: string | null = null;
  const changedOrg = outcome.done && !outcome.checkOnly && (outcome.status === 'Succeeded' || outcome.status === 'SucceededPartial');
  // Only rows the org had before can be lost: with none (a first deploy of these configurations), there is
  // nothing to compare and the org is not asked again.
  if (changedOrg && context.before && Object.values(context.before.configs).some((c) => c.users.length || c.profiles.length)) {
    const after = await snapshotAssignments(compositeReader(context.session.connection), Object.keys(context.before.configs));
    removed = removedAssignments(context.before, after);
    if (removed.length) {
      const path = saveSnapshot(context.projectRoot, snapshotRecord(context.session, outcome.id, context.before, removed));
      if (context.snapshotPath && context.snapshotPath !== path) rmSync(context.snapshotPath, { force: true });
      snapshotFile = relative(context.projectRoot, path).split(sep).join('/');
      const lines = removed.map((r) => `  ${r.config}: ${r.kind} ${r.name}`).join('\n');
      ctx.warn(warningText('AssignmentsRemoved', [countText('deploy-output', 'count.removedAssignment', removed.length, [removed.length]), lines, snapshotFile]));
    }
  }
  // Nothing lost: the pre-deploy snapshot has served its purpose.
  if (!snapshotFile && context.snapshotPath && (changedOrg || outcome.done)) rmSync(context.snapshotPath, { force: true });
  const result: DeployCommandResult = {
    id: outcome.id,
    status: outcome.status,
    success: outcome.success,
    checkOnly: outcome.checkOnly,
    done: outcome.done,
    org: orgSummary(context.session, context.info),
    summary: summarize(outcome.components),
    components: outcome.components,
    files: toDeployFiles(outcome.components),
    removedAssignments: removed,
    assignments: [],
    snapshotFile,
    validationWarnings: context.validationWarnings,
    reportCommand: outcome.done ? null : omniCommandLine(ctx, `deploy report ${outcome.id}`),
    errorMessage: outcome.errorMessage ?? null,
  };
  return { status: exitCodeFor(outcome), result };
}

function orgSummary(session: OrgSession, info?: Pick<OrgInfo, 'orgType'>) {
  return { username: session.username, instanceUrl: session.instanceUrl, orgType: info?.orgType ?? 'unknown', apiVersion: session.apiVersion };
}

function runningResult(ctx: Pick<EngineIo, 'commandPrefix'>, id: string, session: OrgSession, info: OrgInfo, warnings: Diagnostic[], status: string, checkOnly: boolean): DeployCommandResult {
  return {
    id,
    status,
    success: false,
    checkOnly,
    done: false,
    org: orgSummary(session, info),
    summary: summarize([]),
    components: [],
    files: [],
    removedAssignments: [],
    assignments: [],
    snapshotFile: null,
    validationWarnings: warnings,
    reportCommand: omniCommandLine(ctx, `deploy report ${id}`),
    errorMessage: null,
  };
}

/** Tokens, actions and data of a refusal by the doctor's checks: each as \`[id] message\`, its fix an action. */
function doctorRefusal(session: Pick<OrgSession, 'label'>, failed: ReadonlyArray<{ id: string; title: string; message: string; fix?: string }>, io: Pick<EngineIo, 'commandPrefix'>) {
  return {
    tokens: [session.label, commandPrefix(io), failed.map((c) => `  [${c.id}] ${c.message}`).join('\n')],
    moreActions: failed.map((c) => c.fix).filter((x): x is string => Boolean(x)),
    data: { checks: failed.map(({ id, title, message, fix }) => ({ id, title, message, fix })) },
  };
}

export function omniDisabledError(session: Pick<OrgSession, 'label'>, io: Pick<EngineIo, 'commandPrefix'>): OmniError {
  return catalogueError('OmniChannelDisabled', { tokens: [session.label], actionTokens: [commandPrefix(io)] });
}

function orgCheckError(missing: MissingRef[], conflicts: AssignmentConflict[], session: Pick<OrgSession, 'label'>, io: Pick<EngineIo, 'commandPrefix'>): OmniError {
  const lines: string[] = [];
  for (const m of missing) {
    lines.push(`  ${where(m)}  ${m.suggestion ? messageText('deploy-output', 'deploy.missingReference.didYouMean', [m.noun, m.name, m.suggestion]) : messageText('deploy-output', 'deploy.missingReference', [m.noun, m.name])}`);
  }
  for (const c of conflicts) lines.push(`  ${where(c)}  ${messageText('deploy-output', 'deploy.heldElsewhere', [c.kind, c.name, c.existingConfig, c.newConfig])}`);
  const data = { missing, conflicts };
  const details = lines.join('\n');
  if (!conflicts.length) return catalogueError('OrgCheckFailed', { variant: 'references', tokens: [session.label, countText('deploy-output', 'count.referenceNotFound', missing.length, [missing.length]), details], data });
  if (!missing.length) return catalogueError('OrgCheckFailed', { variant: 'conflicts', tokens: [session.label, countText('deploy-output', 'count.assignmentConflict', conflicts.length, [conflicts.length]), details], actionTokens: [commandPrefix(io)], data });
  return catalogueError('OrgCheckFailed', { variant: 'referencesAndConflicts', tokens: [session.label, countText('deploy-output', 'count.referenceNotFound', missing.length, [missing.length]), countText('deploy-output', 'count.assignmentConflict', conflicts.length, [conflicts.length]), details], actionTokens: [commandPrefix(io)], data });
}

function where(x: { file: string; line?: number; column?: number }): string {
  return `${x.file}${x.line ? `:${x.line}:${x.column ?? 1}` : ''}`;
}
