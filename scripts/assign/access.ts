/**
 * Can the assigned agents go online? An agent can only pick presence statuses granted to them through
 * their profile or a permission set (`servicePresenceStatusAccesses`, API 64.0+). Grants are read as
 * SetupEntityAccess rows (spec §5.3): ParentId → PermissionSet (a profile's own one has IsOwnedByProfile),
 * SetupEntityId → ServicePresenceStatus. A status is "online" when it has channels (ServiceChannelStatus).
 */
import type { OrgApi } from './api.ts';
import type { DesiredAssignments } from './config.ts';
import { readCatalog, resolveUsers, unique, USER_FIELDS, type OrgUser } from './resolve.ts';
import { unknownSelection } from './plan.ts';
import { messageText } from '../lib/messages.ts';

export interface AgentAccess {
  username: string;
  userId: string;
  configuration: string;
  source: 'user' | 'profile';
  statuses: string[];
  onlineStatuses: string[];
  canGoOnline: boolean;
  /** Statuses the configuration switches the agent to (on decline, on push timeout) that they can't use. */
  unusableReferenced: Array<{ field: 'PresenceStatusOnDecline' | 'PresenceStatusOnPushTimeout'; status: string }>;
}

export interface AccessReport {
  agents: AgentAccess[];
  summary: { agents: number; cannotGoOnline: number; unusableReferenced: number };
  problems: string[];
}

/** The presence configurations with the fields the access check and setup's doctor read (one fact, one query). */
export const PRESENCE_CONFIGS_SOQL = 'SELECT Id, DeveloperName, Capacity, PresenceStatusOnDeclineId, PresenceStatusOnPushTimeoutId FROM PresenceUserConfig';

interface ConfigRow {
  Id: string;
  DeveloperName: string;
  PresenceStatusOnDeclineId: string | null;
  PresenceStatusOnPushTimeoutId: string | null;
}

export async function checkAccess(api: OrgApi, desired?: DesiredAssignments): Promise<AccessReport> {
  const problems: string[] = [];
  // Who gets which configuration, and what each permission set grants: independent chains of reads, side by
  // side (their queries share requests: composite batches, a setup run's read cache).
  const [assigned, { statusName, online, byProfile, grantsBySet, assignments }] = await Promise.all([assignedAgents(api, desired, problems), statusGrants(api)]);
  const byUser = new Map<string, Set<string>>();
  for (const a of assignments) {
    if (!assigned.has(a.AssigneeId)) continue;
    const set = byUser.get(a.AssigneeId) ?? byUser.set(a.AssigneeId, new Set()).get(a.AssigneeId)!;
    for (const id of grantsBySet.get(a.PermissionSetId) ?? []) set.add(id);
  }

  const agents: AgentAccess[] = [];
  for (const { user, config, source } of assigned.values()) {
    const granted = new Set([...(byProfile.get(user.ProfileId) ?? []), ...(byUser.get(user.Id) ?? [])]);
    const names = [...granted].map((id) => statusName.get(id) ?? id).sort();
    const onlineNames = [...granted].filter((id) => online.has(id)).map((id) => statusName.get(id) ?? id).sort();
    const unusable: AgentAccess['unusableReferenced'] = [];
    if (config.PresenceStatusOnDeclineId && !granted.has(config.PresenceStatusOnDeclineId)) unusable.push({ field: 'PresenceStatusOnDecline', status: statusName.get(config.PresenceStatusOnDeclineId) ?? config.PresenceStatusOnDeclineId });
    if (config.PresenceStatusOnPushTimeoutId && !granted.has(config.PresenceStatusOnPushTimeoutId)) unusable.push({ field: 'PresenceStatusOnPushTimeout', status: statusName.get(config.PresenceStatusOnPushTimeoutId) ?? config.PresenceStatusOnPushTimeoutId });
    agents.push({ username: user.Username, userId: user.Id, configuration: config.DeveloperName, source, statuses: names, onlineStatuses: onlineNames, canGoOnline: onlineNames.length > 0, unusableReferenced: unusable });
  }
  agents.sort((a, b) => Number(a.canGoOnline) - Number(b.canGoOnline) || a.username.localeCompare(b.username));
  return {
    agents,
    problems,
    summary: { agents: agents.length, cannotGoOnline: agents.filter((a) => !a.canGoOnline).length, unusableReferenced: agents.filter((a) => a.unusableReferenced.length).length },
  };
}

type Assigned = Map<string, { user: OrgUser; config: ConfigRow; source: 'user' | 'profile' }>;

/** The agents in scope and the configuration each gets: from the file, or (no file) the org's rows. */
async function assignedAgents(api: OrgApi, desired: DesiredAssignments | undefined, problems: string[]): Promise<Assigned> {
  const [configs, catalog] = await Promise.all([
    api.query<ConfigRow>(PRESENCE_CONFIGS_SOQL),
    desired ? readCatalog(api) : null,
  ]);
  const configById = new Map(configs.map((c) => [c.Id, c]));
  const configByName = new Map(configs.map((c) => [c.DeveloperName.toLowerCase(), c]));
  // Who gets what: from the file, or (no file) from the org's current rows.
  const assigned = new Map<string, { user: OrgUser; config: ConfigRow; source: 'user' | 'profile' }>();
  const profileConfig = new Map<string, ConfigRow>();
  if (desired && catalog) {
    for (const p of desired.profiles) {
      const profile = catalog.profilesByName.get(p.profile.toLowerCase());
      const config = configByName.get(p.config.toLowerCase());
      if (!profile || !config) problems.push(profile ? messageText('assign-output', 'access.unknownConfiguration', [p.profile, p.config]) : messageText('assign-output', 'access.unknownProfile', [p.profile, p.config]));
      else profileConfig.set(profile.id, config);
    }
    const selection = await resolveUsers(api, desired, catalog);
    for (const u of selection.unknown) problems.push(unknownSelection(u));
    for (const [id, entry] of selection.users) {
      const config = configByName.get(entry.picks[0].config.toLowerCase());
      if (config) assigned.set(id, { user: entry.user, config, source: 'user' });
    }
  } else {
    const [rows, profiles] = await Promise.all([
      api.query<{ UserId: string; PresenceUserConfigId: string }>('SELECT UserId, PresenceUserConfigId FROM PresenceUserConfigUser'),
      api.query<{ ProfileId: string; PresenceUserConfigId: string }>('SELECT ProfileId, PresenceUserConfigId FROM PresenceUserConfigProfile'),
    ]);
    for (const p of profiles) profileConfig.set(p.ProfileId, configById.get(p.PresenceUserConfigId)!);
    const users = rows.length ? await api.queryIn<OrgUser>(unique(rows.map((r) => r.UserId)), (list) => `SELECT ${USER_FIELDS} FROM User WHERE IsActive = true AND Id IN ${list}`) : [];
    const byId = new Map(users.map((u) => [u.Id, u]));
    for (const r of rows) {
      const user = byId.get(r.UserId);
      const config = configById.get(r.PresenceUserConfigId);
      if (user && config) assigned.set(user.Id, { user, config, source: 'user' });
    }
  }
  if (profileConfig.size) {
    const users = await api.queryIn<OrgUser>([...profileConfig.keys()], (list) => `SELECT ${USER_FIELDS} FROM User WHERE IsActive = true AND ProfileId IN ${list}`);
    for (const u of users) if (!assigned.has(u.Id)) assigned.set(u.Id, { user: u, config: profileConfig.get(u.ProfileId)!, source: 'profile' });
  }
  return assigned;
}

/** Every presence status, those a channel brings online, and the statuses granted per profile and per assignee of a permission set. */
async function statusGrants(api: OrgApi) {
  const [statuses, channelStatuses] = await Promise.all([
    api.query<{ Id: string; DeveloperName: string }>('SELECT Id, DeveloperName FROM ServicePresenceStatus'),
    api.query<{ ServicePresenceStatusId: string }>('SELECT ServicePresenceStatusId FROM ServiceChannelStatus'),
  ]);
  const statusName = new Map(statuses.map((s) => [s.Id, s.DeveloperName]));
  const online = new Set(channelStatuses.map((r) => r.ServicePresenceStatusId));
  // Each grant with its permission set's owner (a profile's own set, or one assigned to users): one read.
  const grants = statuses.length
    ? await api.queryIn<{ ParentId: string; SetupEntityId: string; Parent: { IsOwnedByProfile: boolean; ProfileId: string | null } | null }>(
        statuses.map((s) => s.Id),
        (list) => `SELECT ParentId, Parent.IsOwnedByProfile, Parent.ProfileId, SetupEntityId FROM SetupEntityAccess WHERE SetupEntityId IN ${list}`,
      )
    : [];
  const grantsBySet = new Map<string, Set<string>>();
  const owners = new Map<string, { IsOwnedByProfile: boolean; ProfileId: string | null }>();
  for (const g of grants) {
    (grantsBySet.get(g.ParentId) ?? grantsBySet.set(g.ParentId, new Set()).get(g.ParentId)!).add(g.SetupEntityId);
    if (g.Parent) owners.set(g.ParentId, g.Parent);
  }
  const byProfile = new Map<string, Set<string>>();
  const plainSets = [] as string[];
  for (const [id, statusIds] of grantsBySet) {
    const owner = owners.get(id);
    if (!owner) continue;
    if (owner.IsOwnedByProfile && owner.ProfileId) byProfile.set(owner.ProfileId, statusIds);
    else plainSets.push(id);
  }
  const assignments = plainSets.length
    ? await api.queryIn<{ AssigneeId: string; PermissionSetId: string }>(plainSets, (list) => `SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment WHERE PermissionSetId IN ${list}`)
    : [];
  return { statusName, online, byProfile, grantsBySet, assignments };
}
