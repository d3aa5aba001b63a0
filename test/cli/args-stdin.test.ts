/**
 * omni never takes a positional argument from piped stdin: oclif's Args read a missing optional argument
 * from stdin when it is not a TTY, so `echo x | omni validate` validated only x, and a `while read` loop
 * running `omni deploy report` lost its input to the command. Every argument of every command class sets
 * `ignoreStdin`; the spawned check proves the bin does not read a pipe (the process boundary is the point).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { COMMANDS } from '../helpers/commands.ts';
import { OMNI_BIN, REPO_ROOT } from '../helpers/paths.ts';

const NODE = path.join(REPO_ROOT, 'node_modules/.bin/node');
const SF_COMMANDS = path.join(REPO_ROOT, 'scripts', 'sf', 'commands', 'omni');

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('positional arguments ignore stdin', () => {
  test('every argument of every command class has ignoreStdin', async () => {
    let seen = 0;
    for (const c of COMMANDS) {
      const cls = ((await import(path.join(SF_COMMANDS, `${c.id.split(' ').join(path.sep)}.ts`))) as { default: { args: Record<string, { ignoreStdin?: boolean }> } }).default;
      for (const [name, arg] of Object.entries(cls.args)) {
        seen++;
        expect(arg.ignoreStdin, `${c.id} <${name}>`).toBe(true);
      }
    }
    // deploy report/resume's job_id, validate's path, explain's username, assign resume/undo's runId
    expect(seen).toBeGreaterThanOrEqual(6);
  });

  test('piped input is not read as the optional job id of omni deploy report', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'omni-stdin-'));
    temps.push(root);
    writeFileSync(path.join(root, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
    const run = spawnSync(NODE, [OMNI_BIN, 'deploy', 'report', '--json'], { cwd: root, input: 'hello\n', encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    const json = JSON.parse(run.stdout) as { name: string; message: string };
    // without a job id and no remembered deploy: DeployNotFound, not InvalidJobId for "hello"
    expect(json.name, json.message).toBe('DeployNotFound');
    expect(json.message).not.toContain('hello');
  }, 60_000);
});
