import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { check, omni } from './helpers.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';

// The tests' own assignment file (not config/assignments/local.yaml, which is the demo's and may change):
// all ten seeded agents get default_presence_config at user level.
const FILE = 'config/assignments/all-agents.yaml';
const ALL_AGENTS_YAML = `presenceConfigurations:\n  default_presence_config:\n    users:\n      permissionSets: [Omni_Agent]\n      where: "Department = 'Support'"\n`;
let project: ReturnType<typeof makeProject>;

beforeAll(() => {
  project = makeProject({ copy: SAMPLE_WITH_CONFIG });
  writeFileSync(join(project.dir, FILE), ALL_AGENTS_YAML);
});
afterAll(() => project?.cleanup());

describe('omni doctor on the local org', () => {
  it('Omni-Channel off: the check fails with the fix, Omni checks are skipped, exit 1; nothing is written', async () => {
    const org = await startTestOrg({ omniDisabled: true });
    try {
      const r = await omni(org, project.dir, ['doctor', '--assignments', FILE, '--json']);
      expect(r.code).toBe(1);
      expect(check(r, 'omni-enabled')).toMatchObject({ status: 'fail', repairedBySetup: 'deploy' });
      expect(check(r, 'omni-enabled').fix).toContain('omni setup');
      for (const id of ['omni-features', 'presence-configuration', 'status-access', 'capacity']) expect(check(r, id).status).toBe('skip');
      expect(check(r, 'api-version').status).toBe('ok');
      expect(check(r, 'api-limits')).toMatchObject({ status: 'ok' });
      expect(check(r, 'api-limits').details.estimate).toBeGreaterThan(60);
      expect(org.stats().writes).toBe(0);
    } finally {
      await org.stop();
    }
  });

  it('a bad token fails the first check with the fix and skips the rest', async () => {
    const org = await startTestOrg({});
    try {
      const r = await omni(org, project.dir, ['doctor', '--json'], '00Dbad!token');
      expect(r.code).toBe(1);
      expect(r.json.result.checks[0]).toMatchObject({ id: 'api-version', status: 'fail' });
      expect(r.json.result.checks.slice(1).every((c: any) => c.status === 'skip')).toBe(true);
      expect(r.stdout).not.toContain(org.accessToken);
      // The org answered (401): the session is what is wrong, not the network; and a local org's login is
      // omni org local, not sf org login web.
      expect(r.json.result.checks[0].message).toMatch(/session .* has expired or is invalid/);
      expect(r.json.result.checks[0].fix).toContain('omni org local --alias local');
      expect(r.json.result.checks[0].fix).not.toContain('sf org login');
      for (const c of r.json.result.checks.slice(1)) expect(c.message, c.id).toBe('Not checked: the org refused the session (expired or invalid).');
    } finally {
      await org.stop();
    }
  });

  describe('after a deploy', () => {
    let org: LocalOrg;
    beforeAll(async () => {
      org = await startTestOrg({});
      const d = await omni(org, project.dir, ['deploy', '--json']);
      expect(d.code, d.stdout).toBe(0);
    });
    afterAll(() => org?.stop());

    it('before any assignment: a selected user without a configuration fails (repaired by assign); one with another configuration warns', async () => {
      writeFileSync(join(project.dir, 'config/assignments/admin.yaml'), `presenceConfigurations:\n  miaw:\n    users:\n      usernames: [${org.username}]\n`);
      const r = await omni(org, project.dir, ['doctor', '--assignments', 'config/assignments/admin.yaml', '--json']);
      expect(r.code).toBe(1);
      expect(check(r, 'presence-configuration')).toMatchObject({ status: 'fail', repairedBySetup: 'assign', fix: 'omni assign apply --file config/assignments/admin.yaml' });
      expect(check(r, 'presence-configuration').details.withoutConfiguration).toEqual([org.username]);
      // A production username in the sandbox: not found, and the org's likeliest user is named.
      writeFileSync(join(project.dir, 'config/assignments/prod.yaml'), `presenceConfigurations:\n  miaw:\n    users:\n      usernames: [${org.username}, agent01@omni]\n`);
      const prod = await omni(org, project.dir, ['doctor', '--assignments', 'config/assignments/prod.yaml', '--json']);
      expect(check(prod, 'presence-configuration').details.unknown).toEqual(['username "agent01@omni" (did you mean "agent01@omni.local"?)']);
      // The agents hold Case_Agents through their profile (metadata) while the file gives them default_presence_config.
      const local = await omni(org, project.dir, ['doctor', '--assignments', FILE, '--json']);
      expect(check(local, 'presence-configuration')).toMatchObject({ status: 'warn', repairedBySetup: 'assign' });
      expect(check(local, 'presence-configuration').details.differing).toHaveLength(10);
      expect(check(local, 'presence-configuration').details.differing[0]).toMatchObject({ org: 'Case_Agents', file: 'default_presence_config' });
    });

    it('assigned but no status access: agents cannot go online (fail naming the permission set)', async () => {
      const a = await omni(org, project.dir, ['assign', 'apply', '--file', FILE, '--json']);
      expect(a.code, a.stdout).toBe(0);
      const r = await omni(org, project.dir, ['doctor', '--assignments', FILE, '--json']);
      expect(r.code).toBe(1);
      expect(check(r, 'presence-configuration').status).toBe('ok');
      expect(check(r, 'status-access')).toMatchObject({ status: 'fail', repairedBySetup: 'grant' });
      expect(check(r, 'status-access').details.cannotGoOnline).toHaveLength(10);
      expect(check(r, 'status-access').fix).toContain('Omni_Agent_Statuses');
    });

    it('after omni setup every check passes (exit 0)', async () => {
      const s = await omni(org, project.dir, ['setup', '--assignments', FILE, '--json']);
      expect(s.code, s.stdout).toBe(0);
      const r = await omni(org, project.dir, ['doctor', '--assignments', FILE, '--json']);
      expect(r.code, r.stdout).toBe(0);
      for (const c of r.json.result.checks) expect(c.status, `${c.id}: ${c.message}`).toBe('ok');
      expect(check(r, 'capacity').details.queues.map((q: any) => q.queue).sort()).toEqual(['Priority_Cases', 'Support_Cases']);
    });

    it('capacity below a routing weight: fails naming the queue, weight, configuration and capacity', async () => {
      const file = join(project.dir, 'force-app/main/default/queueRoutingConfigs/Priority_Case_Routing.queueRoutingConfig-meta.xml');
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, original.replace(/<capacityWeight>[^<]*<\/capacityWeight>/, '<capacityWeight>30.0</capacityWeight>'));
      try {
        const r = await omni(org, project.dir, ['doctor', '--assignments', FILE, '--json']);
        expect(r.code).toBe(1);
        const c = check(r, 'capacity');
        expect(c.status).toBe('fail');
        expect(c.details.problems).toEqual([
          expect.objectContaining({ queue: 'Priority_Cases', routingConfig: 'Priority_Case_Routing', weight: 30, configuration: 'default_presence_config', capacity: 5 }),
        ]);
        expect(c.details.problems[0].agents).toHaveLength(10);
        expect(c.message).toContain('Priority_Cases');
      } finally {
        writeFileSync(file, original);
      }
    });

    it('queue members in a role are an unknown link (warn), not ok', async () => {
      const file = join(project.dir, 'force-app/main/default/queues/Support_Cases.queue-meta.xml');
      const original = readFileSync(file, 'utf8');
      writeFileSync(file, original.replace('<publicGroups>', '<roles>\n            <role>Support_Lead</role>\n        </roles>\n        <publicGroups>').replace('<publicGroup>AllInternalUsers</publicGroup>', '<publicGroup>Tier2</publicGroup>'));
      try {
        const r = await omni(org, project.dir, ['doctor', '--assignments', FILE, '--json']);
        const c = check(r, 'capacity');
        expect(c.status).toBe('warn');
        expect(c.details.unknownLinks).toEqual([{ queue: 'Support_Cases', unknown: ['public group Tier2', 'role Support_Lead'] }]);
      } finally {
        writeFileSync(file, original);
      }
    });

    it('a profile given one configuration by the metadata and another by the file fails the overlap check', async () => {
      writeFileSync(join(project.dir, 'config/assignments/overlap.yaml'), 'presenceConfigurations:\n  default_presence_config:\n    profiles: ["custom: support agent"]\n');
      const r = await omni(org, project.dir, ['doctor', '--assignments', 'config/assignments/overlap.yaml', '--json']);
      expect(r.code).toBe(1);
      expect(check(r, 'assignment-overlap').status).toBe('fail');
      expect(check(r, 'assignment-overlap').details.conflicts[0]).toContain('Case_Agents');
      expect(check(r, 'assignment-overlap').details.conflicts[0]).toContain('overlap.yaml:3:');
    });

    it('human output: one line per check, fixes under failures', async () => {
      const r = await omni(org, project.dir, ['doctor']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ok +Omni-Channel enabled: Omni-Channel is enabled\.$/m);
      expect(r.stdout).toMatch(/\d+ ok, \d+ warnings?, 0 failed, \d+ skipped\./);
    });
  });
});
