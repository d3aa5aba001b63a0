/**
 * What the tests of the generated schema checks (spec-check.generated.ts, assignment-file-check.generated.ts)
 * share: the shape of a value with its key order, every path of a value, edits, and values where a check may go
 * either way.
 */
import fc from 'fast-check';

export type Path = (string | number)[];

/** Every key in order, at every depth, with each value's type and prototype: what `isDeepStrictEqual` leaves out (key order). */
export function shapeText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(shapeText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) === null ? 'null' : 'object';
    return `${proto}{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${shapeText((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return `${typeof value}:${Object.is(value, -0) ? '-0' : String(value)}`;
}

export function allPaths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) allPaths(value[i], [...at, i], out);
  else if (value !== null && typeof value === 'object') for (const k of Object.keys(value)) allPaths((value as Record<string, unknown>)[k], [...at, k], out);
  return out;
}

/** `data` with the value at `at` replaced (or the key removed when `replacement` is the string '<delete>'). */
export function edited(data: unknown, at: Path, replacement: unknown): unknown {
  if (at.length === 0) return replacement === '<delete>' ? data : replacement;
  if (data === null || typeof data !== 'object') return data;
  const copy = structuredClone(data) as Record<string | number, unknown>;
  let node = copy;
  for (const segment of at.slice(0, -1)) {
    const next = node[segment];
    // An earlier edit replaced a parent: the path is gone, nothing to edit.
    if (next === null || typeof next !== 'object') return data;
    node = next as Record<string | number, unknown>;
  }
  const last = at[at.length - 1];
  if (replacement === '<delete>') {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = replacement;
  return copy;
}

// Values where a schema check may go either way: types, bounds, names, empties, integers and fractions.
export const replacement = fc.oneof(
  fc.constantFrom<unknown>(
    '<delete>', null, true, false, 0, -1, 1, 2, 1.5, 100, 101, 1e6, -0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '', 'x', 'Status_1', 'Config_1', 'a b', '1bad',
    'Bad__Name', 'x'.repeat(81), 'any', 'selected', 'TAB_BASED', 'STATUS_BASED', 'MOST_AVAILABLE', 'IN_PROGRESS', [], ['a'], ['Status_1', 'Status_2'], [1], [null],
    {}, { a: 1 }, { seconds: 30 }, { seconds: 30, max: 3 }, { type: 'IN_PROGRESS', value: 'Working' }, { priority: 1, value: 'High' }, { label: 'L' },
  ),
  fc.integer({ min: -5, max: 5000 }),
  fc.string({ maxLength: 6 }),
);
