/**
 * What stops a deploy before it changes anything: offline validation (no API call at all), the
 * org-aware reference check (all missing names at once), Omni-Channel off — and tokens never printed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { makeSfHome, startTestOrg, type SfHome } from '../helpers/local-org.ts';
import { omni } from './helpers.ts';
import { makeProject } from '../helpers/project.ts';

const PUC = 'force-app/main/default/presenceUserConfigs';

let org: LocalOrg;
let home: SfHome;
beforeAll(async () => {
  org = await startTestOrg();
  home = makeSfHome();
});
afterAll(async () => {
  await org?.stop();
  home?.cleanup();
});

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('omni deploy: checks before deploying', () => {
  it('a status that is not in the project is checked in the org (not an offline error): missing there, the deploy stops at file:line and writes nothing', async () => {
    const p = makeProject();
    try {
      const file = join(p.dir, PUC, 'Voice_Agents.presenceUserConfig-meta.xml');
      const text = readFileSync(file, 'utf8').replace('<presenceStatusOnPushTimeout>Busy<', '<presenceStatusOnPushTimeout>Ghost_Status<');
      writeFileSync(file, text);
      org.resetStats();
      const r = await omni(org, home, p.dir, ['deploy', '--json']);
      expect(r.code).toBe(1);
      // Offline it is only "unresolved locally" (issue #12 item 2): the org decides.
      expect(r.json.name).toBe('OrgCheckFailed');
      const line = lineOf(text, 'Ghost_Status');
      expect(r.json.message).toContain(`${PUC}/Voice_Agents.presenceUserConfig-meta.xml:${line}`);
      expect(r.json.message).toContain('Ghost_Status');
      expect(org.stats().writes).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(org.accessToken);
    } finally {
      p.cleanup();
    }
  });

  it('lists every username missing in the org at once, located, and deploys nothing', async () => {
    const p = makeProject();
    try {
      const file = join(p.dir, PUC, 'Voice_Agents.presenceUserConfig-meta.xml');
      const text = readFileSync(file, 'utf8').replace(
        '<capacity>',
        '<assignments>\n        <users>\n            <user>nobody.one@omni.local</user>\n            <user>agent01@omni.local</user>\n            <user>o\'brien@omni.local</user>\n        </users>\n    </assignments>\n    <capacity>',
      );
      writeFileSync(file, text);
      org.resetStats();
      const r = await omni(org, home, p.dir, ['deploy', '--json']);
      expect(r.code).toBe(1);
      expect(r.json.name).toBe('OrgCheckFailed');
      const missing = r.json.result.missing.map((m: { name: string; line: number }) => [m.name, m.line]);
      expect(missing).toEqual([
        ['nobody.one@omni.local', lineOf(text, 'nobody.one')],
        ["o'brien@omni.local", lineOf(text, 'o&apos;brien') || lineOf(text, "o'brien")],
      ]);
      expect(r.json.message).toContain('nobody.one@omni.local');
      expect(r.json.message).toContain("o'brien@omni.local");
      const stats = org.stats();
      // One query per kind of reference, never one per name; and no Metadata API call.
      // (Metadata API calls count under soap/metadata:<operation>.)
      expect(Object.keys(stats.byEndpoint).filter((k) => k.startsWith('soap/metadata'))).toEqual([]);
      // The reads go out in composite requests (5 queries each): the org description, then the checks.
      expect(stats.byEndpoint.query ?? 0).toBe(0);
      expect(stats.byEndpoint.composite).toBeLessThanOrEqual(3);
      expect(r.stdout + r.stderr).not.toContain(org.accessToken);
    } finally {
      p.cleanup();
    }
  });

  it('explains how to turn Omni-Channel on when the org has it off', async () => {
    const off = await startTestOrg({ omniDisabled: true });
    const p = makeProject();
    try {
      // Without the settings file the deploy cannot turn Omni on itself.
      const { rmSync } = await import('node:fs');
      rmSync(join(p.dir, 'force-app/main/default/settings'), { recursive: true });
      const r = await omni(off, home, p.dir, ['deploy']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('OmniChannelDisabled');
      expect(r.stderr).toMatch(/enableOmniChannel/);
      expect(r.stderr).toMatch(/omniChannelSettings/);
      expect(r.stdout + r.stderr).not.toContain(off.accessToken);
    } finally {
      p.cleanup();
      await off.stop();
    }
  });

  it('never prints the token, even for a bad token under --json', async () => {
    const p = makeProject();
    try {
      const bad = `${org.orgId.slice(0, 15)}!${'A'.repeat(40)}`;
      const r = await (await import('../helpers/local-org.ts')).runProcess(
        (await import('./helpers.ts')).NODE_BIN,
        [(await import('./helpers.ts')).OMNI, 'plan', '--json', '--instance-url', org.instanceUrl],
        { cwd: p.dir, env: { ...home.env, SF_ACCESS_TOKEN: bad } },
      );
      expect(r.code).not.toBe(0);
      expect(r.json.status).toBe(r.code);
      expect(r.stdout + r.stderr).not.toContain(bad);
      expect(r.stdout + r.stderr).not.toContain(org.accessToken);
    } finally {
      p.cleanup();
    }
  });
});
