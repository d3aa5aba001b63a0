/**
 * How SOQL compares values: text case-insensitively, ids by their case-safe identity (15 or 18
 * characters), dates and datetimes as instants, date literals (TODAY, LAST_N_DAYS:n) as ranges.
 */
import type { DateLiteralName } from './ast.ts';
import type { LikeSegment } from './lexer.ts';

const DAY_MS = 86_400_000;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_RE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/**
 * Case folding for equality and LIKE. Lower-casing a whole string applies Greek final-sigma rules that
 * depend on the neighbours, so a substring could fold differently from the same text inside a longer
 * string; mapping capital sigma first keeps folding per character.
 */
export function fold(text: string): string {
  return (text.includes('Σ') ? text.replaceAll('Σ', 'σ') : text).toLowerCase();
}

/**
 * The identity of a record id: its 15-character case-sensitive form. An 18-character id is
 * case-insensitive in Salesforce, so its letters' case is restored from the 3-character suffix.
 */
export function idKey(value: string): string {
  if (!ID_RE.test(value)) return value;
  if (value.length === 15) return value;
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = SUFFIX_ALPHABET.indexOf(value[15 + chunk].toUpperCase());
    for (let i = 0; i < 5; i++) {
      const c = value[chunk * 5 + i];
      out += bits >= 0 && bits & (1 << i) ? c.toUpperCase() : c.toLowerCase();
    }
  }
  return out;
}

export function isIdShaped(value: string): boolean {
  return ID_RE.test(value);
}

/** Epoch ms of a stored date (`2024-05-01`) or datetime (`2024-05-01T10:00:00.000+0000`); NaN if unparseable. */
export function toEpochMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return Number.NaN;
  if (value.length === 10) return Date.parse(`${value}T00:00:00Z`);
  // Date.parse does not accept the colon-less offset the REST API writes (+0000).
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** [start, end) in epoch ms of a relative date literal, evaluated in UTC (the local org's time zone). */
export function dateLiteralRange(name: DateLiteralName, n: number | undefined, now: Date): [number, number] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const weekStart = today - now.getUTCDay() * DAY_MS; // weeks start on Sunday (en_US)
  switch (name) {
    case 'TODAY':
      return [today, today + DAY_MS];
    case 'YESTERDAY':
      return [today - DAY_MS, today];
    case 'TOMORROW':
      return [today + DAY_MS, today + 2 * DAY_MS];
    case 'THIS_WEEK':
      return [weekStart, weekStart + 7 * DAY_MS];
    case 'LAST_WEEK':
      return [weekStart - 7 * DAY_MS, weekStart];
    case 'NEXT_WEEK':
      return [weekStart + 7 * DAY_MS, weekStart + 14 * DAY_MS];
    case 'THIS_MONTH':
      return [Date.UTC(year, month, 1), Date.UTC(year, month + 1, 1)];
    case 'LAST_MONTH':
      return [Date.UTC(year, month - 1, 1), Date.UTC(year, month, 1)];
    case 'NEXT_MONTH':
      return [Date.UTC(year, month + 1, 1), Date.UTC(year, month + 2, 1)];
    case 'THIS_YEAR':
      return [Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1)];
    case 'LAST_YEAR':
      return [Date.UTC(year - 1, 0, 1), Date.UTC(year, 0, 1)];
    case 'NEXT_YEAR':
      return [Date.UTC(year + 1, 0, 1), Date.UTC(year + 2, 0, 1)];
    case 'LAST_N_DAYS':
      // Includes today: LAST_N_DAYS:1 is yesterday and today.
      return [today - (n ?? 0) * DAY_MS, today + DAY_MS];
    case 'NEXT_N_DAYS':
      // Starts tomorrow and excludes today.
      return [today + DAY_MS, today + ((n ?? 0) + 1) * DAY_MS];
  }
}

/** A matcher for a LIKE pattern: case-insensitive, `%` any run, `_` exactly one character. */
export function likeMatcher(segments: readonly LikeSegment[]): (value: string) => boolean {
  if (segments.every((s) => typeof s !== 'string')) {
    const text = fold(segments.map((s) => (s as { text: string }).text).join(''));
    return (value) => fold(value) === text;
  }
  const wildcards = segments.filter((s) => typeof s === 'string');
  if (wildcards.every((w) => w === '%')) {
    const first = segments[0];
    const last = segments[segments.length - 1];
    // Common shapes answered without a regex: 'abc%', '%abc', '%abc%'.
    if (segments.length === 2 && typeof first !== 'string' && last === '%') {
      const prefix = fold(first.text);
      return (value) => fold(value).startsWith(prefix);
    }
    if (segments.length === 2 && first === '%' && typeof last !== 'string') {
      const suffix = fold(last.text);
      return (value) => fold(value).endsWith(suffix);
    }
    if (segments.length === 3 && first === '%' && last === '%' && typeof segments[1] !== 'string') {
      const middle = fold(segments[1].text);
      return (value) => fold(value).includes(middle);
    }
  }
  let source = '^';
  for (const s of segments) {
    if (s === '%') source += '[^]*';
    else if (s === '_') source += '.';
    else source += fold(s.text).replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  const re = new RegExp(`${source}$`, 'su');
  return (value) => re.test(fold(value));
}
