/**
 * sf conventions of `omni` itself (the same commands `sf omni …` runs): the error envelope's fields,
 * SF_CONTENT_TYPE=JSON, --version, `help <command>`, topic help, typo suggestions, one flag name for the
 * assignment file, sf's short flags on deploy. In-process through the CLI entry; the process boundary
 * (EPIPE on a closed pipe, an old Node) is spawned.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { omniInProcess, omniOffline } from '../helpers/omni.ts';
import { REPO_ROOT, startTestOrg } from '../helpers/local-org.ts';
import { NODE_BIN } from '../deploy/helpers.ts';
import { makeProject } from '../helpers/project.ts';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const CHANNEL = 'force-app/main/default/serviceChannels/sfdc_livemessage.serviceChannel-meta.xml';

describe('omni: sf conventions', () => {
  it('an error under --json has sf\'s fields: name, message, exitCode, status, commandName, context, code, actions, warnings', async () => {
    const r = await omniOffline(REPO_ROOT, ['validate', 'no/such/dir', '--json']);
    expect(r.code).not.toBe(0);
    expect(r.json).toMatchObject({ exitCode: r.code, status: r.code, commandName: 'OmniValidate', context: 'OmniValidate', code: r.json.name, warnings: [] });
    expect(typeof r.json.message).toBe('string');
    expect(Array.isArray(r.json.actions)).toBe(true);
  });

  it('SF_CONTENT_TYPE=JSON gives the JSON envelope without --json; unset, the human text', async () => {
    const viaEnv = await omniOffline(REPO_ROOT, ['validate'], { SF_CONTENT_TYPE: 'JSON' });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.json).toMatchObject({ status: 0, warnings: [] });
    expect(Array.isArray(viaEnv.json.result.diagnostics)).toBe(true);
    const human = await omniOffline(REPO_ROOT, ['validate'], { SF_CONTENT_TYPE: '' });
    expect(human.json).toBeUndefined();
    expect(human.stdout).toMatch(/0 errors/);
  });

  it('--version prints name/version platform-arch node-version (as sf --version), not the help', async () => {
    for (const flag of ['--version', 'version']) {
      const r = await omniOffline(REPO_ROOT, [flag]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(`${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}`);
    }
  });

  it('omni help deploy = omni deploy --help; omni assign and omni assign --help list the topic\'s commands', async () => {
    const viaHelp = await omniOffline(REPO_ROOT, ['help', 'deploy']);
    const viaFlag = await omniOffline(REPO_ROOT, ['deploy', '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toContain('ERROR CODES');
    for (const args of [['assign'], ['assign', '--help'], ['help', 'assign']]) {
      const topic = await omniOffline(REPO_ROOT, args);
      expect(topic.code, args.join(' ')).toBe(0);
      for (const id of ['assign plan', 'assign apply', 'assign export', 'assign resume', 'assign undo']) expect(topic.stdout).toContain(id);
      expect(topic.stdout).not.toContain('doctor');
    }
  });

  it('a mistyped command: exit 2, "Did you mean", and flag values are not glued into the name', async () => {
    const r = await omniOffline(REPO_ROOT, ['deplyo', '--target-org', 'my-sandbox', '--json']);
    expect(r.code).toBe(2);
    expect(r.json.message).toBe('Unknown command "deplyo". Did you mean "deploy"?');
    const far = await omniOffline(REPO_ROOT, ['frobnicate', '--json']);
    expect(far.json.message).toBe('Unknown command "frobnicate".');
    const sub = await omniOffline(REPO_ROOT, ['assign', 'aply', '--json']);
    expect(sub.json.message).toBe('Unknown command "assign aply". Did you mean "assign apply"?');
  });

  it('the assignment file is --file in every command (-f, except graph where -f is --format); --assignments still works where it was the name', async () => {
    for (const id of ['assign plan', 'assign apply', 'access check', 'doctor', 'setup', 'graph']) {
      const help = await omniOffline(REPO_ROOT, [...id.split(' '), '--help']);
      expect(help.stdout, id).toMatch(id === 'graph' ? /^ {6}--file=FILE/m : /-f, --file=FILE /);
      expect(help.stdout, id).not.toMatch(/-a, --assignments/);
    }
    const args = ['graph', '--format', 'json', '--json'];
    const byFile = await omniOffline(REPO_ROOT, [...args, '--file', 'config/assignments/example.yaml']);
    const byOldName = await omniOffline(REPO_ROOT, [...args, '--assignments', 'config/assignments/example.yaml']);
    const byDefault = await omniOffline(REPO_ROOT, args);
    expect(byFile.code).toBe(0);
    expect(byFile.json.result.assignmentFiles).toEqual(['config/assignments/example.yaml']);
    expect(byOldName.json.result.assignmentFiles).toEqual(byFile.json.result.assignmentFiles);
    expect(byDefault.json.result.assignmentFiles).not.toEqual(byFile.json.result.assignmentFiles);
  });

  it('whole-number flags are checked before run with their range (Flags.integer({ min, max }) under sf)', async () => {
    for (const [flag, value] of [['--port', '70000'], ['--port', 'abc'], ['--seed-users', '-1'], ['--latency-ms', '1.5']]) {
      const r = await omniOffline(REPO_ROOT, ['org', 'local', `${flag}=${value}`, '--json']);
      expect(r.code, `${flag} ${value}`).toBe(2);
      // oclif's Flags.integer({ min, max }) message, naming the flag and the value.
      expect(r.json.message).toMatch(new RegExp(`^${flag}: Expected an integer.* ${value.replace('.', '\\.')}$`));
    }
  });

  it('--flags-dir DIR: each file NAME in DIR is --NAME (as sf reads it); a flag on the command line wins over its file', async () => {
    const p = makeProject();
    try {
      const dir = join(p.dir, 'flags');
      mkdirSync(dir);
      writeFileSync(join(dir, 'level'), 'info\n');
      const plain = await omniOffline(p.dir, ['validate', '--json']);
      const viaDir = await omniOffline(p.dir, ['validate', '--flags-dir', dir, '--json']);
      const viaFlag = await omniOffline(p.dir, ['validate', '--level', 'info', '--json']);
      expect(viaDir.code).toBe(0);
      // info findings are listed with --level info only (the sample project has some)
      const infos = (r: typeof plain) => r.json.result.diagnostics.filter((d: { severity: string }) => d.severity === 'info').length;
      expect(infos(viaFlag)).toBeGreaterThan(0);
      const text = await omniOffline(p.dir, ['validate', '--flags-dir', dir]);
      expect(text.stdout).toBe((await omniOffline(p.dir, ['validate', '--level', 'info'])).stdout);
      expect(text.stdout).not.toBe((await omniOffline(p.dir, ['validate'])).stdout);
      expect(infos(viaDir)).toBe(infos(viaFlag));
      const overridden = await omniOffline(p.dir, ['validate', '--flags-dir', dir, '--level', 'error']);
      expect(overridden.stdout).toBe((await omniOffline(p.dir, ['validate', '--level', 'error'])).stdout);
      // an org named by its file is resolved as -o is (an alias the auth store lacks: NoOrgFound naming it, exit 2)
      const orgDir = join(p.dir, 'org-flags');
      mkdirSync(orgDir);
      writeFileSync(join(orgDir, 'target-org'), 'no-such-org-alias\n');
      const deploy = await omniOffline(p.dir, ['deploy', '--flags-dir', orgDir, '--json']);
      expect(deploy.code).toBe(2);
      expect(deploy.json).toMatchObject({ name: 'NoOrgFound' });
      expect(deploy.json.message).toContain('no-such-org-alias');
    } finally {
      p.cleanup();
    }
  });

  it('deploy takes sf\'s short flags -a (api version), -g (ignore warnings), -r (ignore errors)', async () => {
    const org = await startTestOrg();
    const p = makeProject();
    try {
      const help = await omniOffline(p.dir, ['deploy', '--help']);
      for (const flag of ['-a, --api-version', '-g, --ignore-warnings', '-r, --ignore-errors', '-w, --wait', '-l, --test-level', '-t, --tests', '-d, --source-dir', '-m, --metadata', '-x, --manifest']) expect(help.stdout).toContain(flag);
      const d = await omniInProcess(org, p.dir, ['deploy', '-a', '61.0', '-g', '-r', '--json']);
      expect(d.code, d.stdout).toBe(0);
      expect(d.json.result.org.apiVersion).toBe('61.0');
      expect(d.json.result.files).toContainEqual(expect.objectContaining({ type: 'ServiceChannel', fullName: 'sfdc_livemessage', filePath: CHANNEL }));
    } finally {
      p.cleanup();
      await org.stop();
    }
  }, 60_000);

  it('deploy -m TYPE:NAME and -x package.xml deploy only what they select (as sf); no match or two selections → exit 2', async () => {
    const org = await startTestOrg();
    const p = makeProject();
    try {
      expect((await omniInProcess(org, p.dir, ['deploy', '--json'])).code).toBe(0);
      const byName = await omniInProcess(org, p.dir, ['deploy', '-m', 'PresenceUserConfig:miaw', '--json']);
      expect(byName.code, byName.stdout).toBe(0);
      expect(byName.json.result.files.map((f: { type: string; fullName: string }) => `${f.type}:${f.fullName}`)).toEqual(['PresenceUserConfig:miaw']);
      const byType = await omniInProcess(org, p.dir, ['deploy', '--metadata', 'ServiceChannel', '--json']);
      expect(byType.code, byType.stdout).toBe(0);
      const channels = readdirSync(join(p.dir, 'force-app/main/default/serviceChannels')).map((f) => `ServiceChannel:${f.split('.')[0]}`).sort();
      expect(byType.json.result.files.map((f: { type: string; fullName: string }) => `${f.type}:${f.fullName}`).sort()).toEqual(channels);

      writeFileSync(
        join(p.dir, 'package.xml'),
        '<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n  <types><members>sfdc_phone</members><name>ServiceChannel</name></types>\n  <version>62.0</version>\n</Package>\n',
      );
      const byManifest = await omniInProcess(org, p.dir, ['deploy', '-x', 'package.xml', '--json']);
      expect(byManifest.code, byManifest.stdout).toBe(0);
      expect(byManifest.json.result.files).toEqual([expect.objectContaining({ type: 'ServiceChannel', fullName: 'sfdc_phone', filePath: 'force-app/main/default/serviceChannels/sfdc_phone.serviceChannel-meta.xml' })]);

      const none = await omniInProcess(org, p.dir, ['deploy', '-m', 'PresenceUserConfig:nosuch', '--json']);
      expect(none.code).toBe(2);
      expect(none.json.message).toContain('PresenceUserConfig:nosuch');
      const two = await omniInProcess(org, p.dir, ['deploy', '-m', 'ServiceChannel', '-d', 'force-app', '--json']);
      expect(two.code).toBe(2);
    } finally {
      p.cleanup();
      await org.stop();
    }
  }, 90_000);
});

describe('omni at the process boundary', () => {
  it('a closed stdout (omni … | head) ends quietly: no EPIPE stack', async () => {
    const child = spawn(NODE_BIN, [join(REPO_ROOT, 'scripts/omni.mjs'), 'validate', '--json', '--level', 'info'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before omni writes
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  }, 60_000);

  it('the machine\'s Node 20 gets one line naming Node >= 22.18 and how the project provides it', () => {
    const oldNode = '/usr/bin/node';
    const version = execFileSync(oldNode, ['--version'], { encoding: 'utf8' }).trim();
    expect(version).toMatch(/^v20\./);
    let stderr = '';
    let status = 0;
    try {
      execFileSync(oldNode, [join(REPO_ROOT, 'scripts/omni.mjs'), '--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      ({ stderr, status } = error as { stderr: string; status: number });
    }
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringContaining(`omni needs Node >= 22.18 (this is Node ${version})`)]);
    expect(stderr).toContain('npx omni');
    expect(stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
  });
});
