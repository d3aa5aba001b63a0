/**
 * Staged progress for deploy/plan/retrieve: one line on a TTY naming the current stage
 * (`Checking references in the org [################--------] 2/3`). Silent under --json, CI=true
 * and without a TTY (ui.progress decides). When a stage fails, the line is kept as it is and ended,
 * so the error below it shows where the command stopped instead of being glued onto the bar.
 */
import { type EngineIo, isCi } from '../lib/io.ts';

export interface Stages {
  /** Moves to stage `index` (0-based) of the labels given at the start. */
  at(index: number): void;
  /** Ends the line after a failure or before a warning (the bar stays visible). */
  interrupt(): void;
  /** All stages passed: `<label> done (<n>)`. */
  done(label: string): void;
}

/** True when ui.progress draws (a TTY, not --json, not CI). */
export function showsProgress(ctx: Pick<EngineIo, 'env' | 'json'>): boolean {
  return !ctx.json && !isCi(ctx.env) && Boolean(process.stderr.isTTY);
}

/** Ends a progress line that stopped before done() (the bar stays visible above what follows). */
export function endProgressLine(ctx: Pick<EngineIo, 'ui' | 'env' | 'json'>): void {
  if (showsProgress(ctx)) ctx.ui.info('');
}

export function startStages(ctx: Pick<EngineIo, 'ui' | 'env' | 'json'>, labels: string[]): Stages {
  const tty = showsProgress(ctx);
  const bar = ctx.ui.progress(labels[0], labels.length);
  let open = tty;
  return {
    at(index) {
      bar.update(index, labels[index]);
    },
    interrupt() {
      if (open) ctx.ui.info('');
      open = false;
    },
    done(label) {
      if (open) bar.done(label);
      open = false;
    },
  };
}

/** Runs `body` with stages, ending the progress line if it throws. */
export async function withStages<T>(ctx: Pick<EngineIo, 'ui' | 'env' | 'json'>, labels: string[], body: (stages: Stages) => Promise<T>): Promise<T> {
  const stages = startStages(ctx, labels);
  try {
    return await body(stages);
  } catch (error) {
    stages.interrupt();
    throw error;
  }
}
