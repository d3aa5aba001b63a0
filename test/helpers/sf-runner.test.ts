/**
 * The sf runner (test/helpers/sf-runner.ts) answers as a spawned sf process does, and a command does not see
 * what an earlier one in the same runner left behind: the auth store and config are read again (a fresh
 * process would), the environment and cwd are the command's own (its sf HOME too: one runner serves every HOME
 * of its worker, oclif's config and linked plugins included), exit codes come from oclif's own handler.
 * The expected values come from a spawned sf and from the files on disk, never from the runner.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/index.ts';
import { authorizeSf, makeSfHome, REPO_ROOT, runSf, sfInRunner, startTestOrg, type SfHome } from './local-org.ts';
import { sfRunnerPid, stopSfRunner } from './sf-runner.ts';

let org: LocalOrg;
let home: SfHome;
let dir: string;
beforeAll(async () => {
  org = await startTestOrg();
  home = makeSfHome();
  await authorizeSf(home, org, 'first');
  dir = mkdtempSync(join(tmpdir(), 'omni-sf-runner-'));
}, 60_000);
afterAll(async () => {
  await home?.cleanup();
  await org?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** sf's JSON error envelope without its stack (whose frames name the process's entry). */
const envelope = (stdout: string) => {
  const { stack: _stack, ...rest } = JSON.parse(stdout);
  return rest;
};

describe('the sf runner', () => {
  it('gives the exit code and the error envelope a spawned sf gives (oclif ends the command with process.exit)', async () => {
    const args = ['org', 'display', '--target-org', 'no-such-org', '--json'];
    const spawned = await runSf(home, args);
    const warm = await sfInRunner(home, args);
    expect(spawned.code).not.toBe(0);
    expect(warm.code).toBe(spawned.code);
    expect(envelope(warm.stdout)).toEqual(envelope(spawned.stdout));
    // An unknown command: oclif's own exit code (127), and the runner goes on serving.
    const unknown = await sfInRunner(home, ['no-such-command', '--json']);
    expect(unknown.code).toBe(127);
    const listed = await sfInRunner(home, ['alias', 'list', '--json']);
    expect(listed.code, listed.stdout + listed.stderr).toBe(0);
  }, 120_000);

  it('reads the auth store and the config again for every command, as a new process would', async () => {
    const before = await sfInRunner(home, ['alias', 'list', '--json']);
    expect(before.json.result.map((a: { alias: string }) => a.alias)).toEqual(['first']);
    // Written by another process (here: in-process core calls) between two commands of the runner.
    await authorizeSf(home, org, 'second');
    const after = await sfInRunner(home, ['alias', 'list', '--json']);
    expect(after.json.result.map((a: { alias: string }) => a.alias).sort()).toEqual(['first', 'second']);

    // A project's local config is the cwd's: set in one project, absent from another, gone once the file is.
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    for (const p of [a, b]) {
      mkdirSync(p, { recursive: true });
      writeFileSync(join(p, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
    }
    const set = await sfInRunner(home, ['config', 'set', 'target-org', 'second', '--json'], {}, a);
    expect(set.code, set.stdout + set.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(a, '.sf', 'config.json'), 'utf8'))).toEqual({ 'target-org': 'second' });
    const inA = await sfInRunner(home, ['config', 'get', 'target-org', '--json'], {}, a);
    expect(inA.json.result).toEqual([expect.objectContaining({ name: 'target-org', value: 'second', location: 'Local' })]);
    const inB = await sfInRunner(home, ['config', 'get', 'target-org', '--json'], {}, b);
    expect(inB.json.result).toEqual([expect.objectContaining({ name: 'target-org' })]);
    expect(inB.json.result[0].value).toBeUndefined();
    // sf keeps a copy in the legacy .sfdx/sfdx-config.json and reads it too.
    rmSync(join(a, '.sf'), { recursive: true });
    rmSync(join(a, '.sfdx'), { recursive: true });
    const removed = await sfInRunner(home, ['config', 'get', 'target-org', '--json'], {}, a);
    expect(removed.json.result).toEqual([expect.objectContaining({ name: 'target-org' })]);
    expect(removed.json.result[0].value).toBeUndefined();
  }, 120_000);

  it("takes each command's environment: human output without SF_CONTENT_TYPE=JSON, JSON again after it", async () => {
    const human = await sfInRunner(home, ['alias', 'list'], { SF_CONTENT_TYPE: '' });
    expect(human.code, human.stderr).toBe(0);
    expect(() => JSON.parse(human.stdout)).toThrow();
    expect(human.stdout).toContain('first');
    const json = await sfInRunner(home, ['alias', 'list']);
    expect(json.json.status).toBe(0);
  }, 120_000);

  it("reads oclif's config of each command's HOME: a plugin linked there is found from the next command on, and in no other HOME", async () => {
    const linked = makeSfHome();
    try {
      // Before the link, with this HOME's config in the runner; not a command: oclif's 127.
      expect((await sfInRunner(linked, ['omni', 'validate', '--level', '--json'])).code).toBe(127);
      const link = await sfInRunner(linked, ['plugins', 'link', REPO_ROOT, '--no-install']);
      expect(link.code, link.stdout + link.stderr).toBe(0);
      // The plugin's own usage error (exit 2): its command was found.
      expect((await sfInRunner(linked, ['omni', 'validate', '--level', '--json'])).json).toMatchObject({ name: 'UsageError', exitCode: 2 });
      expect((await sfInRunner(home, ['omni', 'validate', '--level', '--json'])).code).toBe(127);
      expect((await sfInRunner(linked, ['omni', 'validate', '--level', '--json'])).code).toBe(2);
    } finally {
      await linked.cleanup();
    }
  }, 120_000);

  it("is one process for every HOME of the worker, each command reading its own HOME; gone once stopped, and started again", async () => {
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const pid = sfRunnerPid();
    expect(pid).toBeGreaterThan(0);
    const other = makeSfHome();
    try {
      // Another HOME, the same process: it sees that HOME's (empty) auth store, not the first one's.
      expect((await sfInRunner(other, ['alias', 'list', '--json'])).json.result).toEqual([]);
      expect(sfRunnerPid()).toBe(pid);
      await authorizeSf(other, org, 'other');
      expect((await sfInRunner(other, ['alias', 'list', '--json'])).json.result.map((a: { alias: string }) => a.alias)).toEqual(['other']);
      const first = (await sfInRunner(home, ['alias', 'list', '--json'])).json.result.map((a: { alias: string }) => a.alias);
      expect(first).toContain('first');
      expect(first).not.toContain('other');
    } finally {
      await other.cleanup();
    }
    await stopSfRunner();
    expect(alive(pid!)).toBe(false);
    expect(sfRunnerPid()).toBeUndefined();
    // The next command starts a fresh runner.
    expect((await sfInRunner(home, ['alias', 'list', '--json'])).code).toBe(0);
    expect(sfRunnerPid()).toBeGreaterThan(0);
    expect(sfRunnerPid()).not.toBe(pid);
  }, 120_000);
});
