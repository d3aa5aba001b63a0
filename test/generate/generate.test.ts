import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { describe, expect, it } from 'vitest';
import { parseMetadata } from '../../scripts/metadata/document.ts';
import { toModel } from '../../scripts/metadata/model.ts';
import { applyPlan, planGeneration } from '../../scripts/yaml-spec/generate.ts';
import { GOLDEN, REPO_ROOT, XSD, listTree, specProject } from './helpers.ts';
import { makeSfHome, sfInRunner } from '../helpers/local-org.ts';

async function generateInto(specFile: string, apiVersion = '66.0') {
  const root = specProject({ apiVersion, specFrom: specFile });
  const plan = await planGeneration({ specFile: path.join(root, 'config/omni-channel.yaml'), projectRoot: root });
  expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  await applyPlan(plan);
  return { root, plan };
}

describe('golden files', () => {
  it('a spec using every type and every friendly key generates the expected XML', async () => {
    const { root } = await generateInto(path.join(GOLDEN, 'spec.yaml'));
    const out = path.join(root, 'force-app');
    const expectedDir = path.join(GOLDEN, 'expected');
    if (process.env.UPDATE_GOLDEN === '1') cpSync(out, expectedDir, { recursive: true });
    expect(listTree(out)).toEqual(listTree(expectedDir));
    for (const file of listTree(out)) expect(readFileSync(path.join(out, file), 'utf8'), file).toBe(readFileSync(path.join(expectedDir, file), 'utf8'));
  });

  it('force-app/ is exactly what the sample spec generates', async () => {
    const { root } = await generateInto(path.join(REPO_ROOT, 'config/omni-channel.yaml'));
    const out = path.join(root, 'force-app');
    const committed = path.join(REPO_ROOT, 'force-app');
    // The sample's notification sound is a committed StaticResource (a content file), not generated.
    const sound = ['main/default/staticresources/Omni_Chime.resource-meta.xml', 'main/default/staticresources/Omni_Chime.wav'];
    expect(listTree(committed).filter((f) => f.includes('/staticresources/'))).toEqual(sound);
    expect(listTree(out)).toEqual(listTree(committed).filter((f) => !sound.includes(f)));
    for (const file of listTree(out)) expect(readFileSync(path.join(out, file), 'utf8'), file).toBe(readFileSync(path.join(committed, file), 'utf8'));
    const sample = readFileSync(path.join(out, 'main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml'), 'utf8');
    expect(sample).toContain('<userDisplayName>{!User_Alias}</userDisplayName>');
    expect(sample).toContain('<hasAcwExtensionEnabled>true</hasAcwExtensionEnabled>');
  });

  it('every generated file is valid against the XSD', async () => {
    for (const spec of [path.join(GOLDEN, 'spec.yaml'), path.join(REPO_ROOT, 'config/omni-channel.yaml')]) {
      const { root } = await generateInto(spec);
      const files = listTree(path.join(root, 'force-app')).map((f) => path.join(root, 'force-app', f));
      expect(files.length).toBeGreaterThan(5);
      const run = spawnSync('xmllint', ['--noout', '--schema', XSD, ...files], { encoding: 'utf8' });
      expect(run.stderr.split('\n').filter((l) => !/validates$/.test(l) && l.trim())).toEqual([]);
      expect(run.status).toBe(0);
    }
  });

  it('SDR resolves each generated file to the right type and fullName', async () => {
    const { root, plan } = await generateInto(path.join(GOLDEN, 'spec.yaml'));
    const set = ComponentSet.fromSource(path.join(root, 'force-app'));
    const resolved = set
      .getSourceComponents()
      .toArray()
      .map((c) => `${c.type.name}:${c.fullName}`)
      .sort();
    const sdrName = (t: string) => (t === 'OmniChannelSettings' ? 'Settings' : t);
    const expected = plan.files.filter((f) => f.type !== 'JsonSchema').map((f) => `${sdrName(f.type)}:${f.fullName}`).sort();
    expect(resolved).toEqual(expected);
  });

  it('sf project convert source succeeds on the generated project', async () => {
    const { root } = await generateInto(path.join(REPO_ROOT, 'config/omni-channel.yaml'));
    // The tests' sf HOME (no log file, so no pino worker thread; removed afterwards), the sf CLI's own convert in
    // the worker's sf runner (test/helpers/sf-runner.ts): SDR on the generated files, not sf as a process.
    const home = makeSfHome();
    const outDir = path.join(root, 'mdapi');
    const run = await sfInRunner(home, ['project', 'convert', 'source', '--root-dir', 'force-app', '--output-dir', outDir, '--json'], {}, root);
    await home.cleanup();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const manifest = readFileSync(path.join(outDir, 'package.xml'), 'utf8');
    expect(manifest).toContain('<members>miaw</members>');
    expect(manifest).toContain('<name>PresenceUserConfig</name>');
    expect(existsSync(path.join(outDir, 'settings', 'OmniChannel.settings'))).toBe(true);
  }, 180_000);
});

describe('the sample (force-app/ from config/omni-channel.yaml)', () => {
  /** Every committed sample file as type → fullName → model. */
  function sampleModels() {
    const out: Record<string, Record<string, any>> = {};
    const dir = path.join(REPO_ROOT, 'force-app');
    for (const file of listTree(dir)) {
      if (file.includes('/staticresources/')) continue; // the sample's sound: not an Omni type
      const { document, diagnostics } = parseMetadata(readFileSync(path.join(dir, file), 'utf8'), { path: file });
      expect(diagnostics, file).toEqual([]);
      (out[document!.type.name] ??= {})[document!.fullName] = toModel(document!);
    }
    return out;
  }

  it("includes the seed's miaw configuration with every setting the issue names", () => {
    expect(sampleModels().PresenceUserConfig.miaw).toMatchObject({
      label: 'miaw',
      capacity: 20,
      interruptibleCapacity: 5,
      enableDecline: true,
      enableDeclineReason: true,
      declineReasons: expect.arrayContaining([expect.any(String)]),
      presenceStatusOnDecline: expect.any(String),
      presenceStatusOnPushTimeout: expect.any(String),
      enableRequestSound: true,
      enableDisconnectSound: true,
      hasAfterConvoWorkTimer: true,
      afterConvoWorkMaxTime: expect.any(Number),
      hasAcwExtensionEnabled: true,
      acwExtensionDuration: expect.any(Number),
      maxExtensions: expect.any(String),
      userDisplayName: expect.any(String),
    });
  });

  it('has an auto-accept configuration, a second decline-enabled one, Case/Messaging/Voice channels, online and away statuses, three decline reasons, routing configs, queues and a permission set granting the statuses', () => {
    const models = sampleModels();
    const configs = Object.entries(models.PresenceUserConfig);
    expect(configs.filter(([, m]) => m.enableAutoAccept === true && m.enableDecline !== true).length).toBeGreaterThanOrEqual(1);
    expect(configs.filter(([name, m]) => name !== 'miaw' && m.enableDecline === true && m.declineReasons?.length).length).toBeGreaterThanOrEqual(1);
    const entities = Object.values(models.ServiceChannel).map((m) => m.relatedEntityType);
    expect(entities).toEqual(expect.arrayContaining(['Case', 'MessagingSession', 'VoiceCall']));
    const statuses = Object.entries(models.ServicePresenceStatus);
    expect(statuses.some(([, m]) => (m.channels?.channel ?? []).length > 0), 'an online status').toBe(true);
    expect(statuses.some(([, m]) => !m.channels), 'an away status').toBe(true);
    expect(Object.keys(models.PresenceDeclineReason)).toHaveLength(3);
    expect(Object.keys(models.QueueRoutingConfig).length).toBeGreaterThan(0);
    const queues = Object.values(models.Queue);
    expect(queues.length).toBeGreaterThan(0);
    for (const q of queues) expect(Object.keys(models.QueueRoutingConfig)).toContain(q.queueRoutingConfig);
    const granted = Object.values(models.PermissionSet).flatMap((m) => (m.servicePresenceStatusAccesses ?? []).filter((a: any) => a.enabled).map((a: any) => a.servicePresenceStatus));
    expect(granted.sort()).toEqual(statuses.map(([name]) => name).sort());
    // No user assignments in source (usernames differ per org); profile assignments are fine.
    for (const [name, m] of configs) expect(m.assignments?.users, name).toBeUndefined();
  });
});

describe('partial permission sets', () => {
  it('only servicePresenceStatusAccesses changes; every other byte of an existing file survives', async () => {
    const root = specProject({ spec: 'permissionSets:\n  Agents:\n    statuses: [Online, Away]\n' });
    const dir = path.join(root, 'force-app/main/default/permissionsets');
    mkdirSync(dir, { recursive: true });
    const before = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!-- hand-written header, kept -->',
      '<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">',
      '    <hasActivationRequired>false</hasActivationRequired>',
      '    <label>Agents  (custom spacing)</label>',
      '    <servicePresenceStatusAccesses>',
      '        <enabled>true</enabled>',
      '        <servicePresenceStatus>Old</servicePresenceStatus>',
      '    </servicePresenceStatusAccesses>',
      '    <userPermissions>',
      '        <enabled>true</enabled>',
      '        <name>ViewSetup</name>',
      '    </userPermissions>',
      '</PermissionSet>',
      '',
    ].join('\n');
    writeFileSync(path.join(dir, 'Agents.permissionset-meta.xml'), before);
    const plan = await planGeneration({ specFile: path.join(root, 'config/omni-channel.yaml'), projectRoot: root });
    const [file] = plan.files;
    expect(file.action).toBe('updated');
    const expected = before.replace(
      '        <servicePresenceStatus>Old</servicePresenceStatus>\n    </servicePresenceStatusAccesses>\n',
      '        <servicePresenceStatus>Online</servicePresenceStatus>\n    </servicePresenceStatusAccesses>\n    <servicePresenceStatusAccesses>\n        <enabled>true</enabled>\n        <servicePresenceStatus>Away</servicePresenceStatus>\n    </servicePresenceStatusAccesses>\n',
    );
    expect(file.after).toBe(expected);
    await applyPlan(plan);
    const again = await planGeneration({ specFile: path.join(root, 'config/omni-channel.yaml'), projectRoot: root });
    expect(again.files[0].action).toBe('unchanged');
    expect(execFileSync('xmllint', ['--noout', '--schema', XSD, path.join(dir, 'Agents.permissionset-meta.xml')], { encoding: 'utf8', stdio: 'pipe' })).toBe('');
  });
  it('a new permission set whose label and description are nil (~) gets neither: no TypeError, a valid file', async () => {
    const root = specProject({ spec: 'permissionSets:\n  Omni_Agents:\n    label: ~\n    description: ~\n    statuses: [Online]\n' });
    const plan = await planGeneration({ specFile: path.join(root, 'config/omni-channel.yaml'), projectRoot: root });
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const [file] = plan.files;
    expect(file.action).toBe('created');
    expect(file.after).not.toContain('<description>');
    expect(file.after).toContain('<label>Omni Agents</label>');
    expect(file.after).toContain('<servicePresenceStatus>Online</servicePresenceStatus>');
    await applyPlan(plan);
    const written = path.join(root, 'force-app/main/default/permissionsets/Omni_Agents.permissionset-meta.xml');
    expect(execFileSync('xmllint', ['--noout', '--schema', XSD, written], { encoding: 'utf8', stdio: 'pipe' })).toBe('');
  });
});
