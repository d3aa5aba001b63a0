/**
 * Property tests: whatever the input — XML-ish noise, well-formed documents with random elements and values
 * of every registry type, arbitrary YAML for the spec — the validator returns located diagnostics and
 * never throws.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { MetadataDocument } from '../../scripts/metadata/document.ts';
import { parseMetadata } from '../../scripts/metadata/document.ts';
import { METADATA_TYPES, type ElementDef } from '../../scripts/metadata/registry.ts';
import { loadSpecText } from '../../scripts/yaml-spec/load.ts';
import { specToDocuments } from '../../scripts/yaml-spec/compile.ts';
import { validateDocuments } from '../../scripts/validate/index.ts';
import type { Diagnostic } from '../../scripts/lib/diagnostic.ts';
import { NS } from './helpers.ts';

function wellFormedDiagnostics(diagnostics: Diagnostic[]) {
  for (const d of diagnostics) {
    expect(typeof d.ruleId).toBe('string');
    expect(['error', 'warning', 'info']).toContain(d.severity);
    expect(d.message.length).toBeGreaterThan(0);
    if (d.line !== undefined) expect(d.line).toBeGreaterThanOrEqual(1);
  }
}

const xmlText = fc.oneof(
  fc.constantFrom('true', 'false', '0', '-1', '5', '3601', '1.5', 'NaN', '', ' ', 'Away', 'sfdc_phone', '{!User_Email}', 'STATUS_BASED', 'VoiceCall', 'Case', '&amp;', '10', '11'),
  fc.string({ maxLength: 12 }).map((s) => s.replace(/[<&]/g, '')),
);

/** A well-formed element tree using the registry's element names (so the rules really run), nested randomly. */
function elementArbitrary(defs: readonly ElementDef[], depth: number): fc.Arbitrary<string> {
  const names = defs.map((d) => d.name);
  return fc
    .tuple(fc.constantFrom(...names, 'unknownThing'), xmlText, fc.boolean())
    .chain(([name, text, nil]) => {
      const def = defs.find((d) => d.name === name);
      if (def?.children?.length && depth > 0) {
        return fc.array(elementArbitrary(def.children, depth - 1), { maxLength: 4 }).map((kids) => `<${name}>${kids.join('')}</${name}>`);
      }
      return fc.constant(nil ? `<${name} xsi:nil="true"/>` : `<${name}>${text}</${name}>`);
    });
}

const documentArbitrary = fc.constantFrom(...METADATA_TYPES).chain((type) =>
  fc
    .tuple(fc.array(elementArbitrary(type.elements, 3), { maxLength: 12 }), fc.constantFrom('Alpha', 'default_presence_config', 'x__y', 'Bad_', 'OmniChannel'))
    .map(([elements, name]) => ({
      type,
      name: type.fixedFullName ?? name,
      source: `<?xml version="1.0" encoding="UTF-8"?>\n<${type.name} xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n${elements.join('\n')}\n</${type.name}>\n`,
    })),
);

describe('never throws, always returns diagnostics', () => {
  test('arbitrary XML-ish strings', () => {
    const xmlish = fc.array(fc.oneof(fc.constantFrom('<', '>', '</', '/>', '<capacity>', '</capacity>', '<?xml version="1.0"?>', '<PresenceUserConfig xmlns="' + NS + '">', '</PresenceUserConfig>', '&', '"', 'xsi:nil="true"', '\n'), fc.string({ maxLength: 6 })), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(xmlish, (source) => {
        const parsed = parseMetadata(source, { path: 'force-app/main/default/presenceUserConfigs/A.presenceUserConfig-meta.xml' });
        const diagnostics = validateDocuments(parsed.document ? [parsed.document] : [], { apiVersion: 66 });
        expect(Array.isArray(diagnostics)).toBe(true);
        wellFormedDiagnostics([...parsed.diagnostics, ...diagnostics]);
      }),
      { numRuns: 300 },
    );
  });

  test('well-formed documents of every type with random elements and values, validated together', () => {
    fc.assert(
      fc.property(fc.array(documentArbitrary, { minLength: 1, maxLength: 6 }), fc.constantFrom(undefined, 44, 60, 66, 67), (docs, apiVersion) => {
        const documents: MetadataDocument[] = [];
        for (const { type, name, source } of docs) {
          const parsed = parseMetadata(source, { path: `force-app/main/default/${type.directoryName}/${name}.${type.suffix}-meta.xml`, type, fullName: name });
          if (parsed.document) documents.push(parsed.document);
        }
        const diagnostics = validateDocuments(documents, { apiVersion });
        wellFormedDiagnostics(diagnostics);
        for (const d of diagnostics) expect(d.file).toMatch(/^force-app\//);
      }),
      { numRuns: 300 },
    );
  });

  test('arbitrary YAML through the spec loader and specToDocuments', () => {
    const yamlish = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      { weight: 3, arbitrary: fc
        .record({
          statuses: fc.dictionary(fc.constantFrom('Away', 'Online', 'Busy'), fc.record({ label: fc.constantFrom('Away', 'On line'), channels: fc.array(fc.constantFrom('sfdc_phone', 'Nope'), { maxLength: 2 }) }, { requiredKeys: [] })),
          presenceConfigurations: fc.dictionary(
            fc.constantFrom('Agents', 'miaw'),
            fc.record({ label: fc.constant('A'), capacity: fc.integer({ min: -2, max: 8 }), statusOnDecline: fc.constantFrom('Away', 'Online', 'Zzz'), allowDecline: fc.boolean(), profiles: fc.array(fc.constantFrom('Agent', 'agent'), { maxLength: 2 }) }, { requiredKeys: [] }),
          ),
        }, { requiredKeys: [] })
        .map((spec) => JSON.stringify(spec)) },
    );
    let specsWithDocuments = 0;
    fc.assert(
      fc.property(yamlish, (text) => {
        const loaded = loadSpecText(text, { file: 'config/omni-channel.yaml', apiVersion: '66.0' });
        wellFormedDiagnostics(loaded.diagnostics);
        if (!loaded.spec) return;
        const documents = specToDocuments(loaded.spec, { apiVersion: '66.0', locate: loaded.locate, file: 'config/omni-channel.yaml' });
        if (documents.length) specsWithDocuments++;
        const diagnostics = validateDocuments(documents, { apiVersion: 66 });
        wellFormedDiagnostics(diagnostics);
        for (const d of diagnostics) expect(d.file).toBe('config/omni-channel.yaml');
      }),
      { numRuns: 200 },
    );
    // The generator must reach the rules, not only the loader's rejections.
    expect(specsWithDocuments).toBeGreaterThanOrEqual(3);
  });
});
