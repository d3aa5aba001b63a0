/** Flags, connection, signal handling and rendering shared by the `omni assign …` commands. */
import type { CommandContext, FlagDefinition, OutputDetail } from '../cli/command.ts';
import type { Ui } from '../lib/io.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { OrgSession } from '../org/connection.ts';
import type { JournalWriter } from './journal.ts';
import type { Plan } from './plan.ts';
import type { RunReport, SourceFlags } from './run.ts';

export const SOURCE_FLAGS: Record<string, FlagDefinition> = {
  file: { type: 'string', short: 'f', valueName: 'FILE' },
  config: { type: 'string', valueName: 'NAME' },
  user: { type: 'string', multiple: true, valueName: 'USERNAME' },
  email: { type: 'string', multiple: true, valueName: 'EMAIL' },
  profile: { type: 'string', multiple: true, valueName: 'NAME' },
  'permission-set': { type: 'string', multiple: true, valueName: 'NAME' },
  where: { type: 'string', valueName: 'CONDITION' },
  csv: { type: 'string', multiple: true, valueName: 'FILE' },
  prune: { type: 'boolean', default: false },
  ...ORG_FLAGS,
};

export const RUN_RESULT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    runId: { type: ['string', 'null'] },
    journal: { type: ['string', 'null'] },
    status: { enum: ['unchanged', 'completed', 'partial', 'interrupted', 'failed', 'running'] },
    summary: { type: 'object' },
    failures: {
      type: 'array',
      items: { type: 'object', properties: { kind: { enum: ['user', 'profile', 'queueMember', 'skill'] }, name: { type: 'string' }, configuration: { type: ['string', 'null'] }, errorCode: { type: 'string' }, message: { type: 'string' } } },
    },
    apiCalls: { type: 'integer' },
    writes: { type: 'integer' },
  },
};

/**
 * Requests in flight (default 5). OMNI_ASSIGN_CONCURRENCY lowers it for orgs with tight concurrent-request
 * limits or busy hours (1–10).
 */
export function concurrencyFrom(env: NodeJS.ProcessEnv): number | undefined {
  const n = Number(env.OMNI_ASSIGN_CONCURRENCY);
  return Number.isInteger(n) && n >= 1 && n <= 10 ? n : undefined;
}

export function sourceFlags(ctx: CommandContext): SourceFlags {
  const f = ctx.flags;
  return {
    file: f.file as string | undefined,
    config: f.config as string | undefined,
    user: f.user as string[] | undefined,
    email: f.email as string[] | undefined,
    profile: f.profile as string[] | undefined,
    'permission-set': f['permission-set'] as string[] | undefined,
    where: f.where as string | undefined,
    csv: f.csv as string[] | undefined,
  };
}

/** How long the first signal waits for requests in flight before the journal is written and the process exits. */
export const STOP_GRACE_MS = 10_000;

export interface Interrupt {
  signal: { stopping: boolean };
  /** 130 after SIGINT, 143 after SIGTERM, undefined before any signal. */
  exitCode: number | undefined;
  /** The journal to write on a forced exit. */
  attach(writer: JournalWriter): void;
  /** Run on a forced exit (lock release), synchronously. */
  onExit(fn: () => void): void;
  release(): void;
}

/**
 * SIGINT/SIGTERM. The first one stops new requests and waits at most STOP_GRACE_MS for those in flight:
 * the run then ends normally (journal written, exit 130/143 with the resume and undo commands); if the
 * requests are still hanging when the time is up, the journal is written as it stands and the process
 * exits. A second signal does that at once. Moves are atomic, so neither leaves anyone without a
 * configuration: an unanswered request is re-read by resume.
 */
export function trapInterrupt(ui: Ui, options: { graceMs?: number; exit?: (code: number) => void } = {}): Interrupt {
  const signal = { stopping: false };
  let writer: JournalWriter | undefined;
  const exitHooks: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const state: Interrupt = {
    signal,
    exitCode: undefined,
    attach: (w) => (writer = w),
    onExit: (fn) => exitHooks.push(fn),
    release() {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
  const forceExit = (why: string) => {
    const code = state.exitCode ?? 130;
    if (writer) {
      writer.journal.status = 'interrupted';
      try {
        writer.flush();
      } catch (error) {
        ui.error(`Could not write the journal ${writer.file}: ${(error as Error).message}`);
      }
      const runId = writer.journal.runId;
      ui.error(`${why}; journal written. Continue: omni assign resume ${runId}  ·  Restore: omni assign undo ${runId}`);
    } else ui.error(`${why}; nothing was written to the org.`);
    for (const fn of exitHooks) {
      try {
        fn();
      } catch {
        // exiting anyway
      }
    }
    exit(code);
  };
  const handler = (name: 'SIGINT' | 'SIGTERM') => {
    if (signal.stopping) return forceExit(`Stopped at once (second ${name})`);
    state.exitCode = name === 'SIGINT' ? 130 : 143;
    signal.stopping = true;
    ui.error(`Interrupted (${name}): no new requests; waiting up to ${Math.round((options.graceMs ?? STOP_GRACE_MS) / 1000)} s for those in flight, then writing the journal (${name === 'SIGINT' ? 'Ctrl-C' : 'signal'} again to stop now)…`);
    timer = setTimeout(() => forceExit(`Requests still in flight after ${Math.round((options.graceMs ?? STOP_GRACE_MS) / 1000)} s`), options.graceMs ?? STOP_GRACE_MS);
    timer.unref();
  };
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return state;
}

/** The run's exit code: 130/143 when a signal stopped it, otherwise from the report. */
export function runExitCode(trap: Interrupt, report: RunReport, fromReport: (r: RunReport) => number): number {
  if (trap.exitCode !== undefined && report.status === 'interrupted') return trap.exitCode;
  return fromReport(report);
}

export const LOCK_FLAGS: Record<string, FlagDefinition> = {
  wait: { type: 'boolean', default: false },
};

/**
 * Runs `fn` holding the org's lock (see lock.ts) with `runId`; released when `fn` ends or the process is
 * forced to exit by a signal.
 */
export async function withOrgLock<T>(ctx: CommandContext, session: OrgSession, trap: Interrupt | undefined, command: string, runId: string, fn: () => Promise<T>): Promise<T> {
  const { acquireOrgLock } = await import('./lock.ts');
  const lock = await acquireOrgLock(ctx.cwd, {
    org: session.orgId || session.instanceUrl,
    label: session.label,
    runId,
    command,
    wait: Boolean(ctx.flags.wait),
    warn: (m) => ctx.warn(m),
    onWait: (owner) => ctx.ui.info(`Waiting for run ${owner.runId} (omni ${owner.command}, PID ${owner.pid}) to finish…`),
    signal: trap?.signal,
  });
  trap?.onExit(() => lock.release());
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/**
 * The plan for a person: each changed row (verbose: every row), or with detail 'concise' one line per
 * presence configuration with its counts (`to` for create/move/unchanged, `from` for remove).
 */
export function renderPlan(plan: Plan, ui: Ui, options: { detail?: OutputDetail } = {}): void {
  if (options.detail === 'concise') {
    renderPlanByConfiguration(plan, ui);
  } else {
    renderPlanRows(plan, ui, options.detail === 'verbose');
  }
  for (const i of plan.inactive.slice(0, 50)) ui.info(`Skipped inactive user ${i.username} (${i.via}, ${i.location}).`);
  if (plan.inactive.length > 50) ui.info(`… ${plan.inactive.length - 50} more inactive users skipped.`);
  const s = plan.summary;
  ui.log(`Plan: ${s.create} to create, ${s.move} to move, ${s.remove} to remove, ${s.unchanged} unchanged (${count(s.users, 'user')}, ${count(s.profiles, 'profile')}${s.queueMembers ? `, ${count(s.queueMembers, 'queue membership')}` : ''}${s.skills ? `, ${count(s.skills, 'agent skill')}` : ''}).`);
}

/** One row per (configuration, kind): how many users/profiles it gains, moves in, loses and keeps. */
function renderPlanByConfiguration(plan: Plan, ui: Ui): void {
  const rows = new Map<string, { configuration: string; kind: string; create: number; move: number; remove: number; unchanged: number }>();
  for (const i of plan.items) {
    const configuration = (i.action === 'remove' ? i.from : i.to) ?? 'none';
    const key = `${configuration}\0${i.kind}`;
    const row = rows.get(key) ?? { configuration, kind: i.kind, create: 0, move: 0, remove: 0, unchanged: 0 };
    row[i.action]++;
    rows.set(key, row);
  }
  ui.table(
    [...rows.values()].sort((a, b) => a.configuration.localeCompare(b.configuration) || a.kind.localeCompare(b.kind)),
    ['configuration', 'kind', 'create', 'move', 'remove', 'unchanged'],
  );
}

function renderPlanRows(plan: Plan, ui: Ui, verbose: boolean): void {
  const changed = plan.items.filter((i) => i.action !== 'unchanged');
  const shown = verbose ? plan.items : changed;
  const limit = 200;
  if (shown.length) {
    ui.table(
      shown.slice(0, limit).map((i) => ({ kind: i.kind, name: i.name, action: i.action, from: i.from ?? '—', to: i.to ?? '—', effective: i.kind === 'user' ? `${i.effective ?? 'none'}${i.effectiveSource ? ` (${i.effectiveSource})` : ''}` : '' })),
      ['kind', 'name', 'action', 'from', 'to', 'effective'],
    );
    if (shown.length > limit) ui.log(`… and ${shown.length - limit} more (use --concise for one line per configuration, --json for all).`);
  }
}

export function renderRun(report: RunReport, ui: Ui): void {
  if (report.status === 'unchanged') {
    ui.log('Nothing to change: the org already matches.');
    return;
  }
  const s = report.summary;
  for (const f of report.failures.slice(0, 100)) ui.log(`FAILED ${f.kind} ${f.name} → ${f.configuration ?? 'none'}: ${f.errorCode}: ${f.message}`);
  if (report.failures.length > 100) ui.log(`… ${report.failures.length - 100} more failures (see --json or the journal).`);
  ui.log(`Run ${report.runId} ${report.status}: ${s.done} done, ${s.failed} failed, ${s.pending} pending (${report.apiCalls} API calls).`);
  if (report.status !== 'completed') {
    ui.log(`Continue: ${report.resume}`);
    ui.log(`Restore the prior state: ${report.undo}`);
  }
  ui.log(`Journal: ${report.journal}`);
}

/** "1 user", "2 users". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
