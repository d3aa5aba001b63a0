/**
 * Data-loss guard for assignments. A deploy REPLACES a configuration's user and profile rows (and a
 * queue's user members) with what the file lists, so assignments made in Setup or by `omni assign` would
 * silently disappear. So:
 * - the org's current members of every org-held list (scripts/metadata/org-held.ts) are read for the
 *   deployed records and merged into the outgoing XML (`mergeOrgHeldMembers`), unless
 *   `--replace-assignments`;
 * - the assignments are snapshotted before the deploy and the snapshot is on disk (synced) before the
 *   deploy request is sent; after the deploy they are compared and anything removed is reported.
 * Every query built from a name list is split under the URL limit (chunkInList).
 */
import type { Connection } from '@salesforce/core';
import { join } from 'node:path';
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

export async function snapshotAssignments(connection: Connection, configNames: string[]): Promise<AssignmentSnapshot> {
  const snapshot: AssignmentSnapshot = { configs: Object.create(null) };
  if (configNames.length === 0) return snapshot;
  const canonical = new Map(configNames.map((n) => [n.toLowerCase(), n]));
  for (const n of configNames) snapshot.configs[n] = { users: [], profiles: [] };
  const [users, profiles] = await Promise.all([
    queryByNames<JunctionRow>(connection, configNames, (list) => `SELECT PresenceUserConfig.DeveloperName, User.Username FROM PresenceUserConfigUser WHERE PresenceUserConfig.DeveloperName IN ${list}`),
    queryByNames<JunctionRow>(connection, configNames, (list) => `SELECT PresenceUserConfig.DeveloperName, Profile.Name FROM PresenceUserConfigProfile WHERE PresenceUserConfig.DeveloperName IN ${list}`),
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

/** Every row of `SELECT … IN (names)`, the IN list split so each GET stays under the URL limit (inListQueries). */
async function queryByNames<T>(connection: Connection, names: readonly string[], build: (inList: string) => string): Promise<T[]> {
  const out: T[] = [];
  for (const soql of inListQueries(names, build)) {
    const result = await connection.query<T & Record<string, unknown>>(soql, { autoFetch: true, maxFetch: 10_000_000 });
    for (const r of result.records) out.push(r);
  }
  return out;
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
export async function readOrgHeldMembers(connection: Connection, components: ReadonlyArray<{ type: string; fullName: string }>, known: OrgHeldMembers = new Map()): Promise<OrgHeldMembers> {
  const out: OrgHeldMembers = new Map(known);
  const byType = new Map<string, string[]>();
  for (const c of components) if (orgHeldListsOf(c.type).length) byType.set(c.type, [...(byType.get(c.type) ?? []), c.fullName]);
  for (const [type, names] of byType) {
    for (const list of orgHeldListsOf(type)) {
      if (out.has(`${type}:${list.path}`)) continue;
      const members: HeldMembers = new Map();
      const r = list.read;
      let rows: Array<Record<string, unknown>>;
      // Record Id (15) → developer name (lower case), when the parent is an Id field.
      const parentNames = new Map<string, string>();
      try {
        if (r.parentLookup) {
          const p = r.parentLookup;
          const parents = await queryByNames<Record<string, unknown>>(connection, names, (inList) => `SELECT Id, ${p.nameField} FROM ${p.object} WHERE ${p.nameField} IN ${inList}${p.where ? ` AND ${p.where}` : ''}`);
          for (const row of parents) parentNames.set(String(row.Id).slice(0, 15), String(row[p.nameField]).toLowerCase());
          const ids = parents.map((row) => String(row.Id));
          rows = ids.length ? await queryByNames<Record<string, unknown>>(connection, ids, (inList) => `SELECT ${r.parent}, ${r.member} FROM ${r.object} WHERE ${r.parent} IN ${inList}`) : [];
        } else {
          rows = await queryByNames<Record<string, unknown>>(connection, names, (inList) => `SELECT ${r.parent}, ${r.member} FROM ${r.object} WHERE ${r.parent} IN ${inList}`);
        }
      } catch (error) {
        const e = error as { errorCode?: string; name?: string; message?: string };
        if ((e.errorCode ?? e.name) === 'INVALID_TYPE' || /not supported/i.test(e.message ?? '')) {
          out.set(`${type}:${list.path}`, { list, members });
          continue;
        }
        throw error;
      }
      let memberName = (row: Record<string, unknown>) => valueAt(row, r.member) as string | undefined;
      if (r.memberIdPrefix && r.name) {
        const ids = [...new Set(rows.map((row) => String(valueAt(row, r.member) ?? '')).filter((id) => id.startsWith(r.memberIdPrefix!)))];
        const names = new Map<string, string>();
        if (ids.length) {
          const named = await queryByNames<Record<string, unknown>>(connection, ids, (inList) => `SELECT Id, ${r.name!.field} FROM ${r.name!.object} WHERE Id IN ${inList}`);
          for (const n of named) names.set(String(n.Id).slice(0, 15), String(n[r.name!.field]));
        }
        memberName = (row) => names.get(String(valueAt(row, r.member) ?? '').slice(0, 15));
      }
      for (const row of rows) {
        const parent = r.parentLookup ? parentNames.get(String(valueAt(row, r.parent) ?? '').slice(0, 15)) : String(valueAt(row, r.parent) ?? '').toLowerCase();
        const member = memberName(row);
        if (!parent || !member) continue;
        const list = members.get(parent);
        if (list) list.push(member);
        else members.set(parent, [member]);
      }
      out.set(`${type}:${list.path}`, { list, members });
    }
  }
  return out;
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
