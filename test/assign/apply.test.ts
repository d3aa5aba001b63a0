import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { createConfig, createUser, omni, profileRows, query, tempDir, userId, userRows } from './helpers.ts';

let org: LocalOrg;
let work: ReturnType<typeof tempDir>;
let miaw: string;
let voice: string;
let agentProfile: string;

const agents = Array.from({ length: 10 }, (_, i) => `agent${String(i + 1).padStart(2, '0')}@omni.local`);

beforeAll(async () => {
  org = await startTestOrg({});
  work = tempDir();
  miaw = await createConfig(org, 'miaw_agents');
  voice = await createConfig(org, 'voice_agents');
  agentProfile = (await query(org, "SELECT Id FROM Profile WHERE Name = 'Custom: Support Agent'"))[0].Id;
});
afterAll(async () => {
  await org?.stop();
  work?.cleanup();
});

function file(name: string, text: string): string {
  writeFileSync(join(work.dir, name), text);
  return name;
}

describe('omni assign apply against the local org', () => {
  it('assigns every selected user and profile from empty; the rows equal the plan; a re-run writes nothing', async () => {
    const f = file(
      'a.yaml',
      ['presenceConfigurations:', '  miaw_agents:', '    profiles: ["custom: support agent"]', '    users:', '      usernames: [agent01@omni.local, agent02@omni.local]', '  voice_agents:', '    users:', `      usernames: [${agents.slice(2, 6).join(', ')}]`, ''].join('\n'),
    );
    const plan = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--json']);
    expect(plan.code).toBe(0);
    expect(plan.json.result.summary).toMatchObject({ create: 7, move: 0, remove: 0, users: 6, profiles: 1 });
    const agent01 = plan.json.result.items.find((i: any) => i.name === 'agent01@omni.local');
    expect(agent01).toMatchObject({ action: 'create', to: 'miaw_agents', effective: 'miaw_agents', effectiveSource: 'user' });

    org.resetStats();
    const applied = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--json']);
    expect(applied.code, applied.stdout).toBe(0);
    expect(applied.json.result.summary).toMatchObject({ done: 7, failed: 0 });
    const rows = userRows(org);
    expect(rows.get(userId(org, 'agent01@omni.local'))).toEqual([miaw]);
    for (const u of agents.slice(2, 6)) expect(rows.get(userId(org, u))).toEqual([voice]);
    expect(rows.size).toBe(6);
    expect(profileRows(org).get(agentProfile)).toEqual([miaw]);
    // The journal exists, 0600, and records the prior state.
    const journal = join(work.dir, applied.json.result.journal);
    expect(statSync(journal).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(journal, 'utf8')).subjects.every((s: any) => s.prior === null && s.status === 'done')).toBe(true);

    org.resetStats();
    const again = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--json']);
    expect(again.code).toBe(0);
    expect(again.json.result.status).toBe('unchanged');
    expect(org.stats().writes).toBe(0);
    expect(org.stats().total).toBeLessThanOrEqual(10);
  });

  it('moves (delete then create), keeps precedence user > profile and prunes only with --prune', async () => {
    const f = file('b.yaml', ['presenceConfigurations:', '  voice_agents:', '    users:', '      usernames: [agent01@omni.local, agent03@omni.local]', ''].join('\n'));
    const plan = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--json']);
    const byName = Object.fromEntries(plan.json.result.items.map((i: any) => [i.name, i]));
    expect(byName['agent01@omni.local']).toMatchObject({ action: 'move', from: 'miaw_agents', to: 'voice_agents' });
    expect(byName['agent03@omni.local']).toMatchObject({ action: 'unchanged' });
    expect(plan.json.result.summary.remove).toBe(0);

    const pruned = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--prune', '--json']);
    const removes = pruned.json.result.items.filter((i: any) => i.action === 'remove').map((i: any) => i.name).sort();
    // voice_agents is the only managed configuration: its other holders are removed, miaw holders untouched.
    expect(removes).toEqual(['agent04@omni.local', 'agent05@omni.local', 'agent06@omni.local']);
    const agent04 = pruned.json.result.items.find((i: any) => i.name === 'agent04@omni.local');
    expect(agent04).toMatchObject({ effective: 'miaw_agents', effectiveSource: 'profile' });

    const applied = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--prune', '--json']);
    expect(applied.code, applied.stdout).toBe(0);
    const rows = userRows(org);
    expect(rows.get(userId(org, 'agent01@omni.local'))).toEqual([voice]);
    expect(rows.get(userId(org, 'agent04@omni.local'))).toBeUndefined();
    expect(rows.get(userId(org, 'agent02@omni.local'))).toEqual([miaw]);
  });

  it('lists every conflict at once and writes nothing', async () => {
    const f = file(
      'bad.yaml',
      [
        'presenceConfigurations:',
        '  miaw_agents:',
        '    profiles: [No Such Profile]',
        '    users:',
        '      usernames: [ghost@omni.local, agent07@omni.local]',
        '      permissionSets: [Nope_Set]',
        '  voice_agents:',
        '    users:',
        '      usernames: [agent07@omni.local]',
        '  not_a_config:',
        '    users: { usernames: [agent08@omni.local] }',
        '',
      ].join('\n'),
    );
    const before = JSON.stringify([...userRows(org)]);
    org.resetStats();
    const r = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--json']);
    expect(r.code).toBe(1);
    const codes = r.json.result.conflicts.map((c: any) => c.code).sort();
    expect(codes).toEqual(['UNKNOWN_CONFIGURATION', 'UNKNOWN_PERMISSION_SET', 'UNKNOWN_PROFILE', 'UNKNOWN_USER', 'USER_SELECTED_TWICE']);
    const twice = r.json.result.conflicts.find((c: any) => c.code === 'USER_SELECTED_TWICE');
    expect(twice.locations).toEqual(['bad.yaml:5:37', 'bad.yaml:9:19']);
    expect(r.json.message).toContain('bad.yaml:5:19');
    expect(org.stats().writes).toBe(0);
    expect(JSON.stringify([...userRows(org)])).toBe(before);
  });

  it('selects by CSV and SOQL condition, skips inactive users and reports them', async () => {
    await createUser(org, 'inactive.agent@omni.local', { IsActive: false, Department: 'Chat' });
    await createUser(org, 'chat1@omni.local', { Department: 'Chat' });
    await createUser(org, 'chat2@omni.local', { Department: 'Chat' });
    writeFileSync(join(work.dir, 'agents.csv'), 'username,presenceConfig\r\nagent09@omni.local,voice_agents\r\n"agent10@omni.local",miaw_agents\r\n');
    const f = file('c.yaml', ['csv: [agents.csv]', 'presenceConfigurations:', '  miaw_agents:', '    users:', "      where: \"Department = 'Chat'\"", ''].join('\n'));
    const r = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.warnings.join('\n')).toContain('inactive.agent@omni.local');
    const rows = userRows(org);
    expect(rows.get(userId(org, 'chat1@omni.local'))).toEqual([miaw]);
    expect(rows.get(userId(org, 'chat2@omni.local'))).toEqual([miaw]);
    expect(rows.get(userId(org, 'inactive.agent@omni.local'))).toBeUndefined();
    expect(rows.get(userId(org, 'agent09@omni.local'))).toEqual([voice]);
    expect(rows.get(userId(org, 'agent10@omni.local'))).toEqual([miaw]);
  });

  it("the template's own condition (config/assignments/example.yaml) runs on User's standard fields", async () => {
    // The example file is what admins copy; its `where:` must be valid SOQL on a real User (Country is standard).
    const example = parse(readFileSync(join(REPO_ROOT, 'config/assignments/example.yaml'), 'utf8'));
    const where: string = example.presenceConfigurations.miaw_agents.users.where;
    expect(where).toMatch(/Country/);
    await createUser(org, 'de.support@omni.local', { Department: 'Support', Country: 'DE' });
    await createUser(org, 'us.support@omni.local', { Department: 'Support', Country: 'US' });
    const f = file('country.yaml', ['presenceConfigurations:', '  miaw_agents:', '    users:', `      where: ${JSON.stringify(where)}`, ''].join('\n'));
    const plan = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--json']);
    expect(plan.code, plan.stdout).toBe(0);
    const names = plan.json.result.items.map((i: any) => i.name);
    expect(names).toContain('de.support@omni.local');
    expect(names).not.toContain('us.support@omni.local');
  });

  it('refuses a condition that tries to leave the WHERE clause, located', async () => {
    const f = file('inj.yaml', ['presenceConfigurations:', '  miaw_agents:', '    users:', "      where: \"Department = 'x') OR (Id IN (SELECT UserId FROM PresenceUserConfigUser)\"", ''].join('\n'));
    const r = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.result.problems[0]).toMatchObject({ location: 'inj.yaml:4:14' });
    expect(r.json.result.problems[0].message).toMatch(/Invalid SOQL condition/);
  });

  it('quick flags, and usernames with quotes, backslashes and unicode round-trip through SOQL', async () => {
    const odd = ["o'brien@omni.local", 'zoë.łukasz@omni.local', 'back\\slash@omni.local', "x'),('y@omni.local"];
    for (const u of odd) await createUser(org, u);
    const args = ['assign', 'apply', '--config', 'voice_agents', ...odd.flatMap((u) => ['--user', u]), '--json'];
    const r = await omni(org, work.dir, args);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.summary.done).toBe(odd.length);
    const rows = userRows(org);
    for (const u of odd) expect(rows.get(userId(org, u))).toEqual([voice]);
    const again = await omni(org, work.dir, args);
    expect(again.json.result.status).toBe('unchanged');
    const exported = await omni(org, work.dir, ['assign', 'export', '--csv', 'backup.csv', '--json']);
    expect(exported.code).toBe(0);
    const csv = readFileSync(join(work.dir, 'backup.csv'), 'utf8');
    expect(csv).toContain("o'brien@omni.local,voice_agents");
    expect(csv).toContain('zoë.łukasz@omni.local,voice_agents');
    expect(statSync(join(work.dir, 'backup.csv')).mode & 0o777).toBe(0o600);
  });

  it('undo restores exactly the state before a run', async () => {
    const before = JSON.stringify([...userRows(org)].sort());
    const f = file('d.yaml', ['presenceConfigurations:', '  miaw_agents:', '    users:', `      usernames: [${agents.join(', ')}]`, ''].join('\n'));
    const r = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.stringify([...userRows(org)].sort())).not.toBe(before);
    const u = await omni(org, work.dir, ['assign', 'undo', r.json.result.runId, '--json']);
    expect(u.code, u.stdout).toBe(0);
    expect(JSON.stringify([...userRows(org)].sort())).toBe(before);
  });

  it('export --yaml writes an assignment file that plans to no change', async () => {
    const e = await omni(org, work.dir, ['assign', 'export', '--yaml', 'exported.yaml', '--json']);
    expect(e.code).toBe(0);
    const p = await omni(org, work.dir, ['assign', 'plan', '--file', 'exported.yaml', '--json']);
    expect(p.code, p.stdout).toBe(0);
    expect(p.json.result.summary).toMatchObject({ create: 0, move: 0, remove: 0 });
    expect(p.json.result.summary.unchanged).toBeGreaterThan(10);
  });
});
