/**
 * `omni org local --alias` registers the org with its refresh token, as a real login does: once the
 * access token expires (or the injected `session` fault revokes it), commands through the alias refresh
 * it instead of failing until a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAlias } from '../../scripts/commands/org-local.ts';
import { connectOrg } from '../../scripts/org/connection.ts';
import { makeSfHome, startTestOrg, type SfHome } from '../helpers/local-org.ts';
import { withSfHome } from '../helpers/sf-home.ts';

// @salesforce/core reads its auth store under HOME: each test runs with an isolated HOME (withSfHome switches
// HOME and drops core's per-HOME caches for the test, so this file shares its worker with the others).
let home: SfHome;
const inHome = <T>(fn: () => Promise<T>) => withSfHome(home.env, undefined, fn);

let org: Awaited<ReturnType<typeof startTestOrg>>;
beforeAll(async () => {
  home = makeSfHome();
  org = await startTestOrg({ tokenTtlSeconds: 2 });
});
afterAll(async () => {
  await org.stop();
  home.cleanup();
});

describe('14. the alias of a local org survives an expired or revoked access token', () => {
  it('after the access token expires, a query through the alias refreshes it and succeeds', () => inHome(async () => {
    await registerAlias(org, 'loc');
    const first = await connectOrg({ targetOrg: 'loc' });
    expect(first.username).toBe(org.username);
    expect((await first.connection.query('SELECT Id FROM Organization')).totalSize).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    org.resetStats();
    const again = await connectOrg({ targetOrg: 'loc' });
    const result = await again.connection.query('SELECT Id FROM Organization');
    expect(result.totalSize).toBe(1);
    // One refresh_token grant did it.
    expect(org.stats().byEndpoint['oauth/token']).toBeGreaterThanOrEqual(1);
  }), 60_000);
});

describe('15. each local org has its own org id and admin username', () => {
  it('two local orgs registered in one sf auth store keep two aliases pointing at their own org', () => inHome(async () => {
    const second = await startTestOrg();
    try {
      expect(second.orgId).not.toBe(org.orgId);
      expect(second.username).not.toBe(org.username);
      expect(second.username).toMatch(/^admin\.[0-9a-f]{8}@omni\.local$/);
      await registerAlias(org, 'first');
      await registerAlias(second, 'second');
      const a = await connectOrg({ targetOrg: 'first' });
      const b = await connectOrg({ targetOrg: 'second' });
      expect([a.orgId, a.username, a.instanceUrl]).toEqual([org.orgId, org.username, org.instanceUrl]);
      expect([b.orgId, b.username, b.instanceUrl]).toEqual([second.orgId, second.username, second.instanceUrl]);
      // Org ids reach the journals' wrong-org guard through the Organization row.
      expect((await b.connection.query<{ Id: string }>('SELECT Id FROM Organization')).records[0].Id).toBe(second.orgId);
    } finally {
      await second.stop();
    }
  }), 60_000);
});
