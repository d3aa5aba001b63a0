/**
 * Escaping for values placed into SOQL text. Every value our deploy and assign code puts into a query
 * goes through these, so a name with a quote or backslash can neither break nor change the query.
 */
import { messageText } from '../lib/messages.ts';

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

/**
 * Salesforce refuses a request whose request line (URI) and headers together exceed 16,384 bytes with
 * HTTP 431 and an empty body (Salesforce Help, knowledge article 000386264). A query travels in the URI
 * (`GET /services/data/vNN.0/query?q=…`), so every query built from a list is split under this limit.
 */
export const MAX_URI_AND_HEADERS = 16_384;
/** Room kept for the path before `q=` and the headers (Authorization with a ~112-byte token, User-Agent, …). */
export const HEADER_ALLOWANCE = 4_384;
/** Longest URL-encoded SOQL text we put in one GET: MAX_URI_AND_HEADERS − HEADER_ALLOWANCE. */
export const MAX_ENCODED_QUERY = MAX_URI_AND_HEADERS - HEADER_ALLOWANCE;

/** One value that cannot fit into any query under the URI limit (it would end in HTTP 431). */
export class QueryTooLongError extends RangeError {
  readonly value: string;
  constructor(value: string, needed: number, limit: number) {
    super(
      messageText('org-errors', 'query.tooLong', [value.length.toLocaleString('en-US'), needed.toLocaleString('en-US'), limit.toLocaleString('en-US'), MAX_URI_AND_HEADERS.toLocaleString('en-US')]),
    );
    this.name = 'QueryTooLong';
    this.value = value;
  }
}

/**
 * The queries `build(inList)` makes for `values` split into IN lists so that each URL-encoded query stays
 * within `limit` bytes (default MAX_ENCODED_QUERY) and 1,000 values. Throws QueryTooLongError when one value
 * alone cannot fit; an empty `values` gives no query. Every list query of the product goes through this.
 */
export function inListQueries(values: readonly string[], build: (inList: string) => string, limit = MAX_ENCODED_QUERY): string[] {
  if (values.length === 0) return [];
  const overhead = encodeURIComponent(build("('')")).length;
  return chunkInList(values, overhead, limit).map(build);
}

/** Splits values into `('a','b',…)` lists whose URL-encoded length keeps each query under MAX_ENCODED_QUERY. */
export function chunkInList(values: readonly string[], overhead: number, limit = MAX_ENCODED_QUERY): string[] {
  const literals = values.map(soqlQuote);
  // Each literal costs its encoded length plus its encoded comma (%2C).
  const ranges = packRanges(literals.length, (i) => encodeURIComponent(literals[i]).length + 3, (i) => values[i], overhead, limit, 1000);
  return ranges.map(([start, end]) => `(${literals.slice(start, end).join(',')})`);
}

/**
 * Number of GETs a `WHERE field IN (…)` read of these values takes (to compare with a full paged scan).
 * Computed from lengths, without building the queries: it runs on 100,000-value lists.
 */
export function inListCalls(values: readonly string[], overhead: number, limit = MAX_ENCODED_QUERY): number {
  return packRanges(values.length, (i) => encodedLiteralLength(values[i]) + 3, (i) => values[i], overhead, limit, 1000).length;
}

/**
 * Whether `inListCalls(values, overhead)` is at least `calls`, packing only as far as it takes to know: a
 * comparison with a scan's few pages then reads a few thousand of 100,000 values, not all of them.
 */
export function inListCallsAtLeast(values: readonly string[], overhead: number, calls: number, limit = MAX_ENCODED_QUERY): boolean {
  if (calls <= 0) return true;
  return packRanges(values.length, (i) => encodedLiteralLength(values[i]) + 3, (i) => values[i], overhead, limit, 1000, calls).length >= calls;
}

/**
 * The one packing rule of every list query: items taken in order into `[start, end)` ranges whose
 * `overhead` + item sizes (URL-encoded bytes, separator included) stay within `limit`, at most `max` items
 * each. Throws QueryTooLongError naming `labelAt(i)` when item i alone cannot fit. With `stopAt`, stops once
 * that many ranges are known to exist (the last of them may be short: only the count is meant).
 */
function packRanges(count: number, sizeAt: (i: number) => number, labelAt: (i: number) => string, overhead: number, limit: number, max: number, stopAt = Infinity): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  let length = overhead;
  for (let i = 0; i < count; i++) {
    const size = sizeAt(i);
    if (overhead + size > limit) throw new QueryTooLongError(labelAt(i), overhead + size, limit);
    if (i > start && (length + size > limit || i - start >= max)) {
      ranges.push([start, i]);
      // The range starting at i is the next one: stopAt ranges exist.
      if (ranges.length + 1 >= stopAt) {
        ranges.push([i, count]);
        return ranges;
      }
      start = i;
      length = overhead;
    }
    length += size;
  }
  if (count > start) ranges.push([start, count]);
  return ranges;
}

/** Length of encodeURIComponent(soqlQuote(value)) without building either string. */
export function encodedLiteralLength(value: string): number {
  let n = 2; // the two quotes (unreserved in encodeURIComponent)
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46 || c === 95 || c === 126 || c === 33 || c === 42 || c === 40 || c === 41) n += 1;
    else if (c === 39 || c === 10 || c === 13 || c === 9 || c === 8 || c === 12) n += 4; // %5C then ' n r t b f
    else if (c === 92 || c === 34) n += 6; // %5C%5C, %5C%22
    else if (c < 0x80) n += 3;
    else if (c < 0x800) n += 6;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length && value.charCodeAt(i + 1) >= 0xdc00 && value.charCodeAt(i + 1) <= 0xdfff) {
      n += 12;
      i++;
    } else n += 9;
  }
  return n;
}

/**
 * The queries `build(condition)` makes for `conditions` joined by OR, split so that each URL-encoded query
 * stays within `limit` bytes (default MAX_ENCODED_QUERY) and 200 conditions: the OR form of inListQueries,
 * for conditions an IN list cannot say (LIKE patterns). Each condition is already escaped SOQL. Throws
 * QueryTooLongError when one condition alone cannot fit; no conditions give no query.
 */
export function orQueries(conditions: readonly string[], build: (condition: string) => string, limit = MAX_ENCODED_QUERY): string[] {
  const overhead = encodeURIComponent(build('()')).length;
  const separator = encodeURIComponent(' OR ').length;
  const ranges = packRanges(conditions.length, (i) => encodeURIComponent(conditions[i]).length + separator, (i) => conditions[i], overhead, limit, 200);
  return ranges.map(([start, end]) => build(`(${conditions.slice(start, end).join(' OR ')})`));
}
