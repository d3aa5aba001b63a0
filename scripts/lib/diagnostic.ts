/**
 * A finding about a file: what is wrong, where (file:line:col), and what to change.
 * Produced by the XML parser, the spec loader and every validation rule; printed as text, JSON or SARIF.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable rule id, e.g. `PUC-AUTOACCEPT-DECLINE`, `XML-MALFORMED`. */
  ruleId: string;
  severity: Severity;
  /** What is wrong, one sentence. */
  message: string;
  /** What to change, one sentence. */
  hint?: string;
  /** Path relative to the project root (forward slashes). */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** Other places the finding involves (the first file of a duplicate, …); SARIF relatedLocations. */
  related?: RelatedLocation[];
}

export interface RelatedLocation {
  file: string;
  line?: number;
  column?: number;
  message?: string;
}

/**
 * `items` as a reader meets them: each file's in line:column order (one without a line, about the file as
 * a whole, first), the files in the order their first item came. Stable: items at one place keep their
 * order. `at` says where an item is. A new array; the input is not changed.
 */
export function inReadingOrder<T>(items: readonly T[], at: (item: T) => { file?: string; line?: number; column?: number }): T[] {
  const rank = new Map<string | undefined, number>();
  for (const item of items) if (!rank.has(at(item).file)) rank.set(at(item).file, rank.size);
  return [...items].sort((a, b) => {
    const x = at(a);
    const y = at(b);
    return rank.get(x.file)! - rank.get(y.file)! || (x.line ?? 0) - (y.line ?? 0) || (x.column ?? 0) - (y.column ?? 0);
  });
}

/**
 * The finding with its keys in the one order every JSON output shows (this interface's: ruleId, severity,
 * message, hint, file, line, column, related), whichever producer built it; absent keys stay absent.
 */
export function inKeyOrder(d: Diagnostic): Diagnostic {
  // One in that order already (every rule's, built by the validation context) is kept, not copied: 20,000 findings
  // at 10,000 configurations under `--json` (bench/RESULTS.md, "Validate at scale").
  if (keysInOrder(d)) return d;
  const out: Diagnostic = { ruleId: d.ruleId, severity: d.severity, message: d.message };
  if (d.hint !== undefined) out.hint = d.hint;
  if (d.file !== undefined) out.file = d.file;
  if (d.line !== undefined) out.line = d.line;
  if (d.column !== undefined) out.column = d.column;
  if (d.related !== undefined) out.related = d.related;
  return out;
}

const KEY_ORDER: readonly string[] = ['ruleId', 'severity', 'message', 'hint', 'file', 'line', 'column', 'related'];

/** Whether `d`'s keys are some of KEY_ORDER's, in its order, none of them holding undefined. */
function keysInOrder(d: Diagnostic): boolean {
  let k = 0;
  for (const key in d) {
    while (k < KEY_ORDER.length && KEY_ORDER[k] !== key) k++;
    if (k === KEY_ORDER.length || (d as unknown as Record<string, unknown>)[key] === undefined) return false;
    k++;
  }
  return true;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}: ` : '';
  return `${where}${d.severity} ${d.ruleId}: ${d.message}${d.hint ? `\n    hint: ${d.hint}` : ''}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
