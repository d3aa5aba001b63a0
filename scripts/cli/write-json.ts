/**
 * The `--json` writer: the envelope as `JSON.stringify(value, null, 2)` would print it, in pieces, so a
 * plan of 100,000 users (tens of MB) is never held as one string. Used for every command's --json output
 * (the command classes' logJson, scripts/sf/adapter.ts).
 */

/** Arrays longer than this are written element by element. */
const STREAM_ARRAY = 500;

/**
 * Writes `value` as `JSON.stringify(value, null, 2)` would, byte for byte, but in pieces: arrays of more
 * than STREAM_ARRAY elements (and the objects holding them) are written one element at a time, each
 * piece a whole JSON value (so no string, and no secret inside one, is ever split between two pieces).
 */
export function writeJson(value: unknown, write: (chunk: string) => void, indent = ''): void {
  const inner = `${indent}  `;
  const nested = (text: string) => text.replace(/\n/g, `\n${inner}`);
  if (Array.isArray(value) && value.length > STREAM_ARRAY) {
    write('[');
    let pending = '';
    value.forEach((element, i) => {
      const text = JSON.stringify(element, null, 2);
      pending += `${i ? ',' : ''}\n${inner}${text === undefined ? 'null' : nested(text)}`;
      if (pending.length > 65_536) {
        write(pending);
        pending = '';
      }
    });
    write(`${pending}\n${indent}]`);
    return;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== 'function' && holdsLongArray(value)) {
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

/** Whether an array worth streaming sits in `value` (a few levels down: envelope → result → items). */
function holdsLongArray(value: unknown, depth = 0): boolean {
  if (Array.isArray(value)) return value.length > STREAM_ARRAY;
  if (value === null || typeof value !== 'object' || depth > 3) return false;
  return Object.values(value as Record<string, unknown>).some((v) => holdsLongArray(v, depth + 1));
}
