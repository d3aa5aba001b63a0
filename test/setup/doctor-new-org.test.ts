/**
 * A new org (nothing deployed yet): what the deploy will create is not a doctor failure. Record settings
 * on a configuration the project holds but the org lacks are set after the deploy creates it — a warning,
 * the same check id and level in omni doctor and in omni setup's preflight; a record setting on a
 * component neither in the project nor in the org still fails both.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestOrg } from '../helpers/local-org.ts';
import { check, omni, stage } from './helpers.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';

const cleanups: Array<() => unknown> = [];
const NO_MEMBERS = (queue: string) => `Queue ${queue} has no members in the source (groups, roles) and no assignment file lists users for it.`;
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function freshOrgAndProject() {
  const org = await startTestOrg({});
  cleanups.push(() => org.stop());
  const project = makeProject({ copy: SAMPLE_WITH_CONFIG });
  cleanups.push(project.cleanup);
  return { org, dir: project.dir };
}

describe('omni doctor on an org not yet deployed to', () => {
  it('passes (warnings only): the sample project\'s record settings are set after the deploy creates miaw; setup\'s preflight agrees', async () => {
    const { org, dir } = await freshOrgAndProject();
    const doctor = await omni(org, dir, ['doctor', '--json']);
    expect(doctor.code, doctor.stdout).toBe(0);
    const rs = check(doctor, 'record-settings');
    expect(rs.status).toBe('warn');
    expect(rs.message).toContain('miaw');
    expect(rs.message).toContain('after the deploy creates it');
    expect(rs.fix).toContain('omni deploy');
    expect(doctor.json.result.checks.filter((c: any) => c.status === 'fail')).toEqual([]);
    // The queues are not in the org yet: the deploy creates them with their XML's member AllInternalUsers.
    expect(check(doctor, 'routing').status).toBe('ok');
    expect(org.stats().writes).toBe(0);

    const setup = await omni(org, dir, ['setup', '--no-prompt', '--json']);
    const preflight = (stage(setup, 'doctor').details.checks as any[]).find((c) => c.id === 'record-settings');
    expect(preflight).toMatchObject({ id: 'record-settings', status: 'warn', message: rs.message });
  });

  it('still fails, in doctor and in setup, when a record setting names a configuration neither in the project nor in the org', async () => {
    const { org, dir } = await freshOrgAndProject();
    rmSync(join(dir, 'force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml'));
    const doctor = await omni(org, dir, ['doctor', '--json']);
    expect(doctor.code).toBe(1);
    const rs = check(doctor, 'record-settings');
    expect(rs.status).toBe('fail');
    expect(rs.repairedBySetup).toBeUndefined();
    expect(rs.message).toMatch(/neither in the project nor in the org: miaw \(PresenceUserConfig, config\/omni-channel\.yaml:\d+:\d+\)/);
    expect(rs.fix).toContain('omni generate');

    const setup = await omni(org, dir, ['setup', '--no-prompt', '--json']);
    expect(setup.code).toBe(1);
    const preflight = (stage(setup, 'doctor').details.checks as any[]).find((c) => c.id === 'record-settings');
    expect(preflight).toMatchObject({ status: 'fail', message: rs.message });
    expect(org.stats().writes).toBe(0);
  });

  it('routing: the summary agrees with its notes — configurations held by no user are counted, not called held, until assignments hold them', async () => {
    const { org, dir } = await freshOrgAndProject();
    // Deployed, no assignment run: only Case_Agents is held (its XML assigns the agents' profile).
    const configs = ['Voice_Agents', 'miaw'];
    const deployed = await omni(org, dir, ['deploy', '--no-prompt', '--json']);
    expect(deployed.code, deployed.stdout).toBe(0);
    const routing = check(await omni(org, dir, ['doctor', '--json']), 'routing');
    expect(routing.status).toBe('ok');
    const [header, ...items]: string[] = routing.message.split('\n');
    expect(header).not.toContain('every configuration held');
    expect(header).toMatch(new RegExp(`^2 queues with members, ${configs.length} configurations held by no user; ${items.length} notes:$`));
    expect(items.filter((i) => i.includes('is held by no user'))).toHaveLength(configs.length);
    for (const name of configs) expect(items).toContain(`- Presence configuration ${name} is held by no user in the org (no user row, no assigned profile with active users).`);

    // Every configuration assigned: the summary may say so, and no note says otherwise.
    const setup = await omni(org, dir, ['setup', '--no-prompt', '--file', 'config/assignments/local.yaml', '--json']);
    expect(setup.code, setup.stdout).toBe(0);
    const after = check(await omni(org, dir, ['doctor', '--json']), 'routing');
    const unheld = (after.details.problems as Array<{ code: string }>).filter((p) => p.code === 'CONFIG_NOT_HELD');
    expect(unheld).toEqual([]);
    expect(after.message.split('\n')[0]).toMatch(/^2 queues with members, every configuration held[.;]/);
  });

  it('lists findings one per line, each with its fix: two queues without members, in --json and on the terminal', async () => {
    const { org, dir } = await freshOrgAndProject();
    for (const q of ['Priority_Cases', 'Support_Cases']) {
      const file = join(dir, `force-app/main/default/queues/${q}.queue-meta.xml`);
      writeFileSync(file, readFileSync(file, 'utf8').replace(/<queueMembers>[\s\S]*<\/queueMembers>\s*/, ''));
    }
    const json = check(await omni(org, dir, ['doctor', '--json']), 'routing');
    expect(json.status).toBe('warn');
    const [header, ...items] = json.message.split('\n');
    expect(header).toMatch(/^2 routing problems( \(and \d+ notes?\))?:$/);
    expect(items).toEqual([`- ${NO_MEMBERS('Priority_Cases')}`, `- ${NO_MEMBERS('Support_Cases')}`]);
    // A fix for each queue, not only the first.
    const fixes = json.fix.split('\n');
    expect(fixes).toHaveLength(2);
    expect(fixes[0]).toContain('queues.Priority_Cases.users');
    expect(fixes[1]).toContain('queues.Support_Cases.users');
    // No sentence glued to the next one anywhere in the report.
    for (const c of (await omni(org, dir, ['doctor', '--json'])).json.result.checks) expect(c.message, c.id).not.toMatch(/\.[,;] [A-Z(]/);

    const human = (await omni(org, dir, ['doctor'])).stdout.split('\n');
    const at = human.findIndex((l) => l.startsWith('WARN  Routing'));
    expect(human[at]).toMatch(/: 2 routing problems.*:$/);
    expect(human.slice(at + 1, at + 5)).toEqual([
      `      - ${NO_MEMBERS('Priority_Cases')}`,
      `      - ${NO_MEMBERS('Support_Cases')}`,
      `      fix: ${fixes[0]}`,
      `      fix: ${fixes[1]}`,
    ]);
  });
});
