/**
 * inKeyOrder: every finding's keys in the one order the JSON outputs show (ruleId, severity, message, hint, file,
 * line, column, related), whichever producer built it; a finding already in that order is the same object (validate
 * keeps 20,000 of them under --json, bench/RESULTS.md "Validate at scale"), any other a copy; the input unchanged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inKeyOrder, type Diagnostic } from '../../scripts/lib/diagnostic.ts';

const ORDER = ['ruleId', 'severity', 'message', 'hint', 'file', 'line', 'column', 'related'] as const;

const values: Record<(typeof ORDER)[number], fc.Arbitrary<unknown>> = {
  ruleId: fc.constantFrom('REF-UNRESOLVED-LOCALLY', 'XML-MALFORMED'),
  severity: fc.constantFrom('error', 'warning', 'info'),
  message: fc.string(),
  hint: fc.option(fc.string(), { nil: undefined }),
  file: fc.option(fc.constantFrom('config/omni-channel.yaml', 'force-app/a.xml'), { nil: undefined }),
  line: fc.option(fc.nat(), { nil: undefined }),
  column: fc.option(fc.nat(), { nil: undefined }),
  related: fc.option(fc.constant([{ file: 'b.xml', line: 2 }]), { nil: undefined }),
};

/**
 * A finding as some producer builds it: the required keys and some optional ones (a few holding undefined), in any
 * order or in the order, maybe with a key of its own.
 */
const finding = fc
  .record({
    ruleId: values.ruleId,
    severity: values.severity,
    message: values.message,
    hint: values.hint,
    file: values.file,
    line: values.line,
    column: values.column,
    related: values.related,
    keys: fc.shuffledSubarray([...ORDER]),
    sorted: fc.boolean(),
    extra: fc.boolean(),
  })
  .map((r) => {
    const keys: string[] = [...r.keys, ...['ruleId', 'severity', 'message'].filter((k) => !r.keys.includes(k as never))];
    if (r.sorted) keys.sort((a, b) => ORDER.indexOf(a as never) - ORDER.indexOf(b as never));
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = r[key as keyof typeof r];
    if (r.extra) out.code = 'X';
    return out as unknown as Diagnostic;
  });

describe('inKeyOrder', () => {
  it('gives the defined keys of the order, with their values, in its order; the same object only when it already was', () => {
    fc.assert(
      fc.property(finding, (d) => {
        const before = JSON.stringify(d);
        const keys = Object.keys(d);
        const expected = ORDER.filter((k) => (d as unknown as Record<string, unknown>)[k] !== undefined);
        const already = keys.length === expected.length && keys.every((k, i) => k === expected[i]);
        const out = inKeyOrder(d);
        expect(Object.keys(out)).toEqual(expected);
        for (const k of expected) expect((out as unknown as Record<string, unknown>)[k]).toBe((d as unknown as Record<string, unknown>)[k]);
        expect(out === d).toBe(already);
        expect(JSON.stringify(d)).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it('copies one out of order, with a key holding undefined, or with a key of its own', () => {
    const inOrder: Diagnostic = { ruleId: 'R', severity: 'info', message: 'm', hint: 'h', file: 'f', line: 1, column: 2 };
    expect(inKeyOrder(inOrder)).toBe(inOrder);
    const swapped = { ruleId: 'R', severity: 'info', message: 'm', file: 'f', hint: 'h' } as Diagnostic;
    expect(Object.keys(inKeyOrder(swapped))).toEqual(['ruleId', 'severity', 'message', 'hint', 'file']);
    const holdsUndefined: Diagnostic = { ruleId: 'R', severity: 'info', message: 'm', hint: undefined, file: 'f' };
    expect(Object.keys(inKeyOrder(holdsUndefined))).toEqual(['ruleId', 'severity', 'message', 'file']);
    const own = { ruleId: 'R', severity: 'info', message: 'm', code: 'X' } as unknown as Diagnostic;
    expect(Object.keys(inKeyOrder(own))).toEqual(['ruleId', 'severity', 'message']);
  });
});
