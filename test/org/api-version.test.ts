/**
 * An API version the org does not serve (SF_ORG_API_VERSION, the sf config's org-api-version, --api-version):
 * every org command fails with ApiVersionNotServed — the version asked for, where it came from, the versions the
 * org serves, and the fix for that source — instead of the REST API's bare "NOT_FOUND: The requested resource does
 * not exist"; doctor's api-version check says the same. The org's versions are the local org's own
 * (`org.apiVersions`), read only after the org refused the request.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { authorizeSf, makeSfHome, startTestOrg, type SfHome } from '../helpers/local-org.ts';
import { makeProject } from '../helpers/project.ts';
import { OMNI_BIN, REPO_ROOT } from '../helpers/paths.ts';
import { omniInProcess, omniWithHome } from '../helpers/omni.ts';
import { apiVersionNotServed, apiVersionSource, rememberApiVersionChoice } from '../../scripts/org/api-version.ts';

let org: LocalOrg;
let project: ReturnType<typeof makeProject>;
let home: SfHome;
beforeAll(async () => {
  org = await startTestOrg();
  project = makeProject();
  home = makeSfHome();
  await authorizeSf(home, org, 'acme');
});
afterAll(async () => {
  await org?.stop();
  project?.cleanup();
  await home?.cleanup();
});

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => omniWithHome(project.dir, [...args, '--json'], { ...home.env, CI: 'true', ...env });
const max = () => org.apiVersions.max;
const min = () => org.apiVersions.min;

describe('an API version newer than the org serves', () => {
  it('SF_ORG_API_VERSION: assign plan and plan name the variable, the version, the org\'s range and the fix', async () => {
    for (const args of [['assign', 'plan', '-o', 'acme', '--config', 'miaw', '--user', 'agent01@omni.local'], ['plan', '-o', 'acme']]) {
      const r = await run(args, { SF_ORG_API_VERSION: '99.0' });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.json).toMatchObject({ name: 'ApiVersionNotServed', exitCode: 1, status: 1 });
      expect(r.json.message).toContain('SF_ORG_API_VERSION');
      expect(r.json.message).toContain('99.0');
      expect(r.json.message).toContain(max());
      expect(r.json.message).toContain(min());
      expect(r.json.actions.join('\n')).toContain('SF_ORG_API_VERSION');
      expect(r.json.actions.join('\n')).toContain(max());
      expect(r.json.message).not.toContain('NOT_FOUND');
    }
  });

  it("the sf config's org-api-version, global and the project's: each named, with its own unset/set", async () => {
    const globalConfig = join(home.home, '.sf', 'config.json');
    mkdirSync(join(home.home, '.sf'), { recursive: true });
    writeFileSync(globalConfig, JSON.stringify({ 'org-api-version': '99.0' }));
    try {
      const r = await run(['plan', '-o', 'acme']);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.json.name).toBe('ApiVersionNotServed');
      expect(r.json.message).toContain('org-api-version (global)');
      expect(r.json.message).toContain('99.0');
      expect(r.json.actions.join('\n')).toContain('sf config unset org-api-version --global');
      expect(r.json.actions.join('\n')).toContain(`sf config set org-api-version=${max()} --global`);
    } finally {
      writeFileSync(globalConfig, '{}');
    }
    const localConfig = join(project.dir, '.sf', 'config.json');
    mkdirSync(join(project.dir, '.sf'), { recursive: true });
    writeFileSync(localConfig, JSON.stringify({ 'org-api-version': '99.0' }));
    try {
      const r = await run(['assign', 'plan', '-o', 'acme', '--config', 'miaw', '--user', 'agent01@omni.local']);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.json.name).toBe('ApiVersionNotServed');
      expect(r.json.message).toContain("this project's .sf/config.json");
      expect(r.json.actions.join('\n')).toContain('"sf config unset org-api-version"');
    } finally {
      writeFileSync(localConfig, '{}');
    }
  });

  it('--api-version, in CI (--instance-url, SF_ACCESS_TOKEN): one the product does not know (44.0–67.0) is a usage error, the org never asked', async () => {
    // Newer than the org's highest or older than its lowest, and outside the product's range (reference spec §0.2:
    // the Omni types since 44.0; the XSD's API 67.0): the flag is refused before any request (test/cli/api-version-range).
    const below = `${Number.parseInt(min(), 10) - 1}.0`;
    for (const version of ['99.0', below]) {
      org.resetStats();
      const r = await omniInProcess(org, project.dir, ['plan', '--api-version', version, '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.json).toMatchObject({ name: 'UsageError', exitCode: 2 });
      expect(r.json.message).toContain(`${version} is not an API version omni-presence knows`);
      expect(org.stats().total).toBe(0);
    }
  });

  it('deploy (REST and the Metadata API) gives the same error; the org\'s versions read once, after the refusal, nothing written', async () => {
    org.resetStats();
    const r = await run(['deploy', '-o', 'acme', '--no-prompt'], { SF_ORG_API_VERSION: '99.0' });
    expect(org.stats().byEndpoint.versions).toBe(1);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.json.name).toBe('ApiVersionNotServed');
    expect(r.json.message).toContain('SF_ORG_API_VERSION');
    expect(org.stats().writes).toBe(0);
  });

  it('doctor agrees: its api-version check fails with the same message and fix; the rest skip', async () => {
    const env = { SF_ORG_API_VERSION: '99.0' };
    const failing = await run(['plan', '-o', 'acme'], env);
    const r = await run(['doctor', '-o', 'acme'], env);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const [first, ...rest] = r.json.result.checks;
    expect(first).toMatchObject({ id: 'api-version', status: 'fail', message: failing.json.message, fix: failing.json.actions.join(' ') });
    // skipped for the version, not for an unreachable org
    expect(rest.every((c: { status: string; message: string }) => c.status === 'skip' && /API version/.test(c.message))).toBe(true);
  });

  it("a version the org serves: no request more than with the org's own version (its versions are read only after a refusal)", async () => {
    const plain = await run(['plan', '-o', 'acme']);
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    org.resetStats();
    await run(['plan', '-o', 'acme']);
    const own = org.stats().total;
    org.resetStats();
    const ok = await run(['plan', '-o', 'acme'], { SF_ORG_API_VERSION: max() });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(org.stats().total).toBeLessThanOrEqual(own);
    expect(org.stats().byEndpoint.versions ?? 0).toBe(0);
  });
});

describe('which refusals are a version the org does not serve', () => {
  it("the Metadata API's UNSUPPORTED_API_VERSION fault and REST's NOT_FOUND (also as a cause) are, when the chosen version is outside the org's; a NOT_FOUND at a served version is not", async () => {
    const choose = (version: string) => rememberApiVersionChoice({ instanceUrl: org.instanceUrl, label: 'acme', version, source: { kind: 'flag' } });
    try {
      choose('99.0');
      const soap = await apiVersionNotServed(Object.assign(new Error('Invalid Api version specified on URL'), { name: 'sf:UNSUPPORTED_API_VERSION' }));
      expect(soap).toMatchObject({ name: 'ApiVersionNotServed', exitCode: 1 });
      expect(soap?.message).toContain(max());
      const wrapped = await apiVersionNotServed(new Error('retrieve failed', { cause: Object.assign(new Error('The requested resource does not exist'), { errorCode: 'NOT_FOUND' }) }));
      expect(wrapped?.name).toBe('ApiVersionNotServed');
      // an error that is no refusal of the version: left alone, and the org is not asked
      org.resetStats();
      expect(await apiVersionNotServed(Object.assign(new Error('bad value'), { errorCode: 'INVALID_FIELD' }))).toBeUndefined();
      expect(org.stats().byEndpoint.versions ?? 0).toBe(0);
      choose(max());
      expect(await apiVersionNotServed(Object.assign(new Error('The requested resource does not exist'), { errorCode: 'NOT_FOUND' }))).toBeUndefined();
    } finally {
      rememberApiVersionChoice(undefined);
    }
  });
});

describe('where a chosen version came from (core ConfigAggregator.getInfo of org-api-version)', () => {
  const info = (value: string | undefined, location: 'Environment' | 'Global' | 'Local' | undefined, path?: string) => ({
    value,
    path,
    isEnvVar: () => location === 'Environment',
    isGlobal: () => location === 'Global',
  });
  it('the flag only when it differs from the config value sf defaults it to; the older SFDX_API_VERSION named as set', () => {
    expect(apiVersionSource(undefined, info(undefined, undefined))).toBeUndefined();
    expect(apiVersionSource('99.0', info(undefined, undefined))).toEqual({ kind: 'flag' });
    expect(apiVersionSource('99.0', info('99.0', 'Environment', '$SF_ORG_API_VERSION'), { SF_ORG_API_VERSION: '99.0' })).toEqual({ kind: 'env', variable: 'SF_ORG_API_VERSION' });
    expect(apiVersionSource('98.0', info('99.0', 'Environment', '$SF_ORG_API_VERSION'), { SF_ORG_API_VERSION: '99.0' })).toEqual({ kind: 'flag' });
    expect(apiVersionSource(undefined, info('99.0', 'Environment', '$SF_ORG_API_VERSION'), { SFDX_API_VERSION: '99.0' })).toEqual({ kind: 'env', variable: 'SFDX_API_VERSION' });
    expect(apiVersionSource('99.0', info('99.0', 'Global', '/h/.sf/config.json'), {})).toEqual({ kind: 'config', global: true });
    expect(apiVersionSource(undefined, info('99.0', 'Local', '.sf/config.json'), {})).toEqual({ kind: 'config', global: false });
  });
});

describe('a chosen version warns once, as sf, not once per command at start', () => {
  it('the omni bin (spawned: process warnings are the point) with SF_ORG_API_VERSION set: an offline command prints no "configuration overridden"', () => {
    // oclif builds each command's manifest entry at start; sf's --api-version default warns through process.emitWarning
    // when it is called for that (once per command with the flag, 13 here) before any command listens.
    const r = spawnSync(join(REPO_ROOT, 'node_modules/.bin/node'), [OMNI_BIN, 'validate', '--json'], {
      cwd: project.dir,
      encoding: 'utf8',
      env: { ...home.env, CI: 'true', SF_ORG_API_VERSION: '60.0' },
      timeout: 120_000,
    });
    // it ran (its envelope, whatever the project's findings) and printed no start-up warnings
    expect(JSON.parse(r.stdout)).toHaveProperty('status');
    expect(r.stderr).not.toContain('configuration overridden');
  });
});
