/**
 * Issue #12 item 4, nested: elements omni does not know inside a modelled element (a grouped element such
 * as <queueMembers> or <assignments>, an item of a repeated one such as the second <skills>) survive
 * `omni import` → `omni generate` byte for byte, kept under otherElements by path, and the import warning
 * names the full element path. Fixture: test/fixtures/nested-unknowns (hand-written). In process, offline.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseMetadata } from '../../scripts/metadata/document.ts';
import { serializeMetadata } from '../../scripts/metadata/serialize.ts';
import { specToDocuments } from '../../scripts/yaml-spec/compile.ts';
import { importDocuments } from '../../scripts/yaml-spec/import.ts';
import { loadSpecText } from '../../scripts/yaml-spec/load.ts';
import type { OmniSpec } from '../../scripts/yaml-spec/schema.ts';
import { omniOffline } from '../helpers/omni.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/nested-unknowns');
const D = 'force-app/main/default';
const FILES = {
  grouped: `${D}/presenceUserConfigs/Tier1.presenceUserConfig-meta.xml`,
  listItem: `${D}/queueRoutingConfigs/Cases_Routing.queueRoutingConfig-meta.xml`,
  queueMembers: `${D}/queues/Support_Cases.queue-meta.xml`,
  statusAccess: `${D}/permissionsets/Omni_Agent.permissionset-meta.xml`,
};

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

async function omni(cwd: string, args: string[]): Promise<{ code: number; json: any; stderr: string }> {
  return omniOffline(cwd, [...args, '--json']);
}

describe('unknown elements nested in modelled ones (issue #12 item 4)', () => {
  it('omni import → omni generate gives every fixture file back byte for byte', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'omni-nested-'));
    temps.push(dir);
    cpSync(FIXTURE, dir, { recursive: true });
    const before = Object.fromEntries(Object.values(FILES).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));

    const imported = await omni(dir, ['import']);
    expect(imported.code, JSON.stringify(imported.json)).toBe(0);
    const warnings: string[] = imported.json.warnings;
    expect(warnings).toEqual(
      expect.arrayContaining([
        `${FILES.grouped}: <assignments><groups> is not an element omni knows; kept as is under otherElements "assignments/groups".`,
        `${FILES.listItem}: <skills><skillLevel> is not an element omni knows; kept as is under otherElements "skills[2]/skillLevel".`,
        `${FILES.queueMembers}: <queueMembers><managers> is not an element omni knows; kept as is under otherElements "queueMembers/managers".`,
        `${FILES.statusAccess}: <servicePresenceStatusAccesses><expirationDate> (in servicePresenceStatusAccesses[2]) is not an element omni knows; it stays in the file as is while that status access is granted.`,
      ]),
    );
    expect(warnings.join('\n')).not.toMatch(/_unknown|not written back|was not imported/);

    const spec = parseYaml(readFileSync(path.join(dir, 'config/omni-channel.yaml'), 'utf8'));
    expect(spec.routingConfigs.Cases_Routing.otherElements).toEqual({ 'skills[2]/skillLevel': '7' });
    expect(spec.queues.Support_Cases.otherElements).toEqual({ 'queueMembers/managers': { manager: ['lead@omni.example', 'lead2@omni.example'] } });

    // Generated over the fixture's own files: generate --check must find nothing to change.
    const check = await omni(dir, ['generate', '--check']);
    expect(check.code, JSON.stringify(check.json)).toBe(0);
    const generated = await omni(dir, ['generate']);
    expect(generated.code, generated.stderr).toBe(0);
    for (const [file, text] of Object.entries(before)) expect(readFileSync(path.join(dir, file), 'utf8'), file).toBe(text);

    // A permission set is edited in place: granting one more status keeps the Busy access as the file has it.
    const specFile = path.join(dir, 'config/omni-channel.yaml');
    writeFileSync(specFile, readFileSync(specFile, 'utf8').replace(/- Busy\n/, '- Busy\n      - Away\n'));
    expect(parseYaml(readFileSync(specFile, 'utf8')).permissionSets.Omni_Agent.statuses).toEqual(['Available', 'Busy', 'Away']);
    const regranted = await omni(dir, ['generate']);
    expect(regranted.code, regranted.stderr).toBe(0);
    const busy = before[FILES.statusAccess].match(/ {4}<servicePresenceStatusAccesses>\n(?:(?!<\/servicePresenceStatusAccesses>)[\s\S])*Busy[\s\S]*?<\/servicePresenceStatusAccesses>\n/)![0];
    expect(busy).toContain('<expirationDate>2027-01-31</expirationDate>');
    expect(readFileSync(path.join(dir, FILES.statusAccess), 'utf8')).toBe(
      before[FILES.statusAccess].replace(
        busy,
        `${busy}    <servicePresenceStatusAccesses>\n        <enabled>true</enabled>\n        <servicePresenceStatus>Away</servicePresenceStatus>\n    </servicePresenceStatusAccesses>\n`,
      ),
    );
  });

  it('a path whose parent generate does not write (the skill was removed) is a located error, not a silent loss', () => {
    const text = [
      'routingConfigs:',
      '  R:',
      '    label: R',
      '    routingModel: MOST_AVAILABLE',
      '    routingPriority: 1',
      '    skills: [English]',
      '    otherElements:',
      '      skills/skillLevel: "3"',
      '      skills[2]/skillLevel: "7"',
      '',
    ].join('\n');
    const { diagnostics } = loadSpecText(text, { file: 'config/omni-channel.yaml', projectApiVersion: '66.0' });
    expect(diagnostics.map((d) => `${d.severity} ${d.ruleId} ${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      'error SPEC-SCHEMA config/omni-channel.yaml:9:7 routingConfigs.R.otherElements.skills[2]/skillLevel: "skills[2]" is not an element generate writes for this entry, so this element has no place to go.',
    ]);
    // The key spelled with an escape (the text never says `otherElements`) is read and checked the same.
    const escaped = loadSpecText(text.replace('otherElements:', '"other\\x45lements":'), { file: 'config/omni-channel.yaml', projectApiVersion: '66.0' });
    expect(escaped.diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column}`)).toEqual(['SPEC-SCHEMA 9:7']);
  });

  it('property: nested otherElements (grouped element and list item) survive generate → parse → import', () => {
    const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
    const name = fc.stringMatching(/^z[a-zA-Z]{0,8}$/);
    const leaf = fc.oneof(fc.stringMatching(/^[A-Za-z0-9 &<>'"]{1,12}$/).filter((s) => s.trim() === s), fc.constant(null));
    const value: fc.Arbitrary<unknown> = fc.oneof(leaf, fc.dictionary(name, leaf, { minKeys: 1, maxKeys: 3 }), fc.array(leaf, { minLength: 2, maxLength: 3 }));
    const parent = fc.constantFrom('skills', 'skills[2]', 'skills[3]');
    fc.assert(
      fc.property(fc.dictionary(fc.tuple(parent, name).map(([p, n]) => `${p}/${n}`), value, { minKeys: 1, maxKeys: 4 }), (other) => {
        const spec = {
          routingConfigs: { R: { label: 'R', routingModel: 'MOST_AVAILABLE', routingPriority: 1, skills: ['A', 'B', 'C'], otherElements: other } },
        } as unknown as OmniSpec;
        const xml = serializeMetadata(specToDocuments(spec, { apiVersion: '66.0' })[0]);
        expect(xml).toContain(`<QueueRoutingConfig ${NS}`);
        const doc = parseMetadata(xml, { path: `${D}/queueRoutingConfigs/R.queueRoutingConfig-meta.xml` }).document!;
        const back = importDocuments([doc], { apiVersion: '66.0' }).spec;
        // `skills` and `skills[1]` name the same element; import writes the position for a repeated one.
        const normal = Object.fromEntries(Object.entries(other).map(([k, v]) => [k.replace(/^skills\//, 'skills[1]/'), v]));
        expect(back.routingConfigs?.R?.otherElements).toEqual(normal);
      }),
      { numRuns: 100 },
    );
  });

  it('property: nested otherElements of a grouped element (also one omni writes no known child into) survive generate → parse → import', () => {
    const name = fc.stringMatching(/^z[a-zA-Z]{0,8}$/);
    const leaf = fc.oneof(fc.stringMatching(/^[A-Za-z0-9 &<>'"]{1,12}$/).filter((s) => s.trim() === s), fc.constant(null));
    const value: fc.Arbitrary<unknown> = fc.oneof(leaf, fc.dictionary(name, leaf, { minKeys: 1, maxKeys: 3 }), fc.array(leaf, { minLength: 2, maxLength: 3 }));
    fc.assert(
      fc.property(
        fc.dictionary(name.map((n) => `assignments/${n}`), value, { minKeys: 1, maxKeys: 3 }),
        fc.array(fc.constantFrom('Admin', 'Custom: Support Profile'), { maxLength: 2 }),
        (other, profiles) => {
          const spec = { presenceConfigurations: { P: { label: 'P', capacity: 3, ...(profiles.length ? { profiles } : {}), otherElements: other } } } as unknown as OmniSpec;
          const xml = serializeMetadata(specToDocuments(spec, { apiVersion: '66.0' })[0]);
          const doc = parseMetadata(xml, { path: `${D}/presenceUserConfigs/P.presenceUserConfig-meta.xml` }).document!;
          const back = importDocuments([doc], { apiVersion: '66.0' });
          expect(back.spec.presenceConfigurations?.P?.otherElements).toEqual(other);
          // And the imported spec generates the same file again.
          expect(serializeMetadata(specToDocuments(back.spec, { apiVersion: '66.0' })[0])).toBe(xml);
        },
      ),
      { numRuns: 100 },
    );
  });
});
