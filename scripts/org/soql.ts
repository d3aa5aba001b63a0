/**
 * Escaping for values placed into SOQL text. Every value our deploy and assign code puts into a query
 * goes through these, so a name with a quote or backslash can neither break nor change the query.
 */

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};
const SPECIAL = /[\\'"\n\r\t\b\f]/g;
const SPECIAL_LIKE = /[\\'"\n\r\t\b\f%_]/g;

/** Backslash-escapes the characters SOQL string literals cannot hold as-is. */
export function escapeSoql(value: string): string {
  return value.replace(SPECIAL, (c) => ESCAPES[c]);
}

/** A complete string literal: `'O\'Brien'`. */
export function soqlQuote(value: string): string {
  return `'${escapeSoql(value)}'`;
}

/** A literal list for IN: `('a','b')`. An empty list has no SOQL form, so it is refused. */
export function soqlInList(values: readonly string[]): string {
  if (values.length === 0) throw new RangeError('soqlInList needs at least one value: SOQL has no empty IN list');
  return `(${values.map(soqlQuote).join(',')})`;
}

/** Escapes a value for use inside a LIKE pattern, where % and _ would otherwise be wildcards. */
export function escapeSoqlLike(value: string): string {
  return value.replace(SPECIAL_LIKE, (c) => (c === '%' || c === '_' ? `\\${c}` : ESCAPES[c]));
}
