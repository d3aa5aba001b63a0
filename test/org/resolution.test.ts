/**
 * Which org a command talks to, through the CLI entry and the real sf auth store (written by the real sf CLI)
 * in an isolated HOME:
 * --target-org (alias or username) → the sf config's target-org → an error with the login hint;
 * --instance-url with SF_ACCESS_TOKEN; an expired session gets the login hint (`omni org local` for a local org), and a
 * stored refresh token is used as sf uses it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { authorizeSf, loginSf, makeSfHome, runSf, sfInRunner, startTestOrg, type SfHome } from '../helpers/local-org.ts';
import { NODE_BIN, OMNI } from '../deploy/helpers.ts';
import { makeProject } from '../helpers/project.ts';
import { omniWithHome } from '../helpers/omni.ts';
import { withSfHome } from '../helpers/sf-home.ts';

/**
 * `omni plan --json` with `home` as HOME (no CI token unless given): the cheapest command that connects and
 * reads. In-process: the auth store the real sf CLI wrote is read by @salesforce/core as in the bin.
 */
function plan(home: SfHome, cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return omniWithHome(cwd, ['plan', '--json', ...args], { ...home.env, CI: 'true', ...env });
}

let org: LocalOrg;
let project: ReturnType<typeof makeProject>;
beforeAll(async () => {
  org = await startTestOrg();
  project = makeProject();
});
afterAll(async () => {
  await org?.stop();
  project?.cleanup();
});

describe('--target-org and the sf config', () => {
  let home: SfHome;
  beforeAll(async () => {
    home = makeSfHome();
    await loginSf(home, org, 'acme-dev');
  });
  afterAll(() => home?.cleanup());

  it('--target-org ALIAS uses the auth stored by sf org login access-token', async () => {
    const r = await plan(home, project.dir, ['--target-org', 'acme-dev']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.result.org).toEqual({ username: org.username, instanceUrl: org.instanceUrl });
    expect(r.stdout + r.stderr).not.toContain(org.accessToken);
  });

  it('--target-org USERNAME works as well', async () => {
    const r = await plan(home, project.dir, ['--target-org', org.username]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.result.org.instanceUrl).toBe(org.instanceUrl);
  });

  it("without --target-org: no default → sf's NoDefaultEnv, exit 1 (not the usage error of a mistyped -o); the error names --target-org, sf config and the login command", async () => {
    const r = await plan(home, project.dir, []);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ name: 'NoDefaultEnv', exitCode: 1, status: 1 });
    const actions = r.json.actions.join('\n');
    expect(actions).toContain('--target-org');
    expect(actions).toContain('sf config set target-org');
    expect(actions).toMatch(/sf org login web --alias \S+/);
  });

  it('an unknown alias → NoOrgFound with "sf org login web --alias <that alias>"', async () => {
    const r = await plan(home, project.dir, ['--target-org', 'nosuch-org']);
    expect(r.code).toBe(2); // as sf: a --target-org that names no org is a usage error (issue #16)
    expect(r.json.name).toBe('NoOrgFound');
    expect(r.json.actions.join('\n')).toContain('sf org login web --alias nosuch-org');
  });

  it('a misspelt alias → exit 2 with sf\'s "Did you mean" (from @salesforce/core) first, then the login hint', async () => {
    const r = await plan(home, project.dir, ['--target-org', 'acme-dve']);
    expect(r.code).toBe(2);
    expect(r.json).toMatchObject({ name: 'NoOrgFound', exitCode: 2, status: 2 });
    expect(r.json.actions[0]).toBe('It looks like you mistyped the username or alias. Did you mean "acme-dev"?');
    expect(r.json.actions.join('\n')).toContain('sf org login web --alias acme-dve');
  });

  it("-o is sf's optionalOrg, resolved as the command line is parsed: a misspelt one is refused with sf's suggestion before any request; beside --instance-url it is not resolved", async () => {
    org.resetStats();
    const r = await plan(home, project.dir, ['-o', 'acme-dve']);
    expect(r.code).toBe(2);
    expect(r.json).toMatchObject({ name: 'NoOrgFound', exitCode: 2 });
    expect(r.json.actions[0]).toBe('It looks like you mistyped the username or alias. Did you mean "acme-dev"?');
    expect(org.stats().total).toBe(0);
    // --instance-url (with SF_ACCESS_TOKEN) takes precedence: -o is then not resolved at all
    const byUrl = await plan(home, project.dir, ['-o', 'acme-dve', '--instance-url', org.instanceUrl], { SF_ACCESS_TOKEN: org.accessToken });
    expect(byUrl.code, byUrl.stdout).toBe(0);
    expect(byUrl.json.result.org.instanceUrl).toBe(org.instanceUrl);
  });

  it("without --target-org: the sf config's target-org; --target-org beats it; --instance-url beats both", async () => {
    // Precedence is shown with an alias that does not resolve (no second org needed).
    // sf config set / unset in the worker's sf runner (test/helpers/sf-runner.ts), as the login above: the same sf
    // entry, its modules loaded once for the three. The file's spawned sf is `sf org list auth` below (a fresh
    // process reading an auth store it did not write).
    const set = await sfInRunner(home, ['config', 'set', 'target-org', 'acme-dev', '--global', '--json']);
    expect(set.code, set.stdout).toBe(0);
    try {
      const byConfig = await plan(home, project.dir, []);
      expect(byConfig.code, byConfig.stdout).toBe(0);
      expect(byConfig.json.result.org.instanceUrl).toBe(org.instanceUrl);

      const byFlag = await plan(home, project.dir, ['--target-org', 'nosuch-org']);
      expect(byFlag.json.name).toBe('NoOrgFound');
      expect(byFlag.json.message).toContain('nosuch-org');

      // sf config set refuses an org it does not know; a stale default looks like this on disk.
      writeFileSync(join(home.home, '.sf', 'config.json'), JSON.stringify({ 'target-org': 'nosuch-org' }));
      // As sf (requiredOrg's default: NoDefaultEnvError, exit 1): no org on the command line, so no usage error.
      const broken = await plan(home, project.dir, []);
      expect(broken.json).toMatchObject({ name: 'NoDefaultEnv', exitCode: 1, status: 1 });
      expect(broken.code).toBe(1);
      expect(broken.json.message).toContain('"nosuch-org"');
      expect(broken.json.actions.join('\n')).toContain('sf org login web --alias nosuch-org');
      expect(broken.json.actions.join('\n')).toContain('sf config set target-org');
      const byUrl = await plan(home, project.dir, ['--instance-url', org.instanceUrl], { SF_ACCESS_TOKEN: org.accessToken });
      expect(byUrl.code, byUrl.stdout).toBe(0);
      expect(byUrl.json.result.org.instanceUrl).toBe(org.instanceUrl);
    } finally {
      await sfInRunner(home, ['config', 'unset', 'target-org', '--global', '--json']);
    }
  });
});

describe('--instance-url with SF_ACCESS_TOKEN', () => {
  it('connects without any auth store, and asks for the token when it is missing', async () => {
    const home = makeSfHome();
    try {
      const ok = await plan(home, project.dir, ['--instance-url', org.instanceUrl], { SF_ACCESS_TOKEN: org.accessToken });
      expect(ok.code, ok.stdout).toBe(0);
      expect(ok.json.result.org.username).toBe(org.username);
      expect(ok.stdout + ok.stderr).not.toContain(org.accessToken);
      const missing = await plan(home, project.dir, ['--instance-url', org.instanceUrl]);
      expect(missing.code).toBe(2);
      expect(missing.json.name).toBe('NoAccessToken');
      expect(missing.json.actions.join(' ')).toContain('SF_ACCESS_TOKEN');
    } finally {
      home.cleanup();
    }
  });
});

describe('expired sessions', () => {
  it('an expired access token (no refresh token) → ExpiredSession with the login for <alias> (a local org: "omni org local --alias <alias>"), token not printed', async () => {
    // The session ends right after the login (the org answers an expired and a revoked token alike, 401
    // INVALID_SESSION_ID): no race between a token lifetime and a login that a loaded machine makes slow.
    const short = await startTestOrg();
    const home = makeSfHome();
    try {
      await authorizeSf(home, short, 'short-lived');
      short.revokeSessions();
      const r = await plan(home, project.dir, ['--target-org', 'short-lived']);
      expect(r.code).toBe(1);
      expect(r.json.name).toBe('ExpiredSession');
      expect(r.json.message).toContain('short-lived');
      // The org is on 127.0.0.1: a local org, logged in with omni org local (a Salesforce URL keeps sf's
      // login: test/org/auth-error.test.ts).
      expect(r.json.actions.join('\n')).toContain('omni org local --alias short-lived');
      expect(r.stdout + r.stderr).not.toContain(short.accessToken);
      // The same through --instance-url: the hint tells to export a fresh token.
      const ci = await plan(home, project.dir, ['--instance-url', short.instanceUrl], { SF_ACCESS_TOKEN: short.accessToken });
      expect(ci.code).toBe(1);
      expect(ci.json.name).toBe('ExpiredSession');
      expect(ci.json.actions.join('\n')).toContain('SF_ACCESS_TOKEN');
      expect(ci.stdout + ci.stderr).not.toContain(short.accessToken);
    } finally {
      home.cleanup();
      await short.stop();
    }
  }, 60_000);

  it('with a stored refresh token the expired access token is refreshed, as sf does', async () => {
    const short = await startTestOrg();
    const home = makeSfHome();
    try {
      // sf's own refresh-token logins (web, sfdx-url) insist on https; @salesforce/core — which they
      // use to write the auth store — takes the local org's http URL, so store the auth through it
      // (in-process, in this HOME: the sf CLI listing it below is the process that reads it).
      const saved = withSfHome(home.env, undefined, async () => {
        const { AuthInfo } = await import('@salesforce/core');
        const a = await AuthInfo.create({ oauth2Options: { clientId: 'PlatformCLI', refreshToken: short.refreshToken, loginUrl: short.instanceUrl } as never });
        await a.save();
        await a.handleAliasAndDefaultSettings({ alias: 'refreshing', setDefault: false, setDefaultDevHub: false });
        return a.getUsername();
      });
      await expect(saved).resolves.toBe(short.username);
      const listed = await runSf(home, ['org', 'list', 'auth', '--json']);
      expect(listed.stdout).toContain('refreshing');
      // The stored access token's session ends; the refresh token stays valid.
      short.revokeSessions();
      short.resetStats();
      const r = await plan(home, project.dir, ['--target-org', 'refreshing']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.json.result.org.username).toBe(short.username);
      expect(short.stats().byEndpoint['oauth/token']).toBeGreaterThanOrEqual(1);
    } finally {
      home.cleanup();
      await short.stop();
    }
  });
});

describe('omni org local --alias', () => {
  it('registers the org in the sf auth store; --target-org ALIAS then reaches it', async () => {
    const home = makeSfHome();
    const state = mkdtempSync(join(tmpdir(), 'omni-org-local-'));
    const env: NodeJS.ProcessEnv = { ...home.env, CI: 'true' };
    const child = spawn(NODE_BIN, [OMNI, 'org', 'local', '--alias', 'my-local', '--state', join(state, 'state.json')], { cwd: project.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const deadline = Date.now() + 30_000;
      while (!/--target-org my-local/.test(out)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`omni org local did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const r = await plan(home, project.dir, ['--target-org', 'my-local']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.json.result.org.username).toMatch(/^admin\.[0-9a-f]{8}@omni\.local$/);
      expect(r.json.result.org.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('close', r));
      rmSync(state, { recursive: true, force: true });
      home.cleanup();
    }
  });
});
