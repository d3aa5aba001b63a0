/**
 * The real CLI, stopped mid-apply by SIGINT against a local org with latency: in-flight requests finish, exit 130
 * with the resume and undo commands, and the journal on disk lets resume and undo finish the job with the same
 * guarantees. The stopped run is a real process; what follows runs in-process.
 *
 * SIGKILL is test/assign/kill-loop.test.ts's: its trials kill at the same points this file's SIGKILL runs did
 * (mid-move, then undo: the exact prior state; once the creates are written, then resume and a re-run that finds
 * nothing to do; a Bulk job open with its CSV uploaded, then undo: aborted, the prior state; the job closed, then
 * resume: it waits for the job, everyone done), with the same assertions, over 3,000 agents.
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

function cli(args: string[]) {
  const child = spawn(process.execPath, [OMNI_BIN, ...args, '--instance-url', org.instanceUrl, '--json'], {
    cwd: work.dir,
    env: { ...process.env, SF_ACCESS_TOKEN: org.accessToken, CI: 'true', OMNI_ASSIGN_CONCURRENCY: '1', SF_DISABLE_TELEMETRY: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watchRun(child);
}

/**
 * The commands after the signal (resume, undo), in-process: what is under test there is the journal the stopped
 * process left, not a process boundary. Same flags and environment as `cli`.
 */
async function afterKill(args: string[]) {
  return omniInProcess(org, work.dir, [...args, '--json'], { env: { OMNI_ASSIGN_CONCURRENCY: '1' } });
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
});
