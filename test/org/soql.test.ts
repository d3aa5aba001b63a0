import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executeSoql, parseSoql } from '../../local-org/soql/index.ts';
import { escapeSoql, escapeSoqlLike, MAX_ENCODED_QUERY, orQueries, QueryTooLongError, soqlInList, soqlQuote } from '../../scripts/org/soql.ts';
import { MemorySource } from '../local-org/soql/fixture.ts';
import { binaryString } from '../helpers/arbitraries.ts';

describe('escapeSoql and friends', () => {
  it('backslash-escapes quotes, backslashes and control characters', () => {
    expect(escapeSoql(`O'Brien "Bob" \\ \n\r\t\b\f`)).toBe(String.raw`O\'Brien \"Bob\" \\ \n\r\t\b\f`);
    expect(escapeSoql('plain ünïcödé 🎉 50% a_b')).toBe('plain ünïcödé 🎉 50% a_b');
  });

  it('quotes a literal and builds IN lists', () => {
    expect(soqlQuote("it's")).toBe(String.raw`'it\'s'`);
    expect(soqlInList(['a', "b'c"])).toBe(String.raw`('a','b\'c')`);
    expect(() => soqlInList([])).toThrow(RangeError);
  });

  it('escapes LIKE wildcards on top of the string escapes', () => {
    expect(escapeSoqlLike("100%_o'k\\")).toBe(String.raw`100\%\_o\'k\\`);
  });
});

const special = fc.constantFrom("'", '\\', '"', '\n', '\r', '\t', '\b', '\f', '%', '_', 'a', 'Σ', 'ς', 'İ', 'ß', '😀', '\u0000', '\ud800');
const anyString = fc.oneof(
  binaryString({ maxLength: 20 }),
  fc.array(special, { maxLength: 12 }).map((parts) => parts.join('')),
);

/** Decoys that an unescaped wildcard or a broken quote would also match. */
function decoysOf(x: string): string[] {
  const decoys = [`${x}z`, `z${x}`, x.replace(/[%_]/g, 'q'), `${x}${x}`, x.slice(1), `${x}'`];
  const lower = x.toLowerCase();
  const upper = x.toUpperCase();
  return [...new Set(decoys)].filter((d) => d.toLowerCase() !== lower && d.toUpperCase() !== upper);
}

describe('quoted values round-trip through the SOQL engine', () => {
  it('WHERE Field = soqlQuote(x) and LIKE with escapeSoqlLike(x) match exactly the record holding x', () => {
    fc.assert(
      fc.property(anyString, fc.array(anyString, { maxLength: 4 }), (x, randomDecoys) => {
        const org = new MemorySource();
        const lower = x.toLowerCase();
        const upper = x.toUpperCase();
        const decoys = [...decoysOf(x), ...randomDecoys.filter((d) => d.toLowerCase() !== lower && d.toUpperCase() !== upper)];
        // Profile.Name is answered from the (case-insensitive) index, Description by a scan.
        const target = org.insert('Profile', { Name: x, Description: x });
        for (const d of decoys) org.insert('Profile', { Name: d, Description: d });
        const ids = (soql: string) => executeSoql(parseSoql(soql), org, { apiVersion: '66.0' }).records.map((r) => (r as { Id: string }).Id);
        expect(ids(`SELECT Id FROM Profile WHERE Name = ${soqlQuote(x)}`)).toEqual([target.Id]);
        expect(ids(`SELECT Id FROM Profile WHERE Description = ${soqlQuote(x)}`)).toEqual([target.Id]);
        expect(ids(`SELECT Id FROM Profile WHERE Description IN ${soqlInList([x])}`)).toEqual([target.Id]);
        expect(ids(`SELECT Id FROM Profile WHERE Description LIKE '${escapeSoqlLike(x)}'`)).toEqual([target.Id]);
        expect(ids(`SELECT Id FROM Profile WHERE Description LIKE '%${escapeSoqlLike(x)}%'`)).toContain(target.Id);
      }),
      { numRuns: 1000 },
    );
  });
});

/** Whether a string has a URL encoding (no lone surrogate). */
const encodable = (p: string) => {
  try {
    encodeURIComponent(p);
    return true;
  } catch {
    return false;
  }
};

describe('orQueries', () => {
  it('splits OR-ed LIKE conditions into queries under the URI limit that together match what each condition matches', () => {
    fc.assert(
      // Values come from UTF-8 files: well-formed strings (a lone surrogate has no URL encoding).
      fc.property(fc.array(anyString.filter(encodable), { minLength: 1, maxLength: 60 }), fc.integer({ min: 300, max: 4000 }), (prefixes, limit) => {
        const conditions = prefixes.map((p) => `Description LIKE '${escapeSoqlLike(p)}%'`);
        const build = (c: string) => `SELECT Id FROM Profile WHERE ${c}`;
        let queries: string[];
        try {
          queries = orQueries(conditions, build, limit);
        } catch (e) {
          // Only a condition that cannot fit alone is refused.
          expect(e).toBeInstanceOf(QueryTooLongError);
          expect(conditions.some((c) => encodeURIComponent(build(`(${c})`)).length > limit - 4)).toBe(true);
          return;
        }
        for (const q of queries) expect(encodeURIComponent(q).length).toBeLessThanOrEqual(limit);
        const org = new MemorySource();
        const held = prefixes.map((p, i) => org.insert('Profile', { Name: `n${i}`, Description: `${p}tail` }).Id);
        const ids = new Set(queries.flatMap((q) => executeSoql(parseSoql(q), org, { apiVersion: '66.0' }).records.map((r) => (r as { Id: string }).Id)));
        for (const id of held) expect(ids.has(id)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('caps a query at 200 conditions, and gives no query for none', () => {
    const conditions = Array.from({ length: 450 }, (_, i) => `Username LIKE 'a${i}@%'`);
    expect(orQueries(conditions, (c) => `SELECT Id FROM User WHERE ${c}`, MAX_ENCODED_QUERY)).toHaveLength(3);
    expect(orQueries([], (c) => c)).toEqual([]);
  });
});
