/**
 * Agent skills from the assignment file's skills: section, against the local org over real HTTP: apply
 * creates the agents' ServiceResource (ResourceType A) when missing and one ServiceResourceSkill per skill
 * at the file's level; a re-run writes nothing; a level change is planned as a move and applied atomically;
 * undo restores the prior levels and rows (resources stay: they cannot be deleted); unknown skills are
 * located conflicts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { createRecord, omni, tempDir, userId } from './helpers.ts';

let org: LocalOrg;
let work: ReturnType<typeof tempDir>;
let spanish: string;

/** username → "Skill:level" rows, straight from the store. */
function skillRows(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const users = new Map([...org.store.all('User')].map((u) => [u.Id, String(u.Username)]));
  const resources = new Map([...org.store.all('ServiceResource')].map((r) => [r.Id, users.get(String(r.RelatedRecordId))!]));
  const skills = new Map([...org.store.all('Skill')].map((s) => [s.Id, String(s.DeveloperName)]));
  for (const r of org.store.all('ServiceResourceSkill')) (out[resources.get(String(r.ServiceResourceId))!] ??= []).push(`${skills.get(String(r.SkillId))}:${r.SkillLevel}`);
  return out;
}

beforeAll(async () => {
  org = await startTestOrg({});
  work = tempDir();
  spanish = await createRecord(org, 'Skill', { DeveloperName: 'Spanish', MasterLabel: 'Spanish' });
  await createRecord(org, 'Skill', { DeveloperName: 'Billing', MasterLabel: 'Billing' });
});
afterAll(async () => {
  await org?.stop();
  work?.cleanup();
});

const file = (name: string, text: string) => {
  writeFileSync(join(work.dir, name), text);
  return name;
};

describe('agent skills (skills: section)', () => {
  it('apply creates resources and skill rows; re-run writes nothing; a level change moves; undo restores', async () => {
    const f = file('s.yaml', 'skills:\n  Spanish:\n    level: 7\n    users: { usernames: [agent01@omni.local, agent02@omni.local] }\n  Billing:\n    users: { usernames: [agent01@omni.local] }\n');
    const plan = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--json']);
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.json.result.items.map((i: any) => `${i.kind} ${i.name} ${i.action} ${i.to}`).sort()).toEqual([
      'skill agent01@omni.local → Billing create Billing (level 0)',
      'skill agent01@omni.local → Spanish create Spanish (level 7)',
      'skill agent02@omni.local → Spanish create Spanish (level 7)',
    ]);
    expect(plan.json.result.summary).toMatchObject({ create: 3, skills: 3 });

    const applied = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--json']);
    expect(applied.code, applied.stdout).toBe(0);
    expect(applied.json.result.summary).toMatchObject({ done: 3, failed: 0 });
    expect(skillRows()).toEqual({ 'agent01@omni.local': ['Spanish:7', 'Billing:0'], 'agent02@omni.local': ['Spanish:7'] });
    const resources = [...org.store.all('ServiceResource')];
    expect(resources.map((r) => [r.RelatedRecordId, r.ResourceType, r.IsActive])).toEqual([
      [userId(org, 'agent01@omni.local'), 'A', true],
      [userId(org, 'agent02@omni.local'), 'A', true],
    ]);

    org.resetStats();
    const again = await omni(org, work.dir, ['assign', 'apply', '--file', f, '--json']);
    expect(again.json.result.status).toBe('unchanged');
    expect(org.stats().writes).toBe(0);

    const up = file('s9.yaml', 'skills:\n  Spanish:\n    level: 9\n    users: { usernames: [agent01@omni.local, agent02@omni.local] }\n');
    const movePlan = await omni(org, work.dir, ['assign', 'plan', '--file', up, '--json']);
    expect(movePlan.json.result.items.map((i: any) => `${i.action} ${i.from} → ${i.to}`)).toEqual(['move Spanish (level 7) → Spanish (level 9)', 'move Spanish (level 7) → Spanish (level 9)']);
    const moved = await omni(org, work.dir, ['assign', 'apply', '--file', up, '--json']);
    expect(moved.code, moved.stdout).toBe(0);
    expect(skillRows()).toEqual({ 'agent01@omni.local': ['Billing:0', 'Spanish:9'], 'agent02@omni.local': ['Spanish:9'] });
    expect([...org.store.all('ServiceResource')]).toHaveLength(2); // no second resource for the same agent

    const back = await omni(org, work.dir, ['assign', 'undo', moved.json.result.runId, '--json']);
    expect(back.code, back.stdout).toBe(0);
    expect(Object.fromEntries(Object.entries(skillRows()).map(([k, v]) => [k, [...v].sort()]))).toEqual({ 'agent01@omni.local': ['Billing:0', 'Spanish:7'], 'agent02@omni.local': ['Spanish:7'] });
    const none = await omni(org, work.dir, ['assign', 'undo', applied.json.result.runId, '--json']);
    expect(none.code, none.stdout).toBe(0);
    expect(skillRows()).toEqual({});
    expect([...org.store.all('ServiceResource')]).toHaveLength(2);
  });

  it('--prune removes the listed skill from agents nobody selects for it; an unknown skill is a located conflict', async () => {
    await createRecord(org, 'ServiceResourceSkill', { ServiceResourceId: [...org.store.all('ServiceResource')][1].Id, SkillId: spanish, SkillLevel: 3, EffectiveStartDate: '2026-01-01T00:00:00.000Z' });
    const f = file('p.yaml', 'skills:\n  Spanish:\n    level: 3\n    users: { usernames: [agent01@omni.local] }\n');
    const pruned = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--prune', '--json']);
    expect(pruned.json.result.items.map((i: any) => `${i.name} ${i.action}`).sort()).toEqual(['agent01@omni.local → Spanish create', 'agent02@omni.local → Spanish remove']);
    const bad = await omni(org, work.dir, ['assign', 'plan', '--file', file('u.yaml', 'skills:\n  Spanglish:\n    users: { usernames: [agent01@omni.local] }\n'), '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.stringify(bad.json)).toContain('Skill \\"Spanglish\\" does not exist in the org');
    expect(JSON.stringify(bad.json)).toContain('u.yaml:2:3');
  });
});
