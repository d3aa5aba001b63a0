/**
 * The project as an sf plugin: `sf plugins link .` with the project's own sf CLI in an isolated HOME,
 * then `sf omni …` against the local org. The unmodified sf CLI (its plugin loader, its flag parsing and
 * error envelope, its exit codes) is what is under test: the misspelt-alias case runs as a spawned sf process
 * (the linked plugin as a fresh process loads it, the exit code of the real process); the link and the other
 * `sf omni …` commands run through the same sf entry in the worker's sf runner (test/helpers/sf-runner.ts), so
 * that the ~1,000 modules of sf, core and the plugin load once instead of once per command. The link comes
 * first: no module of the plugin is loaded before it (the runner reads oclif's config again once the HOME's
 * plugin list changes).
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/index.ts';
import { authorizeSf, makeSfHome, REPO_ROOT, runProcess, startTestOrg, type SfHome } from '../helpers/local-org.ts';
import { sfRun } from '../helpers/sf-runner.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';
import { omniInProcess, omniOffline, omniWithHome } from '../helpers/omni.ts';
import { aliasWithRevokedRefreshToken } from '../helpers/sf-home.ts';

let home: SfHome;
let org: LocalOrg;
beforeAll(async () => {
  home = makeSfHome();
  org = await startTestOrg();
  const link = await sfIn(REPO_ROOT, ['plugins', 'link', REPO_ROOT, '--no-install']);
  if (link.code !== 0) throw new Error(`sf plugins link failed (${link.code}): ${link.stdout}${link.stderr}`);
  await authorizeSf(home, org, 'omni-local');
}, 120_000);
afterAll(async () => {
  await org?.stop();
  await home?.cleanup();
});

/** `sf …` in a project folder (cwd), in the worker's sf runner: the HOME's environment plus `env`. */
function sfIn(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return sfRun(home.env, args, { cwd, env: { ...home.env, ...env }, timeoutMs: 110_000 });
}

/** The same as a spawned `sf` process. */
function sfSpawned(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return runProcess(`${REPO_ROOT}/node_modules/.bin/sf`, args, { cwd, env: { ...home.env, ...env }, timeoutMs: 110_000 });
}

describe('sf omni … (linked plugin)', () => {
  it('lists the omni commands under their topic and validates the sample project (exit 0, sf envelope)', async () => {
    // Loads every command class of every plugin (~3 s of CPU): the longer deadline of sfIn.
    const list = await sfIn(REPO_ROOT, ['commands', '--json']);
    expect(list.code, list.stderr.slice(0, 500)).toBe(0);
    const ids: string[] = list.json.map((c: { id: string }) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['omni:validate', 'omni:deploy', 'omni:deploy:report', 'omni:assign:apply', 'omni:setup', 'omni:org:local']));

    const v = await sfIn(REPO_ROOT, ['omni', 'validate', '--json']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.json).toMatchObject({ status: 0, warnings: [] });
    expect(v.json.result.diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
  }, 120_000);

  it('deploys to the local org by alias: result.files[] with fullName, type, state, filePath', async () => {
    const p = makeProject();
    try {
      const d = await sfIn(p.dir, ['omni', 'deploy', '-o', 'omni-local', '--json']);
      expect(d.code, d.stdout + d.stderr).toBe(0);
      expect(d.json.status).toBe(0);
      const files: Array<Record<string, string>> = d.json.result.files;
      expect(files.length).toBeGreaterThan(10);
      for (const f of files) expect(Object.keys(f)).toEqual(expect.arrayContaining(['fullName', 'type', 'state', 'filePath']));
      expect(files).toContainEqual(expect.objectContaining({ type: 'PresenceUserConfig', fullName: 'miaw', state: 'Created', filePath: expect.stringContaining('miaw.presenceUserConfig-meta.xml') }));
    } finally {
      p.cleanup();
    }
  }, 120_000);

  it('--async exits 0 with result.id, as sf project deploy start --async does; its hints name sf omni', async () => {
    // With the spec's record settings, which wait for the deploy: a "deploy resume" hint.
    const p = makeProject({ copy: SAMPLE_WITH_CONFIG });
    try {
      const a = await sfIn(p.dir, ['omni', 'deploy', '-o', 'omni-local', '--async', '--json']);
      expect(a.code, a.stdout + a.stderr).toBe(0);
      expect(a.json.status).toBe(0);
      expect(a.json.result.id).toMatch(/^0Af/);
      // Next steps are named as the user runs them: under sf, with the sf prefix (the omni bin: test/deploy/outcomes.test.ts).
      expect(a.json.result.reportCommand).toBe(`sf omni deploy report ${a.json.result.id}`);
      const resume = (a.json.warnings as string[]).find((w) => w.includes('deploy resume'));
      expect(resume, JSON.stringify(a.json.warnings)).toContain(`"sf omni deploy resume ${a.json.result.id}"`);
      const text = await sfIn(p.dir, ['omni', 'deploy', '-o', 'omni-local', '--async']);
      expect(text.code, text.stdout + text.stderr).toBe(0);
      expect(text.stdout + text.stderr).toMatch(/Follow it with: sf omni deploy report 0Af\w+/);
    } finally {
      p.cleanup();
    }
  }, 120_000);

  it('a misspelt alias: sf error fields, its exit code and the "Did you mean" suggestion; nothing deployed', async () => {
    // A spawned sf: the exit code of the real process.
    const d = await sfSpawned(REPO_ROOT, ['omni', 'deploy', '-o', 'omni-locl', '--json']);
    expect(d.code).toBe(d.json.exitCode);
    expect(d.code).not.toBe(0);
    // The same answer as npx omni (test/org/resolution.test.ts): sf's suggestion first, then the login hint.
    expect(d.json).toMatchObject({ name: 'NoOrgFound', exitCode: 2, status: 2, commandName: 'OmniDeploy', warnings: [] });
    expect(d.json.message).toContain('omni-locl');
    expect(d.json.actions[0]).toContain('Did you mean "omni-local"?');
    expect(d.json.actions.join('\n')).toContain('sf org login web --alias omni-locl');
    expect(d.stdout).not.toContain(org.accessToken);
  }, 120_000);

  it('sf omni and npx omni are the same command: assign plan gives the same result; -w 0 is sf\'s duration (still running → 69); --concise with --verbose is refused by oclif (exit 2)', async () => {
    const p = makeProject();
    try {
      const args = ['assign', 'plan', '--config', 'miaw', '--user', 'agent01@omni.local', '--user', 'agent02@omni.local', '--json'];
      // The configurations the plan names, deployed in-process: deploying through sf is the test above.
      expect((await omniInProcess(org, p.dir, ['deploy', '--json'])).code).toBe(0);
      const viaSf = await sfIn(p.dir, ['omni', ...args, '-o', 'omni-local']);
      // The omni bin's command in-process, with this HOME (its auth store, the alias): the bin as a process is
      // test/cli/launcher.test.ts's.
      const viaBin = await omniWithHome(p.dir, [...args, '-o', 'omni-local'], { ...home.env, CI: 'true' });
      expect(viaSf.code, viaSf.stdout + viaSf.stderr).toBe(0);
      expect(viaBin.code, viaBin.stdout + viaBin.stderr).toBe(0);
      expect(viaSf.json.result).toEqual(viaBin.json.result);
      expect(viaSf.json.result.items.length).toBe(2);

      const running = await sfIn(p.dir, ['omni', 'deploy', '-o', 'omni-local', '-w', '0', '--json']);
      expect([0, 69]).toContain(running.code); // 0 only if the local org finished before the first poll
      expect(running.json.status).toBe(running.code);
      const bad = await sfIn(p.dir, ['omni', 'deploy', '-o', 'omni-local', '--concise', '--verbose', '--json']);
      expect(bad.code).toBe(2);
      expect(bad.json.message).toMatch(/--verbose|--concise/);
      const tooLong = await sfIn(p.dir, ['omni', 'deploy', '-o', 'omni-local', '-w', '99999', '--json']);
      expect(tooLong.code).toBe(2);
    } finally {
      p.cleanup();
    }
  }, 180_000);

  it('an omni error keeps its name, exit code and actions in sf\'s error envelope; actions and help name commands as sf runs them', async () => {
    const p = makeProject();
    try {
      const d = await sfIn(p.dir, ['omni', 'deploy', 'report', '0AfNOSUCHDEPLOY00', '-o', 'omni-local', '--json']);
      expect(d.code, d.stdout + d.stderr).not.toBe(0);
      expect(d.json).toMatchObject({ exitCode: d.code, status: d.code, commandName: 'OmniDeployReport', warnings: [] });
      expect(typeof d.json.name).toBe('string');
      expect(d.json.name).not.toBe('Error');
      // Not a job id: the action names the deploy as sf runs it, never the omni bin alone.
      expect(d.json).toMatchObject({ name: 'InvalidJobId', actions: ['Copy the id printed by "sf omni deploy --async", or omit it to use the last deploy.'] });
      const flag = await sfIn(p.dir, ['omni', 'deploy', '--frob', '--json']);
      expect(flag.json).toMatchObject({ name: 'UsageError', exitCode: 2, actions: ['Run "sf omni deploy --help" for the flags.'] });
      const help = await sfIn(p.dir, ['omni', 'deploy', '--help'], { SF_CONTENT_TYPE: '' });
      expect(help.stdout.replace(/\s+/g, ' ')).toContain('follow with "sf omni deploy report JOB_ID"');
    } finally {
      p.cleanup();
    }
  }, 120_000);

  it('a bad command line gets the same UsageError (name, message, exit 2) from sf omni as from the omni bin, for every kind of flag', async () => {
    // sf's oclif.exitCodes (default: 1, failedFlagParsing: 2) made an invalid option or a missing value
    // "Error (Error)", exit 1 under sf, while the bin said UsageError, exit 2 (and the reverse for --wait abc).
    const p = makeProject();
    try {
      const lines = [
        ['validate', '--format', 'xml'],
        ['validate', '--level'],
        ['validate', '--api-version', 'abc'],
        ['deploy', '--wait', 'abc'],
        ['deploy', '--wait', '99999'],
        ['deploy', '-o'],
        ['deploy', '--source-dir', 'force-app', '--metadata', 'ServiceChannel'],
        ['deploy', '--frob'],
        ['org', 'local', '--port', 'abc'],
        ['doctor', '--instance-url', 'notaurl'],
        ['assign', 'undo'],
      ];
      for (const args of lines) {
        const viaSf = await sfIn(p.dir, ['omni', ...args, '--json']);
        const viaBin = await omniOffline(p.dir, [...args, '--json']);
        const label = args.join(' ');
        expect(viaSf.code, label).toBe(2);
        expect(viaBin.code, label).toBe(2);
        expect(viaSf.json, label).toMatchObject({ name: 'UsageError', exitCode: 2, status: 2, message: viaBin.json.message });
        expect(viaSf.json.actions, label).toEqual(viaBin.json.actions.map((a: string) => a.replace('"omni ', '"sf omni ')));
      }
    } finally {
      p.cleanup();
    }
  }, 180_000);

  it('an alias whose org is down: OrgUnreachable, exit 1 under sf omni as under the bin, its actions with sf omni; doctor reports it in its checks', async () => {
    // The org check at -o's parse threw OrgUnreachable inside oclif's flag parse, which marked it with sf's
    // failedFlagParsing exit (2), and it was built before the command's prefix was known ("omni org local").
    const down = await startTestOrg();
    const p = makeProject();
    try {
      await authorizeSf(home, down, 'gone');
      const url = down.instanceUrl;
      await down.stop();
      mkdirSync(join(p.dir, 'config', 'assignments'), { recursive: true });
      cpSync(join(REPO_ROOT, 'config', 'assignments', 'local.yaml'), join(p.dir, 'config', 'assignments', 'local.yaml'));
      const message = `The org at ${url} could not be reached (connection refused).`;
      for (const args of [['deploy'], ['assign', 'plan', '-f', 'config/assignments/local.yaml'], ['plan'], ['setup', '--no-prompt']]) {
        const label = args.join(' ');
        const viaSf = await sfIn(p.dir, ['omni', ...args, '-o', 'gone', '--json']);
        const viaBin = await omniWithHome(p.dir, [...args, '-o', 'gone', '--json'], { ...home.env, CI: 'true' });
        expect(viaSf.code, label).toBe(1);
        expect(viaBin.code, label).toBe(1);
        expect(viaSf.json, label).toMatchObject({ name: 'OrgUnreachable', exitCode: 1, status: 1, message });
        expect(viaBin.json, label).toMatchObject({ name: 'OrgUnreachable', exitCode: 1, status: 1, message });
        expect(viaBin.json.actions, label).toContain('For the local org: start it with "omni org local" (it prints the URL) and use that URL.');
        expect(viaSf.json.actions, label).toEqual(viaBin.json.actions.map((a: string) => a.replace('"omni ', '"sf omni ')));
      }
      // Doctor diagnoses: the report, its first check failed with the URL and the fix, the others skipped, exit 1.
      const doctor = await sfIn(p.dir, ['omni', 'doctor', '-o', 'gone', '--json']);
      expect(doctor.code, doctor.stdout + doctor.stderr).toBe(1);
      expect(doctor.json.status).toBe(1);
      const checks: Array<{ status: string; message: string; fix?: string }> = doctor.json.result.checks;
      expect(checks[0]).toMatchObject({ status: 'fail', message });
      expect(checks[0].fix).toContain('"sf omni org local"');
      expect(checks.slice(1).length).toBeGreaterThan(3);
      expect(checks.slice(1).every((c) => c.status === 'skip')).toBe(true);
      const text = await sfIn(p.dir, ['omni', 'doctor', '-o', 'gone'], { SF_CONTENT_TYPE: '' });
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(message);
    } finally {
      await down.stop();
      p.cleanup();
    }
  }, 180_000);

  it('a revoked refresh token met after the connect: ExpiredSession with the login action under sf omni as under the bin (sf omni org local)', async () => {
    // assign plan's first reads are not connect's: their SessionLost reached the user bare, with no action.
    const revoked = await startTestOrg();
    const p = makeProject();
    try {
      await aliasWithRevokedRefreshToken(home.env, revoked, 'revoked');
      const args = ['assign', 'plan', '--config', 'miaw', '--user', 'agent01@omni.local', '-o', 'revoked', '--json'];
      const viaSf = await sfIn(p.dir, ['omni', ...args]);
      const viaBin = await omniWithHome(p.dir, args, { ...home.env, CI: 'true' });
      for (const r of [viaSf, viaBin]) {
        expect(r.code, r.stdout + r.stderr).toBe(1);
        expect(r.json).toMatchObject({ name: 'ExpiredSession', exitCode: 1, status: 1, message: 'The session for "revoked" has expired or is invalid.' });
      }
      expect(viaBin.json.actions).toContain('It is a local org (its instance URL is on this machine): log in again with "omni org local --alias revoked".');
      expect(viaSf.json.actions).toEqual(viaBin.json.actions.map((a: string) => a.replace('"omni ', '"sf omni ')));

      // deploy meets it in connect's first request (describeOrg): the same error and actions.
      const deploy = await sfIn(p.dir, ['omni', 'deploy', '-o', 'revoked', '--json']);
      expect(deploy.code, deploy.stdout + deploy.stderr).toBe(1);
      expect(deploy.json).toMatchObject({ name: 'ExpiredSession', exitCode: 1, status: 1, actions: viaSf.json.actions });
    } finally {
      await revoked.stop();
      p.cleanup();
    }
  }, 120_000);

  it('--flags-dir gives sf omni and the omni bin the same command line (sf\'s preparse hook in both)', async () => {
    const p = makeProject();
    try {
      mkdirSync(join(p.dir, 'flags'));
      writeFileSync(join(p.dir, 'flags', 'level'), 'info\n');
      const viaSf = await sfIn(p.dir, ['omni', 'validate', '--flags-dir', 'flags', '--json']);
      const viaBin = await omniOffline(p.dir, ['validate', '--flags-dir', 'flags', '--json']);
      const viaFlag = await omniOffline(p.dir, ['validate', '--level', 'info', '--json']);
      expect(viaSf.code, viaSf.stdout + viaSf.stderr).toBe(0);
      expect(viaSf.json.result).toEqual(viaBin.json.result);
      expect(viaBin.json.result).toEqual(viaFlag.json.result);
    } finally {
      p.cleanup();
    }
  }, 120_000);

  it('sf omni setup and sf omni assign apply change the org as asked (read back from the org\'s own rows), and a re-run writes nothing', async () => {
    const p = makeProject();
    try {
      mkdirSync(join(p.dir, 'config', 'assignments'), { recursive: true });
      cpSync(join(REPO_ROOT, 'config', 'assignments', 'local.yaml'), join(p.dir, 'config', 'assignments', 'local.yaml'));
      const setup = await sfIn(p.dir, ['omni', 'setup', '-o', 'omni-local', '--file', 'config/assignments/local.yaml', '--no-prompt', '--json']);
      expect(setup.code, setup.stdout + setup.stderr).toBe(0);
      expect(setup.json).toMatchObject({ status: 0, warnings: expect.any(Array) });
      expect(setup.json.result.stages.map((st: { stage: string }) => st.stage)).toEqual(expect.arrayContaining(['doctor', 'validate', 'deploy', 'assign', 'grant', 'verify']));
      // The file's user rows (local.yaml: agent01–04 on miaw, agent05–07 on Voice_Agents), as the org holds them.
      expect(holders('miaw')).toEqual(['agent01@omni.local', 'agent02@omni.local', 'agent03@omni.local', 'agent04@omni.local']);
      expect(holders('Voice_Agents')).toEqual(['agent05@omni.local', 'agent06@omni.local', 'agent07@omni.local']);

      const move = await sfIn(p.dir, ['omni', 'assign', 'apply', '--config', 'Voice_Agents', '--user', 'agent01@omni.local', '-o', 'omni-local', '--no-prompt', '--json']);
      expect(move.code, move.stdout + move.stderr).toBe(0);
      expect(move.json).toMatchObject({ status: 0, result: { status: 'completed' } });
      expect(holders('miaw')).toEqual(['agent02@omni.local', 'agent03@omni.local', 'agent04@omni.local']);
      expect(holders('Voice_Agents')).toEqual(['agent01@omni.local', 'agent05@omni.local', 'agent06@omni.local', 'agent07@omni.local']);

      const records = org.stats().records;
      const again = await sfIn(p.dir, ['omni', 'assign', 'apply', '--config', 'Voice_Agents', '--user', 'agent01@omni.local', '-o', 'omni-local', '--no-prompt', '--json']);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.json.result.status).toBe('unchanged');
      expect(org.stats().records).toBe(records);
    } finally {
      p.cleanup();
    }
  }, 240_000);
});

/** Usernames holding presence configuration `config` at user level, from the local org's own rows. */
function holders(config: string): string[] {
  const cfg = [...org.store.all('PresenceUserConfig')].find((c) => c.DeveloperName === config);
  if (!cfg) return [];
  return [...org.store.all('PresenceUserConfigUser')]
    .filter((r) => r.PresenceUserConfigId === cfg.Id)
    .map((r) => String(org.store.get(String(r.UserId))?.Username))
    .sort();
}
