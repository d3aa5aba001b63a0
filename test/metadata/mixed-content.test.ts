/**
 * Text beside child elements (mixed content) is an error located at the text: the Metadata API's complex
 * types are element-only, and `xmllint --schema omni-metadata.xsd` rejects it ("Character content other than
 * whitespace is not allowed"). Checked at every gap between elements of complete generated files of each
 * fully modelled type, and those same files checked by one xmllint run, so the two agree file by file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { parseMetadata } from '../../scripts/metadata/document.ts';
import { fromModel } from '../../scripts/metadata/model.ts';
import { METADATA_TYPES } from '../../scripts/metadata/registry.ts';
import { serializeMetadata } from '../../scripts/metadata/serialize.ts';
import { modelOf } from './arbitraries.ts';
import { xsdPath } from './helpers.ts';

/** 1-based line and column of `offset` in `text`, counted here. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

interface Case {
  name: string;
  xml: string;
  type: (typeof METADATA_TYPES)[number];
  at: { line: number; column: number };
}

// Every gap between two tags that holds a line break (indentation between elements, never a leaf's value),
// inside the root: `junk` written right after the tag before it, as `<capacity>20</capacity>junk`.
const cases: Case[] = METADATA_TYPES.filter((type) => !type.partial).flatMap((type) => {
  const [model] = fc.sample(modelOf(type.elements, { complete: true }), { numRuns: 1, seed: 20261130 });
  const xml = serializeMetadata(fromModel(type, 'Mixed', model));
  const rootStart = xml.indexOf(`<${type.name}`);
  const rootEnd = xml.lastIndexOf(`</${type.name}>`);
  const out: Case[] = [];
  for (const gap of xml.matchAll(/>(\s*\n\s*)</g)) {
    const offset = gap.index + 1;
    if (offset <= rootStart || offset > rootEnd) continue;
    out.push({ name: `${type.name}@${offset}`, type, xml: xml.slice(0, offset) + 'junk' + xml.slice(offset), at: position(xml, offset) });
  }
  return out;
});

describe('text beside child elements', () => {
  test('the user\'s file: one XML-VALUE-TYPE at the text, naming it and the element, with the fix', () => {
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">',
      '    <capacity>20</capacity>junk',
      '    <label>Agents</label>',
      '</PresenceUserConfig>',
      '',
    ].join('\n');
    const { diagnostics } = parseMetadata(xml, { path: 'force-app/main/default/presenceUserConfigs/Agents.presenceUserConfig-meta.xml' });
    expect(diagnostics).toEqual([
      expect.objectContaining({ ruleId: 'XML-VALUE-TYPE', severity: 'error', line: 3, column: 28, message: '<PresenceUserConfig> has "junk", expected child elements, not text.' }),
    ]);
    expect(diagnostics[0].hint).toContain('Remove the text "junk"');
  });

  test('nested and in CDATA, before the first child and after the last: each element with stray text reported once', () => {
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">',
      '    <assignments>stray',
      '        <users><![CDATA[x]]>',
      '            <user>a@b.c</user>',
      '        </users>',
      '        tail',
      '    </assignments>',
      '    <capacity>20</capacity>',
      '    <label>Agents</label>',
      '    again &amp; again',
      '</PresenceUserConfig>',
      '',
    ].join('\n');
    const { diagnostics } = parseMetadata(xml, { path: 'force-app/main/default/presenceUserConfigs/Agents.presenceUserConfig-meta.xml' });
    expect(diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column} ${d.message}`).sort()).toEqual([
      'XML-VALUE-TYPE 11:5 <PresenceUserConfig> has "again &amp; again", expected child elements, not text.',
      'XML-VALUE-TYPE 3:18 <assignments> has "stray", expected child elements, not text.',
      'XML-VALUE-TYPE 4:16 <users> has "<![CDATA[x]]>", expected child elements, not text.',
    ]);
  });

  test(`every gap between elements of each fully modelled type (${cases.length} files): reported at the text`, () => {
    expect(new Set(cases.map((c) => c.type.name)).size).toBe(METADATA_TYPES.filter((t) => !t.partial).length);
    for (const c of cases) {
      const { diagnostics } = parseMetadata(c.xml, { type: c.type, fullName: 'Mixed' });
      expect(diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column}`), c.name).toEqual([`XML-VALUE-TYPE ${c.at.line}:${c.at.column}`]);
    }
    // Without the text, the same files are clean: the finding is the text's.
    for (const c of cases) expect(parseMetadata(c.xml.replace('junk', ''), { type: c.type, fullName: 'Mixed' }).diagnostics, c.name).toEqual([]);
  });

  const outDir = mkdtempSync(path.join(tmpdir(), 'omni-mixed-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  test('xmllint --schema rejects each of those files for its text, and accepts them without it', () => {
    const files = cases.map((c, i) => {
      const file = path.join(outDir, `${i}.${c.type.suffix}-meta.xml`);
      writeFileSync(file, c.xml);
      return file;
    });
    const run = spawnSync('xmllint', ['--noout', '--schema', xsdPath, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(run.error).toBeUndefined();
    const failed = new Set(run.stderr.split('\n').filter((l) => l.includes('Character content other than whitespace is not allowed')).map((l) => l.slice(0, l.indexOf(':'))));
    expect([...failed].sort()).toEqual([...files].sort());
    for (const [i, c] of cases.entries()) writeFileSync(files[i], c.xml.replace('junk', ''));
    const clean = spawnSync('xmllint', ['--noout', '--schema', xsdPath, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(clean.stderr.split('\n').filter((l) => l !== '' && !l.endsWith(' validates'))).toEqual([]);
  });
});
