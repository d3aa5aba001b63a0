/**
 * Faults: 10% of requests fail (503, 500, UNABLE_TO_LOCK_ROW, dropped connections, 401 cured by refresh).
 * Whatever happens, every user holds either the configuration they had or the one they should get —
 * never none where they had one, never two — and a re-run converges, and undo restores the prior state.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startTestOrg } from '../helpers/local-org.ts';
import type { LocalOrg } from '../../local-org/server.ts';
import { desiredFromFlags, type DesiredAssignments } from '../../scripts/assign/config.ts';
import { applyPlan, planAssignments, resumeRun, undoRun } from '../../scripts/assign/run.ts';
import type { RetryPolicy } from '../../scripts/assign/api.ts';
import { seedUsername } from '../../local-org/seed.ts';
import { sessionFor, tempDir, userRows } from './helpers.ts';

const USERS = 5000;
const FAST: RetryPolicy = { attempts: 8, baseMs: 5, maxMs: 100 };
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

function snapshot(org: LocalOrg, ids: string[]): Map<string, string[]> {
  const rows = userRows(org);
  return new Map(ids.map((id) => [id, rows.get(id) ?? []]));
}

/** Either prior or target, exactly one row when any was held. */
function assertSafe(org: LocalOrg, ids: string[], prior: Map<string, string[]>, target: Map<string, string>) {
  const now = snapshot(org, ids);
  const bad: string[] = [];
  for (const id of ids) {
    const rows = now.get(id)!;
    const before = prior.get(id)!;
    const ok = (rows.length === 1 && (rows[0] === target.get(id) || rows[0] === before[0])) || (rows.length === 0 && before.length === 0);
    if (!ok) bad.push(`${id}: before ${before} now ${rows}`);
  }
  expect(bad.slice(0, 5)).toEqual([]);
}

// The last case raises the rate and serialises requests so that every fault kind is met (asserted below).
describe.each([
  { seed: 1, bulkThreshold: 2000, faultRate: 0.1, concurrency: 5 },
  { seed: 7, bulkThreshold: 2000, faultRate: 0.1, concurrency: 5 },
  { seed: 42, bulkThreshold: Infinity, faultRate: 0.1, concurrency: 5 },
  { seed: 11, bulkThreshold: Infinity, faultRate: 0.3, concurrency: 1 },
])(`${USERS} users, faultRate $faultRate, seed $seed, bulk above $bulkThreshold, concurrency $concurrency`, ({ seed, bulkThreshold, faultRate, concurrency }) => {
  it('apply, interrupted apply + resume, re-run and undo keep every user safe', async () => {
    const org = await startTestOrg({ seedUsers: USERS, faultRate, faultSeed: seed });
    const work = tempDir();
    cleanups.push(() => org.stop(), work.cleanup);
    // Set up through the store: setup requests would draw faults too.
    const a = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_a', MasterLabel: 'A', Capacity: 3 }, { system: true }).Id;
    const b = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_b', MasterLabel: 'B', Capacity: 3 }, { system: true }).Id;
    const usernames = Array.from({ length: USERS }, (_, i) => seedUsername(i + 1));
    const ids = usernames.map((u) => String([...org.store.lookup('User', 'Username', u)!][0].Id));
    // Prior state: the first half hold cfg_a.
    for (const id of ids.slice(0, USERS / 2)) org.store.insert('PresenceUserConfigUser', { UserId: id, PresenceUserConfigId: a }, { system: true });
    const prior = snapshot(org, ids);
    // Desired: the first 1,500 move to cfg_b, the rest of the first half keep cfg_a, the second half get cfg_b.
    const target = new Map(ids.map((id, i) => [id, i < 1500 || i >= USERS / 2 ? b : a]));
    const desired: DesiredAssignments = desiredFromFlags({ cwd: work.dir }).desired;
    desired.configs.push({ name: 'cfg_a', origin: { file: 't' } }, { name: 'cfg_b', origin: { file: 't' } });
    usernames.forEach((u, i) => {
      desired.users.push({ kind: 'username', value: u, config: target.get(ids[i]) === a ? 'cfg_a' : 'cfg_b', origin: { file: 't', line: i + 1 } });
    });

    const faulty = org;
    const session = await sessionFor(faulty);
    const exec = { cwd: work.dir, source: 'test', retry: FAST, bulkThreshold, concurrency };

    // 1. An apply interrupted (SIGINT-style) after some progress.
    const signal = { stopping: false };
    const outcome = await planAssignments(session, desired, { prune: false, retry: FAST });
    expect(outcome.plan.conflicts).toEqual([]);
    expect(outcome.plan.summary).toMatchObject({ create: 2500, move: 1500, unchanged: 1000 });
    // Interrupt as soon as the first moves are being written (or the Bulk job runs).
    await fetch(`${faulty.instanceUrl}/__local/invariant/reset`, { method: 'POST' });
    const configuredBefore = faulty.invariant().configuredUsers;
    const watch = setInterval(() => {
      const stats = faulty.stats();
      if ((stats.byEndpoint.composite ?? 0) >= 1 || (stats.byEndpoint['bulk2/ingest'] ?? 0) >= 2) signal.stopping = true;
    }, 2);
    const first = await applyPlan(session, outcome, { ...exec, signal }).finally(() => clearInterval(watch));
    assertSafe(faulty, ids, prior, target);
    expect(first.status).toBe('interrupted');
    expect(first.summary.pending).toBeGreaterThan(0);

    // 2. Resume it.
    const resumed = await resumeRun(session, first.runId!, exec);
    assertSafe(faulty, ids, prior, target);
    for (const f of resumed.failures) expect(f.errorCode).toMatch(/^[A-Z_]+$/);

    // 3. A final re-run converges to the desired state exactly.
    const again = await planAssignments(session, desired, { prune: false, retry: FAST });
    await applyPlan(session, again, exec);
    const converged = snapshot(faulty, ids);
    // Between any two requests of all of that, nobody who held a configuration was without one.
    expect(faulty.invariant().minConfiguredUsers).toBeGreaterThanOrEqual(configuredBefore);
    const wrong = ids.filter((id) => JSON.stringify(converged.get(id)) !== JSON.stringify([target.get(id)]));
    expect(wrong.length).toBe(0);
    const faults = faulty.stats().faults;
    expect(Object.values(faults).reduce((n, v) => n + v, 0)).toBeGreaterThan(0);
    // Every kind of transient fault met and survived: 503, 500 UNKNOWN_EXCEPTION, UNABLE_TO_LOCK_ROW,
    // dropped connections, and 401 (token revoked, cured by a refresh).
    if (faultRate >= 0.3) expect(Object.keys(faults).sort()).toEqual(['drop', 'lock-row', 'session', 'unavailable', 'unknown-exception']);

    // 4. Undo the first run: the exact prior state.
    const undone = await undoRun(session, first.runId!, exec);
    expect(undone.status === 'completed' || undone.status === 'partial').toBe(true);
    let after = snapshot(faulty, ids);
    let diff = ids.filter((id) => JSON.stringify(after.get(id)) !== JSON.stringify(prior.get(id)));
    if (undone.status === 'partial') {
      // A permanent failure would be listed; resuming the undo run finishes it.
      await resumeRun(session, undone.runId!, exec);
      after = snapshot(faulty, ids);
      diff = ids.filter((id) => JSON.stringify(after.get(id)) !== JSON.stringify(prior.get(id)));
    }
    expect(diff.length).toBe(0);
  }, 240_000);
});

