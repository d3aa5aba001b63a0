/**
 * omni retrieve (created/updated/unchanged, canonical rewrite, -m/--metadata TYPE[:NAME] and its former name --types, --extract-assignments into an
 * assignment file that `omni assign plan --file` loads) and omni plan (semantic comparison, the four
 * actions, field-level old → new, --detailed-exitcode 0/1/3) against the local org, in process.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { REPO_ROOT } from '../helpers/local-org.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { makeProject } from '../helpers/project.ts';
import { startDeployedSampleOrg } from '../helpers/deployed-org.ts';

const D = 'force-app/main/default';
const MIAW = `${D}/presenceUserConfigs/miaw.presenceUserConfig-meta.xml`;
const CASE = `${D}/presenceUserConfigs/Case_Agents.presenceUserConfig-meta.xml`;
const VOICE = `${D}/presenceUserConfigs/Voice_Agents.presenceUserConfig-meta.xml`;
const ONLINE = `${D}/servicePresenceStatuses/Online.servicePresenceStatus-meta.xml`;
const BUSY = `${D}/servicePresenceStatuses/Busy.servicePresenceStatus-meta.xml`;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * A fresh local org with the sample deployed, and a copy of the sample: the org starts from the state one deploy
 * of the sample left (test/helpers/deployed-org.ts), one deploy per worker instead of one per test.
 */
async function deployed(): Promise<{ org: LocalOrg; dir: string }> {
  const org = await startDeployedSampleOrg();
  const p = makeProject();
  cleanups.push(() => org.stop(), () => p.cleanup());
  return { org, dir: p.dir };
}

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const original = (f: string) => readFileSync(join(REPO_ROOT, f), 'utf8');
function edit(dir: string, f: string, from: string | RegExp, to: string): void {
  const text = read(dir, f);
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${String(from)} not in ${f}`);
  writeFileSync(join(dir, f), next);
}
type FileRow = { type: string; fullName: string; file: string; action: string };
const byName = (files: FileRow[]) => Object.fromEntries(files.map((f) => [`${f.type}:${f.fullName}`, f.action]));

describe('omni retrieve', () => {
  it('reports created / updated / unchanged and writes the canonical form', async () => {
    const { org, dir } = await deployed();
    const first = await omniInProcess(org, dir, ['retrieve', '--json']);
    expect(first.code, first.stdout).toBe(0);
    expect(first.json.result.summary).toEqual({ created: 0, updated: 0, unchanged: 21 });

    // A local edit (updated) and a file in another format — tabs, no
    // final newline, single-quoted declaration — (updated: rewritten in the canonical form).
    edit(dir, MIAW, '<capacity>20</capacity>', '<capacity>25</capacity>');
    const tabbed = read(dir, VOICE).replace(/^((?: {4})+)/gm, (m) => '\t'.repeat(m.length / 4)).replace('<?xml version="1.0" encoding="UTF-8"?>', "<?xml version='1.0' encoding='UTF-8'?>").trimEnd();
    writeFileSync(join(dir, VOICE), tabbed);
    expect(tabbed).not.toBe(original(VOICE));

    const second = await omniInProcess(org, dir, ['retrieve', '--json']);
    expect(second.code, second.stdout).toBe(0);
    const actions = byName(second.json.result.files);
    expect(actions['PresenceUserConfig:miaw']).toBe('updated');
    expect(actions['PresenceUserConfig:Voice_Agents']).toBe('updated');
    expect(second.json.result.summary).toEqual({ created: 0, updated: 2, unchanged: 19 });
    for (const f of [MIAW, VOICE]) expect(read(dir, f), f).toBe(original(f));
    // (created: see --metadata below, and the retrieve into an empty --output-dir in e2e.test.ts)

    const human = await omniInProcess(org, dir, ['retrieve']);
    expect(human.stdout).toContain('Retrieved 21 components: 0 created, 0 updated, 21 unchanged.');
  });

  it('-m TYPE retrieves every component of that type in the org, also ones the project lacks; -m TYPE:NAME one; --types still works', async () => {
    const { org, dir } = await deployed();
    const lunch = `${D}/servicePresenceStatuses/Lunch.servicePresenceStatus-meta.xml`;
    writeFileSync(join(dir, lunch), original(BUSY).replace('<label>Busy</label>', '<label>Lunch</label>'));
    expect((await omniInProcess(org, dir, ['deploy', '--source-dir', lunch, '--json'])).code).toBe(0);
    rmSync(join(dir, lunch));
    const r = await omniInProcess(org, dir, ['retrieve', '-m', 'ServicePresenceStatus', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(new Set(r.json.result.files.map((f: FileRow) => f.type))).toEqual(new Set(['ServicePresenceStatus']));
    expect(byName(r.json.result.files)).toEqual({
      'ServicePresenceStatus:Away': 'unchanged',
      'ServicePresenceStatus:Busy': 'unchanged',
      'ServicePresenceStatus:Lunch': 'created',
      'ServicePresenceStatus:Online': 'unchanged',
      'ServicePresenceStatus:Online_Cases': 'unchanged',
    });
    expect(read(dir, lunch)).toContain('<label>Lunch</label>');

    // TYPE:NAME (as sf project retrieve start -m): just that component, here one the project lacks.
    rmSync(join(dir, lunch));
    const one = await omniInProcess(org, dir, ['retrieve', '-m', 'ServicePresenceStatus:Lunch', '--json']);
    expect(one.code, one.stdout).toBe(0);
    expect(byName(one.json.result.files)).toEqual({ 'ServicePresenceStatus:Lunch': 'created' });
    const two = await omniInProcess(org, dir, ['retrieve', '--metadata', 'ServicePresenceStatus:Busy', '--metadata', 'ServiceChannel', '--json']);
    expect(two.code, two.stdout).toBe(0);
    expect(byName(two.json.result.files)['ServicePresenceStatus:Busy']).toBe('unchanged');
    expect(new Set(two.json.result.files.map((f: FileRow) => f.type))).toEqual(new Set(['ServicePresenceStatus', 'ServiceChannel']));
    expect(two.json.result.files.filter((f: FileRow) => f.type === 'ServicePresenceStatus')).toHaveLength(1);

    // The former long name is an alias.
    const old = await omniInProcess(org, dir, ['retrieve', '--types', 'ServicePresenceStatus:Away', '--json']);
    expect(old.code, old.stdout).toBe(0);
    expect(byName(old.json.result.files)).toEqual({ 'ServicePresenceStatus:Away': 'unchanged' });

    const bad = await omniInProcess(org, dir, ['retrieve', '-m', 'PresenceUserConfigs:miaw', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.json.message).toContain('Unknown type "PresenceUserConfigs"');
  });

  it('--extract-assignments moves <users> into an assignment file that omni assign plan --file loads', async () => {
    const { org, dir } = await deployed();
    mkdirSync(join(dir, 'config/assignments'), { recursive: true });
    cpSync(join(REPO_ROOT, 'config/assignments/assignments.schema.json'), join(dir, 'config/assignments/assignments.schema.json'));
    // Users assigned in the org (here by a deploy that lists them).
    edit(dir, CASE, '</profiles>', '</profiles>\n        <users>\n            <user>agent09@omni.local</user>\n            <user>agent08@omni.local</user>\n        </users>');
    edit(dir, MIAW, /(<\/PresenceUserConfig>)/, '');
    edit(dir, MIAW, /\s*$/, '\n');
    const miaw = read(dir, MIAW);
    writeFileSync(join(dir, MIAW), miaw.replace('    <capacity>', '    <assignments>\n        <users>\n            <user>agent01@omni.local</user>\n        </users>\n    </assignments>\n    <capacity>') + '</PresenceUserConfig>\n');
    const dep = await omniInProcess(org, dir, ['deploy', '--json']);
    expect(dep.code, dep.stdout).toBe(0);

    const file = 'config/assignments/local-org.yaml';
    const r = await omniInProcess(org, dir, ['retrieve', '--extract-assignments', file, '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.assignmentsFile).toBe(file);
    // The XML is back to the sample: profiles stay, users are gone.
    expect(read(dir, CASE)).toBe(original(CASE));
    expect(read(dir, MIAW)).toBe(original(MIAW));
    const yaml = read(dir, file);
    expect(yaml).toContain('$schema: ./assignments.schema.json');
    const YAML = await import('yaml');
    expect(YAML.parse(yaml).presenceConfigurations).toEqual({
      Case_Agents: { users: { usernames: ['agent08@omni.local', 'agent09@omni.local'] } },
      miaw: { users: { usernames: ['agent01@omni.local'] } },
    });
    expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);

    const plan = await omniInProcess(org, dir, ['assign', 'plan', '--file', file, '--json']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    // The file describes what the org has: no conflict, nothing to create, move or remove.
    expect(plan.json.result.conflicts).toEqual([]);
    expect(plan.json.result.summary).toMatchObject({ create: 0, move: 0, remove: 0, unchanged: 3, users: 3 });

    // An existing file keeps its comments, profiles and other selectors; the usernames follow the org.
    writeFileSync(
      join(dir, file),
      '# UAT agents\npresenceConfigurations:\n  Case_Agents:\n    profiles: [\'Custom: Support Agent\']  # by profile\n    users:\n      usernames: [old@omni.local]\n      where: "Department = \'Support\'"\n  Voice_Agents:\n',
    );
    const again = await omniInProcess(org, dir, ['retrieve', '--extract-assignments', file, '--json']);
    expect(again.code, again.stdout).toBe(0);
    const merged = read(dir, file);
    expect(merged).toContain('# UAT agents');
    expect(merged).toContain('# by profile');
    expect(YAML.parse(merged).presenceConfigurations).toEqual({
      Case_Agents: { profiles: ['Custom: Support Agent'], users: { usernames: ['agent08@omni.local', 'agent09@omni.local'], where: "Department = 'Support'" } },
      Voice_Agents: null,
      miaw: { users: { usernames: ['agent01@omni.local'] } },
    });
  });
});

describe('omni plan', () => {
  it('compares semantically: list order and profile-name case are not changes (exit 0 with --detailed-exitcode)', async () => {
    const { org, dir } = await deployed();
    edit(dir, ONLINE, /(<channel>Case_Channel<\/channel>)([\s\S]*?)(<channel>sfdc_phone<\/channel>)/, '<channel>sfdc_phone</channel>$2<channel>Case_Channel</channel>');
    edit(dir, CASE, '<profile>Custom: Support Agent</profile>', '<profile>custom: SUPPORT agent</profile>');
    edit(dir, CASE, /<declineReasons>Wrong_Queue<\/declineReasons>(\s*)<declineReasons>End_of_Shift<\/declineReasons>/, '<declineReasons>End_of_Shift</declineReasons>$1<declineReasons>Wrong_Queue</declineReasons>');
    const r = await omniInProcess(org, dir, ['plan', '--detailed-exitcode', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.hasChanges).toBe(false);
    // Every Omni org has its default presence configuration, and an org with Chat its built-in Chat
    // channel (local org FIDELITY.md F-21, F-22); the sample manages neither.
    expect(r.json.result.summary).toEqual({ create: 0, update: 0, unchanged: 22, 'only-in-org': 2 });
    expect(r.json.result.items.filter((i: { action: string }) => i.action === 'only-in-org').map((i: { fullName: string }) => i.fullName).sort()).toEqual(['default_presence_config', 'sfdc_liveagent']);
    const human = await omniInProcess(org, dir, ['plan']);
    expect(human.stdout).toContain('No changes: the org matches the source.');
  });

  it('create / update (field old → new) / unchanged / only-in-org, exit 3 with --detailed-exitcode', async () => {
    const { org, dir } = await deployed();
    // Only in the org: deployed, then its file removed.
    const extra = `${D}/presenceDeclineReasons/Lunch_Break.presenceDeclineReason-meta.xml`;
    writeFileSync(join(dir, extra), original(`${D}/presenceDeclineReasons/Wrong_Queue.presenceDeclineReason-meta.xml`).replace(/<label>[^<]*<\/label>/, '<label>Lunch Break</label>'));
    expect((await omniInProcess(org, dir, ['deploy', '--source-dir', extra, '--json'])).code).toBe(0);
    rmSync(join(dir, extra));
    // To create: a new status. To update: a capacity and a channel list.
    writeFileSync(join(dir, `${D}/servicePresenceStatuses/Training.servicePresenceStatus-meta.xml`), original(BUSY).replace('<label>Busy</label>', '<label>Training</label>'));
    edit(dir, MIAW, '<capacity>20</capacity>', '<capacity>5</capacity>');
    edit(dir, ONLINE, /\s*<channel>sfdc_phone<\/channel>/, '');

    const r = await omniInProcess(org, dir, ['plan', '--detailed-exitcode', '--json']);
    expect(r.code, r.stdout).toBe(3);
    const items = Object.fromEntries(r.json.result.items.map((i: { type: string; fullName: string; action: string; changes: unknown[] }) => [`${i.type}:${i.fullName}`, i]));
    expect(items['ServicePresenceStatus:Training']).toMatchObject({ action: 'create', file: `${D}/servicePresenceStatuses/Training.servicePresenceStatus-meta.xml` });
    expect(items['PresenceUserConfig:miaw']).toMatchObject({ action: 'update', changes: [{ field: 'capacity', old: '20', new: '5' }] });
    expect(items['ServicePresenceStatus:Online']).toMatchObject({
      action: 'update',
      changes: [{ field: 'channels.channel', old: ['Case_Channel', 'sfdc_livemessage', 'sfdc_phone'], new: ['Case_Channel', 'sfdc_livemessage'] }],
    });
    expect(items['PresenceDeclineReason:Lunch_Break']).toMatchObject({ action: 'only-in-org', file: null });
    expect(items['PresenceUserConfig:Case_Agents']).toMatchObject({ action: 'unchanged', changes: [] });
    expect(r.json.result.summary).toEqual({ create: 1, update: 2, unchanged: 20, 'only-in-org': 3 });

    const human = await omniInProcess(org, dir, ['plan', '--detailed-exitcode']);
    expect(human.code).toBe(3);
    const out = human.stdout;
    expect(out).toMatch(/^\+ create +ServicePresenceStatus Training +force-app\/main\/default\/servicePresenceStatuses\/Training\.servicePresenceStatus-meta\.xml$/m);
    expect(out).toMatch(/^~ update +PresenceUserConfig miaw /m);
    expect(out).toContain('miaw.capacity: 20 → 5');
    expect(out).toContain('Online.channels.channel: [Case_Channel, sfdc_livemessage, sfdc_phone] → [Case_Channel, sfdc_livemessage]');
    expect(out).toMatch(/Only in the org \(a deploy leaves them as they are\):\n\? PresenceDeclineReason Lunch_Break\n\? PresenceUserConfig default_presence_config\n/);
    expect(out).toContain('Plan: 1 to create, 2 to update, 20 unchanged, 3 only in the org.');
    // Without --detailed-exitcode pending changes still exit 0.
    expect((await omniInProcess(org, dir, ['plan', '--json'])).code).toBe(0);
  });

  it('--detailed-exitcode: 1 on an error (a file that does not parse; an org it cannot reach)', async () => {
    const { org, dir } = await deployed();
    expect((await omniInProcess(org, dir, ['plan', '--detailed-exitcode', '--json'])).code).toBe(0);
    writeFileSync(join(dir, MIAW), read(dir, MIAW).replace('</capacity>', '</capacit>'));
    const r = await omniInProcess(org, dir, ['plan', '--detailed-exitcode', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.name).toBe('ValidationFailed');
    expect(r.json.message).toContain(MIAW);
    writeFileSync(join(dir, MIAW), original(MIAW));
    const bad = await omniInProcess(org, dir, ['plan', '--detailed-exitcode', '--json'], `${org.orgId.slice(0, 15)}!${'x'.repeat(40)}`);
    expect(bad.code).toBe(1);
    expect(bad.json.name).toBe('ExpiredSession');
  });
});
