import { SoqlError } from './errors.ts';

/** A piece of a LIKE pattern: literal text, or one of the two wildcards. */
export type LikeSegment = { text: string } | '%' | '_';

export type Token =
  | { kind: 'ident'; text: string; offset: number }
  | { kind: 'punct'; text: string; offset: number }
  | { kind: 'number'; text: string; offset: number; value: number }
  | { kind: 'date'; text: string; offset: number }
  | { kind: 'datetime'; text: string; offset: number; epochMs: number }
  | {
      kind: 'string';
      text: string;
      offset: number;
      /** Decoded value for `=`/`IN`; `\%` and `\_` keep their backslash there, as in Salesforce. */
      value: string;
      /** The same literal read as a LIKE pattern, where `\%`/`\_` are literal and `%`/`_` are wildcards. */
      like: LikeSegment[];
    }
  | { kind: 'eof'; text: ''; offset: number };

const PUNCT2 = new Set(['!=', '<>', '<=', '>=']);
const PUNCT1 = new Set(['(', ')', ',', '.', ':', '=', '<', '>']);
const DATE_RE = /\d{4}-\d{2}-\d{2}/y;
const TIME_RE = /T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})/y;
const NUMBER_RE = /[+-]?(\d+(\.\d*)?|\.\d+)/y;
const IDENT_RE = /[A-Za-z_][A-Za-z0-9_]*/y;
const SIMPLE_ESCAPES: Record<string, string> = {
  "'": "'",
  '"': '"',
  '\\': '\\',
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
};

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function lexError(text: string, offset: number, detail: string): SoqlError {
  return new SoqlError('MALFORMED_QUERY', detail, { text, offset });
}

/** `line 2:7`: the lexer's own position wording (1-based line, 0-based column), as the service prints it. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `line ${before.split('\n').length}:${offset - (before.lastIndexOf('\n') + 1)}`;
}

/** Validates a calendar date; the regex alone accepts 2024-02-31. */
export function isValidIsoDate(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(date);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    const start = i;
    if (c === "'") {
      tokens.push(readString(text, start));
      i = tokens[tokens.length - 1].offset + tokens[tokens.length - 1].text.length;
      continue;
    }
    if (isDigit(c) || ((c === '-' || c === '+' || c === '.') && (isDigit(text[i + 1]) || (text[i + 1] === '.' && isDigit(text[i + 2]))))) {
      DATE_RE.lastIndex = i;
      if (isDigit(c) && DATE_RE.test(text)) {
        const date = text.slice(i, DATE_RE.lastIndex);
        if (!isValidIsoDate(date)) throw lexError(text, start, `invalid date: ${date}`);
        i = DATE_RE.lastIndex;
        TIME_RE.lastIndex = i;
        const time = TIME_RE.exec(text);
        if (time) {
          i = TIME_RE.lastIndex;
          const raw = text.slice(start, i);
          const zone = time[5] === 'Z' ? 'Z' : `${time[5].slice(0, 3)}:${time[5].slice(-2)}`;
          const epochMs = Date.parse(`${date}T${time[1]}:${time[2]}:${time[3]}${(time[4] ?? '').slice(0, 4)}${zone}`);
          if (Number.isNaN(epochMs)) throw lexError(text, start, `invalid datetime: ${raw}`);
          tokens.push({ kind: 'datetime', text: raw, offset: start, epochMs });
        } else if (text[i] === 'T') {
          throw lexError(text, i, `invalid datetime: ${text.slice(start, i + 1)}`);
        } else {
          tokens.push({ kind: 'date', text: date, offset: start });
        }
        continue;
      }
      NUMBER_RE.lastIndex = i;
      NUMBER_RE.test(text);
      i = NUMBER_RE.lastIndex;
      const raw = text.slice(start, i);
      tokens.push({ kind: 'number', text: raw, offset: start, value: Number(raw) });
      continue;
    }
    IDENT_RE.lastIndex = i;
    if (IDENT_RE.test(text)) {
      i = IDENT_RE.lastIndex;
      tokens.push({ kind: 'ident', text: text.slice(start, i), offset: start });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.has(two)) {
      tokens.push({ kind: 'punct', text: two, offset: start });
      i += 2;
      continue;
    }
    if (PUNCT1.has(c)) {
      tokens.push({ kind: 'punct', text: c, offset: start });
      i++;
      continue;
    }
    const cp = String.fromCodePoint(text.codePointAt(i) ?? 0);
    throw lexError(text, start, `${lineCol(text, start)} no viable alternative at character '${cp}'`);
  }
  tokens.push({ kind: 'eof', text: '', offset: n });
  return tokens;
}

function readString(text: string, start: number): Token {
  let value = '';
  const like: LikeSegment[] = [];
  let literal = '';
  const flushLiteral = (): void => {
    if (literal) like.push({ text: literal });
    literal = '';
  };
  let i = start + 1;
  for (;;) {
    if (i >= text.length) {
      throw lexError(text, start, `${lineCol(text, text.length)} mismatched character '<EOF>' expecting '''`);
    }
    const c = text[i];
    if (c === "'") {
      i++;
      break;
    }
    if (c !== '\\') {
      value += c;
      if (c === '%' || c === '_') {
        flushLiteral();
        like.push(c);
      } else {
        literal += c;
      }
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e !== undefined && e in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[e];
      literal += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (e === '%' || e === '_') {
      value += `\\${e}`;
      literal += e;
      i += 2;
    } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      const ch = String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      value += ch;
      literal += ch;
      i += 6;
    } else {
      const seq = e === undefined ? '\\' : `\\${e}`;
      const rest = text.indexOf("'", i + 2);
      const shown = text.slice(start, rest === -1 ? text.length : rest + 1);
      throw lexError(text, i, `Invalid string literal ${shown}. Illegal character sequence '${seq}' in string literal.`);
    }
  }
  flushLiteral();
  return { kind: 'string', text: text.slice(start, i), offset: start, value, like };
}
