/**
 * Setup's `grant` stage: agents the assignment file selects who cannot go online get a permission set
 * of the project that grants an online status (PermissionSetAssignment rows, 200 per collection call).
 * Which permission set: among the project's permission sets granting an online status, the one that
 * also grants the most of the statuses the agent's configuration switches to (decline, push timeout);
 * ties go to the first by name. Agents who can already go online are never touched, so a re-run writes
 * nothing. Profiles are never changed here (they are metadata: deploy them).
 */
import type { OrgApi } from '../assign/api.ts';
import type { AccessReport } from '../assign/access.ts';
import type { ProjectSource } from './source.ts';
import { messageText } from '../lib/messages.ts';

export interface GrantPlanItem {
  username: string;
  userId: string;
  configuration: string;
  permissionSet: string;
}

export interface GrantResult {
  planned: GrantPlanItem[];
  granted: number;
  failures: Array<{ username: string; permissionSet: string; errorCode: string; message: string }>;
  /** Agents who cannot go online and no project permission set can fix. */
  unfixable: string[];
  candidates: string[];
}

export function planGrants(report: AccessReport, source: ProjectSource): { items: GrantPlanItem[]; unfixable: string[]; candidates: string[] } {
  const sets = source.grants
    .filter((g) => g.userAssignable && g.statuses.some((s) => source.statuses.get(s) === true))
    .sort((a, b) => a.name.localeCompare(b.name));
  const items: GrantPlanItem[] = [];
  const unfixable: string[] = [];
  for (const agent of report.agents) {
    if (agent.canGoOnline) continue;
    if (!sets.length) {
      unfixable.push(agent.username);
      continue;
    }
    const wanted = agent.unusableReferenced.map((u) => u.status.toLowerCase());
    const score = (statuses: string[]) => wanted.filter((w) => statuses.some((s) => s.toLowerCase() === w)).length;
    const best = sets.reduce((a, b) => (score(b.statuses) > score(a.statuses) ? b : a));
    items.push({ username: agent.username, userId: agent.userId, configuration: agent.configuration, permissionSet: best.name });
  }
  return { items, unfixable, candidates: sets.map((s) => s.name) };
}

export async function applyGrants(api: OrgApi, items: GrantPlanItem[]): Promise<Pick<GrantResult, 'granted' | 'failures'>> {
  const failures: GrantResult['failures'] = [];
  if (!items.length) return { granted: 0, failures };
  const names = [...new Set(items.map((i) => i.permissionSet))];
  const sets = await api.queryIn<{ Id: string; Name: string }>(names, (l) => `SELECT Id, Name FROM PermissionSet WHERE Name IN ${l}`);
  const idByName = new Map(sets.map((s) => [s.Name.toLowerCase(), s.Id]));
  const ready = items.filter((i) => {
    if (idByName.has(i.permissionSet.toLowerCase())) return true;
    failures.push({ username: i.username, permissionSet: i.permissionSet, errorCode: 'NOT_FOUND', message: messageText('deploy-output', 'grant.permissionSetMissing', [i.permissionSet]) });
    return false;
  });
  let granted = 0;
  for (let start = 0; start < ready.length; start += 200) {
    const chunk = ready.slice(start, start + 200);
    const results = await api.createMany(chunk.map((i) => ({ attributes: { type: 'PermissionSetAssignment' }, AssigneeId: i.userId, PermissionSetId: idByName.get(i.permissionSet.toLowerCase()) })));
    results.forEach((r, n) => {
      const error = r.errors?.[0] as { statusCode?: string; message?: string } | undefined;
      // Already assigned (a parallel run, or a stale read) is the state we want.
      if (r.success || error?.statusCode === 'DUPLICATE_VALUE') granted++;
      else failures.push({ username: chunk[n].username, permissionSet: chunk[n].permissionSet, errorCode: error?.statusCode ?? 'UNKNOWN', message: error?.message ?? 'create failed' });
    });
  }
  return { granted, failures };
}
