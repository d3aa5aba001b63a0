/**
 * Re-reading the org's rows of given subjects after an ambiguous write (a timeout, a lost response):
 * assignments from their junction objects, queue members and skills from membership.ts. Its own module
 * so resolve.ts (read by membership.ts) does not import membership.ts back.
 */
import type { OrgApi } from './api.ts';
import { rereadMembers, rereadSkills } from './membership.ts';
import { unique, type JunctionRow } from './resolve.ts';

/** Rows of just these subjects (after an ambiguous write): one query per ≤ a few hundred ids. */
export async function rereadRows(api: OrgApi, kind: 'user' | 'profile' | 'queueMember' | 'skill', ids: readonly string[]): Promise<Map<string, JunctionRow[]>> {
  if (kind === 'queueMember') return rereadMembers(api, ids);
  if (kind === 'skill') return rereadSkills(api, ids);
  const map = new Map<string, JunctionRow[]>();
  if (!ids.length) return map;
  const object = kind === 'user' ? 'PresenceUserConfigUser' : 'PresenceUserConfigProfile';
  const field = kind === 'user' ? 'UserId' : 'ProfileId';
  const rows = await api.queryIn<Record<string, string>>(unique(ids), (list) => `SELECT Id, ${field}, PresenceUserConfigId FROM ${object} WHERE ${field} IN ${list}`);
  for (const id of ids) map.set(id, []);
  for (const r of rows) map.get(r[field])?.push({ id: r.Id, configId: r.PresenceUserConfigId });
  return map;
}

