/**
 * --concise / --verbose on deploy and assign plan (sf project deploy start's output-detail flags): they
 * change the human output only; together they are a usage error before anything reaches the org.
 */
import { describe, expect, it } from 'vitest';
import { omniInProcess } from '../helpers/omni.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { makeProject } from '../helpers/project.ts';

describe('--concise and --verbose', () => {
  it('deploy: normal hides unchanged rows, --verbose lists them, --concise shows only the summary; both → exit 2, nothing deployed', async () => {
    const org = await startTestOrg();
    const p = makeProject();
    try {
      const both = await omniInProcess(org, p.dir, ['deploy', '--concise', '--verbose', '--json']);
      expect(both.code).toBe(2);
      expect(both.json).toMatchObject({ name: 'UsageError', message: expect.stringContaining('--concise=true cannot also be provided when using --verbose') });
      const first = await omniInProcess(org, p.dir, ['deploy', '--concise']);
      expect(first.code, first.stdout + first.stderr).toBe(0);
      expect(first.stdout).not.toMatch(/^│ Created\s+│ PresenceUserConfig\s+│ miaw/m); // no component table
      expect(first.stdout).toMatch(/^Deploy 0Af\w+: Succeeded — \d+ created/m);

      const normal = await omniInProcess(org, p.dir, ['deploy']);
      expect(normal.code, normal.stdout + normal.stderr).toBe(0);
      expect(normal.stdout).not.toMatch(/^│ Unchanged\s+│ PresenceUserConfig\s+│ miaw/m);
      const verbose = await omniInProcess(org, p.dir, ['deploy', '--verbose']);
      expect(verbose.code).toBe(0);
      expect(verbose.stdout).toMatch(/^│ Unchanged\s+│ PresenceUserConfig\s+│ miaw\s+│ force-app\//m);
    } finally {
      p.cleanup();
      await org.stop();
    }
  }, 90_000);

  it('assign plan --concise: one line per configuration with its counts, no usernames; --verbose lists unchanged users', async () => {
    const org = await startTestOrg();
    const p = makeProject();
    try {
      expect((await omniInProcess(org, p.dir, ['deploy', '--json'])).code).toBe(0);
      const users = ['agent01@omni.local', 'agent02@omni.local', 'agent03@omni.local'];
      const args = ['assign', 'plan', '--config', 'Case_Agents', ...users.flatMap((u) => ['--user', u])];
      const json = await omniInProcess(org, p.dir, [...args, '--json']);
      expect(json.code, json.stdout).toBe(0);
      const count = (action: string) => json.json.result.items.filter((i: { kind: string; action: string; to: string }) => i.kind === 'user' && i.to === 'Case_Agents' && i.action === action).length;
      expect(count('create') + count('move') + count('unchanged')).toBe(3);

      const concise = await omniInProcess(org, p.dir, [...args, '--concise']);
      expect(concise.code).toBe(0);
      expect(concise.stdout).toMatch(new RegExp(`^│ Case_Agents\\s+│ user\\s+│ ${count('create')}\\s+│ ${count('move')}\\s+│ 0\\s+│ ${count('unchanged')}\\s+│$`, 'm'));
      for (const u of users) expect(concise.stdout).not.toContain(u);
      expect(concise.stdout).toMatch(/^Plan: /m);

      const normal = await omniInProcess(org, p.dir, args);
      const verbose = await omniInProcess(org, p.dir, [...args, '--verbose']);
      for (const u of users) expect(verbose.stdout).toContain(u);
      const changed = users.filter((u) => normal.stdout.includes(u));
      expect(changed.length).toBe(count('create') + count('move'));
      expect((await omniInProcess(org, p.dir, [...args, '--concise', '--verbose'])).code).toBe(2);
    } finally {
      p.cleanup();
      await org.stop();
    }
  }, 90_000);
});
