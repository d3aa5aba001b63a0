import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executeSoql, parseSoql } from '../../local-org/soql/index.ts';
import { escapeSoql, escapeSoqlLike, soqlInList, soqlQuote } from '../../scripts/org/soql.ts';
import { MemorySource } from '../local-org/soql/fixture.ts';

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
  fc.string({ unit: 'binary', maxLength: 20 }),
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
