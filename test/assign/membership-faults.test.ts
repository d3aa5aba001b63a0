/**
 * Queue members and skills under faults (local org: 15% of requests fail — 503, 500, UNABLE_TO_LOCK_ROW,
 * dropped connections, 401 cured by a refresh) and interruption: an interrupted apply resumes to the exact
 * desired rows, a re-run writes nothing, undo restores the prior members and skill levels.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startTestOrg } from '../helpers/local-org.ts';
import { seedUsername } from '../../local-org/seed.ts';
import { desiredFromFlags } from '../../scripts/assign/config.ts';
import type { RetryPolicy } from '../../scripts/assign/api.ts';
import { applyPlan, planAssignments, resumeRun, undoRun } from '../../scripts/assign/run.ts';
import { sessionFor, tempDir } from './helpers.ts';

const USERS = 600;
const FAST: RetryPolicy = { attempts: 10, baseMs: 5, maxMs: 100 };
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe(`${USERS} agents: queue members and skills under a 15% fault rate`, () => {
  it('interrupted apply → resume converges; a new plan has nothing to do; undo restores', async () => {
    const org = await startTestOrg({ seedUsers: USERS, faultRate: 0.15, faultSeed: 5 });
    const work = tempDir();
    cleanups.push(() => org.stop(), work.cleanup);
    const system = { system: true };
    const queue = org.store.insert('Group', { Name: 'Q', DeveloperName: 'Q', Type: 'Queue' }, system).Id;
    const skill = org.store.insert('Skill', { DeveloperName: 'Spanish', MasterLabel: 'Spanish' }, system).Id;
    const usernames = Array.from({ length: USERS }, (_, i) => seedUsername(i + 1));
    const ids = usernames.map((u) => String([...org.store.lookup('User', 'Username', u)!][0].Id));
    // Prior: the first 100 are members already; the first 50 have Spanish at level 2.
    for (const id of ids.slice(0, 100)) org.store.insert('GroupMember', { GroupId: queue, UserOrGroupId: id }, system);
    for (const id of ids.slice(0, 50)) {
      const resource = org.store.insert('ServiceResource', { Name: id, RelatedRecordId: id, ResourceType: 'A' }, system).Id;
      org.store.insert('ServiceResourceSkill', { ServiceResourceId: resource, SkillId: skill, SkillLevel: 2, EffectiveStartDate: '2026-01-01T00:00:00.000Z' }, system);
    }
    const members = () => new Set([...org.store.all('GroupMember')].filter((m) => m.GroupId === queue).map((m) => String(m.UserOrGroupId)));
    const levels = () => {
      const userOf = new Map([...org.store.all('ServiceResource')].map((r) => [r.Id, String(r.RelatedRecordId)]));
      const out = new Map<string, number[]>();
      for (const r of org.store.all('ServiceResourceSkill')) out.set(userOf.get(String(r.ServiceResourceId))!, [...(out.get(userOf.get(String(r.ServiceResourceId))!) ?? []), Number(r.SkillLevel)]);
      return out;
    };
    const priorMembers = members();
    const priorLevels = levels();

    // Desired: everyone in Q; everyone Spanish level 5.
    const desired = desiredFromFlags({ cwd: work.dir }).desired;
    desired.queues = { targets: [{ name: 'Q', origin: { file: 't' } }], users: usernames.map((u, i) => ({ kind: 'username' as const, value: u, config: 'Q', origin: { file: 't', line: i + 1 } })) };
    desired.skills = { targets: [{ name: 'Spanish', origin: { file: 't' }, level: 5 }], users: usernames.map((u, i) => ({ kind: 'username' as const, value: u, config: 'Spanish', origin: { file: 't', line: i + 1 } })) };
    const session = await sessionFor(org);
    const exec = { cwd: work.dir, source: 'test', retry: FAST, concurrency: 3 };

    const outcome = await planAssignments(session, desired, { prune: false, retry: FAST });
    expect(outcome.plan.conflicts).toEqual([]);
    expect(outcome.plan.summary).toMatchObject({ create: USERS - 100 + USERS - 50, move: 50, unchanged: 100, queueMembers: USERS, skills: USERS });
    const signal = { stopping: false };
    const watch = setInterval(() => {
      if ((org.stats().writes ?? 0) >= 1) signal.stopping = true;
    }, 2);
    // One request in flight, so stopping after the first write leaves most subjects pending.
    const first = await applyPlan(session, outcome, { ...exec, concurrency: 1, signal }).finally(() => clearInterval(watch));
    expect(first.status).toBe('interrupted');
    // Never two rows for one pair, whatever was interrupted.
    for (const [, l] of levels()) expect(l.length).toBe(1);

    const resumed = await resumeRun(session, first.runId!, exec);
    expect(resumed.summary.pending).toBe(0);
    const again = await planAssignments(session, desired, { prune: false, retry: FAST });
    const fix = await applyPlan(session, again, exec); // anything the resume reported failed
    expect(['unchanged', 'completed']).toContain(fix.status);
    expect(members()).toEqual(new Set(ids));
    expect([...levels()].every(([, l]) => l.length === 1 && l[0] === 5)).toBe(true);
    expect(levels().size).toBe(USERS);
    expect(Object.values(org.stats().faults).reduce((n, v) => n + v, 0)).toBeGreaterThan(0);

    const final = await planAssignments(session, desired, { prune: false, retry: FAST });
    expect(final.plan.summary).toMatchObject({ create: 0, move: 0, remove: 0 });

    // Undo the first run, then the rest (resume and the fix-up were runs of the same journal or new ones).
    for (const run of [fix.runId, first.runId].filter((r): r is string => Boolean(r))) await undoRun(session, run, exec);
    expect(members()).toEqual(priorMembers);
    const restored = levels();
    expect([...restored].filter(([, l]) => l.length)).toEqual([...priorLevels]);
  });
});
