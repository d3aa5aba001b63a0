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

/**
 * `problems` in reading order: each file's in line:column order (a problem of the file as a whole, with
 * no line, first), the files (and flags) in the order their first problem came. Stable: problems at one
 * place keep their order. A new array; the input is not changed.
 */
export function inFileOrder<P extends ConfigProblem>(problems: readonly P[]): P[] {
  const rank = new Map<string, number>();
  for (const p of problems) if (!rank.has(p.origin.file)) rank.set(p.origin.file, rank.size);
  return [...problems].sort(
    (a, b) => rank.get(a.origin.file)! - rank.get(b.origin.file)! || (a.origin.line ?? 0) - (b.origin.line ?? 0) || (a.origin.column ?? 0) - (b.origin.column ?? 0),
  );
}
