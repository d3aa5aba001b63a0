/** The org's current assignments, as CSV (users) or as a starting assignment file (YAML). */
import { stringify } from 'yaml';
import type { OrgApi } from './api.ts';
import { csvField } from './csv.ts';
import { commandPrefix } from '../lib/io.ts';
import { messageText } from '../lib/messages.ts';

export interface ExportedAssignments {
  users: Array<{ username: string; presenceConfig: string; active: boolean }>;
  profiles: Array<{ profile: string; presenceConfig: string }>;
  /** User members of queues (GroupMember rows whose member is a user); group members are not listed. */
  queueMembers: Array<{ queue: string; username: string; active: boolean }>;
}

export async function readAssignments(api: OrgApi): Promise<ExportedAssignments> {
  // Relationship fields: one paged query each, however many users hold a configuration.
  const [users, profiles] = await Promise.all([
    api.query<{ User: { Username: string; IsActive: boolean } | null; PresenceUserConfig: { DeveloperName: string } | null }>(
      'SELECT User.Username, User.IsActive, PresenceUserConfig.DeveloperName FROM PresenceUserConfigUser',
    ),
    api.query<{ Profile: { Name: string } | null; PresenceUserConfig: { DeveloperName: string } | null }>('SELECT Profile.Name, PresenceUserConfig.DeveloperName FROM PresenceUserConfigProfile'),
  ]);
  const out: ExportedAssignments = { users: [], profiles: [], queueMembers: await readQueueMembers(api) };
  for (const r of users) if (r.User && r.PresenceUserConfig) out.users.push({ username: r.User.Username, presenceConfig: r.PresenceUserConfig.DeveloperName, active: Boolean(r.User.IsActive) });
  for (const r of profiles) if (r.Profile && r.PresenceUserConfig) out.profiles.push({ profile: r.Profile.Name, presenceConfig: r.PresenceUserConfig.DeveloperName });
  out.users.sort((a, b) => a.presenceConfig.localeCompare(b.presenceConfig) || a.username.localeCompare(b.username));
  out.profiles.sort((a, b) => a.presenceConfig.localeCompare(b.presenceConfig) || a.profile.localeCompare(b.profile));
  return out;
}

/** Every user member of every queue, by queue developer name and username (three queries per 2,000 rows). */
async function readQueueMembers(api: OrgApi): Promise<ExportedAssignments['queueMembers']> {
  const queues = await api.query<{ Id: string; DeveloperName: string }>("SELECT Id, DeveloperName FROM Group WHERE Type = 'Queue'");
  if (!queues.length) return [];
  const rows = await api.queryIn<{ GroupId: string; UserOrGroupId: string }>(queues.map((q) => q.Id), (list) => `SELECT GroupId, UserOrGroupId FROM GroupMember WHERE GroupId IN ${list}`);
  const userIds = [...new Set(rows.map((r) => r.UserOrGroupId).filter((id) => id.startsWith('005')))];
  const users = userIds.length ? await api.queryIn<{ Id: string; Username: string; IsActive: boolean }>(userIds, (list) => `SELECT Id, Username, IsActive FROM User WHERE Id IN ${list}`) : [];
  const byId = new Map(users.map((u) => [u.Id, u]));
  const queueName = new Map(queues.map((q) => [q.Id, q.DeveloperName]));
  const out: ExportedAssignments['queueMembers'] = [];
  for (const r of rows) {
    const u = byId.get(r.UserOrGroupId);
    if (u) out.push({ queue: queueName.get(r.GroupId)!, username: u.Username, active: Boolean(u.IsActive) });
  }
  return out.sort((a, b) => a.queue.localeCompare(b.queue) || a.username.localeCompare(b.username));
}

export function toCsv(data: ExportedAssignments): string {
  return ['username,presenceConfig', ...data.users.map((u) => `${csvField(u.username)},${csvField(u.presenceConfig)}`)].join('\n') + '\n';
}

/** An assignment file that reproduces the org's state (inactive users are left out: apply skips them). */
export function toYaml(data: ExportedAssignments, schemaPath: string, label: string): string {
  // Keyed by the org's names: null-prototype, so a configuration named constructor is an entry like any other.
  const configs: Record<string, { profiles?: string[]; users?: { usernames: string[] } }> = Object.create(null);
  for (const p of data.profiles) (configs[p.presenceConfig] ??= {}).profiles = [...(configs[p.presenceConfig].profiles ?? []), p.profile];
  for (const u of data.users) {
    if (!u.active) continue;
    const entry = (configs[u.presenceConfig] ??= {});
    (entry.users ??= { usernames: [] }).usernames.push(u.username);
  }
  const header = `# yaml-language-server: $schema=${schemaPath}\n# ${messageText('assign-output', 'export.header', [label, new Date().toISOString().slice(0, 10), commandPrefix()])}\n`;
  const queues: Record<string, { users: { usernames: string[] } }> = Object.create(null);
  for (const m of data.queueMembers) if (m.active) (queues[m.queue] ??= { users: { usernames: [] } }).users.usernames.push(m.username);
  return header + stringify({ $schema: schemaPath, presenceConfigurations: configs, ...(Object.keys(queues).length ? { queues } : {}) }, { lineWidth: 0 });
}
