/**
 * FirstByFoldedName against what it replaces: a Map keyed by `name.toLowerCase()` holding the first entry of each
 * key. Names are drawn from ASCII letters in both cases and from characters whose lower case differs in length or
 * depends on context (`İ` → `i̇`, the Kelvin sign → `k`, final sigma), so the ASCII fast path and the fallback
 * meet in one table.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FirstByFoldedName, foldedEquals, foldedHash } from '../../scripts/lib/folded-names.ts';

const CHARS = ['a', 'A', 'b', 'B', 'k', 'K', 'i', 'I', '_', '1', 'İ', 'i̇', '\u212a', 'Σ', 'σ', 'ς', 'ü', 'Ü', 'ß', ' '];
const name = fc.array(fc.constantFrom(...CHARS), { maxLength: 6 }).map((parts) => parts.join(''));

describe('FirstByFoldedName', () => {
  it('keeps the first entry of each name compared without case, as a Map of lower-cased names does', () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 80 }), fc.array(name, { maxLength: 20 }), (names, probes) => {
        const table = new FirstByFoldedName((e) => names[e]);
        const expected = new Map<string, number>();
        for (let e = 0; e < names.length; e++) {
          const key = names[e].toLowerCase();
          if (!expected.has(key)) expected.set(key, e);
          expect(table.add(e)).toBe(expected.get(key));
        }
        expect(table.size).toBe(expected.size);
        for (const probe of [...probes, ...names]) expect(table.find(probe)).toBe(expected.get(probe.toLowerCase()) ?? -1);
      }),
    );
  });

  it('grows past its first size and still finds every name', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `Config_${i}`);
    const table = new FirstByFoldedName((e) => names[e]);
    for (let e = 0; e < names.length; e++) expect(table.add(e)).toBe(e);
    expect(table.size).toBe(5000);
    expect(table.find('CONFIG_4999')).toBe(4999);
    expect(table.find('config_5000')).toBe(-1);
  });

  it('compares and hashes as toLowerCase does', () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        const same = a.toLowerCase() === b.toLowerCase();
        expect(foldedEquals(a, b)).toBe(same);
        if (same) expect(foldedHash(a)).toBe(foldedHash(b));
      }),
    );
    expect(foldedEquals('\u212a', 'k')).toBe(true);
    expect(foldedEquals('İ', 'i̇')).toBe(true);
    expect(foldedEquals('ΣA', 'σa')).toBe(true);
    expect(foldedEquals('AΣ', 'aσ')).toBe(false);
  });
});
