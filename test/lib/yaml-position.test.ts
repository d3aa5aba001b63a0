/**
 * Duplicate keys found in one pass (parseYamlInput, with the yaml package's quadratic check off) against
 * the yaml package's own check, and yamlPosition's indexed lookups against the parser's node positions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import { parseYamlInput } from '../../scripts/lib/yaml-input.ts';
import { yamlPosition, yamlScope } from '../../scripts/lib/yaml-position.ts';

const key = fc.constantFrom('a', 'b', 'c', 'A', 'x y', 'k1');
const value = fc.constantFrom('1', 'v', 'null', '[p, q]', '{ a: 1, a: 2 }', '{ b: 1 }', '');

/** A block mapping of (possibly repeated) keys, some with nested mappings that can repeat keys too. */
const yamlText = fc
  .array(fc.tuple(key, value, fc.array(fc.tuple(key, value), { maxLength: 4 })), { minLength: 1, maxLength: 8 })
  .map((entries) =>
    entries
      .map(([k, v, nested]) => (nested.length ? `${k}:\n${nested.map(([nk, nv]) => `  ${nk}: ${nv}`).join('\n')}` : `${k}: ${v}`))
      .join('\n'),
  );

describe('duplicate keys', () => {
  it('are reported exactly when the yaml package reports them (property)', () => {
    fc.assert(
      fc.property(yamlText, (text) => {
        const library = parseDocument(text, { uniqueKeys: true }).errors.some((e) => e.code === 'DUPLICATE_KEY');
        const ours = parseYamlInput(text).problems.some((p) => p.code === 'DUPLICATE_KEY');
        expect(ours).toBe(library);
      }),
      { numRuns: 300 },
    );
  });

  it('a repeated key among 20,000 is found at its own line', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `K${i}: ${i}`);
    lines.push('K17: again');
    const problems = parseYamlInput(lines.join('\n')).problems.filter((p) => p.code === 'DUPLICATE_KEY');
    expect(problems.map((p) => [p.line, p.column])).toEqual([[20_001, 1]]);
    expect(problems[0].message).toContain('first at line 18');
  });
});

describe('yamlPosition', () => {
  it('locates every key and value of a big mapping where the parser put it (first pair wins)', () => {
    const text = ['top:', ...Array.from({ length: 3000 }, (_, i) => `  N${i}:\n    label: L${i}\n    list: [a, b]`), '  N5:\n    label: dup'].join('\n');
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
    const top = (doc.contents as YAMLMap).items[0].value as YAMLMap;
    const at = (offset: number) => ({ line: lineCounter.linePos(offset).line, column: lineCounter.linePos(offset).col });
    for (const index of [0, 5, 1234, 2999]) {
      const entry = top.items[index];
      const label = (entry.value as YAMLMap).items[0];
      expect(yamlPosition(doc, lineCounter, ['top', `N${index}`], true)).toEqual(at((entry.key as { range: [number] }).range[0]));
      expect(yamlPosition(doc, lineCounter, ['top', `N${index}`, 'label'])).toEqual(at((label.value as { range: [number] }).range[0]));
      expect(yamlPosition(doc, lineCounter, ['top', `N${index}`, 'list', 1])).toEqual({ line: 4 + 3 * index, column: 15 });
    }
    // A path that leaves the document points at the deepest node found.
    expect(yamlPosition(doc, lineCounter, ['top', 'N7', 'missing'])).toEqual({ line: 24, column: 5 });
    expect(isMap(top) && isScalar(top.items[0].key)).toBe(true);
  });

  it('yamlScope(scope)(rest) is yamlPosition([...scope, ...rest]) for every split of every path, keys and missing segments included (property)', () => {
    // Paths through the generated mappings, a flow list, values without a key's value (`k:`) and segments that leave the document.
    const segment = fc.oneof(key, fc.constantFrom(0, 1, 2, 'missing'));
    fc.assert(
      fc.property(yamlText, fc.array(segment, { maxLength: 4 }), fc.boolean(), (text, path, atKey) => {
        const lineCounter = new LineCounter();
        const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
        const whole = yamlPosition(doc, lineCounter, path, atKey);
        for (let cut = 0; cut <= path.length; cut++) {
          expect(yamlScope(doc, lineCounter, path.slice(0, cut))(path.slice(cut), atKey)).toEqual(whole);
        }
      }),
      { numRuns: 400 },
    );
  });
});
