/**
 * Complete models generated from the registry (every required element present, at every depth) serialize
 * to files the XSD accepts: checked with one xmllint run over a 54-file sample (6 per type), since
 * spawning xmllint inside a property would be far too slow. The round trip of such models must also be
 * free of every diagnostic, CR and astral characters in strings included.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { parseMetadata } from '../../scripts/metadata/document.ts';
import { fromModel, toModel } from '../../scripts/metadata/model.ts';
import { METADATA_TYPES, type ElementDef, type MetadataTypeDef } from '../../scripts/metadata/registry.ts';
import { serializeMetadata } from '../../scripts/metadata/serialize.ts';
import { xsdPath } from './helpers.ts';

// XML 1.0 Char minus what cannot be carried: C0 controls other than TAB/LF/CR, U+FFFE/U+FFFF.
// (Lone surrogates never appear: the grapheme unit yields whole code points.)
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const piece = fc.oneof(
  fc.constantFrom('&', '<', '>', '"', "'", ' ', '\n', '\t', '\r', '\r\n', ']]>', '&amp;', '&#13;', '{!User_FullName}', 'ü', '中', '𝄞', '😀', '\u00A0', '\u2028'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);
// Whitespace-only values read back as '' (formatting, see parse.test.ts), so the generator leaves them out.
const text = fc.string({ unit: piece, minLength: 1, maxLength: 10 }).filter((s) => !NOT_XML_CHAR.test(s) && s.trim() !== '');

function valueOf(def: ElementDef): fc.Arbitrary<unknown> {
  switch (def.kind) {
    case 'string':
      return text;
    case 'int':
      return fc.integer({ min: -2147483648, max: 2147483647 });
    case 'double':
      return fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0));
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...def.enumValues!);
    case 'complex':
      return completeModelOf(def.children ?? []);
  }
}

/** A model with every required element (so the XSD's minOccurs holds) and any optional ones. */
function completeModelOf(defs: readonly ElementDef[]): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const def of defs) {
    if (def.opaque) continue;
    shape[def.name] = def.repeated ? fc.array(valueOf(def), { minLength: 1, maxLength: 3 }) : valueOf(def);
  }
  return fc.record(shape, { requiredKeys: defs.filter((d) => d.required && !d.opaque).map((d) => d.name) });
}

const modelFor = (type: MetadataTypeDef) => completeModelOf(type.elements);

describe('generated complete models', () => {
  test('round trip without a single diagnostic; canonical output is a fixed point', () => {
    const typed = fc.constantFrom(...METADATA_TYPES).chain((type) => modelFor(type).map((model) => ({ type, model })));
    fc.assert(
      fc.property(typed, ({ type, model }) => {
        const xml = serializeMetadata(fromModel(type, 'Generated', model));
        const parsed = parseMetadata(xml, { type, fullName: 'Generated' });
        expect(parsed.diagnostics).toEqual([]);
        expect(toModel(parsed.document!)).toEqual(model);
        expect(serializeMetadata(parsed.document!)).toBe(xml);
      }),
      { numRuns: 300 },
    );
  });

  const outDir = mkdtempSync(path.join(tmpdir(), 'omni-generated-xsd-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  test('a 54-file sample (6 per type) validates against omni-metadata.xsd in one xmllint run', () => {
    const files: string[] = [];
    for (const type of METADATA_TYPES) {
      const models = fc.sample(modelFor(type), { numRuns: 6, seed: 20261123 });
      models.forEach((model, i) => {
        const file = path.join(outDir, `${type.name}_${i}.${type.suffix}-meta.xml`);
        writeFileSync(file, serializeMetadata(fromModel(type, `${type.name}_${i}`, model)));
        files.push(file);
      });
    }
    expect(files).toHaveLength(54);
    const run = spawnSync('xmllint', ['--noout', '--schema', xsdPath, ...files], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    expect(run.error).toBeUndefined();
    const validated = run.stderr.split('\n').filter((l) => l.endsWith(' validates'));
    const problems = run.stderr.split('\n').filter((l) => l !== '' && !l.endsWith(' validates'));
    expect(problems).toEqual([]);
    expect(validated).toHaveLength(54);
    expect(run.status).toBe(0);
  });

  test('the XSD check is not vacuous: a generated file missing a required element fails it', () => {
    const type = METADATA_TYPES.find((t) => t.name === 'ServiceChannel')!;
    const file = path.join(outDir, 'Broken.serviceChannel-meta.xml');
    writeFileSync(file, serializeMetadata(fromModel(type, 'Broken', { label: 'no related entity type' })));
    const run = spawnSync('xmllint', ['--noout', '--schema', xsdPath, file], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('relatedEntityType');
  });
});
