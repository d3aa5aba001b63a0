/**
 * `initialState`: an org started from another org's `stateText()` is that org as a restart from its state file
 * gives it — the same records, ids, credentials and Metadata API memory (a retrieve returns what was deployed) —
 * and the two then go their own ways. Expected values come from the first org, read over its own API.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/index.ts';
import { api, startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { makeProject } from '../helpers/project.ts';

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const SOQL = '/services/data/v62.0/query?q=' + encodeURIComponent('SELECT Id, DeveloperName, Capacity FROM PresenceUserConfig ORDER BY DeveloperName');

describe('initialState', () => {
  it('starts from another org’s state: same rows and ids, same token, the deployed files retrievable; writes stay apart', async () => {
    const first = await startTestOrg({ omniDisabled: true });
    const project = makeProject();
    cleanups.push(() => first.stop(), () => project.cleanup());
    expect((await omniInProcess(first, project.dir, ['deploy', '--json'])).code).toBe(0);
    const before = await api(first, 'GET', SOQL);
    expect(before.body.totalSize).toBeGreaterThan(0);

    const second: LocalOrg = await startTestOrg({ initialState: first.stateText() });
    cleanups.push(() => second.stop());
    expect(second.instanceUrl).not.toBe(first.instanceUrl);
    expect([second.orgId, second.accessToken]).toEqual([first.orgId, first.accessToken]);
    // The deploy turned Omni-Channel on in the first org: so it is in the second.
    expect(second.context.omniEnabled).toBe(true);
    expect((await api(second, 'GET', SOQL)).body).toEqual(before.body);
    // What the Metadata API remembers of the deployed files: a plan finds nothing to change, a retrieve all unchanged.
    const plan = await omniInProcess(second, project.dir, ['plan', '--detailed-exitcode', '--json']);
    expect(plan.code, plan.stdout).toBe(0);
    const retrieve = await omniInProcess(second, project.dir, ['retrieve', '--json']);
    expect(retrieve.json.result.summary).toMatchObject({ created: 0, updated: 0 });

    const created = await api(second, 'POST', '/services/data/v62.0/sobjects/PermissionSet', { Name: 'Only_In_Second', Label: 'Only in second' });
    expect(created.status, created.text).toBe(201);
    const named = '/services/data/v62.0/query?q=' + encodeURIComponent("SELECT Id FROM PermissionSet WHERE Name = 'Only_In_Second'");
    expect((await api(second, 'GET', named)).body.records.map((r: any) => r.Id)).toEqual([created.body.id]);
    expect((await api(first, 'GET', named)).body.totalSize).toBe(0);
  });

  it('a state text that is not a state file is refused, naming it', async () => {
    await expect(startTestOrg({ initialState: '{"format":"something else"}' })).rejects.toThrow(/initialState/);
  });
});
