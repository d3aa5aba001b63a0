/**
 * Queue membership as plan items: the `queues:` section of an assignment file against the org's
 * GroupMember rows (Object Reference: GroupMember — GroupId is the queue, UserOrGroupId the member).
 * Each (user, queue) pair is one subject, `<userId>:<queueId>`, that holds the queue (one row) or
 * nothing; so the journal, the executor, resume and undo treat memberships exactly like presence
 * configuration assignments (prior → target, create and remove only — a pair never "moves").
 * Only user members are managed: group and role members stay in the Queue metadata, never pruned.
 */
import type { OrgApi } from './api.ts';
import { formatOrigin, type DesiredMembership } from './config.ts';
import { unknownSelection, type Conflict, type PlanItem } from './plan.ts';
import { messageText } from '../lib/messages.ts';
import { resolveUsers, unique, type JunctionRow, type OrgCatalog, type OrgUser } from './resolve.ts';

export interface MembershipPlan {
  items: PlanItem[];
  conflicts: Conflict[];
  inactive: Array<{ username: string; via: string; location: string }>;
  warnings: string[];
  /** Queue Id → developer name (the journal's names). */
  names: Record<string, string>;
  /** Current rows of every changing subject (the executor's first round needs no read). */
  known: Map<string, JunctionRow[]>;
}

/** `<userId>:<queueId>`: the subject id of one membership. */
export const memberSubject = (userId: string, queueId: string) => `${userId}:${queueId}`;

/** The user and queue of a membership subject id. */
export function splitMemberSubject(id: string): { userId: string; queueId: string } {
  const at = id.indexOf(':');
  return { userId: id.slice(0, at), queueId: id.slice(at + 1) };
}

const isUserId = (id: string) => id.startsWith('005');

/**
 * Plans the `queues:` section: creates for selected users who are not members, unchanged for those who
 * are, and with `prune` removes for user members of the listed queues nobody selected. Unknown queues and
 * selectors are conflicts (nothing is written); inactive users are reported at their selector.
 */
export async function planQueueMembers(api: OrgApi, desired: DesiredMembership, catalog: OrgCatalog, options: { prune: boolean }): Promise<MembershipPlan> {
  const out: MembershipPlan = { items: [], conflicts: [], inactive: [], warnings: [], names: {}, known: new Map() };
  const queues = await api.query<{ Id: string; DeveloperName: string }>("SELECT Id, DeveloperName FROM Group WHERE Type = 'Queue'");
  const byName = new Map(queues.map((q) => [q.DeveloperName.toLowerCase(), q]));
  const managed: Array<{ Id: string; DeveloperName: string }> = [];
  for (const t of desired.targets) {
    const q = byName.get(t.name.toLowerCase());
    if (!q) {
      const close = queues.find((x) => x.DeveloperName.toLowerCase().replace(/_/g, '') === t.name.toLowerCase().replace(/_/g, ''));
      const message = close ? messageText('assign-findings', 'Conflict.unknownQueue.didYouMean', [t.name, close.DeveloperName]) : messageText('assign-findings', 'Conflict.unknownQueue', [t.name]);
      out.conflicts.push({ code: 'UNKNOWN_QUEUE', message, locations: [formatOrigin(t.origin)] });
      continue;
    }
    if (!managed.includes(q)) managed.push(q);
    out.names[q.Id] = q.DeveloperName;
  }
  if (desired.users.some((u) => u.kind === 'profileUsers') && catalog.profilesByName.size === 0) {
    for (const p of await api.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Profile')) {
      catalog.profilesByName.set(p.Name.toLowerCase(), { id: p.Id, name: p.Name });
      catalog.profilesById.set(p.Id, { id: p.Id, name: p.Name });
    }
  }
  const selection = await resolveUsers(api, { configs: [], profiles: [], users: desired.users }, catalog);
  out.warnings.push(...selection.warnings);
  for (const u of selection.unknown) {
    const code: Conflict['code'] = u.kind === 'profile' ? 'UNKNOWN_PROFILE' : u.kind === 'permissionSet' ? 'UNKNOWN_PERMISSION_SET' : u.kind === 'where' ? 'INVALID_CONDITION' : 'UNKNOWN_USER';
    out.conflicts.push({ code, message: unknownSelection(u), locations: [formatOrigin(u.origin)] });
  }
  out.inactive = selection.inactive.map((i) => ({ username: i.username, via: i.via, location: formatOrigin(i.origin) }));
  if (!managed.length) return out;

  // Current user members of the listed queues (group members are read too, and left alone).
  const rows = await api.queryIn<{ Id: string; GroupId: string; UserOrGroupId: string }>(
    managed.map((q) => q.Id),
    (list) => `SELECT Id, GroupId, UserOrGroupId FROM GroupMember WHERE GroupId IN ${list}`,
  );
  const current = new Map<string, JunctionRow[]>();
  for (const r of rows) {
    if (!isUserId(r.UserOrGroupId)) continue;
    const key = memberSubject(r.UserOrGroupId, r.GroupId);
    current.set(key, [...(current.get(key) ?? []), { id: r.Id, configId: r.GroupId }]);
  }
  const wanted = new Map<string, { user: OrgUser; queueId: string }>();
  for (const [userId, entry] of selection.users) {
    for (const name of unique(entry.picks.map((p) => p.config.toLowerCase()))) {
      const q = byName.get(name);
      if (q) wanted.set(memberSubject(userId, q.Id), { user: entry.user, queueId: q.Id });
    }
  }
  const item = (id: string, username: string, queueId: string, held: JunctionRow[], goal: string | null): PlanItem => {
    const has = held.length > 0;
    const action = goal ? (has ? 'unchanged' : 'create') : has ? 'remove' : 'unchanged';
    const name = out.names[queueId];
    return { kind: 'queueMember', id, name: `${username} → ${name}`, action, from: has ? name : null, to: goal ? name : null, fromConfigId: has ? queueId : null, toConfigId: goal, rowIds: action === 'unchanged' ? [] : held.map((r) => r.id) };
  };
  for (const [id, w] of wanted) {
    const held = current.get(id) ?? [];
    out.items.push(item(id, w.user.Username, w.queueId, held, w.queueId));
  }
  if (options.prune) {
    // Only removes: user members of the listed queues that no selector names for that queue.
    const stale = [...current.keys()].filter((id) => !wanted.has(id));
    const missing = unique(stale.map((id) => splitMemberSubject(id).userId)).filter((u) => !selection.knownUsers.has(u));
    const usernames = new Map([...selection.knownUsers].map(([id, u]) => [id, u.Username]));
    if (missing.length) for (const u of await api.queryIn<{ Id: string; Username: string }>(missing, (list) => `SELECT Id, Username FROM User WHERE Id IN ${list}`)) usernames.set(u.Id, u.Username);
    for (const id of stale) {
      const { userId, queueId } = splitMemberSubject(id);
      out.items.push(item(id, usernames.get(userId) ?? userId, queueId, current.get(id)!, null));
    }
  }
  for (const i of out.items) if (i.action !== 'unchanged') out.known.set(i.id, current.get(i.id) ?? []);
  return out;
}

/** Reads the membership rows of these subjects again (after an ambiguous write, on resume and undo). */
export async function rereadMembers(api: OrgApi, ids: readonly string[]): Promise<Map<string, JunctionRow[]>> {
  const map = new Map<string, JunctionRow[]>();
  if (!ids.length) return map;
  for (const id of ids) map.set(id, []);
  const pairs = ids.map(splitMemberSubject);
  const queueIds = unique(pairs.map((p) => p.queueId));
  const rows = await api.queryIn<{ Id: string; GroupId: string; UserOrGroupId: string }>(unique(pairs.map((p) => p.userId)), (list) => `SELECT Id, GroupId, UserOrGroupId FROM GroupMember WHERE UserOrGroupId IN ${list}`);
  for (const r of rows) {
    if (!queueIds.includes(r.GroupId)) continue;
    map.get(memberSubject(r.UserOrGroupId, r.GroupId))?.push({ id: r.Id, configId: r.GroupId });
  }
  return map;
}

// ── Skills ──────────────────────────────────────────────────────────────────

/**
 * The value a skill subject holds: `<skillId>|<level>` (ServiceResourceSkill.SkillId and SkillLevel), so a
 * level change is a move (the old row and the new one in one all-or-none Composite request).
 */
export const skillValue = (skillId: string, level: number) => `${skillId}|${Number(level)}`;

export function splitSkillValue(value: string): { skillId: string; level: number } {
  const at = value.indexOf('|');
  return { skillId: value.slice(0, at), level: Number(value.slice(at + 1)) };
}

/**
 * Plans the `skills:` section (Object Reference: ServiceResource, ServiceResourceSkill): for each selected
 * user and skill the subject `<userId>:<skillId>` should hold the skill at the file's level. Agents without a
 * ServiceResource get one when the run applies (it cannot be deleted; undo removes the skill rows only).
 */
export async function planSkills(api: OrgApi, desired: DesiredMembership, catalog: OrgCatalog, options: { prune: boolean }): Promise<MembershipPlan> {
  const out: MembershipPlan = { items: [], conflicts: [], inactive: [], warnings: [], names: {}, known: new Map() };
  const skills = await api.query<{ Id: string; DeveloperName: string }>('SELECT Id, DeveloperName FROM Skill');
  const byName = new Map(skills.map((s) => [s.DeveloperName.toLowerCase(), s]));
  const levelOf = new Map<string, number>();
  for (const t of desired.targets) {
    const skill = byName.get(t.name.toLowerCase());
    if (!skill) {
      out.conflicts.push({ code: 'UNKNOWN_SKILL', message: messageText('assign-findings', 'Conflict.unknownSkill', [t.name]), locations: [formatOrigin(t.origin)] });
      continue;
    }
    levelOf.set(skill.Id, t.level ?? 0);
  }
  const nameOf = (value: string) => {
    const { skillId, level } = splitSkillValue(value);
    return messageText('assign-findings', 'Skill.level', [skills.find((s) => s.Id === skillId)?.DeveloperName ?? skillId, level]);
  };
  if (desired.users.some((u) => u.kind === 'profileUsers') && catalog.profilesByName.size === 0) {
    for (const p of await api.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Profile')) {
      catalog.profilesByName.set(p.Name.toLowerCase(), { id: p.Id, name: p.Name });
      catalog.profilesById.set(p.Id, { id: p.Id, name: p.Name });
    }
  }
  const selection = await resolveUsers(api, { configs: [], profiles: [], users: desired.users }, catalog);
  out.warnings.push(...selection.warnings);
  for (const u of selection.unknown) out.conflicts.push({ code: u.kind === 'permissionSet' ? 'UNKNOWN_PERMISSION_SET' : u.kind === 'profile' ? 'UNKNOWN_PROFILE' : u.kind === 'where' ? 'INVALID_CONDITION' : 'UNKNOWN_USER', message: unknownSelection(u), locations: [formatOrigin(u.origin)] });
  out.inactive = selection.inactive.map((i) => ({ username: i.username, via: i.via, location: formatOrigin(i.origin) }));
  if (!levelOf.size) return out;

  const current = await readSkillRows(api, { skillIds: [...levelOf.keys()] });
  const wanted = new Map<string, { user: OrgUser; value: string }>();
  for (const [userId, entry] of selection.users) {
    for (const name of unique(entry.picks.map((p) => p.config.toLowerCase()))) {
      const skill = byName.get(name);
      if (skill && levelOf.has(skill.Id)) wanted.set(memberSubject(userId, skill.Id), { user: entry.user, value: skillValue(skill.Id, levelOf.get(skill.Id)!) });
    }
  }
  const item = (id: string, username: string, held: JunctionRow[], goal: string | null): PlanItem => {
    const from = held[0]?.configId ?? null;
    const action = goal === null ? (held.length ? 'remove' : 'unchanged') : held.length === 1 && from === goal ? 'unchanged' : held.length ? 'move' : 'create';
    for (const v of [from, goal]) if (v) out.names[v] = nameOf(v);
    const skill = skills.find((s) => s.Id === splitMemberSubject(id).queueId)?.DeveloperName ?? '';
    return { kind: 'skill', id, name: `${username} → ${skill}`, action, from: from ? nameOf(from) : null, to: goal ? nameOf(goal) : null, fromConfigId: from, toConfigId: goal, rowIds: action === 'unchanged' ? [] : held.map((r) => r.id) };
  };
  for (const [id, w] of wanted) out.items.push(item(id, w.user.Username, current.rows.get(id) ?? [], w.value));
  if (options.prune) {
    for (const [id, held] of current.rows) if (!wanted.has(id)) out.items.push(item(id, current.usernames.get(splitMemberSubject(id).userId) ?? splitMemberSubject(id).userId, held, null));
  }
  for (const i of out.items) if (i.action !== 'unchanged') out.known.set(i.id, current.rows.get(i.id) ?? []);
  return out;
}

/** ServiceResourceSkill rows by subject `<userId>:<skillId>`, for these skills or these subjects. */
async function readSkillRows(api: OrgApi, filter: { skillIds?: string[]; subjects?: readonly string[] }): Promise<{ rows: Map<string, JunctionRow[]>; usernames: Map<string, string> }> {
  type Row = { Id: string; SkillId: string; SkillLevel: number | null; ServiceResource: { RelatedRecordId: string | null; RelatedRecord?: { Username: string } | null } | null };
  const select = 'SELECT Id, SkillId, SkillLevel, ServiceResource.RelatedRecordId, ServiceResource.RelatedRecord.Username FROM ServiceResourceSkill';
  const rows = filter.subjects
    ? await api.queryIn<Row>(unique(filter.subjects.map((s) => splitMemberSubject(s).userId)), (list) => `${select} WHERE ServiceResource.RelatedRecordId IN ${list}`)
    : await api.queryIn<Row>(filter.skillIds ?? [], (list) => `${select} WHERE SkillId IN ${list}`);
  const out = { rows: new Map<string, JunctionRow[]>(), usernames: new Map<string, string>() };
  for (const id of filter.subjects ?? []) out.rows.set(id, []);
  for (const r of rows) {
    const userId = r.ServiceResource?.RelatedRecordId;
    if (!userId) continue;
    const key = memberSubject(userId, r.SkillId);
    if (filter.subjects && !out.rows.has(key)) continue;
    out.rows.set(key, [...(out.rows.get(key) ?? []), { id: r.Id, configId: skillValue(r.SkillId, r.SkillLevel ?? 0) }]);
    if (r.ServiceResource?.RelatedRecord?.Username) out.usernames.set(userId, r.ServiceResource.RelatedRecord.Username);
  }
  return out;
}

/** Skill rows of these subjects again (after an ambiguous write, on resume and undo). */
export async function rereadSkills(api: OrgApi, ids: readonly string[]): Promise<Map<string, JunctionRow[]>> {
  if (!ids.length) return new Map();
  return (await readSkillRows(api, { subjects: ids })).rows;
}

/**
 * The ServiceResource of each user (ResourceType A = agent), created for those who have none. Idempotent:
 * a resource created by an earlier, interrupted attempt is found by RelatedRecordId (unique per user).
 */
export async function ensureServiceResources(api: OrgApi, users: Array<{ userId: string; name: string }>): Promise<Map<string, string>> {
  const ids = unique(users.map((u) => u.userId));
  const read = async () => new Map((await api.queryIn<{ Id: string; RelatedRecordId: string }>(ids, (list) => `SELECT Id, RelatedRecordId FROM ServiceResource WHERE RelatedRecordId IN ${list}`)).map((r) => [r.RelatedRecordId, r.Id]));
  const map = await read();
  const missing = users.filter((u, i) => !map.has(u.userId) && users.findIndex((x) => x.userId === u.userId) === i);
  for (let i = 0; i < missing.length; i += 200) {
    const chunk = missing.slice(i, i + 200);
    const results = await api.createMany(chunk.map((u) => ({ attributes: { type: 'ServiceResource' }, Name: u.name.slice(0, 80), RelatedRecordId: u.userId, ResourceType: 'A', IsActive: true })));
    results.forEach((r, j) => {
      if (r.success && r.id) map.set(chunk[j].userId, r.id);
    });
  }
  return map.size < ids.length ? read() : map;
}
