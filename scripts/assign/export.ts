/** The org's current assignments, as CSV (users) or as a starting assignment file (YAML). */
import { stringify } from 'yaml';
import type { OrgApi } from './api.ts';
import { csvField } from './csv.ts';

export interface ExportedAssignments {
  users: Array<{ username: string; presenceConfig: string; active: boolean }>;
  profiles: Array<{ profile: string; presenceConfig: string }>;
}

export async function readAssignments(api: OrgApi): Promise<ExportedAssignments> {
  // Relationship fields: one paged query each, however many users hold a configuration.
  const [users, profiles] = await Promise.all([
    api.query<{ User: { Username: string; IsActive: boolean } | null; PresenceUserConfig: { DeveloperName: string } | null }>(
      'SELECT User.Username, User.IsActive, PresenceUserConfig.DeveloperName FROM PresenceUserConfigUser',
    ),
    api.query<{ Profile: { Name: string } | null; PresenceUserConfig: { DeveloperName: string } | null }>('SELECT Profile.Name, PresenceUserConfig.DeveloperName FROM PresenceUserConfigProfile'),
  ]);
  const out: ExportedAssignments = { users: [], profiles: [] };
  for (const r of users) if (r.User && r.PresenceUserConfig) out.users.push({ username: r.User.Username, presenceConfig: r.PresenceUserConfig.DeveloperName, active: Boolean(r.User.IsActive) });
  for (const r of profiles) if (r.Profile && r.PresenceUserConfig) out.profiles.push({ profile: r.Profile.Name, presenceConfig: r.PresenceUserConfig.DeveloperName });
  out.users.sort((a, b) => a.presenceConfig.localeCompare(b.presenceConfig) || a.username.localeCompare(b.username));
  out.profiles.sort((a, b) => a.presenceConfig.localeCompare(b.presenceConfig) || a.profile.localeCompare(b.profile));
  return out;
}

export function toCsv(data: ExportedAssignments): string {
  return ['username,presenceConfig', ...data.users.map((u) => `${csvField(u.username)},${csvField(u.presenceConfig)}`)].join('\n') + '\n';
}

/** An assignment file that reproduces the org's state (inactive users are left out: apply skips them). */
export function toYaml(data: ExportedAssignments, schemaPath: string, label: string): string {
  const configs: Record<string, { profiles?: string[]; users?: { usernames: string[] } }> = {};
  for (const p of data.profiles) (configs[p.presenceConfig] ??= {}).profiles = [...(configs[p.presenceConfig].profiles ?? []), p.profile];
  for (const u of data.users) {
    if (!u.active) continue;
    const entry = (configs[u.presenceConfig] ??= {});
    (entry.users ??= { usernames: [] }).usernames.push(u.username);
  }
  const header = `# yaml-language-server: $schema=${schemaPath}\n# Exported from ${label} on ${new Date().toISOString().slice(0, 10)} by "omni assign export".\n`;
  return header + stringify({ $schema: schemaPath, presenceConfigurations: configs }, { lineWidth: 0 });
}
