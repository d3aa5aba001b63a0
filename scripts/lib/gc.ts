/**
 * A full garbage collection on request, for a command that has just dropped a large data set it will not
 * need again and is about to build another: what the first left behind in the old generation is otherwise
 * kept until the heap grows enough for V8 to start a major collection on its own, and it adds to the peak.
 * `omni assign plan` at 100,000 users: the reads' leftovers are dead before the plan's items are made
 * (bench/RESULTS.md, "Assign plan memory").
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * Runs a full (mark-compact) collection now: ~10–30 ms for a heap of ~50 MB. Node has no API for it without
 * `--expose-gc`; the flag is set for one new context, whose `gc` is taken, and unset again, so the program's
 * own global object never gets a `gc`. Does nothing where V8 refuses the flag.
 */
export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const gc = runInNewContext('typeof gc === "function" ? gc : null') as (() => void) | null;
      collect = gc;
    } catch {
      collect = null;
    } finally {
      v8.setFlagsFromString('--no-expose-gc');
    }
  }
  collect?.();
}
