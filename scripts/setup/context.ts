/**
 * What the doctor checks share: the session, the org description, the project source, the assignment
 * file and — computed once, on first use — who the agents are and which configuration each holds now
 * (org) and should hold (file). Checks never connect or parse on their own.
 */
import type { OrgApi } from '../assign/api.ts';
import type { DesiredAssignments } from '../assign/config.ts';
import type { OrgInfo, OrgSession } from '../org/connection.ts';
import type { ProjectSource } from './source.ts';
import { messageText } from '../lib/messages.ts';

/** How a doctor check ended (the catalogue is checks.ts; capacity.ts is one of its checks). */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  status: CheckStatus;
  message: string;
  fix?: string;
  /** Which setup stage repairs this (deploy, assign, grant), when one does. */
  repairedBySetup?: 'deploy' | 'assign' | 'grant';
  details?: unknown;
}

export interface Agent {
  userId: string;
  username: string;
  profileId: string;
  /** Configuration the assignment file gives the user (user-level, else via a profile it lists); null: none. */
  fileConfig: string | null;
  /** Configuration in effect in the org now: the user's row, else their profile's row. */
  orgConfig: string | null;
  orgSource: 'user' | 'profile' | null;
}

export interface AgentView {
  agents: Agent[];
  /** Selectors of the file that matched nothing in the org (reported, not fatal here). */
  unknown: string[];
  inactive: number;
  /** Org configurations by lower-cased developer name. */
  orgConfigs: Map<string, { id: string; name: string; capacity: number | null }>;
}

export interface DoctorContext {
  session: OrgSession;
  info: OrgInfo;
  source: ProjectSource;
  api: OrgApi;
  /** The assignment file as given (project-relative), when one was. */
  assignmentsFile: string | null;
  desired: DesiredAssignments | null;
  /** Inside `omni setup`: problems setup's own later stages repair are warnings, not failures. */
  preflight: boolean;
  /** Agents in scope (file-selected, or holding a configuration in the org without a file). Throws when Omni is off. */
  agents(): Promise<AgentView>;
}

export function createDoctorContext(base: Omit<DoctorContext, 'agents'>): DoctorContext {
  let view: Promise<AgentView> | undefined;
  return {
    ...base,
    agents() {
      view ??= loadAgents(base.api, base.desired);
      return view;
    },
  };
}

interface UserRow {
  Id: string;
  Username: string;
  ProfileId: string;
  IsActive: boolean;
}

async function loadAgents(api: OrgApi, desired: DesiredAssignments | null): Promise<AgentView> {
  const { readCatalog, resolveUsers, readJunctions, unique } = await import('../assign/resolve.ts');
  const { PRESENCE_CONFIGS_SOQL } = await import('../assign/access.ts');
  const configRows = await api.query<{ Id: string; DeveloperName: string; Capacity: number | null }>(PRESENCE_CONFIGS_SOQL);
  const orgConfigs = new Map(configRows.map((c) => [c.DeveloperName.toLowerCase(), { id: c.Id, name: c.DeveloperName, capacity: c.Capacity ?? null }]));
  const nameById = new Map(configRows.map((c) => [c.Id, c.DeveloperName]));
  const users = new Map<string, { row: UserRow; fileConfig: string | null }>();
  const unknown: string[] = [];
  let inactive = 0;
  if (desired) {
    const catalog = await readCatalog(api);
    const selection = await resolveUsers(api, desired, catalog);
    for (const u of selection.unknown) unknown.push(u.suggestion ? messageText('doctor-checks', 'presence-configuration.unknown.didYouMean', [u.kind, u.value, u.suggestion]) : `${u.kind} "${u.value}"`);
    inactive = selection.inactive.length;
    for (const [id, entry] of selection.users) users.set(id, { row: entry.user, fileConfig: entry.picks[0].config });
    // Profile-level assignments of the file reach every active user of the profile (unless user-level).
    const profileConfig = new Map<string, string>();
    for (const p of desired.profiles) {
      const profile = catalog.profilesByName.get(p.profile.toLowerCase());
      if (profile) profileConfig.set(profile.id, p.config);
      else unknown.push(`profile "${p.profile}"`);
    }
    if (profileConfig.size) {
      const rows = await api.queryIn<UserRow>([...profileConfig.keys()], (l) => `SELECT Id, Username, ProfileId, IsActive FROM User WHERE IsActive = true AND ProfileId IN ${l}`);
      for (const r of rows) if (!users.has(r.Id)) users.set(r.Id, { row: r, fileConfig: profileConfig.get(r.ProfileId)! });
    }
  } else {
    const rows = await api.query<{ UserId: string }>('SELECT UserId FROM PresenceUserConfigUser');
    const ids = unique(rows.map((r) => r.UserId));
    const found = ids.length ? await api.queryIn<UserRow>(ids, (l) => `SELECT Id, Username, ProfileId, IsActive FROM User WHERE IsActive = true AND Id IN ${l}`) : [];
    for (const r of found) users.set(r.Id, { row: r, fileConfig: null });
    // …and the users of every profile holding a configuration.
    const profiles = unique((await api.query<{ ProfileId: string }>('SELECT ProfileId FROM PresenceUserConfigProfile')).map((r) => r.ProfileId));
    if (profiles.length) {
      const rows = await api.queryIn<UserRow>(profiles, (l) => `SELECT Id, Username, ProfileId, IsActive FROM User WHERE IsActive = true AND ProfileId IN ${l}`);
      for (const r of rows) if (!users.has(r.Id)) users.set(r.Id, { row: r, fileConfig: null });
    }
  }
  const junctions = await readJunctions(api, { userIds: [...users.keys()] });
  const agents: Agent[] = [];
  for (const [id, { row, fileConfig }] of users) {
    const own = junctions.userRows.get(id)?.[0]?.configId;
    const viaProfile = junctions.profileRows.get(row.ProfileId)?.[0]?.configId;
    const orgId = own ?? viaProfile ?? null;
    agents.push({
      userId: id,
      username: row.Username,
      profileId: row.ProfileId,
      fileConfig,
      orgConfig: orgId ? (nameById.get(orgId) ?? orgId) : null,
      orgSource: own ? 'user' : viaProfile ? 'profile' : null,
    });
  }
  agents.sort((a, b) => a.username.localeCompare(b.username));
  return { agents, unknown, inactive, orgConfigs };
}
