/**
 * The local org keeps its own facts (FIDELITY.md F-02): no file under local-org/ imports product code
 * (scripts/, config/, test/ — anything outside local-org/ other than Node built-ins and npm packages),
 * and its copy of the XSD structure (xsd-types.generated.ts) is what the XSD says today.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveXsdTypes } from '../../local-org/metadata-api/xsd.ts';
import { XSD_TYPES } from '../../local-org/metadata-api/xsd-types.generated.ts';
import { REPO_ROOT } from '../helpers/local-org.ts';

const LOCAL_ORG = join(REPO_ROOT, 'local-org');
const XSD = resolve(REPO_ROOT, '../shared/reference/omni-metadata.xsd');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.[cm]?[jt]s$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** Static, re-export, type-only and dynamic import specifiers of a module's text. */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]);
  return out;
}

/** `file → specifier` for every relative import that leaves `root`. */
function importsOutside(root: string, files: Array<{ path: string; text: string }>): string[] {
  const offenders: string[] = [];
  for (const { path, text } of files) {
    for (const spec of specifiers(text)) {
      if (!spec.startsWith('.') && !spec.startsWith('/')) continue; // node: built-ins and npm packages
      const target = resolve(dirname(path), spec);
      if (relative(root, target).startsWith('..')) offenders.push(`${relative(REPO_ROOT, path)} → ${spec}`);
    }
  }
  return offenders;
}

describe('the local org keeps its own facts [F-02]', () => {
  it('the import check catches product imports of every form (static, type-only, re-export, dynamic)', () => {
    const fake = join(LOCAL_ORG, 'metadata-api/fake.ts');
    const text = [
      "import { getType } from '../../scripts/metadata/registry.ts';",
      "import type { XmlNode } from '../../scripts/metadata/xml.ts';",
      "export { parseCsv } from '../../scripts/lib/csv.ts';",
      "const m = await import('../../scripts/validate/index.ts');",
      "import { parse } from 'csv-parse/sync';",
      "import { x } from './xml.ts';",
    ].join('\n');
    expect(importsOutside(LOCAL_ORG, [{ path: fake, text }])).toEqual([
      'local-org/metadata-api/fake.ts → ../../scripts/metadata/registry.ts',
      'local-org/metadata-api/fake.ts → ../../scripts/metadata/xml.ts',
      'local-org/metadata-api/fake.ts → ../../scripts/lib/csv.ts',
      'local-org/metadata-api/fake.ts → ../../scripts/validate/index.ts',
    ]);
  });

  it('no file under local-org/ imports anything outside local-org/', () => {
    const files = sourceFiles(LOCAL_ORG).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    expect(files.length).toBeGreaterThan(20);
    expect(importsOutside(LOCAL_ORG, files)).toEqual([]);
  });

  it('xsd-types.generated.ts equals what the XSD says (regenerate with node local-org/tools/generate-xsd-types.ts)', () => {
    expect(XSD_TYPES).toEqual(deriveXsdTypes(readFileSync(XSD, 'utf8')));
  });

  it('the derived structure reads the XSD: order, occurrence, enums, nested types', () => {
    const config = XSD_TYPES.PresenceUserConfig;
    expect(config.map((e) => e.name).slice(0, 5)).toEqual(['acwExtensionDuration', 'afterConvoWorkMaxTime', 'assignments', 'capacity', 'declineReasons']);
    expect(config.find((e) => e.name === 'capacity')).toMatchObject({ kind: 'int', required: true, repeated: false, typeName: 'xsd:int' });
    expect(config.find((e) => e.name === 'declineReasons')).toMatchObject({ kind: 'string', required: false, repeated: true });
    expect(config.find((e) => e.name === 'assignments')?.children?.map((c) => c.name)).toEqual(['profiles', 'users']);
    expect(XSD_TYPES.QueueRoutingConfig.find((e) => e.name === 'routingModel')).toMatchObject({ kind: 'enum', typeName: 'RoutingModel', enumValues: ['LEAST_ACTIVE', 'MOST_AVAILABLE', 'EXTERNAL_ROUTING'] });
    const mapping = XSD_TYPES.ServiceChannel.find((e) => e.name === 'serviceChannelStatusFieldMappings');
    expect(mapping?.children?.find((c) => c.name === 'type')).toMatchObject({ kind: 'enum', typeName: 'StatusFieldMappingType', required: true });
  });
});
