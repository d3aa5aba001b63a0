import { existsSync, readFileSync, writeFileSync, mkdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getType } from '../../scripts/metadata/registry.ts';
import { TYPE_MAPPINGS } from '../../scripts/yaml-spec/mapping.ts';
import { GOLDEN, REPO_ROOT, listTree, specProject, omni } from './helpers.ts';

const SAMPLE = path.join(REPO_ROOT, 'config/omni-channel.yaml');

describe('omni generate (CLI entry in-process)', () => {
  it('writes every file, then a second run changes nothing', async () => {
    const root = specProject({ specFrom: SAMPLE });
    const first = await omni(['generate', '--json'], root);
    expect(first.status).toBe(0);
    expect(first.json?.status).toBe(0);
    const files = first.json!.result.files as Array<{ path: string; type: string; fullName: string; action: string }>;
    expect(files.find((f) => f.fullName === 'miaw')).toMatchObject({ type: 'PresenceUserConfig', action: 'created', path: 'force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml' });
    expect(files.find((f) => f.type === 'JsonSchema')).toMatchObject({ path: 'config/omni-channel.schema.json' });
    expect(files.every((f) => f.action === 'created')).toBe(true);
    const snapshot = listTree(root).map((f) => [f, readFileSync(path.join(root, f), 'utf8')]);
    const second = await omni(['generate', '--json'], root);
    expect(second.status).toBe(0);
    expect((second.json!.result.files as Array<{ action: string }>).every((f) => f.action === 'unchanged')).toBe(true);
    expect(listTree(root).map((f) => [f, readFileSync(path.join(root, f), 'utf8')])).toEqual(snapshot);
  });

  it('--check exits 1 on drift and writes nothing; 0 when up to date', async () => {
    const root = specProject({ specFrom: SAMPLE });
    expect((await omni(['generate', '--check'], root)).status).toBe(1);
    expect(existsSync(path.join(root, 'force-app/main/default'))).toBe(false);
    expect((await omni(['generate'], root)).status).toBe(0);
    expect((await omni(['generate', '--check'], root)).status).toBe(0);
    const file = path.join(root, 'force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('<capacity>20</capacity>', '<capacity>21</capacity>'));
    const drift = await omni(['generate', '--check', '--json'], root);
    expect(drift.status).toBe(1);
    expect(drift.json!.result.files.find((f: { fullName: string }) => f.fullName === 'miaw').action).toBe('updated');
    expect(readFileSync(file, 'utf8')).toContain('<capacity>21</capacity>');
  });

  it('--dry-run prints a unified diff and writes nothing', async () => {
    const root = specProject({ specFrom: SAMPLE });
    await omni(['generate'], root);
    const file = path.join(root, 'force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('<capacity>20</capacity>', '<capacity>21</capacity>'));
    const run = await omni(['generate', '--dry-run'], root);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--- a/force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml');
    expect(run.stdout).toContain('-    <capacity>21</capacity>');
    expect(run.stdout).toContain('+    <capacity>20</capacity>');
    expect(readFileSync(file, 'utf8')).toContain('<capacity>21</capacity>');
  });

  it('reports files the spec does not describe as extra; --prune deletes them', async () => {
    const root = specProject({ specFrom: SAMPLE });
    const dir = path.join(root, 'force-app/main/default/presenceDeclineReasons');
    mkdirSync(dir, { recursive: true });
    const extra = path.join(dir, 'Stale.presenceDeclineReason-meta.xml');
    writeFileSync(extra, '<?xml version="1.0" encoding="UTF-8"?>\n<PresenceDeclineReason xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>Stale</label>\n</PresenceDeclineReason>\n');
    const run = await omni(['generate', '--json'], root);
    expect(run.json!.result.extra).toEqual([{ path: 'force-app/main/default/presenceDeclineReasons/Stale.presenceDeclineReason-meta.xml', type: 'PresenceDeclineReason', fullName: 'Stale', action: 'extra' }]);
    expect(run.json!.warnings.join('\n')).toContain('Stale');
    expect(existsSync(extra)).toBe(true);
    expect((await omni(['generate', '--check', '--prune'], root)).status).toBe(1);
    const pruned = await omni(['generate', '--prune', '--json'], root);
    expect(pruned.json!.result.extra[0].action).toBe('deleted');
    expect(existsSync(extra)).toBe(false);
  });

  it('--dry-run on a new project prints a diff per file and creates nothing, not even folders; --json carries the diffs', async () => {
    const root = specProject({ specFrom: SAMPLE });
    const before = listTree(root);
    const run = await omni(['generate', '--dry-run'], root);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--- /dev/null');
    expect(run.stdout).toContain('+++ b/force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml');
    expect(run.stdout).toContain('+    <capacity>20</capacity>');
    expect(run.stdout).toMatch(/Dry run, nothing written\./);
    expect(listTree(root)).toEqual(before);
    expect(existsSync(path.join(root, 'force-app/main'))).toBe(false);
    const json = await omni(['generate', '--dry-run', '--json'], root);
    expect(json.json!.result.dryRun).toBe(true);
    const miaw = json.json!.result.files.find((f: { fullName: string }) => f.fullName === 'miaw');
    expect(miaw).toMatchObject({ action: 'created' });
    expect(miaw.diff).toContain('+    <label>miaw</label>');
    expect(listTree(root)).toEqual(before);
  });

  it('--check fails on a file of the spec\'s types the spec does not describe (what --prune would delete), and says how to fix it', async () => {
    // A check that passes means `generate` (with --prune) would change nothing: the file would deploy beside the spec's.
    const root = specProject({ specFrom: SAMPLE });
    expect((await omni(['generate'], root)).status).toBe(0);
    expect((await omni(['generate', '--check'], root)).status).toBe(0);
    const stale = path.join(root, 'force-app/main/default/serviceChannels/Stale.serviceChannel-meta.xml');
    writeFileSync(stale, '<?xml version="1.0" encoding="UTF-8"?>\n<ServiceChannel xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>Stale</label>\n    <relatedEntityType>Case</relatedEntityType>\n</ServiceChannel>\n');
    const text = await omni(['generate', '--check'], root);
    expect(text.status).toBe(1);
    expect(text.stdout).not.toContain('Up to date');
    expect(text.stdout).toContain('Drift');
    expect(text.stdout).toContain('generate --prune');
    expect(text.stdout).toContain('import');
    const json = await omni(['generate', '--check', '--json'], root);
    expect(json.status).toBe(1);
    expect(json.json!.status).toBe(1);
    expect(json.json!.result.changed).toBe(true);
    expect(json.json!.result.extra).toEqual([{ path: 'force-app/main/default/serviceChannels/Stale.serviceChannel-meta.xml', type: 'ServiceChannel', fullName: 'Stale', action: 'extra' }]);
    expect(existsSync(stale)).toBe(true);
    // Without --check, generate still leaves the file alone (only --prune deletes) and exits 0.
    expect((await omni(['generate'], root)).status).toBe(0);
    expect(existsSync(stale)).toBe(true);
  });

  it('an ordinary queue (no queueRoutingConfig) is not the spec\'s: --check passes and --prune keeps it; an Omni queue the spec lacks is extra', async () => {
    // README: retrieve brings "the Omni-routed queues"; a Lead, Case or email queue is no part of the Omni setup.
    const root = specProject({ specFrom: SAMPLE });
    expect((await omni(['generate'], root)).status).toBe(0);
    const queues = path.join(root, 'force-app/main/default/queues');
    mkdirSync(queues, { recursive: true });
    const lead = path.join(queues, 'Sales_Leads.queue-meta.xml');
    writeFileSync(lead, '<?xml version="1.0" encoding="UTF-8"?>\n<Queue xmlns="http://soap.sforce.com/2006/04/metadata">\n    <doesSendEmailToMembers>false</doesSendEmailToMembers>\n    <name>Sales Leads</name>\n    <queueSobject>\n        <sobjectType>Lead</sobjectType>\n    </queueSobject>\n</Queue>\n');
    const check = await omni(['generate', '--check', '--json'], root);
    expect(check.status).toBe(0);
    expect(check.json!.result.extra).toEqual([]);
    expect(check.json!.warnings.join('\n')).not.toContain('Sales_Leads');
    expect((await omni(['generate', '--check'], root)).stdout).toContain('Up to date');
    expect((await omni(['generate', '--prune'], root)).status).toBe(0);
    expect(existsSync(lead)).toBe(true);
    // The same queue routed by Omni is the spec's business: extra, and --prune deletes it.
    writeFileSync(lead, readFileSync(lead, 'utf8').replace('    <queueSobject>', '    <queueRoutingConfig>Anything</queueRoutingConfig>\n    <queueSobject>'));
    const routed = await omni(['generate', '--check', '--json'], root);
    expect(routed.status).toBe(1);
    expect(routed.json!.result.extra).toEqual([{ path: 'force-app/main/default/queues/Sales_Leads.queue-meta.xml', type: 'Queue', fullName: 'Sales_Leads', action: 'extra' }]);
    expect((await omni(['generate', '--prune'], root)).status).toBe(0);
    expect(existsSync(lead)).toBe(false);
  });

  it('every type the spec owns that also exists outside Omni says when a file is Omni\'s (omniOnlyWith), so check and prune skip the others', () => {
    const shared = TYPE_MAPPINGS.map((m) => getType(m.type)).filter((t) => !t.partial && !t.requiresOmni && t.omniSwitch === undefined);
    expect(shared.length).toBeGreaterThan(0);
    for (const type of shared) expect(type.omniOnlyWith, type.name).toBeDefined();
  });

  it('--check and --prune cover every package directory of sfdx-project.json, not only the one written to', async () => {
    // README: a check that passes means nothing undescribed deploys, and deploy takes every package directory.
    const root = specProject({ specFrom: SAMPLE });
    const project = JSON.parse(readFileSync(path.join(root, 'sfdx-project.json'), 'utf8'));
    project.packageDirectories.push({ path: 'other' });
    writeFileSync(path.join(root, 'sfdx-project.json'), JSON.stringify(project, null, 2));
    expect((await omni(['generate'], root)).status).toBe(0);
    const other = path.join(root, 'other/main/default/presenceUserConfigs/Other.presenceUserConfig-meta.xml');
    mkdirSync(path.dirname(other), { recursive: true });
    writeFileSync(other, readFileSync(path.join(root, 'force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml'), 'utf8'));
    const check = await omni(['generate', '--check', '--json'], root);
    expect(check.status).toBe(1);
    expect(check.json!.result.extra).toEqual([{ path: 'other/main/default/presenceUserConfigs/Other.presenceUserConfig-meta.xml', type: 'PresenceUserConfig', fullName: 'Other', action: 'extra' }]);
    // import reads the default package directory, and an import of another folder replaces the spec with what it
    // holds: the advice is to move the file there, not `import --source-dir other`.
    const advice = (check.json!.warnings as string[]).find((w) => w.includes('"Other"'))!;
    expect(advice).toContain('move it under force-app and run "omni import"');
    expect(advice).not.toContain('"omni import" adds it');
    expect((await omni(['generate', '--prune'], root)).status).toBe(0);
    expect(existsSync(other)).toBe(false);
    expect((await omni(['generate', '--check'], root)).status).toBe(0);
  });

  it('drift advice: --json warnings name prune and import, a misplaced copy is called in the wrong folder, and text covers files to create too', async () => {
    const root = specProject({ specFrom: SAMPLE });
    expect((await omni(['generate'], root)).status).toBe(0);
    const dir = path.join(root, 'force-app/main/default');
    writeFileSync(path.join(dir, 'serviceChannels/Stale.serviceChannel-meta.xml'), '<?xml version="1.0" encoding="UTF-8"?>\n<ServiceChannel xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>Stale</label>\n    <relatedEntityType>Case</relatedEntityType>\n</ServiceChannel>\n');
    const miaw = path.join(dir, 'presenceUserConfigs/miaw.presenceUserConfig-meta.xml');
    mkdirSync(path.join(dir, 'queues'), { recursive: true });
    writeFileSync(path.join(dir, 'queues/miaw.presenceUserConfig-meta.xml'), readFileSync(miaw, 'utf8'));
    const json = await omni(['generate', '--check', '--json'], root);
    expect(json.status).toBe(1);
    const warnings = json.json!.warnings as string[];
    const stale = warnings.find((w) => w.includes('Stale'))!;
    expect(stale).toContain('generate --prune');
    expect(stale).toContain('import');
    const misplaced = warnings.find((w) => w.includes('queues/miaw'))!;
    expect(misplaced).toContain('wrong folder');
    expect(misplaced).toContain('force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml');
    expect(misplaced).not.toContain('not described');
    // A file to create as well: the message says files differ, not only that extras exist.
    unlinkSync(miaw);
    const text = await omni(['generate', '--check'], root);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('files differ from the spec');
    expect(text.stdout).toContain('generate --prune');
  });

  it('--dry-run --prune and --check --prune delete nothing; --prune alone deletes only files of the spec types', async () => {
    const root = specProject({ specFrom: SAMPLE });
    expect((await omni(['generate'], root)).status).toBe(0);
    const stale = path.join(root, 'force-app/main/default/queues/Stale.queue-meta.xml');
    writeFileSync(stale, '<?xml version="1.0" encoding="UTF-8"?>\n<Queue xmlns="http://soap.sforce.com/2006/04/metadata">\n    <name>Stale</name>\n    <queueRoutingConfig>Stale_Routing</queueRoutingConfig>\n</Queue>\n');
    // A type the spec only partly owns (permission sets) and a non-Omni file are never pruned.
    const otherPermset = path.join(root, 'force-app/main/default/permissionsets/Other.permissionset-meta.xml');
    writeFileSync(otherPermset, '<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>Other</label>\n</PermissionSet>\n');
    const classFile = path.join(root, 'force-app/main/default/classes/Foo.cls');
    mkdirSync(path.dirname(classFile), { recursive: true });
    writeFileSync(classFile, 'public class Foo {}\n');
    const dry = await omni(['generate', '--dry-run', '--prune', '--json'], root);
    expect(dry.status).toBe(0);
    expect(dry.json!.result.extra).toEqual([expect.objectContaining({ fullName: 'Stale', action: 'extra' })]);
    expect(existsSync(stale)).toBe(true);
    expect((await omni(['generate', '--check', '--prune'], root)).status).toBe(1);
    expect(existsSync(stale)).toBe(true);
    const pruned = await omni(['generate', '--prune'], root);
    expect(pruned.status).toBe(0);
    expect(pruned.stdout).toMatch(/deleted\s+Queue\s+force-app\/main\/default\/queues\/Stale\.queue-meta\.xml/);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(otherPermset)).toBe(true);
    expect(existsSync(classFile)).toBe(true);
    expect((await omni(['generate', '--check', '--prune'], root)).status).toBe(0);
  });

  it('writes atomically: no temp file is left beside the written files, and a rewrite replaces the file (new inode)', async () => {
    const { statSync } = await import('node:fs');
    const root = specProject({ specFrom: SAMPLE });
    expect((await omni(['generate'], root)).status).toBe(0);
    const file = path.join(root, 'force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml');
    const inode = statSync(file).ino;
    writeFileSync(file, 'drifted\n');
    expect(statSync(file).ino).toBe(inode);
    expect((await omni(['generate'], root)).status).toBe(0);
    // rename(temp, file) gives the path a new inode; an in-place write would keep the old one.
    expect(statSync(file).ino).not.toBe(inode);
    expect(readFileSync(file, 'utf8')).toContain('<capacity>20</capacity>');
    expect(listTree(root).filter((f) => /\.tmp$/.test(f) || path.basename(f).startsWith('.'))).toEqual([]);
  });

  it('exits 2 for a bad flag', async () => {
    const root = specProject({ specFrom: SAMPLE });
    const run = await omni(['generate', '--no-such-flag', '--json'], root);
    expect(run.status).toBe(2);
    expect(run.json).toMatchObject({ status: 2, name: 'UsageError' });
  });

  it('exits 2 when --spec does not exist or --out is a file, with the JSON error envelope', async () => {
    const root = specProject({ specFrom: SAMPLE });
    const missing = await omni(['generate', '--spec', 'nope.yaml', '--json'], root);
    expect(missing.status).toBe(2);
    expect(missing.json).toEqual({
      status: 2,
      // A path given that does not exist is one condition (PathNotFound) in every command.
      name: 'PathNotFound',
      message: 'Spec file not found: nope.yaml.',
      actions: [expect.stringContaining('--spec')],
      result: null,
      warnings: [],
      exitCode: 2,
      code: 'PathNotFound',
      context: 'OmniGenerate',
      commandName: 'OmniGenerate',
    });
    const outFile = await omni(['generate', '--out', 'sfdx-project.json'], root);
    expect(outFile.status).toBe(2);
    expect(outFile.stderr).toContain('--out must be a directory');
    expect(outFile.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(root, 'force-app/main'))).toBe(false);
  });

  it('malformed YAML exits 1 with the YAML line and column, never a stack trace; --json lists the diagnostics', async () => {
    const root = specProject({ spec: 'channels:\n  Cases:\n    label: [Cases\n    relatedEntityType: Case\n' });
    const run = await omni(['generate'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/config\/omni-channel\.yaml:\d+:\d+: error SPEC-YAML: /);
    expect(run.stderr).toContain('hint:');
    expect(run.stderr + run.stdout).not.toMatch(/\n\s+at /);
    const json = await omni(['generate', '--json'], root);
    expect(Object.keys(json.json!).sort()).toEqual(['actions', 'code', 'commandName', 'context', 'exitCode', 'message', 'name', 'result', 'status', 'warnings']);
    expect(json.json).toMatchObject({ status: 1, name: 'SpecInvalid' });
    expect(json.json!.result.diagnostics[0]).toMatchObject({ ruleId: 'SPEC-YAML', severity: 'error', file: 'config/omni-channel.yaml', line: expect.any(Number), column: expect.any(Number) });
    expect(existsSync(path.join(root, 'force-app/main'))).toBe(false);
  });

  it('fails with located diagnostics for a spec error, naming element and versions', async () => {
    const root = specProject({ apiVersion: '64.0', spec: 'presenceConfigurations:\n  P:\n    label: P\n    capacity: 2\n    afterConversationWork: { seconds: 30 }\n' });
    const run = await omni(['generate'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('config/omni-channel.yaml:5:');
    expect(run.stderr).toMatch(/hasAfterConvoWorkTimer.*65\.0.*64\.0/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const json = await omni(['generate', '--json'], root);
    expect(json.json).toMatchObject({ status: 1, name: 'SpecInvalid' });
    expect(json.json!.result.diagnostics[0]).toMatchObject({ ruleId: 'SPEC-VERSION', file: 'config/omni-channel.yaml', line: 5 });
  });
});

describe('omni import (real bin)', () => {
  it('import of force-app then generate reproduces force-app byte for byte', async () => {
    const root = specProject({ specFrom: path.join(GOLDEN, 'spec.yaml'), apiVersion: '67.0' });
    expect((await omni(['generate'], root)).status).toBe(0);
    const before = listTree(path.join(root, 'force-app')).map((f) => [f, readFileSync(path.join(root, 'force-app', f), 'utf8')]);
    unlinkSync(path.join(root, 'config/omni-channel.yaml'));
    const run = await omni(['import', '--json'], root);
    expect(run.status).toBe(0);
    expect(run.json!.result.spec).toBe('config/omni-channel.yaml');
    expect(run.json!.result.imported.PresenceUserConfig).toBe(3);
    expect(readFileSync(path.join(root, 'config/omni-channel.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./omni-channel.schema.json');
    const regen = await omni(['generate', '--json'], root);
    expect(regen.status).toBe(0);
    // every XML file is reproduced as is (the imported spec also names the schema file, which is created)
    const actions = (regen.json!.result.files as Array<{ type: string; action: string }>).filter((f) => f.type !== 'JsonSchema').map((f) => f.action);
    expect(actions.length).toBe(before.length);
    expect(new Set(actions)).toEqual(new Set(['unchanged']));
    expect(listTree(path.join(root, 'force-app')).map((f) => [f, readFileSync(path.join(root, 'force-app', f), 'utf8')])).toEqual(before);
  });

  it('malformed XML: exit 1, the parser location in the error and in the JSON result, the spec untouched', async () => {
    const spec = 'declineReasons:\n  Busy:\n    label: Busy\n';
    const root = specProject({ spec });
    const dir = path.join(root, 'force-app/main/default/presenceDeclineReasons');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'Bad.presenceDeclineReason-meta.xml'), '<?xml version="1.0" encoding="UTF-8"?>\n<PresenceDeclineReason xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>Bad</label\n</PresenceDeclineReason>\n');
    const run = await omni(['import'], root);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/force-app\/main\/default\/presenceDeclineReasons\/Bad\.presenceDeclineReason-meta\.xml:\d+:\d+: error XML-MALFORMED: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const json = await omni(['import', '--json'], root);
    expect(json.json).toMatchObject({ status: 1, name: 'ImportFailed', result: { diagnostics: [expect.objectContaining({ ruleId: 'XML-MALFORMED', line: expect.any(Number) })] } });
    expect(readFileSync(path.join(root, 'config/omni-channel.yaml'), 'utf8')).toBe(spec);
  });

  it('a source directory without Omni metadata is an error that writes nothing (the spec is not replaced by an empty one)', async () => {
    const spec = 'declineReasons:\n  Busy:\n    label: Busy\n';
    const root = specProject({ spec });
    mkdirSync(path.join(root, 'empty'));
    const run = await omni(['import', '--source-dir', 'empty', '--json'], root);
    expect(run.status).toBe(1);
    expect(run.json).toMatchObject({ status: 1, name: 'NothingToImport', message: expect.stringContaining('nothing was written') });
    expect(readFileSync(path.join(root, 'config/omni-channel.yaml'), 'utf8')).toBe(spec);
  });

  it('usage errors exit 2 and write nothing: unknown flag, --source-dir missing or a file, --out a directory', async () => {
    const spec = 'declineReasons:\n  Busy:\n    label: Busy\n';
    const root = specProject({ spec });
    for (const args of [['--bogus'], ['--source-dir', 'nope'], ['--source-dir', 'sfdx-project.json'], ['--out', 'config']]) {
      const run = await omni(['import', ...args, '--json'], root);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.json, args.join(' ')).toMatchObject({ status: 2, name: 'UsageError', actions: [expect.any(String)], result: null, warnings: [] });
    }
    expect(readFileSync(path.join(root, 'config/omni-channel.yaml'), 'utf8')).toBe(spec);
  });

  it('--out - prints the YAML (not the summary) and writes nothing', async () => {
    const root = specProject({ specFrom: SAMPLE });
    expect((await omni(['generate'], root)).status).toBe(0);
    unlinkSync(path.join(root, 'config/omni-channel.yaml'));
    const run = await omni(['import', '--out', '-'], root);
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith('# yaml-language-server: $schema=./omni-channel.schema.json\n')).toBe(true);
    expect(run.stdout).toContain('  miaw:\n');
    expect(run.stdout.endsWith('\n') && !run.stdout.endsWith('\n\n')).toBe(true);
    expect(existsSync(path.join(root, 'config/omni-channel.yaml'))).toBe(false);
  });

  it('does not import user assignments: warns and lists them', async () => {
    const root = specProject({ spec: '' });
    const dir = path.join(root, 'force-app/main/default/presenceUserConfigs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'Agents.presenceUserConfig-meta.xml'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n    <assignments>\n        <profiles>\n            <profile>admin</profile>\n        </profiles>\n        <users>\n            <user>jane@example.invalid</user>\n        </users>\n    </assignments>\n    <capacity>3</capacity>\n    <enableAutoAccept>false</enableAutoAccept>\n    <enableDecline>false</enableDecline>\n    <enableDeclineReason>false</enableDeclineReason>\n    <enableDisconnectSound>true</enableDisconnectSound>\n    <enableRequestSound>true</enableRequestSound>\n    <label>Agents</label>\n</PresenceUserConfig>\n',
    );
    const run = await omni(['import', '--out', '-', '--json'], root);
    expect(run.status).toBe(0);
    expect(run.json!.result.userAssignments).toEqual([expect.objectContaining({ type: 'PresenceUserConfig', fullName: 'Agents', users: ['jane@example.invalid'] })]);
    expect(run.json!.warnings.join('\n')).toContain('force-app/main/default/presenceUserConfigs/Agents.presenceUserConfig-meta.xml: 1 username in <assignments><users> not imported (usernames differ per org); import with --extract-assignments FILE to move it to an assignment file.');
    expect(run.json!.result.yaml).toContain('profiles:');
    expect(run.json!.result.yaml).not.toContain('jane@example.invalid');
  });
  it('imports a hand-edited file with elements out of WSDL order (validate rejects it; generate writes it canonical)', async () => {
    const root = specProject({ spec: '' });
    const dir = path.join(root, 'force-app/main/default/presenceDeclineReasons');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'Busy.presenceDeclineReason-meta.xml');
    writeFileSync(file, '<?xml version="1.0" encoding="UTF-8"?>\n<PresenceDeclineReason xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>Busy</label>\n</PresenceDeclineReason>\n');
    const pucDir = path.join(root, 'force-app/main/default/presenceUserConfigs');
    mkdirSync(pucDir, { recursive: true });
    const puc = path.join(pucDir, 'Agents.presenceUserConfig-meta.xml');
    writeFileSync(puc, '<?xml version="1.0" encoding="UTF-8"?>\n<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>Agents</label>\n    <capacity>3</capacity>\n</PresenceUserConfig>\n');
    const validate = await omni(['validate', '--json'], root);
    expect(validate.status).toBe(1);
    expect(validate.json!.result.diagnostics).toContainEqual(expect.objectContaining({ ruleId: 'XML-ORDER', severity: 'error', line: 4, column: 5 }));
    expect((await omni(['import'], root)).status).toBe(0);
    expect((await omni(['generate'], root)).status).toBe(0);
    expect(readFileSync(puc, 'utf8')).toMatch(/<capacity>3<\/capacity>[\s\S]*<label>Agents<\/label>/);
    expect((await omni(['validate'], root)).status).toBe(0);
  });
});
