/**
 * The faulted-move scenario of the safety issue, as an admin runs it: 5,010 agents, 5,000 split 50/50
 * between two configurations and 10 on none, in a local org with `--latency-ms 5 --fault-rate 0.1
 * --fault-seed S`; `omni assign apply --csv` (sf alias with a refresh token) moving half of the 5,000 and
 * creating the 10. It must finish by itself within 300 s with every agent on its target or prior configuration
 * (never none, never two, the org's invariant counter never below 5,000), and re-runs converge: the next one
 * finishes the rest, the one after writes nothing.
 *
 * The org is seeded in-process before any request (the faults apply to HTTP requests only, so the requests and
 * their faults are those of the reproduction, where the org was restarted on its seeded state file). It
 * keeps no state file: saving 10,000 rows before every reply (the org's durability, under test in
 * kill-loop.test.ts) cost ≈ 0.7 s of CPU per seed here. The first apply of the seed (7) is the admin's
 * process, spawned; the other seeds run the same command line through the CLI entry in-process, as the re-runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedUsername } from '../../local-org/seed.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { aliasFor } from './cli-org.ts';
import { omniWithHome } from '../helpers/omni.ts';
import { tempDir, userRows } from './helpers.ts';

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe.each([7, 13, 29])('5,010 agents, latency 5 ms, fault rate 0.1, seed %i', (seed) => {
  it('finishes within 300 s, every agent on its prior or target, re-runs converge to 0 writes', async () => {
    const work = tempDir();
    cleanups.push(work.cleanup);
    const org = await startTestOrg({ seedUsers: 5000, latencyMs: 5, faultRate: 0.1, faultSeed: seed });
    cleanups.push(() => org.stop());
    const a = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_a', MasterLabel: 'A', Capacity: 3 }, { system: true }).Id;
    const b = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_b', MasterLabel: 'B', Capacity: 3 }, { system: true }).Id;
    const seeded = Array.from({ length: 5000 }, (_, i) => seedUsername(i + 1));
    const fresh = Array.from({ length: 10 }, (_, i) => `agent${String(i + 1).padStart(2, '0')}@omni.local`);
    const idOf = (u: string) => String(org.store.lookup('User', 'Username', u)![0].Id);
    const prior = new Map<string, string | null>();
    const target = new Map<string, string>();
    const csv = ['username,presenceConfig'];
    seeded.forEach((u, i) => {
      const held = i < 2500 ? a : b;
      org.store.insert('PresenceUserConfigUser', { UserId: idOf(u), PresenceUserConfigId: held }, { system: true });
      prior.set(u, held);
      // Every other agent moves to the other configuration; the rest are listed as they are.
      const goal = i % 2 === 0 ? (held === a ? b : a) : held;
      target.set(u, goal);
      csv.push(`${u},${goal === a ? 'cfg_a' : 'cfg_b'}`);
    });
    for (const u of fresh) {
      prior.set(u, null);
      target.set(u, b);
      csv.push(`${u},cfg_b`);
    }
    writeFileSync(join(work.dir, 'moves.csv'), csv.join('\n') + '\n');
    const ids = new Map([...prior.keys()].map((u) => [u, idOf(u)]));
    org.resetInvariant();
    const alias = await aliasFor(org, `fault-${seed}`);
    cleanups.push(alias.cleanup);

    // The re-runs (and the first run of the other seeds) through the CLI entry in-process, same alias and HOME.
    const inProcess = () => omniWithHome(work.dir, ['assign', 'apply', '--csv', 'moves.csv', '--target-org', alias.alias, '--json'], alias.env);
    const started = Date.now();
    const first = seed === 7 ? await alias.cli(['assign', 'apply', '--csv', 'moves.csv'], work.dir).done : await inProcess();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(300_000);
    expect([0, 68], first.stdout + first.stderr).toContain(first.code);
    expect(first.json.result.summary.subjects).toBe(2510);

    const rows = userRows(org);
    const bad: string[] = [];
    for (const [u, id] of ids) {
      const held = rows.get(id) ?? [];
      const was = prior.get(u);
      const ok = held.length === 1 ? held[0] === target.get(u) || held[0] === was : held.length === 0 && was === null;
      if (!ok) bad.push(`${u}: was ${was}, now ${held.join('+') || 'none'}`);
    }
    expect(bad).toEqual([]);
    expect(org.invariant().minConfiguredUsers).toBeGreaterThanOrEqual(5000);
    expect(Object.values(org.stats().faults).reduce((n, v) => n + v, 0)).toBeGreaterThan(0);

    // Re-run: converges (finishes whatever a failed chunk left); the one after writes nothing.
    const second = await inProcess();
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const now = userRows(org);
    expect([...ids].filter(([u, id]) => JSON.stringify(now.get(id)) !== JSON.stringify([target.get(u)]))).toEqual([]);
    org.resetStats();
    const third = await inProcess();
    expect(third.code, third.stdout + third.stderr).toBe(0);
    expect(third.json.result.status).toBe('unchanged');
    expect(org.stats().writes).toBe(0);
  }, 400_000);
});
