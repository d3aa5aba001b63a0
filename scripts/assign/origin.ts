/**
 * Where an assignment came from and what is wrong with it: shared by the assignment file reader
 * (config.ts) and the CSV reader (csv.ts) without either importing the other.
 */
import { inReadingOrder } from '../lib/diagnostic.ts';

/** Where a selector value came from, for error messages: `config/assignments/uat.yaml:12:9`. */
export interface Origin {
  file: string;
  line?: number;
  column?: number;
}

/** A problem in the assignments, located. */
export interface ConfigProblem {
  message: string;
  hint?: string;
  origin: Origin;
}

/**
 * `problems` in reading order: each file's in line:column order (a problem of the file as a whole, with
 * no line, first), the files (and flags) in the order their first problem came (`inReadingOrder`).
 */
export function inFileOrder<P extends ConfigProblem>(problems: readonly P[]): P[] {
  return inReadingOrder(problems, (p) => p.origin);
}
