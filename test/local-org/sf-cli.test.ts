import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LocalOrg } from '../../local-org/server.ts';
import { loginSf, makeSfHome, REPO_ROOT, runProcess, sfInRunner, startTestOrg, type SfHome } from '../helpers/local-org.ts';
import { OMNI_BIN } from '../helpers/paths.ts';
import { omniOffline } from '../helpers/omni.ts';

let org: LocalOrg;
/**
 * The sf HOME of every sf command of this file, run in its sf runner (test/helpers/sf-runner.ts: the sf CLI's own
 * entry, its modules loaded once): the login and queries of the first test, and the queries that read what an
 * `omni org local` process (its `--alias`) and the printed login command (a shell) wrote into it. The spawned sf
 * of this file is that printed login command, run by `sh` as the user would paste it.
 */
let home: SfHome;

beforeAll(async () => {
  org = await startTestOrg();
  home = makeSfHome();
});
afterAll(async () => {
  await org?.stop();
  await home?.cleanup();
});

describe('the real sf CLI', () => {
  it('logs in with an access token and runs sf data query', async () => {
    // sf ↔ the local org over HTTP, and the auth store it writes, read back by the next commands: the HOME's sf
    // runner. A spawned login (the process writing its HOME) is the printed login command below.
    const login = await loginSf(home, org, 'local');
    expect(login.json.result).toMatchObject({ username: org.username, orgId: org.orgId });
    const query = await sfInRunner(home, ['data', 'query', '-q', "SELECT Id, Username, Profile.Name FROM User WHERE Username LIKE 'agent0%' ORDER BY Username", '--target-org', 'local', '--json']);
    expect(query.code).toBe(0);
    const records = query.json.result.records as Array<{ Username: string; Profile: { Name: string } }>;
    expect(records.map((r) => r.Username)).toEqual(Array.from({ length: 9 }, (_, i) => `agent0${i + 1}@omni.local`));
    expect(records[0].Profile.Name).toBe('Custom: Support Agent');
    // The human table path asks for ?columns=true first.
    const table = await sfInRunner(home, ['data', 'query', '-q', "SELECT Username, Profile.Name FROM User WHERE Username = 'agent01@omni.local'", '--target-org', 'local'], { SF_CONTENT_TYPE: '' });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('agent01@omni.local');
    expect(table.stdout).toContain('PROFILE.NAME');
  });
});

describe('omni org local', () => {
  it('prints one JSON line, registers the alias for sf, starts with --api-requests-remaining left, and flushes state on SIGTERM', async () => {
    // In the file's sf HOME: the alias the omni process writes there is read by the sf CLI (its runner) below.
    const state = join(mkdtempSync(join(tmpdir(), 'omni-cmd-')), '.local-org', 'state.json');
    const child = spawn(process.execPath, [OMNI_BIN, 'org', 'local', '--json', '--port', '0', '--state', state, '--alias', 'omni-local', '--api-requests-remaining', '700'], {
      env: home.env,
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
      const query = await sfInRunner(home, ['data', 'query', '-q', 'SELECT COUNT() FROM User', '--target-org', 'omni-local', '--json']);
      expect(query.code).toBe(0);
      expect(query.json.result.totalSize).toBe(11);
      // The budget starts at 700 of 15,000 and the sf CLI's requests counted against it.
      const limits = await fetch(`${envelope.result.instanceUrl}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${envelope.result.accessToken}` } });
      const daily = ((await limits.json()) as any).DailyApiRequests;
      expect(daily.Max).toBe(15_000);
      expect(daily.Remaining).toBeLessThan(700);
      expect(daily.Remaining).toBeGreaterThan(600);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(lines).toHaveLength(1);
    expect(existsSync(state)).toBe(true);
    expect(statSync(state).mode & 0o777).toBe(0o600);
  });

  /** Starts `omni org local …` and resolves with the child once `ready` matches a stdout line. */
  function startCommand(args: string[], ready: RegExp, env: NodeJS.ProcessEnv) {
    const child = spawn(process.execPath, [OMNI_BIN, 'org', 'local', ...args], { env, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d) => (out.stdout += d));
    child.stderr.on('data', (d) => (out.stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const started = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => {
        if (ready.test(out.stdout)) resolve();
      });
      child.on('close', () => reject(new Error(`omni org local exited early: ${out.stdout}${out.stderr}`)));
    });
    return { child, out, exited, started };
  }

  it('human output shows URL, username and how to use it but never the token; SIGINT flushes and exits 0; --omni-disabled hides Omni', async () => {
    // In the file's sf HOME: the printed login command (a spawned sf, through sh) writes its alias there, and the
    // sf CLI (the worker's runner) reads it.
    const state = join(mkdtempSync(join(tmpdir(), 'omni-cmd-')), 'state.json');
    const run = startCommand(['--port', '0', '--state', state, '--omni-disabled'], /Press Ctrl-C/, home.env);
    try {
      await run.started;
      const instanceUrl = /Local org running at (http:\/\/127\.0\.0\.1:\d+)/.exec(run.out.stdout)?.[1];
      expect(instanceUrl).toBeDefined();
      const username = /username {2}(admin\.[0-9a-f]{8}@omni\.local)/.exec(run.out.stdout)?.[1];
      expect(username).toBeDefined();
      // The printed login command works as shown (it reads the token from the state file).
      const login = /^ {2}(SF_ACCESS_TOKEN=.* sf org login access-token --instance-url (\S+) --alias (local(?:-\d+)?) --no-prompt)$/m.exec(run.out.stdout);
      // `local`, or the first `local-N` the file's sf HOME does not give another org yet.
      const alias = login?.[3] as string;
      expect(login?.[2]).toBe(instanceUrl);
      const shellPath = `${dirname(process.execPath)}:${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH}`;
      const loggedIn = await runProcess('sh', ['-c', `${login![1]} --json`], { env: { ...home.env, PATH: shellPath } });
      expect(loggedIn.code, loggedIn.stdout + loggedIn.stderr).toBe(0);
      expect(loggedIn.json.result.username).toBe(username);
      const users = await sfInRunner(home, ['data', 'query', '-q', 'SELECT COUNT() FROM User', '--target-org', alias, '--json']);
      expect(users.json.result.totalSize).toBe(11);
      // The token is in the 0600 state file (written at creation), not on the terminal.
      const token: string = JSON.parse(readFileSync(state, 'utf8')).meta.credentials.accessToken;
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const hidden = await fetch(`${instanceUrl}/services/data/v66.0/query?q=${encodeURIComponent('SELECT Id FROM PresenceUserConfig')}`, { headers });
      expect(hidden.status).toBe(400);
      expect(((await hidden.json()) as Array<{ errorCode: string }>)[0].errorCode).toBe('INVALID_TYPE');
      const created = await fetch(`${instanceUrl}/services/data/v66.0/sobjects/PermissionSet`, { method: 'POST', headers, body: JSON.stringify({ Name: 'Flushed_On_Exit', Label: 'Flushed' }) });
      expect(created.status).toBe(201);
      // Interrupt at once (inside the 100 ms save debounce): the shutdown flush must write it.
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
      expect(readFileSync(state, 'utf8')).toContain('Flushed_On_Exit');
      expect(run.out.stdout).toContain(`Local org stopped; state saved to ${state}.`);
      expect(run.out.stdout + run.out.stderr).not.toContain(token);
      expect(run.out.stdout + run.out.stderr).not.toContain(token.split('!')[1]);

      // Another org (another state file, another user) is not offered the alias that now names this one: its
      // login command would have repointed it. It gets the first free one.
      const other = startCommand(['--port', '0', '--state', join(dirname(state), 'other.json')], /Press Ctrl-C/, home.env);
      try {
        await other.started;
        const otherAlias = / --alias (\S+) --no-prompt$/m.exec(other.out.stdout)?.[1];
        expect(otherAlias).toMatch(/^local-\d+$/);
        expect(otherAlias).not.toBe(alias);
      } finally {
        other.child.kill('SIGTERM');
      }
      expect(await other.exited).toBe(0);
      // The same org restarted (its state file, its user) keeps the alias that already names it.
      const restarted = startCommand(['--port', '0', '--state', state], /Press Ctrl-C/, home.env);
      try {
        await restarted.started;
        expect(/ --alias (\S+) --no-prompt$/m.exec(restarted.out.stdout)?.[1]).toBe(alias);
      } finally {
        restarted.child.kill('SIGTERM');
      }
      expect(await restarted.exited).toBe(0);
      // An explicit --alias that another org holds is repointed, as asked, with a warning naming the previous holder.
      const repointed = startCommand(['--json', '--port', '0', '--state', join(dirname(state), 'other.json'), '--alias', alias], /\n/, home.env);
      try {
        await repointed.started;
        expect(JSON.parse(repointed.out.stdout.split('\n')[0]).warnings).toEqual([`Alias "${alias}" named ${username}; it now names this local org (start it with another --alias to keep both).`]);
      } finally {
        repointed.child.kill('SIGTERM');
      }
      expect(await repointed.exited).toBe(0);

      // A restart keeps the org; the seeding flags are reported as ignored, in the JSON line's warnings.
      const again = startCommand(['--json', '--port', '0', '--state', state, '--seed-users', '5'], /\n/, home.env);
      try {
        await again.started;
        const line = JSON.parse(again.out.stdout.split('\n')[0]);
        expect(line.result.accessToken).toBe(token);
        expect(line.warnings).toEqual([expect.stringContaining('--seed-users only apply to a new org')]);
        const count = await fetch(`${line.result.instanceUrl}/services/data/v66.0/query?q=${encodeURIComponent('SELECT COUNT() FROM User')}`, { headers });
        expect(((await count.json()) as { totalSize: number }).totalSize).toBe(11);
      } finally {
        again.child.kill('SIGTERM');
      }
      expect(await again.exited).toBe(0);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('hints say npx sf / npx omni unless sf is on the shell PATH; stopping an --alias org prints no insecure-protocol warning for its loopback URL', async () => {
    const cliHome = makeSfHome();
    const state = join(mkdtempSync(join(tmpdir(), 'omni-cmd-')), 'state.json');
    // PATH as the user's shell has it: no node_modules/.bin, no sf
    const bare = { ...cliHome.env, PATH: mkdtempSync(join(tmpdir(), 'omni-path-')) };
    const run = startCommand(['--port', '0', '--state', state, '--alias', 'hint-org'], /Press Ctrl-C/, bare);
    try {
      await run.started;
      expect(run.out.stdout).toContain('Use it with: npx sf data query -q "SELECT Id, Username FROM User" --target-org hint-org');
      expect(run.out.stdout).toContain('or: npx omni deploy --target-org hint-org');
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
      expect(run.out.stdout).toContain('Local org stopped');
      expect(run.out.stderr).not.toMatch(/insecure protocol/i);
    } finally {
      run.child.kill('SIGKILL');
    }
    // an sf on the PATH (a global install): the login hint names it as it is
    const withSf = mkdtempSync(join(tmpdir(), 'omni-path-'));
    writeFileSync(join(withSf, 'sf'), '#!/bin/sh\n');
    chmodSync(join(withSf, 'sf'), 0o755);
    const second = startCommand(['--port', '0', '--state', state], /Press Ctrl-C/, { ...cliHome.env, PATH: withSf });
    try {
      await second.started;
      expect(second.out.stdout).toContain(`accessToken')" sf org login access-token --instance-url`);
      expect(second.out.stdout).not.toContain('npx sf');
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    } finally {
      second.child.kill('SIGKILL');
      cliHome.cleanup();
    }
  }, 90_000);

  it('[F-50] a second omni org local on the same state file is refused (exit 1, names the running port); the first keeps serving; after it stops the file is free', async () => {
    const cliHome = makeSfHome();
    const state = join(mkdtempSync(join(tmpdir(), 'omni-cmd-')), 'state.json');
    const first = startCommand(['--json', '--port', '0', '--state', state, '--features', 'Voice,Chat'], /\n/, cliHome.env);
    try {
      await first.started;
      const line = JSON.parse(first.out.stdout.split('\n')[0]);
      expect(line.result).toMatchObject({ stateFile: state, features: ['Voice', 'Chat'], apiVersions: { min: '31.0', max: '67.0' } });
      const port = new URL(line.result.instanceUrl).port;
      // In-process: a refusal at start-up, before any server or signal (the first org is the process here).
      const second = await omniOffline(dirname(state), ['org', 'local', '--port', '0', '--state', state, '--json']);
      expect(second.code).toBe(1);
      expect(second.json).toMatchObject({ status: 1, name: 'StateFileInUse' });
      expect(second.json.message).toContain(`in use by the local org running on port ${port}`);
      expect(second.json.actions[0]).toContain(`http://127.0.0.1:${port}`);
      // The first org still answers, with the built-in channels of its features only.
      const token: string = line.result.accessToken;
      const channels = await fetch(`${line.result.instanceUrl}/services/data/v66.0/query?q=${encodeURIComponent('SELECT DeveloperName FROM ServiceChannel ORDER BY DeveloperName')}`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await channels.json()) as { records: Array<{ DeveloperName: string }> }).records.map((r) => r.DeveloperName)).toEqual(['sfdc_liveagent', 'sfdc_phone']);
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(existsSync(`${state}.lock`)).toBe(false);
      const third = startCommand(['--json', '--port', '0', '--state', state], /\n/, cliHome.env);
      await third.started;
      third.child.kill('SIGTERM');
      expect(await third.exited).toBe(0);
    } finally {
      first.child.kill('SIGKILL');
      cliHome.cleanup();
    }
  });

  it('refuses a corrupt state file: exit 1, the file named with what to do, the file left as it was', async () => {
    const state = join(mkdtempSync(join(tmpdir(), 'omni-cmd-')), 'state.json');
    writeFileSync(state, '{"format": "omni-presence/local-org-state", "vers');
    // In-process: a refusal at start-up, before any server or signal (those are the spawned cases above).
    const result = await omniOffline(dirname(state), ['org', 'local', '--port', '0', '--state', state]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error (StateFileUnusable): Local org state file ${state}: is not valid JSON`);
    expect(result.stderr).toContain('Move the file away to start a fresh org, or pass another --state FILE.');
    expect(readFileSync(state, 'utf8')).toBe('{"format": "omni-presence/local-org-state", "vers');
  });
});
