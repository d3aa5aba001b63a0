/**
 * What keeps a writing run safe in its process: SIGINT/SIGTERM handling (journal written, exit 130/143)
 * and the org lock held for the run. Used by the assign engines and omni setup.
 */
import { type EngineIo, type EngineUi, omniCommandLine } from '../lib/io.ts';
import type { OrgSession } from '../org/connection.ts';
import type { JournalWriter } from './journal.ts';
import type { RunReport } from './run.ts';
import { messageText } from '../lib/messages.ts';
import { onStopSignals, signalExitCode } from '../lib/signals.ts';

/**
 * Requests in flight (default 5). OMNI_ASSIGN_CONCURRENCY lowers it for orgs with tight concurrent-request
 * limits or busy hours (1–10).
 */
export function concurrencyFrom(env: NodeJS.ProcessEnv): number | undefined {
  const n = Number(env.OMNI_ASSIGN_CONCURRENCY);
  return Number.isInteger(n) && n >= 1 && n <= 10 ? n : undefined;
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
export function trapInterrupt(ui: Pick<EngineUi, 'error'>, options: { graceMs?: number; exit?: (code: number) => void; commandPrefix?: string } = {}): Interrupt {
  const signal = { stopping: false };
  // Read now, not in the handler: loading the bundle there would hold up the exit a second signal asks
  // for (seconds on a loaded machine); the handler's other texts then come from the loaded bundle.
  const again = { SIGINT: messageText('assign-output', 'interrupt.again.sigint'), SIGTERM: messageText('assign-output', 'interrupt.again.signal') };
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
      untrap();
    },
  };
  const forceExit = (why: string) => {
    const code = state.exitCode ?? 130;
    if (writer) {
      writer.journal.status = 'interrupted';
      try {
        writer.flush();
      } catch (error) {
        ui.error(messageText('assign-output', 'interrupt.journalNotWritten', [writer.file, (error as Error).message]));
      }
      const runId = writer.journal.runId;
      ui.error(messageText('assign-output', 'interrupt.journalWritten', [why, omniCommandLine(options, `assign resume ${runId}`), omniCommandLine(options, `assign undo ${runId}`)]));
    } else ui.error(messageText('assign-output', 'interrupt.nothingWritten', [why]));
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
    if (signal.stopping) return forceExit(messageText('assign-output', 'interrupt.stoppedAtOnce', [name]));
    state.exitCode = signalExitCode(name);
    signal.stopping = true;
    ui.error(messageText('assign-output', 'interrupt.waiting', [name, Math.round((options.graceMs ?? STOP_GRACE_MS) / 1000), again[name]]));
    timer = setTimeout(() => forceExit(messageText('assign-output', 'interrupt.stillInFlight', [Math.round((options.graceMs ?? STOP_GRACE_MS) / 1000)])), options.graceMs ?? STOP_GRACE_MS);
    timer.unref();
  };
  const untrap = onStopSignals(handler);
  return state;
}

/** The run's exit code: 130/143 when a signal stopped it, otherwise from the report. */
export function runExitCode(trap: Interrupt, report: RunReport, fromReport: (r: RunReport) => number): number {
  if (trap.exitCode !== undefined && report.status === 'interrupted') return trap.exitCode;
  return fromReport(report);
}

/**
 * Runs `fn` holding the org's lock (see lock.ts) with `runId`; released when `fn` ends or the process is
 * forced to exit by a signal. `wait`: wait for a run holding the lock instead of refusing (RunInProgress).
 */
export async function withOrgLock<T>(io: Pick<EngineIo, 'cwd' | 'ui' | 'warn' | 'commandPrefix'>, session: OrgSession, options: { command: string; runId: string; wait: boolean; trap?: Interrupt }, fn: () => Promise<T>): Promise<T> {
  const { command, runId, trap } = options;
  const { acquireOrgLock } = await import('./lock.ts');
  const lock = await acquireOrgLock(io.cwd, {
    org: session.orgId || session.instanceUrl,
    label: session.label,
    runId,
    command,
    wait: options.wait,
    warn: (m) => io.warn(m),
    commandPrefix: io.commandPrefix,
    onWait: (owner) => io.ui.info(messageText('assign-output', 'lock.waiting', [owner.runId, omniCommandLine(io, owner.command), owner.pid])),
    signal: trap?.signal,
  });
  trap?.onExit(() => lock.release());
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

