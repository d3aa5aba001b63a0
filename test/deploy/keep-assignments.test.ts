/**
 * A deploy keeps the org's user assignments (issue: a capacity tweak unassigned every agent). Against the
 * local org, in process: deploy the sample, assign agents to miaw with `omni assign apply`, change miaw's
 * capacity, `omni plan` says the assignments are kept, `omni deploy` leaves every agent on miaw (counted
 * from the org's own rows); `--replace-assignments` removes them and says how many, in plan and deploy.
 * Anything the deploy's safety depends on (the snapshot) is written before the deploy is sent: with an
 * unwritable .omni/ nothing is deployed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { makeProject } from '../helpers/project.ts';
import { deploySample, startPreparedOrg } from '../helpers/deployed-org.ts';

const MIAW = 'force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Usernames holding `config` (user level), from the org's own rows. */
function holders(org: LocalOrg, config: string): string[] {
  const cfg = [...org.store.all('PresenceUserConfig')].find((c) => c.DeveloperName === config)!;
  return [...org.store.all('PresenceUserConfigUser')]
    .filter((r) => r.PresenceUserConfigId === cfg.Id)
    .map((r) => String(org.store.get(String(r.UserId))!.Username))
    .sort();
}

/**
 * The sample deployed and agent01, agent02 assigned to miaw with `omni assign apply` (done once per worker: each
 * test's org starts from the state that left, test/helpers/deployed-org.ts), and miaw's capacity changed in a
 * fresh copy of the sample.
 */
async function deployedWithAgents(): Promise<{ org: LocalOrg; dir: string }> {
  const org = await startPreparedOrg('sample deployed, agent01 and agent02 on miaw (seedUsers 0)', async (o) => {
    await deploySample(o);
    const p = makeProject();
    try {
      const a = await omniInProcess(o, p.dir, ['assign', 'apply', '--config', 'miaw', '--user', 'agent01@omni.local', '--user', 'agent02@omni.local', '--json']);
      expect(a.code, a.stdout).toBe(0);
    } finally {
      p.cleanup();
    }
  }, { seedUsers: 0 });
  const p = makeProject();
  cleanups.push(() => org.stop(), () => p.cleanup());
  expect(holders(org, 'miaw')).toEqual(['agent01@omni.local', 'agent02@omni.local']);
  const file = join(p.dir, MIAW);
  writeFileSync(file, readFileSync(file, 'utf8').replace('<capacity>20</capacity>', '<capacity>19</capacity>'));
  return { org, dir: p.dir };
}

describe('deploys keep the org\'s user assignments', () => {
  it('capacity 20 → 19: plan says the 2 assignments are kept, deploy changes capacity and every agent still holds miaw', async () => {
    const { org, dir } = await deployedWithAgents();
    const plan = await omniInProcess(org, dir, ['plan', '--json']);
    expect(plan.code, plan.stdout).toBe(0);
    const miaw = plan.json.result.items.find((i: any) => i.fullName === 'miaw');
    expect(miaw.changes).toEqual([{ field: 'capacity', old: '20', new: '19' }]);
    expect(miaw.assignments).toEqual([{ element: 'assignments.users.user', action: 'kept', count: 2, members: ['agent01@omni.local', 'agent02@omni.local'] }]);
    const text = await omniInProcess(org, dir, ['plan']);
    expect(text.stdout).toContain('assignments kept: 2 user assignments the org holds');

    const r = await omniInProcess(org, dir, ['deploy', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.removedAssignments).toEqual([]);
    expect(r.json.result.assignments).toEqual([{ type: 'PresenceUserConfig', fullName: 'miaw', element: 'assignments.users.user', action: 'kept', count: 2, members: ['agent01@omni.local', 'agent02@omni.local'] }]);
    expect(holders(org, 'miaw')).toEqual(['agent01@omni.local', 'agent02@omni.local']);
    const cfg = [...org.store.all('PresenceUserConfig')].find((c) => c.DeveloperName === 'miaw')!;
    expect(cfg.Capacity).toBe(19);
    // The source file itself is untouched: users stay out of source.
    expect(readFileSync(join(dir, MIAW), 'utf8')).not.toContain('<users>');
    // And the plan is clean afterwards.
    const again = await omniInProcess(org, dir, ['plan', '--json']);
    expect(again.json.result.items.find((i: any) => i.fullName === 'miaw').action).toBe('unchanged');
  }, 60_000);

  it('a user assigned with omni assign apply, no source change: plan names the user as kept, deploy keeps the row', async () => {
    const org = await startTestOrg({ seedUsers: 0 });
    const p = makeProject();
    cleanups.push(() => org.stop(), () => p.cleanup());
    expect((await omniInProcess(org, p.dir, ['deploy', '--json'])).code).toBe(0);
    const a = await omniInProcess(org, p.dir, ['assign', 'apply', '--config', 'miaw', '--user', 'agent07@omni.local', '--json']);
    expect(a.code, a.stdout).toBe(0);
    expect(holders(org, 'miaw')).toEqual(['agent07@omni.local']);

    const plan = await omniInProcess(org, p.dir, ['plan', '--json']);
    expect(plan.code, plan.stdout).toBe(0);
    const miaw = plan.json.result.items.find((i: any) => i.fullName === 'miaw');
    expect(miaw.action).toBe('unchanged');
    expect(miaw.assignments).toEqual([{ element: 'assignments.users.user', action: 'kept', count: 1, members: ['agent07@omni.local'] }]);
    const text = await omniInProcess(org, p.dir, ['plan']);
    expect(text.stdout).toMatch(/PresenceUserConfig miaw\s+assignments kept: 1 user assignment the org holds: agent07@omni\.local\b/);

    const r = await omniInProcess(org, p.dir, ['deploy', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.removedAssignments).toEqual([]);
    expect(holders(org, 'miaw')).toEqual(['agent07@omni.local']);
  }, 60_000);

  it('--replace-assignments: plan shows the removal with its count, deploy removes them and reports them with the snapshot', async () => {
    const { org, dir } = await deployedWithAgents();
    const plan = await omniInProcess(org, dir, ['plan', '--replace-assignments', '--json']);
    const miaw = plan.json.result.items.find((i: any) => i.fullName === 'miaw');
    expect(miaw.assignments).toEqual([{ element: 'assignments.users.user', action: 'removed', count: 2, members: ['agent01@omni.local', 'agent02@omni.local'] }]);
    expect(miaw.changes).toEqual(expect.arrayContaining([{ field: 'capacity', old: '20', new: '19' }]));
    const text = await omniInProcess(org, dir, ['plan', '--replace-assignments']);
    expect(text.stdout).toContain('assignments removed: 2 user assignments the org holds');
    const r = await omniInProcess(org, dir, ['deploy', '--replace-assignments', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(holders(org, 'miaw')).toEqual([]);
    expect(r.json.result.removedAssignments).toHaveLength(2);
    expect(r.json.result.snapshotFile).toMatch(/^\.omni\/snapshots\//);
    expect(JSON.parse(readFileSync(join(dir, r.json.result.snapshotFile), 'utf8')).before.configs.miaw.users).toEqual(['agent01@omni.local', 'agent02@omni.local']);
  }, 60_000);

  it('setup keeps them too', async () => {
    const { org, dir } = await deployedWithAgents();
    const r = await omniInProcess(org, dir, ['setup', '--no-prompt', '--json']);
    // (Without an assignment file its verify stage fails — agents can't go online — which is not the point here.)
    const deploy = r.json.result.stages.find((x: any) => x.stage === 'deploy');
    expect(deploy.summary).toMatch(/Succeeded: 0 created, 1 changed/);
    expect(deploy.details.removedAssignments).toEqual([]);
    expect(holders(org, 'miaw')).toEqual(['agent01@omni.local', 'agent02@omni.local']);
    const cfg = [...org.store.all('PresenceUserConfig')].find((c) => c.DeveloperName === 'miaw')!;
    expect(cfg.Capacity).toBe(19);
  }, 60_000);

  it('.omni/ unwritable: the deploy\'s state (record, snapshot) cannot be saved, so nothing is sent, nothing deployed (StateWriteFailed, exit 1)', async () => {
    const { org, dir } = await deployedWithAgents();
    // A regular file where the folder should be: every write under .omni/ fails (also for root).
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, '.omni'), { recursive: true, force: true });
    writeFileSync(join(dir, '.omni'), 'not a folder');
    org.resetStats();
    const r = await omniInProcess(org, dir, ['deploy', '--replace-assignments', '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.name).toBe('StateWriteFailed');
    // Checked before anything goes to the org (test/deploy/state-writes.test.ts): the first folder named.
    expect(r.json.message).toMatch(/^Could not write \.omni\/deploys: (ENOTDIR|EEXIST) .*Nothing was sent to the org\./);
    expect(org.stats().byEndpoint['soap/metadata:deploy']).toBeUndefined();
    expect(holders(org, 'miaw')).toEqual(['agent01@omni.local', 'agent02@omni.local']);
    expect([...org.store.all('PresenceUserConfig')].find((c) => c.DeveloperName === 'miaw')!.Capacity).toBe(20);
  }, 60_000);
});
