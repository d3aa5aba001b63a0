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
  traps++;
  const untrap = listen(handler);
  let trapped = true;
  return () => {
    if (trapped) traps--;
    trapped = false;
    untrap();
  };
}

/** How many `onStopSignals` traps are installed now. */
let traps = 0;

/**
 * For a whole command run: SIGINT/SIGTERM end the process with 130/143, as Node's default action would, unless
 * a trap (`onStopSignals`) is installed when the signal comes — then the trap decides. Needed because a dependency
 * may listen too: signal-exit (loaded by proper-lockfile, through @salesforce/core) re-raises a signal only when
 * its own subscriber count equals the signal's listener count, and otherwise swallows it, so `omni validate` ran
 * to its end and exited 0 after a Ctrl-C or a CI runner's SIGTERM. A listener runs once the current synchronous
 * work yields (between files' batches and phases). Returns the function that removes it.
 */
export function exitOnStopSignals(): () => void {
  return listen((signal) => {
    if (traps === 0) process.exit(signalExitCode(signal));
  });
}

function listen(handler: (signal: StopSignal) => void): () => void {
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}

/**
 * One turn of the event loop: a SIGINT/SIGTERM that came during synchronous work is handled here (Node delivers a
 * signal to its listeners only in the loop's poll phase; awaiting a promise does not get there). Long synchronous
 * commands (`omni validate`) await it between their phases, so a signal stops them there (~0.05 ms a turn).
 */
export function signalTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
