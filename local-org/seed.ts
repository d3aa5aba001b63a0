/**
 * The org a fresh local org starts with: the Organization row, three profiles (each with its
 * profile-owned permission set), a few permission sets, an admin, ten agents, a queue and — while
 * Omni-Channel is on — the built-in channels and the default presence configuration.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { OrgStore, Row } from './store.ts';
import { BUILT_IN_CHANNELS, DEFAULT_PRESENCE_CONFIG, ORG_FEATURES, type OrgFeature } from './platform.ts';

/**
 * The admin's username in a new org: `admin.<tag>@omni.local`, the tag random per org. Usernames are
 * unique across all Salesforce orgs, and the sf CLI keys its auth store by username, so two local orgs
 * with one admin username would make the second `--alias` silently re-point the first.
 */
export function adminUsername(tag: string): string {
  return `admin.${tag}@omni.local`;
}
export const AGENT_PROFILE = 'Custom: Support Agent';

export interface SeedResult {
  orgId: string;
  userId: string;
  username: string;
}

export interface SeedOptions {
  seedUsers?: number;
  omniDisabled?: boolean;
  orgType?: 'developer' | 'production' | 'sandbox' | 'scratch';
  /** Features whose built-in channels the org has (default: all of ORG_FEATURES). */
  features?: readonly OrgFeature[];
}

const LOCALE = { TimeZoneSidKey: 'America/Los_Angeles', LocaleSidKey: 'en_US', LanguageLocaleKey: 'en_US', EmailEncodingKey: 'UTF-8' };

/** `agent01@omni.local` … for the ten agents; `seed.agent000001@omni.local` … for --seed-users. */
export function seedUsername(n: number): string {
  return `seed.agent${String(n).padStart(6, '0')}@omni.local`;
}

export function seedOrg(store: OrgStore, options: SeedOptions = {}): SeedResult {
  const system = { system: true };
  // Every org gets its own ids (so its own Organization id, which journals compare) and admin username.
  const tag = randomBytes(4).toString('hex');
  store.startIdsAt(randomInt(1, 2 ** 36) * 1024);
  const ADMIN_USERNAME = adminUsername(tag);
  const kind = options.orgType ?? 'developer';
  const trialEnd = new Date(Date.now() + 30 * 86_400_000).toISOString().replace('Z', '+0000');
  const org = store.insert(
    'Organization',
    {
      Name: 'Omni Local Org',
      InstanceName: 'LOCAL',
      // Scratch orgs report IsSandbox = true with a TrialExpirationDate; that pair is how sf tells them apart.
      IsSandbox: kind === 'sandbox' || kind === 'scratch',
      OrganizationType: kind === 'developer' || kind === 'scratch' ? 'Developer Edition' : 'Enterprise Edition',
      TrialExpirationDate: kind === 'scratch' ? trialEnd : null,
      NamespacePrefix: null,
      LanguageLocaleKey: 'en_US',
      DefaultLocaleSidKey: 'en_US',
      TimeZoneSidKey: 'America/Los_Angeles',
    },
    system,
  );
  const profiles: Record<string, Row> = {};
  for (const name of ['System Administrator', 'Standard User', AGENT_PROFILE]) {
    profiles[name] = store.insert('Profile', { Name: name, UserType: 'Standard' }, system);
    store.insert(
      'PermissionSet',
      { Name: `X${profiles[name].Id.slice(0, 15)}`, Label: `${name} (profile)`, IsOwnedByProfile: true, ProfileId: profiles[name].Id },
      system,
    );
  }
  const admin = store.insert('User', { Username: ADMIN_USERNAME, Email: ADMIN_USERNAME, FirstName: 'Admin', LastName: 'User', Alias: 'admin', ProfileId: profiles['System Administrator'].Id, Department: 'IT', ...LOCALE }, system);
  store.actorId = admin.Id;
  // Audit fields of the rows created before the admin existed point at the admin too.
  for (const sobject of ['Organization', 'Profile', 'PermissionSet', 'User']) {
    for (const row of store.all(sobject)) {
      row.CreatedById = admin.Id;
      row.LastModifiedById = admin.Id;
    }
  }
  void org;
  const supervisor = store.insert('PermissionSet', { Name: 'Omni_Supervisor', Label: 'Omni Supervisor', Description: 'Omni-Channel supervisor access' }, system);
  const agentSet = store.insert('PermissionSet', { Name: 'Omni_Agent', Label: 'Omni-Channel Agent', Description: 'Omni-Channel agent access' }, system);
  store.insert('PermissionSet', { Name: 'Service_Cloud_User', Label: 'Service Cloud User' }, system);
  store.insert('PermissionSetAssignment', { AssigneeId: admin.Id, PermissionSetId: supervisor.Id }, system);
  const agentProfileId = profiles[AGENT_PROFILE].Id;
  for (let i = 1; i <= 10; i++) {
    const n = String(i).padStart(2, '0');
    const agent = store.insert('User', { Username: `agent${n}@omni.local`, Email: `agent${n}@omni.local`, FirstName: 'Agent', LastName: n, Alias: `agent${n}`, ProfileId: agentProfileId, Department: 'Support', UserPermissionsSupportUser: true, ...LOCALE }, system);
    store.insert('PermissionSetAssignment', { AssigneeId: agent.Id, PermissionSetId: agentSet.Id }, system);
  }
  seedAgents(store, options.seedUsers ?? 0);
  store.insert('Group', { Name: 'Support Queue', DeveloperName: 'Support_Queue', Type: 'Queue' }, system);
  // Every org has the organization-wide public group of all internal users (queues list it as a member).
  store.insert('Group', { Name: 'All Internal Users', DeveloperName: 'AllInternalUsers', Type: 'Organization' }, system);
  store.meta.features = [...(options.features ?? ORG_FEATURES)];
  if (!options.omniDisabled) seedOmniBuiltins(store);
  return { orgId: org.Id, userId: admin.Id, username: ADMIN_USERNAME };
}

/** Adds `count` agents after those already seeded (numbering continues), for load tests. */
export function seedAgents(store: OrgStore, count: number): void {
  if (count <= 0) return;
  const profile = store.findBy('Profile', 'Name', AGENT_PROFILE)[0];
  let n = 0;
  for (let i = 0; i < count; i++) {
    do n++;
    while (store.lookup('User', 'Username', seedUsername(n))!.length);
    const username = seedUsername(n);
    store.insert('User', { Username: username, Email: username, FirstName: 'Seed', LastName: `Agent ${n}`, Alias: `s${n}`.slice(0, 8), ProfileId: profile.Id, Department: 'Support', UserPermissionsSupportUser: true, ...LOCALE }, { system: true });
  }
}

/** The features the org was created with (state files from before features were recorded: all). */
export function orgFeatures(store: OrgStore): OrgFeature[] {
  const saved = store.meta.features;
  return Array.isArray(saved) ? ORG_FEATURES.filter((f) => saved.includes(f)) : [...ORG_FEATURES];
}

/**
 * What an org has once Omni-Channel is enabled [F-21, F-22]: the built-in channel of each feature it
 * has (sfdc_phone with Voice, sfdc_livemessage with Messaging, sfdc_liveagent with Chat) and the
 * default presence configuration.
 */
export function seedOmniBuiltins(store: OrgStore): void {
  const system = { system: true };
  const features = orgFeatures(store);
  for (const channel of BUILT_IN_CHANNELS) {
    if (!features.includes(channel.feature) || store.lookup('ServiceChannel', 'DeveloperName', channel.developerName)!.length) continue;
    store.insert('ServiceChannel', { DeveloperName: channel.developerName, MasterLabel: channel.label, RelatedEntity: channel.relatedEntity, CapacityModel: 'TabBased' }, system);
  }
  const config = DEFAULT_PRESENCE_CONFIG;
  if (!store.lookup('PresenceUserConfig', 'DeveloperName', config.developerName)!.length) {
    store.insert('PresenceUserConfig', { DeveloperName: config.developerName, MasterLabel: config.label, Capacity: config.capacity }, system);
  }
}
