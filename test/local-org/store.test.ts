import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseSafeSuffix, makeId, normalizeId, to18 } from '../../local-org/ids.ts';
import { OrgStore, PlatformError, StateFileError } from '../../local-org/store.ts';
import { seedOrg } from '../../local-org/seed.ts';
import { SOBJECTS } from '../../local-org/schema.ts';

function seeded(): OrgStore {
  const store = new OrgStore();
  seedOrg(store);
  return store;
}

function errorOf(fn: () => unknown): PlatformError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PlatformError) return error;
    throw error;
  }
  throw new Error('expected a PlatformError');
}

describe('ids', () => {
  it('computes the case-safe suffix Salesforce documents', () => {
    // Known pair from Salesforce docs/examples: 15-char id and its 18-char form.
    expect(to18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(caseSafeSuffix('000000000000000')).toBe('AAA');
    expect(caseSafeSuffix('AAAAAAAAAAAAAAA')).toBe('555');
  });

  it('normalizes a 15- or 18-character id to its 18-character form, whatever suffix it came with', () => {
    // The documented pair above: 15 characters, the right suffix, and suffixes that do not match the first 15.
    expect(normalizeId('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(normalizeId('001A0000006Vm9rIAC')).toBe('001A0000006Vm9rIAC');
    expect(normalizeId('001A0000006Vm9rAAA')).toBe('001A0000006Vm9rIAC');
    expect(normalizeId('001A0000006Vm9riac')).toBe('001A0000006Vm9rIAC');
    expect(normalizeId('001A0000006Vm9')).toBeUndefined();
    expect(normalizeId('001A0000006Vm9r-AC')).toBeUndefined();
    expect(normalizeId(42)).toBeUndefined();
  });

  it('makes 18-character ids with the key prefix', () => {
    const id = makeId('0Ne', 12345);
    expect(id).toHaveLength(18);
    expect(id.startsWith('0Ne')).toBe(true);
    expect(to18(id.slice(0, 15))).toBe(id);
  });

  it('gives every object a unique real key prefix', () => {
    const prefixes = SOBJECTS.map((s) => s.keyPrefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    const byName = Object.fromEntries(SOBJECTS.map((s) => [s.name, s.keyPrefix]));
    expect(byName).toMatchObject({ User: '005', Profile: '00e', Organization: '00D', PermissionSet: '0PS', PermissionSetAssignment: '0Pa', Group: '00G', PresenceUserConfig: '0Nd', PresenceUserConfigUser: '0Ne', PresenceUserConfigProfile: '0Nf', ServicePresenceStatus: '0N5', ServiceChannel: '0N9' });
  });
});

describe('OrgStore platform rules', () => {
  it('seeds the org: admin, ten agents, profiles, channels, default presence configuration', () => {
    const store = new OrgStore();
    const { username } = seedOrg(store);
    // Usernames are case-insensitive: the admin is found in upper case too.
    expect(store.lookup('User', 'Username', username.toUpperCase())).toHaveLength(1);
    const agentProfile = store.findBy('Profile', 'Name', 'Custom: Support Agent')[0];
    expect(store.lookup('User', 'ProfileId', agentProfile.Id)).toHaveLength(10);
    expect(store.findBy('ServiceChannel', 'DeveloperName', 'sfdc_phone')[0].RelatedEntity).toBe('VoiceCall');
    expect(store.findBy('ServiceChannel', 'DeveloperName', 'sfdc_livemessage')[0].RelatedEntity).toBe('MessagingSession');
    const config = store.findBy('PresenceUserConfig', 'DeveloperName', 'default_presence_config')[0];
    expect(config).toMatchObject({ MasterLabel: 'Default Presence Configuration', Capacity: 5 });
    const org = store.all('Organization').next().value!;
    expect(org).toMatchObject({ IsSandbox: false, OrganizationType: 'Developer Edition', TrialExpirationDate: null });
  });

  it('finds rows by their audit fields: every seeded profile and user names the admin as CreatedById, also those seeded before the admin existed', () => {
    const store = new OrgStore();
    const { userId } = seedOrg(store, { seedUsers: 3 });
    expect(store.count('Profile')).toBeGreaterThan(0);
    for (const sobject of ['Profile', 'User']) {
      expect(store.findBy(sobject, 'CreatedById', userId), sobject).toHaveLength(store.count(sobject));
      expect(store.findBy(sobject, 'LastModifiedById', userId), sobject).toHaveLength(store.count(sobject));
    }
  });

  it('seeds exactly the listed users, profiles and permission sets; --seed-users adds deterministic agents', () => {
    const store = new OrgStore();
    seedOrg(store, { seedUsers: 3 });
    expect([...store.all('Profile')].map((p) => p.Name).sort()).toEqual(['Custom: Support Agent', 'Standard User', 'System Administrator']);
    const usernames = [...store.all('User')].map((u) => String(u.Username));
    expect(usernames[0]).toMatch(/^admin\.[0-9a-f]{8}@omni\.local$/);
    expect(usernames).toEqual([
      usernames[0],
      ...Array.from({ length: 10 }, (_, i) => `agent${String(i + 1).padStart(2, '0')}@omni.local`),
      'seed.agent000001@omni.local',
      'seed.agent000002@omni.local',
      'seed.agent000003@omni.local',
    ]);
    const admin = store.findBy('User', 'Username', usernames[0])[0];
    expect(store.get(String(admin.ProfileId))!.Name).toBe('System Administrator');
    expect([...store.all('User')].every((u) => u.IsActive === true)).toBe(true);
    const sets = [...store.all('PermissionSet')];
    // Boolean fields are never null: a permission set not owned by a profile says false.
    expect(sets.filter((s) => s.IsOwnedByProfile === false).map((s) => s.Name).sort()).toEqual(['Omni_Agent', 'Omni_Supervisor', 'Service_Cloud_User']);
    expect(sets.filter((s) => s.IsOwnedByProfile === true)).toHaveLength(3);
    const omniAgent = store.findBy('PermissionSet', 'Name', 'Omni_Agent')[0];
    expect(store.lookup('PermissionSetAssignment', 'PermissionSetId', omniAgent.Id)).toHaveLength(10);
    // [F-21] every feature on by default: Voice, Messaging and Chat bring their built-in channels.
    expect([...store.all('ServiceChannel')].map((c) => `${c.DeveloperName}:${c.RelatedEntity}`).sort()).toEqual([
      'sfdc_liveagent:LiveChatTranscript',
      'sfdc_livemessage:MessagingSession',
      'sfdc_phone:VoiceCall',
    ]);
    expect([...store.all('PresenceUserConfig')].map((c) => c.DeveloperName)).toEqual(['default_presence_config']);
    expect(store.count('PresenceUserConfigUser') + store.count('PresenceUserConfigProfile')).toBe(0);

    const disabled = new OrgStore();
    seedOrg(disabled, { omniDisabled: true });
    // Omni-Channel off: no built-in channels or default configuration until it is enabled.
    expect(disabled.count('ServiceChannel') + disabled.count('PresenceUserConfig')).toBe(0);
  });

  it('[F-21] an org without Chat has no sfdc_liveagent; one with Voice only has sfdc_phone alone', () => {
    const noChat = new OrgStore();
    seedOrg(noChat, { features: ['Voice', 'Messaging'] });
    expect([...noChat.all('ServiceChannel')].map((c) => c.DeveloperName).sort()).toEqual(['sfdc_livemessage', 'sfdc_phone']);
    const voice = new OrgStore();
    seedOrg(voice, { features: ['Voice'] });
    expect([...voice.all('ServiceChannel')].map((c) => c.DeveloperName)).toEqual(['sfdc_phone']);
  });

  it('rejects a second presence configuration for a user or a profile with DUPLICATE_VALUE', () => {
    const store = seeded();
    const config = store.findBy('PresenceUserConfig', 'DeveloperName', 'default_presence_config')[0];
    const other = store.insert('PresenceUserConfig', { DeveloperName: 'other', MasterLabel: 'Other', Capacity: 3 });
    const user = store.findBy('User', 'Username', 'agent01@omni.local')[0];
    const first = store.insert('PresenceUserConfigUser', { PresenceUserConfigId: config.Id, UserId: user.Id });
    const dup = errorOf(() => store.insert('PresenceUserConfigUser', { PresenceUserConfigId: other.Id, UserId: user.Id }));
    expect(dup.errorCode).toBe('DUPLICATE_VALUE');
    expect(dup.message).toContain(first.Id);
    expect(dup.fields).toEqual(['UserId']);
    const profile = store.findBy('Profile', 'Name', 'Standard User')[0];
    store.insert('PresenceUserConfigProfile', { PresenceUserConfigId: config.Id, ProfileId: profile.Id });
    expect(errorOf(() => store.insert('PresenceUserConfigProfile', { PresenceUserConfigId: other.Id, ProfileId: profile.Id })).errorCode).toBe('DUPLICATE_VALUE');
    // After deleting the assignment the user can be assigned again.
    store.delete(first.Id);
    expect(store.insert('PresenceUserConfigUser', { PresenceUserConfigId: other.Id, UserId: user.Id }).Id).toMatch(/^0Ne/);
  });

  it('refuses updates of junction and create-only fields', () => {
    const store = seeded();
    const config = store.findBy('PresenceUserConfig', 'DeveloperName', 'default_presence_config')[0];
    const user = store.findBy('User', 'Username', 'agent02@omni.local')[0];
    const other = store.findBy('User', 'Username', 'agent03@omni.local')[0];
    const row = store.insert('PresenceUserConfigUser', { PresenceUserConfigId: config.Id, UserId: user.Id });
    const err = errorOf(() => store.update(row.Id, { UserId: other.Id }));
    expect(err.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(err.fields).toEqual(['UserId']);
    expect(errorOf(() => store.update(config.Id, { Capacity: 9 })).errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(store.get(config.Id)!.Capacity).toBe(5);
    // Updatable fields still update.
    expect(store.update(config.Id, { InterruptibleCapacity: 2 }).InterruptibleCapacity).toBe(2);
  });

  it('checks required fields, types, picklists and references', () => {
    const store = seeded();
    expect(errorOf(() => store.insert('PresenceUserConfig', { DeveloperName: 'x', MasterLabel: 'X' })).errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(errorOf(() => store.insert('PresenceUserConfig', { DeveloperName: 'x', MasterLabel: 'X', Capacity: 'lots' })).errorCode).toBe('INVALID_TYPE_ON_FIELD_IN_RECORD');
    expect(errorOf(() => store.insert('QueueRoutingConfig', { DeveloperName: 'q', MasterLabel: 'Q', RoutingPriority: 1, RoutingModel: 'Random' })).errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    const config = store.findBy('PresenceUserConfig', 'DeveloperName', 'default_presence_config')[0];
    const missingUser = makeId('005', 999_999);
    expect(errorOf(() => store.insert('PresenceUserConfigUser', { PresenceUserConfigId: config.Id, UserId: missingUser })).errorCode).toBe('INVALID_CROSS_REFERENCE_KEY');
    expect(errorOf(() => store.insert('PresenceUserConfigUser', { PresenceUserConfigId: config.Id, UserId: config.Id })).errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    expect(errorOf(() => store.insert('PresenceUserConfig', { DeveloperName: 'default_PRESENCE_config', MasterLabel: 'Dup', Capacity: 1 })).errorCode).toBe('DUPLICATE_VALUE');
    expect(errorOf(() => store.insert('User', { Nope: 1 })).errorCode).toBe('INVALID_FIELD');
  });

  it('does not delete ServicePresenceStatus through the data API, reports deleted and missing rows', () => {
    const store = seeded();
    const status = store.insert('ServicePresenceStatus', { DeveloperName: 'Available', MasterLabel: 'Available' });
    expect(errorOf(() => store.delete(status.Id)).errorCode).toBe('INVALID_TYPE_FOR_OPERATION');
    expect(store.get(status.Id)).toBeDefined();
    store.delete(status.Id, { system: true });
    expect(errorOf(() => store.delete(status.Id, { system: true })).errorCode).toBe('ENTITY_IS_DELETED');
    expect(errorOf(() => store.update(makeId('0N5', 777_777), { MasterLabel: 'x' })).errorCode).toBe('NOT_FOUND');
  });

  it('cascades deletes to master-detail children', () => {
    const store = seeded();
    const config = store.insert('PresenceUserConfig', { DeveloperName: 'c', MasterLabel: 'C', Capacity: 2 });
    const user = store.findBy('User', 'Username', 'agent04@omni.local')[0];
    const junction = store.insert('PresenceUserConfigUser', { PresenceUserConfigId: config.Id, UserId: user.Id });
    store.delete(config.Id);
    expect(store.get(junction.Id)).toBeUndefined();
    expect(store.getDeleted(junction.Id)?.IsDeleted).toBe(true);
  });

  it('rolls a failed transaction back completely, indexes included', () => {
    const store = seeded();
    const config = store.findBy('PresenceUserConfig', 'DeveloperName', 'default_presence_config')[0];
    const user = store.findBy('User', 'Username', 'agent05@omni.local')[0];
    const before = store.count('PresenceUserConfigUser');
    expect(() =>
      store.transaction(() => {
        store.insert('PresenceUserConfigUser', { PresenceUserConfigId: config.Id, UserId: user.Id });
        store.update(config.Id, { InterruptibleCapacity: 4 });
        store.insert('PresenceUserConfigUser', { PresenceUserConfigId: config.Id, UserId: user.Id });
      }),
    ).toThrow(PlatformError);
    expect(store.count('PresenceUserConfigUser')).toBe(before);
    expect(store.lookup('PresenceUserConfigUser', 'UserId', user.Id)).toEqual([]);
    expect(store.get(config.Id)!.InterruptibleCapacity).toBeNull();
    // The index was restored too: the same insert now succeeds.
    expect(store.insert('PresenceUserConfigUser', { PresenceUserConfigId: config.Id, UserId: user.Id })).toBeDefined();
  });

  it('keeps row order through updates and puts rolled-back deletes back in their place', () => {
    const store = seeded();
    const agents = () => [...store.all('User')].map((u) => u.Username);
    const order = agents();
    const reasons = ['A', 'B', 'C'].map((n) => store.insert('PresenceDeclineReason', { DeveloperName: n, MasterLabel: n }).Id);
    store.update(store.findBy('User', 'Username', 'agent03@omni.local')[0].Id, { Department: 'Voice' });
    expect(agents()).toEqual(order);
    expect(() =>
      store.transaction(() => {
        store.delete(reasons[0]);
        store.delete(reasons[1]);
        store.update(reasons[2], { MasterLabel: 'C2' });
        throw new Error('deploy failed');
      }),
    ).toThrow('deploy failed');
    expect([...store.all('PresenceDeclineReason')].map((r) => r.DeveloperName)).toEqual(['A', 'B', 'C']);
    expect([...store.all('PresenceDeclineReason')].map((r) => r.MasterLabel)).toEqual(['A', 'B', 'C']);
  });

  it('runs onRollback steps (newest first) when the transaction rolls back, keeps them for the outer one on commit', () => {
    const store = seeded();
    const memory: Record<string, string> = { a: 'deployed' };
    const set = (key: string, value: string) => {
      const had = key in memory;
      const previous = memory[key];
      memory[key] = value;
      store.onRollback(() => (had ? (memory[key] = previous) : delete memory[key]));
    };
    // Outside a transaction a change simply stays.
    set('x', 'kept');
    expect(() =>
      store.transaction(() => {
        set('a', 'first');
        set('a', 'second');
        set('b', 'new');
        throw new Error('component failed');
      }),
    ).toThrow('component failed');
    expect(memory).toEqual({ a: 'deployed', x: 'kept' });
    // A committed inner transaction's steps belong to the outer one: its rollback undoes them too.
    expect(() =>
      store.transaction(() => {
        store.transaction(() => set('a', 'inner'));
        expect(memory.a).toBe('inner');
        throw new Error('deployment rolled back');
      }),
    ).toThrow('deployment rolled back');
    expect(memory).toEqual({ a: 'deployed', x: 'kept' });
  });

  it('rolls back an async transaction whose promise rejects', async () => {
    const store = seeded();
    await expect(
      store.transaction(async () => {
        store.insert('PresenceDeclineReason', { DeveloperName: 'Busy', MasterLabel: 'Busy' });
        await new Promise((r) => setTimeout(r, 1));
        throw new Error('deploy failed');
      }),
    ).rejects.toThrow('deploy failed');
    expect(store.findBy('PresenceDeclineReason', 'DeveloperName', 'Busy')).toEqual([]);
  });
});

describe('state file', () => {
  it('saves atomically with mode 0600 and loads every record back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-store-'));
    const file = join(dir, 'state.json');
    const store = new OrgStore({ stateFile: file });
    seedOrg(store, { seedUsers: 50 });
    store.insert('PresenceDeclineReason', { DeveloperName: 'Lunch', MasterLabel: 'Lunch' });
    store.save();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const loaded = OrgStore.load(file)!;
    for (const s of SOBJECTS) expect(loaded.count(s.name)).toBe(store.count(s.name));
    expect(loaded.findBy('PresenceDeclineReason', 'DeveloperName', 'lunch')).toHaveLength(1);
    // Ids keep counting after a reload (no collisions).
    const next = loaded.insert('PresenceDeclineReason', { DeveloperName: 'Train', MasterLabel: 'Train' });
    expect(store.get(next.Id)).toBeUndefined();
  });

  it('reports corrupt, foreign and future state files by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-store-'));
    const file = join(dir, 'state.json');
    writeFileSync(file, '{"format": "omni-presence/local-org-state", "version": 1, "idCo');
    expect(() => OrgStore.load(file)).toThrow(StateFileError);
    expect(() => OrgStore.load(file)).toThrow(file);
    writeFileSync(file, JSON.stringify({ name: 'some other tool', records: {} }));
    expect(() => OrgStore.load(file)).toThrow(/not a local org state file/);
    const store = new OrgStore({ stateFile: file });
    seedOrg(store);
    store.save();
    const state = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...state, version: 99 }));
    expect(() => OrgStore.load(file)).toThrow(/version 99/);
    expect(OrgStore.load(join(dir, 'missing.json'))).toBeUndefined();
  });
});
