/**
 * Property tests: for arbitrary models generated from the registry (every type, every element kind,
 * repeated and nested elements, unicode and XML-special characters in strings),
 * toModel(parse(serialize(fromModel(m)))) === m; and the parsers never throw, whatever the input.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseMetadata } from '../../scripts/metadata/document.ts';
import { fromModel, toModel } from '../../scripts/metadata/model.ts';
import { METADATA_TYPES, type ElementDef, type MetadataTypeDef } from '../../scripts/metadata/registry.ts';
import { serializeMetadata } from '../../scripts/metadata/serialize.ts';
import { parseXml } from '../../scripts/metadata/xml.ts';
import { modelOf } from './arbitraries.ts';
import { binaryString } from '../helpers/arbitraries.ts';


/**
 * Each type's model arbitrary, built once: built in the chain, every generated value made its type's arbitraries
 * again (dozens of string arbitraries, each of which fast-check prepares), for the same values (same seed, same
 * samples).
 */
const modelsByType = new Map(METADATA_TYPES.map((type) => [type, modelOf(type.elements, { complete: false }).map((model) => ({ type, model }))]));
const typedModel: fc.Arbitrary<{ type: MetadataTypeDef; model: Record<string, unknown> }> = fc.constantFrom(...METADATA_TYPES).chain((type) => modelsByType.get(type)!);

describe('model ⇄ XML round trip', () => {
  test('toModel(parse(serialize(fromModel(m)))) equals m, for every type', () => {
    fc.assert(
      fc.property(typedModel, ({ type, model }) => {
        const xml = serializeMetadata(fromModel(type, 'Generated_Name', model));
        const parsed = parseMetadata(xml, { type, fullName: 'Generated_Name' });
        expect(parsed.diagnostics.filter((d) => d.ruleId !== 'XML-REQUIRED')).toEqual([]);
        expect(toModel(parsed.document!)).toEqual(model);
        // Canonical output is a fixed point.
        expect(serializeMetadata(parsed.document!)).toBe(xml);
      }),
      { numRuns: 400 },
    );
  });

  test('every registry element and kind is reachable by the generator', () => {
    const seen = new Set<string>();
    const walk = (value: unknown, prefix: string) => {
      if (value === null || typeof value !== 'object') return;
      for (const [key, v] of Object.entries(value)) {
        seen.add(`${prefix}.${key}`);
        for (const item of Array.isArray(v) ? v : [v]) walk(item, `${prefix}.${key}`);
      }
    };
    for (const { type, model } of fc.sample(typedModel, { numRuns: 3000, seed: 42 })) walk(model, type.name);
    const expected: string[] = [];
    const list = (defs: readonly ElementDef[], prefix: string) => {
      for (const def of defs) {
        if (def.opaque) continue;
        expected.push(`${prefix}.${def.name}`);
        list(def.children ?? [], `${prefix}.${def.name}`);
      }
    };
    for (const type of METADATA_TYPES) list(type.elements, type.name);
    expect(expected.filter((p) => !seen.has(p))).toEqual([]);
  });
});

describe('parsers never throw', () => {
  test('on arbitrary strings', () => {
    fc.assert(
      fc.property(binaryString({ maxLength: 200 }), (input) => {
        const xml = parseXml(input);
        expect(xml.root !== undefined || xml.error !== undefined).toBe(true);
        for (const type of [undefined, METADATA_TYPES[4]]) {
          const result = parseMetadata(input, { type });
          expect(Array.isArray(result.diagnostics)).toBe(true);
          if (!result.document) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('on mutations of valid documents (cut, duplicated and inserted markup)', () => {
    const piece = fc.constantFrom('<', '>', '</', '/>', '&', '&amp;', '&#x0;', '"', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', 'xsi:nil="true"', '\uFEFF', '\r\n', '<label>', '</capacity>');
    const insert = fc.oneof(piece, fc.string({ maxLength: 4 }));
    const mutated = typedModel.chain(({ type, model }) => {
      const xml = serializeMetadata(fromModel(type, 'M', model));
      return fc
        .array(fc.tuple(fc.nat(xml.length), fc.nat(8), insert), { minLength: 1, maxLength: 4 })
        .map((edits) => ({
          type,
          source: edits.reduce((s, [at, cut, insert]) => s.slice(0, at % (s.length + 1)) + insert + s.slice((at % (s.length + 1)) + cut), xml),
        }));
    });
    fc.assert(
      fc.property(mutated, ({ type, source }) => {
        const result = parseMetadata(source, { type, path: `x/${type.directoryName}/M.${type.suffix}-meta.xml` });
        for (const d of result.diagnostics) {
          expect(typeof d.ruleId).toBe('string');
          if (d.ruleId !== 'XML-TYPE-UNKNOWN') expect(d.line).toBeGreaterThanOrEqual(1);
        }
        if (result.document) expect(() => serializeMetadata(result.document!)).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });
});
