/**
 * Queue membership from the assignment file's queues: section, against the local org over real HTTP:
 * plan lists creates (and removes only with --prune), apply writes GroupMember rows journalled, a re-run
 * writes nothing, undo restores the prior members, inactive users are reported at their selector,
 * unknown queues are conflicts, and group members are never touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { createConfig, createRecord, createUser, omni, tempDir, userId, userRows } from './helpers.ts';

let org: LocalOrg;
let work: ReturnType<typeof tempDir>;
let support: string;
let priority: string;
let team: string;

/** queueId → member ids (users and groups), straight from the store. */
function members(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const row of org.store.all('GroupMember')) map.set(String(row.GroupId), [...(map.get(String(row.GroupId)) ?? []), String(row.UserOrGroupId)].sort());
  return map;
}
const ids = (...usernames: string[]) => usernames.map((u) => userId(org, u)).sort();

beforeAll(async () => {
  org = await startTestOrg({});
  work = tempDir();
  await createConfig(org, 'miaw');
  support = await createRecord(org, 'Group', { Name: 'Support Cases', DeveloperName: 'Support_Cases', Type: 'Queue' });
  priority = await createRecord(org, 'Group', { Name: 'Priority Cases', DeveloperName: 'Priority_Cases', Type: 'Queue' });
  team = await createRecord(org, 'Group', { Name: 'Team', DeveloperName: 'Team', Type: 'Regular' });
  // A public group member and an existing user member of Support_Cases.
  await createRecord(org, 'GroupMember', { GroupId: support, UserOrGroupId: team });
  await createRecord(org, 'GroupMember', { GroupId: support, UserOrGroupId: userId(org, 'agent09@omni.local') });
  await createUser(org, 'gone@omni.local', { IsActive: false });
});
afterAll(async () => {
  await org?.stop();
  work?.cleanup();
});

function file(name: string, text: string): string {
  writeFileSync(join(work.dir, name), text);
  return name;
}

describe('queue membership (queues: section)', () => {
  it('plan → apply → re-run (0 writes) → undo, with presence configurations in the same file', async () => {
    writeFileSync(join(work.dir, 'members.csv'), 'username,team\nagent03@omni.local,blue\n');
    const f = file(
      'q.yaml',
      [
        'presenceConfigurations:',
        '  miaw:',
        '    users: { usernames: [agent01@omni.local] }',
        'queues:',
        '  Support_Cases:',
        '    users:',
        '      usernames: [agent01@omni.local, agent02@omni.local, gone@omni.local, agent09@omni.local]',
        '      csv: [members.csv]',
        '  priority_cases:',
        '    users: { usernames: [agent01@omni.local] }',
        '',
      ].join('\n'),
    );
    const before = members();
    const plan = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--json']);
    expect(plan.code, plan.stdout).toBe(0);
    const memberships = plan.json.result.items.filter((i: any) => i.kind === 'queueMember');
    expect(memberships.filter((i: any) => i.action === 'create').map((i: any) => i.name).sort()).toEqual(
      ['agent01@omni.local → Priority_Cases', 'agent01@omni.local → Support_Cases', 'agent02@omni.local → Support_Cases', 'agent03@omni.local → Support_Cases'].sort(),
    );
    expect(memberships.filter((i: any) => i.action === 'unchanged').map((i: any) => i.name)).toEqual(['agent09@omni.local → Support_Cases']);
    expect(plan.json.result.summary).toMatchObject({ create: 5, remove: 0, queueMembers: 5 });
    // The inactive user is reported at its selector (file:line:col), not added.
    expect(plan.json.result.inactive).toEqual([expect.objectContaining({ username: 'gone@omni.local', location: 'q.yaml:7:59' })]);
    expect(members()).toEqual(before);

    org.resetStats();
    const applied = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--json']);
    expect(applied.code, applied.stdout).toBe(0);
    expect(applied.json.result.summary).toMatchObject({ subjects: 5, done: 5, failed: 0 });
    expect(members().get(support)).toEqual([...ids('agent01@omni.local', 'agent02@omni.local', 'agent03@omni.local', 'agent09@omni.local'), team].sort());
    expect(members().get(priority)).toEqual(ids('agent01@omni.local'));
    expect(userRows(org).get(userId(org, 'agent01@omni.local'))).toHaveLength(1);
    const journal = JSON.parse(readFileSync(join(work.dir, applied.json.result.journal), 'utf8'));
    expect(journal.subjects.filter((s: any) => s.kind === 'queueMember').every((s: any) => s.prior === null && s.target && s.status === 'done')).toBe(true);
    expect(Object.values(journal.configs)).toEqual(expect.arrayContaining(['Support_Cases', 'Priority_Cases']));

    org.resetStats();
    const again = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--json']);
    expect(again.json.result.status).toBe('unchanged');
    expect(org.stats().writes).toBe(0);

    const undone = await omni(org, work.dir, ['assign', 'undo', applied.json.result.runId, '--json']);
    expect(undone.code, undone.stdout).toBe(0);
    expect(members()).toEqual(before);
    expect(userRows(org).get(userId(org, 'agent01@omni.local'))).toBeUndefined();
  });

  it('--prune only removes user members of the listed queues that nobody selects; group members stay', async () => {
    const f = file('p.yaml', 'queues:\n  Support_Cases:\n    users: { usernames: [agent02@omni.local] }\n');
    const plan = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--json']);
    expect(plan.json.result.items.filter((i: any) => i.action === 'remove')).toEqual([]);
    const pruned = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--prune', '--json']);
    expect(pruned.json.result.items.filter((i: any) => i.action === 'remove').map((i: any) => i.name)).toEqual(['agent09@omni.local → Support_Cases']);
    const applied = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--prune', '--json']);
    expect(applied.code, applied.stdout).toBe(0);
    const now = members().get(support)!;
    expect(now.filter((m) => m.startsWith('005'))).toEqual(ids('agent02@omni.local'));
    expect(now.filter((m) => m.startsWith('00G'))).toEqual([team]);
    expect(members().get(priority)).toBeUndefined();
    const undone = await omni(org, work.dir, ['assign', 'undo', applied.json.result.runId, '--json']);
    expect(undone.code, undone.stdout).toBe(0);
    expect(members().get(support)!.filter((m) => m.startsWith('005'))).toEqual(ids('agent09@omni.local'));
  });

  it('assign export writes the queues: section from the org; planning the exported file changes nothing', async () => {
    const exported = await omni(org, work.dir, ['assign', 'export', '--yaml', 'exported.yaml', '--json']);
    expect(exported.code, exported.stdout).toBe(0);
    expect(exported.json.result.queueMembers).toEqual([{ queue: 'Support_Cases', username: 'agent09@omni.local', active: true }]);
    const text = readFileSync(join(work.dir, 'exported.yaml'), 'utf8');
    expect(text).toContain('queues:\n  Support_Cases:\n    users:\n      usernames:\n        - agent09@omni.local\n');
    const plan = await omni(org, work.dir, ['assign', 'plan', '--file', 'exported.yaml', '--prune', '--json']);
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.json.result.items.filter((i: any) => i.kind === 'queueMember').map((i: any) => i.action)).toEqual(['unchanged']);
    // The human summary: each count with its noun in agreement; the org holds one queue member (agent09).
    const human = await omni(org, work.dir, ['assign', 'export', '--yaml', 'exported-h.yaml']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^(?:1 profile assignment|(?!1 )\d+ profile assignments), (?:1 user assignment|(?!1 )\d+ user assignments), 1 queue member written to exported-h\.yaml\.$/m);
  });

  it('an unknown queue is a located conflict with a suggestion; nothing is written (exit 1)', async () => {
    const f = file('u.yaml', 'queues:\n  SupportCases:\n    users: { usernames: [agent02@omni.local] }\n');
    org.resetStats();
    const r = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.stringify(r.json)).toContain('Queue \\"SupportCases\\" does not exist in the org (did you mean Support_Cases?)');
    expect(JSON.stringify(r.json)).toContain('u.yaml:2:3');
    expect(org.stats().writes).toBe(0);
  });
});
