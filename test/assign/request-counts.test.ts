/**
 * Issue #15: assignment requests at the floor, counted by the local org (every HTTP request it answers),
 * for 10,000 agents: creates ≤ 13 requests, the idempotent re-run ≤ 7 in every selector form (reads only),
 * moves ≤ 60 (one atomic Composite per 200). The plan's reads are Composite requests of 5 query operations
 * (FIDELITY F-60), never a plain query.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedUsername, type LocalOrg } from '../../local-org/index.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omni, tempDir } from './helpers.ts';

const N = 10_000;
let org: LocalOrg;
let work: ReturnType<typeof tempDir>;
let cfgA: string;
const log: string[] = [];

beforeAll(async () => {
  org = await startTestOrg({ seedUsers: N, log: (line) => log.push(line) });
  work = tempDir();
  cfgA = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_a', MasterLabel: 'A', Capacity: 3 }, { system: true }).Id;
  org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_b', MasterLabel: 'B', Capacity: 3 }, { system: true });
  const csv = (file: string, config: string) => writeFileSync(join(work.dir, file), ['username,presenceConfig', ...Array.from({ length: N }, (_, i) => `${seedUsername(i + 1)},${config}`)].join('\n') + '\n');
  csv('a.csv', 'cfg_a');
  csv('b.csv', 'cfg_b');
  const ps = org.store.insert('PermissionSet', { Name: 'Agents_10k', Label: 'Agents 10k' }, { system: true }).Id;
  for (let i = 1; i <= N; i++) org.store.insert('PermissionSetAssignment', { PermissionSetId: ps, AssigneeId: org.store.lookup('User', 'Username', seedUsername(i))![0].Id }, { system: true });
  writeFileSync(join(work.dir, 'profile.yaml'), "presenceConfigurations:\n  cfg_a:\n    users:\n      profiles: ['Custom: Support Agent']\n");
}, 120_000);

afterAll(async () => {
  await org?.stop();
  work?.cleanup();
});

const count = (lines: string[], re: RegExp) => lines.filter((l) => re.test(l)).length;

describe('10,000 agents: requests counted by the org', () => {
  it('creates: ≤ 13 requests — session 2, ≤ 4 Composite reads in one round trip, one Bulk 2.0 job and no result fetch when its counts say every record succeeded', async () => {
    org.resetStats();
    log.length = 0;
    const r = await omni(org, work.dir, ['assign', 'apply', '--csv', 'a.csv', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.summary).toMatchObject({ done: N, failed: 0 });
    const s = org.stats();
    expect(s.total, JSON.stringify(s.byEndpoint)).toBeLessThanOrEqual(13);
    expect(s.byEndpoint['oauth/userinfo']).toBe(1);
    expect(s.byEndpoint.versions).toBe(1);
    expect(s.byEndpoint['sobjects/record']).toBeUndefined();
    expect(s.byEndpoint.query).toBeUndefined();
    expect(s.byEndpoint.composite).toBeLessThanOrEqual(4);
    // The reads (10,000 users and their rows in two Username ranges, the catalog) go out side by side in one
    // round trip: no request continues a query from an earlier answer's nextRecordsUrl.
    expect(log.filter((l) => / GET \/services\/data\/v[\d.]+\/query\/[^?]/.test(l))).toEqual([]);
    const outer = log.filter((l) => !l.startsWith(' '));
    expect(count(outer, /^POST \S+\/jobs\/ingest /)).toBe(1);
    expect(count(outer, /^PUT /)).toBe(1);
    expect(count(outer, /^PATCH /)).toBe(1);
    expect(count(outer, /\/(successfulResults|failedResults|unprocessedrecords) /)).toBe(0);
    expect([...org.store.all('PresenceUserConfigUser')].filter((row) => row.PresenceUserConfigId === cfgA)).toHaveLength(N);
  }, 120_000);

  it.each([
    ['--csv', ['--csv', 'a.csv']],
    ['--where', ['--config', 'cfg_a', '--where', "Username LIKE 'seed.agent%'"]],
    ['--permission-set', ['--config', 'cfg_a', '--permission-set', 'Agents_10k']],
    ['--file (users of a profile)', ['--file', 'profile.yaml']],
    ['--user', ['--config', 'cfg_a', '--user', seedUsername(1)]],
  ])('the re-run with %s: ≤ 7 requests, reads only, nothing to change', async (_, args) => {
    // The profile holds 10 agents beyond the 10,000: the first --file run gives them cfg_a.
    if (args[0] === '--file') await omni(org, work.dir, ['assign', 'apply', ...args, '--json']);
    org.resetStats();
    const r = await omni(org, work.dir, ['assign', 'apply', ...args, '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.status).toBe('unchanged');
    const s = org.stats();
    expect(s.total, JSON.stringify(s.byEndpoint)).toBeLessThanOrEqual(7);
    expect(s.writes).toBe(0);
    expect(s.byEndpoint.query).toBeUndefined();
  }, 120_000);

  it('moves of 10,000 (cfg_a → cfg_b): ≤ 60 requests, 50 of them atomic Composite moves, nobody ever without a configuration', async () => {
    org.resetStats();
    org.resetInvariant();
    log.length = 0;
    const r = await omni(org, work.dir, ['assign', 'apply', '--csv', 'b.csv', '--json']);
    expect(r.code, r.stdout).toBe(0);
    const s = org.stats();
    expect(s.total, JSON.stringify(s.byEndpoint)).toBeLessThanOrEqual(60);
    expect(count(log, /^ {2}composite DELETE /)).toBe(N / 200);
    // The plan's reads (users and their 10,000 rows in Username ranges) took one round trip.
    expect(log.filter((l) => / GET \/services\/data\/v[\d.]+\/query\/[^?]/.test(l))).toEqual([]);
    expect(s.byEndpoint['composite/sobjects']).toBeUndefined();
    expect(org.invariant().minConfiguredUsers).toBeGreaterThanOrEqual(N);
  }, 180_000);
});
