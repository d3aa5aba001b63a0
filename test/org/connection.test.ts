import { afterEach, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { connectOrg, describeOrg, confirmOrgChange } from '../../scripts/org/connection.ts';
import { startTestOrg } from '../helpers/local-org.ts';

const orgs: LocalOrg[] = [];
afterEach(async () => {
  await Promise.all(orgs.splice(0).map((o) => o.stop()));
});

async function connect(options: Parameters<typeof startTestOrg>[0] = {}) {
  const org = await startTestOrg(options);
  orgs.push(org);
  const session = await connectOrg({ instanceUrl: org.instanceUrl, env: { SF_ACCESS_TOKEN: org.accessToken } });
  return { org, session };
}

describe('connectOrg with --instance-url and SF_ACCESS_TOKEN', () => {
  it('knows the user and org it talks to', async () => {
    const { org, session } = await connect();
    expect(session.username).toBe(org.username);
    expect(session.orgId).toBe(org.orgId);
    expect(session.instanceUrl).toBe(org.instanceUrl);
  });

  it.each([
    ['scratch', 'scratch'],
    ['sandbox', 'sandbox'],
    ['developer', 'developer'],
    ['production', 'production'],
  ] as const)('classifies a %s org from IsSandbox / TrialExpirationDate / OrganizationType', async (orgType, expected) => {
    const { session } = await connect({ orgType });
    const info = await describeOrg(session);
    expect(info.orgType).toBe(expected);
    expect(info.omniEnabled).toBe(true);
  });

  it('sees that Omni-Channel is off (its objects are not supported)', async () => {
    const { session } = await connect({ omniDisabled: true });
    expect((await describeOrg(session)).omniEnabled).toBe(false);
  });

  it('turns a bad token into the login hint (a local org: its own login command), without printing the token', async () => {
    const org = await startTestOrg();
    orgs.push(org);
    const badToken = `${org.orgId}!AQbadbadbadbadbadbadbadbadbad`;
    const error = await connectOrg({ instanceUrl: org.instanceUrl, env: { SF_ACCESS_TOKEN: badToken } }).catch((e) => e);
    expect(error.name).toBe('ExpiredSession');
    expect(error.actions.join(' ')).toMatch(/omni org local --alias local/);
    expect(`${error.message} ${error.actions.join(' ')}`).not.toContain(badToken);
  });

  it('asks for SF_ACCESS_TOKEN when --instance-url comes alone', async () => {
    await expect(connectOrg({ instanceUrl: 'http://127.0.0.1:9', env: {} })).rejects.toMatchObject({ name: 'NoAccessToken', exitCode: 2 });
  });
});

describe('confirmOrgChange', () => {
  const base = { action: 'Deploy', confirm: async () => true };
  it('lets non-production orgs through without asking', async () => {
    await expect(confirmOrgChange({ orgType: 'sandbox', name: 'x' }, { label: 'x' }, { ...base, noPrompt: false, interactive: false })).resolves.toBeUndefined();
  });
  it('refuses production without a TTY yes or --no-prompt', async () => {
    await expect(confirmOrgChange({ orgType: 'production', name: 'Acme' }, { label: 'prod' }, { ...base, noPrompt: false, interactive: false })).rejects.toMatchObject({
      name: 'ProductionConfirmationRequired',
    });
    await expect(confirmOrgChange({ orgType: 'production', name: 'Acme' }, { label: 'prod' }, { ...base, noPrompt: true, interactive: false })).resolves.toBeUndefined();
    await expect(confirmOrgChange({ orgType: 'production', name: 'Acme' }, { label: 'prod' }, { ...base, noPrompt: false, interactive: true })).resolves.toBeUndefined();
  });
});
