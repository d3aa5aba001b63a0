/**
 * One set of org-aware checks: what omni doctor fails on and concerns the deployment stops omni deploy
 * too — same id, message and fix — before anything is sent to the Metadata API (issue #10 item 2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { check, omni } from '../setup/helpers.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';

const DEFAULT = 'force-app/main/default';

let org: LocalOrg;
const cleanups: Array<() => unknown> = [];
beforeAll(async () => {
  // Omni on; enableOmniSkillsRouting and enableOmniStatusCapModel off, as in a new org.
  org = await startTestOrg({});
  cleanups.push(() => org.stop());
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function project(edits: Record<string, (text: string) => string>): string {
  const p = makeProject({ copy: SAMPLE_WITH_CONFIG });
  cleanups.push(p.cleanup);
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(p.dir, file);
    const before = readFileSync(path, 'utf8');
    const after = edit(before);
    expect(after, `the edit of ${file} changed nothing`).not.toBe(before);
    writeFileSync(path, after);
  }
  return p.dir;
}

const statusBased = { [`${DEFAULT}/serviceChannels/Case_Channel.serviceChannel-meta.xml`]: (t: string) => t.replace('    <doesMinimize', '    <capacityModel>STATUS_BASED</capacityModel>\n    <doesMinimize') };
const skills = {
  [`${DEFAULT}/queueRoutingConfigs/Case_Routing.queueRoutingConfig-meta.xml`]: (t: string) => t.replace('</QueueRoutingConfig>', '    <skills>\n        <skill>Spanish</skill>\n    </skills>\n</QueueRoutingConfig>'),
};
const newerApi = { 'sfdx-project.json': (t: string) => t.replace(/"sourceApiVersion":\s*"66\.0"/, '"sourceApiVersion": "68.0"') };

describe('omni deploy refuses what omni doctor fails, with the same id, message and fix, before any deploy request', () => {
  for (const [what, edits, id, setting] of [
    ['a status-based channel while enableOmniStatusCapModel is off', statusBased, 'omni-features', 'enableOmniStatusCapModel'],
    ['skills routing while enableOmniSkillsRouting is off', skills, 'omni-features', 'enableOmniSkillsRouting'],
    ["a sourceApiVersion newer than the org's maximum API version", newerApi, 'api-version', '68.0'],
  ] as const) {
    it(what, async () => {
      const dir = project(edits);
      const doctor = await omni(org, dir, ['doctor', '--json']);
      expect(doctor.code).toBe(1);
      const failed = check(doctor, id);
      expect(failed.status).toBe('fail');
      expect(failed.message).toContain(setting);

      org.resetStats();
      const deploy = await omni(org, dir, ['deploy', '--json']);
      expect(deploy.code, deploy.stdout).toBe(1);
      expect(deploy.json.name).toBe('OrgCheckFailed');
      expect(deploy.json.result.checks).toEqual([{ id, title: failed.title, message: failed.message, fix: failed.fix }]);
      expect(deploy.json.message).toContain(`[${id}] ${failed.message}`);
      expect(deploy.json.actions).toContain(failed.fix);
      // Nothing was deployed: no deploy request and no write reached the org.
      const stats = org.stats();
      expect(Object.keys(stats.byEndpoint).filter((e) => e.startsWith('soap/metadata:deploy'))).toEqual([]);
      expect(stats.writes).toBe(0);
    });
  }

  it('Omni-Channel off and not turned on by the deployment: the doctor\'s omni-enabled failure, under its one name OmniChannelDisabled', async () => {
    const off = await startTestOrg({ omniDisabled: true });
    cleanups.push(() => off.stop());
    const dir = project({});
    rmSync(join(dir, DEFAULT, 'settings'), { recursive: true });
    const doctor = await omni(off, dir, ['doctor', '--json']);
    expect(doctor.code).toBe(1);
    const failed = check(doctor, 'omni-enabled');
    expect(failed).toMatchObject({ status: 'fail', message: 'Omni-Channel is not enabled in the org.' });
    expect(failed.repairedBySetup).toBeUndefined();

    off.resetStats();
    const deploy = await omni(off, dir, ['deploy', '--json']);
    expect(deploy.code, deploy.stdout).toBe(1);
    expect(deploy.json.name).toBe('OmniChannelDisabled');
    expect(deploy.json.result.checks).toEqual([{ id: 'omni-enabled', title: failed.title, message: failed.message, fix: failed.fix }]);
    expect(deploy.json.message).toContain(`[omni-enabled] ${failed.message}`);
    expect(deploy.json.actions).toEqual([failed.fix]);
    const stats = off.stats();
    expect(Object.keys(stats.byEndpoint).filter((e) => e.startsWith('soap/metadata:deploy'))).toEqual([]);
    expect(stats.writes).toBe(0);
  });

  it('a StaticResource the spec names that is neither in the project nor in the org: the doctor\'s record-settings failure', async () => {
    const dir = project({ 'config/omni-channel.yaml': (t) => t.replace('staticResource: Omni_Chime', 'staticResource: No_Such_Sound') });
    const doctor = await omni(org, dir, ['doctor', '--json']);
    expect(doctor.code).toBe(1);
    const failed = check(doctor, 'record-settings');
    expect(failed.status).toBe('fail');
    expect(failed.message).toMatch(/^1 StaticResource neither in the project nor in the org: config\/omni-channel\.yaml:\d+:\d+ StaticResource "No_Such_Sound" \(/);

    org.resetStats();
    const deploy = await omni(org, dir, ['deploy', '--json']);
    expect(deploy.code, deploy.stdout).toBe(1);
    expect(deploy.json.name).toBe('OrgCheckFailed');
    expect(deploy.json.result.checks).toEqual([{ id: 'record-settings', title: failed.title, message: failed.message, fix: failed.fix }]);
    expect(deploy.json.message).toContain(`[record-settings] ${failed.message}`);
    expect(deploy.json.actions).toEqual([failed.fix]);
    const stats = org.stats();
    expect(Object.keys(stats.byEndpoint).filter((e) => e.startsWith('soap/metadata:deploy'))).toEqual([]);
    expect(stats.writes).toBe(0);
  });

  it('a deployment that turns the setting on itself is not refused (the doctor calls it a deploy repair)', async () => {
    const dir = project({
      ...statusBased,
      [`${DEFAULT}/settings/OmniChannel.settings-meta.xml`]: (t) => t.replace('</OmniChannelSettings>', '    <enableOmniStatusCapModel>true</enableOmniStatusCapModel>\n</OmniChannelSettings>'),
    });
    const doctor = await omni(org, dir, ['doctor', '--json']);
    expect(check(doctor, 'omni-features')).toMatchObject({ status: 'fail', repairedBySetup: 'deploy' });
    const deploy = await omni(org, dir, ['deploy', '--dry-run', '--json']);
    expect(deploy.code, deploy.stdout).toBe(0);
  });
});

describe('omni doctor --assignments: one profile, two names', () => {
  it('fails when the XML assigns `admin` and the assignment file gives "System Administrator" another configuration', async () => {
    const dir = project({
      [`${DEFAULT}/presenceUserConfigs/Case_Agents.presenceUserConfig-meta.xml`]: (t) => t.replace('<profile>Custom: Support Agent</profile>', '<profile>admin</profile>'),
    });
    writeFileSync(join(dir, 'admins.yaml'), "presenceConfigurations:\n  miaw:\n    profiles: ['System Administrator']\n");
    const r = await omni(org, dir, ['doctor', '--assignments', 'admins.yaml', '--json']);
    expect(r.code).toBe(1);
    const c = check(r, 'assignment-overlap');
    expect(c.status).toBe('fail');
    expect(c.details.conflicts).toEqual([expect.stringMatching(/^profile "System Administrator": Case_Agents in .*Case_Agents\.presenceUserConfig-meta\.xml but miaw in admins\.yaml/)]);
  });
});

describe('omni plan shows the same check as a warning (it reads, it does not refuse)', () => {
  it('a StaticResource neither in the project nor in the org: the doctor\'s record-settings finding', async () => {
    const dir = project({ 'config/omni-channel.yaml': (t) => t.replace('staticResource: Omni_Chime', 'staticResource: No_Such_Sound') });
    const failed = check(await omni(org, dir, ['doctor', '--json']), 'record-settings');
    expect(failed.status).toBe('fail');
    const plan = await omni(org, dir, ['plan', '--json']);
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.json.warnings).toContain(`[record-settings] ${failed.message} Fix: ${failed.fix} ("omni deploy" refuses this)`);
  });

  it('a status-based channel while enableOmniStatusCapModel is off', async () => {
    const dir = project(statusBased);
    const doctor = await omni(org, dir, ['doctor', '--json']);
    const failed = check(doctor, 'omni-features');
    const plan = await omni(org, dir, ['plan', '--json']);
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.json.warnings).toContainEqual(expect.stringContaining(`[omni-features] ${failed.message}`));
  });
});
