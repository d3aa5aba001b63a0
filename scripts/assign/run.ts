/**
 * The assignment workflows shared by the commands (and called directly by tests and the benchmark):
 * plan, apply, resume and undo. Commands only parse flags, connect and render.
 */
import path from 'node:path';
import { ExitCode } from '../lib/errors.ts';
import { catalogueError, countText } from '../lib/messages.ts';
import type { OrgSession } from '../org/connection.ts';
import { OrgApi, SessionLost, type ApiStats, type RetryPolicy } from './api.ts';
import { desiredFromFlags, formatOrigin, type ConfigProblem, type DesiredAssignments } from './config.ts';
import { executeJournal, waitForJob } from './execute.ts';
import { stateWriteError } from '../lib/state-file.ts';
import { JournalWriter, newRunId, readJournal, journalPath, type Journal, type JournalFailure, type JournalSubject, type RunStatus } from './journal.ts';
import { planQueueMembers, planSkills, rereadMembers, rereadSkills, type MembershipPlan } from './membership.ts';
import { buildPlan, writeCount, type Plan, type SubjectKind } from './plan.ts';
import type { OrganizationRow } from '../org/connection.ts';
import { readJunctions, type JunctionRow } from './resolve.ts';
import { existsSync } from 'node:fs';
import { commandPrefix, omniCommandLine } from '../lib/io.ts';

/**
 * Where the desired assignments come from: an assignment file, or the quick form (a configuration with
 * users, emails, profiles, permission sets, a SOQL condition on User and/or CSV files). Paths are
 * relative to the caller's cwd.
 */
export interface AssignmentSource {
  file?: string;
  config?: string;
  users?: string[];
  emails?: string[];
  profiles?: string[];
  permissionSets?: string[];
  where?: string;
  csv?: string[];
}

/**
 * Desired state from a file or the quick form; every problem at once, located. The file reader (assignment-file.ts,
 * with its zod schema) is loaded only for a file: the quick form (`--csv`, `--user`…) starts without zod.
 */
export async function loadDesired(from: AssignmentSource, cwd: string): Promise<{ desired: DesiredAssignments; source: string }> {
  const quick = Boolean(from.config || from.users?.length || from.emails?.length || from.profiles?.length || from.permissionSets?.length || from.where || from.csv?.length);
  if (from.file && quick) {
    throw catalogueError('UsageError', { variant: 'fileAndQuickFlags' });
  }
  let result: { desired?: DesiredAssignments; problems: ConfigProblem[] };
  let source: string;
  if (from.file) {
    const absolute = path.resolve(cwd, from.file);
    source = path.relative(cwd, absolute) || from.file;
    const { loadAssignmentFile } = await import('./assignment-file.ts');
    result = loadAssignmentFile(absolute, source);
  } else if (quick) {
    result = desiredFromFlags({ config: from.config, users: from.users, emails: from.emails, profiles: from.profiles, permissionSets: from.permissionSets, where: from.where, csv: from.csv, cwd });
    source = 'flags';
  } else {
    throw catalogueError('UsageError', { variant: 'nothingToAssign', actionTokens: [commandPrefix(), commandPrefix()] });
  }
  if (result.problems.length || !result.desired) {
    const problems = result.problems.map((p) => ({ location: formatOrigin(p.origin), message: p.message, hint: p.hint }));
    const listed = problems.map((p) => `  ${p.location}: ${p.message}${p.hint ? `\n      hint: ${p.hint}` : ''}`).join('\n');
    throw catalogueError('InvalidAssignments', { tokens: [countText('assign-output', 'count.problem', problems.length, [problems.length]), listed], data: { problems } });
  }
  return { desired: result.desired, source };
}

export interface PlanOutcome {
  plan: Plan;
  api: OrgApi;
  /** The current rows of every subject the plan changes (apply's first round needs no read); made on first use. */
  readonly known: Record<SubjectKind, Map<string, JunctionRow[]>>;
  configs: Record<string, string>;
  /** The Organization row, read with the plan when `organization` asked for it. */
  organization?: OrganizationRow;
}

/**
 * Reads the org and plans. `organization`: also read the Organization row in the same batch (apply needs
 * it for the production check; it then costs no request of its own).
 */
export async function planAssignments(session: OrgSession, desired: DesiredAssignments, options: { prune: boolean; retry?: RetryPolicy; organization?: boolean }): Promise<PlanOutcome> {
  const api = new OrgApi(session.connection, options.retry);
  const { plan, catalog, organization } = await buildPlan(api, { desired, prune: options.prune, organization: options.organization });
  // The current rows of every changing subject, for apply's first round; made when apply asks (a plan
  // alone never needs this second map of up to 100,000 subjects).
  const memberRows: Array<[SubjectKind, Map<string, JunctionRow[]>]> = [];
  let known: PlanOutcome['known'] | undefined;
  const knownRows = (): PlanOutcome['known'] => {
    if (known) return known;
    known = { user: new Map(), profile: new Map(), queueMember: new Map(), skill: new Map() };
    for (const item of plan.items) {
      if (item.action === 'unchanged' || item.kind === 'queueMember' || item.kind === 'skill') continue;
      known[item.kind].set(item.id, item.rowIds.length ? item.rowIds.map((id) => ({ id, configId: item.fromConfigId! })) : []);
    }
    for (const [kind, rows] of memberRows) for (const [id, held] of rows) known[kind].set(id, held);
    return known;
  };
  const configs = Object.fromEntries([...catalog.configsById].map(([id, c]) => [id, c.name]));
  // The queues: section: one subject per (user, queue), planned against GroupMember, same journal.
  if (desired.queues) {
    const members = await planQueueMembers(api, desired.queues, catalog, { prune: options.prune });
    mergeMembership(plan, members, 'queueMembers');
    memberRows.push(['queueMember', members.known]);
    Object.assign(configs, members.names);
  }
  // The skills: section: one subject per (user, skill) holding the skill at a level (ServiceResourceSkill).
  if (desired.skills) {
    const skills = await planSkills(api, desired.skills, catalog, { prune: options.prune });
    mergeMembership(plan, skills, 'skills');
    memberRows.push(['skill', skills.known]);
    Object.assign(configs, skills.names);
  }
  return {
    plan,
    api,
    get known() {
      return knownRows();
    },
    configs,
    organization,
  };
}

/** Conflicts stop everything before a write (exit 1), all listed. */
export function assertNoConflicts(plan: Plan): void {
  if (!plan.conflicts.length) return;
  // A SOQL condition the org refused (MALFORMED_QUERY, INVALID_FIELD) is a broken clause, not a conflict
  // between selections: its own error, with the org's reason and a fix about the clause. The other
  // conflicts are computed without that selector's users, so they wait until it is fixed.
  const conditions = plan.conflicts.filter((c) => c.code === 'INVALID_CONDITION');
  if (conditions.length) {
    const lines = conditions.map((c) => `  ${c.locations.join(', ')}: ${c.message}`);
    throw catalogueError('InvalidWhereCondition', { tokens: [countText('assign-output', 'count.condition', conditions.length, [conditions.length]), lines.join('\n')], data: { conflicts: conditions, inactive: plan.inactive, summary: plan.summary } });
  }
  const lines = plan.conflicts.map((c) => `  ${c.locations.join(', ')}: ${c.message}`);
  throw catalogueError('AssignmentConflicts', { tokens: [countText('assign-output', 'count.conflict', plan.conflicts.length, [plan.conflicts.length]), lines.join('\n')], actionTokens: [commandPrefix()], data: { conflicts: plan.conflicts, inactive: plan.inactive, summary: plan.summary } });
}

export interface RunReport {
  runId: string | null;
  journal: string | null;
  status: RunStatus | 'unchanged';
  summary: { subjects: number; done: number; failed: number; pending: number };
  failures: JournalFailure[];
  apiCalls: number;
  writes: number;
  resume?: string;
  undo?: string;
  /** For `omni assign undo`: the run it restored (the journal's `undoOf`). */
  undoOf?: string;
}

export interface ExecControl {
  signal?: { stopping: boolean };
  onProgress?: (done: number, total: number) => void;
  concurrency?: number;
  bulkThreshold?: number;
  retry?: RetryPolicy;
  /** Called once the journal is on disk (tests use it to interrupt at a known point). */
  onJournal?: (file: string) => void;
  /** The journal writer, once there is one (the signal handler flushes it on a forced exit). */
  onWriter?: (writer: JournalWriter) => void;
  /** Run id chosen up front (the org lock names it); a fresh one otherwise. */
  runId?: string;
  /** Rounds without progress per chunk before it is reported failed. */
  attempts?: number;
  /** How the user runs omni (`omni`, `sf omni`): the resume/undo hints name the commands with it. */
  commandPrefix?: string;
}

function orgOf(session: OrgSession): Journal['org'] {
  return { orgId: session.orgId, username: session.username, instanceUrl: session.instanceUrl, label: session.label };
}

/** Applies a plan (already checked for conflicts): journal first, then the writes. */
export async function applyPlan(session: OrgSession, outcome: PlanOutcome, options: ExecControl & { cwd: string; source: string }): Promise<RunReport> {
  const subjects: JournalSubject[] = outcome.plan.items
    .filter((i) => i.action !== 'unchanged')
    .map((i) => ({ kind: i.kind, id: i.id, name: i.name, prior: i.fromConfigId, target: i.toConfigId, status: 'pending' }));
  if (!subjects.length) {
    return { runId: null, journal: null, status: 'unchanged', summary: { subjects: 0, done: 0, failed: 0, pending: 0 }, failures: [], apiCalls: outcome.api.stats.calls, writes: 0 };
  }
  const journal = newJournal(session, options.cwd, 'apply', options.source, outcome.configs, subjects, undefined, options.runId);
  return runJournal(outcome.api, new JournalWriter(options.cwd, journal), options, outcome.known);
}

function newJournal(session: OrgSession, cwd: string, command: Journal['command'], source: string, configs: Record<string, string>, subjects: JournalSubject[], undoOf?: string, presetRunId?: string): Journal {
  if (presetRunId) return journalOf(session, command, source, configs, subjects, presetRunId, undoOf);
  let runId = newRunId(session.label || session.orgId);
  // Two runs in the same millisecond (scripts) must not share a journal.
  for (let n = 2; existsSync(journalPath(cwd, runId)); n++) runId = `${newRunId(session.label || session.orgId)}-${n}`;
  return journalOf(session, command, source, configs, subjects, runId, undoOf);
}

function journalOf(session: OrgSession, command: Journal['command'], source: string, configs: Record<string, string>, subjects: JournalSubject[], runId: string, undoOf?: string): Journal {
  const now = new Date().toISOString();
  return { version: 1, runId, command, createdAt: now, updatedAt: now, status: 'running', org: orgOf(session), source, ...(undoOf ? { undoOf } : {}), configs, subjects, steps: [], bulkJobs: [], failures: [], resumes: [] };
}

/** A run id for a run about to start (unique in the project's journal folder). */
export function reserveRunId(session: OrgSession, cwd: string): string {
  let runId = newRunId(session.label || session.orgId);
  for (let n = 2; existsSync(journalPath(cwd, runId)); n++) runId = `${newRunId(session.label || session.orgId)}-${n}`;
  return runId;
}

async function runJournal(api: OrgApi, writer: JournalWriter, options: ExecControl & { cwd: string }, known?: PlanOutcome['known']): Promise<RunReport> {
  const journal = writer.journal;
  const file = path.relative(options.cwd, writer.file) || writer.file;
  const resume = omniCommandLine(options, `assign resume ${journal.runId}`);
  const undo = omniCommandLine(options, `assign undo ${journal.runId}`);
  journal.status = 'running';
  // Nothing is sent before the journal (the prior state of every subject) is on disk and synced.
  try {
    writer.flush();
  } catch (error) {
    throw stateWriteError(file, error);
  }
  options.onJournal?.(writer.file);
  options.onWriter?.(writer);
  const signal = options.signal ?? { stopping: false };
  // A journal write that fails mid-run (disk full) stops the run: nothing more is sent that it can't record.
  writer.onError = () => (signal.stopping = true);
  let result;
  try {
    result = await executeJournal(api, writer, { signal, known, onProgress: options.onProgress, concurrency: options.concurrency, bulkThreshold: options.bulkThreshold, attempts: options.attempts });
  } catch (error) {
    journal.status = 'interrupted';
    const saved = tryFlush(writer);
    const counts = countSubjects(journal);
    const state = [counts.done, counts.subjects, counts.pending];
    if (error instanceof SessionLost) {
      throw catalogueError('ExpiredSession', {
        variant: saved ? 'run' : 'runUnsaved',
        tokens: [error.code, error.message, ...state, ...(saved ? [] : [file])],
        actionTokens: [resume, undo],
        cause: error,
        data: { runId: journal.runId, journal: file, status: journal.status, summary: counts, resume, undo },
      });
    }
    throw catalogueError('RunFailed', {
      tokens: [(error as Error).message, ...state],
      actionTokens: [resume, undo],
      cause: error,
      data: { runId: journal.runId, journal: file, summary: counts, resume, undo },
    });
  }
  const counts = countSubjects(journal);
  journal.status = result.interrupted || counts.pending ? 'interrupted' : counts.failed === 0 ? 'completed' : counts.done === 0 ? 'failed' : 'partial';
  const failedBefore = writer.error;
  const saved = tryFlush(writer);
  if (failedBefore !== undefined || !saved) {
    const failure = failedBefore ?? writer.error ?? new Error('write failed');
    throw stateWriteError(file, failure, { variant: saved ? 'midRun' : 'midRunStale', tokens: [counts.done, counts.subjects, counts.pending + counts.failed], actionTokens: [resume, undo] });
  }
  return report(journal, api.stats, options.cwd, options.commandPrefix);
}

/** Flushes; false (error kept on the writer) when the file can't be written. */
function tryFlush(writer: JournalWriter): boolean {
  try {
    writer.flush();
    return true;
  } catch (error) {
    writer.error = error;
    return false;
  }
}

function countSubjects(journal: Journal) {
  const c = { subjects: journal.subjects.length, done: 0, failed: 0, pending: 0 };
  for (const s of journal.subjects) c[s.status === 'done' ? 'done' : s.status === 'failed' ? 'failed' : 'pending']++;
  return c;
}

function report(journal: Journal, stats: ApiStats, cwd: string, commandPrefix?: string): RunReport {
  return {
    runId: journal.runId,
    journal: path.relative(cwd, journalPath(cwd, journal.runId)),
    status: journal.status,
    summary: countSubjects(journal),
    failures: journal.failures,
    apiCalls: stats.calls,
    writes: stats.writes,
    resume: omniCommandLine({ commandPrefix }, `assign resume ${journal.runId}`),
    undo: omniCommandLine({ commandPrefix }, `assign undo ${journal.runId}`),
    ...(journal.undoOf ? { undoOf: journal.undoOf } : {}),
  };
}

export function exitStatus(report: RunReport): number {
  if (report.status === 'unchanged' || report.status === 'completed') return ExitCode.Ok;
  if (report.status === 'interrupted' && report.summary.pending) return report.summary.done ? ExitCode.Partial : ExitCode.Failed;
  if (report.status === 'failed') return ExitCode.Failed;
  return ExitCode.Partial;
}

function checkOrg(journal: Journal, session: OrgSession): void {
  if (journal.org.orgId && session.orgId && journal.org.orgId.slice(0, 15) !== session.orgId.slice(0, 15)) {
    throw catalogueError('WrongOrg', { tokens: [journal.runId, journal.org.label, journal.org.orgId, session.label, session.orgId], actionTokens: [journal.org.label] });
  }
}

/** Bulk jobs a killed run left behind must finish (or be aborted) before the org is re-read. */
async function settleBulkJobs(api: OrgApi, writer: JournalWriter): Promise<void> {
  for (const job of writer.journal.bulkJobs) {
    if (['JobComplete', 'Failed', 'Aborted'].includes(job.state)) continue;
    try {
      const info = await api.retried(() => api.call<{ state: string }>('GET', `${api.base}/jobs/ingest/${job.id}`));
      if (info.state === 'Open') {
        await api.retried(() => api.call('PATCH', `${api.base}/jobs/ingest/${job.id}`, { state: 'Aborted' }));
        job.state = 'Aborted';
      } else job.state = await waitForJob(api, job.id);
    } catch {
      job.state = 'Unknown';
    }
  }
  writer.flush();
}

async function currentRows(api: OrgApi, subjects: JournalSubject[]): Promise<PlanOutcome['known']> {
  const userIds = subjects.filter((s) => s.kind === 'user').map((s) => s.id);
  const profileIds = subjects.filter((s) => s.kind === 'profile').map((s) => s.id);
  const memberIds = subjects.filter((s) => s.kind === 'queueMember').map((s) => s.id);
  const skillIds = subjects.filter((s) => s.kind === 'skill').map((s) => s.id);
  const known: PlanOutcome['known'] = { user: new Map(), profile: new Map(), queueMember: new Map(), skill: new Map() };
  if (userIds.length || profileIds.length) {
    const state = await readJunctions(api, { userIds });
    for (const id of userIds) known.user.set(id, state.userRows.get(id) ?? []);
    for (const id of profileIds) known.profile.set(id, state.profileRows.get(id) ?? []);
  }
  if (memberIds.length) known.queueMember = await rereadMembers(api, memberIds);
  if (skillIds.length) known.skill = await rereadSkills(api, skillIds);
  return known;
}

/** Adds membership (queue or skill) items, conflicts and counts to a plan (after the assignments). */
function mergeMembership(plan: Plan, members: MembershipPlan, count: 'queueMembers' | 'skills'): void {
  plan.items.push(...members.items);
  plan.conflicts.push(...members.conflicts);
  plan.inactive.push(...members.inactive);
  plan.warnings.push(...members.warnings);
  for (const item of members.items) plan.summary[item.action]++;
  plan.summary[count] = members.items.length;
}

/** Continues an interrupted or partial run towards its targets (re-reading the org first). */
export async function resumeRun(session: OrgSession, runId: string, options: ExecControl & { cwd: string }): Promise<RunReport> {
  const journal = readJournal(options.cwd, runId);
  checkOrg(journal, session);
  const api = new OrgApi(session.connection, options.retry);
  const writer = new JournalWriter(options.cwd, journal);
  await settleBulkJobs(api, writer);
  journal.resumes.push({ at: new Date().toISOString(), status: journal.status });
  const open = journal.subjects.filter((s) => s.status !== 'done');
  for (const s of open) s.status = 'pending';
  const known = await currentRows(api, open);
  return runJournal(api, writer, options, known);
}

/** Restores every subject a run touched to what it held before; journalled as a run of its own. */
export async function undoRun(session: OrgSession, runId: string, options: ExecControl & { cwd: string }): Promise<RunReport> {
  const original = readJournal(options.cwd, runId);
  checkOrg(original, session);
  const api = new OrgApi(session.connection, options.retry);
  await settleBulkJobs(api, new JournalWriter(options.cwd, original));
  const known = await currentRows(api, original.subjects);
  const subjects: JournalSubject[] = [];
  for (const s of original.subjects) {
    const rows = known[s.kind]?.get(s.id) ?? [];
    const matches = s.prior === null ? rows.length === 0 : rows.length === 1 && rows[0].configId === s.prior;
    if (matches) continue;
    subjects.push({ kind: s.kind, id: s.id, name: s.name, prior: rows[0]?.configId ?? null, target: s.prior, status: 'pending' });
  }
  if (!subjects.length) {
    return { runId: null, journal: null, status: 'unchanged', summary: { subjects: 0, done: 0, failed: 0, pending: 0 }, failures: [], apiCalls: api.stats.calls, writes: 0, undoOf: runId };
  }
  // Configurations are named from the current org when the original journal lacks one.
  const journal = newJournal(session, options.cwd, 'undo', `undo ${runId}`, original.configs, subjects, runId, options.runId);
  return runJournal(api, new JournalWriter(options.cwd, journal), options, known);
}

export { writeCount };
