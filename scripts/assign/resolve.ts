/**
 * Reads what the plan needs from the org in as few calls as possible: configurations, profiles, the users
 * the selectors name and the current junction rows. Large username lists are matched against one paged
 * scan of User when that takes fewer calls than `Username IN (…)` chunks (and the same for junction rows).
 */
import { errorInfo, inListCalls, type OrgApi } from './api.ts';
import { formatOrigin, type DesiredAssignments, type Origin, type UserSelector } from './config.ts';
import { wrapWhereCondition } from './where.ts';
import { warningText } from '../lib/messages.ts';

export interface OrgUser {
  Id: string;
  Username: string;
  Email: string;
  FederationIdentifier: string | null;
  IsActive: boolean;
  ProfileId: string;
}

export interface JunctionRow {
  id: string;
  configId: string;
}

export interface Named {
  id: string;
  name: string;
}

export const USER_FIELDS = 'Id, Username, Email, FederationIdentifier, IsActive, ProfileId';

export interface OrgCatalog {
  configsByName: Map<string, Named>;
  configsById: Map<string, Named>;
  profilesByName: Map<string, Named>;
  profilesById: Map<string, Named>;
}

/** Configurations, and profiles when names are needed (a CSV of usernames needs none: one call saved). */
export async function readCatalog(api: OrgApi, options: { profiles?: boolean } = {}): Promise<OrgCatalog> {
  const [configs, profiles] = await Promise.all([
    api.query<{ Id: string; DeveloperName: string }>('SELECT Id, DeveloperName FROM PresenceUserConfig'),
    options.profiles === false ? Promise.resolve([]) : api.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Profile'),
  ]);
  const catalog: OrgCatalog = { configsByName: new Map(), configsById: new Map(), profilesByName: new Map(), profilesById: new Map() };
  for (const c of configs) {
    const named = { id: c.Id, name: c.DeveloperName };
    catalog.configsByName.set(c.DeveloperName.toLowerCase(), named);
    catalog.configsById.set(c.Id, named);
  }
  for (const p of profiles) {
    const named = { id: p.Id, name: p.Name };
    catalog.profilesByName.set(p.Name.toLowerCase(), named);
    catalog.profilesById.set(p.Id, named);
  }
  return catalog;
}

export interface ResolvedSelection {
  /** Active users selected, with the configuration (lower-cased developer name → as written) and origins. */
  users: Map<string, { user: OrgUser; picks: Array<{ config: string; origin: Origin; via: string }> }>;
  inactive: Array<{ username: string; via: string; origin: Origin }>;
  unknown: Array<{ kind: string; value: string; origin: Origin; message?: string }>;
  /** Selections that are valid but possibly not meant (an email shared by several active users). */
  warnings: string[];
  /** Every user read (selected or not), by Id. */
  knownUsers: Map<string, OrgUser>;
}

/** Resolves every user selector; unknown names are collected, never thrown. */
export async function resolveUsers(api: OrgApi, desired: DesiredAssignments, catalog: OrgCatalog, preknown: readonly OrgUser[] = []): Promise<ResolvedSelection> {
  const out: ResolvedSelection = { users: new Map(), inactive: [], unknown: [], warnings: [], knownUsers: new Map() };
  // Users already read with their junction rows: usernames are unique, so those need no second read.
  const preknownByUsername = new Map(preknown.map((u) => [u.Username.toLowerCase(), u]));
  const remember = (rows: OrgUser[]) => {
    for (const u of rows) out.knownUsers.set(u.Id, u);
  };
  const pick = (user: OrgUser, selector: UserSelector, via: string) => {
    if (!user.IsActive) {
      out.inactive.push({ username: user.Username, via, origin: selector.origin });
      return;
    }
    const entry = out.users.get(user.Id) ?? { user, picks: [] };
    entry.picks.push({ config: selector.config, origin: selector.origin, via });
    out.users.set(user.Id, entry);
  };
  const byKind = (kind: UserSelector['kind']) => desired.users.filter((s) => s.kind === kind);

  // Identifier selectors: one scan of User when cheaper than IN chunks over all of them.
  const identifiers: Array<{ kind: UserSelector['kind']; field: keyof OrgUser }> = [
    { kind: 'username', field: 'Username' },
    { kind: 'email', field: 'Email' },
    { kind: 'federationId', field: 'FederationIdentifier' },
  ];
  const toRead = (kind: UserSelector['kind']) => unique(byKind(kind).map((s) => s.value).filter((v) => kind !== 'username' || !preknownByUsername.has(v.toLowerCase())));
  const inCalls = identifiers.reduce((n, { kind, field }) => {
    const values = toRead(kind);
    return n + (values.length ? inListCalls(values, 200 + field.length) : 0);
  }, 0);
  // One paged scan of User when it takes fewer calls than IN chunks (its first page tells).
  const scanned = inCalls > 2 ? await api.scanIfSmall<OrgUser>(`SELECT ${USER_FIELDS} FROM User`, inCalls - 1) : undefined;
  if (scanned) remember(scanned);
  for (const { kind, field } of identifiers) {
    const selectors = byKind(kind);
    if (!selectors.length) continue;
    const values = toRead(kind);
    const rows = scanned ?? [...(kind === 'username' ? preknown : []), ...(values.length ? await api.queryIn<OrgUser>(values, (list) => `SELECT ${USER_FIELDS} FROM User WHERE ${field} IN ${list}`) : [])];
    remember(rows);
    const index = new Map<string, OrgUser[]>();
    for (const u of rows) {
      const key = String(u[field] ?? '').toLowerCase();
      if (!key) continue;
      const list = index.get(key);
      if (list) list.push(u);
      else index.set(key, [u]);
    }
    for (const s of selectors) {
      const found = index.get(s.value.toLowerCase());
      if (!found) {
        out.unknown.push({ kind, value: s.value, origin: s.origin });
        continue;
      }
      // Emails (and, rarely, federation ids) are not unique: every active holder is selected, but say so.
      const active = found.filter((u) => u.IsActive);
      if (kind !== 'username' && active.length > 1) {
        const shown = active.slice(0, 5).map((u) => u.Username).join(', ');
        const tokens = [formatOrigin(s.origin), s.value, active.length, `${shown}${active.length > 5 ? ', …' : ''}`, s.config];
        out.warnings.push(kind === 'email' ? warningText('SelectorMatchesSeveral.email', tokens) : warningText('SelectorMatchesSeveral.federationId', tokens));
      }
      for (const u of found) pick(u, s, `${kind} ${s.value}`);
    }
  }

  // Users of a profile (user-level assignment).
  const profileSelectors = byKind('profileUsers');
  const profileIds: string[] = [];
  for (const s of profileSelectors) {
    const p = catalog.profilesByName.get(s.value.toLowerCase());
    if (!p) out.unknown.push({ kind: 'profile', value: s.value, origin: s.origin });
    else profileIds.push(p.id);
  }
  if (profileIds.length) {
    const rows = scanned ?? (await api.queryIn<OrgUser>(unique(profileIds), (list) => `SELECT ${USER_FIELDS} FROM User WHERE ProfileId IN ${list}`));
    remember(rows);
    for (const s of profileSelectors) {
      const p = catalog.profilesByName.get(s.value.toLowerCase());
      if (p) for (const u of rows) if (u.ProfileId === p.id) pick(u, s, `users of profile ${p.name}`);
    }
  }

  // Permission set members.
  const psSelectors = byKind('permissionSet');
  if (psSelectors.length) {
    const names = unique(psSelectors.map((s) => s.value));
    const sets = await api.queryIn<{ Id: string; Name: string }>(names, (list) => `SELECT Id, Name FROM PermissionSet WHERE Name IN ${list}`);
    const setByName = new Map(sets.map((p) => [p.Name.toLowerCase(), p]));
    const known = psSelectors.filter((s) => {
      if (setByName.has(s.value.toLowerCase())) return true;
      out.unknown.push({ kind: 'permissionSet', value: s.value, origin: s.origin });
      return false;
    });
    if (known.length) {
      const setIds = unique(known.map((s) => setByName.get(s.value.toLowerCase())!.Id));
      const assignments = await api.queryIn<{ AssigneeId: string; PermissionSetId: string }>(setIds, (list) => `SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment WHERE PermissionSetId IN ${list}`);
      const missing = unique(assignments.map((a) => a.AssigneeId).filter((id) => !out.knownUsers.has(id)));
      if (missing.length) remember(await api.queryIn<OrgUser>(missing, (list) => `SELECT ${USER_FIELDS} FROM User WHERE Id IN ${list}`));
      for (const s of known) {
        const set = setByName.get(s.value.toLowerCase())!;
        for (const a of assignments) {
          const u = a.PermissionSetId === set.Id ? out.knownUsers.get(a.AssigneeId) : undefined;
          if (u) pick(u, s, `permission set ${set.Name}`);
        }
      }
    }
  }

  // SOQL conditions: the org validates field names; a failure is reported at the selector.
  for (const s of byKind('where')) {
    try {
      const rows = await api.query<OrgUser>(`SELECT ${USER_FIELDS} FROM User WHERE ${wrapWhereCondition(s.value)}`);
      remember(rows);
      for (const u of rows) pick(u, s, `where ${s.value}`);
    } catch (error) {
      const info = errorInfo(error);
      out.unknown.push({ kind: 'where', value: s.value, origin: s.origin, message: `${info.code}: ${info.message}` });
    }
  }
  return out;
}

export interface JunctionState {
  userRows: Map<string, JunctionRow[]>;
  profileRows: Map<string, JunctionRow[]>;
}

/**
 * Current PresenceUserConfigUser rows for `userIds` (all rows when `all`), and every profile row.
 * Chooses one paged scan or `UserId IN (…)` chunks, whichever takes fewer calls.
 */
export async function readJunctions(api: OrgApi, options: { userIds?: readonly string[]; all?: boolean }): Promise<JunctionState> {
  const state: JunctionState = { userRows: new Map(), profileRows: new Map() };
  const add = (map: Map<string, JunctionRow[]>, key: string, row: JunctionRow) => {
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  };
  const userIds = unique(options.userIds ?? []);
  let userRows: Array<{ Id: string; UserId: string; PresenceUserConfigId: string }> = [];
  const select = 'SELECT Id, UserId, PresenceUserConfigId FROM PresenceUserConfigUser';
  if (options.all) userRows = await api.query(select);
  else if (userIds.length) {
    const calls = inListCalls(userIds, 120);
    const scanned = calls > 2 ? await api.scanIfSmall<(typeof userRows)[number]>(select, calls - 1) : undefined;
    userRows = scanned ?? (await api.queryIn(userIds, (list) => `${select} WHERE UserId IN ${list}`));
  }
  for (const r of userRows) add(state.userRows, r.UserId, { id: r.Id, configId: r.PresenceUserConfigId });
  // Profile rows: at most one per profile, a single page in any org; always read (effective configurations need them).
  state.profileRows = await readProfileRows(api);
  return state;
}

export async function readProfileRows(api: OrgApi): Promise<Map<string, JunctionRow[]>> {
  const map = new Map<string, JunctionRow[]>();
  const rows = await api.query<{ Id: string; ProfileId: string; PresenceUserConfigId: string }>('SELECT Id, ProfileId, PresenceUserConfigId FROM PresenceUserConfigProfile');
  for (const r of rows) {
    const list = map.get(r.ProfileId);
    if (list) list.push({ id: r.Id, configId: r.PresenceUserConfigId });
    else map.set(r.ProfileId, [{ id: r.Id, configId: r.PresenceUserConfigId }]);
  }
  return map;
}

export interface JunctionScan {
  rows: Map<string, JunctionRow[]>;
  users: OrgUser[];
}

/**
 * Every PresenceUserConfigUser row with its user's fields, when that is cheap (≤ maxPages pages): then the
 * usernames of everyone who holds a configuration need no second read — what makes a re-run a handful of calls.
 */
export async function scanUserJunctions(api: OrgApi, maxPages: number, force = false): Promise<JunctionScan | undefined> {
  const soql = 'SELECT Id, UserId, PresenceUserConfigId, User.Username, User.Email, User.FederationIdentifier, User.IsActive, User.ProfileId FROM PresenceUserConfigUser';
  type Row = { Id: string; UserId: string; PresenceUserConfigId: string; User: Omit<OrgUser, 'Id'> | null };
  const rows = force ? await api.query<Row>(soql) : await api.scanIfSmall<Row>(soql, maxPages);
  if (!rows) return undefined;
  const scan: JunctionScan = { rows: new Map(), users: [] };
  const seen = new Set<string>();
  for (const r of rows) {
    const list = scan.rows.get(r.UserId);
    if (list) list.push({ id: r.Id, configId: r.PresenceUserConfigId });
    else scan.rows.set(r.UserId, [{ id: r.Id, configId: r.PresenceUserConfigId }]);
    if (r.User && !seen.has(r.UserId)) {
      seen.add(r.UserId);
      scan.users.push({ Id: r.UserId, Username: r.User.Username, Email: r.User.Email, FederationIdentifier: r.User.FederationIdentifier, IsActive: r.User.IsActive, ProfileId: r.User.ProfileId });
    }
  }
  return scan;
}

export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

