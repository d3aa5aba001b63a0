/**
 * SIGINT/SIGTERM during `omni deploy`. A Metadata API deployment, once queued, runs on in the org whatever
 * happens to this process (as after `sf project deploy start` is interrupted); so a signal never leaves the
 * user guessing. Before the deploy request nothing was sent: say so, exit. While it is being sent the org
 * may queue it, so the first signal waits for its id (a second one stops at once). Once the id is known
 * (saved in `.omni/deploys/last.json` before the first poll) polling stops and the run ends normally with
 * 130 (SIGINT) or 143 (SIGTERM): the id, `deploy report` / `deploy resume`, the record settings left unset,
 * and the --json envelope. After the deployment finished (record settings being set) it exits at once,
 * saying what is left.
 */
import { type EngineIo, type EngineUi, omniCommandLine } from '../lib/io.ts';
import { messageText } from '../lib/messages.ts';
import { onStopSignals, signalExitCode, type StopSignal } from '../lib/signals.ts';

/** Where the deploy stands, as the trap needs it. */
export interface DeployInterrupt {
  /** The deploy request is about to go out: a signal from now on waits for the job id. */
  sending(): void;
  /** The org queued the deployment `id` and its record (last.json) is saved: a signal now stops polling. */
  queued(id: string): void;
  /** Aborted by a signal once the deployment is queued: polling stops (pollDeploy's `signal`). */
  readonly polling: AbortSignal;
  /** The signal that stopped the run once the deployment was queued (or while it was being sent). */
  readonly stoppedBy: StopSignal | undefined;
  /** The deployment finished; the record settings stage runs now: a signal exits at once. */
  finished(): void;
  /** Record settings a stopped run leaves unset (spec keys the Metadata API cannot deploy): their spec file. */
  recordsPending: string | undefined;
  /** Prints why the run stopped and what follows (the id, report/resume, the record settings). */
  tell(): void;
  release(): void;
}

/**
 * Installs the trap for one deploy run (removed by `release`). `exit` defaults to process.exit; the texts
 * are read now, so the handler prints without loading a bundle while the user waits.
 */
export function trapDeployInterrupt(io: Pick<EngineIo, 'commandPrefix'> & { ui: Pick<EngineUi, 'error'> }, options: { exit?: (code: number) => void } = {}): DeployInterrupt {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const again = { SIGINT: messageText('assign-output', 'interrupt.again.sigint'), SIGTERM: messageText('assign-output', 'interrupt.again.signal') };
  let phase: 'before' | 'sending' | 'running' | 'records' = 'before';
  let id: string | undefined;
  let stoppedBy: StopSignal | undefined;
  const controller = new AbortController();
  const state: DeployInterrupt = {
    sending: () => void (phase = 'sending'),
    queued(jobId) {
      id = jobId;
      phase = 'running';
      if (stoppedBy) controller.abort();
    },
    polling: controller.signal,
    get stoppedBy() {
      return stoppedBy;
    },
    finished: () => void (phase = 'records'),
    recordsPending: undefined,
    tell() {
      const jobId = id as string;
      const signal = stoppedBy ?? 'SIGINT';
      const resume = omniCommandLine(io, `deploy resume ${jobId}`);
      io.ui.error(phase === 'records'
        ? messageText('deploy-output', 'interrupt.finished', [signal, jobId])
        : messageText('deploy-output', 'interrupt.keepsRunning', [signal, jobId, omniCommandLine(io, `deploy report ${jobId}`), resume]));
      if (state.recordsPending) io.ui.error(messageText('deploy-output', 'interrupt.recordsNotSet', [state.recordsPending, resume]));
    },
    release: () => untrap(),
  };
  const untrap = onStopSignals((signal) => {
    if (phase === 'before') {
      io.ui.error(messageText('deploy-output', 'interrupt.nothingSent', [signal]));
      return exit(signalExitCode(signal));
    }
    if (phase === 'sending') {
      if (stoppedBy) {
        io.ui.error(messageText('deploy-output', 'interrupt.idUnknown', [signal]));
        return exit(signalExitCode(stoppedBy));
      }
      stoppedBy = signal;
      io.ui.error(messageText('deploy-output', 'interrupt.waitingForId', [signal, again[signal]]));
      return;
    }
    if (phase === 'records') {
      stoppedBy ??= signal;
      state.tell();
      return exit(signalExitCode(stoppedBy));
    }
    // Polling: it stops at its next turn and the run returns (envelope, exit code); a second signal exits now.
    if (stoppedBy && controller.signal.aborted) {
      state.tell();
      return exit(signalExitCode(stoppedBy));
    }
    stoppedBy = signal;
    controller.abort();
  });
  return state;
}
