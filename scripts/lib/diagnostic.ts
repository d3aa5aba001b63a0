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
 * The finding with its keys in the one order every JSON output shows (this interface's: ruleId, severity,
 * message, hint, file, line, column, related), whichever producer built it; absent keys stay absent.
 */
export function inKeyOrder(d: Diagnostic): Diagnostic {
  const out: Diagnostic = { ruleId: d.ruleId, severity: d.severity, message: d.message };
  if (d.hint !== undefined) out.hint = d.hint;
  if (d.file !== undefined) out.file = d.file;
  if (d.line !== undefined) out.line = d.line;
  if (d.column !== undefined) out.column = d.column;
  if (d.related !== undefined) out.related = d.related;
  return out;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}: ` : '';
  return `${where}${d.severity} ${d.ruleId}: ${d.message}${d.hint ? `\n    hint: ${d.hint}` : ''}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
