/**
 * Every file or folder a command is given (arguments and flags: deploy -d/-x, validate paths and --spec,
 * assign -f/--csv, doctor/setup/access check -f, explain/graph --file, import/plan --source-dir) that is
 * missing or of the wrong kind is a usage error: exit 2 (README, exit codes), the path named without a
 * made-up line:column, and a fix. Expected values are the README's exit code and the paths the test made.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess, omniOffline } from '../helpers/omni.ts';
import { makeProject, SAMPLE_WITH_CONFIG, type TempProject } from '../helpers/project.ts';

let org: LocalOrg;
let p: TempProject;
beforeAll(async () => {
  org = await startTestOrg();
  p = makeProject({ copy: SAMPLE_WITH_CONFIG, prefix: 'omni-bad-paths-' });
  mkdirSync(join(p.dir, 'a-folder.yaml'));
  writeFileSync(join(p.dir, 'notes.yaml'), 'just: some yaml\n');
});
afterAll(async () => {
  p?.cleanup();
  await org?.stop();
});

/** The error envelope of a run: exit 2, the name of a usage error, the path, no line:col, a fix. */
function expectUsage(run: { code: number; json?: any; stdout: string; stderr: string }, path: string) {
  expect(run.code, run.stdout + run.stderr).toBe(2);
  expect(run.json?.exitCode).toBe(2);
  expect(run.json.message).toContain(path);
  expect(run.json.message).not.toMatch(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+`));
  expect(run.json.actions?.length, run.json.message).toBeGreaterThan(0);
}

const online: Array<[string, string[], string]> = [
  ['assign plan -f (missing)', ['assign', 'plan', '-f', 'nothere.yaml'], 'nothere.yaml'],
  ['assign plan -f (a folder)', ['assign', 'plan', '-f', 'a-folder.yaml'], 'a-folder.yaml'],
  ['assign apply -f (missing)', ['assign', 'apply', '-f', 'nothere.yaml', '--no-prompt'], 'nothere.yaml'],
  ['assign plan --csv (missing)', ['assign', 'plan', '--csv', 'nothere.csv'], 'nothere.csv'],
  ['deploy -d (missing)', ['deploy', '-d', 'nothere', '--no-prompt'], 'nothere'],
  ['deploy -x (missing)', ['deploy', '-x', 'nothere.xml', '--no-prompt'], 'nothere.xml'],
  ['deploy -x (a folder)', ['deploy', '-x', 'a-folder.yaml', '--no-prompt'], 'a-folder.yaml'],
  ['plan -d (missing)', ['plan', '-d', 'nothere'], 'nothere'],
  ['doctor -f (missing)', ['doctor', '-f', 'nothere.yaml'], 'nothere.yaml'],
  ['setup -f (missing)', ['setup', '-f', 'nothere.yaml', '--no-prompt'], 'nothere.yaml'],
  ['access check -f (missing)', ['access', 'check', '-f', 'nothere.yaml'], 'nothere.yaml'],
];

const offline: Array<[string, string[], string]> = [
  ['validate (missing)', ['validate', 'nothere.yaml'], 'nothere.yaml'],
  ['validate (not Omni metadata)', ['validate', 'notes.yaml'], 'notes.yaml'],
  ['validate --spec (missing)', ['validate', '--spec', 'nothere.yaml'], 'nothere.yaml'],
  ['validate --spec (a folder)', ['validate', '--spec', 'a-folder.yaml'], 'a-folder.yaml'],
  ['import --source-dir (missing)', ['import', '--source-dir', 'nothere'], 'nothere'],
  ['import --source-dir (a file)', ['import', '--source-dir', 'notes.yaml'], 'notes.yaml'],
  ['explain --offline -f (missing)', ['explain', 'agent@example.com', '--offline', '-f', 'nothere.yaml'], 'nothere.yaml'],
  ['graph --file (missing)', ['graph', '--file', 'nothere.yaml'], 'nothere.yaml'],
];

describe('missing or wrong paths are usage errors (exit 2)', () => {
  for (const [name, args, path] of online) {
    it(name, async () => expectUsage(await omniInProcess(org, p.dir, [...args, '--json']), path), 60_000);
  }
  for (const [name, args, path] of offline) {
    it(name, async () => expectUsage(await omniOffline(p.dir, [...args, '--json']), path), 60_000);
  }
});

describe('a file of the wrong kind', () => {
  it('deploy -x with a file that is no package.xml: a usage error at the line and column the XML parser names', async () => {
    const run = await omniInProcess(org, p.dir, ['deploy', '-x', 'notes.yaml', '--no-prompt', '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.json).toMatchObject({ name: 'UsageError', exitCode: 2 });
    expect(run.json.message).toMatch(/^--manifest notes\.yaml:1:1 is not a package\.xml manifest/);
    expect(run.json.actions.length).toBeGreaterThan(0);
  });
});

describe('an assignment file that is not there, below the flags (setup and doctor defaults)', () => {
  it('is named without a line:column', async () => {
    const { loadAssignmentFile } = await import('../../scripts/assign/assignment-file.ts');
    const { formatOrigin } = await import('../../scripts/assign/config.ts');
    const { problems } = loadAssignmentFile(join(p.dir, 'nothere.yaml'), 'nothere.yaml');
    expect(problems).toHaveLength(1);
    expect(formatOrigin(problems[0].origin)).toBe('nothere.yaml');
  });
});
