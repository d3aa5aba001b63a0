import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { createConfig, createRecord, createUser, omni, query, tempDir } from './helpers.ts';

let org: LocalOrg;
let work: ReturnType<typeof tempDir>;

beforeAll(async () => {
  org = await startTestOrg({});
  work = tempDir();
  const online = await createRecord(org, 'ServicePresenceStatus', { DeveloperName: 'Available_Chat', MasterLabel: 'Available - Chat' });
  const away = await createRecord(org, 'ServicePresenceStatus', { DeveloperName: 'On_Break', MasterLabel: 'On Break' });
  const declined = await createRecord(org, 'ServicePresenceStatus', { DeveloperName: 'Declined_Work', MasterLabel: 'Declined' });
  const channel = (await query(org, "SELECT Id FROM ServiceChannel WHERE DeveloperName = 'sfdc_livemessage'"))[0].Id;
  await createRecord(org, 'ServiceChannelStatus', { ServiceChannelId: channel, ServicePresenceStatusId: online });
  await createConfig(org, 'chat_agents', { PresenceStatusOnDeclineId: declined, PresenceStatusOnPushTimeoutId: away });
  // The agent profile grants the online status; a permission set grants the away one.
  const profileSet = (await query(org, "SELECT Id FROM PermissionSet WHERE Profile.Name = 'Custom: Support Agent' AND IsOwnedByProfile = true"))[0].Id;
  await createRecord(org, 'SetupEntityAccess', { ParentId: profileSet, SetupEntityId: online });
  const breakSet = await createRecord(org, 'PermissionSet', { Name: 'Omni_Breaks', Label: 'Omni Breaks' });
  await createRecord(org, 'SetupEntityAccess', { ParentId: breakSet, SetupEntityId: away });
  const lonely = await createUser(org, 'no.online@omni.local');
  await createRecord(org, 'PermissionSetAssignment', { AssigneeId: lonely, PermissionSetId: breakSet });
  writeFileSync(
    join(work.dir, 'access.yaml'),
    'presenceConfigurations:\n  chat_agents:\n    profiles: ["Custom: Support Agent"]\n    users:\n      usernames: [no.online@omni.local, agent01@omni.local]\n',
  );
});
afterAll(async () => {
  await org?.stop();
  work?.cleanup();
});

describe('omni access check', () => {
  it('flags the agent with no granted online status (exit 1) and the decline status nobody can use', async () => {
    const r = await omni(org, work.dir, ['access', 'check', '--file', 'access.yaml', '--json']);
    expect(r.code, r.stdout).toBe(1);
    const agents = Object.fromEntries(r.json.result.agents.map((a: any) => [a.username, a]));
    expect(agents['no.online@omni.local']).toMatchObject({ canGoOnline: false, statuses: ['On_Break'], onlineStatuses: [], source: 'user' });
    // On_Break (the push-timeout status) reaches no.online through a permission set; the profile's agents lack it.
    expect(agents['no.online@omni.local'].unusableReferenced).toEqual([{ field: 'PresenceStatusOnDecline', status: 'Declined_Work' }]);
    expect(agents['agent01@omni.local']).toMatchObject({ canGoOnline: true, onlineStatuses: ['Available_Chat'], source: 'user' });
    expect(agents['agent05@omni.local']).toMatchObject({ canGoOnline: true, source: 'profile', configuration: 'chat_agents' });
    expect(agents['agent05@omni.local'].unusableReferenced).toEqual([
      { field: 'PresenceStatusOnDecline', status: 'Declined_Work' },
      { field: 'PresenceStatusOnPushTimeout', status: 'On_Break' },
    ]);
    expect(agents['agent05@omni.local'].statuses).toEqual(['Available_Chat']);
    expect(r.json.result.summary).toMatchObject({ agents: 11, cannotGoOnline: 1, unusableReferenced: 11 });
  });

  it('passes (exit 0) once every assigned agent has an online status', async () => {
    writeFileSync(join(work.dir, 'ok.yaml'), 'presenceConfigurations:\n  chat_agents:\n    profiles: ["Custom: Support Agent"]\n');
    const r = await omni(org, work.dir, ['access', 'check', '--file', 'ok.yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('10 agents checked: 0 cannot go online, 10 with a configuration status they cannot use.');
  });

  it('an unknown username is a problem that names the org’s likeliest user (the production username in a sandbox)', async () => {
    writeFileSync(join(work.dir, 'typo.yaml'), 'presenceConfigurations:\n  chat_agents:\n    users: { usernames: [agent01@omni] }\n');
    const r = await omni(org, work.dir, ['access', 'check', '--file', 'typo.yaml', '--json']);
    expect(JSON.stringify(r.json)).toContain('No user with username \\"agent01@omni\\" in the org. Did you mean \\"agent01@omni.local\\"?');
  });
});
