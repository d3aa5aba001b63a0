/**
 * kill -9 safety, measured: the real `omni assign apply` is killed with SIGKILL at random moments (seeded),
 * 22 trials over 3,000+ agents — moves and creates on a healthy org, the same on an org with 10% faults,
 * and creates through a Bulk API 2.0 job (some kills while the job is open or running). After each kill,
 * before any resume, every agent holds exactly one configuration — its prior or its target — or, for an
 * agent that had none, none or its target; never two; the org's invariant counter never dipped below the
 * users who had one. Then `omni assign resume` (in-process, same alias; or nothing, if the kill came before the journal, i.e.
 * before any write) converges to the target exactly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/server.ts';
import { prng } from '../../local-org/faults.ts';
import { seedUsername } from '../../local-org/seed.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { aliasFor } from './cli-org.ts';
import { omniWithHome } from '../helpers/omni.ts';
import { tempDir, userRows } from './helpers.ts';

const AGENTS = 3000;
const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Scenario {
  name: string;
  trials: number;
  org: Parameters<typeof startTestOrg>[0];
  /** Before each trial: the rows as they should be (by store writes); returns the target of each agent. */
  prepare(org: LocalOrg, ids: string[], trial: number, cfg: { a: string; b: string }, random: () => number): Map<string, string>;
  /** Kill moments, ms after the journal appears (0 = as soon as it exists). */
  killAfterMs(random: () => number): number;
}

const scenarios: Scenario[] = [
  {
    name: 'moves and creates, healthy org',
    trials: 8,
    // Latency keeps a run long enough (≈ 1 s after its journal) that the kill moments below land mid-run on an
    // idle machine too; at 20 ms most runs finished before the kill when the machine was not loaded.
    org: { latencyMs: 80 },
    prepare: movesAndCreates,
    killAfterMs: (r) => Math.floor(r() * 400),
  },
  {
    name: 'moves and creates, 10% faults',
    trials: 8,
    org: { latencyMs: 50, faultRate: 0.1, faultSeed: 5 },
    prepare: movesAndCreates,
    killAfterMs: (r) => Math.floor(r() * 500),
  },
  {
    name: 'creates through a Bulk API 2.0 job',
    trials: 6,
    org: { latencyMs: 80 },
    prepare: (org, ids, trial, { a, b }) => {
      // Everyone starts with nothing: 3,000 creates go through one Bulk insert job.
      for (const row of [...org.store.all('PresenceUserConfigUser')]) org.store.delete(row.Id, { system: true });
      return new Map(ids.map((id) => [id, trial % 2 ? a : b]));
    },
    // Spread kills over upload, processing and results: on an idle machine the whole run after its journal
    // takes ≈ 0.5–0.8 s at this latency, so later kill moments would mostly find it finished.
    killAfterMs: (r) => Math.floor(r() * 450),
  },
];

/** Everyone ends on the other configuration than now (a move), except 300 random agents first put on none (creates). */
function movesAndCreates(org: LocalOrg, ids: string[], trial: number, { a, b }: { a: string; b: string }, random: () => number): Map<string, string> {
  const rows = new Map<string, string>();
  for (const row of org.store.all('PresenceUserConfigUser')) rows.set(String(row.UserId), String(row.Id));
  const target = trial % 2 ? a : b;
  let dropped = 0;
  for (const id of ids) {
    if (!rows.has(id)) org.store.insert('PresenceUserConfigUser', { UserId: id, PresenceUserConfigId: target === a ? b : a }, { system: true });
  }
  for (const id of ids) {
    if (dropped < 300 && random() < 0.1) {
      const row = [...org.store.all('PresenceUserConfigUser')].find((r) => r.UserId === id);
      if (row) org.store.delete(row.Id, { system: true });
      dropped++;
    }
  }
  return new Map(ids.map((id) => [id, target]));
}

describe.each(scenarios)('kill -9 loop: $name ($trials trials, 3,000+ agents)', (scenario) => {
  it('after every kill each agent holds its prior or its target (one row); resume converges', async () => {
    const org = await startTestOrg({ seedUsers: AGENTS, ...scenario.org });
    const work = tempDir();
    cleanups.push(() => org.stop(), work.cleanup);
    const alias = await aliasFor(org, 'kill-loop');
    cleanups.push(alias.cleanup);
    const a = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_a', MasterLabel: 'A', Capacity: 3 }, { system: true }).Id;
    const b = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_b', MasterLabel: 'B', Capacity: 3 }, { system: true }).Id;
    const usernames = Array.from({ length: AGENTS }, (_, i) => seedUsername(i + 1));
    const ids = usernames.map((u) => String(org.store.lookup('User', 'Username', u)![0].Id));
    const name = (config: string) => (config === a ? 'cfg_a' : 'cfg_b');
    const random = prng(0xc0ffee + scenario.trials);
    const runsDir = join(work.dir, '.omni', 'runs');
    const outcomes: string[] = [];
    const resumes: string[] = [];
    let bulkJobsSeen = 0;

    for (let trial = 0; trial < scenario.trials; trial++) {
      const target = scenario.prepare(org, ids, trial, { a, b }, random);
      const prior = userRows(org);
      const configuredBefore = ids.filter((id) => (prior.get(id) ?? []).length > 0).length;
      writeFileSync(join(work.dir, 'target.csv'), ['username,presenceConfig', ...usernames.map((u, i) => `${u},${name(target.get(ids[i])!)}`)].join('\n') + '\n');
      org.resetInvariant();
      const known = new Set(existsSync(runsDir) ? readdirSync(runsDir) : []);
      const run = alias.cli(['assign', 'apply', '--csv', 'target.csv'], work.dir);
      const fresh = () => (existsSync(runsDir) ? readdirSync(runsDir).filter((f) => f.endsWith('.json') && !known.has(f)) : []);
      // Wait for the journal (written before the first write), then kill at a random moment after it.
      let exited = false;
      void run.done.then(() => (exited = true));
      for (let i = 0; i < 6000 && !fresh().length && !exited; i++) await new Promise((r) => setTimeout(r, 5));
      const delay = scenario.killAfterMs(random);
      await new Promise((r) => setTimeout(r, delay));
      run.child.kill('SIGKILL');
      const result = await run.done;
      const [journal] = fresh();
      outcomes.push(`${trial}:${result.signal ?? `exit ${result.code}`}+${delay}ms`);

      // Before any resume: nobody lost a configuration, nobody holds two.
      const now = userRows(org);
      const bad = ids.filter((id) => {
        const rows = now.get(id) ?? [];
        const was = prior.get(id) ?? [];
        if (rows.length > 1) return true;
        if (rows.length === 0) return was.length > 0;
        return rows[0] !== target.get(id) && rows[0] !== was[0];
      });
      expect(bad.slice(0, 5), `trial ${trial} (${outcomes.at(-1)})`).toEqual([]);
      expect(org.invariant().minConfiguredUsers, `trial ${trial}`).toBeGreaterThanOrEqual(configuredBefore);
      if (org.stats().byEndpoint['bulk2/ingest']) bulkJobsSeen++;

      // Resume (a journal exists as soon as anything may have been written), then the org is exactly the target.
      if (journal) {
        // `omni assign resume` (the CLI entry in-process, same alias and HOME: the killed process is what is
        // under test, the resume reads the journal it left). A resume that meets a run of faults stops with
        // RETRIES_EXHAUSTED (exit 68) and stays resumable: resume again, as an admin would, at most three times.
        const runId = journal.replace(/\.json$/, '');
        const resume = () => omniWithHome(work.dir, ['assign', 'resume', runId, '--target-org', alias.alias, '--json'], alias.env);
        let resumed = await resume();
        for (let again = 0; again < 2 && resumed.code === 68; again++) {
          resumes.push(`trial ${trial}: resumed again after ${resumed.json?.result?.failures?.length} failures`);
          resumed = await resume();
        }
        expect(resumed.code, `trial ${trial}: ${resumed.stdout.slice(0, 600)}${resumed.stderr.slice(0, 300)}`).toBe(0);
      } else {
        expect(now).toEqual(prior);
        continue;
      }
      const after = userRows(org);
      expect(ids.filter((id) => JSON.stringify(after.get(id)) !== JSON.stringify([target.get(id)])).length, `trial ${trial}`).toBe(0);
      org.resetStats();
    }
    if (resumes.length) console.log(`${scenario.name}: ${resumes.join('; ')}`);
    console.log(`${scenario.name}: ${outcomes.join(' ')}`);
    // The kills landed mid-run (not all after the process had finished by itself).
    expect(outcomes.filter((o) => o.includes('SIGKILL')).length, outcomes.join(' ')).toBeGreaterThanOrEqual(Math.ceil(scenario.trials / 2));
    if (scenario.name.includes('Bulk')) expect(bulkJobsSeen).toBeGreaterThan(0);
  }, 600_000);
});
