/**
 * The real CLI, killed mid-apply (SIGINT, then SIGKILL; also SIGKILL while a Bulk 2.0 job is open or
 * running) against a local org with latency: the journal on disk lets resume and undo finish the job with
 * the same guarantees. The killed runs are real processes; what follows a kill runs in-process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/server.ts';
import { seedUsername } from '../../local-org/seed.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { OMNI_BIN } from '../helpers/paths.ts';
import { watchRun } from './cli-org.ts';
import { killingProxy } from './kill-proxy.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { tempDir, userRows } from './helpers.ts';

const SEEDED = 1500;
let org: LocalOrg;
let work: ReturnType<typeof tempDir>;
let ids: string[];
let a: string;
let b: string;
let prior: Map<string, string[]>;

beforeAll(async () => {
  org = await startTestOrg({ seedUsers: SEEDED, latencyMs: 150 });
  work = tempDir();
  a = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_a', MasterLabel: 'A', Capacity: 3 }, { system: true }).Id;
  b = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_b', MasterLabel: 'B', Capacity: 3 }, { system: true }).Id;
  const profile = [...org.store.all('Profile')].find((p) => p.Name === 'Custom: Support Agent')!.Id;
  ids = [...org.store.all('User')].filter((u) => u.ProfileId === profile).map((u) => String(u.Id));
  // 1,100 seeded agents hold cfg_a before: the file moves them. Chunks of 200, creates first: 2 of creates,
  // one of 10 creates + 190 moves, then 5 of moves — after the first move is journalled 5 composites are
  // still to go (≥ 0.75 s at 150 ms latency), so a signal sent then lands mid-run even when a loaded
  // machine polls the journal late (with 400 moves one was left, and under load the run could finish first).
  for (let n = 1; n <= 1100; n++) {
    const id = [...org.store.lookup('User', 'Username', seedUsername(n))!][0].Id;
    org.store.insert('PresenceUserConfigUser', { UserId: id, PresenceUserConfigId: a }, { system: true });
  }
  prior = snapshot();
  writeFileSync(join(work.dir, 'all.yaml'), 'presenceConfigurations:\n  cfg_b:\n    users:\n      profiles: ["Custom: Support Agent"]\n');
});
afterAll(async () => {
  await org?.stop();
  work?.cleanup();
});

function snapshot(): Map<string, string[]> {
  const rows = userRows(org);
  return new Map(ids.map((id) => [id, rows.get(id) ?? []]));
}

function cli(args: string[], target: { org: LocalOrg; dir: string } = { org, dir: work.dir }) {
  const child = spawn(process.execPath, [OMNI_BIN, ...args, '--instance-url', target.org.instanceUrl, '--json'], {
    cwd: target.dir,
    env: { ...process.env, SF_ACCESS_TOKEN: target.org.accessToken, CI: 'true', OMNI_ASSIGN_CONCURRENCY: '1', SF_DISABLE_TELEMETRY: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watchRun(child);
}

/**
 * The commands after a kill (resume, undo, a re-run), in-process: what is under test there is the journal the
 * killed process left, not a process boundary. Same flags and environment as `cli`.
 */
async function afterKill(args: string[], target: { org: LocalOrg; dir: string } = { org, dir: work.dir }) {
  return omniInProcess(target.org, target.dir, [...args, '--json'], { env: { OMNI_ASSIGN_CONCURRENCY: '1' } });
}

/** Resolves with the run id once a journal in the work folder records `minSteps` completed writes. */
async function journalProgress(minSteps: number, op: string, known: Set<string>): Promise<string> {
  const dir = join(work.dir, '.omni', 'runs');
  for (let i = 0; i < 3000; i++) {
    if (existsSync(dir)) {
      for (const f of readdirSync(dir).filter((f) => f.endsWith('.json') && !known.has(f))) {
        try {
          const j = JSON.parse(readFileSync(join(dir, f), 'utf8'));
          if (j.steps.filter((s: any) => s.op === op && s.ok > 0).length >= minSteps) return j.runId;
        } catch {
          // Not there yet: the journal is renamed into place, never half-written, but it may not exist.
        }
      }
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the journal never showed progress');
}

const runs = () => new Set(existsSync(join(work.dir, '.omni', 'runs')) ? readdirSync(join(work.dir, '.omni', 'runs')) : []);

function assertSafe() {
  const now = snapshot();
  const bad = ids.filter((id) => {
    const rows = now.get(id)!;
    const before = prior.get(id)!;
    return !((rows.length === 1 && (rows[0] === b || rows[0] === before[0])) || (rows.length === 0 && before.length === 0));
  });
  expect(bad).toEqual([]);
}

describe('killing omni assign apply', () => {
  it('SIGINT: in-flight requests finish, exit 130 with resume/undo; resume converges; undo restores', async () => {
    const before = runs();
    const run = cli(['assign', 'apply', '--file', 'all.yaml']);
    const runId = await journalProgress(1, 'move', before);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.json.result).toMatchObject({ runId, status: 'interrupted', resume: `omni assign resume ${runId}`, undo: `omni assign undo ${runId}` });
    expect(result.json.result.summary.pending).toBeGreaterThan(0);
    assertSafe();
    const journal = JSON.parse(readFileSync(join(work.dir, '.omni', 'runs', `${runId}.json`), 'utf8'));
    expect(journal.status).toBe('interrupted');

    const resumed = await afterKill(['assign', 'resume', runId]);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect([...snapshot().values()].every((rows) => rows.length === 1 && rows[0] === b)).toBe(true);

    const undone = await afterKill(['assign', 'undo', runId]);
    expect(undone.code, undone.stdout + undone.stderr).toBe(0);
    expect(snapshot()).toEqual(prior);
  }, 120_000);

  it('SIGKILL mid-move: undo restores the exact prior state, resume (of a second kill) converges', async () => {
    let before = runs();
    const first = cli(['assign', 'apply', '--file', 'all.yaml']);
    const runId = await journalProgress(1, 'move', before);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    const undone = await afterKill(['assign', 'undo', runId]);
    expect(undone.code, undone.stdout + undone.stderr).toBe(0);
    expect(snapshot()).toEqual(prior);

    before = runs();
    const second = cli(['assign', 'apply', '--file', 'all.yaml']);
    const runId2 = await journalProgress(2, 'create', before);
    second.child.kill('SIGKILL');
    await second.done;
    const journal = JSON.parse(readFileSync(join(work.dir, '.omni', 'runs', `${runId2}.json`), 'utf8'));
    expect(journal.status).toBe('running');
    expect(journal.subjects.some((s: any) => s.status === 'pending')).toBe(true);
    const resumed = await afterKill(['assign', 'resume', runId2]);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect([...snapshot().values()].every((rows) => rows.length === 1 && rows[0] === b)).toBe(true);
    const again = await afterKill(['assign', 'apply', '--file', 'all.yaml']);
    expect(again.json.result.status).toBe('unchanged');
  }, 120_000);
});

describe('SIGKILL during a Bulk API 2.0 job', () => {
  it('killed with the job open: undo aborts it and restores the prior state; killed once the job is closed: resume waits for it and converges', async () => {
    // 2,510 agents, 200 of them holding cfg_a: 2,310 creates go through a Bulk insert job (moves follow on Collections).
    const bulkOrg = await startTestOrg({ seedUsers: 2500, latencyMs: 40 });
    const dir = tempDir();
    try {
      const cfgA = bulkOrg.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_a', MasterLabel: 'A', Capacity: 3 }, { system: true }).Id;
      const cfgB = bulkOrg.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_b', MasterLabel: 'B', Capacity: 3 }, { system: true }).Id;
      const profile = [...bulkOrg.store.all('Profile')].find((p) => p.Name === 'Custom: Support Agent')!.Id;
      const agents = [...bulkOrg.store.all('User')].filter((u) => u.ProfileId === profile).map((u) => String(u.Id));
      expect(agents.length).toBe(2510);
      for (const id of agents.slice(0, 200)) bulkOrg.store.insert('PresenceUserConfigUser', { UserId: id, PresenceUserConfigId: cfgA }, { system: true });
      const rowsNow = () => {
        const all = userRows(bulkOrg);
        return new Map(agents.map((id) => [id, all.get(id) ?? []]));
      };
      const before = rowsNow();
      const safe = () => {
        const now = rowsNow();
        return agents.filter((id) => {
          const rows = now.get(id)!;
          const was = before.get(id)!;
          return !((rows.length === 1 && (rows[0] === cfgB || rows[0] === was[0])) || (rows.length === 0 && was.length === 0));
        });
      };
      writeFileSync(join(dir.dir, 'all.yaml'), 'presenceConfigurations:\n  cfg_b:\n    users:\n      profiles: ["Custom: Support Agent"]\n');
      const target = { org: bulkOrg, dir: dir.dir };
      const journalOf = (runId: string) => JSON.parse(readFileSync(join(dir.dir, '.omni', 'runs', `${runId}.json`), 'utf8'));
      const onlyRun = (known: Set<string>) => readdirSync(join(dir.dir, '.omni', 'runs')).filter((f) => f.endsWith('.json') && !known.has(f)).map((f) => f.replace(/\.json$/, ''));

      // 1. Killed right after the CSV upload, the job still open: through a proxy that lets the upload reach
      // the org and kills the run before it sees the answer, so it can never close the job first (killing on
      // the org's log line raced the run's next request on a loaded machine).
      const front = await killingProxy(bulkOrg);
      const viaProxy = { org: { ...bulkOrg, instanceUrl: front.url }, dir: dir.dir };
      let first: ReturnType<typeof cli> | undefined;
      try {
        front.arm({ match: (r) => r.method === 'PUT' && /\/jobs\/ingest\/\w+\/batches$/.test(r.path), nth: 1, at: 'answered' }, () => first?.child.kill('SIGKILL'));
        first = cli(['assign', 'apply', '--file', 'all.yaml'], viaProxy);
        expect((await first.done).signal).toBe('SIGKILL');
        expect(front.disarm()).toBe(true);
      } catch (error) {
        await front.close();
        throw error;
      }
      const [runId] = onlyRun(new Set());
      expect(journalOf(runId).bulkJobs.map((j: any) => `${j.operation} ${j.state}`)).toEqual(['insert Open']);
      expect(safe()).toEqual([]);
      const undone = await afterKill(['assign', 'undo', runId], target);
      expect(undone.code, undone.stdout + undone.stderr).toBe(0);
      expect(journalOf(runId).bulkJobs[0].state).toBe('Aborted');
      expect(rowsNow()).toEqual(before);

      // 2. Killed as the upload is closed (the org has the job UploadComplete, the run never sees the answer):
      // the job runs on in the org after the process is gone.
      const known = new Set(readdirSync(join(dir.dir, '.omni', 'runs')));
      let second: ReturnType<typeof cli> | undefined;
      try {
        front.arm({ match: (r) => r.method === 'PATCH' && /\/jobs\/ingest\/\w+$/.test(r.path), nth: 1, at: 'answered' }, () => second?.child.kill('SIGKILL'));
        second = cli(['assign', 'apply', '--file', 'all.yaml'], viaProxy);
        expect((await second.done).signal).toBe('SIGKILL');
        expect(front.disarm()).toBe(true);
      } finally {
        await front.close();
      }
      const [runId2] = onlyRun(known);
      const journal = journalOf(runId2);
      expect(journal.status).toBe('running');
      expect(journal.subjects.filter((s: any) => s.status === 'pending').length).toBe(2510);
      expect(safe()).toEqual([]);
      const resumed = await afterKill(['assign', 'resume', runId2], target);
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
      expect(resumed.json.result.summary).toMatchObject({ done: 2510, failed: 0, pending: 0 });
      expect(journalOf(runId2).bulkJobs[0].state).toBe('JobComplete');
      expect([...rowsNow().values()].every((rows) => rows.length === 1 && rows[0] === cfgB)).toBe(true);
      const again = await afterKill(['assign', 'apply', '--file', 'all.yaml'], target);
      expect(again.json.result.status).toBe('unchanged');
    } finally {
      await bulkOrg.stop();
      dir.cleanup();
    }
  }, 120_000);
});
