import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { describe, expect, it } from 'vitest';
import { applyPlan, planGeneration } from '../../scripts/spec/generate.ts';
import { GOLDEN, REPO_ROOT, XSD, listTree, makeProject } from './helpers.ts';

async function generateInto(specFile: string, apiVersion = '66.0') {
  const root = makeProject({ apiVersion, specFrom: specFile });
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
    expect(listTree(out)).toEqual(listTree(committed));
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
    const home = mkdtempSync(path.join(tmpdir(), 'omni-sf-home-'));
    const outDir = path.join(root, 'mdapi');
    const run = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/sf'), ['project', 'convert', 'source', '--root-dir', 'force-app', '--output-dir', outDir, '--json'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, HOME: home, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true', SF_SKIP_NEW_VERSION_CHECK: 'true' },
      timeout: 120_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const manifest = readFileSync(path.join(outDir, 'package.xml'), 'utf8');
    expect(manifest).toContain('<members>miaw</members>');
    expect(manifest).toContain('<name>PresenceUserConfig</name>');
    expect(existsSync(path.join(outDir, 'settings', 'OmniChannel.settings'))).toBe(true);
  }, 180_000);
});

describe('partial permission sets', () => {
  it('only servicePresenceStatusAccesses changes; every other byte of an existing file survives', async () => {
    const root = makeProject({ spec: 'permissionSets:\n  Agents:\n    statuses: [Online, Away]\n' });
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
});
