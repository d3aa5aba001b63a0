/**
 * Every user selector against the local org (username, email, federation id, permission set, users of a
 * profile, SOQL condition, CSV), inactive users reported per selector, the quick flags in one command,
 * the email that matches several users, a profile selected twice, and --dry-run equal to plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { createConfig, createRecord, createUser, omni, profileRows, query, tempDir, userId, userRows } from './helpers.ts';

let org: LocalOrg;
let work: ReturnType<typeof tempDir>;
let miaw: string;
let voice: string;
let tier2: string;

beforeAll(async () => {
  org = await startTestOrg({});
  work = tempDir();
  miaw = await createConfig(org, 'miaw');
  voice = await createConfig(org, 'voice');
  tier2 = await createRecord(org, 'Profile', { Name: 'Custom: Tier 2' });
  // Two active users and one inactive share an email; federation ids; a permission set with an inactive member.
  await createUser(org, 'shared1@x.test', { Email: 'team@x.test' });
  await createUser(org, 'shared2@x.test', { Email: 'team@x.test' });
  await createUser(org, 'shared.off@x.test', { Email: 'team@x.test', IsActive: false });
  await createUser(org, 'solo@x.test', { Email: 'solo@x.test' });
  await createUser(org, 'fed@x.test', { FederationIdentifier: 'E123' });
  await createUser(org, 'fed.off@x.test', { FederationIdentifier: 'E999', IsActive: false });
  const set = await createRecord(org, 'PermissionSet', { Name: 'Chat_Agents', Label: 'Chat Agents' });
  for (const u of ['ps1@x.test', 'ps2@x.test']) await createRecord(org, 'PermissionSetAssignment', { AssigneeId: await createUser(org, u), PermissionSetId: set });
  await createRecord(org, 'PermissionSetAssignment', { AssigneeId: await createUser(org, 'ps.off@x.test', { IsActive: false }), PermissionSetId: set });
  for (const u of ['t2a@x.test', 't2b@x.test']) await createUser(org, u, { ProfileId: tier2 });
  await createUser(org, 't2.off@x.test', { ProfileId: tier2, IsActive: false });
  await createUser(org, 'dept.off@x.test', { Department: 'Chat', IsActive: false });
  await createUser(org, 'dept@x.test', { Department: 'Chat' });
  await createUser(org, 'csv.off@x.test', { IsActive: false });
});
afterAll(async () => {
  await org?.stop();
  work?.cleanup();
});

function file(name: string, text: string): string {
  writeFileSync(join(work.dir, name), text);
  return name;
}

describe('user selectors', () => {
  it('each selector picks its active users and reports its inactive ones at the selector', async () => {
    const tier2Name = (await query(org, `SELECT Name FROM Profile WHERE Id = '${tier2}'`))[0].Name;
    writeFileSync(join(work.dir, 'sel.csv'), 'username,presenceConfig\ncsv.off@x.test,voice\nagent10@omni.local,voice\n');
    const f = file(
      'sel.yaml',
      [
        'csv: [sel.csv]',
        'presenceConfigurations:',
        '  miaw:',
        '    users:',
        '      emails: [SOLO@x.test]',
        '      federationIds: [E123, E999]',
        '      permissionSets: [chat_agents]',
        '  voice:',
        '    users:',
        '      usernames: [agent01@omni.local]',
        `      profiles: ["${tier2Name.toLowerCase()}"]`,
        "      where: \"Department = 'Chat'\"",
        '',
      ].join('\n'),
    );
    const plan = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--json']);
    expect(plan.code, plan.stdout).toBe(0);
    const to = Object.fromEntries(plan.json.result.items.map((i: any) => [i.name, i.to]));
    expect(to).toEqual({
      'solo@x.test': 'miaw',
      'fed@x.test': 'miaw',
      'ps1@x.test': 'miaw',
      'ps2@x.test': 'miaw',
      'agent01@omni.local': 'voice',
      't2a@x.test': 'voice',
      't2b@x.test': 'voice',
      'dept@x.test': 'voice',
      'agent10@omni.local': 'voice',
    });
    const inactive = Object.fromEntries(plan.json.result.inactive.map((i: any) => [i.username, i.location]));
    expect(inactive).toEqual({
      'fed.off@x.test': 'sel.yaml:6:29',
      'ps.off@x.test': 'sel.yaml:7:24',
      't2.off@x.test': 'sel.yaml:11:18',
      'dept.off@x.test': 'sel.yaml:12:14',
      'csv.off@x.test': 'sel.csv:2:1',
    });
    // Human output names every skipped user with the selector and its location.
    const text = await omni(org, work.dir, ['assign', 'plan', '--file', f]);
    expect(text.code).toBe(0);
    // omniInProcess runs with CI=true, where info lines are still printed (only --json silences them).
    expect(text.stderr).toContain('Skipped inactive user ps.off@x.test (permission set Chat_Agents, sel.yaml:7:24).');

    const applied = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--json']);
    expect(applied.code, applied.stdout).toBe(0);
    const rows = userRows(org);
    for (const [name, config] of Object.entries(to)) expect(rows.get(userId(org, name)), name).toEqual([config === 'miaw' ? miaw : voice]);
    for (const name of Object.keys(inactive)) expect(rows.get(userId(org, name)), name).toBeUndefined();
    expect(applied.json.warnings.filter((w: string) => w.startsWith('Skipped inactive user')).length).toBe(5);
  });

  it('an email shared by several active users selects them all, with a warning naming them', async () => {
    const f = file('email.yaml', 'presenceConfigurations:\n  miaw:\n    users:\n      emails: [team@x.test]\n');
    const plan = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--json']);
    expect(plan.code).toBe(0);
    expect(plan.json.result.items.map((i: any) => i.name).sort()).toEqual(['shared1@x.test', 'shared2@x.test']);
    expect(plan.json.warnings).toContain('email.yaml:4:16: the email "team@x.test" selects 2 active users (shared1@x.test, shared2@x.test) for miaw; list them by username to pick one.');
    expect(plan.json.result.warnings).toEqual(plan.json.warnings);
    const quick = await omni(org, work.dir, ['assign', 'apply', '--config', 'miaw', '--email', 'team@x.test', '--dry-run']);
    expect(quick.code).toBe(0);
    expect(quick.stderr).toContain('Warning: --email: the email "team@x.test" selects 2 active users');
    const single = await omni(org, work.dir, ['assign', 'plan', '--config', 'miaw', '--email', 'solo@x.test', '--json']);
    expect(single.json.warnings).toEqual([]);
  });
});

describe('quick forms, conflicts and --dry-run', () => {
  it('--config with several --user, --profile and --csv in one command', async () => {
    writeFileSync(join(work.dir, 'quick.csv'), 'username,presenceConfig\nagent08@omni.local,voice\n');
    const agentProfile = (await query(org, "SELECT Id FROM Profile WHERE Name = 'Custom: Support Agent'"))[0].Id;
    const r = await omni(org, work.dir, ['assign', 'apply', '--config', 'miaw', '--user', 'agent05@omni.local', '--user', 'AGENT06@omni.local', '--profile', 'Custom: Support Agent', '--csv', 'quick.csv', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.summary).toMatchObject({ done: 4, failed: 0 });
    const rows = userRows(org);
    expect(rows.get(userId(org, 'agent05@omni.local'))).toEqual([miaw]);
    expect(rows.get(userId(org, 'agent06@omni.local'))).toEqual([miaw]);
    expect(rows.get(userId(org, 'agent08@omni.local'))).toEqual([voice]);
    expect(profileRows(org).get(agentProfile)).toEqual([miaw]);
  });

  it('a profile selected for two configurations is listed with the other conflicts; nothing is written', async () => {
    const f = file(
      'twice.yaml',
      ['presenceConfigurations:', '  miaw:', '    profiles: ["Custom: Support Agent"]', '  voice:', '    profiles: ["custom: support agent", Nobody]', '    users: { usernames: [ghost@x.test] }', ''].join('\n'),
    );
    const before = JSON.stringify([...profileRows(org)]);
    org.resetStats();
    const r = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.name).toBe('AssignmentConflicts');
    const byCode = Object.fromEntries(r.json.result.conflicts.map((c: any) => [c.code, c]));
    expect(Object.keys(byCode).sort()).toEqual(['PROFILE_SELECTED_TWICE', 'UNKNOWN_PROFILE', 'UNKNOWN_USER']);
    expect(byCode.PROFILE_SELECTED_TWICE.locations).toEqual(['twice.yaml:3:16', 'twice.yaml:5:16']);
    expect(byCode.PROFILE_SELECTED_TWICE.message).toContain('Custom: Support Agent');
    expect(org.stats().writes).toBe(0);
    expect(JSON.stringify([...profileRows(org)])).toBe(before);
  });

  it('a SOQL condition the org rejects is reported with the org\'s reason, not an empty message', async () => {
    const f = file('badwhere.yaml', ['presenceConfigurations:', '  miaw:', '    users:', "      where: \"ProfileName = 'x'\"", ''].join('\n'));
    const r = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.name).toBe('InvalidWhereCondition');
    const conflict = r.json.result.conflicts.find((c: any) => c.locations.includes('badwhere.yaml:4:14'));
    expect(conflict, JSON.stringify(r.json.result.conflicts)).toBeDefined();
    // Salesforce puts the reason after "ERROR at Row:r:Column:c"; the first line of the message is empty.
    expect(conflict.message).toContain("No such column 'ProfileName' on entity 'User'");
  });

  it('a malformed --where is its own error (InvalidWhereCondition) with the org\'s SOQL error and a fix about the clause, never "AssignmentConflicts"', async () => {
    const where = "Username LIKE 'agent0%' OR";
    org.resetStats();
    const r = await omni(org, work.dir, ['assign', 'plan', '--config', 'miaw', '--where', where, '--json']);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ name: 'InvalidWhereCondition', exitCode: 1, status: 1 });
    expect(r.json.message).toMatch(/^The org rejected 1 SOQL condition selecting users; nothing was changed:\n {2}--where: /);
    expect(r.json.message).toContain(where);
    expect(r.json.message).toContain('MALFORMED_QUERY');
    expect(r.json.actions.join('\n')).toMatch(/WHERE clause/);
    expect(r.json.actions.join('\n')).not.toMatch(/selected for two configurations|users or profiles/);
    expect(org.stats().writes).toBe(0);
    // The same from an assignment file, and in the text output: the error's name and the clause's fix.
    const f = file('malformed.yaml', ['presenceConfigurations:', '  miaw:', '    users:', `      where: "${where}"`, ''].join('\n'));
    const text = await omni(org, work.dir, ['assign', 'plan', '--file', f]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('Error (InvalidWhereCondition)');
    expect(text.stderr).toContain('malformed.yaml:4:14');
    expect(text.stderr).toContain('MALFORMED_QUERY');
  });

  it('the plan line counts in the singular and plural ("1 user, 0 profiles")', async () => {
    const one = await omni(org, work.dir, ['assign', 'plan', '--config', 'miaw', '--user', 'agent01@omni.local']);
    expect(one.code).toBe(0);
    expect(one.stdout + one.stderr).toMatch(/\(1 user, 0 profiles\)/);
  });

  it('apply --dry-run returns exactly the plan and writes nothing', async () => {
    const f = file('dry.yaml', 'presenceConfigurations:\n  voice:\n    users: { usernames: [agent05@omni.local, agent02@omni.local] }\n');
    const plan = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--json']);
    org.resetStats();
    const dry = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(org.stats().writes).toBe(0);
    const { dryRun, ...rest } = dry.json.result;
    expect(dryRun).toBe(true);
    expect(rest).toEqual(plan.json.result);
    expect(rest.summary).toMatchObject({ move: 1, create: 1 });
  });
});
