/**
 * omni deploy against the local org, in process (the CI way: --instance-url + SF_ACCESS_TOKEN):
 * the org-aware check (one batched query per kind, every missing name located, assignment
 * conflicts), server failures at file:line, partial success (68), timeouts and --async (69) with
 * `deploy report` / `deploy resume`, and the human component table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { api, dataPath, startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { makeProject } from '../helpers/project.ts';

const DEFAULT = 'force-app/main/default';
const PUC = `${DEFAULT}/presenceUserConfigs`;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A local org that records each request's path (SOQL included), and a fresh copy of the sample project. */
async function setup(): Promise<{ org: LocalOrg; dir: string; requests: string[] }> {
  const requests: string[] = [];
  const org = await startTestOrg({ log: (line) => requests.push(line) });
  const p = makeProject();
  cleanups.push(() => org.stop(), () => p.cleanup());
  return { org, dir: p.dir, requests };
}

/** The SOQL of every logged query request. */
function queries(requests: string[]): string[] {
  return requests.flatMap((l) => {
    const m = /\/query\?q=([^ &]+)/.exec(l);
    return m ? [decodeURIComponent(m[1])] : [];
  });
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

async function count(org: LocalOrg, soql: string): Promise<number> {
  return (await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent(soql)}`))).body.totalSize;
}

function edit(dir: string, file: string, from: string, to: string): string {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  const next = text.replace(from, to);
  writeFileSync(path, next);
  return next;
}

describe('org-aware validation', () => {
  it('one batched query per kind; every missing user, profile, status and decline reason listed at file:line', async () => {
    const { org, dir, requests } = await setup();
    const voice = edit(
      dir,
      `${PUC}/Voice_Agents.presenceUserConfig-meta.xml`,
      '    <capacity>',
      '    <assignments>\n        <users>\n            <user>ghost.one@omni.local</user>\n            <user>agent01@omni.local</user>\n            <user>ghost.two@omni.local</user>\n            <user>ghost.three@omni.local</user>\n        </users>\n    </assignments>\n    <capacity>',
    );
    const cases = edit(dir, `${PUC}/Case_Agents.presenceUserConfig-meta.xml`, '<profile>Custom: Support Agent</profile>', '<profile>Custom: Support Agent</profile>\n            <profile>Ghost Profile A</profile>\n            <profile>Ghost Profile B</profile>');
    requests.length = 0;
    // Only the presence configurations: the statuses and decline reasons they use must come from the org (a fresh one has none).
    const r = await omniInProcess(org, dir, ['deploy', '--source-dir', PUC, '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.name).toBe('OrgCheckFailed');
    const missing = r.json.result.missing.map((m: { noun: string; name: string; file: string; line: number }) => `${m.file}:${m.line} ${m.noun} ${m.name}`);
    const V = `${PUC}/Voice_Agents.presenceUserConfig-meta.xml`;
    const C = `${PUC}/Case_Agents.presenceUserConfig-meta.xml`;
    expect(missing).toEqual(
      expect.arrayContaining([
        `${V}:${lineOf(voice, 'ghost.one')} username ghost.one@omni.local`,
        `${V}:${lineOf(voice, 'ghost.two')} username ghost.two@omni.local`,
        `${V}:${lineOf(voice, 'ghost.three')} username ghost.three@omni.local`,
        `${V}:${lineOf(voice, '<presenceStatusOnPushTimeout>')} presence status Busy`,
        `${C}:${lineOf(cases, 'Ghost Profile A')} profile Ghost Profile A`,
        `${C}:${lineOf(cases, 'Ghost Profile B')} profile Ghost Profile B`,
        `${C}:${lineOf(cases, '<declineReasons>Wrong_Queue')} decline reason Wrong_Queue`,
      ]),
    );
    expect(missing.join('\n')).not.toContain('agent01@omni.local');
    expect(missing.join('\n')).not.toContain('Custom: Support Agent');
    expect(r.json.message).toContain(`${V}:${lineOf(voice, 'ghost.three')}:`);

    // Lookups by name (… IN (…)): exactly one per kind, however many names; plus the data-loss
    // guard's snapshot of the deployed configurations' assignments (one per junction object).
    const lookups = queries(requests).filter((q) => / IN \(/.test(q));
    const perKind = new Map<string, number>();
    for (const q of lookups) {
      const [, from, field] = /FROM (\w+) WHERE ([\w.]+) IN/.exec(q)!;
      perKind.set(`${from} by ${field}`, (perKind.get(`${from} by ${field}`) ?? 0) + 1);
    }
    expect(Object.fromEntries(perKind)).toEqual({
      'User by Username': 1,
      'Profile by Name': 1,
      'ServicePresenceStatus by DeveloperName': 1,
      'PresenceDeclineReason by DeveloperName': 1,
      'PresenceUserConfigUser by User.Username': 1,
      'PresenceUserConfigUser by PresenceUserConfig.DeveloperName': 1,
    });
    // Profile-level assignments (one per profile at most) are read whole, once, for both the conflict
    // check and the snapshot; and every read above went out in composite requests, five at a time.
    expect(queries(requests).filter((q) => q === 'SELECT Profile.Name, PresenceUserConfig.DeveloperName FROM PresenceUserConfigProfile')).toHaveLength(1);
    expect(org.stats().byEndpoint.query).toBeUndefined();
    // 12 queries: the org description (2) in one composite, the 7 checks above in two, and on this
    // failure path the names of the 3 kinds with a miss ("did you mean") in one more.
    expect(queries(requests)).toHaveLength(12);
    expect(org.stats().byEndpoint.composite).toBe(4);
    // Nothing was deployed.
    expect(Object.keys(org.stats().byEndpoint).filter((k) => k.startsWith('soap/metadata:deploy'))).toEqual([]);
  });

  it('users and profiles that would end up with two presence configurations are listed, with the configuration they have', async () => {
    const { org, dir } = await setup();
    const MIAW = `${PUC}/miaw.presenceUserConfig-meta.xml`;
    edit(dir, MIAW, '    <capacity>', '    <assignments>\n        <users>\n            <user>agent01@omni.local</user>\n        </users>\n    </assignments>\n    <capacity>');
    expect((await omniInProcess(org, dir, ['deploy', '--json'])).code).toBe(0);
    // Voice_Agents now claims agent01 (held by miaw) and the profile Case_Agents holds (in another case).
    const voice = edit(
      dir,
      `${PUC}/Voice_Agents.presenceUserConfig-meta.xml`,
      '    <capacity>',
      '    <assignments>\n        <profiles>\n            <profile>custom: support agent</profile>\n        </profiles>\n        <users>\n            <user>AGENT01@omni.local</user>\n            <user>agent05@omni.local</user>\n        </users>\n    </assignments>\n    <capacity>',
    );
    const V = `${PUC}/Voice_Agents.presenceUserConfig-meta.xml`;
    const r = await omniInProcess(org, dir, ['deploy', '--source-dir', V, '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.name).toBe('OrgCheckFailed');
    expect(r.json.result.missing).toEqual([]);
    const conflicts = r.json.result.conflicts.map((c: { kind: string; name: string; existingConfig: string; newConfig: string; file: string; line: number }) => `${c.file}:${c.line} ${c.kind} ${c.name} ${c.existingConfig}→${c.newConfig}`);
    expect(conflicts.sort()).toEqual(
      [`${V}:${lineOf(voice, 'custom: support agent')} profile custom: support agent Case_Agents→Voice_Agents`, `${V}:${lineOf(voice, 'AGENT01')} user AGENT01@omni.local miaw→Voice_Agents`].sort(),
    );
    expect(r.json.message).toContain('already has presence configuration "miaw"');
    expect(r.json.actions.join(' ')).toMatch(/omni assign/);
    expect(await count(org, "SELECT Id FROM PresenceUserConfigUser WHERE User.Username = 'agent05@omni.local'")).toBe(0);
  });
});

describe('results and exit codes', () => {
  it('a failure the org reports with a line: shown at file:line:column, exit 1, nothing deployed (all or none)', async () => {
    const { org, dir } = await setup();
    // Valid offline (the validator compares usernames as written), but the org matches usernames
    // case-insensitively: the second entry duplicates the first. The other 20 components are fine.
    const CASE = `${PUC}/Case_Agents.presenceUserConfig-meta.xml`;
    const text = edit(dir, CASE, '</profiles>', '</profiles>\n        <users>\n            <user>agent01@omni.local</user>\n            <user>AGENT01@omni.local</user>\n        </users>');
    const line = lineOf(text, 'AGENT01');
    const r = await omniInProcess(org, dir, ['deploy', '--json']);
    expect(r.code, r.stdout).toBe(1);
    const failed = r.json.result.components.filter((c: { state: string }) => c.state === 'Failed');
    expect(failed).toEqual([expect.objectContaining({ type: 'PresenceUserConfig', fullName: 'Case_Agents', file: CASE, line, column: 13 })]);
    expect(await count(org, 'SELECT Id FROM PresenceDeclineReason')).toBe(0);

    const human = await omniInProcess(org, dir, ['deploy']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(new RegExp(`^  ${CASE.replace(/\./g, '\\.')}:${line}:13  duplicate value found`, 'm'));
    // All or none: the table and the summary do not claim the other components were created.
    // sf's table (sf-plugins-core: one │-separated row per component)
    expect(human.stdout).toMatch(/^│ Failed +│ PresenceUserConfig +│ Case_Agents +│/m);
    expect(human.stdout).not.toMatch(/^│ Created /m);
    // The sample: 21 Omni components and the StaticResource of miaw's notification sound.
    expect(human.stdout).toMatch(/Failed — nothing was changed \(all or none\): 1 failed, 21 not deployed/);
  });

  it('--ignore-errors: one bad and one good component → 68, the good one deployed; without it → 1 and neither', async () => {
    const { org, dir } = await setup();
    expect((await omniInProcess(org, dir, ['deploy', '--json'])).code).toBe(0);
    const good = `${DEFAULT}/presenceDeclineReasons/Lunch_Break.presenceDeclineReason-meta.xml`;
    writeFileSync(join(dir, good), readFileSync(join(dir, `${DEFAULT}/presenceDeclineReasons/Wrong_Queue.presenceDeclineReason-meta.xml`), 'utf8').replace(/<label>[^<]*<\/label>/, '<label>Lunch Break</label>'));
    // A second channel for Case: valid offline, rejected by the org (relatedEntityType is unique).
    const bad = `${DEFAULT}/serviceChannels/Case_Channel_Two.serviceChannel-meta.xml`;
    writeFileSync(join(dir, bad), readFileSync(join(dir, `${DEFAULT}/serviceChannels/Case_Channel.serviceChannel-meta.xml`), 'utf8'));
    const lunch = "SELECT Id FROM PresenceDeclineReason WHERE DeveloperName = 'Lunch_Break'";

    const allOrNone = await omniInProcess(org, dir, ['deploy', '--source-dir', good, '--source-dir', bad, '--json']);
    expect(allOrNone.code).toBe(1);
    expect(await count(org, lunch)).toBe(0);

    const partial = await omniInProcess(org, dir, ['deploy', '--source-dir', good, '--source-dir', bad, '--ignore-errors', '--json']);
    expect(partial.code, partial.stdout).toBe(68);
    expect(partial.json.result.status).toBe('SucceededPartial');
    expect(partial.json.result.summary).toMatchObject({ created: 1, failed: 1 });
    expect(partial.json.result.components.find((c: { state: string }) => c.state === 'Failed')).toMatchObject({ fullName: 'Case_Channel_Two', file: bad });
    expect(await count(org, lunch)).toBe(1);
    expect(await count(org, "SELECT Id FROM ServiceChannel WHERE DeveloperName = 'Case_Channel_Two'")).toBe(0);

    writeFileSync(join(dir, good), readFileSync(join(dir, good), 'utf8').replace('Lunch Break', 'Lunch'));
    const human = await omniInProcess(org, dir, ['deploy', '--source-dir', good, '--source-dir', bad, '--ignore-errors']);
    expect(human.code).toBe(68);
    expect(human.stdout).toMatch(/^│ Changed +│ PresenceDeclineReason +│ Lunch_Break +│/m);
    expect(human.stdout).toMatch(/^│ Failed +│ ServiceChannel +│ Case_Channel_Two +│/m);
    expect(human.stdout).toContain('Some components failed and the rest were deployed (--ignore-errors).');
  });

  it('--wait elapsed → 69 with the job id and the report command; deploy resume waits for it and reports', async () => {
    const { org, dir } = await setup();
    const r = await omniInProcess(org, dir, ['deploy', '--wait', '0', '--json']);
    expect(r.code, r.stdout).toBe(69);
    const id: string = r.json.result.id;
    expect(id).toMatch(/^0Af\w{15}$/);
    expect(r.json.result.done).toBe(false);
    expect(r.json.result.reportCommand).toBe(`omni deploy report ${id}`);
    // the follow-up is the result's, not repeated among the warnings
    expect(r.json.warnings.join('\n')).not.toContain('deploy report');

    const resumed = await omniInProcess(org, dir, ['deploy', 'resume', '--json']);
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(resumed.json.result).toMatchObject({ id, done: true, status: 'Succeeded' });
    expect(resumed.json.result.summary.created).toBe(19); // 18 Omni components and the StaticResource (miaw's sound)
    // Mapped to the local files, since the deploy record knows its sources.
    expect(resumed.json.result.components.find((c: { fullName: string }) => c.fullName === 'miaw').file).toBe(`${PUC}/miaw.presenceUserConfig-meta.xml`);

    const human = await omniInProcess(org, dir, ['deploy', '--wait', '0']);
    expect(human.code).toBe(69);
    expect(human.stdout).toMatch(/^Deploy 0Af\w+ is (Pending|InProgress|Queued)\. Follow it with: omni deploy report 0Af\w+$/m);
    // printed once: not again on stderr
    expect(`${human.stdout}\n${human.stderr}`.match(/deploy report 0Af/g)).toHaveLength(1);
  });

  it('--async → 0 at once (sf parity); deploy report without --wait checks once (still running → 69), resume finishes it', async () => {
    const { org, dir } = await setup();
    const a = await omniInProcess(org, dir, ['deploy', '--async', '--json']);
    expect(a.code).toBe(0);
    expect(a.json.result.done).toBe(false);
    const id = a.json.result.id;
    const report = await omniInProcess(org, dir, ['deploy', 'report', id, '--json']);
    expect([69, 0]).toContain(report.code);
    if (report.code === 69) expect(report.json.result.reportCommand).toBe(`omni deploy report ${id}`);
    const done = await omniInProcess(org, dir, ['deploy', 'resume', id, '--json']);
    expect(done.code).toBe(0);
    expect(done.json.result.done).toBe(true);
    const bogus = await omniInProcess(org, dir, ['deploy', 'report', 'not-an-id', '--json']);
    expect(bogus.code).toBe(2);
    expect(bogus.json.name).toBe('InvalidJobId');
  });
});
