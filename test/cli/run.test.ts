/**
 * The CLI framework (scripts/cli/run.ts) through the real bin and in process: help and its exit-code table
 * for every registered command, usage errors (exit 2), the JSON envelope of success and failure, unexpected
 * errors without a stack trace, and redaction of everything printed.
 *
 * The bin is spawned where the process is what is checked: its exit code (bare `omni`, an unknown command, a
 * success, an unexpected error), which stream gets what (text on stderr and nothing on stdout, the envelope alone
 * on stdout), the modules a fresh process loads, and that nothing the process prints holds a token. Help text,
 * the envelope's fields and OMNI_DEBUG's stack are the CLI entry's, the same in process (runCli, the function the
 * bin calls; test/cli/launcher.test.ts holds that the bin prints what scripts/omni.ts prints).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../../scripts/cli/run.ts';
import { commandHelpText } from '../../scripts/cli/help-text.ts';
import { COMMANDS } from '../helpers/commands.ts';
import { schemaFileName } from '../../scripts/commands/results.ts';
import { OMNI_BIN, REPO_ROOT } from '../helpers/paths.ts';


const NODE = path.join(REPO_ROOT, 'node_modules/.bin/node');
// The bin users run (the launcher): what the process boundary shows is what they see.
const BIN = OMNI_BIN;

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

async function inProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd,
    env: { ...process.env, CI: 'true', ...env },
    stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream,
  });
  return { code, stdout, stderr };
}

const NO_STACK = /\n\s+at \S/;

describe('help', () => {
  test('omni, omni --help and omni -h list every topic and top-level command with its summary, and exit 0', async () => {
    const root = project();
    // Bare `omni` through the bin (its exit status as a shell sees it); the two help flags in process.
    for (const args of [[], ['--help'], ['-h']]) {
      const run = args.length ? await inProcess(args, root) : bin(args, root);
      expect(run.code, args.join(' ')).toBe(0);
      const text = flat(run.stdout);
      for (const c of COMMANDS.filter((c) => !c.id.includes(' '))) expect(text).toContain(`${c.id} ${commandHelpText(c.id).summary}`);
      for (const topic of ['assign', 'deploy', 'access', 'org']) expect(text).toMatch(new RegExp(`TOPICS .*\\b${topic}\\b`));
    }
  });

  test.each(COMMANDS.map((c) => [c.id, c] as const))('%s: definition complete, --help exits 0 with usage, flags, error codes and examples from its bundle', async (id, entry) => {
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
    const help = flat(run.stdout);
    // Another command's line is written for either bin (<%= omni %> in the bundle); the omni bin prints omni.
    const asOmniBin = (t: string) => t.replaceAll("<%= config.bin === 'omni' ? 'omni' : config.bin + ' omni' %>", 'omni');
    expect(help).toContain(`USAGE $ omni ${id}`);
    expect(help).toContain(flat(asOmniBin(text.summary)));
    expect(help).toContain('--json');
    for (const name of Object.keys(command.flags)) expect(help).toContain(`--${name}`);
    const table = help.split('ERROR CODES ')[1] ?? '';
    // sf's two-column table, code and text on one line (oclif falls back to one code per line, its text below,
    // when a row wraps past five lines: keep each meaning short enough).
    const section = run.stdout.split('ERROR CODES\n')[1]?.split('\n\n')[0] ?? '';
    for (const code of codes) expect(section, `ERROR CODES row ${code}`).toMatch(new RegExp(`^ +${code} +\\S`, 'm'));
    for (const [code, meaning] of Object.entries(text.errorCodes)) expect(table).toContain(flat(`${code} ${asOmniBin(meaning)}`));
    expect(help).toContain(`EXAMPLES $ ${flat(text.examples[0].replace('<%= config.bin %> <%= command.id %>', `omni ${id}`))}`.replace('$ SF_', 'SF_'));
  });

  test('ERROR CODES lists 130 and 143 for exactly the commands that end with them on SIGINT / SIGTERM', () => {
    // README "Exit codes": a deploy (the deployment runs on, report/resume named) and an assignment run (journal
    // written, resume/undo named) end with 130/143; so do deploy report/resume (following stops) and setup,
    // which runs a deploy and an assignment as its stages. The other commands leave signals to Node.
    const trapping = ['assign apply', 'assign resume', 'assign undo', 'deploy', 'deploy report', 'deploy resume', 'setup'];
    const listed = COMMANDS.map((c) => c.id).filter((id) => {
      const codes = Object.keys(commandHelpText(id).errorCodes);
      return codes.includes('130') && codes.includes('143');
    });
    expect(listed.sort()).toEqual(trapping);
  });

  test("ERROR CODES of every command with --target-org names sf's two conditions under their own codes: NoOrgFound (2), NoDefaultEnv (1)", () => {
    // README "Exit codes": a --target-org the auth store lacks is a usage error (sf: NamedOrgNotFoundError at flag
    // parse, exit 2); no org named and no usable default is sf's NoDefaultEnvError (exit 1). graph and import use
    // an org only when one is named, so they never raise the latter.
    const orgOptional = ['graph', 'import'];
    const withOrg = COMMANDS.map((c) => c.id).filter((id) => 'target-org' in commandHelpText(id).flags);
    expect(withOrg.length).toBeGreaterThan(10);
    for (const id of withOrg) {
      const codes = commandHelpText(id).errorCodes;
      expect(codes['2'], id).toContain('NoOrgFound');
      expect(codes['2'], id).not.toContain('NoDefaultEnv');
      if (orgOptional.includes(id)) expect(codes['1'] ?? '', id).not.toContain('NoDefaultEnv');
      else expect(codes['1'], id).toContain('NoDefaultEnv');
    }
  });

  test('generate, import and validate (and their help) never load SDR', () => {
    // A resolve hook (Node 22 module.registerHooks) prints every file module the process loads.
    const hook = `data:text/javascript,import{registerHooks}from'node:module';registerHooks({resolve(s,c,n){const r=n(s,c);if(r.url.startsWith('file:'))process.stderr.write('LOADED '+r.url+'\\n');return r}})`;
    const loaded = (args: string[]) => {
      const run = spawnSync(NODE, ['--import', hook, BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
      expect(run.status, args.join(' ')).toBe(0);
      return run.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => path.relative(REPO_ROOT, new URL(l.slice(7)).pathname));
    };
    for (const args of [['generate', '--help'], ['import', '--help'], ['validate', '--help'], ['validate']]) {
      const files = loaded(args);
      expect(files.filter((f) => /node_modules\/@salesforce\/source-deploy-retrieve\//.test(f)), args.join(' ')).toEqual([]);
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
    ['an unknown flag', ['validate', '--frob'], /Nonexistent flag: --frob/],
    ['a misspelt flag, with the nearest one suggested', ['plan', '--taget-org', 'x'], /Nonexistent flag: --taget-org\. Did you mean --target-org\?/],
    ['a value outside the options', ['validate', '--format', 'xml'], /Expected --format=xml to be one of: text, json, sarif/],
    ['a string flag without its value', ['generate', '--spec'], /Flag --spec expects a value/],
    ['an options flag without its value', ['validate', '--level'], /Flag --level expects one of these values: error, warning, info/],
    ['an org flag without its value', ['deploy', '-o'], /Flag --target-org expects a value/],
    // sf's typed flags refuse these with their own errors (InvalidDurationError, InvalidApiVersionError: exit 1
    // under the bin before); as every bad value, a usage error naming the flag.
    ['a duration that is not a number', ['deploy', '--instance-url', 'http://127.0.0.1:9', '--wait', 'abc'], /(^|: )--wait: The value must be an integer\.$/m],
    ['a duration out of range', ['deploy', '--instance-url', 'http://127.0.0.1:9', '--wait', '99999'], /(^|: )--wait: The value must be no more than 1440\.$/m],
    ['an API version that is not one', ['validate', '--api-version', 'abc'], /(^|: )--api-version: abc is not a valid API version/m],
    ['an instance URL that is not one', ['doctor', '--instance-url', 'notaurl'], /(^|: )--instance-url: Expected an http or https URL .*; got "notaurl"\.$/m],
    ['an instance URL no org answers on', ['deploy', '--instance-url', 'ftp://example.com'], /(^|: )--instance-url: Expected an http or https URL .*; got "ftp:\/\/example\.com"\.$/m],
    ['an integer flag given a word', ['org', 'local', '--port', 'abc'], /(^|: )--port: Expected an integer but received: abc$/m],
    ['flags that exclude each other', ['deploy', '--source-dir', 'force-app', '--metadata', 'ServiceChannel'], /--source-dir=force-app cannot also be provided when using --metadata/],
    ['an argument the command does not take', ['assign', 'undo', 'run-1', 'extra'], /Unexpected argument: extra/],
    ['a missing required argument', ['assign', 'undo'], /Missing 1 required arg:\s+runId/],
    // A word after a command without arguments reads as a longer command id (as under sf).
    ['an unknown subcommand word', ['deploy', 'frob'], /Unknown command "deploy frob"/],
  ])('%s', async (_name, args, message) => {
    const root = project();
    const text = await inProcess(args, root);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(message);
    expect(text.stderr).toMatch(/Try this:\n {2}- Run "omni (.+ )?--help"/);
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

  test('an unexpected error (not an OmniError) exits 1 with its message and no stack trace; OMNI_DEBUG=1 adds the stack', async () => {
    const root = project();
    // A file where import's --extract-assignments needs a folder: mkdir fails (EEXIST/ENOTDIR) deep inside
    // the write, which no catalogue entry wraps yet (generate's own writes are OutputWriteFailed now).
    mkdirSync(path.join(root, 'force-app/main/default/presenceDeclineReasons'), { recursive: true });
    writeFileSync(path.join(root, 'force-app/main/default/presenceDeclineReasons/Busy.presenceDeclineReason-meta.xml'), '<?xml version="1.0" encoding="UTF-8"?>\n<PresenceDeclineReason xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>Busy</label>\n</PresenceDeclineReason>\n');
    writeFileSync(path.join(root, 'extracted'), 'not a folder');
    const args = ['import', '--source-dir', 'force-app', '--out', '-', '--extract-assignments', 'extracted/a.yaml'];
    const text = bin(args, root);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^Error \(Error\): .*(ENOTDIR|EEXIST)/m);
    expect(text.stderr).not.toMatch(NO_STACK);
    // The envelope and OMNI_DEBUG are the CLI entry's (scripts/cli/failure.ts reads the run's env): in process.
    const json = await inProcess([...args, '--json'], root);
    expect(json.code).toBe(1);
    const envelope = JSON.parse(json.stdout);
    expect(envelope).toMatchObject({ status: 1, name: 'Error', result: null, warnings: [] });
    expect(envelope.stack).toBeUndefined();
    const debug = await inProcess(args, root, { OMNI_DEBUG: '1' });
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

/** Help text with its line wrapping undone: runs of white space as one space. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

describe('flag descriptions from the bundle', () => {
  test("each flag's `flags.<name>.description` replaces sf's; offline validate and import do not claim API requests", async () => {
    let described = 0;
    for (const c of COMMANDS) {
      const cls = ((await import(path.join(REPO_ROOT, 'scripts/sf/commands/omni', `${c.id.split(' ').join('/')}.ts`))) as { default: { flags: Record<string, { description?: string }> } }).default;
      for (const [name, description] of Object.entries(commandHelpText(c.id).flagDescriptions)) {
        described++;
        expect(cls.flags[name]?.description, `${c.id} --${name}`).toBe(description);
      }
    }
    expect(described).toBeGreaterThanOrEqual(2);
    const root = project();
    for (const id of ['validate', 'import']) {
      const help = flat((await inProcess([id, '--help'], root)).stdout);
      expect(help, id).toContain('--api-version');
      expect(help, id).not.toMatch(/api requests made by this command/i);
    }
  }, 60_000);
});
