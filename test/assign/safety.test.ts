/**
 * Stopping cleanly, against the local org: a 401 no refresh can cure stops the run (ExpiredSession, journal
 * interrupted, resume with a fresh token); `.omni/` that can't be written means nothing is sent; a disk that
 * fills up mid-run (ENOSPC from /dev/full) stops it with the file named and the org resumable; one run per
 * org (lock with PID and run id, a dead owner's lock taken over, --wait); journals at the project root from
 * any folder inside the project; SIGTERM of the real CLI mid-move exits 143 within 10 s with nobody left
 * without a configuration, and resume converges.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/server.ts';
import { seedUsername } from '../../local-org/seed.ts';
import { desiredFromFlags } from '../../scripts/assign/config.ts';
import { applyPlan, exitStatus, planAssignments, resumeRun } from '../../scripts/assign/run.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { OMNI_BIN } from '../helpers/paths.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { sessionFor, tempDir, userRows } from './helpers.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** An org with `n` seeded agents on cfg_a (to be moved to cfg_b) and a work folder with the CSV. */
async function movingOrg(n: number, options: Parameters<typeof startTestOrg>[0] = {}) {
  const org = await startTestOrg({ seedUsers: n, ...options });
  const work = tempDir();
  cleanups.push(() => org.stop(), work.cleanup);
  const a = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_a', MasterLabel: 'A', Capacity: 3 }, { system: true }).Id;
  const b = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_b', MasterLabel: 'B', Capacity: 3 }, { system: true }).Id;
  const usernames = Array.from({ length: n }, (_, i) => seedUsername(i + 1));
  const ids = usernames.map((u) => String(org.store.lookup('User', 'Username', u)![0].Id));
  for (const id of ids) org.store.insert('PresenceUserConfigUser', { UserId: id, PresenceUserConfigId: a }, { system: true });
  writeFileSync(join(work.dir, 'move.csv'), ['username,presenceConfig', ...usernames.map((u) => `${u},cfg_b`)].join('\n') + '\n');
  await fetch(`${org.instanceUrl}/__local/invariant/reset`, { method: 'POST' });
  /** Users not on exactly one of cfg_a / cfg_b. */
  const unsafe = () => {
    const rows = userRows(org);
    return ids.filter((id) => {
      const r = rows.get(id) ?? [];
      return !(r.length === 1 && (r[0] === a || r[0] === b));
    });
  };
  const onB = () => {
    const rows = userRows(org);
    return ids.filter((id) => JSON.stringify(rows.get(id)) === JSON.stringify([b])).length;
  };
  return { org, work, a, b, ids, usernames, unsafe, onB };
}

const journalOf = (dir: string, runId: string) => JSON.parse(readFileSync(join(dir, '.omni', 'runs', `${runId}.json`), 'utf8'));

/** A fresh access token through the refresh_token grant (what "log in again" gives a CI job). */
async function freshToken(org: LocalOrg): Promise<string> {
  const r = await fetch(`${org.instanceUrl}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: org.refreshToken, client_id: 'x' }) });
  return ((await r.json()) as { access_token: string }).access_token;
}

describe('a session no refresh can cure (SF_ACCESS_TOKEN, no refresh token)', () => {
  it('stops the run at once: non-zero, ExpiredSession, journal interrupted, resume with a fresh token converges', async () => {
    let revokeOn = '';
    let runs = '';
    let compositesAtRevoke = -1;
    // The plan's reads are Composite POSTs too: the first POST once the journal is on disk is the first move.
    const firstMove = (line: string) => revokeOn && line.startsWith(revokeOn) && runs && existsSync(runs) && readdirSync(runs).some((f) => f.endsWith('.json'));
    const { org, work, unsafe, onB, ids } = await movingOrg(3000, {
      latencyMs: 20,
      log: (line) => firstMove(line) && ((revokeOn = ''), (compositesAtRevoke = org.stats().byEndpoint.composite ?? 0), org.revokeSessions()),
    });
    runs = join(work.dir, '.omni', 'runs');
    // The session ends as the first move is answered (an expired or revoked token in CI).
    revokeOn = 'POST /services/data/';
    const started = Date.now();
    const r = await omniInProcess(org, work.dir, ['assign', 'apply', '--csv', 'move.csv', '--json'], { env: { OMNI_ASSIGN_CONCURRENCY: '1' } });
    const elapsed = Date.now() - started;
    expect(r.code, r.stdout).toBe(1);
    expect(elapsed).toBeLessThan(30_000);
    expect(r.json.name).toBe('ExpiredSession');
    expect(r.json.message).toMatch(/^The org rejected the session \(INVALID_SESSION_ID: .*\) and it cannot be refreshed, so the run stopped: 200 of 3000 done, 2800 not done/);
    const runId = r.json.result.runId;
    expect(r.json.actions[0]).toBe(`Get a fresh access token (export SF_ACCESS_TOKEN=…) or log in again ("sf org login web"), then continue: omni assign resume ${runId}`);
    expect(journalOf(work.dir, runId).status).toBe('interrupted');
    // Not retried: one request after the revoke, not rounds of them.
    expect(compositesAtRevoke).toBeGreaterThan(0);
    expect(org.stats().byEndpoint.composite).toBe(compositesAtRevoke + 1);
    expect(unsafe()).toEqual([]);
    expect(org.invariant().minConfiguredUsers).toBe(ids.length);

    const resumed = await omniInProcess(org, work.dir, ['assign', 'resume', runId, '--json'], { token: await freshToken(org) });
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(onB()).toBe(ids.length);
  }, 120_000);
});

describe('local state written before any org write', () => {
  it('.omni/ not writable: the lock cannot be written, nothing is sent (StateWriteFailed, exit 1)', async () => {
    const { org, work, a } = await movingOrg(20);
    writeFileSync(join(work.dir, '.omni'), 'a file where the folder should be');
    org.resetStats();
    const r = await omniInProcess(org, work.dir, ['assign', 'apply', '--csv', 'move.csv', '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.name).toBe('StateWriteFailed');
    expect(r.json.message).toMatch(/^Could not write \.omni\/locks\/\S+\.lock: (ENOTDIR|EEXIST) \(.*\)\. Nothing was sent to the org\.$/);
    expect(org.stats().writes).toBe(0);
    expect([...userRows(org).values()].every((rows) => rows.length === 1 && rows[0] === a)).toBe(true);
  });

  it('disk full during apply (ENOSPC): StateWriteFailed naming the journal and what was done; the org is consistent and the run resumable', async () => {
    const { org, work, unsafe, onB, ids } = await movingOrg(3000, { latencyMs: 15 });
    const session = await sessionFor(org);
    const { desired } = desiredFromFlags({ csv: ['move.csv'], cwd: work.dir });
    const outcome = await planAssignments(session, desired, { prune: false });
    let runId = '';
    // Once the journal is on disk, its next version can't be written: the temp file is /dev/full.
    const error = await applyPlan(session, outcome, {
      cwd: work.dir,
      source: 'move.csv',
      concurrency: 1,
      onJournal: (file) => {
        runId = JSON.parse(readFileSync(file, 'utf8')).runId;
        symlinkSync('/dev/full', `${file}.${process.pid}.tmp`);
      },
    }).then(
      () => undefined,
      (e) => e,
    );
    expect(error?.name).toBe('StateWriteFailed');
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(new RegExp(`^Could not write \\.omni/runs/${runId}\\.json: ENOSPC \\(.*\\)\\. The run stopped sending when the journal could not be written: in the org \\d+ of 3000 are done and \\d+ are not \\(each holds its prior or its target configuration\\)\\.`));
    expect(error.actions).toContain(`Or restore the prior state: omni assign undo ${runId}`);
    expect(unsafe()).toEqual([]);
    expect(onB()).toBeLessThan(ids.length);
    rmSync(join(work.dir, '.omni', 'runs', `${runId}.json.${process.pid}.tmp`), { force: true });
    const resumed = await resumeRun(session, runId, { cwd: work.dir });
    expect(resumed.status).toBe('completed');
    expect(onB()).toBe(ids.length);
    expect(org.invariant().minConfiguredUsers).toBe(ids.length);
  }, 120_000);
});

describe('bounded progress', () => {
  it('a chunk that spends its attempt budget is reported RETRIES_EXHAUSTED (exit 68), everybody on prior or target, and resume finishes it', async () => {
    // 60% of requests fail (503, 500, lock, dropped, 401 cured by refresh); apply gets 2 rounds without progress per chunk.
    const { org, work, unsafe, onB, ids } = await movingOrg(1000, { faultRate: 0.6, faultSeed: 3 });
    const session = await sessionFor(org);
    const retry = { attempts: 40, baseMs: 1, maxMs: 5 };
    const { desired } = desiredFromFlags({ csv: ['move.csv'], cwd: work.dir });
    const outcome = await planAssignments(session, desired, { prune: false, retry });
    const report = await applyPlan(session, outcome, { cwd: work.dir, source: 'move.csv', concurrency: 1, attempts: 2, retry });
    const exhausted = report.failures.filter((f) => f.errorCode === 'RETRIES_EXHAUSTED');
    expect(exhausted.length).toBeGreaterThan(0);
    expect(exhausted[0].message).toMatch(/^Not done after 2 attempts without progress \(last: [A-Z_0-9]+: .*\); it holds its prior or its target configuration\. Resume the run to retry\.$/);
    expect(exitStatus(report)).toBe(report.summary.done ? 68 : 1);
    expect(unsafe()).toEqual([]);
    const resumed = await resumeRun(session, report.runId!, { cwd: work.dir, concurrency: 1, attempts: 30, retry });
    expect(resumed.status).toBe('completed');
    expect(onB()).toBe(ids.length);
    expect(org.invariant().minConfiguredUsers).toBe(ids.length);
  }, 120_000);
});

describe('one run per org', () => {
  it('a second apply is refused naming the running run; --wait runs after it; nobody doubled or lost', async () => {
    const { org, work, unsafe, onB, ids } = await movingOrg(2000, { latencyMs: 25 });
    const lockDir = join(work.dir, '.omni', 'locks');
    const first = omniInProcess(org, work.dir, ['assign', 'apply', '--csv', 'move.csv', '--json'], { env: { OMNI_ASSIGN_CONCURRENCY: '1' } });
    for (let i = 0; i < 2000 && !(existsSync(lockDir) && readdirSync(lockDir).length); i++) await new Promise((r) => setTimeout(r, 5));
    const owner = JSON.parse(readFileSync(join(lockDir, readdirSync(lockDir)[0]), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, command: 'assign apply' });
    const second = await omniInProcess(org, work.dir, ['assign', 'apply', '--csv', 'move.csv', '--json']);
    expect(second.code).toBe(1);
    expect(second.json.name).toBe('RunInProgress');
    expect(second.json.message).toContain(`${owner.runId} (omni assign apply, PID ${process.pid}`);
    const waiting = omniInProcess(org, work.dir, ['assign', 'apply', '--csv', 'move.csv', '--wait', '--json']);
    const [a, w] = await Promise.all([first, waiting]);
    expect(a.code, a.stdout).toBe(0);
    expect(w.code, w.stdout).toBe(0);
    // The waiting run planned after the first finished: nothing left to do.
    expect(w.json.result.status).toBe('unchanged');
    expect(unsafe()).toEqual([]);
    expect(onB()).toBe(ids.length);
    expect(readdirSync(lockDir)).toEqual([]);
  }, 120_000);

  it('a lock left by a dead process is taken over with a warning; journals go to the project root from a subfolder', async () => {
    const { org, work, onB, ids } = await movingOrg(20);
    writeFileSync(join(work.dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
    mkdirSync(join(work.dir, 'config', 'deep'), { recursive: true });
    writeFileSync(join(work.dir, 'config', 'deep', 'move.csv'), readFileSync(join(work.dir, 'move.csv')));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const lockDir = join(work.dir, '.omni', 'locks');
    mkdirSync(lockDir, { recursive: true });
    const key = org.orgId;
    writeFileSync(join(lockDir, `${key}.lock`), JSON.stringify({ pid: Number(dead), host: (await import('node:os')).hostname(), runId: 'old-run', command: 'assign apply', org: key, startedAt: '2026-01-01T00:00:00.000Z' }));
    const r = await omniInProcess(org, join(work.dir, 'config', 'deep'), ['assign', 'apply', '--csv', 'move.csv', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.warnings.join('\n')).toContain(`Took over the lock`);
    expect(r.json.warnings.join('\n')).toContain(`of run old-run (assign apply, PID ${dead}`);
    expect(existsSync(join(work.dir, '.omni', 'runs', `${r.json.result.runId}.json`))).toBe(true);
    expect(existsSync(join(work.dir, 'config', 'deep', '.omni'))).toBe(false);
    expect(onB()).toBe(ids.length);
  });
});

describe('one run per org: setup, resume and undo too', () => {
  it('while a run holds the org, setup, resume and undo are refused naming it (exit 1, nothing sent)', async () => {
    const { org, work } = await movingOrg(20);
    const first = await omniInProcess(org, work.dir, ['assign', 'apply', '--csv', 'move.csv', '--json']);
    expect(first.code, first.stdout).toBe(0);
    // A live run (this process) holds the org's lock — in the work folder and in a project (for setup).
    const project = makeProject({ copy: SAMPLE_WITH_CONFIG });
    cleanups.push(project.cleanup);
    const hostname = (await import('node:os')).hostname();
    for (const root of [work.dir, project.dir]) {
      mkdirSync(join(root, '.omni', 'locks'), { recursive: true });
      writeFileSync(join(root, '.omni', 'locks', `${org.orgId}.lock`), JSON.stringify({ pid: process.pid, host: hostname, runId: 'busy-run', command: 'assign apply', org: org.orgId, startedAt: new Date().toISOString() }));
    }
    org.resetStats();
    const runs: Array<[string, string[]]> = [
      [project.dir, ['setup', '--no-prompt']],
      [work.dir, ['assign', 'resume', first.json.result.runId]],
      [work.dir, ['assign', 'undo', first.json.result.runId]],
    ];
    for (const [cwd, args] of runs) {
      const r = await omniInProcess(org, cwd, [...args, '--json']);
      expect(r.code, `${args.join(' ')}: ${r.stdout}`).toBe(1);
      expect(r.json.name).toBe('RunInProgress');
      expect(r.json.message).toContain(`busy-run (omni assign apply, PID ${process.pid}`);
    }
    expect(org.stats().writes).toBe(0);
  }, 120_000);
});

describe('signals (the real CLI)', () => {
  it('SIGTERM during a 3,000-agent move: exit 143 within 10 s with resume/undo, nobody unassigned; resume converges', async () => {
    const { org, work, unsafe, onB, ids } = await movingOrg(3000, { latencyMs: 200 });
    const env = { ...process.env, SF_ACCESS_TOKEN: org.accessToken, CI: 'true', OMNI_ASSIGN_CONCURRENCY: '1', SF_DISABLE_TELEMETRY: 'true' };
    const cli = (args: string[]) => spawn(process.execPath, [OMNI_BIN, ...args, '--instance-url', org.instanceUrl, '--json'], { cwd: work.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const child = cli(['assign', 'apply', '--csv', 'move.csv']);
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Signal once the first move has been answered (the journal records it).
    const runs = join(work.dir, '.omni', 'runs');
    let runId = '';
    for (let i = 0; i < 6000 && !runId; i++) {
      await new Promise((r) => setTimeout(r, 10));
      for (const f of existsSync(runs) ? readdirSync(runs).filter((f) => f.endsWith('.json')) : []) {
        try {
          if (journalOf(work.dir, f.replace(/\.json$/, '')).steps.some((s: { op: string; ok: number }) => s.op === 'move' && s.ok > 0)) runId = f.replace(/\.json$/, '');
        } catch {
          // not complete yet
        }
      }
    }
    expect(runId).not.toBe('');
    const signalled = Date.now();
    child.kill('SIGTERM');
    const code = await closed;
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(code).toBe(143);
    const result = JSON.parse(stdout).result;
    expect(result).toMatchObject({ runId, status: 'interrupted', resume: `omni assign resume ${runId}`, undo: `omni assign undo ${runId}` });
    expect(journalOf(work.dir, runId).status).toBe('interrupted');
    expect(unsafe()).toEqual([]);
    expect(onB()).toBeGreaterThan(0);
    expect(onB()).toBeLessThan(ids.length);
    expect(org.invariant().minConfiguredUsers).toBe(ids.length);
    const resumed = await omniInProcess(org, work.dir, ['assign', 'resume', runId, '--json']);
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(onB()).toBe(ids.length);
  }, 120_000);

  it('a second signal exits at once (130), the journal written as it stands; nobody unassigned; resume converges', async () => {
    const { org, work, unsafe, onB, ids } = await movingOrg(1000, { latencyMs: 300 });
    const env = { ...process.env, SF_ACCESS_TOKEN: org.accessToken, CI: 'true', OMNI_ASSIGN_CONCURRENCY: '1', SF_DISABLE_TELEMETRY: 'true' };
    const child = spawn(process.execPath, [OMNI_BIN, 'assign', 'apply', '--csv', 'move.csv', '--instance-url', org.instanceUrl, '--json'], { cwd: work.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const runs = join(work.dir, '.omni', 'runs');
    let runId = '';
    for (let i = 0; i < 6000 && !runId; i++) {
      await new Promise((r) => setTimeout(r, 10));
      runId = (existsSync(runs) ? readdirSync(runs).filter((f) => f.endsWith('.json')) : [])[0]?.replace(/\.json$/, '') ?? '';
    }
    expect(runId).not.toBe('');
    // A move request is in flight (300 ms each): the first SIGINT waits for it, the second does not.
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 20));
    const second = Date.now();
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    // The message below proves the second signal's path; the bound only says it did not hang. On this 2-core
    // machine at load 25–28 the exit took up to 2.3 s (with either young-generation setting of the bin).
    expect(Date.now() - second).toBeLessThan(6_000);
    expect(stderr).toContain(`Stopped at once (second SIGINT); journal written. Continue: omni assign resume ${runId}`);
    expect(journalOf(work.dir, runId).status).toBe('interrupted');
    expect(unsafe()).toEqual([]);
    const resumed = await omniInProcess(org, work.dir, ['assign', 'resume', runId, '--json']);
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(onB()).toBe(ids.length);
  }, 120_000);
});
