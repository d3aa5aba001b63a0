/**
 * Rules that need several files: one configuration per user/profile, unique relatedEntityType, capacity
 * sanity through queue → routing config → presence configuration, info-level org-only references, the
 * spec path (YAML locations) and the "paths + rest of the project" reference context.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateDocuments, validateProject } from '../../scripts/validate/index.ts';
import { METADATA_TYPES } from '../../scripts/metadata/registry.ts';
import { byRule, errors, filesProject, puc, qrc, queue, sc, sps, validate, xml } from './helpers.ts';

const config = (name: string, assignments: string[], capacity = 5) =>
  xml('PresenceUserConfig', ['<assignments>', ...assignments.map((a) => `    ${a}`), '</assignments>', `<capacity>${capacity}</capacity>`, `<label>${name}</label>`]);

describe('one presence configuration per user and per profile (rule 14)', () => {
  test('a user in two configurations is an error naming both files', async () => {
    const diagnostics = await validate({
      [puc('Alpha')]: config('Alpha', ['<users>', '    <user>jane@acme.example</user>', '</users>']),
      [puc('Beta')]: config('Beta', ['<users>', '    <user>bob@acme.example</user>', '    <user>jane@acme.example</user>', '</users>']),
    });
    const twice = byRule(diagnostics, 'ASSIGN-USER-TWICE');
    expect(twice).toHaveLength(1);
    expect(twice[0]).toMatchObject({ severity: 'error', file: puc('Beta'), line: 6, column: 13 });
    expect(twice[0].message).toContain('jane@acme.example');
    expect(twice[0].message).toContain(`${puc('Alpha')}:5:13`);
    expect(twice[0].related).toEqual([{ file: puc('Alpha'), line: 5, column: 13, message: 'also assigned by Alpha' }]);
  });

  test('usernames are compared case-insensitively (Salesforce usernames are)', async () => {
    const diagnostics = await validate({
      [puc('Alpha')]: config('Alpha', ['<users>', '    <user>Agent@x.com</user>', '</users>']),
      [puc('Beta')]: config('Beta', ['<users>', '    <user>agent@X.com</user>', '</users>']),
    });
    const twice = byRule(diagnostics, 'ASSIGN-USER-TWICE');
    expect(twice).toHaveLength(1);
    expect(twice[0]).toMatchObject({ severity: 'error', file: puc('Beta'), line: 5, column: 13 });
    expect(twice[0].message).toBe(`User "agent@X.com" is assigned by presence configuration Beta and by Alpha (${puc('Alpha')}:5:13); a user can have only one presence configuration.`);
  });

  test('profiles are compared case-insensitively', async () => {
    const diagnostics = await validate({
      [puc('Alpha')]: config('Alpha', ['<profiles>', '    <profile>SSSW - Service Agent</profile>', '</profiles>']),
      [puc('Beta')]: config('Beta', ['<profiles>', '    <profile>sssw - service agent</profile>', '</profiles>']),
    });
    const twice = byRule(diagnostics, 'ASSIGN-PROFILE-TWICE');
    expect(twice).toHaveLength(1);
    expect(twice[0]).toMatchObject({ file: puc('Beta'), line: 5, column: 13 });
    expect(twice[0].message).toContain(puc('Alpha'));
  });

  test('different users and profiles pass; user assignments still warn', async () => {
    const diagnostics = await validate({
      [puc('Alpha')]: config('Alpha', ['<profiles>', '    <profile>Agent</profile>', '</profiles>', '<users>', '    <user>jane@acme.example</user>', '</users>']),
      [puc('Beta')]: config('Beta', ['<profiles>', '    <profile>Supervisor</profile>', '</profiles>']),
    });
    expect(errors(diagnostics)).toEqual([]);
    expect(byRule(diagnostics, 'ASSIGN-USERS-IN-SOURCE').map((d) => d.file)).toEqual([puc('Alpha')]);
  });
});

test('relatedEntityType unique across channels (rule 18), naming both files', async () => {
  const diagnostics = await validate({
    [sc('Cases')]: xml('ServiceChannel', ['<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>']),
    [sc('Stormy')]: xml('ServiceChannel', ['<label>Stormy</label>', '<relatedEntityType>Case</relatedEntityType>']),
    [sc('Leads')]: xml('ServiceChannel', ['<label>Leads</label>', '<relatedEntityType>Lead</relatedEntityType>']),
  });
  const duplicate = byRule(diagnostics, 'SC-ENTITY-DUPLICATE');
  expect(duplicate).toHaveLength(1);
  expect(duplicate[0]).toMatchObject({ severity: 'error', file: sc('Stormy'), line: 4, column: 5 });
  expect(duplicate[0].message).toContain(`${sc('Cases')}:4:5`);
});

describe('capacity sanity (rule 26)', () => {
  const project = (weight: string, member = 'jane@acme.example') => ({
    [puc('Agents')]: config('Agents', ['<users>', '    <user>jane@acme.example</user>', '</users>'], 2),
    [qrc('Heavy')]: xml('QueueRoutingConfig', [`<capacityWeight>${weight}</capacityWeight>`, '<label>Heavy</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']),
    [sc('Cases')]: xml('ServiceChannel', ['<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>']),
    [queue('Support')]: xml('Queue', ['<name>Support</name>', '<queueMembers>', '    <users>', `        <user>${member}</user>`, '    </users>', '</queueMembers>', '<queueRoutingConfig>Heavy</queueRoutingConfig>', '<queueSobject>', '    <sobjectType>Case</sobjectType>', '</queueSobject>']),
  });

  test('a weight above the member agent’s capacity warns at capacityWeight', async () => {
    const found = byRule(await validate(project('3.0')), 'QRC-CAPACITY-EXCEEDS-AGENT');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', file: qrc('Heavy'), line: 3, column: 5 });
    expect(found[0].message).toMatch(/capacityWeight 3 exceeds the capacity 2 of Agents/);
    expect(found[0].related?.map((r) => r.file)).toEqual([queue('Support'), puc('Agents')]);
  });

  test('the queue member is found whatever the case of the username', async () => {
    expect(byRule(await validate(project('3.0', 'Jane@ACME.example')), 'QRC-CAPACITY-EXCEEDS-AGENT')).toHaveLength(1);
  });

  test('a weight within the capacity passes', async () => {
    expect(byRule(await validate(project('2.0')), 'QRC-CAPACITY-EXCEEDS-AGENT')).toEqual([]);
  });
});

describe('references to things only the org has are info, not errors', () => {
  test('profiles, users, skills and built-in channels are REF-UNRESOLVED-LOCALLY', async () => {
    const diagnostics = await validate({
      [puc('A')]: config('A', ['<profiles>', '    <profile>Custom: Support</profile>', '</profiles>']),
      [sps('Online')]: xml('ServicePresenceStatus', ['<channels>', '    <channel>sfdc_phone</channel>', '</channels>', '<label>Online</label>']),
      [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>', '<skills>', '    <skill>French</skill>', '</skills>']),
    });
    expect(errors(diagnostics)).toEqual([]);
    const local = byRule(diagnostics, 'REF-UNRESOLVED-LOCALLY');
    expect(local.map((d) => [d.file, d.line, d.column, d.severity])).toEqual([
      [puc('A'), 5, 13, 'info'],
      [qrc('R'), 8, 9, 'info'],
      [sps('Online'), 4, 9, 'info'],
    ]);
    expect(local[2].message).toContain('built-in ServiceChannel sfdc_phone');
  });

  test('a reference not in the project is info whether or not the project has other files of its type (issue #12 item 2)', async () => {
    const status = xml('ServicePresenceStatus', ['<channels>', '    <channel>sfdc_phone</channel>', '</channels>', '<label>Online</label>']);
    const alone = await validate({ [sps('Online')]: status });
    const withChannel = await validate({ [sps('Online')]: status, [sc('Cases')]: xml('ServiceChannel', ['<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>']) });
    for (const diagnostics of [alone, withChannel]) {
      expect(errors(diagnostics)).toEqual([]);
      expect(diagnostics.filter((d) => d.file === sps('Online')).map((d) => [d.ruleId, d.severity, d.line, d.column])).toEqual([['REF-UNRESOLVED-LOCALLY', 'info', 4, 9]]);
    }
    const pucFile = xml('PresenceUserConfig', ['<capacity>5</capacity>', '<label>A</label>', '<presenceStatusOnPushTimeout>Lunch</presenceStatusOnPushTimeout>']);
    for (const project of [{ [puc('A')]: pucFile }, { [puc('A')]: pucFile, [sps('Busy')]: xml('ServicePresenceStatus', ['<label>Busy</label>']) }]) {
      const diagnostics = await validate(project);
      expect(errors(diagnostics)).toEqual([]);
      expect(byRule(diagnostics, 'REF-UNRESOLVED-LOCALLY').map((d) => d.severity)).toEqual(['info']);
    }
  });

  test('a name one typo away from one the project defines is a warning with "did you mean", never an error', async () => {
    const pucFile = xml('PresenceUserConfig', ['<capacity>5</capacity>', '<label>A</label>', '<presenceStatusOnPushTimeout>Bussy</presenceStatusOnPushTimeout>']);
    const diagnostics = await validate({ [puc('A')]: pucFile, [sps('Busy')]: xml('ServicePresenceStatus', ['<label>Busy</label>']) });
    expect(errors(diagnostics)).toEqual([]);
    const [typo] = byRule(diagnostics, 'REF-UNRESOLVED');
    expect(typo).toMatchObject({ severity: 'warning', file: puc('A'), line: 5, column: 5 });
    expect(typo.message).toBe('presenceStatusOnPushTimeout "Bussy" is not a ServicePresenceStatus of the project; did you mean "Busy"?');
  });
});

test('validating chosen paths resolves references against the rest of the project but reports only those paths', async () => {
  const root = filesProject({
    [puc('A')]: xml('PresenceUserConfig', ['<capacity>5</capacity>', '<label>A</label>', '<presenceStatusOnPushTimeout>Away</presenceStatusOnPushTimeout>']),
    [sps('Away')]: xml('ServicePresenceStatus', ['<label>Away</label>']),
    [sps('Busy')]: xml('ServicePresenceStatus', ['<label>Busy</label>', '<label>again</label>']),
  });
  const result = await validateProject({ projectRoot: root, paths: [puc('A')] });
  expect(result.diagnostics).toEqual([]);
  expect(result.filesChecked).toBe(1);
  const whole = await validateProject({ projectRoot: root, specFile: null });
  expect(whole.diagnostics.map((d) => d.file)).toEqual([sps('Busy')]);
});

test('malformed XML is an error at the parser’s line and column, never an exception', async () => {
  const diagnostics = await validate({
    [puc('Broken')]: '<?xml version="1.0" encoding="UTF-8"?>\n<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n    <capacity>5</capacity>\n    <label>x</lable>\n</PresenceUserConfig>\n',
  });
  expect(diagnostics).toHaveLength(1);
  expect(diagnostics[0]).toMatchObject({ ruleId: 'XML-MALFORMED', severity: 'error', file: puc('Broken'), line: 4 });
  expect(diagnostics[0].column).toBeGreaterThan(1);
});

test('validateDocuments runs without a project version: rule 3 is skipped', async () => {
  const root = filesProject({
    [puc('A')]: xml('PresenceUserConfig', ['<capacity>5</capacity>', '<hasAfterConvoWorkTimer>false</hasAfterConvoWorkTimer>', '<label>A</label>']),
  }, { apiVersion: '60.0' });
  const withVersion = await validateProject({ projectRoot: root, specFile: null });
  expect(byRule(withVersion.diagnostics, 'API-VERSION-ELEMENT')).toHaveLength(1);
  expect(byRule(validateDocuments(withVersion.documents), 'API-VERSION-ELEMENT')).toEqual([]);
  expect(byRule(validateDocuments(withVersion.documents, { apiVersion: 65 }), 'API-VERSION-ELEMENT')).toEqual([]);
});

describe('the spec: rules run on its documents and report YAML locations', () => {
  test('a spec error is located in the YAML and the spec and XML of one component are not "two configurations"', async () => {
    const spec = [
      'settings:',
      '  enableOmniChannel: true',
      'statuses:',
      '  Away:',
      '    label: Away',
      'presenceConfigurations:',
      '  Agents:',
      '    label: Agents',
      '    capacity: 5',
      '    statusOnPushTimeout: Awy',
      '    profiles: [Agent]',
      '',
    ].join('\n');
    const root = filesProject({
      'config/omni-channel.yaml': spec,
      [puc('Agents')]: config('Agents', ['<profiles>', '    <profile>Agent</profile>', '</profiles>']),
    });
    const result = await validateProject({ projectRoot: root });
    const unresolved = byRule(result.diagnostics, 'REF-UNRESOLVED');
    expect(unresolved.map((d) => [d.file, d.line, d.column])).toEqual([['config/omni-channel.yaml', 10, 26]]);
    expect(byRule(result.diagnostics, 'ASSIGN-PROFILE-TWICE')).toEqual([]);
    expect(result.filesChecked).toBe(2);
  });

  test('a StaticResource the project lacks is info at its key, also when an escape spells the key (the text never says it)', async () => {
    const spec = (key: string) =>
      ['presenceConfigurations:', '  Agents:', '    label: Agents', '    capacity: 5', '    notificationSound:', `      ${key}: No_Such_Sound`, ''].join('\n');
    for (const key of ['staticResource', '"static\\x52esource"']) {
      const result = await validateProject({ projectRoot: filesProject({ 'config/omni-channel.yaml': spec(key) }) });
      expect(byRule(result.diagnostics, 'SPEC-STATIC-RESOURCE').map((d) => [d.severity, d.file, d.line, d.column])).toEqual([['info', 'config/omni-channel.yaml', 6, 23 + key.length - 14]]);
    }
  });

  test('a YAML syntax error is reported by the loader at its location', async () => {
    const root = filesProject({ 'config/omni-channel.yaml': 'statuses:\n  Away: [\n' });
    const result = await validateProject({ projectRoot: root });
    expect(errors(result.diagnostics)[0]).toMatchObject({ ruleId: 'SPEC-YAML', file: 'config/omni-channel.yaml' });
    expect(errors(result.diagnostics)[0].line).toBeGreaterThan(0);
  });

  test('validation never writes', async () => {
    const root = filesProject({ [puc('A')]: config('A', ['<profiles>', '    <profile>Agent</profile>', '</profiles>']) });
    writeFileSync(path.join(root, 'marker'), 'x');
    const { readdirSync, statSync } = await import('node:fs');
    const snapshot = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? snapshot(path.join(dir, e.name)) : [`${path.join(dir, e.name)}:${statSync(path.join(dir, e.name)).mtimeMs}`]));
    const before = snapshot(root);
    await validateProject({ projectRoot: root });
    expect(snapshot(root)).toEqual(before);
  });
});

test('the spec: a status, channel, configuration or queue name one typo away gets "did you mean" at its YAML line (issue #12 item 11)', async () => {
  const spec = [
    'channels:',
    '  Case_Channel: { label: Cases, relatedEntityType: Case }',
    'statuses:',
    '  Online: { label: Online, channels: [Case_Chanel] }',
    '  Away: { label: Away }',
    'presenceConfigurations:',
    '  Agents: { label: Agents, capacity: 2, statusOnPushTimeout: Awya }',
    'routingConfigs:',
    '  Cases: { label: Cases, routingModel: MOST_AVAILABLE, routingPriority: 1, capacityWeight: 1, overflowQueue: Suport }',
    'queues:',
    '  Support: { label: Support, routingConfig: Casse }',
    '',
  ].join('\n');
  const root = filesProject({ 'config/omni-channel.yaml': spec });
  const { diagnostics } = await validateProject({ projectRoot: root });
  expect(errors(diagnostics)).toEqual([]);
  const typos = diagnostics.filter((d) => d.message.includes('did you mean')).map((d) => `${d.severity} ${d.ruleId} ${d.file}:${d.line}: ${d.message}`);
  expect(typos.sort()).toEqual([
    'warning REF-UNRESOLVED config/omni-channel.yaml:11: queueRoutingConfig "Casse" is not a QueueRoutingConfig of the project; did you mean "Cases"?',
    'warning REF-UNRESOLVED config/omni-channel.yaml:7: presenceStatusOnPushTimeout "Awya" is not a ServicePresenceStatus of the project; did you mean "Away"?',
    'warning REF-UNRESOLVED config/omni-channel.yaml:9: queueOverflowAssignee "Suport" is not a Queue of the project; did you mean "Support"?',
    'warning SPS-CHANNEL-UNRESOLVED config/omni-channel.yaml:4: channels.channel "Case_Chanel" is not a ServiceChannel of the project; did you mean "Case_Channel"?',
  ]);
});

describe('NAME-DUPLICATE: one file per developer name and type, whatever the case', () => {
  // The Metadata API identifies a component by its fullName without regard to case: `Online` and `online` are
  // one status, as are two `Online` files in two package directories.
  const fileOf = (dir: string, directoryName: string, name: string, suffix: string) => `${dir}/main/default/${directoryName}/${name}.${suffix}-meta.xml`;
  test.each(METADATA_TYPES.map((t) => [t.name, t] as const))('%s: names differing only in case, and the same name in two package directories', async (_name, type) => {
    // A type with one fixed name (OmniChannel settings) has no other name to differ in case: only the exact twin.
    const name = type.fixedFullName ?? 'Tier_One';
    const first = fileOf('force-app', type.directoryName, name, type.suffix);
    const caseTwin = type.fixedFullName ? undefined : fileOf('force-app', type.directoryName, 'tier_one', type.suffix);
    const exactTwin = fileOf('other', type.directoryName, name, type.suffix);
    const other = type.fixedFullName ? undefined : fileOf('force-app', type.directoryName, 'Tier_Two', type.suffix);
    const body = xml(type.name, []);
    const files = Object.fromEntries([first, caseTwin, exactTwin, other].filter((f) => f !== undefined).map((f) => [f, body]));
    const found = byRule(await validate(files, { packageDirectories: ['force-app', 'other'] }), 'NAME-DUPLICATE');
    expect(found.map((d) => d.file).sort()).toEqual([caseTwin, exactTwin].filter((f) => f !== undefined).sort());
    for (const d of found) {
      expect(d).toMatchObject({ severity: 'error', line: 2, column: 1 });
      expect(d.message).toContain(`has the developer name of ${name} at ${first}:2:1`);
      expect(d.related).toEqual([{ file: first, line: 2, column: 1, message: `The first ${type.name} named ${name}.` }]);
      expect(d.hint).toMatch(/rename one/);
    }
    // Distinct names, or one file, are no finding.
    expect(byRule(await validate(Object.fromEntries([first, other].filter((f) => f !== undefined).map((f) => [f, body]))), 'NAME-DUPLICATE')).toEqual([]);
  });

  test('a spec entry and the file generated from it share their name by design: no finding', async () => {
    const root = filesProject({
      'config/omni-channel.yaml': 'statuses:\n  Online:\n    label: Online\n',
      [sps('Online')]: xml('ServicePresenceStatus', ['<label>Online</label>']),
    });
    const { diagnostics } = await validateProject({ projectRoot: root });
    expect(byRule(diagnostics, 'NAME-DUPLICATE')).toEqual([]);
  });

  test('a spec entry and a file whose names differ only in case are one component twice: reported at the spec entry, the file related', async () => {
    const root = filesProject({
      'config/omni-channel.yaml': 'statuses:\n  Online:\n    label: Online\n',
      [sps('online')]: xml('ServicePresenceStatus', ['<label>online</label>']),
    });
    const found = byRule((await validateProject({ projectRoot: root })).diagnostics, 'NAME-DUPLICATE');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', file: 'config/omni-channel.yaml', line: 2, column: 3 });
    expect(found[0].message).toBe(`ServicePresenceStatus Online has the developer name of online at ${sps('online')}:2:1: the org holds one component per developer name, whatever its case.`);
    expect(found[0].related).toEqual([{ file: sps('online'), line: 2, column: 1, message: 'The first ServicePresenceStatus named online.' }]);
  });
});
