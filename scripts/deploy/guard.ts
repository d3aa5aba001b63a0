/**
 * Data-loss guard for assignments. A deploy REPLACES a configuration's user and profile rows (and a
 * queue's user members) with what the file lists, so assignments made in Setup or by `omni assign` would
 * silently disappear. So:
 * - the org's current members of every org-held list (scripts/metadata/org-held.ts) are read for the
 *   deployed records and merged into the outgoing XML (`mergeOrgHeldMembers`), unless
 *   `--replace-assignments`;
 * - the assignments are snapshotted before the deploy and the snapshot is on disk (synced) before the
 *   deploy request is sent; after the deploy they are compared and anything removed is reported.
 * Every query built from a name list is split under the URL limit (chunkInList). The reads of one check
 * go out together (a SoqlReader shares composite requests), so their cost does not grow with the number
 * of components: a name list longer than one query reads the object whole instead (pages of rows).
 */
import { join } from 'node:path';
import type { SoqlReader } from '../org/composite-query.ts';
import { inListQueries } from '../org/soql.ts';
import { parseMetadata } from '../metadata/document.ts';
import { fromModel, toModel, type ModelObject } from '../metadata/model.ts';
import { orgHeldListsOf, type OrgHeldMemberList } from '../metadata/org-held.ts';
import { findType } from '../metadata/registry.ts';
import { serializeMetadata } from '../metadata/serialize.ts';
import { writePrivateFileSync } from '../lib/state-file.ts';

export interface AssignmentSnapshot {
  /** DeveloperName → assigned usernames / profile names (sorted). */
  configs: Record<string, { users: string[]; profiles: string[] }>;
}

export interface RemovedAssignment {
  config: string;
  kind: 'user' | 'profile';
  name: string;
}

interface JunctionRow {
  PresenceUserConfig?: { DeveloperName?: string } | null;
  User?: { Username?: string } | null;
  Profile?: { Name?: string } | null;
}

/**
 * Every profile-level assignment of the org. Unfiltered: a profile holds at most one configuration, so
 * the rows are few, and the org-aware reference check (org-refs.ts) asks the very same query, which a
 * composite reader then sends once.
 */
export const PROFILE_ASSIGNMENTS_SOQL = 'SELECT Profile.Name, PresenceUserConfig.DeveloperName FROM PresenceUserConfigProfile';

/** The user and profile assignments of the named configurations (two queries, whatever their number). */
export async function snapshotAssignments(reader: SoqlReader, configNames: string[]): Promise<AssignmentSnapshot> {
  const snapshot: AssignmentSnapshot = { configs: Object.create(null) };
  if (configNames.length === 0) return snapshot;
  const canonical = new Map(configNames.map((n) => [n.toLowerCase(), n]));
  for (const n of configNames) snapshot.configs[n] = { users: [], profiles: [] };
  const [users, profiles] = await Promise.all([
    queryByNames<JunctionRow>(reader, configNames, 'SELECT PresenceUserConfig.DeveloperName, User.Username FROM PresenceUserConfigUser', 'PresenceUserConfig.DeveloperName'),
    reader.query<JunctionRow>(PROFILE_ASSIGNMENTS_SOQL),
  ]);
  const entry = (row: JunctionRow) => {
    const name = canonical.get(String(row.PresenceUserConfig?.DeveloperName ?? '').toLowerCase());
    return name ? snapshot.configs[name] : undefined;
  };
  for (const row of users) {
    const e = entry(row);
    if (e && row.User?.Username) e.users.push(row.User.Username);
  }
  for (const row of profiles) {
    const e = entry(row);
    if (e && row.Profile?.Name) e.profiles.push(row.Profile.Name);
  }
  for (const e of Object.values(snapshot.configs)) {
    e.users.sort();
    e.profiles.sort();
  }
  return snapshot;
}

/**
 * The rows of `select WHERE field IN (names)` (`where`: an extra condition, SOQL). When the names fit one
 * query under the URL limit that is the query; otherwise the object is read without the name filter (one
 * paged read, its cost set by the rows and not by the number of names) and the rows are kept by name here.
 */
async function queryByNames<T>(reader: SoqlReader, names: readonly string[], select: string, field: string, where?: string): Promise<T[]> {
  const queries = inListQueries(names, (inList) => `${select} WHERE ${field} IN ${inList}${where ? ` AND ${where}` : ''}`);
  if (queries.length <= 1) return queries.length ? reader.query<T>(queries[0]) : [];
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const rows = await reader.query<T & Record<string, unknown>>(`${select}${where ? ` WHERE ${where}` : ''}`);
  return rows.filter((row) => wanted.has(String(valueAt(row, field) ?? '').toLowerCase()));
}

/** The org's members of one org-held list: record developer name (lower case) → member names. */
export type HeldMembers = Map<string, string[]>;

/** `${type}:${path}` → members per record, for the deployed components that have org-held lists. */
export type OrgHeldMembers = Map<string, { list: OrgHeldMemberList; members: HeldMembers }>;

function valueAt(row: Record<string, unknown>, dotted: string): unknown {
  let v: unknown = row;
  for (const part of dotted.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

/**
 * Reads, for every deployed component of a type with org-held lists, the members the org holds now.
 * An object the org doesn't have (INVALID_TYPE: it holds no such list) reads as empty.
 */
export async function readOrgHeldMembers(reader: SoqlReader, components: ReadonlyArray<{ type: string; fullName: string }>, known: OrgHeldMembers = new Map()): Promise<OrgHeldMembers> {
  const out: OrgHeldMembers = new Map(known);
  const byType = new Map<string, string[]>();
  for (const c of components) if (orgHeldListsOf(c.type).length) byType.set(c.type, [...(byType.get(c.type) ?? []), c.fullName]);
  const reads: Array<Promise<void>> = [];
  for (const [type, names] of byType) {
    for (const list of orgHeldListsOf(type)) {
      if (out.has(`${type}:${list.path}`)) continue;
      reads.push(readList(reader, list, names).then((members) => void out.set(`${type}:${list.path}`, { list, members })));
    }
  }
  // Every list at once: their queries share the reader's composite requests.
  await Promise.all(reads);
  return out;
}

/**
 * One org-held list's members of the named records. A parent found by name (`parentLookup`) is read
 * beside its rows — the rows select their parents by a semi-join on the same names — so both go out
 * together; member ids are named in a second read only when there are any.
 * An object the org doesn't have (INVALID_TYPE: it holds no such list) reads as empty.
 */
async function readList(reader: SoqlReader, list: OrgHeldMemberList, names: string[]): Promise<HeldMembers> {
  const members: HeldMembers = new Map();
  const r = list.read;
  let rows: Array<Record<string, unknown>>;
  // Record Id (15) → developer name (lower case), when the parent is an Id field.
  const parentNames = new Map<string, string>();
  try {
    if (r.parentLookup) {
      const p = r.parentLookup;
      const parentWhere = p.where;
      const [parents, found] = await Promise.all([
        queryByNames<Record<string, unknown>>(reader, names, `SELECT Id, ${p.nameField} FROM ${p.object}`, p.nameField, parentWhere),
        Promise.all(
          inListQueries(names, (inList) => `SELECT ${r.parent}, ${r.member} FROM ${r.object} WHERE ${r.parent} IN (SELECT Id FROM ${p.object} WHERE ${p.nameField} IN ${inList}${parentWhere ? ` AND ${parentWhere}` : ''})`).map((soql) =>
            reader.query<Record<string, unknown>>(soql),
          ),
        ),
      ]);
      for (const row of parents) parentNames.set(String(row.Id).slice(0, 15), String(row[p.nameField]).toLowerCase());
      rows = found.flat();
    } else {
      rows = await queryByNames<Record<string, unknown>>(reader, names, `SELECT ${r.parent}, ${r.member} FROM ${r.object}`, r.parent);
    }
  } catch (error) {
    const e = error as { errorCode?: string; name?: string; message?: string };
    if ((e.errorCode ?? e.name) === 'INVALID_TYPE' || /not supported/i.test(e.message ?? '')) return members;
    throw error;
  }
  let memberName = (row: Record<string, unknown>) => valueAt(row, r.member) as string | undefined;
  if (r.memberIdPrefix && r.name) {
    const ids = [...new Set(rows.map((row) => String(valueAt(row, r.member) ?? '')).filter((id) => id.startsWith(r.memberIdPrefix!)))];
    const named = new Map<string, string>();
    if (ids.length) {
      const n = r.name;
      const found = await Promise.all(inListQueries(ids, (inList) => `SELECT Id, ${n.field} FROM ${n.object} WHERE Id IN ${inList}`).map((soql) => reader.query<Record<string, unknown>>(soql)));
      for (const row of found.flat()) named.set(String(row.Id).slice(0, 15), String(row[n.field]));
    }
    memberName = (row) => named.get(String(valueAt(row, r.member) ?? '').slice(0, 15));
  }
  for (const row of rows) {
    const parent = r.parentLookup ? parentNames.get(String(valueAt(row, r.parent) ?? '').slice(0, 15)) : String(valueAt(row, r.parent) ?? '').toLowerCase();
    const member = memberName(row);
    if (!parent || !member) continue;
    const existing = members.get(parent);
    if (existing) existing.push(member);
    else members.set(parent, [member]);
  }
  return members;
}

export interface MergedMembers {
  /** The XML to deploy instead of the file's (undefined: nothing to add). */
  xml?: string;
  /** Per list path: the org's members the file does not list (kept by the merge, or removed with replace). */
  orgOnly: Record<string, string[]>;
}

/**
 * The file's XML with the org's members of each org-held list added (names compare case-insensitively,
 * as the platform compares usernames). Lists the file already has keep their entries and order.
 */
export function mergeOrgHeldMembers(text: string, type: string, fullName: string, held: OrgHeldMembers, options: { replace: boolean }): MergedMembers {
  const def = findType(type);
  const orgOnly: Record<string, string[]> = {};
  if (!def) return { orgOnly };
  const parsed = parseMetadata(text, { type: def, fullName });
  if (!parsed.document) return { orgOnly };
  const model = toModel(parsed.document);
  let changed = false;
  for (const list of orgHeldListsOf(type)) {
    const org = held.get(`${type}:${list.path}`)?.members.get(fullName.toLowerCase()) ?? [];
    if (!org.length) continue;
    const segments = list.path.split('.');
    let node: ModelObject = model;
    const existing = listAt(model, segments);
    const inFile = new Set(existing.map((m) => m.toLowerCase()));
    const missing = org.filter((m) => !inFile.has(m.toLowerCase())).sort();
    if (!missing.length) continue;
    orgOnly[list.path] = missing;
    if (options.replace) continue;
    for (const segment of segments.slice(0, -1)) {
      const next = node[segment];
      if (!next || typeof next !== 'object' || Array.isArray(next)) node[segment] = {};
      node = node[segment] as ModelObject;
    }
    node[segments[segments.length - 1]] = [...existing, ...missing];
    changed = true;
  }
  if (!changed) return { orgOnly };
  return { xml: serializeMetadata(fromModel(def, fullName, model as Record<string, unknown>)), orgOnly };
}

function listAt(model: ModelObject, segments: string[]): string[] {
  let node: unknown = model;
  for (const segment of segments) node = node && typeof node === 'object' && !Array.isArray(node) ? (node as ModelObject)[segment] : undefined;
  return Array.isArray(node) ? node.filter((x): x is string => typeof x === 'string') : [];
}

/** The presence configurations' user assignments of a snapshot as org-held members (saves reading them twice). */
export function heldFromSnapshot(snapshot: AssignmentSnapshot): OrgHeldMembers {
  const list = orgHeldListsOf('PresenceUserConfig').find((l) => l.path === 'assignments.users.user');
  if (!list) return new Map();
  const members: HeldMembers = new Map(Object.entries(snapshot.configs).map(([name, c]) => [name.toLowerCase(), [...c.users]]));
  return new Map([[`PresenceUserConfig:${list.path}`, { list, members }]]);
}

/** Assignments present before and gone after (case-insensitive, as the platform compares these names). */
export function removedAssignments(before: AssignmentSnapshot, after: AssignmentSnapshot): RemovedAssignment[] {
  const removed: RemovedAssignment[] = [];
  for (const [config, was] of Object.entries(before.configs)) {
    const now = after.configs[config] ?? { users: [], profiles: [] };
    const users = new Set(now.users.map((u) => u.toLowerCase()));
    const profiles = new Set(now.profiles.map((p) => p.toLowerCase()));
    for (const u of was.users) if (!users.has(u.toLowerCase())) removed.push({ config, kind: 'user', name: u });
    for (const p of was.profiles) if (!profiles.has(p.toLowerCase())) removed.push({ config, kind: 'profile', name: p });
  }
  return removed;
}

export interface SavedSnapshot {
  kind: 'omni-assignment-snapshot';
  version: 1;
  createdAt: string;
  org: { orgId: string; username: string; instanceUrl: string };
  deployId: string;
  /** Assignments as they were before the deploy: what an undo restores. */
  before: AssignmentSnapshot;
  removed: RemovedAssignment[];
}

/**
 * `.omni/snapshots/assignments-<id>.json`, mode 0600 (it holds usernames), written durably (fsynced).
 * Throws the OS error. Returns the path.
 */
export function saveSnapshot(projectRoot: string, snapshot: SavedSnapshot): string {
  const path = join(projectRoot, '.omni', 'snapshots', `assignments-${snapshot.deployId || 'local'}.json`);
  writePrivateFileSync(path, JSON.stringify(snapshot, null, 2) + '\n');
  return path;
}
