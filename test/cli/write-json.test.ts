/**
 * writeJson (the --json writer) gives exactly JSON.stringify(value, null, 2), also when it streams long
 * arrays element by element, and never splits a string between two pieces (redaction works per piece).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeJson } from '../../scripts/cli/write-json.ts';

const pieces = (value: unknown) => {
  const out: string[] = [];
  writeJson(value, (chunk) => out.push(chunk));
  return out;
};

describe('writeJson', () => {
  it('equals JSON.stringify(value, null, 2) for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(pieces(value).join('')).toBe(JSON.stringify(value, null, 2));
      }),
    );
  });

  it('streams an envelope holding a long array (a plan of many users) with the same bytes, in several pieces', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.jsonValue(), fc.record({ name: fc.string(), rowIds: fc.array(fc.string()), from: fc.option(fc.string()) })), { minLength: 501, maxLength: 900 }), fc.jsonValue(), (items, other) => {
        const envelope = { status: 0, result: { items, conflicts: [], summary: { n: items.length }, other, skipped: undefined }, warnings: ['w'] };
        const out = pieces(envelope);
        expect(out.join('')).toBe(JSON.stringify(envelope, null, 2));
        expect(out.length).toBeGreaterThan(3);
      }),
      { numRuns: 20 },
    );
  });

  it('long arrays at any depth (top level, three objects down, an array of arrays) keep JSON.stringify bytes, in pieces', () => {
    const items = Array.from({ length: 1234 }, (_, i) => (i % 3 ? { id: i, rows: [`r${i}`], nested: { deep: [i, null, 'x\ny'] } } : i % 2 ? null : [i, [i]]));
    for (const value of [items, { a: { b: { c: items } } }, [items, items]]) {
      const out = pieces(value);
      expect(out.join('')).toBe(JSON.stringify(value, null, 2));
      if (!Array.isArray(value) || value.length > 500) expect(out.length).toBeGreaterThan(10);
    }
  });

  it('a short array holding a long one (a SARIF log: runs → run → results) is streamed too, holes and non-JSON values as JSON.stringify writes them', () => {
    // Results that word themselves when written (toJSON), as validate's SARIF results do.
    const results = Array.from({ length: 1500 }, (_, i) => ({ toJSON: () => ({ ruleId: `R${i % 7}`, message: { text: `m ${i}` }, locations: i % 5 ? [] : [{ line: i }] }) }));
    const withHoles: unknown[] = [1, undefined, () => 2, Symbol('s'), results];
    withHoles.length = 7;
    for (const value of [{ $schema: 's', version: '2.1.0', runs: [{ tool: { driver: { rules: [{ id: 'R0' }] } }, results }] }, withHoles, [[[results]]], [results, results]]) {
      const out = pieces(value);
      expect(out.join('')).toBe(JSON.stringify(value, null, 2));
      expect(out.length).toBeGreaterThan(10);
    }
  });

  it('no piece ends inside a string: each of the 5 token-like values is whole in one piece', () => {
    const token = '00D000000000001!AQ-secret-value-of-the-session-1234567890';
    const items = Array.from({ length: 3000 }, (_, i) => ({ name: `user${i}@x.com`, note: i % 700 === 0 ? token : 'x'.repeat(40) }));
    const out = pieces({ status: 0, result: { items } });
    expect(out.join('').split(token).length - 1).toBe(5);
    expect(out.reduce((n, p) => n + (p.split(token).length - 1), 0)).toBe(5);
  });
});
