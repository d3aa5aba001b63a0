/**
 * What a large plan keeps (issue #15, plan memory): a scan of every user keeps only the users the
 * identifiers select unless prune needs the others, reads only the fields those identifiers match on (one
 * streamed Bulk query above 20,000 identifiers), and
 * a plan from a CSV of usernames is the same plan whichever way its users are read; CSV rows become
 * selectors whose origins are made on demand, each located at its file:line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/index.ts';
import { seedUsername } from '../../local-org/index.ts';
import { OrgApi } from '../../scripts/assign/api.ts';
import { desiredFromFlags, formatOrigin, type DesiredAssignments } from '../../scripts/assign/config.ts';
import { buildPlan } from '../../scripts/assign/plan.ts';
import { emptyCatalog, resolveUsers, selectorFacts } from '../../scripts/assign/resolve.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { createConfig, sessionFor, tempDir, userId } from './helpers.ts';

let org: LocalOrg;
let api: OrgApi;
let work: ReturnType<typeof tempDir>;
const log: string[] = [];
// 11 seeded users + 4,000 agents; the CSV names the first 1,500 agents: enough IN chunks for a scan.
const AGENTS = 4000;
const SELECTED = 1500;

beforeAll(async () => {
  org = await startTestOrg({ seedUsers: AGENTS, log: (line) => log.push(line) });
  api = new OrgApi((await sessionFor(org)).connection);
  await createConfig(org, 'miaw');
  work = tempDir();
  const lines = ['username,presenceConfig'];
  for (let i = 1; i <= SELECTED; i++) lines.push(`${seedUsername(i)},miaw`);
  writeFileSync(join(work.dir, 'agents.csv'), `${lines.join('\n')}\n`);
}, 60_000);
afterAll(async () => {
  await org?.stop();
  work?.cleanup();
});

const fromCsv = (): DesiredAssignments => {
  const { desired, problems } = desiredFromFlags({ csv: ['agents.csv'], cwd: work.dir });
  expect(problems).toEqual([]);
  return desired!;
};

describe('plan memory', () => {
  it('CSV rows are username selectors located at file:line, their configuration spelled once', () => {
    const desired = fromCsv();
    expect(desired.users).toHaveLength(SELECTED);
    expect(desired.configs.map((c) => c.name)).toEqual(['miaw']);
    expect(desired.users[0]).toMatchObject({ kind: 'username', value: seedUsername(1), config: 'miaw' });
    expect(desired.users[0].origin).toEqual({ file: 'agents.csv', line: 2, column: 1 });
    expect(formatOrigin(desired.users[SELECTED - 1].origin)).toBe(`agents.csv:${SELECTED + 1}:1`);
    expect(new Set(desired.users.map((u) => u.config)).size).toBe(1);
  });

  it('selector facts: one kind is the list itself; distinct values in order, worked out once, again when the list grew', () => {
    const desired = fromCsv();
    const facts = selectorFacts(desired.users);
    expect(facts.byKind('username')).toBe(desired.users);
    expect(facts.byKind('email')).toEqual([]);
    const values = facts.values('username');
    expect(values).toHaveLength(SELECTED);
    expect(values.slice(0, 2)).toEqual([seedUsername(1), seedUsername(2)]);
    expect(selectorFacts(desired.users).values('username')).toBe(values);
    const origin = { file: 'x.yaml', line: 1, column: 1 };
    desired.users.push({ kind: 'email', value: 'a@example.com', config: 'miaw', origin }, { kind: 'username', value: seedUsername(1), config: 'miaw', origin }, { kind: 'email', value: 'a@example.com', config: 'miaw', origin });
    const grown = selectorFacts(desired.users);
    expect(grown.byKind('username')).toHaveLength(SELECTED + 1);
    expect(grown.values('username')).toHaveLength(SELECTED);
    expect(grown.byKind('email').map((s) => s.value)).toEqual(['a@example.com', 'a@example.com']);
    expect(grown.values('email')).toEqual(['a@example.com']);
  });

  it('a scan of every user keeps the selected ones only (unless asked), and reads no email for usernames', async () => {
    const desired = fromCsv();
    log.length = 0;
    const selected = await resolveUsers(api, desired, emptyCatalog(), [], [], { keepUnselected: false });
    // The scan really ran (one query over every user), and asked for no email or federation id.
    const scans = log.filter((l) => /SELECT Id, Username, IsActive, ProfileId FROM User(?! WHERE)/.test(decodeURIComponent(l)));
    expect(scans.length).toBeGreaterThan(0);
    expect(log.some((l) => /Email/.test(decodeURIComponent(l)))).toBe(false);
    expect(selected.knownUsers.size).toBe(SELECTED);
    expect(selected.users.size).toBe(SELECTED);
    expect(selected.unknown).toEqual([]);
    const every = await resolveUsers(api, desired, emptyCatalog());
    expect(every.knownUsers.size).toBe(AGENTS + 11);
    expect([...every.users.keys()].sort()).toEqual([...selected.users.keys()].sort());
    const first = selected.users.values().next().value!;
    expect(first.picks[0]).toMatchObject({ config: 'miaw', via: `username ${first.user.Username}` });
    expect(first.picks[0].origin.file).toBe('agents.csv');
  });

  describe('in an org of 23,000 users', () => {
    // One org for both: the first reads every user (no configuration held yet), the second then gives 22,500 of
    // them a configuration.
    const USERS = 23_000;
    const bigLog: string[] = [];
    let big: LocalOrg;
    let bigApi: OrgApi;
    beforeAll(async () => {
      big = await startTestOrg({ seedUsers: USERS, log: (line) => bigLog.push(line) });
      bigApi = new OrgApi((await sessionFor(big)).connection);
    }, 60_000);
    afterAll(async () => {
      await big?.stop();
    });

    it('more than 20,000 usernames: every user in one streamed Bulk query job, only the selected ones kept', async () => {
      const lines = ['username,presenceConfig'];
      for (let i = 1; i <= 20_001; i++) lines.push(`${seedUsername(i)},miaw`);
      writeFileSync(join(work.dir, 'big.csv'), `${lines.join('\n')}\n`);
      const { desired } = desiredFromFlags({ csv: ['big.csv'], cwd: work.dir });
      big.resetStats();
      const selected = await resolveUsers(bigApi, desired!, emptyCatalog(), [], [], { keepUnselected: false });
      const stats = big.stats();
      expect(stats.byEndpoint['bulk2/query']).toBeGreaterThanOrEqual(3);
      expect(stats.byEndpoint.composite).toBeUndefined();
      expect(selected.users.size).toBe(20_001);
      expect(selected.knownUsers.size).toBe(20_001);
      expect(selected.unknown).toEqual([]);
      const last = [...selected.users.values()].find((u) => u.user.Username === seedUsername(20_001))!;
      expect(last.user).toMatchObject({ IsActive: true, Email: '', FederationIdentifier: null });
      expect(last.first.origin).toEqual({ file: 'big.csv', line: 20_002, column: 1 });
    }, 120_000);

    it('tens of thousands of junction rows: the first page rides with the catalog reads, every row then comes from one streamed Bulk job', async () => {
      // 22,500 agents hold miaw: 12 REST pages, 11 after the first — more than two Composite requests' worth.
      const HOLDING = 22_500;
      const miaw = await createConfig(big, 'miaw');
      await createConfig(big, 'other');
      const held = new Map<string, string>();
      for (let i = 1; i <= HOLDING; i++) {
        const user = userId(big, seedUsername(i));
        held.set(user, big.store.insert('PresenceUserConfigUser', { PresenceUserConfigId: miaw, UserId: user }, { system: true }).Id as string);
      }
      // Every third agent moves to other; the rest of the holders stay; those past HOLDING are created.
      const lines = ['username,presenceConfig'];
      for (let i = 1; i <= USERS; i++) lines.push(`${seedUsername(i)},${i % 3 === 0 ? 'other' : 'miaw'}`);
      writeFileSync(join(work.dir, 'held.csv'), `${lines.join('\n')}\n`);
      const { desired } = desiredFromFlags({ csv: ['held.csv'], cwd: work.dir });
      big.resetStats();
      bigLog.length = 0;
      const { plan } = await buildPlan(bigApi, { desired: desired!, prune: false });
      const jobs = bigLog.filter((l) => /^POST \S+\/jobs\/query /.test(l)).length;
      const junctionPages = bigLog.filter((l) => /composite GET \S+\/query(\?q=SELECT Id, UserId, PresenceUserConfigId FROM PresenceUserConfigUser|\/)/.test(decodeURIComponent(l)));
      expect(jobs).toBe(2);
      expect(junctionPages).toHaveLength(1);
      expect(big.stats().byEndpoint.composite).toBe(1);
      const moves = Math.floor(HOLDING / 3);
      expect(plan.summary).toMatchObject({ users: USERS, move: moves, unchanged: HOLDING - moves, create: USERS - HOLDING, remove: 0 });
      // Each move carries its user's row, each unchanged user is miaw's (one assertion over the 22,500, not one each).
      const wrong = plan.items.filter((item) => (item.action === 'move' && !(item.rowIds.length === 1 && item.rowIds[0] === held.get(item.id))) || (item.action === 'unchanged' && item.from !== 'miaw'));
      expect(wrong).toEqual([]);
      // A condition selects them: the junction rows come with their users' fields (User.Username… columns), and
      // those users are the plan's.
      const byCondition = desiredFromFlags({ config: 'miaw', where: "Username LIKE 'seed.agent%'", cwd: work.dir });
      bigLog.length = 0;
      const where = await buildPlan(bigApi, { desired: byCondition.desired!, prune: false });
      expect(bigLog.filter((l) => /^POST \S+\/jobs\/query /.test(l))).toHaveLength(1);
      expect(where.plan.summary).toMatchObject({ users: USERS, unchanged: HOLDING, create: USERS - HOLDING });
      const names = new Map(where.plan.items.map((i) => [i.id, i.name]));
      for (let i = 1; i <= USERS; i += 997) expect(names.get(userId(big, seedUsername(i)))).toBe(seedUsername(i));
    }, 120_000);
  });

  it('the plan of a CSV is the same with and without prune for the selected users', async () => {
    const plain = await buildPlan(api, { desired: fromCsv(), prune: false });
    const pruned = await buildPlan(api, { desired: fromCsv(), prune: true });
    expect(plain.plan.summary).toMatchObject({ create: SELECTED, users: SELECTED });
    expect(JSON.stringify(pruned.plan.items)).toBe(JSON.stringify(plain.plan.items));
    expect(plain.plan.items[0]).toEqual({ kind: 'user', id: expect.any(String), name: seedUsername(1), action: 'create', from: null, to: 'miaw', fromConfigId: null, toConfigId: expect.any(String), rowIds: [], effective: 'miaw', effectiveSource: 'user' });
  });
});
