/**
 * `omni setup`: doctor → validate → deploy → assign → grant → verify, stopping at the first failing
 * stage. Every stage calls the owning engineer's code in-process (runPlan/runDeploy, the assign
 * workflow, checkAccess) — nothing is reimplemented here. Re-runnable: the deploy is skipped when the
 * plan shows no changes (and otherwise deploys only the files the plan lists), assign and grant write
 * only differences, so a second run makes no writes at all.
 *
 * Assignments and metadata overlap: the org returns a configuration's user/profile rows inside its
 * metadata, and a deploy REPLACES them with the file's. Rows the org has beyond the file, which the
 * assignment file manages, are therefore not a pending metadata change (the assign stage owns them).
 */
import path from 'node:path';
import { ExitCode, OmniError } from '../lib/errors.ts';
import { commandPrefix, quietIo, startStageOutput, type EngineIo } from '../lib/io.ts';
import type { DesiredAssignments } from '../assign/config.ts';
import type { AccessReport } from '../assign/access.ts';
import type { Plan as AssignPlan } from '../assign/plan.ts';
import type { PlanCommandResult, PlanItem } from '../deploy/plan.ts';
import type { DeployRequest } from '../deploy/pipeline.ts';
import { findType } from '../metadata/registry.ts';
import type { ConnectOptions, OrgInfo, OrgSession, OrgTarget } from '../org/connection.ts';
import type { ReadCache } from '../org/read-cache.ts';
import type { ProjectSource } from './source.ts';
import { countText, messageList, messageText, warningText } from '../lib/messages.ts';

export type StageName = 'doctor' | 'validate' | 'deploy' | 'record-settings' | 'assign' | 'grant' | 'verify';
export type StageStatus = 'ok' | 'warn' | 'failed' | 'skipped';

export interface StageResult {
  stage: StageName;
  status: StageStatus;
  exitCode: number;
  durationMs: number;
  summary: string;
  details: Record<string, unknown>;
}

export interface SetupResult {
  org: { username: string; instanceUrl: string; name: string; orgType: string } | null;
  assignments: string | null;
  stages: StageResult[];
  /** For the human summary: what the org holds after the run. */
  outcome: {
    deployed: Array<{ type: string; fullName: string; state: string }>;
    agents: Array<{ username: string; configuration: string; source: 'user' | 'profile'; canGoOnline: boolean }>;
    writes: { deploy: boolean; assignments: number; permissionSetAssignments: number; records: number };
    /** Record settings as the org holds them after the run (spec keys without a metadata element). */
    recordSettings: Array<{ sobject: string; fullName: string; fields: Record<string, string | number | boolean | null>; state: 'updated' | 'unchanged' | 'failed' }>;
  };
  /** With --report: the routing graph written (HTML), its size and problem count. */
  report?: { file: string; components: number; problems: number };
}

export const STAGES: StageName[] = ['doctor', 'validate', 'deploy', 'record-settings', 'assign', 'grant', 'verify'];

/** What `omni setup` is asked to do (its flags, typed). */
export interface SetupRequest {
  /** Assignment file (relative to io.cwd); without it the assign and grant stages are skipped. */
  assignments?: string;
  /** Production orgs: no confirmation asked before the first write (scripts and CI). */
  noPrompt: boolean;
  /** Assign the project's status permission set to agents who cannot go online (false: only report them). */
  grantAccess: boolean;
  /** Deploy replacing the org's user assignments the files don't list (default: kept). */
  replaceAssignments: boolean;
  /** Wait for another run holding the org's lock instead of stopping with RunInProgress. */
  wait: boolean;
  /** Write the routing graph of the org after setup as HTML to this file (relative to io.cwd). */
  report?: string;
}

interface Shared {
  io: EngineIo;
  request: SetupRequest;
  /** How the org was named (instance URL, API version): passed on to the deploy's record of it. */
  connect?: ConnectOptions;
  session: OrgSession;
  info: OrgInfo;
  source: ProjectSource;
  desired: DesiredAssignments | null;
  assignmentsFile: string | null;
  noPrompt: boolean;
  grantAccess: boolean;
  confirmed: boolean;
  result: SetupResult;
  /** The id the org lock names; the assign stage's journal uses it. */
  runId?: string;
  /** The run's read cache on the session (org/read-cache.ts): emptied by any write. */
  reads: ReadCache;
  /** The metadata plan as last read, with the writes of the run then: still the org's while they are the same. */
  plan?: { plan: PlanCommandResult; pending: PlanItem[]; writesSeen: string };
}

class StageFailure extends Error {
  readonly exitCode: number;
  readonly details: Record<string, unknown>;
  readonly actions: string[];
  constructor(message: string, exitCode: number, details: Record<string, unknown> = {}, actions: string[] = []) {
    super(message);
    this.exitCode = exitCode;
    this.details = details;
    this.actions = actions;
  }
}

type StageReturn = { status: StageStatus; summary: string; details?: Record<string, unknown>; exitCode?: number };

/**
 * `omni setup`: reads the project and the assignment file, resolves the org once (`org.session`, else
 * `org.connect`: one oauth/userinfo for the whole run), holds the org lock, then runs the stages with
 * that one session. Returns the exit code (the failing stage's) and the result (schemas/setup.json).
 */
export async function runSetup(org: OrgTarget, request: SetupRequest, io: EngineIo): Promise<{ status: number; result: SetupResult }> {
  const { describeOrg, resolveOrg } = await import('../org/connection.ts');
  const { readProjectSource } = await import('./source.ts');
  const { loadDesired } = await import('../assign/run.ts');
  const source = await readProjectSource(io.cwd);
  // Everything setup writes locally (the org lock, the assignment journal, the deploy's record, snapshot
  // and record-settings journal, the --report file) is writable before its first request, so no stage
  // stops on a local write after an earlier one changed the org.
  const { assertOutputWritable, assertStateWritable } = await import('../lib/state-file.ts');
  for (const folder of ['locks', 'runs', 'deploys', 'snapshots', 'records']) assertStateWritable(path.join(source.projectRoot, '.omni', folder), `.omni/${folder}`);
  if (request.report) assertOutputWritable(path.resolve(io.cwd, request.report), request.report);
  const assignmentsArg = request.assignments;
  const desired = assignmentsArg ? (await loadDesired({ file: assignmentsArg }, io.cwd)).desired : null;
  const assignmentsFile = assignmentsArg ? path.relative(source.projectRoot, path.resolve(io.cwd, assignmentsArg)) || assignmentsArg : null;
  const result: SetupResult = {
    org: null,
    assignments: assignmentsFile,
    stages: [],
    outcome: { deployed: [], agents: [], writes: { deploy: false, assignments: 0, permissionSetAssignments: 0, records: 0 }, recordSettings: [] },
  };
  const session = await resolveOrg(org, io.env);
  // Each fact read once per run: doctor, plan, assign, grant and verify ask the org alike; a write empties it.
  const { cacheReads } = await import('../org/read-cache.ts');
  const reads = cacheReads(session.connection);
  const info = await describeOrg(session);
  result.org = { username: session.username, instanceUrl: session.instanceUrl, name: info.name, orgType: info.orgType };
  // One writing run per org: setup holds the org lock (as omni assign does) for all its stages.
  const { withOrgLock } = await import('../assign/interrupt.ts');
  const { reserveRunId } = await import('../assign/run.ts');
  const runId = reserveRunId(session, io.cwd);
  const shared: Shared = { io, request, connect: org.connect, session, info, source, desired, assignmentsFile, noPrompt: request.noPrompt, grantAccess: request.grantAccess, confirmed: false, result, runId, reads };
  return withOrgLock(io, session, { command: 'setup', runId, wait: request.wait }, () => runStages(io, shared, result));
}

async function runStages(ctx: EngineIo, shared: Shared, result: SetupResult): Promise<{ status: number; result: SetupResult }> {
  const session = shared.session;
  const runners: Record<StageName, (s: Shared) => Promise<StageReturn>> = { doctor, validate, deploy, 'record-settings': recordSettings, assign, grant, verify };

  let stopped: StageName | null = null;
  // The stage table (each stage's status and summary) is printed once, by render; while it runs, a TTY shows
  // the stages as sf does (ui.stages: the current one, each one's time, the failed one marked).
  const progress = startStageOutput(ctx.ui, messageText('setup-stages', 'Title', [session.label]), STAGES);
  for (const name of STAGES) {
    if (stopped) {
      result.stages.push({ stage: name, status: 'skipped', exitCode: 0, durationMs: 0, summary: messageText('setup-stages', 'Skipped', [stopped]), details: {} });
      continue;
    }
    progress.goto(name);
    const started = Date.now();
    let stage: StageResult;
    try {
      const r = await runners[name](shared);
      stage = { stage: name, status: r.status, exitCode: r.exitCode ?? (r.status === 'failed' ? ExitCode.Failed : ExitCode.Ok), durationMs: Date.now() - started, summary: r.summary, details: r.details ?? {} };
    } catch (error) {
      stage = failedStage(name, error, Date.now() - started);
    }
    result.stages.push(stage);
    if (stage.status === 'failed') stopped = name;
  }
  progress.stop(stopped ? 'failed' : 'completed');
  // --report F: the routing graph of the org just set up (agents and members counted in it), as HTML.
  const reportFile = shared.request.report;
  if (reportFile) {
    try {
      const { buildRoutingGraph } = await import('../graph/build.ts');
      const { renderHtml } = await import('../graph/render.ts');
      const { OrgApi } = await import('../assign/api.ts');
      const { writeFileAtomic } = await import('../metadata/write.ts');
      const built = await buildRoutingGraph({ cwd: ctx.cwd, api: new OrgApi(session.connection) });
      await writeFileAtomic(path.resolve(ctx.cwd, reportFile), renderHtml(built.graph, { title: messageText('graph-output', 'title.org', [session.label]), subtitle: messageText('graph-output', 'subtitle.setup', [commandPrefix(ctx), session.label]) }));
      result.report = { file: reportFile, components: built.graph.nodes.length, problems: built.graph.problems.length };
    } catch (error) {
      ctx.warn(warningText('SetupReportNotWritten', [reportFile, (error as Error).message]));
    }
  }
  const status = Math.max(...result.stages.map((s) => s.exitCode)) === 0 ? 0 : worstExit(result.stages);
  return { status, result };
}

/** The failing stage's code decides (68 partial, 69 still running), else 1. */
function worstExit(stages: StageResult[]): number {
  const failed = stages.find((s) => s.status === 'failed');
  return failed ? failed.exitCode || ExitCode.Failed : Math.max(...stages.map((s) => s.exitCode));
}

function failedStage(stage: StageName, error: unknown, durationMs: number): StageResult {
  if (error instanceof StageFailure) {
    return { stage, status: 'failed', exitCode: error.exitCode, durationMs, summary: error.message, details: { ...error.details, ...(error.actions.length ? { actions: error.actions } : {}) } };
  }
  const known = error instanceof OmniError;
  const message = error instanceof Error ? error.message : String(error);
  return {
    stage,
    status: 'failed',
    exitCode: known ? error.exitCode || ExitCode.Failed : ExitCode.Failed,
    durationMs,
    summary: message,
    details: { error: error instanceof Error ? error.name : 'Error', actions: known ? error.actions : [], ...(known && error.data ? { data: error.data } : {}) },
  };
}

/** The io of a stage's engine: quiet (setup prints one table at the end), its warnings collected and passed on named. */
function stageIo(s: Shared, warnings: string[], stage: StageName): EngineIo {
  return quietIo(s.io, (message) => {
    warnings.push(message);
    s.io.warn(`${stage}: ${message}`);
  });
}

/** Production needs one yes (or --no-prompt) before the first write of the run. */
async function confirmWrites(s: Shared, what: string): Promise<void> {
  if (s.confirmed) return;
  const { confirmOrgChange } = await import('../org/connection.ts');
  await confirmOrgChange(s.info, s.session, { noPrompt: s.noPrompt, action: messageText('setup-stages', 'confirm', [what]), confirm: (q) => s.io.ui.confirm(q), interactive: s.io.ui.interactive });
  s.confirmed = true;
}

async function orgApi(s: Shared) {
  const { OrgApi } = await import('../assign/api.ts');
  return new OrgApi(s.session.connection);
}

// ---- stages --------------------------------------------------------------------------------------

/**
 * The reads later stages make on an org that already matches (the CI job's usual run), asked while the doctor
 * reads: they ride in the doctor's composite requests, and the run's read cache answers the stages from them
 * (a write empties it, so a stage after one reads afresh). Only a head start: failures are the stages' to report.
 */
async function warmReads(s: Shared): Promise<void> {
  if (!s.info.omniEnabled || !s.desired) return;
  const { planAssignments } = await import('../assign/run.ts');
  // The assign plan (deploy's pending changes, assign, verify).
  await planAssignments(s.session, s.desired, { prune: false });
}

/** A check message whose findings are listed one per line (`- …`), as one line: the sentences in a row. */
function oneLine(message: string): string {
  const [first, ...items] = message.split('\n');
  return [first, ...items.map((l) => l.replace(/^- /, ''))].join(' ');
}

async function doctor(s: Shared): Promise<StageReturn> {
  const { runDoctor } = await import('./doctor.ts');
  const warm = warmReads(s).catch(() => undefined);
  const { result: report } = await runDoctor({ session: s.session, info: s.info }, { preflight: true, source: s.source, desired: s.desired, assignments: s.assignmentsFile ?? undefined }, s.io);
  await warm;
  const details = { checks: report.checks.map(({ id, status, message, fix, repairedBySetup }) => ({ id, status, message, fix, repairedBySetup })), summary: report.summary };
  const failed = report.checks.filter((c) => c.status === 'fail');
  if (failed.length) {
    throw new StageFailure(
      countText('setup-stages', 'DoctorFailed', failed.length, [failed.length, failed.map((c) => `${c.title}: ${oneLine(c.message)}`).join(' | ')]),
      ExitCode.Failed,
      details,
      failed.flatMap((c) => (c.fix ? c.fix.split('\n') : [])),
    );
  }
  const s2 = report.summary;
  // Name the warnings (what and why), not only their number: the table shows them with their fix.
  const warned = report.checks.filter((c) => c.status === 'warn').map((c) => `${c.title}: ${oneLine(c.message)}`);
  const summary = warned.length
    ? messageText('setup-stages', 'DoctorPassed.warned', [s2.ok, countText('setup-stages', 'count.warning', s2.warn, [s2.warn]), warned.join('; '), s2.skip])
    : messageText('setup-stages', 'DoctorPassed', [s2.ok, countText('setup-stages', 'count.warning', s2.warn, [s2.warn]), s2.skip]);
  return { status: s2.warn ? 'warn' : 'ok', summary, details };
}

/** Errors the failed validate stage lists; the rest are counted. */
const LISTED_ERRORS = 20;

async function validate(s: Shared): Promise<StageReturn> {
  const { validateProject } = await import('../validate/index.ts');
  const { formatDiagnostic } = await import('../lib/diagnostic.ts');
  const r = await validateProject({ projectRoot: s.source.projectRoot });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  const warnings = r.diagnostics.filter((d) => d.severity === 'warning');
  const infos = r.diagnostics.length - errors.length - warnings.length;
  const details = { filesChecked: r.filesChecked, errors: errors.length, warnings: warnings.length, diagnostics: r.diagnostics.slice(0, 200) };
  if (errors.length) {
    // The stage lists 20 errors; the others are counted, with the command that lists them all.
    const listed = [...errors.slice(0, LISTED_ERRORS).map((d) => '  ' + formatDiagnostic(d))];
    if (errors.length > LISTED_ERRORS) listed.push('  ' + countText('setup-stages', 'ValidateFailed.more', errors.length - LISTED_ERRORS, [errors.length - LISTED_ERRORS, commandPrefix(s.io)]));
    throw new StageFailure(messageText('setup-stages', 'ValidateFailed', [countText('setup-stages', 'count.validationError', errors.length, [errors.length]), listed.join('\n')]), ExitCode.Failed, details, messageList('setup-stages', 'ValidateFailed.actions', [commandPrefix(s.io), commandPrefix(s.io)]));
  }
  // Warnings and info are counted here, not listed: the summary says so and names the command that lists them.
  const warningCount = countText('setup-stages', 'count.warning', warnings.length, [warnings.length]);
  const summary =
    warnings.length || infos
      ? countText('setup-stages', 'ValidatePassed.hidden', r.filesChecked, [r.filesChecked, warningCount, infos, commandPrefix(s.io)])
      : countText('setup-stages', 'ValidatePassed', r.filesChecked, [r.filesChecked, warningCount]);
  return { status: warnings.length ? 'warn' : 'ok', summary, details };
}

/** Resolved file assignments: configuration (lower-cased) → usernames and profile names (lower-cased). */
async function fileAssignments(s: Shared): Promise<{ plan: AssignPlan | null; byConfig: Map<string, Set<string>> }> {
  const byConfig = new Map<string, Set<string>>();
  if (!s.desired || !s.info.omniEnabled) return { plan: null, byConfig };
  const { planAssignments } = await import('../assign/run.ts');
  const { plan } = await planAssignments(s.session, s.desired, { prune: false });
  for (const item of plan.items) {
    if (!item.to) continue;
    const set = byConfig.get(item.to.toLowerCase()) ?? byConfig.set(item.to.toLowerCase(), new Set()).get(item.to.toLowerCase())!;
    set.add(item.name.toLowerCase());
  }
  return { plan, byConfig };
}

/**
 * The metadata plan minus differences the assignment file explains: rows the org holds beyond the
 * XML (old ⊋ new) that the file assigns to that configuration.
 */
export function pendingChanges(plan: PlanCommandResult, byConfig: Map<string, Set<string>>): PlanItem[] {
  const pending: PlanItem[] = [];
  for (const item of plan.items) {
    if (item.action === 'create') pending.push(item);
    if (item.action !== 'update') continue;
    // Only a type that gives agents a configuration (registry agentAssignments) has assignment rows.
    const assignments = findType(item.type)?.agentAssignments;
    const managed = (assignments && byConfig.get(item.fullName.toLowerCase())) || new Set<string>();
    const changes = item.changes.filter((c) => {
      if (c.field !== assignments?.users && c.field !== assignments?.profiles) return true;
      const values = (v: string | string[] | null) => new Set((v === null ? [] : Array.isArray(v) ? v : [v]).map((x) => x.toLowerCase()));
      const org = values(c.old);
      const file = values(c.new);
      const added = [...file].filter((x) => !org.has(x));
      const extra = [...org].filter((x) => !file.has(x));
      return added.length > 0 || extra.some((x) => !managed.has(x));
    });
    if (changes.length) pending.push({ ...item, changes });
  }
  return pending;
}

/** What this run has written so far, as a key: a plan read under the same key still holds. */
function writesKey(s: Shared): string {
  return JSON.stringify(s.result.outcome.writes);
}

async function metadataPlan(s: Shared, warnings: string[]): Promise<{ plan: PlanCommandResult; pending: PlanItem[] }> {
  // Nothing written since the deploy stage planned: the org is as it was then (a re-run's usual path).
  if (s.plan && s.plan.writesSeen === writesKey(s)) return s.plan;
  const { runPlan } = await import('../deploy/plan.ts');
  const { result: plan } = await runPlan(
    { session: s.session, connect: { instanceUrl: s.connect?.instanceUrl } },
    { replaceAssignments: s.request.replaceAssignments, detailedExitCode: false },
    stageIo(s, warnings, 'deploy'),
  );
  const { byConfig } = await fileAssignments(s);
  s.plan = { plan, pending: pendingChanges(plan, byConfig), writesSeen: writesKey(s) };
  return s.plan;
}

async function deploy(s: Shared): Promise<StageReturn> {
  const { runDeploy } = await import('../deploy/pipeline.ts');
  const warnings: string[] = [];
  let sourceDirs: string[] = [];
  let planned: Record<string, unknown> = {};
  if (s.info.omniEnabled) {
    const { plan, pending } = await metadataPlan(s, warnings);
    planned = { plan: plan.summary, pending: pending.map((p) => ({ type: p.type, fullName: p.fullName, action: p.action, file: p.file, changes: p.changes })) };
    if (!pending.length) {
      const summary = plan.summary['only-in-org']
        ? messageText('setup-stages', 'DeployNoChanges.onlyInOrg', [plan.summary.unchanged, plan.summary['only-in-org']])
        : messageText('setup-stages', 'DeployNoChanges', [plan.summary.unchanged]);
      return { status: 'skipped', summary, details: { ...planned, warnings } };
    }
    // Only what changed: components not redeployed keep their assignment rows untouched.
    // Content components (sounds: StaticResource, in the plan since it compares their bytes) go by their folder:
    // the validator takes folders with non-Omni files, not such a file itself.
    const { findContentType } = await import('../metadata/registry.ts');
    const fileOf = (p: PlanItem) => (p.file && findContentType(p.type) ? path.dirname(p.file) : p.file);
    sourceDirs = [...new Set(pending.map(fileOf).filter((x): x is string => Boolean(x)).map((file) => path.join(s.source.projectRoot, file)))];
  }
  await confirmWrites(s, messageText('setup-stages', 'confirm.deploy'));
  // The record settings are checked by the deploy but written by their own stage, which runs even when nothing deploys.
  const request: DeployRequest = {
    sourceDirs,
    options: { checkOnly: false, ignoreErrors: false, ignoreWarnings: false },
    waitMinutes: 33,
    async: false,
    // Production was confirmed once for the whole run (confirmWrites).
    noPrompt: true,
    apiVersion: s.connect?.apiVersion,
    writeRecordSettings: false,
    replaceAssignments: s.request.replaceAssignments,
  };
  const { status, result } = await runDeploy({ session: s.session, connect: { instanceUrl: s.connect?.instanceUrl } }, request, stageIo(s, warnings, 'deploy'));
  // The deployment went through the Metadata API (SOAP), past the read cache: what it read before is stale.
  s.reads.invalidate();
  s.result.outcome.writes.deploy = true;
  s.result.outcome.deployed = result.components.filter((c) => c.state !== 'Unchanged').map((c) => ({ type: c.type, fullName: c.fullName, state: c.state }));
  // The org has just changed: Omni may have been switched on by this deploy.
  if (!s.info.omniEnabled) {
    const { describeOrg } = await import('../org/connection.ts');
    s.info = await describeOrg(s.session);
  }
  const details: Record<string, unknown> = { ...planned, id: result.id, status: result.status, summary: result.summary, components: result.components, removedAssignments: result.removedAssignments, snapshotFile: result.snapshotFile, warnings };
  const sm = result.summary;
  const text = sourceDirs.length
    ? countText('setup-stages', 'Deployed.changedOnly', sourceDirs.length, [result.id, result.status, sm.created, sm.changed, sm.unchanged, sm.failed, sourceDirs.length])
    : messageText('setup-stages', 'Deployed', [result.id, result.status, sm.created, sm.changed, sm.unchanged, sm.failed]);
  if (status !== 0) {
    const failures = result.components.filter((c) => c.state === 'Failed').map((c) => `${c.file ?? c.fullName}${c.line ? `:${c.line}` : ''}: ${c.problem}`);
    throw new StageFailure(`${text}${failures.length ? '\n  ' + failures.join('\n  ') : result.errorMessage ? ` ${result.errorMessage}` : ''}`, status, details, result.reportCommand ? messageList('setup-stages', 'DeployFailed.report.actions', [result.reportCommand]) : messageList('setup-stages', 'DeployFailed.actions', [commandPrefix(s.io)]));
  }
  if (result.removedAssignments.length) {
    details.note = countText('setup-stages', 'DeployReplacedAssignments', result.removedAssignments.length, [result.removedAssignments.length]);
  }
  return { status: warnings.length ? 'warn' : 'ok', summary: text, details };
}

/** Spec keys without a metadata element, set on the records: one PATCH for what differs, none otherwise. */
async function recordSettings(s: Shared): Promise<StageReturn> {
  const { loadRecordSettings, applyRecordSettings, recordSettingsExitCode } = await import('../deploy/record-settings.ts');
  const desired = await loadRecordSettings(s.source.projectRoot);
  if (!desired.settings.length) {
    return { status: 'skipped', summary: desired.specFile ? messageText('setup-stages', 'RecordSettingsNone', [desired.specFile]) : messageText('setup-stages', 'RecordSettingsNone.noSpec') };
  }
  const before = await (await import('../deploy/record-settings.ts')).planRecordSettings(s.session.connection, desired);
  if (before.some((r) => r.action === 'update')) await confirmWrites(s, messageText('setup-stages', 'confirm.records'));
  const r = await applyRecordSettings(s.session.connection, desired, {
    projectRoot: s.source.projectRoot,
    org: { orgId: s.session.orgId, username: s.session.username, instanceUrl: s.session.instanceUrl, label: s.session.label },
  });
  s.result.outcome.writes.records = r.summary.updated;
  const failed = new Set(r.failures.map((f) => `${f.sobject}:${f.fullName}`));
  s.result.outcome.recordSettings = r.records.map((rec) => ({
    sobject: rec.sobject,
    fullName: rec.fullName,
    fields: Object.fromEntries(desired.settings.filter((d) => d.sobject === rec.sobject && d.fullName === rec.fullName).flatMap((d) => Object.entries(d.fields))),
    state: failed.has(`${rec.sobject}:${rec.fullName}`) ? 'failed' : rec.action === 'update' ? 'updated' : 'unchanged',
  }));
  // The notes (what only Setup sets) are in the record-settings doctor row and in details.notes: not
  // repeated as warnings, which setup would print a second time above its report.
  const text = r.requests
    ? countText('setup-stages', 'RecordSettingsSet.requests', r.summary.updated, [r.summary.updated, r.summary.unchanged, r.summary.failed, countText('setup-stages', 'count.patchRequest', r.requests, [r.requests])])
    : countText('setup-stages', 'RecordSettingsSet', r.summary.updated, [r.summary.updated, r.summary.unchanged, r.summary.failed]);
  const details = { records: r.records, failures: r.failures, journal: r.journal, requests: r.requests, notes: r.notes };
  const code = recordSettingsExitCode(r);
  if (code !== 0) {
    const lines = r.failures.map((f) => `${f.file}${f.line ? `:${f.line}` : ''}: ${f.sobject} ${f.fullName}: ${f.errorCode}: ${f.message}`);
    return { status: 'warn', exitCode: code, summary: `${text}\n  ${lines.join('\n  ')}`, details };
  }
  return { status: 'ok', summary: text, details };
}

async function assign(s: Shared): Promise<StageReturn> {
  if (!s.desired) return { status: 'skipped', summary: messageText('setup-stages', 'NoAssignmentFile') };
  const { planAssignments, assertNoConflicts, applyPlan, exitStatus, writeCount } = await import('../assign/run.ts');
  const outcome = await planAssignments(s.session, s.desired, { prune: false });
  assertNoConflicts(outcome.plan);
  const summary = outcome.plan.summary;
  const inactive = outcome.plan.inactive;
  for (const i of inactive) s.io.warn(`assign: ${warningText('InactiveUserSkipped', [i.username, i.via, i.location])}`);
  if (writeCount(outcome.plan) === 0) {
    return { status: inactive.length ? 'warn' : 'ok', summary: countText('setup-stages', 'AssignNothingToChange', summary.unchanged, [summary.unchanged, String(s.assignmentsFile)]), details: { plan: summary, inactive, writes: 0 } };
  }
  await confirmWrites(s, messageText('setup-stages', 'confirm.assign'));
  const report = await applyPlan(s.session, outcome, { cwd: s.source.projectRoot, source: s.assignmentsFile ?? 'setup', runId: s.runId, commandPrefix: s.io.commandPrefix });
  s.result.outcome.writes.assignments = report.writes;
  const code = exitStatus(report);
  const details = { plan: summary, run: report, inactive };
  const r = report.summary;
  const text = messageText('setup-stages', 'Assigned', [report.runId, report.status, summary.create, summary.move, r.done, r.failed]);
  if (code !== 0) {
    throw new StageFailure(
      `${text}\n${report.failures.slice(0, 20).map((f) => `  ${f.kind} ${f.name} → ${f.configuration ?? 'none'}: ${f.errorCode}: ${f.message}`).join('\n')}`,
      code,
      details,
      messageList('setup-stages', 'AssignFailed.actions', [report.resume, report.undo]),
    );
  }
  return { status: inactive.length ? 'warn' : 'ok', summary: text, details };
}

async function grant(s: Shared): Promise<StageReturn> {
  if (!s.desired) return { status: 'skipped', summary: messageText('setup-stages', 'GrantNoAssignmentFile') };
  const { checkAccess } = await import('../assign/access.ts');
  const { planGrants, applyGrants } = await import('./grant.ts');
  const api = await orgApi(s);
  const report = await checkAccess(api, s.desired);
  const { items, unfixable, candidates } = planGrants(report, s.source);
  const details: Record<string, unknown> = { agents: report.summary.agents, planned: items, unfixable, candidates };
  if (unfixable.length) {
    throw new StageFailure(
      countText('setup-stages', 'GrantUnfixable', unfixable.length, [unfixable.length, unfixable.slice(0, 5).join(', ')]),
      ExitCode.Failed,
      details,
      messageList('setup-stages', 'GrantUnfixable.actions', [commandPrefix(s.io)]),
    );
  }
  if (!items.length) return { status: 'ok', summary: countText('setup-stages', 'GrantNothingToDo', report.summary.agents, [report.summary.agents]), details };
  if (!s.grantAccess) {
    throw new StageFailure(
      countText('setup-stages', 'GrantRefused', items.length, [items.length, candidates.join(' or ')]),
      ExitCode.Failed,
      details,
      messageList('setup-stages', 'GrantRefused.actions', [items[0].permissionSet, items[0].username, commandPrefix(s.io)]),
    );
  }
  await confirmWrites(s, messageText('setup-stages', 'confirm.grant'));
  const applied = await applyGrants(api, items);
  s.result.outcome.writes.permissionSetAssignments = applied.granted;
  Object.assign(details, applied);
  const bySet = new Map<string, number>();
  for (const i of items) bySet.set(i.permissionSet, (bySet.get(i.permissionSet) ?? 0) + 1);
  const sets = [...bySet].map(([name, n]) => countText('setup-stages', 'Granted.set', n, [name, n])).join(', ');
  const text = messageText('setup-stages', 'Granted', [sets, applied.granted, applied.failures.length]);
  if (applied.failures.length) {
    throw new StageFailure(`${text}\n${applied.failures.slice(0, 20).map((f) => `  ${f.username}: ${f.errorCode}: ${f.message}`).join('\n')}`, applied.granted ? ExitCode.Partial : ExitCode.Failed, details, messageList('setup-stages', 'GrantFailed.actions', [commandPrefix(s.io)]));
  }
  return { status: 'ok', summary: text, details };
}

async function verify(s: Shared): Promise<StageReturn> {
  const problems: string[] = [];
  const details: Record<string, unknown> = {};
  const warnings: string[] = [];
  // 1. The metadata: nothing pending.
  const { pending, plan } = await metadataPlan(s, warnings);
  details.plan = { summary: plan.summary, pending: pending.map((p) => ({ type: p.type, fullName: p.fullName, action: p.action, changes: p.changes })) };
  if (pending.length) problems.push(countText('setup-stages', 'VerifyPlanPending', pending.length, [pending.length, pending.slice(0, 5).map((p) => `${p.type} ${p.fullName}`).join(', ')]));
  // …and the record settings (fields without a metadata element) are as in the spec.
  const records = (plan.recordSettings ?? []).filter((r) => r.action !== 'unchanged');
  if (records.length) {
    details.recordSettings = records;
    const { formatRecordChange } = await import('../deploy/record-settings.ts');
    const listed = records.slice(0, 3).map((r) => `${r.sobject} ${r.fullName} (${r.changes.map(formatRecordChange).join(', ')})`);
    problems.push(records.length === 1 ? messageText('setup-stages', 'VerifyRecordsDiffer.one', [listed.join(', ')]) : messageText('setup-stages', 'VerifyRecordsDiffer', [records.length, listed.join(', ')]));
  }
  // 2. The assignments equal the file.
  let access: AccessReport | null = null;
  const api = await orgApi(s);
  if (s.desired) {
    const { planAssignments, writeCount } = await import('../assign/run.ts');
    const { plan: ap } = await planAssignments(s.session, s.desired, { prune: false });
    details.assignments = ap.summary;
    if (ap.conflicts.length || writeCount(ap)) {
      problems.push(countText('setup-stages', 'VerifyAssignmentsDiffer', ap.conflicts.length, [String(s.assignmentsFile), ap.summary.create, ap.summary.move, ap.conflicts.length]));
    }
  }
  // 3. Every agent can go online.
  const { checkAccess } = await import('../assign/access.ts');
  access = await checkAccess(api, s.desired ?? undefined);
  details.access = access.summary;
  if (access.summary.cannotGoOnline) {
    const offline = access.agents.filter((a) => !a.canGoOnline).slice(0, 5).map((a) => a.username);
    problems.push(countText('setup-stages', 'VerifyCannotGoOnline', access.summary.cannotGoOnline, [access.summary.cannotGoOnline, offline.join(', ')]));
  }
  s.result.outcome.agents = access.agents.map((a) => ({ username: a.username, configuration: a.configuration, source: a.source, canGoOnline: a.canGoOnline }));
  if (problems.length) throw new StageFailure(messageText('setup-stages', 'VerifyFailed', [problems.join('; ')]), ExitCode.Failed, details, messageList('setup-stages', 'VerifyFailed.actions', [commandPrefix(s.io), commandPrefix(s.io)]));
  const unusable = access.summary.unusableReferenced;
  return {
    status: unusable ? 'warn' : 'ok',
    summary: unusable
      ? s.desired
        ? countText('setup-stages', 'Verified.unusable', access.summary.agents, [access.summary.agents, unusable])
        : countText('setup-stages', 'Verified.noFileUnusable', access.summary.agents, [access.summary.agents, unusable])
      : s.desired
        ? countText('setup-stages', 'Verified', access.summary.agents, [access.summary.agents])
        : countText('setup-stages', 'Verified.noFile', access.summary.agents, [access.summary.agents]),
    details,
  };
}
