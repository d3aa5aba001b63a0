/**
 * The CLI framework (scripts/cli/run.ts) through the real bin and in process: help and its exit-code table
 * for every registered command, usage errors (exit 2), the JSON envelope of success and failure, unexpected
 * errors without a stack trace, and redaction of everything printed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../../scripts/cli/run.ts';
import { commandHelpText } from '../../scripts/cli/help-text.ts';
import { COMMANDS } from '../../scripts/commands/index.ts';
import { schemaFileName } from '../../scripts/commands/results.ts';
import { REPO_ROOT } from '../helpers/paths.ts';


const NODE = path.join(REPO_ROOT, 'node_modules/.bin/node');
const BIN = path.join(REPO_ROOT, 'scripts/omni.ts');

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A small project with the sample spec shape: enough for generate/validate to run. */
function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'omni-cli-'));
  temps.push(root);
  writeFileSync(path.join(root, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
  mkdirSync(path.join(root, 'force-app'));
  mkdirSync(path.join(root, 'config'));
  writeFileSync(path.join(root, 'config/omni-channel.yaml'), 'declineReasons:\n  Busy:\n    label: Busy\n');
  return root;
}

function bin(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(NODE, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', ...env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function inProcess(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd,
    env: { ...process.env, CI: 'true' },
    stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream,
  });
  return { code, stdout, stderr };
}

const NO_STACK = /\n\s+at \S/;

describe('help', () => {
  test('omni, omni --help and omni -h list every registered command and exit 0', () => {
    const root = project();
    for (const args of [[], ['--help'], ['-h']]) {
      const run = bin(args, root);
      expect(run.code, args.join(' ')).toBe(0);
      for (const c of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${c.id.replace(/ /g, ' ')}\\s+${escapeRegExp(commandHelpText(c.id).summary)}$`, 'm'));
    }
  });

  test.each(COMMANDS.map((c) => [c.id, c] as const))('%s: definition complete, --help exits 0 with usage, flags and the exit-code table', async (id, entry) => {
    const command = (await entry.load()).default;
    expect(command.id).toBe(id);
    // The help text is the bundle messages/<id>.md: a summary, examples of this command, every flag and argument summarised.
    const text = commandHelpText(id);
    expect(text.summary.length).toBeGreaterThan(0);
    expect(text.examples.length, 'examples').toBeGreaterThan(0);
    // An example may set an environment variable first (SF_ACCESS_TOKEN=… omni deploy …).
    for (const example of text.examples) expect(example, example).toMatch(/(^|\s)<%= config\.bin %> <%= command\.id %>(\s|$)/);
    expect(Object.keys(text.flags).sort()).toEqual(Object.keys(command.flags).sort());
    expect(Object.keys(text.args).sort()).toEqual((command.args ?? []).map((a) => a.name).sort());
    // The result's JSON Schema is schemas/<id>.json, generated from the result type (test/cli/schemas.test.ts).
    const resultSchema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas', schemaFileName(id)), 'utf8'));
    expect(typeof resultSchema).toBe('object');
    expect(Object.keys(resultSchema).some((k) => ['type', 'oneOf', 'anyOf', '$ref', 'properties'].includes(k)), 'resultSchema is a JSON Schema').toBe(true);
    const codes = Object.keys(text.errorCodes).map(Number);
    for (const code of [0, 1, 2]) expect(codes, `exit code ${code}`).toContain(code);

    const run = await inProcess([...id.split(' '), '--help'], REPO_ROOT);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`USAGE\n  omni ${id}`);
    expect(run.stdout).toContain('--json');
    for (const name of Object.keys(command.flags)) expect(run.stdout).toContain(`--${name}`);
    const table = run.stdout.split('ERROR CODES\n')[1]?.split('\n\n')[0] ?? '';
    for (const [code, meaning] of Object.entries(text.errorCodes)) expect(table).toContain(`${code.padStart(3)}  ${meaning}`);
    expect(run.stdout).toContain(`EXAMPLES\n  ${text.examples[0].replace('<%= config.bin %> <%= command.id %>', `omni ${id}`)}`);
  });

  test('lazy loading: omni --help loads no dependency and no command; generate/import/validate never load SDR or jsforce', () => {
    // A resolve hook (Node 22 module.registerHooks) prints every file module the process loads.
    const hook = `data:text/javascript,import{registerHooks}from'node:module';registerHooks({resolve(s,c,n){const r=n(s,c);if(r.url.startsWith('file:'))process.stderr.write('LOADED '+r.url+'\\n');return r}})`;
    const loaded = (args: string[]) => {
      const run = spawnSync(NODE, ['--import', hook, BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
      expect(run.status, args.join(' ')).toBe(0);
      return run.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => path.relative(REPO_ROOT, new URL(l.slice(7)).pathname));
    };
    // Help text comes from the bundles (@salesforce/core's Messages); nothing else is loaded for it.
    const help = loaded(['--help']);
    expect(help).toContain('scripts/commands/index.ts');
    expect(help.filter((f) => (f.startsWith('node_modules/') && !f.startsWith('node_modules/@salesforce/core/')) || (f.startsWith('scripts/commands/') && f !== 'scripts/commands/index.ts'))).toEqual([]);
    for (const args of [['generate', '--help'], ['import', '--help'], ['validate', '--help'], ['validate']]) {
      const files = loaded(args);
      expect(files, args.join(' ')).toContain(`scripts/commands/${args[0]}.ts`);
      expect(files.filter((f) => /node_modules\/(@salesforce\/source-deploy-retrieve|jsforce)\//.test(f)), args.join(' ')).toEqual([]);
      // validate itself (no help) still loads nothing of @salesforce: its messages load only when an error is built.
      if (args.length === 1) expect(files.filter((f) => f.includes('node_modules/@salesforce/')), 'validate').toEqual([]);
    }
  });
});

describe('usage errors exit 2 with a hint, as text and as the JSON envelope', () => {
  test('an unknown command', () => {
    const root = project();
    const text = bin(['frobnicate'], root);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('Error (UsageError): Unknown command "frobnicate".');
    expect(text.stderr).toContain('Run "omni --help"');
    expect(text.stdout).toBe('');
    const json = bin(['frobnicate', '--json'], root);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      status: 2,
      name: 'UsageError',
      message: 'Unknown command "frobnicate".',
      actions: ['Run "omni --help" to list the commands.'],
      result: null,
      warnings: [],
      // sf's error fields (SfCommandError.toJson)
      exitCode: 2,
      code: 'UsageError',
      context: 'Omni',
      commandName: 'Omni',
    });
  });

  test.each([
    ['an unknown flag', ['validate', '--frob'], /Unknown option '--frob'/],
    ['a misspelt flag, with the nearest one suggested', ['plan', '--taget-org', 'x'], /Unknown option '--taget-org'\. Did you mean --target-org\?/],
    ['a value outside the options', ['validate', '--format', 'xml'], /--format must be one of text, json, sarif; got "xml"/],
    ['a string flag without its value', ['generate', '--spec'], /--spec/],
    ['a positional the command does not take', ['generate', 'extra'], /Unexpected argument "extra"/],
    ['a missing required argument', ['assign', 'undo'], /Missing argument RUNID/],
    ['an unknown subcommand word', ['deploy', 'frob'], /Unexpected argument "frob"/],
  ])('%s', async (_name, args, message) => {
    const root = project();
    const text = await inProcess(args, root);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(message);
    expect(text.stderr).toMatch(/Try this:\n {2}- Run "omni .+ --help"/);
    expect(text.stderr).not.toMatch(NO_STACK);
    const json = await inProcess([...args, '--json'], root);
    expect(json.code).toBe(2);
    const envelope = JSON.parse(json.stdout);
    expect(Object.keys(envelope).sort()).toEqual(['actions', 'code', 'commandName', 'context', 'exitCode', 'message', 'name', 'result', 'status', 'warnings']);
    expect(envelope).toMatchObject({ status: 2, name: 'UsageError', result: null, warnings: [] });
    expect(envelope.message).toMatch(message);
    expect(json.stderr).toBe('');
  });
});

describe('envelope and failures', () => {
  test('success under --json: exactly { status, result, warnings } on stdout, nothing on stderr', () => {
    const run = bin(['generate', '--json'], project());
    expect(run.code).toBe(0);
    const envelope = JSON.parse(run.stdout);
    expect(Object.keys(envelope).sort()).toEqual(['result', 'status', 'warnings']);
    expect(envelope.status).toBe(0);
    expect(envelope.result.files.map((f: { path: string }) => f.path)).toContain('force-app/main/default/presenceDeclineReasons/Busy.presenceDeclineReason-meta.xml');
    expect(run.stderr).toBe('');
  });

  test('an unexpected error (not an OmniError) exits 1 with its message and no stack trace; OMNI_DEBUG=1 adds the stack', () => {
    const root = project();
    // A file where generate needs a folder: mkdir fails (EEXIST/ENOTDIR) deep inside the write.
    mkdirSync(path.join(root, 'force-app/main/default'), { recursive: true });
    writeFileSync(path.join(root, 'force-app/main/default/presenceDeclineReasons'), 'not a folder');
    const text = bin(['generate'], root);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^Error \(Error\): .*(ENOTDIR|EEXIST)/m);
    expect(text.stderr).not.toMatch(NO_STACK);
    const json = bin(['generate', '--json'], root);
    expect(json.code).toBe(1);
    const envelope = JSON.parse(json.stdout);
    expect(envelope).toMatchObject({ status: 1, name: 'Error', result: null, warnings: [] });
    expect(envelope.stack).toBeUndefined();
    const debug = bin(['generate'], root, { OMNI_DEBUG: '1' });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(NO_STACK);
  });

  test('everything printed is redacted: a token in an argument never reaches stdout or stderr', () => {
    const root = project();
    const token = `00D5g000004ABCD!AQ${'Zz9'.repeat(20)}`;
    for (const args of [[token], [token, '--json'], ['validate', token], ['validate', token, '--json']]) {
      const run = bin(args, root);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout + run.stderr).not.toContain(token);
      expect(run.stdout + run.stderr).toContain('<redacted-token>');
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
