import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LocalOrg } from '../../scripts/local-org/server.ts';
import { loginSf, makeSfHome, REPO_ROOT, runSf, startTestOrg, type SfHome } from '../helpers/local-org.ts';

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

describe('the real sf CLI', () => {
  it('logs in with an access token and runs sf data query', async () => {
    const login = await loginSf(home, org, 'local');
    expect(login.json.result).toMatchObject({ username: 'admin@omni.local', orgId: org.orgId });
    const query = await runSf(home, ['data', 'query', '-q', "SELECT Id, Username, Profile.Name FROM User WHERE Username LIKE 'agent0%' ORDER BY Username", '--target-org', 'local', '--json']);
    expect(query.code).toBe(0);
    const records = query.json.result.records as Array<{ Username: string; Profile: { Name: string } }>;
    expect(records.map((r) => r.Username)).toEqual(Array.from({ length: 9 }, (_, i) => `agent0${i + 1}@omni.local`));
    expect(records[0].Profile.Name).toBe('Custom: Support Agent');
    // The human table path asks for ?columns=true first.
    const table = await runSf(home, ['data', 'query', '-q', "SELECT Username, Profile.Name FROM User WHERE Username = 'agent01@omni.local'", '--target-org', 'local'], { SF_CONTENT_TYPE: '' });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('agent01@omni.local');
    expect(table.stdout).toContain('PROFILE.NAME');
  });
});

describe('omni org local', () => {
  it('prints one JSON line, registers the alias for sf, and flushes state on SIGTERM', async () => {
    const cliHome = makeSfHome();
    const state = join(mkdtempSync(join(tmpdir(), 'omni-cmd-')), '.local-org', 'state.json');
    const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts/omni.ts'), 'org', 'local', '--json', '--port', '0', '--state', state, '--alias', 'omni-local'], {
      env: cliHome.env,
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          if (lines.length === 1) resolve(line);
        });
        child.on('close', () => reject(new Error(`omni org local exited early: ${stderr}`)));
      });
      const envelope = JSON.parse(first);
      expect(envelope.status).toBe(0);
      expect(envelope.result.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(envelope.result.accessToken).toMatch(/^00D/);
      expect(envelope.warnings).toEqual([]);
      const query = await runSf(cliHome, ['data', 'query', '-q', 'SELECT COUNT() FROM User', '--target-org', 'omni-local', '--json']);
      expect(query.code).toBe(0);
      expect(query.json.result.totalSize).toBe(11);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(lines).toHaveLength(1);
    expect(existsSync(state)).toBe(true);
    expect(statSync(state).mode & 0o777).toBe(0o600);
    cliHome.cleanup();
  });
});
