/**
 * The stop signals a long command traps (SIGINT from Ctrl-C, SIGTERM from a CI runner or `kill`) and the
 * exit code each ends with, as sf and POSIX shells report them: 128 + the signal number.
 */

/** The signals a run traps. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** 130 after SIGINT, 143 after SIGTERM. */
export function signalExitCode(signal: StopSignal): number {
  return signal === 'SIGINT' ? 130 : 143;
}

/**
 * Calls `handler` on each SIGINT/SIGTERM until the returned function is called. While a handler is
 * installed Node no longer exits on the signal: the handler decides when (and says why) — the assign
 * engines (journal, resume/undo) and the deploy engine (the job id and how to follow it) both trap here.
 */
export function onStopSignals(handler: (signal: StopSignal) => void): () => void {
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}
