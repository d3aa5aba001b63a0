/**
 * More selected usernames than one chain of 5 pages holds: the User scan and the junction rows are read in
 * Username ranges side by side, in one round trip, and every user is found — also when the range bounds
 * hold quotes, backslashes and capitals, when the org holds many more users than selected (a range too
 * large falls back to `Username IN (…)` chunks), and on a re-run where every selected user holds a row.
 * The local org evaluates the ranges' SOQL; the expected users are the ones the test created.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omni, tempDir, userRows } from './helpers.ts';

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const LOCALE = { TimeZoneSidKey: 'America/Los_Angeles', LocaleSidKey: 'en_US', LanguageLocaleKey: 'en_US', EmailEncodingKey: 'UTF-8' };

/** Users with these usernames (straight into the store: thousands of them). */
function addUsers(org: LocalOrg, usernames: string[]): string[] {
  const profileId = org.store.findBy('Profile', 'Name', 'Standard User')[0].Id;
  return usernames.map((u, i) => org.store.insert('User', { Username: u, Email: `e${i}@x.test`, LastName: `U${i}`, Alias: `u${i}`.slice(0, 8), ProfileId: profileId, ...LOCALE }, { system: true }).Id as string);
}

/** The org's log lines. */
function recorder() {
  const spans: Array<{ line: string }> = [];
  return { spans, log: (line: string) => spans.push({ line }) };
}

/**
 * Whether the reads took one round trip: no query continued in a later request from an earlier answer's
 * nextRecordsUrl (pages chained in the same request are logged as `@{ref.nextRecordsUrl}`).
 */
function readRound(spans: Array<{ line: string }>) {
  return { oneRound: !spans.some((s) => / GET \/services\/data\/v[\d.]+\/query\/[^?]/.test(s.line)) };
}

describe('Username ranges', () => {
  it("9,000 usernames with quotes, backslashes and capitals: every one found, the reads in one round trip; the re-run too", async () => {
    const { spans, log } = recorder();
    const org = await startTestOrg({ latencyMs: 20, log });
    const work = tempDir();
    cleanups.push(() => org.stop(), work.cleanup);
    org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg', MasterLabel: 'cfg', Capacity: 3 }, { system: true });
    // Every username holds a quote (so does any range bound), every third a backslash, every other one capitals.
    const usernames = Array.from({ length: 9000 }, (_, i) => `${i % 2 ? 'O' : 'o'}'agent${i % 3 ? '' : '\\'}.${String(i).padStart(5, '0')}@omni.local`);
    const ids = addUsers(org, usernames);
    writeFileSync(join(work.dir, 'u.csv'), ['username,presenceConfig', ...usernames.map((u) => `"${u}",cfg`)].join('\n') + '\n');
    spans.length = 0;
    const r = await omni(org, work.dir, ['assign', 'apply', '--csv', 'u.csv', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.summary).toMatchObject({ done: 9000, failed: 0 });
    const rows = userRows(org);
    expect(ids.filter((id) => rows.get(id)?.length !== 1)).toEqual([]);
    // Two ranges of User and of junction rows: the scans carry a Username condition each.
    const scans = spans.filter((s) => s.line.startsWith('  composite GET ') && /FROM%20User%20WHERE%20Username%20/.test(s.line));
    expect(scans.length).toBe(2);
    expect(spans.filter((s) => s.line.startsWith('  composite GET ') && /FROM%20PresenceUserConfigUser%20WHERE%20User\.Username%20/.test(s.line)).length).toBe(2);
    expect(readRound(spans)).toMatchObject({ oneRound: true });

    spans.length = 0;
    const again = await omni(org, work.dir, ['assign', 'apply', '--csv', 'u.csv', '--json']);
    expect(again.code, again.stdout).toBe(0);
    expect(again.json.result.status).toBe('unchanged');
    // 9,000 junction rows, each range's in its first chain: nothing read in a second round.
    expect(readRound(spans)).toMatchObject({ oneRound: true });
  }, 120_000);

  it('8,000 selected among 60,000 users: the ranges are too large to scan, every selected user is read by IN chunks instead', async () => {
    const { spans, log } = recorder();
    const org = await startTestOrg({ seedUsers: 60_000, log });
    const work = tempDir();
    cleanups.push(() => org.stop(), work.cleanup);
    org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg', MasterLabel: 'cfg', Capacity: 3 }, { system: true });
    const usernames = Array.from({ length: 8000 }, (_, i) => `picked.${String(i).padStart(5, '0')}@omni.local`);
    const ids = addUsers(org, usernames);
    writeFileSync(join(work.dir, 'u.csv'), ['username,presenceConfig', ...usernames.map((u) => `${u},cfg`)].join('\n') + '\n');
    spans.length = 0;
    const r = await omni(org, work.dir, ['assign', 'plan', '--csv', 'u.csv', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.conflicts).toEqual([]);
    expect(r.json.result.summary).toMatchObject({ create: 8000 });
    expect(new Set(r.json.result.items.map((i: { id: string }) => i.id))).toEqual(new Set(ids));
    expect(spans.some((s) => s.line.startsWith('  composite GET ') && /FROM%20User%20WHERE%20Username%20IN%20/.test(s.line))).toBe(true);
  }, 120_000);
});
