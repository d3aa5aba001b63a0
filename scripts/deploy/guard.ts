/**
 * Data-loss guard for presence-configuration assignments. A deploy REPLACES a configuration's
 * user and profile rows with what the file lists, so assignments made in Setup (or by `omni assign`)
 * silently disappear. We snapshot them before the deploy (one query per junction object), compare
 * after, report what was removed and keep the snapshot under `.omni/` so it can be restored.
 */
import type { Connection } from '@salesforce/core';
import { join } from 'node:path';
import { inListQueries } from '../org/soql.ts';
import { writePrivateJson } from './files.ts';

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
  const snapshot: AssignmentSnapshot = { configs: {} };
  if (configNames.length === 0) return snapshot;
  const canonical = new Map(configNames.map((n) => [n.toLowerCase(), n]));
  for (const n of configNames) snapshot.configs[n] = { users: [], profiles: [] };
  // 1,000+ configuration names do not fit in one query URL (HTTP 431): one query per IN-list chunk.
  const read = (select: string) =>
    Promise.all(
      inListQueries(configNames, (inList) => `${select} WHERE PresenceUserConfig.DeveloperName IN ${inList}`).map((soql) =>
        connection.query<JunctionRow & Record<string, unknown>>(soql, { autoFetch: true, maxFetch: 1_000_000 }),
      ),
    ).then((pages) => ({ records: pages.flatMap((p) => p.records) }));
  const [users, profiles] = await Promise.all([
    read('SELECT PresenceUserConfig.DeveloperName, User.Username FROM PresenceUserConfigUser'),
    read('SELECT PresenceUserConfig.DeveloperName, Profile.Name FROM PresenceUserConfigProfile'),
  ]);
  const entry = (row: JunctionRow) => {
    const name = canonical.get(String(row.PresenceUserConfig?.DeveloperName ?? '').toLowerCase());
    return name ? snapshot.configs[name] : undefined;
  };
  for (const row of users.records) {
    const e = entry(row);
    if (e && row.User?.Username) e.users.push(row.User.Username);
  }
  for (const row of profiles.records) {
    const e = entry(row);
    if (e && row.Profile?.Name) e.profiles.push(row.Profile.Name);
  }
  for (const e of Object.values(snapshot.configs)) {
    e.users.sort();
    e.profiles.sort();
  }
  return snapshot;
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

/** `.omni/snapshots/<deployId>.json`, mode 0600 (it holds usernames). Returns the path. */
export async function saveSnapshot(projectRoot: string, snapshot: SavedSnapshot): Promise<string> {
  const path = join(projectRoot, '.omni', 'snapshots', `assignments-${snapshot.deployId || 'local'}.json`);
  await writePrivateJson(path, snapshot);
  return path;
}
