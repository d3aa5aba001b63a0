/**
 * The assignment engines, one per command: `omni assign plan|apply|resume|undo|export` and
 * `omni access check`. Each takes the org session its command resolved (once), typed options (never
 * flags) and the caller's io, and returns `{ status, result }`: the exit code and the typed result the
 * command prints (`schemas/<command>.json` is generated from these result types).
 */
import path from 'node:path';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { assertOutputWritable, outputWriteError } from '../lib/state-file.ts';
import type { EngineIo } from '../lib/io.ts';
import { catalogueError, countText, messageText, warningText } from '../lib/messages.ts';
import type { OrgSession } from '../org/connection.ts';
import type { AccessReport } from './access.ts';
import type { DesiredAssignments } from './config.ts';
import type { ExportedAssignments } from './export.ts';
import { concurrencyFrom, runExitCode, trapInterrupt, withOrgLock } from './interrupt.ts';
import type { Plan } from './plan.ts';
import type { RunReport } from './run.ts';

/** What a command gets back from an engine: its exit code and its `--json` result. */
export interface EngineOutcome<R> {
  status: number;
  result: R;
}

export interface AssignPlanRequest {
  desired: DesiredAssignments;
  /** Also remove the managed configurations from users and profiles the source does not select. */
  prune: boolean;
}

/**
 * `omni assign plan`: what apply would change, per user, profile, queue member and skill. Conflicts
 * (unknown names, a subject selected twice) throw `AssignmentConflicts` (exit 1), a SOQL condition the org
 * rejects `InvalidWhereCondition` (exit 1); the plan's warnings go
 * to `io.warn`. Reads only.
 */
export async function assignPlan(session: OrgSession, request: AssignPlanRequest, io: Pick<EngineIo, 'warn'>): Promise<EngineOutcome<Plan>> {
  const { planAssignments, assertNoConflicts } = await import('./run.ts');
  const { plan } = await planAssignments(session, request.desired, { prune: request.prune });
  assertNoConflicts(plan);
  for (const w of plan.warnings) io.warn(w);
  return { status: 0, result: plan };
}

/** `omni assign apply --json`: the run's report with the plan's counts, or (dry run) the plan itself. */
export type ApplyResult = (RunReport & { plan: Plan['summary'] }) | (Plan & { dryRun: true });

export interface AssignApplyRequest extends AssignPlanRequest {
  /** Where the desired state came from (the assignment file, or "flags"): recorded in the journal. */
  source: string;
  /** Only plan (as `omni assign plan`). */
  dryRun: boolean;
  /** Production orgs: no confirmation asked (scripts and CI). */
  noPrompt: boolean;
  /** Wait for another run holding the org's lock instead of stopping with RunInProgress. */
  wait: boolean;
}

/**
 * `omni assign apply`: under the org lock, plan, confirm on production, journal, then write (moves
 * atomic per chunk). SIGINT/SIGTERM stop new requests and end with 130/143 and the journal written.
 * Exit 0 done or unchanged, 68 partial, 1 failed. Requests in flight: OMNI_ASSIGN_CONCURRENCY in `io.env`.
 */
export async function assignApply(session: OrgSession, request: AssignApplyRequest, io: EngineIo): Promise<EngineOutcome<ApplyResult>> {
  const { planAssignments, assertNoConflicts, applyPlan, exitStatus, writeCount, reserveRunId } = await import('./run.ts');
  const { describeOrg, confirmOrgChange } = await import('../org/connection.ts');
  if (request.dryRun) {
    const outcome = await planAssignments(session, request.desired, { prune: request.prune });
    assertNoConflicts(outcome.plan);
    for (const w of outcome.plan.warnings) io.warn(w);
    return { status: 0, result: { ...outcome.plan, dryRun: true as const } };
  }
  const trap = trapInterrupt(io.ui, { commandPrefix: io.commandPrefix });
  try {
    // The lock covers the plan too: a second run waits (--wait) and then plans from the first one's result.
    const runId = reserveRunId(session, io.cwd);
    return await withOrgLock(io, session, { command: 'assign apply', runId, wait: request.wait, trap }, async () => {
      const outcome = await planAssignments(session, request.desired, { prune: request.prune, organization: true });
      assertNoConflicts(outcome.plan);
      for (const w of outcome.plan.warnings) io.warn(w);
      const writes = writeCount(outcome.plan);
      if (writes > 0) {
        // The plan has just read PresenceUserConfig: Omni-Channel is on (its objects don't exist otherwise),
        // and the Organization row with it.
        const info = await describeOrg(session, { omniEnabled: true, organization: outcome.organization });
        if (!info.omniEnabled) throw catalogueError('OmniChannelDisabled', { variant: 'assign', tokens: [session.label] });
        const changes = outcome.plan.summary.create + outcome.plan.summary.move + outcome.plan.summary.remove;
        await confirmOrgChange(info, session, {
          noPrompt: request.noPrompt,
          action: countText('assign-output', 'confirm.apply', changes, [changes]),
          confirm: (q) => io.ui.confirm(q),
          interactive: io.ui.interactive,
        });
      }
      if (trap.signal.stopping) throw catalogueError('Interrupted', { exitCode: trap.exitCode });
      for (const i of outcome.plan.inactive) io.warn(warningText('InactiveUserSkipped', [i.username, i.via, i.location]));
      const total = outcome.plan.items.filter((i) => i.action !== 'unchanged').length;
      const bar = total > 200 ? io.ui.progress('Assigning', total) : undefined;
      const report = await applyPlan(session, outcome, {
        cwd: io.cwd,
        source: request.source,
        runId,
        signal: trap.signal,
        onWriter: (w) => trap.attach(w),
        concurrency: concurrencyFrom(io.env),
        commandPrefix: io.commandPrefix,
        onProgress: (done) => bar?.update(done),
      });
      bar?.done();
      return { status: runExitCode(trap, report, exitStatus), result: { ...report, plan: outcome.plan.summary } };
    });
  } finally {
    trap.release();
  }
}

export interface AssignResumeRequest {
  /** The run id apply printed (a file name in .omni/runs without .json). */
  runId: string;
  /** Wait for another run holding the org's lock instead of stopping with RunInProgress. */
  wait: boolean;
}

/** `omni assign resume`: continues an interrupted or partial run from its journal, under the org lock. */
export async function assignResume(session: OrgSession, request: AssignResumeRequest, io: EngineIo): Promise<EngineOutcome<RunReport>> {
  const { resumeRun, exitStatus } = await import('./run.ts');
  const trap = trapInterrupt(io.ui, { commandPrefix: io.commandPrefix });
  try {
    return await withOrgLock(io, session, { command: 'assign resume', runId: request.runId, wait: request.wait, trap }, async () => {
      const report = await resumeRun(session, request.runId, { cwd: io.cwd, signal: trap.signal, onWriter: (w) => trap.attach(w), concurrency: concurrencyFrom(io.env), commandPrefix: io.commandPrefix });
      return { status: runExitCode(trap, report, exitStatus), result: report };
    });
  } finally {
    trap.release();
  }
}

export interface AssignUndoRequest extends AssignResumeRequest {
  /** Production orgs: no confirmation asked (scripts and CI). */
  noPrompt: boolean;
}

/**
 * `omni assign undo`: restores what a run changed (confirmed on production unless `noPrompt`), journalled
 * as a run of its own, under the org lock.
 */
export async function assignUndo(session: OrgSession, request: AssignUndoRequest, io: EngineIo): Promise<EngineOutcome<RunReport>> {
  const { undoRun, exitStatus, reserveRunId } = await import('./run.ts');
  const { describeOrg, confirmOrgChange } = await import('../org/connection.ts');
  const info = await describeOrg(session);
  await confirmOrgChange(info, session, { noPrompt: request.noPrompt, action: messageText('assign-output', 'confirm.undo', [request.runId]), confirm: (q) => io.ui.confirm(q), interactive: io.ui.interactive });
  const trap = trapInterrupt(io.ui, { commandPrefix: io.commandPrefix });
  try {
    const runId = reserveRunId(session, io.cwd);
    return await withOrgLock(io, session, { command: 'assign undo', runId, wait: request.wait, trap }, async () => {
      const report = await undoRun(session, request.runId, { cwd: io.cwd, runId, signal: trap.signal, onWriter: (w) => trap.attach(w), concurrency: concurrencyFrom(io.env), commandPrefix: io.commandPrefix });
      return { status: runExitCode(trap, report, exitStatus), result: report };
    });
  } finally {
    trap.release();
  }
}

/** `omni assign export --json`: the org's assignments and queue members, the file written, counts. */
export type ExportResult = ExportedAssignments & { written?: string; counts: { users: number; profiles: number; queueMembers: number } };

export interface AssignExportRequest {
  /** Also write them to `file` (relative to io.cwd) as CSV (username,presenceConfig) or an assignment file. */
  write?: { format: 'csv' | 'yaml'; file: string };
}

/** `omni assign export`: reads the org's assignments; the file (mode 0600, atomic) when asked. */
export async function assignExport(session: OrgSession, request: AssignExportRequest, io: Pick<EngineIo, 'cwd'>): Promise<EngineOutcome<ExportResult>> {
  const { OrgApi } = await import('./api.ts');
  const { readAssignments, toCsv, toYaml } = await import('./export.ts');
  const absolute = request.write ? path.resolve(io.cwd, request.write.file) : undefined;
  // The file can be written before the org is read (up to 100,000 rows), not only after.
  if (request.write && absolute) assertOutputWritable(absolute, request.write.file);
  const data = await readAssignments(new OrgApi(session.connection));
  let written: string | undefined;
  if (request.write && absolute) {
    const schemaPath = path.relative(path.dirname(absolute), path.resolve(io.cwd, 'config/assignments/assignments.schema.json')).split(path.sep).join('/');
    const text = request.write.format === 'csv' ? toCsv(data) : toYaml(data, schemaPath.startsWith('.') ? schemaPath : `./${schemaPath}`, session.label);
    // Usernames: not world-readable; atomic so a failed export never truncates a previous backup.
    const tmp = `${absolute}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(absolute), { recursive: true });
      writeFileSync(tmp, text, { mode: 0o600 });
      renameSync(tmp, absolute);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw outputWriteError(request.write.file, error);
    }
    written = path.relative(io.cwd, absolute);
  }
  return { status: 0, result: { ...data, ...(written ? { written } : {}), counts: { users: data.users.length, profiles: data.profiles.length, queueMembers: data.queueMembers.length } } };
}

export interface AccessCheckRequest {
  /** The assignment file's desired state: whose access to check (absent: every user holding a configuration). */
  desired?: DesiredAssignments;
}

/**
 * `omni access check`: which agents can go online (a granted status with a channel) and which cannot use
 * a status their configuration switches to; exit 1 when one cannot go online. Problems go to `io.warn`.
 * `desired`: the assignment file's users; without it, every user holding a configuration.
 */
export async function accessCheck(session: OrgSession, request: AccessCheckRequest, io: Pick<EngineIo, 'warn'>): Promise<EngineOutcome<AccessReport>> {
  const { OrgApi } = await import('./api.ts');
  const { checkAccess } = await import('./access.ts');
  const report = await checkAccess(new OrgApi(session.connection), request.desired);
  for (const p of report.problems) io.warn(p);
  return { status: report.summary.cannotGoOnline ? 1 : 0, result: report };
}
