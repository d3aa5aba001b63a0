/**
 * The `--json` writer: the envelope as `JSON.stringify(value, null, 2)` would print it, in pieces, so a
 * plan of 100,000 users (tens of MB) is never held as one string. Used for every command's --json output
 * (the command classes' logJson, scripts/sf/adapter.ts).
 */

/** Arrays longer than this are written in pieces. */
const STREAM_ARRAY = 500;
/**
 * Elements per piece: ~40 KB of a plan's items, a string small enough for V8's young generation (one of
 * more than ~128 KB is allocated among the long-lived objects, and stays until a full collection).
 */
const PIECE_ELEMENTS = 100;

/**
 * Writes `value` as `JSON.stringify(value, null, 2)` would, byte for byte, but in pieces: arrays of more
 * than STREAM_ARRAY elements (and the objects holding them) are written PIECE_ELEMENTS elements at a
 * time, each piece whole JSON values (so no string, and no secret inside one, is ever split between two
 * pieces).
 */
export function writeJson(value: unknown, write: (chunk: string) => void, indent = ''): void {
  const inner = `${indent}  `;
  if (Array.isArray(value) && value.length > STREAM_ARRAY) {
    write('[');
    for (let start = 0; start < value.length; start += PIECE_ELEMENTS) {
      // The comma apart: joined to the piece it would make a string to flatten again.
      if (start) write(',');
      write(arrayBody(value.slice(start, start + PIECE_ELEMENTS), indent));
    }
    write(`\n${indent}]`);
    return;
  }
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function' && holdsLongArray(value)) {
    if (Array.isArray(value)) {
      // A short array holding a long one (a SARIF log's runs): element by element, as JSON.stringify lays them out.
      write('[');
      // Indexed: a hole is written as null, as JSON.stringify writes it (forEach would skip it).
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        write(`${i ? ',' : ''}\n${inner}`);
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') write('null');
        else writeJson(v, write, inner);
      }
      write(`\n${indent}]`);
      return;
    }
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
    if (!entries.length) {
      write('{}');
      return;
    }
    write('{');
    entries.forEach(([key, v], i) => {
      write(`${i ? ',' : ''}\n${inner}${JSON.stringify(key)}: `);
      writeJson(v, write, inner);
    });
    write(`\n${indent}}`);
    return;
  }
  const text = JSON.stringify(value, null, 2);
  write(text === undefined ? 'undefined' : indent ? text.replace(/\n/g, `\n${indent}`) : text);
}

/**
 * The elements of `slice` as they appear inside an array printed at `indent` ("\n<indent>  el,\n…", no
 * brackets): JSON.stringify of the slice wrapped in as many arrays as `indent` has levels does the
 * indentation itself, and the wrapping is cut off — one call per piece, no re-indenting of each element.
 */
function arrayBody(slice: unknown[], indent: string): string {
  const levels = indent.length / 2;
  let wrapped: unknown = slice;
  for (let i = 0; i < levels; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  let open = 0;
  for (let i = 0; i <= levels; i++) open = text.indexOf('[', open) + 1;
  let close = `\n${indent}]`;
  for (let i = levels - 1; i >= 0; i--) close += `\n${' '.repeat(2 * i)}]`;
  return text.slice(open, text.length - close.length);
}

/**
 * Whether an array worth streaming sits in `value` (a few levels down: envelope → result → items, or a SARIF log →
 * runs → run → results).
 */
function holdsLongArray(value: unknown, depth = 0): boolean {
  if (Array.isArray(value) && value.length > STREAM_ARRAY) return true;
  if (value === null || typeof value !== 'object' || depth > 3) return false;
  return (Array.isArray(value) ? value : Object.values(value as Record<string, unknown>)).some((v) => holdsLongArray(v, depth + 1));
}
