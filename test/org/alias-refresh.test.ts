/**
 * `omni org local --alias` registers the org with its refresh token, as a real login does: once the
 * access token expires (or the injected `session` fault revokes it), commands through the alias refresh
 * it instead of failing until a restart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @salesforce/core fixes its auth-store folder from HOME when first imported: an isolated HOME first.
process.env.HOME = mkdtempSync(path.join(tmpdir(), 'omni-alias-home-'));
process.env.SF_DISABLE_LOG_FILE = 'true';
process.env.SF_USE_GENERIC_UNIX_KEYCHAIN = 'true';

const { startTestOrg } = await import('../helpers/local-org.ts');
const { registerAlias } = await import('../../scripts/commands/org-local.ts');
const { connectOrg } = await import('../../scripts/org/connection.ts');

let org: Awaited<ReturnType<typeof startTestOrg>>;
beforeAll(async () => {
  org = await startTestOrg({ tokenTtlSeconds: 2 });
});
afterAll(async () => {
  await org.stop();
});

describe('14. the alias of a local org survives an expired or revoked access token', () => {
  it('after the access token expires, a query through the alias refreshes it and succeeds', async () => {
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
  }, 60_000);
});

describe('15. each local org has its own org id and admin username', () => {
  it('two local orgs registered in one sf auth store keep two aliases pointing at their own org', async () => {
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
  }, 60_000);
});
