/**
 * Moves are atomic (one Composite request, allOrNone, per chunk): when the new row can't be created the
 * old one was never deleted — the whole request rolled back — so the user keeps the old configuration;
 * permanent errors are reported per record; several move requests in flight at once, one of them rolled back
 * mid-way, leave nobody without a configuration either. Also: production needs --yes; --dry-run never writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/server.ts';
import { desiredFromFlags } from '../../scripts/assign/config.ts';
import { applyPlan, exitStatus, planAssignments } from '../../scripts/assign/run.ts';
import { seedUsername } from '../../local-org/seed.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omni, sessionFor, tempDir, userId, userRows } from './helpers.ts';

let org: LocalOrg;
let work: ReturnType<typeof tempDir>;
beforeAll(async () => {
  org = await startTestOrg({});
  work = tempDir();
});
afterAll(async () => {
  await org?.stop();
  work?.cleanup();
});

describe('atomic moves and partial failure', () => {
  it('keeps the old configuration when the new row cannot be created (rolled back as a whole), and reports each failure', async () => {
    const a = org.store.insert('PresenceUserConfig', { DeveloperName: 'old_cfg', MasterLabel: 'Old', Capacity: 3 }, { system: true }).Id;
    const b = org.store.insert('PresenceUserConfig', { DeveloperName: 'new_cfg', MasterLabel: 'New', Capacity: 3 }, { system: true }).Id;
    const movers = ['agent01@omni.local', 'agent02@omni.local', 'agent03@omni.local'];
    for (const u of movers) org.store.insert('PresenceUserConfigUser', { UserId: userId(org, u), PresenceUserConfigId: a }, { system: true });
    const oldRows = [...org.store.all('PresenceUserConfigUser')].map((r) => r.Id).sort();
    const session = await sessionFor(org);
    const { desired } = desiredFromFlags({ config: 'new_cfg', users: [...movers, 'agent04@omni.local'], cwd: work.dir });
    const outcome = await planAssignments(session, desired, { prune: false });
    expect(outcome.plan.summary).toMatchObject({ move: 3, create: 1 });
    // The target configuration disappears between plan and apply: every create of it fails for good.
    org.store.delete(b, { system: true });
    await fetch(`${org.instanceUrl}/__local/invariant/reset`, { method: 'POST' });
    org.resetStats();
    const report = await applyPlan(session, outcome, { cwd: work.dir, source: 'test' });
    expect(report.status).toBe('failed');
    expect(exitStatus(report)).toBe(1);
    const rows = userRows(org);
    for (const u of movers) expect(rows.get(userId(org, u))).toEqual([a]);
    expect(rows.get(userId(org, 'agent04@omni.local'))).toBeUndefined();
    // Not recreated: the very same rows (the delete was rolled back with the failed create).
    expect([...org.store.all('PresenceUserConfigUser')].map((r) => r.Id).sort()).toEqual(oldRows);
    expect(org.invariant().minConfiguredUsers).toBe(3);
    // One Composite request, no separate delete, nothing retried: the errors are permanent.
    expect(org.stats().byEndpoint).toMatchObject({ composite: 1 });
    expect(org.stats().byEndpoint['composite/sobjects']).toBeUndefined();
    expect(report.summary).toMatchObject({ failed: 4, done: 0 });
    const byName = Object.fromEntries(report.failures.map((f) => [f.name, f]));
    expect(byName['agent01@omni.local']).toMatchObject({ kind: 'user', configuration: 'new_cfg' });
    expect(byName['agent01@omni.local'].message).toContain('nothing changed');
    expect(byName['agent04@omni.local'].errorCode).toMatch(/^[A-Z_]+$/);
  });

  it('2,000 moves, up to 5 Composite requests in flight: one rolled back mid-way (someone else moved an agent of its chunk) — its other 199 are moved next round, that agent is reported, nobody is ever without a configuration, undo restores', async () => {
    const N = 2000;
    const spans: Array<[number, number]> = [];
    let moveRequests = 0;
    // When each Composite holding a DELETE (a move, not a batch of reads) was handled.
    const moveMarks: number[] = [];
    let cfgC = '';
    let victimId = '';
    const busy = await startTestOrg({
      seedUsers: N,
      latencyMs: 20,
      log: (line) => {
        // The first move request the org handles: someone else moves the last agent (whose chunk has not
        // started yet) from cfg_a to cfg_c, in one step, so nobody is ever without a configuration.
        if (line.startsWith('  composite DELETE ')) moveMarks.push(performance.now());
        if (line.startsWith('  composite DELETE ') && moveRequests++ === 0) {
          const old = busy.store.lookup('PresenceUserConfigUser', 'UserId', victimId)![0];
          busy.store.delete(old.Id, { system: true });
          busy.store.insert('PresenceUserConfigUser', { UserId: victimId, PresenceUserConfigId: cfgC }, { system: true });
        }
        const m = /^POST \S+\/composite \d+ ([\d.]+)ms$/.exec(line);
        if (m) spans.push([performance.now() - Number(m[1]), performance.now()]);
      },
    });
    const dir = tempDir();
    try {
      const cfg = (name: string) => busy.store.insert('PresenceUserConfig', { DeveloperName: name, MasterLabel: name, Capacity: 3 }, { system: true }).Id as string;
      const a = cfg('cfg_a');
      const b = cfg('cfg_b');
      cfgC = cfg('cfg_c');
      const usernames = Array.from({ length: N }, (_, i) => seedUsername(i + 1));
      const ids = usernames.map((u) => userId(busy, u));
      victimId = ids[N - 1];
      for (const id of ids) busy.store.insert('PresenceUserConfigUser', { UserId: id, PresenceUserConfigId: a }, { system: true });
      writeFileSync(join(dir.dir, 'b.csv'), ['username,presenceConfig', ...usernames.map((u) => `${u},cfg_b`)].join('\n') + '\n');
      busy.resetInvariant();
      spans.length = 0;
      moveMarks.length = 0;
      const r = await omni(busy, dir.dir, ['assign', 'apply', '--csv', 'b.csv', '--json']);
      expect(r.code, r.stdout).toBe(68);
      expect(r.json.result.summary).toMatchObject({ done: N - 1, failed: 1, pending: 0 });
      expect(r.json.result.failures.map((f: any) => `${f.name} ${f.errorCode}`)).toEqual([`${usernames[N - 1]} CONCURRENT_CHANGE`]);
      // Move requests overlapped, never more than 5 at once.
      const moves = spans.filter(([start, end]) => moveMarks.some((t) => start <= t && t <= end));
      expect(moves).toHaveLength(N / 200 + 1);
      const overlap = Math.max(...moves.map(([start]) => moves.filter(([s, e]) => s <= start && start < e).length));
      expect(overlap).toBeGreaterThan(1);
      expect(overlap).toBeLessThanOrEqual(5);
      // 10 chunks of 200 and the rolled-back chunk's second round.
      expect(moveRequests).toBe(N / 200 + 1);
      const journal = JSON.parse(readFileSync(join(dir.dir, r.json.result.journal), 'utf8'));
      expect(journal.steps.filter((s: any) => s.op === 'move' && s.failed > 0)).toHaveLength(1);
      const rows = userRows(busy);
      expect(ids.slice(0, N - 1).every((id) => JSON.stringify(rows.get(id)) === JSON.stringify([b]))).toBe(true);
      expect(rows.get(victimId)).toEqual([cfgC]);
      expect(busy.invariant().minConfiguredUsers).toBeGreaterThanOrEqual(N);
      const undone = await omni(busy, dir.dir, ['assign', 'undo', r.json.result.runId, '--json']);
      expect(undone.code, undone.stdout).toBe(0);
      const restored = userRows(busy);
      expect(ids.slice(0, N - 1).every((id) => JSON.stringify(restored.get(id)) === JSON.stringify([a]))).toBe(true);
      expect(busy.invariant().minConfiguredUsers).toBeGreaterThanOrEqual(N);
    } finally {
      await busy.stop();
      dir.cleanup();
    }
  }, 120_000);

  it('a production org needs --yes; --dry-run never writes', async () => {
    const prod = await startTestOrg({ orgType: 'production' });
    try {
      writeFileSync(join(work.dir, 'p.yaml'), 'presenceConfigurations:\n  default_presence_config:\n    users: { usernames: [agent05@omni.local] }\n');
      const dry = await omni(prod, work.dir, ['assign', 'apply', '--file', 'p.yaml', '--dry-run', '--json']);
      expect(dry.code).toBe(0);
      expect(dry.json.result).toMatchObject({ dryRun: true, summary: { create: 1 } });
      const refused = await omni(prod, work.dir, ['assign', 'apply', '--file', 'p.yaml', '--json']);
      expect(refused.code).toBe(1);
      expect(refused.json.name).toBe('ProductionConfirmationRequired');
      expect(userRows(prod).size).toBe(0);
      const yes = await omni(prod, work.dir, ['assign', 'apply', '--file', 'p.yaml', '--yes', '--json']);
      expect(yes.code, yes.stdout).toBe(0);
      expect(userRows(prod).size).toBe(1);
      // Undo changes the org too: same confirmation.
      const undoRefused = await omni(prod, work.dir, ['assign', 'undo', yes.json.result.runId, '--json']);
      expect(undoRefused.code).toBe(1);
      expect(undoRefused.json.name).toBe('ProductionConfirmationRequired');
      expect(userRows(prod).size).toBe(1);
      const undone = await omni(prod, work.dir, ['assign', 'undo', yes.json.result.runId, '--yes', '--json']);
      expect(undone.code, undone.stdout).toBe(0);
      expect(userRows(prod).size).toBe(0);
    } finally {
      await prod.stop();
    }
  });
});
