/**
 * inReadingOrder: problems listed as a reader meets them (each file's in line:column order, files in the
 * order their first problem came, stable). Checked against a model built from the input alone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inReadingOrder } from '../../scripts/lib/diagnostic.ts';

interface Item {
  file?: string;
  line?: number;
  column?: number;
  n: number;
}

const item = fc.record(
  { file: fc.constantFrom('a.csv', 'b.yaml', '--csv'), line: fc.integer({ min: 1, max: 6 }), column: fc.integer({ min: 1, max: 3 }) },
  { requiredKeys: ['file'] },
);

describe('inReadingOrder', () => {
  it('the issue\'s file: the row at line 3 before the unterminated quote at line 4', () => {
    const listed = inReadingOrder(
      [
        { file: 'bad.csv', line: 4, column: 1, what: 'unterminated quote' },
        { file: 'bad.csv', line: 3, column: 1, what: 'row has 1 field' },
      ],
      (p) => p,
    );
    expect(listed.map((p) => p.what)).toEqual(['row has 1 field', 'unterminated quote']);
  });

  it('a permutation of the input; files in order of first appearance; in a file by line, column, then input order (property)', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), (raw) => {
        const items: Item[] = raw.map((r, n) => ({ ...r, n }));
        const out = inReadingOrder(items, (i) => i);
        expect([...out].sort((a, b) => a.n - b.n)).toEqual(items);
        // The model: group by file in first-appearance order, each group sorted by (line, column, n).
        const files = [...new Set(items.map((i) => i.file))];
        const key = (i: Item) => [i.line ?? 0, i.column ?? 0, i.n];
        const cmp = (a: Item, b: Item) => {
          const [x, y] = [key(a), key(b)];
          return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
        };
        expect(out).toEqual(files.flatMap((f) => items.filter((i) => i.file === f).sort(cmp)));
        // The input is left as it was.
        expect(items.map((i) => i.n)).toEqual(items.map((_, n) => n));
      }),
    );
  });
});
