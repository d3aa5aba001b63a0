/**
 * `omni import` as a newcomer meets it (issue #12): over the hand-written sample spec it merges (comments,
 * header, order and flow lists kept; removing entries needs --force; --dry-run prints the diff), elements
 * omni does not model are kept under otherElements and named in warnings, and Metadata API format folders
 * are read (or refused with exit 2 when nothing is there). In process, offline.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMetadata } from '../../scripts/metadata/document.ts';
import { serializeMetadata } from '../../scripts/metadata/serialize.ts';
import { specToDocuments } from '../../scripts/yaml-spec/compile.ts';
import { importDocuments } from '../../scripts/yaml-spec/import.ts';
import type { OmniSpec } from '../../scripts/yaml-spec/schema.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { omniOffline } from '../helpers/omni.ts';


const SAMPLE_SPEC = readFileSync(path.join(REPO_ROOT, 'config/omni-channel.yaml'), 'utf8');
const D = 'force-app/main/default';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'omni-import-'));
  temps.push(dir);
  return dir;
}

/** The repository's sample project (spec + generated force-app) in a temp folder. */
function sampleProject(): string {
  const dir = tempDir();
  for (const entry of ['sfdx-project.json', 'config', 'force-app']) cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
  return dir;
}

async function omni(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string; json: any }> {
  return omniOffline(cwd, args);
}

const comments = (text: string) => text.split('\n').filter((l) => l.trim().startsWith('#'));
const edit = (dir: string, file: string, from: string, to: string) => {
  const text = readFileSync(path.join(dir, file), 'utf8');
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  writeFileSync(path.join(dir, file), text.replace(from, to));
};

describe('import over the hand-written sample spec (issue #12 item 9)', () => {
  it('of the files generated from it: nothing changes, byte for byte', async () => {
    const dir = sampleProject();
    const run = await omni(dir, ['import', '--json']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.json.result.action).toBe('unchanged');
    expect(readFileSync(path.join(dir, 'config/omni-channel.yaml'), 'utf8')).toBe(SAMPLE_SPEC);
  });

  it('of a changed file: only that value changes; header, every comment and the key order survive', async () => {
    const dir = sampleProject();
    edit(dir, `${D}/presenceUserConfigs/miaw.presenceUserConfig-meta.xml`, '<capacity>20</capacity>', '<capacity>25</capacity>');
    const run = await omni(dir, ['import', '--json']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.json.result.action).toBe('merged');
    const after = readFileSync(path.join(dir, 'config/omni-channel.yaml'), 'utf8');
    expect(comments(after)).toEqual(comments(SAMPLE_SPEC));
    expect(comments(SAMPLE_SPEC).length).toBeGreaterThan(5);
    expect(after).toBe(SAMPLE_SPEC.replace('    capacity: 20\n', '    capacity: 25\n'));
  });

  it('removing an entry is refused without --force (exit 1, nothing written); --dry-run shows the diff; --force removes it', async () => {
    const dir = sampleProject();
    rmSync(path.join(dir, `${D}/presenceDeclineReasons/End_of_Shift.presenceDeclineReason-meta.xml`));
    const refused = await omni(dir, ['import', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ name: 'ImportWouldRemove', status: 1 });
    expect(refused.json.message).toBe('The import would remove 1 entry of config/omni-channel.yaml that force-app does not have: declineReasons.End_of_Shift. Nothing was written.');
    expect(readFileSync(path.join(dir, 'config/omni-channel.yaml'), 'utf8')).toBe(SAMPLE_SPEC);

    const dry = await omni(dir, ['import', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('--- a/config/omni-channel.yaml\n+++ b/config/omni-channel.yaml\n');
    expect(dry.stdout).toContain('-  End_of_Shift:\n-    label: End of shift\n');
    expect(readFileSync(path.join(dir, 'config/omni-channel.yaml'), 'utf8')).toBe(SAMPLE_SPEC);

    const forced = await omni(dir, ['import', '--force', '--json']);
    expect(forced.code).toBe(0);
    expect(forced.json.result.removed).toEqual(['declineReasons.End_of_Shift']);
    const after = readFileSync(path.join(dir, 'config/omni-channel.yaml'), 'utf8');
    expect(after).toBe(SAMPLE_SPEC.replace('  End_of_Shift:\n    label: End of shift\n', ''));
  });

  it('a spec with CRLF line ends keeps them on every line: unchanged stays byte for byte, --dry-run shows only the real change, the write is all CRLF', async () => {
    const dir = sampleProject();
    const crlf = SAMPLE_SPEC.replace(/\n/g, '\r\n');
    const spec = path.join(dir, 'config/omni-channel.yaml');
    writeFileSync(spec, crlf);
    const same = await omni(dir, ['import', '--json']);
    expect(same.code, same.stdout).toBe(0);
    expect(same.json.result.action).toBe('unchanged');
    expect(readFileSync(spec, 'utf8')).toBe(crlf);
    const sameDry = await omni(dir, ['import', '--dry-run', '--json']);
    expect(sameDry.json.result.diff).toBe('');

    edit(dir, `${D}/presenceUserConfigs/miaw.presenceUserConfig-meta.xml`, '<capacity>20</capacity>', '<capacity>25</capacity>');
    const dry = await omni(dir, ['import', '--dry-run', '--json']);
    expect(dry.code, dry.stdout).toBe(0);
    const changed = dry.json.result.diff.split('\n').filter((l: string) => /^[-+](?![-+]{2} )/.test(l));
    expect(changed).toEqual(['-    capacity: 20', '+    capacity: 25']);
    expect(readFileSync(spec, 'utf8')).toBe(crlf);

    const run = await omni(dir, ['import', '--json']);
    expect(run.json.result.action).toBe('merged');
    expect(readFileSync(spec, 'utf8')).toBe(crlf.replace('    capacity: 20\r\n', '    capacity: 25\r\n'));
  });

  it('an existing CRLF spec replaced with --force (not valid YAML) is written with CRLF throughout', async () => {
    const dir = sampleProject();
    const spec = path.join(dir, 'config/omni-channel.yaml');
    writeFileSync(spec, 'channels:\r\n  A: [unclosed\r\n');
    expect((await omni(dir, ['import', '--force'])).code).toBe(0);
    const after = readFileSync(spec, 'utf8');
    expect(after).toContain('Imported by "omni import" from force-app.');
    expect(after.split('\n').slice(0, -1).every((line) => line.endsWith('\r'))).toBe(true);
    expect(after.endsWith('\r\n')).toBe(true);
  });

  it('an existing spec that is not valid YAML is refused at its line without --force, replaced with it', async () => {
    const dir = sampleProject();
    writeFileSync(path.join(dir, 'config/omni-channel.yaml'), 'channels:\n  A: [unclosed\n');
    const refused = await omni(dir, ['import', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json.name).toBe('SpecNotMergeable');
    expect(refused.json.message).toMatch(/^config\/omni-channel\.yaml:\d+:\d+: the existing spec is not valid YAML/);
    expect(readFileSync(path.join(dir, 'config/omni-channel.yaml'), 'utf8')).toBe('channels:\n  A: [unclosed\n');
    expect((await omni(dir, ['import', '--force'])).code).toBe(0);
    expect(readFileSync(path.join(dir, 'config/omni-channel.yaml'), 'utf8')).toContain('Imported by "omni import" from force-app.');
  });
});

describe('version-aware import (issue #12 item 7)', () => {
  it("keys newer than the API version generate uses (the spec's apiVersion over sourceApiVersion) are left out with a warning; generate accepts the result", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
    mkdirSync(path.join(dir, 'config'));
    writeFileSync(path.join(dir, 'config/omni-channel.yaml'), "# pinned for the oldest org we deploy to\napiVersion: '62.0'\n");
    mkdirSync(path.join(dir, `${D}/serviceChannels`), { recursive: true });
    writeFileSync(
      path.join(dir, `${D}/serviceChannels/Cases.serviceChannel-meta.xml`),
      '<?xml version="1.0" encoding="UTF-8"?>\n<ServiceChannel xmlns="http://soap.sforce.com/2006/04/metadata">\n    <capacityModel>TAB_BASED</capacityModel>\n    <label>Cases</label>\n    <relatedEntityType>Case</relatedEntityType>\n</ServiceChannel>\n',
    );
    const run = await omni(dir, ['import', '--json']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.json.warnings).toContain(
      `${D}/serviceChannels/Cases.serviceChannel-meta.xml: <capacityModel> needs API 65.0, but the project's API version is 62.0; "capacityModel" was not imported. Raise the API version (sourceApiVersion in sfdx-project.json, or apiVersion in the spec) to 65.0 or later and import again to keep it.`,
    );
    const spec = readFileSync(path.join(dir, 'config/omni-channel.yaml'), 'utf8');
    expect(spec).toContain("# pinned for the oldest org we deploy to\napiVersion: '62.0'\n");
    expect(spec).not.toContain('capacityModel');
    const generate = await omni(dir, ['generate', '--json']);
    expect(generate.code, generate.stdout).toBe(0);
  });
});

describe('elements omni does not model (issue #12 item 4)', () => {
  const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
  const settings = (extra: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<OmniChannelSettings ${NS}>\n    <enableOmniChannel>true</enableOmniChannel>\n${extra}</OmniChannelSettings>\n`;
  const read = (source: string, file = `${D}/settings/OmniChannel.settings-meta.xml`) => parseMetadata(source, { path: file }).document!;

  it('go to otherElements, come back byte for byte, and warnings name them (never <_unknown>)', () => {
    const source = settings('    <omniAutoLoginOption>RemainLoggedIn</omniAutoLoginOption>\n');
    const { spec, warnings } = importDocuments([read(source)], { apiVersion: '66.0' });
    expect(spec.settings).toEqual({ enableOmniChannel: true, otherElements: { omniAutoLoginOption: 'RemainLoggedIn' } });
    expect(warnings).toEqual([]);
    expect(serializeMetadata(specToDocuments(spec, { apiVersion: '66.0' })[0])).toBe(source);
  });

  it('an unknown element inside a modelled one is kept under its path and named with its parent in the warning', () => {
    const queue = `<?xml version="1.0" encoding="UTF-8"?>\n<Queue ${NS}>\n    <name>Q</name>\n    <queueMembers>\n        <managers>\n            <manager>m</manager>\n        </managers>\n    </queueMembers>\n</Queue>\n`;
    const { spec, warnings } = importDocuments([read(queue, `${D}/queues/Q.queue-meta.xml`)], { apiVersion: '66.0' });
    expect(spec.queues?.Q?.otherElements).toEqual({ 'queueMembers/managers': { manager: 'm' } });
    // <queueMembers> has no child omni knows: generate writes it for the unknown one, as the file had it.
    expect(serializeMetadata(specToDocuments(spec, { apiVersion: '66.0' })[0])).toBe(queue.replace('<Queue ' + NS + '>\n', `<Queue ${NS}>\n    <doesSendEmailToMembers>false</doesSendEmailToMembers>\n`));
    expect(warnings).toContain(`${D}/queues/Q.queue-meta.xml: <queueMembers><managers> is not an element omni knows; kept as is under otherElements "queueMembers/managers".`);
    expect(warnings.join('\n')).not.toContain('_unknown');
  });

  it('property: any otherElements value survives generate → parse → import', () => {
    const name = fc.stringMatching(/^z[a-zA-Z]{0,8}$/);
    const leaf = fc.oneof(fc.stringMatching(/^[A-Za-z0-9 &<>'"]{1,12}$/).filter((s) => s.trim() === s), fc.constant(null));
    const value: fc.Arbitrary<unknown> = fc.oneof(leaf, fc.dictionary(name, leaf, { minKeys: 1, maxKeys: 3 }), fc.array(leaf, { minLength: 2, maxLength: 3 }));
    fc.assert(
      fc.property(fc.dictionary(name, value, { minKeys: 1, maxKeys: 3 }), (other) => {
        const spec = { settings: { enableOmniChannel: true, otherElements: other } } as unknown as OmniSpec;
        const xml = serializeMetadata(specToDocuments(spec, { apiVersion: '66.0' })[0]);
        const back = importDocuments([read(xml)], { apiVersion: '66.0' }).spec;
        expect(back.settings?.otherElements).toEqual(other);
      }),
      { numRuns: 150 },
    );
  });
});

describe('Metadata API format folders (issue #12 item 5)', () => {
  const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
  const mdapiFolder = (root: string) => {
    mkdirSync(path.join(root, 'src/presenceUserConfigs'), { recursive: true });
    writeFileSync(path.join(root, 'src/package.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<Package ${NS}>\n    <types>\n        <members>*</members>\n        <name>PresenceUserConfig</name>\n    </types>\n    <version>62.0</version>\n</Package>\n`);
    writeFileSync(
      path.join(root, 'src/presenceUserConfigs/Tier1.presenceUserConfig'),
      `<?xml version="1.0" encoding="UTF-8"?>\n<PresenceUserConfig ${NS}>\n    <capacity>0</capacity>\n    <label>Tier 1</label>\n</PresenceUserConfig>\n`,
    );
  };

  it('validate reads them, also outside any sfdx project (at package.xml <version>)', async () => {
    const dir = tempDir();
    mdapiFolder(dir);
    const run = await omni(dir, ['validate', 'src', '--json']);
    expect(run.code).toBe(1);
    expect(run.json.result.summary.filesChecked).toBe(1);
    expect(run.json.result.diagnostics.filter((d: { severity: string }) => d.severity === 'error').map((d: any) => `${d.ruleId} ${d.file}:${d.line}:${d.column}`)).toEqual([
      'PUC-CAPACITY src/presenceUserConfigs/Tier1.presenceUserConfig:3:5',
    ]);
  });

  it('an explicit path with no Omni-Channel file is exit 2, never "0 files checked" and success', async () => {
    const dir = sampleProject();
    mkdirSync(path.join(dir, 'empty'));
    writeFileSync(path.join(dir, 'empty/package.xml'), `<Package ${NS}><version>62.0</version></Package>\n`);
    const run = await omni(dir, ['validate', 'empty', '--json']);
    expect(run.code).toBe(2);
    expect(run.json.message).toBe('No Omni-Channel metadata file in empty: nothing was checked.');
  });
});

describe('a value the spec cannot hold (commands agree)', () => {
  it('is refused by import with the findings validate gives the same file (exit 68); the rest is imported', async () => {
    const dir = sampleProject();
    const file = `${D}/presenceUserConfigs/miaw.presenceUserConfig-meta.xml`;
    edit(dir, file, '<capacity>20</capacity>', '<capacity>0</capacity>');
    edit(dir, file, '<declineReasons>Wrong_Queue</declineReasons>', '<declineReasons>Wrong Queue</declineReasons>');
    const validate = await omni(dir, ['validate', file, '--json']);
    expect(validate.code).toBe(1);
    const errors = validate.json.result.diagnostics.filter((d: { severity: string }) => d.severity === 'error');
    // §10 rule 5 (capacity ≥ 1) and §0.3 (a decline reason is named by its developer name).
    expect(errors.map((d: { ruleId: string; line: number }) => `${d.ruleId}@${d.line}`)).toEqual(['PUC-CAPACITY@5', 'REF-NAME@6']);

    const run = await omni(dir, ['import', '--out', 'config/imported.yaml', '--json']);
    expect(run.code, run.stdout).toBe(68);
    expect(run.json.result.refused).toEqual([{ file, line: 5, column: 5, ruleId: 'PUC-CAPACITY', message: errors[0].message }]);
    for (const e of errors) expect(run.json.warnings.join('\n')).toContain(`${e.ruleId}: ${e.message}`);
    expect(run.json.result.imported.PresenceUserConfig).toBe(2);
    const written = readFileSync(path.join(dir, 'config/imported.yaml'), 'utf8');
    expect(written).toContain('Voice_Agents:');
    expect(written).not.toContain('miaw:');
  });

  it('over an existing spec, a refused file leaves its entry as the spec has it (not "removed"): exit 68, the spec byte for byte', async () => {
    const dir = sampleProject();
    const file = `${D}/presenceUserConfigs/miaw.presenceUserConfig-meta.xml`;
    for (const [capacity, ruleId] of [['0', 'PUC-CAPACITY'], ['0.5', 'XML-VALUE-TYPE']]) {
      writeFileSync(path.join(dir, file), readFileSync(path.join(REPO_ROOT, file), 'utf8').replace('<capacity>20</capacity>', `<capacity>${capacity}</capacity>`));
      const run = await omni(dir, ['import', '--json']);
      expect(run.code, run.stdout).toBe(68);
      expect(run.json.result).toMatchObject({ action: 'unchanged', removed: [], refused: [{ file, ruleId }] });
      expect(readFileSync(path.join(dir, 'config/omni-channel.yaml'), 'utf8')).toBe(SAMPLE_SPEC);
    }
  });
});
