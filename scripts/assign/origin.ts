/**
 * Where an assignment came from and what is wrong with it: shared by the assignment file reader
 * (config.ts) and the CSV reader (csv.ts) without either importing the other.
 */

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
