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
import { METADATA_TYPES, type MetadataTypeDef } from '../../scripts/metadata/registry.ts';
import { serializeMetadata } from '../../scripts/metadata/serialize.ts';
import { modelOf } from './arbitraries.ts';
import { xsdPath } from './helpers.ts';

const modelFor = (type: MetadataTypeDef) => modelOf(type.elements, { complete: true });

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
