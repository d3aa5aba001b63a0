/**
 * omni deploy / plan / retrieve end to end against the local org over HTTP (its SOAP Metadata API),
 * and parity with `sf project deploy start`.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { authorizeSf, makeSfHome, sfInRunner, startTestOrg, type SfHome } from '../helpers/local-org.ts';
import { FORCE_APP, omni, omniAlias } from './helpers.ts';
import { makeProject } from '../helpers/project.ts';

const MIAW = 'force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml';
const CASE = 'force-app/main/default/presenceUserConfigs/Case_Agents.presenceUserConfig-meta.xml';

let home: SfHome;
beforeAll(() => {
  home = makeSfHome();
});
afterAll(() => home?.cleanup());

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const OMNI_OBJECTS: Record<string, string> = {
  ServiceChannel: 'DeveloperName, MasterLabel, RelatedEntity, CapacityModel',
  ServicePresenceStatus: 'DeveloperName, MasterLabel',
  PresenceDeclineReason: 'DeveloperName, MasterLabel',
  PresenceUserConfig: 'DeveloperName, MasterLabel, Capacity, InterruptibleCapacity, OptionsIsDeclineEnabled, OptionsIsAutoAcceptEnabled',
  QueueRoutingConfig: 'DeveloperName, MasterLabel, RoutingModel, RoutingPriority, CapacityWeight, CapacityPercentage, PushTimeout',
  PresenceUserConfigProfile: 'PresenceUserConfig.DeveloperName, Profile.Name',
  PresenceUserConfigUser: 'PresenceUserConfig.DeveloperName, User.Username',
  PresenceConfigDeclineReason: 'PresenceUserConfig.DeveloperName, PresenceDeclineReason.DeveloperName',
};

/** Every Omni row, without ids and dates, in a stable order. */
async function orgState(org: LocalOrg): Promise<Record<string, string[]>> {
  const state: Record<string, string[]> = {};
  for (const [sobject, fields] of Object.entries(OMNI_OBJECTS)) {
    const q = encodeURIComponent(`SELECT ${fields} FROM ${sobject}`);
    const res = await fetch(`${org.instanceUrl}/services/data/v62.0/query?q=${q}`, { headers: { authorization: `Bearer ${org.accessToken}` } });
    const body = (await res.json()) as { records: Array<Record<string, unknown>> };
    state[sobject] = body.records
      .map((r) => JSON.stringify(r, (k, v) => (k === 'attributes' || k === 'Id' ? undefined : v)))
      .sort();
  }
  return state;
}

describe('omni deploy, plan and retrieve against the local org', () => {
  it('deploys the sample (new components created, built-in ones changed), then plan shows no changes and a retrieve is byte-identical', async () => {
    const org = await startTestOrg();
    const p = makeProject();
    try {
      const d = await omni(org, home, p.dir, ['deploy', '--json']);
      expect(d.code, d.stdout + d.stderr).toBe(0);
      expect(d.json.result.summary.failed).toBe(0);
      const components: Array<{ state: string; type: string; fullName: string }> = d.json.result.components;
      expect(components.length).toBe(readdirSync(join(FORCE_APP, 'main/default'), { recursive: true }).filter((f) => String(f).endsWith('-meta.xml')).length);
      // Every Omni org already has the sfdc_phone and sfdc_livemessage channels and the OmniChannel
      // settings; everything else is new. The sample changes sfdc_phone (ACW); its sfdc_livemessage and
      // settings only spell out as false what the built-ins hold as absent: unchanged (local org F-62).
      const builtIn: Record<string, string> = { 'ServiceChannel:sfdc_phone': 'Changed', 'ServiceChannel:sfdc_livemessage': 'Unchanged', 'Settings:OmniChannel': 'Unchanged' };
      for (const c of components) expect(`${c.type}:${c.fullName} ${c.state}`).toBe(`${c.type}:${c.fullName} ${builtIn[`${c.type}:${c.fullName}`] ?? 'Created'}`);
      expect(d.json.result.summary).toMatchObject({ created: components.length - 3, changed: 1, unchanged: 2, failed: 0 });
      expect(d.stdout).not.toContain(org.accessToken);

      const plan = await omni(org, home, p.dir, ['plan', '--detailed-exitcode', '--json']);
      expect(plan.code, plan.stdout).toBe(0);
      expect(plan.json.result.hasChanges).toBe(false);

      const out = makeProject();
      try {
        const r = await omni(org, home, p.dir, ['retrieve', '--output-dir', join(out.dir, 'retrieved'), '--json']);
        expect(r.code, r.stdout + r.stderr).toBe(0);
        const got = files(join(out.dir, 'retrieved'));
        // omni retrieve brings the Omni types; the sample's sound (a StaticResource) is not one of them.
        const want = new Map([...files(FORCE_APP)].filter(([k]) => !k.includes('staticresources')));
        expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
        for (const [k, v] of want) expect(got.get(k), k).toBe(v);
      } finally {
        out.cleanup();
      }
    } finally {
      p.cleanup();
      await org.stop();
    }
  });

  it('one capacity change: plan shows exactly that field, --dry-run changes nothing, the deploy applies it', async () => {
    const org = await startTestOrg();
    const p = makeProject();
    try {
      expect((await omni(org, home, p.dir, ['deploy', '--json'])).code).toBe(0);
      const file = join(p.dir, MIAW);
      writeFileSync(file, readFileSync(file, 'utf8').replace('<capacity>20</capacity>', '<capacity>25</capacity>'));
      const plan = await omni(org, home, p.dir, ['plan', '--detailed-exitcode', '--json']);
      expect(plan.code).toBe(3);
      const changed = plan.json.result.items.filter((i: { action: string }) => i.action !== 'unchanged' && i.action !== 'only-in-org');
      expect(changed).toEqual([expect.objectContaining({ fullName: 'miaw', action: 'update', changes: [{ field: 'capacity', old: '20', new: '25' }] })]);
      const human = await omni(org, home, p.dir, ['plan']);
      expect(human.stdout).toContain('miaw.capacity: 20 → 25');

      const before = await orgState(org);
      const dry = await omni(org, home, p.dir, ['deploy', '--dry-run', '--json']);
      expect(dry.code, dry.stdout).toBe(0);
      expect(dry.json.result.checkOnly).toBe(true);
      expect(await orgState(org)).toEqual(before);

      expect((await omni(org, home, p.dir, ['deploy', '--json'])).code).toBe(0);
      const after = await orgState(org);
      expect(after.PresenceUserConfig.find((r) => r.includes('"miaw"'))).toContain('"Capacity":25');
      expect((await omni(org, home, p.dir, ['plan', '--detailed-exitcode'])).code).toBe(0);
    } finally {
      p.cleanup();
      await org.stop();
    }
  });

  it('a deploy the server rejects: failure at the right file and line, exit 1, org unchanged', async () => {
    const org = await startTestOrg();
    const p = makeProject();
    try {
      expect((await omni(org, home, p.dir, ['deploy', '--json'])).code).toBe(0);
      const before = await orgState(org);
      // Offline-valid but rejected by the platform: a second channel for the same related entity.
      const dup = join(p.dir, 'force-app/main/default/serviceChannels/Case_Channel_Two.serviceChannel-meta.xml');
      writeFileSync(dup, readFileSync(join(p.dir, 'force-app/main/default/serviceChannels/Case_Channel.serviceChannel-meta.xml'), 'utf8'));
      const r = await omni(org, home, p.dir, ['deploy', '--source-dir', dup, '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const failed = r.json.result.components.filter((c: { state: string }) => c.state === 'Failed');
      expect(failed.length).toBeGreaterThan(0);
      expect(failed[0].file).toBe('force-app/main/default/serviceChannels/Case_Channel_Two.serviceChannel-meta.xml');
      expect(await orgState(org)).toEqual(before);
      // Human output: the failure as `file[:line:col]  problem` (this org error carries no line), no progress under CI.
      const human = await omni(org, home, p.dir, ['deploy', '--source-dir', dup]);
      expect(human.code).toBe(1);
      expect(human.stdout).toMatch(/^ {2}force-app\/main\/default\/serviceChannels\/Case_Channel_Two\.serviceChannel-meta\.xml(:\d+:\d+)? {2}duplicate value found/m);
      expect(human.stdout).toMatch(/Failed — nothing was changed \(all or none\): 1 failed, 0 not deployed/);
      expect(human.stderr).not.toContain('\r');
    } finally {
      p.cleanup();
      await org.stop();
    }
  });

  it('--async returns 0 with the job id (as sf project deploy start --async); deploy report finishes it', async () => {
    const org = await startTestOrg();
    const p = makeProject();
    try {
      const a = await omni(org, home, p.dir, ['deploy', '--async', '--json']);
      expect(a.code, a.stdout + a.stderr).toBe(0);
      expect(a.json.result.done).toBe(false);
      const id = a.json.result.id;
      expect(id).toMatch(/^0Af/);
      expect(a.json.result.reportCommand).toBe(`omni deploy report ${id}`);
      const r = await omni(org, home, p.dir, ['deploy', 'report', id, '--wait', '1', '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.json.result.done).toBe(true);
      expect(r.json.result.summary.created).toBeGreaterThan(0);
      // Without an id: the last deploy of this project.
      const last = await omni(org, home, p.dir, ['deploy', 'report', '--json']);
      expect(last.json.result.id).toBe(id);
    } finally {
      p.cleanup();
      await org.stop();
    }
  });

  it('with --replace-assignments reports the assignments the deploy removed and saves the snapshot (0600); without it they are kept', async () => {
    const org = await startTestOrg();
    const p = makeProject();
    try {
      const file = join(p.dir, CASE);
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, original.replace('</profiles>', '</profiles>\n        <users>\n            <user>agent02@omni.local</user>\n        </users>'));
      expect((await omni(org, home, p.dir, ['deploy', '--json'])).code).toBe(0);
      writeFileSync(file, original);
      const kept = await omni(org, home, p.dir, ['deploy', '--json']);
      expect(kept.code, kept.stdout).toBe(0);
      expect(kept.json.result.removedAssignments).toEqual([]);
      expect(kept.json.result.assignments).toEqual([expect.objectContaining({ fullName: 'Case_Agents', action: 'kept', count: 1, members: ['agent02@omni.local'] })]);
      const r = await omni(org, home, p.dir, ['deploy', '--replace-assignments', '--json']);
      expect(r.code, r.stdout).toBe(0);
      expect(r.json.result.removedAssignments).toEqual([{ config: 'Case_Agents', kind: 'user', name: 'agent02@omni.local' }]);
      expect(r.json.warnings.join('\n')).toContain('agent02@omni.local');
      const { statSync } = await import('node:fs');
      expect(statSync(join(p.dir, r.json.result.snapshotFile)).mode & 0o777).toBe(0o600);
    } finally {
      p.cleanup();
      await org.stop();
    }
  });

  it('leaves the same org state as sf project deploy start', async () => {
    const viaSf = await startTestOrg();
    const viaOmni = await startTestOrg();
    // Each org gets its own HOME, so the two runs share no sf state at all.
    const sfHome = makeSfHome();
    const omniHome = makeSfHome();
    const p = makeProject();
    try {
      await authorizeSf(sfHome, viaSf, 'e2e-sf');
      await authorizeSf(omniHome, viaOmni, 'e2e-omni');
      const before = await orgState(viaOmni);
      expect(await orgState(viaSf)).toEqual(before);
      // The sf CLI's own deploy, in the worker's sf runner (test/helpers/sf-runner.ts): sf ↔ the org over HTTP is
      // what is compared, not sf as a process.
      const sf = await sfInRunner(sfHome, ['project', 'deploy', 'start', '--source-dir', join(p.dir, 'force-app'), '--target-org', 'e2e-sf', '--json']);
      expect(sf.code, sf.stdout).toBe(0);
      const o = await omniAlias(omniHome, p.dir, 'e2e-omni', ['deploy', '--json']);
      expect(o.code, o.stdout + o.stderr).toBe(0);
      const after = await orgState(viaOmni);
      expect(after).not.toEqual(before);
      expect(after).toEqual(await orgState(viaSf));
      expect(o.stdout + o.stderr).not.toContain(viaOmni.accessToken);
    } finally {
      p.cleanup();
      sfHome.cleanup();
      omniHome.cleanup();
      await viaSf.stop();
      await viaOmni.stop();
    }
  });
});
