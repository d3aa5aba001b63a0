/**
 * SIGINT/SIGTERM during `omni deploy`. A Metadata API deployment, once queued, runs on in the org whatever
 * happens to this process (as after `sf project deploy start` is interrupted); so a signal never leaves the
 * user guessing: before the deploy request nothing was sent (say so, exit); while it is being sent the org
 * may queue it, so the first signal waits for its id (a second one stops at once); once the id is known
 * (saved in `.omni/deploys/last.json` before the first poll) the id and the `deploy report` / `deploy resume`
 * commands are printed, with a word on the record settings not yet set. Exit 130 after SIGINT, 143 after
 * SIGTERM.
 */
import { type EngineIo, type EngineUi, omniCommandLine } from '../lib/io.ts';
import { messageText } from '../lib/messages.ts';
import { onStopSignals, signalExitCode, type StopSignal } from '../lib/signals.ts';

/** Where the deploy stands, as the trap needs it. */
export interface DeployInterrupt {
  /** The deploy request is about to go out: a signal from now on waits for the job id. */
  sending(): void;
  /**
   * The org queued the deployment `id`; `saved` settles once its record (last.json) is on disk. A signal
   * that came while sending ends the process here, once the record is saved.
   */
  queued(id: string, saved: Promise<unknown>): Promise<void>;
  /** The deployment finished; the record settings stage runs now. */
  finished(): void;
  /** Record settings a stopped run leaves unset (spec keys the Metadata API cannot deploy): their spec file. */
  recordsPending: string | undefined;
  release(): void;
}

/**
 * Installs the trap for one deploy run (released by `release`). `exit` defaults to process.exit; the texts
 * are read now, so the handler prints without loading a bundle while the user waits.
 */
export function trapDeployInterrupt(io: Pick<EngineIo, 'commandPrefix'> & { ui: Pick<EngineUi, 'error'> }, options: { exit?: (code: number) => void } = {}): DeployInterrupt {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const again = { SIGINT: messageText('assign-output', 'interrupt.again.sigint'), SIGTERM: messageText('assign-output', 'interrupt.again.signal') };
  let phase: 'before' | 'sending' | 'running' | 'records' = 'before';
  let id: string | undefined;
  let saved: Promise<unknown> = Promise.resolve();
  let pending: StopSignal | undefined;
  const state: DeployInterrupt = {
    sending: () => void (phase = 'sending'),
    async queued(jobId, whenSaved) {
      id = jobId;
      saved = whenSaved.catch(() => undefined);
      phase = 'running';
      if (pending) await stopRunning(pending);
    },
    finished: () => void (phase = 'records'),
    recordsPending: undefined,
    release: () => untrap(),
  };
  let stopping = false;
  const stopRunning = async (signal: StopSignal) => {
    if (stopping) return;
    stopping = true;
    // The id is in last.json before anyone is told to report on it.
    await saved;
    const jobId = id as string;
    const resume = omniCommandLine(io, `deploy resume ${jobId}`);
    io.ui.error(phase === 'records'
      ? messageText('deploy-output', 'interrupt.finished', [signal, jobId])
      : messageText('deploy-output', 'interrupt.keepsRunning', [signal, jobId, omniCommandLine(io, `deploy report ${jobId}`), resume]));
    if (state.recordsPending) io.ui.error(messageText('deploy-output', 'interrupt.recordsNotSet', [state.recordsPending, resume]));
    exit(signalExitCode(signal));
  };
  const untrap = onStopSignals((signal) => {
    if (phase === 'before') {
      io.ui.error(messageText('deploy-output', 'interrupt.nothingSent', [signal]));
      return exit(signalExitCode(signal));
    }
    if (phase === 'sending') {
      if (pending) {
        io.ui.error(messageText('deploy-output', 'interrupt.idUnknown', [signal]));
        return exit(signalExitCode(pending));
      }
      pending = signal;
      io.ui.error(messageText('deploy-output', 'interrupt.waitingForId', [signal, again[signal]]));
      return;
    }
    void stopRunning(signal);
  });
  return state;
}
