/**
 * How apply writes and reads, counted by the local org: Collections of 200 with bounded concurrency, Bulk
 * API 2.0 above the threshold for creates (moves stay on Collections), selective reads, the journal on
 * disk before the first write, exit 68 with the failure list, CONCURRENT_CHANGE, undo journalled itself,
 * and the progress bar: shown on a TTY, quiet under --json and CI=true.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { desiredFromFlags } from '../../scripts/assign/config.ts';
import { applyPlan, exitStatus, planAssignments } from '../../scripts/assign/run.ts';
import type { LocalOrg } from '../../local-org/server.ts';
import { seedUsername } from '../../local-org/seed.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omni, sessionFor, tempDir, userId, userRows } from './helpers.ts';
import { omniInProcess } from '../helpers/omni.ts';

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function orgWith(seedUsers: number, extra: Parameters<typeof startTestOrg>[0] = {}) {
  const org = await startTestOrg({ seedUsers, ...extra });
  const work = tempDir();
  cleanups.push(() => org.stop(), work.cleanup);
  const config = (name: string) => org.store.insert('PresenceUserConfig', { DeveloperName: name, MasterLabel: name, Capacity: 3 }, { system: true }).Id as string;
  const csv = (name: string, rows: Array<[string, string]>) => writeFileSync(join(work.dir, name), ['username,presenceConfig', ...rows.map((r) => r.join(','))].join('\n') + '\n');
  return { org, work, config, csv };
}

const seeded = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => seedUsername(from + i));

describe('writes and reads', () => {
  it('1,000 creates: 5 Collections requests of 200, at most 5 in flight, a handful of reads, no per-user query', async () => {
    // Request intervals from the org's own log (latency makes requests overlap measurably).
    const spans: Array<[number, number, string]> = [];
    // When each Composite holding a DELETE (a move, not a batch of reads) was handled.
    const moveMarks: number[] = [];
    const { org, work, config, csv } = await orgWith(1000, {
      latencyMs: 30,
      log: (line) => {
        if (line.startsWith('  composite DELETE ')) moveMarks.push(performance.now());
        const m = /^(\w+) (\S+) \S+ ([\d.]+)ms$/.exec(line);
        if (m) spans.push([performance.now() - Number(m[3]), performance.now(), `${m[1]} ${m[2]}`]);
      },
    });
    const cfg = config('cfg');
    csv('users.csv', seeded(1, 1000).map((u) => [u, 'cfg']));
    org.resetStats();
    const r = await omni(org, work.dir, ['assign', 'apply', '--csv', 'users.csv', '--json']);
    expect(r.code, r.stdout).toBe(0);
    const stats = org.stats();
    expect(stats.byEndpoint['composite/sobjects']).toBe(5);
    expect(stats.byEndpoint['bulk2/ingest']).toBeUndefined();
    expect(stats.records).toBe(1000);
    // Reads: userinfo and versions, then one Composite of the plan's queries (configurations, profile rows,
    // the Organization row, the junction rows, the users by username): no plain query at all.
    expect(stats.byEndpoint.query).toBeUndefined();
    expect(stats.byEndpoint.composite).toBeLessThanOrEqual(2);
    expect(stats.total).toBeLessThanOrEqual(9);
    expect([...userRows(org).values()].filter((rows) => rows.length === 1 && rows[0] === cfg).length).toBe(1000);
    const writes = spans.filter(([, , what]) => what.includes('/composite/sobjects'));
    const overlap = Math.max(...writes.map(([start]) => writes.filter(([s, e]) => s <= start && start < e).length));
    expect(overlap).toBeGreaterThan(1);
    expect(overlap).toBeLessThanOrEqual(5);
    // OMNI_ASSIGN_CONCURRENCY=1 makes them strictly sequential.
    csv('users2.csv', seeded(1, 1000).map((u) => [u, 'cfg2']));
    config('cfg2');
    spans.length = 0;
    moveMarks.length = 0;
    const serial = await omniWithEnv(org, work.dir, ['assign', 'apply', '--csv', 'users2.csv', '--json'], { OMNI_ASSIGN_CONCURRENCY: '1' });
    expect(serial.code, serial.stdout).toBe(0);
    // 1,000 moves: 5 Composite requests (each an atomic delete + create of 200), nothing else writes.
    const moves = spans.filter(([start, end, what]) => / \/services\/data\/v[\d.]+\/composite$/.test(what) && moveMarks.some((t) => start <= t && t <= end));
    expect(moves.length).toBe(5);
    expect(spans.filter(([, , what]) => what.includes('/composite/sobjects')).length).toBe(0);
    expect(Math.max(...moves.map(([start]) => moves.filter(([s, e]) => s <= start && start < e).length))).toBe(1);
  }, 60_000);

  it('selecting 1,500 of 5,000 users by username, and all 5,000 by a SOQL condition, takes a few paged reads, not one per user', async () => {
    const { org, work, config, csv } = await orgWith(5000);
    config('cfg');
    csv('some.csv', seeded(1, 1500).map((u) => [u, 'cfg']));
    org.resetStats();
    const p = await omni(org, work.dir, ['assign', 'plan', '--csv', 'some.csv', '--json']);
    expect(p.code, p.stdout).toBe(0);
    expect(p.json.result.summary.create).toBe(1500);
    // Session 2, then Composite requests of 5 query operations: users by username chunks, junction rows,
    // configurations, profile rows — a few requests, no plain query.
    expect(org.stats().byEndpoint.query).toBeUndefined();
    expect(org.stats().total).toBeLessThanOrEqual(6);
    org.resetStats();
    const q = await omni(org, work.dir, ['assign', 'plan', '--config', 'cfg', '--where', "ProfileId != null AND Username LIKE 'seed.%'", '--json']);
    expect(q.code, q.stdout).toBe(0);
    expect(q.json.result.summary.create).toBe(5000);
    expect(org.stats().byEndpoint.query).toBeUndefined();
    expect(org.stats().total).toBeLessThanOrEqual(6);
  }, 60_000);

  it('above 2,000 writes creates go through one Bulk 2.0 insert job; moves stay on atomic Composite requests (delete + create of 200 in one)', async () => {
    const { org, work, config, csv } = await orgWith(2800);
    const a = config('cfg_a');
    const b = config('cfg_b');
    const movers = seeded(1, 300).map((u) => userId(org, u));
    for (const id of movers) org.store.insert('PresenceUserConfigUser', { UserId: id, PresenceUserConfigId: a }, { system: true });
    csv('big.csv', seeded(1, 2800).map((u) => [u, 'cfg_b']));
    org.resetStats();
    const r = await omni(org, work.dir, ['assign', 'apply', '--csv', 'big.csv', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.summary).toMatchObject({ done: 2800, failed: 0 });
    const journal = JSON.parse(readFileSync(join(work.dir, r.json.result.journal), 'utf8'));
    expect(journal.bulkJobs.map((j: any) => `${j.operation} ${j.object} ${j.state}`)).toEqual(['insert PresenceUserConfigUser JobComplete']);
    const ops = journal.steps.map((s: any) => `${s.op} ${s.records}`);
    expect(ops).toContain('bulk-insert 2500');
    // 300 moves: a composite of 200 (400 records: 200 deletes + 200 creates) and one of 100.
    expect(ops.filter((o: string) => o.startsWith('move')).sort()).toEqual(['move 200', 'move 400']);
    expect(ops.filter((o: string) => o.startsWith('delete') || o.startsWith('create'))).toEqual([]);
    expect(ops.some((o: string) => o.startsWith('bulk-delete'))).toBe(false);
    const rows = userRows(org);
    expect(seeded(1, 2800).every((u) => JSON.stringify(rows.get(userId(org, u))) === JSON.stringify([b]))).toBe(true);
    expect(org.stats().total).toBeLessThanOrEqual(30);
  }, 60_000);
});

/** omni in-process with extra environment (and optionally a TTY stderr). */
const omniWithEnv = (org: LocalOrg, cwd: string, args: string[], extra: NodeJS.ProcessEnv, tty = false) =>
  omniInProcess(org, cwd, args, { env: extra, tty });

describe('journal, failures and undo', () => {
  it('the journal (0600, prior state of every subject) is on disk before the first write', async () => {
    const { org, work, config } = await orgWith(0);
    const a = config('cfg_a');
    config('cfg_b');
    org.store.insert('PresenceUserConfigUser', { UserId: userId(org, 'agent01@omni.local'), PresenceUserConfigId: a }, { system: true });
    const session = await sessionFor(org);
    const { desired } = desiredFromFlags({ config: 'cfg_b', users: ['agent01@omni.local', 'agent02@omni.local'], cwd: work.dir });
    const outcome = await planAssignments(session, desired, { prune: false });
    org.resetStats();
    let seen: any;
    const report = await applyPlan(session, outcome, {
      cwd: work.dir,
      source: 'test',
      onJournal: (file) => {
        seen = { writes: org.stats().writes, mode: statSync(file).mode & 0o777, journal: JSON.parse(readFileSync(file, 'utf8')) };
      },
    });
    expect(report.status).toBe('completed');
    expect(seen.writes).toBe(0);
    expect(seen.mode).toBe(0o600);
    expect(statSync(join(work.dir, '.omni', 'runs')).mode & 0o777).toBe(0o700);
    const prior = Object.fromEntries(seen.journal.subjects.map((s: any) => [s.name, [s.prior, s.status]]));
    expect(prior).toEqual({ 'agent01@omni.local': [a, 'pending'], 'agent02@omni.local': [null, 'pending'] });
    expect(org.stats().writes).toBeGreaterThan(0);
  });

  it('exit 68 with a failure per record (user, configuration, error code, message); a permanent error is not retried', async () => {
    const { org, work } = await orgWith(0);
    const a = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_a', MasterLabel: 'A', Capacity: 3 }, { system: true }).Id as string;
    const doomed = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_b', MasterLabel: 'B', Capacity: 3 }, { system: true }).Id as string;
    org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_c', MasterLabel: 'C', Capacity: 3 }, { system: true });
    org.store.insert('PresenceUserConfigUser', { UserId: userId(org, 'agent03@omni.local'), PresenceUserConfigId: a }, { system: true });
    writeFileSync(join(work.dir, 'mix.csv'), 'username,presenceConfig\nagent01@omni.local,cfg_c\nagent02@omni.local,cfg_b\nagent03@omni.local,cfg_b\n');
    const session = await sessionFor(org);
    const { desired } = desiredFromFlags({ csv: ['mix.csv'], cwd: work.dir });
    const outcome = await planAssignments(session, desired, { prune: false });
    org.resetStats();
    // The configuration cfg_b is deleted after the plan, once the journal is on disk and before any write:
    // every create of it then fails for good.
    const report = await applyPlan(session, outcome, { cwd: work.dir, source: 'mix.csv', onJournal: () => org.store.delete(doomed, { system: true }) });
    expect(exitStatus(report)).toBe(68);
    expect(report.status).toBe('partial');
    expect(report.summary).toMatchObject({ done: 1, failed: 2 });
    const failures = Object.fromEntries(report.failures.map((f) => [f.name, f]));
    expect(Object.keys(failures).sort()).toEqual(['agent02@omni.local', 'agent03@omni.local']);
    for (const f of Object.values(failures)) {
      expect(f).toMatchObject({ kind: 'user', configuration: 'cfg_b' });
      expect(f.errorCode).toMatch(/^[A-Z_]+$/);
      expect(f.message.length).toBeGreaterThan(10);
    }
    // agent03's move was rolled back as a whole: it keeps cfg_a, the row never went away.
    expect(failures['agent03@omni.local'].message).toContain('nothing changed');
    const rows = userRows(org);
    expect(rows.get(userId(org, 'agent03@omni.local'))).toEqual([a]);
    expect(rows.get(userId(org, 'agent02@omni.local'))).toBeUndefined();
    // One Composite (the move and the creates, rolled back), then the one valid create alone. No retry of the permanent errors.
    const stats = org.stats();
    expect(stats.byEndpoint.composite).toBe(1);
    expect(stats.byEndpoint['composite/sobjects']).toBe(1);
    expect(stats.byMethod.DELETE).toBeUndefined();
  });

  it('a user changed by someone else during the run is reported as CONCURRENT_CHANGE and left alone', async () => {
    const { org, work, config } = await orgWith(0);
    const a = config('cfg_a');
    config('cfg_b');
    const other = config('cfg_other');
    const [u1, u2, u3] = ['agent01@omni.local', 'agent02@omni.local', 'agent03@omni.local'].map((u) => userId(org, u));
    org.store.insert('PresenceUserConfigUser', { UserId: u1, PresenceUserConfigId: a }, { system: true });
    const session = await sessionFor(org);
    const { desired } = desiredFromFlags({ config: 'cfg_b', users: ['agent01@omni.local', 'agent02@omni.local', 'agent03@omni.local'], cwd: work.dir });
    const outcome = await planAssignments(session, desired, { prune: false });
    expect(outcome.plan.summary).toMatchObject({ move: 1, create: 2 });
    // Between plan and apply an admin moves agent01 to cfg_other and gives agent02 cfg_other in Setup.
    const row1 = [...org.store.all('PresenceUserConfigUser')].find((r) => r.UserId === u1)!;
    org.store.delete(String(row1.Id), { system: true });
    org.store.insert('PresenceUserConfigUser', { UserId: u1, PresenceUserConfigId: other }, { system: true });
    org.store.insert('PresenceUserConfigUser', { UserId: u2, PresenceUserConfigId: other }, { system: true });
    const report = await applyPlan(session, outcome, { cwd: work.dir, source: 'test' });
    expect(report.status).toBe('partial');
    expect(exitStatus(report)).toBe(68);
    const failures = Object.fromEntries(report.failures.map((f) => [f.name, f]));
    expect(Object.keys(failures).sort()).toEqual(['agent01@omni.local', 'agent02@omni.local']);
    for (const f of Object.values(failures)) {
      expect(f.errorCode).toBe('CONCURRENT_CHANGE');
      expect(f.message).toContain('cfg_other');
    }
    const rows = userRows(org);
    expect(rows.get(u1)).toEqual([other]);
    expect(rows.get(u2)).toEqual([other]);
    expect(rows.get(u3)).toEqual([outcome.plan.items.find((i) => i.name === 'agent03@omni.local')!.toConfigId]);
  });

  it('undo is a journalled run of its own (0600, undoOf) and can itself be undone', async () => {
    const { org, work, config } = await orgWith(0);
    const a = config('cfg_a');
    const b = config('cfg_b');
    org.store.insert('PresenceUserConfigUser', { UserId: userId(org, 'agent01@omni.local'), PresenceUserConfigId: a }, { system: true });
    const before = JSON.stringify([...userRows(org)].sort());
    const applied = await omni(org, work.dir, ['assign', 'apply', '--config', 'cfg_b', '--user', 'agent01@omni.local', '--user', 'agent02@omni.local', '--json']);
    expect(applied.code, applied.stdout).toBe(0);
    const after = JSON.stringify([...userRows(org)].sort());
    const undo = await omni(org, work.dir, ['assign', 'undo', applied.json.result.runId, '--json']);
    expect(undo.code, undo.stdout).toBe(0);
    expect(JSON.stringify([...userRows(org)].sort())).toBe(before);
    expect(undo.json.result.runId).not.toBe(applied.json.result.runId);
    const file = join(work.dir, undo.json.result.journal);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const journal = JSON.parse(readFileSync(file, 'utf8'));
    expect(journal).toMatchObject({ command: 'undo', undoOf: applied.json.result.runId, status: 'completed' });
    expect(undo.json.result.undoOf).toBe(applied.json.result.runId);
    const subjects = Object.fromEntries(journal.subjects.map((s: any) => [s.name, [s.prior, s.target]]));
    expect(subjects).toEqual({ 'agent01@omni.local': [b, a], 'agent02@omni.local': [b, null] });
    // In text, the undo names the run it restored (here an undo of the undo).
    const redo = await omni(org, work.dir, ['assign', 'undo', undo.json.result.runId]);
    expect(redo.code, redo.stdout).toBe(0);
    expect(redo.stdout).toContain(`Undo of run ${undo.json.result.runId}:`);
    expect(JSON.stringify([...userRows(org)].sort())).toBe(after);
    const again = await omni(org, work.dir, ['assign', 'undo', undo.json.result.runId]);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain(`Nothing to undo: what run ${undo.json.result.runId} changed already holds its prior configuration.`);
  });
});

describe('progress bar', () => {
  it('drawn on a TTY for more than 200 changes; silent under --json and under CI=true', async () => {
    const { org, work, config, csv } = await orgWith(700);
    for (const c of ['p1', 'p2', 'p3']) config(c);
    for (const c of ['p1', 'p2', 'p3']) csv(`${c}.csv`, seeded(1, 700).map((u) => [u, c]));
    const tty = await omniWithEnv(org, work.dir, ['assign', 'apply', '--csv', 'p1.csv'], { CI: undefined }, true);
    expect(tty.code, tty.stderr).toBe(0);
    expect(tty.stderr).toMatch(/Assigning \[#*-*\] \d+\/700/);
    expect(tty.stderr).toContain('Assigning done (700)');
    const json = await omniWithEnv(org, work.dir, ['assign', 'apply', '--csv', 'p2.csv', '--json'], { CI: undefined }, true);
    expect(json.code, json.stdout).toBe(0);
    expect(json.json.result.summary.done).toBe(700);
    expect(json.stderr).toBe('');
    const ci = await omniWithEnv(org, work.dir, ['assign', 'apply', '--csv', 'p3.csv'], { CI: 'true' }, true);
    expect(ci.code, ci.stderr).toBe(0);
    expect(ci.stdout).toContain('700 done');
    expect(ci.stderr).not.toContain('Assigning');
  }, 60_000);
});
