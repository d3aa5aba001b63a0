/**
 * A session the org refuses and no refresh can cure (a revoked refresh token), met after the connect: every command
 * says ExpiredSession with the login that cures it, as connect-time failures and doctor do — never a bare
 * SessionLost or core's "Unable to refresh session…" with no action. Over real HTTP against the local org.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { describeFailure } from '../../scripts/cli/failure.ts';
import { SessionLost } from '../../scripts/assign/api.ts';
import { rememberInstanceUrl } from '../../scripts/org/http-errors.ts';
import { makeProject } from '../helpers/project.ts';
import { makeSfHome, REPO_ROOT, startTestOrg, type SfHome } from '../helpers/local-org.ts';
import { omniWithHome } from '../helpers/omni.ts';
import { aliasWithRevokedRefreshToken } from '../helpers/sf-home.ts';

let org: LocalOrg;
let home: SfHome;
beforeAll(async () => {
  org = await startTestOrg();
  home = makeSfHome();
  // An alias whose refresh token the org has since revoked, its session ended: the next request fails for good.
  await aliasWithRevokedRefreshToken(home.env, org, 'revoked');
});
afterAll(async () => {
  await org.stop();
  home.cleanup();
});

describe('a revoked refresh token: ExpiredSession with the login action, whichever command meets it', () => {
  it('assign plan/apply, access check and explain (their first reads are not connect\'s) say so as doctor and deploy do', async () => {
    const p = makeProject();
    try {
      mkdirSync(join(p.dir, 'config', 'assignments'), { recursive: true });
      cpSync(join(REPO_ROOT, 'config', 'assignments', 'local.yaml'), join(p.dir, 'config', 'assignments', 'local.yaml'));
      const login = 'It is a local org (its instance URL is on this machine): log in again with "omni org local --alias revoked".';
      const lines = [['assign', 'plan', '-f', 'config/assignments/local.yaml'], ['assign', 'apply', '-f', 'config/assignments/local.yaml', '--no-prompt'], ['access', 'check'], ['explain', 'agent01@omni.local'], ['deploy']];
      for (const args of lines) {
        const label = args.join(' ');
        const r = await omniWithHome(p.dir, [...args, '-o', 'revoked', '--json'], home.env);
        expect(r.code, label).toBe(1);
        expect(r.json, label).toMatchObject({ name: 'ExpiredSession', exitCode: 1, message: 'The session for "revoked" has expired or is invalid.' });
        expect(r.json.actions, label).toContain(login);
      }
      const doctor = await omniWithHome(p.dir, ['doctor', '-o', 'revoked', '--json'], home.env);
      expect(doctor.code).toBe(1);
      expect(doctor.json.result.checks[0]).toMatchObject({ status: 'fail', message: 'The session for "revoked" has expired or is invalid.' });
      expect(doctor.json.result.checks[0].fix).toContain(login);
    } finally {
      p.cleanup();
    }
  }, 120_000);

  it('a session lost after the connect to a Salesforce org names the org and its sf login', () => {
    rememberInstanceUrl('https://acme--uat.sandbox.my.salesforce.com', 'uat');
    try {
      for (const thrown of [
        new SessionLost({ code: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }),
        new Error('Unable to refresh session due to: Error authenticating with the refresh token due to: expired access/refresh token'),
      ]) {
        const failure = describeFailure(thrown, 'OmniAssignPlan', [], {});
        expect(failure.exitCode).toBe(1);
        expect(failure.envelope).toMatchObject({ name: 'ExpiredSession', message: 'The session for "uat" has expired or is invalid.' });
        expect(failure.envelope.actions).toContain('Log in again: "sf org login web --alias uat".');
      }
    } finally {
      rememberInstanceUrl(undefined);
    }
  });
});
