/**
 * The `omni` bin defers requires of @salesforce/core and jsforce to the first use of a name
 * (scripts/cli/deferred-requires.mjs, registered by scripts/omni.mjs). Here: every listed require is still found and
 * deferred in the installed packages (a new version that compiles differently fails here, not silently); the
 * rewritten modules export the same names as the same kinds of objects, and jsforce's API modules still appear on
 * every connection as the real classes; and an org command run through the bin no longer loads what it never
 * calls, while reporting what the command run without the bin's hooks reports.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { describe, expect, test } from 'vitest';
import { DEFERRED_JSFORCE_APIS, DEFERRED_REQUIRES, DEFERRED_UNDICI_INDEX, STATEMENT_EDITS, deferJsforceApis, deferRequires, deferUndiciExports, editStatements } from '../../scripts/cli/deferred-requires.mjs';
import { aliasFor } from '../assign/cli-org.ts';
import { runProcess, startTestOrg } from '../helpers/local-org.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { omniWithHome } from '../helpers/omni.ts';
import { makeProject } from '../helpers/project.ts';
import { MODULE_TRACER, NODE } from '../helpers/traced-bin.ts';

const requireHere = createRequire(import.meta.url);
/** An installed file by the path ending the table uses (`/@salesforce/core/lib/org/org.js`, `/undici/lib/…`). */
function installed(ending: string): string {
  const [, pkg, rest] = /^\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(ending)!;
  const main = requireHere.resolve(pkg);
  return path.join(main.slice(0, main.indexOf(`/node_modules/${pkg}/`) + `/node_modules/${pkg}/`.length), rest);
}

/** Compiles as the CommonJS wrapper Node runs it in (a syntax error throws). */
function compiles(source: string): void {
  new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`);
}

describe('the deferred requires', () => {
  test.each(DEFERRED_REQUIRES.map(([ending, specifiers]) => [ending, specifiers] as const))('%s: every listed require is deferred', (ending, specifiers) => {
    const source = readFileSync(installed(ending), 'utf8');
    const { source: rewritten, deferred } = deferRequires(source, specifiers);
    compiles(rewritten);
    if (specifiers === '*') {
      // core's index: the org side and what only scratch orgs, schemas and streaming need.
      expect(deferred).toEqual(expect.arrayContaining(['./org/org', './org/authInfo', './org/connection', './org/scratchOrgCreate', './schema/validator', './status/streamingClient', './webOAuthServer', './sfProject', './org/scratchOrgSettingsGenerator']));
    } else {
      expect([...deferred].sort()).toEqual([...specifiers].sort());
    }
    // Each deferred require is now a deferred binding; the rest of the source is as it was.
    for (const specifier of deferred) expect(rewritten).not.toMatch(new RegExp(`= (__import\\w+\\()?require\\("${specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\)\\)?;`));
    expect(rewritten.split('\n').length).toBe(source.split('\n').length);
  });

  test("jsforce's API modules are registered instead of loaded", () => {
    const source = readFileSync(installed(DEFERRED_JSFORCE_APIS.importer), 'utf8');
    const { source: rewritten, deferred } = deferJsforceApis(source, DEFERRED_JSFORCE_APIS.apis);
    compiles(rewritten);
    expect(deferred).toEqual(DEFERRED_JSFORCE_APIS.apis);
    // tooling stays loaded: core's Connection patches its prototype at load.
    expect(rewritten).toContain('\nrequire("./api/tooling");\n');
  });

  test("undici's index: what jsforce never calls is exported on first read", () => {
    const source = readFileSync(installed(DEFERRED_UNDICI_INDEX.replace('/node_modules', '')), 'utf8');
    const { source: rewritten, deferred } = deferUndiciExports(source);
    compiles(rewritten);
    expect(deferred).toEqual(expect.arrayContaining(['./lib/mock/mock-agent', './lib/web/websocket/websocket', './lib/web/eventsource/eventsource', './lib/web/cookies', './lib/dispatcher/agent', './lib/dispatcher/proxy-agent']));
    // What jsforce's request module and the index itself use at load stay eager.
    expect(rewritten).toContain("const Dispatcher = require('./lib/dispatcher/dispatcher')");
    expect(rewritten).toContain("const fetchImpl = require('./lib/web/fetch').fetch");
    expect(rewritten.split('\n').length).toBe(source.split('\n').length);
  });

  test("the same exports of core, jsforce and undici, every jsforce API on a connection as the real class, Lifecycle replacing an older instance, request bodies as written", () => {
    // A process that loads both packages (with or without the bin's load step) and describes what they export.
    const describeExports = (deferred: boolean) => {
      const script = [
        deferred ? `const { registerHooks } = require('node:module'); const { loadDeferred } = await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'scripts/cli/deferred-requires.mjs')).href)}); registerHooks({ load: loadDeferred });` : '',
        "const core = require('@salesforce/core'); const jsforce = require('@jsforce/jsforce-node'); const undici = require('undici');",
        "const shape = (m) => Object.keys(m).sort().map((k) => [k, typeof m[k], typeof m[k] === 'function' ? m[k].name : ''].join(':'));",
        `const conn = new jsforce.Connection({ instanceUrl: 'https://example.my.salesforce.com', accessToken: 'x' });`,
        `const apis = ${JSON.stringify([...DEFERRED_JSFORCE_APIS.apis, 'tooling'])}.map((api) => { const d = Object.getOwnPropertyDescriptor(conn, api); const Real = require('@jsforce/jsforce-node/lib/api/' + api).default; return [api, d.enumerable, d.configurable, typeof d.get, conn[api] instanceof Real, conn[api] === conn[api]].join(':'); });`,
        // What an ES module's import of core's index sees (Node reads the names from the CommonJS source).
        "const esm = Object.keys(await import('@salesforce/core')).sort();",
        // Lifecycle.getInstance() keeps an instance of the same version and replaces an older one (listeners moved).
        'const { Lifecycle } = core; const first = Lifecycle.getInstance(); const kept = Lifecycle.getInstance() === first;',
        "const older = new Lifecycle(); older.version = () => '1.0.0'; older.on('omni-test', async () => {}); global.salesforceCoreLifecycle = older;",
        "const newer = Lifecycle.getInstance(); const lifecycle = [kept, newer !== older, newer instanceof Lifecycle, newer.version() === Lifecycle.staticVersion(), newer.getListeners('omni-test').length, Lifecycle.getInstance() === newer];",
        // What jsforce writes for a request body: a FormData as its multipart bytes, text as it is.
        "const { createHttpRequestHandlerStreams } = require('@jsforce/jsforce-node/lib/request-helper'); const FormData = require('form-data');",
        'const sent = async (body) => { const { input } = createHttpRequestHandlerStreams({ body }); const chunks = []; for await (const c of input) chunks.push(Buffer.from(c)); return Buffer.concat(chunks).toString(); };',
        "const form = new FormData(); form.append('field', 'value'); const multipart = await sent(form); const bodies = [multipart.includes('name=\"field\"') && multipart.includes('\\r\\nvalue\\r\\n'), await sent('{\"a\":1}')];",
        // undici's exports as values and as an ES module sees them; a write replaces an export, as before.
        "const undiciShape = shape(undici); const undiciEsm = Object.keys(await import('undici')).sort(); const mine = {}; undici.MockAgent = mine; const written = undici.MockAgent === mine;",
        'console.log(JSON.stringify({ core: shape(core), jsforce: shape(jsforce), apis, esm, lifecycle, bodies, undiciShape, undiciEsm, written }));',
      ].join('\n');
      const run = spawnSync(NODE, ['--input-type=module', '-e', `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'x.js'))});\n${script}`], { encoding: 'utf8', cwd: REPO_ROOT });
      expect(run.status, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as { core: string[]; jsforce: string[]; apis: string[]; esm: string[]; lifecycle: unknown[]; bodies: unknown[]; undiciShape: string[]; undiciEsm: string[]; written: boolean };
    };
    const eager = describeExports(false);
    const deferred = describeExports(true);
    expect(deferred).toEqual(eager);
    expect(eager.core).toEqual(expect.arrayContaining(['Org:function:Org', 'AuthInfo:function:AuthInfo', 'Connection:function:Connection', 'ScratchOrgSettingsGenerator:function:SettingsGenerator']));
    expect(deferred.apis.every((api) => api.endsWith(':true:true:function:true:true'))).toBe(true);
    expect(deferred.esm).toEqual(expect.arrayContaining(['Org', 'AuthInfo', 'Connection', 'StateAggregator', 'Messages']));
    expect(deferred.lifecycle).toEqual([true, true, true, true, 1, true]);
    expect(deferred.bodies).toEqual([true, '{"a":1}']);
    expect(deferred.undiciShape).toEqual(expect.arrayContaining(['Agent:function:Agent', 'MockAgent:function:MockAgent', 'WebSocket:function:WebSocket', 'fetch:function:fetch']));
    expect(deferred.written).toBe(true);
  });
});

describe("oclif's help and ux, pino's transports: loaded on first use", () => {
  test("oclif's index and pino export the same names as the same kinds of objects, and a pino destination and transport still work", () => {
    const describe = (deferred: boolean) => {
      const script = [
        deferred ? `const { registerHooks } = require('node:module'); const { loadDeferred } = await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'scripts/cli/deferred-requires.mjs')).href)}); registerHooks({ load: loadDeferred });` : '',
        "const shape = (m) => Object.keys(m).sort().map((k) => [k, typeof m[k], typeof m[k] === 'function' ? m[k].name : ''].join(':'));",
        "const oclif = require('@oclif/core'); const before = Object.keys(require.cache).filter((f) => /oclif.core.lib.(help|ux).(index|command|formatter)/.test(f)).length;",
        "const oclifShape = shape(oclif); const helpShape = shape(oclif.ux).concat(typeof oclif.Help.prototype.showHelp);",
        "const pinoPath = require.resolve('pino', { paths: [require.resolve('@salesforce/core')] }); const pino = require(pinoPath);",
        "const threads = Object.keys(require.cache).some((f) => f.includes('thread-stream')); const pinoShape = shape(pino);",
        "const file = require('node:path').join(require('node:os').tmpdir(), 'omni-pino-' + process.pid + '.log');",
        "const dest = pino.destination({ dest: file, sync: false }); await new Promise((ready) => dest.once('ready', ready)); const log = pino({ base: null, timestamp: false }, dest); log.info('hello'); dest.flushSync(); dest.end();",
        "const written = require('node:fs').readFileSync(file, 'utf8').trim(); require('node:fs').rmSync(file);",
        "const transport = typeof pino.transport === 'function' && pino.transport.name;",
        'console.log(JSON.stringify({ before, oclifShape, helpShape, pinoShape, threads, written, transport }));',
      ].join('\n');
      const run = spawnSync(NODE, ['--input-type=module', '-e', `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'x.js'))});\n${script}`], { encoding: 'utf8', cwd: REPO_ROOT });
      expect(run.status, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as { before: number; oclifShape: string[]; helpShape: string[]; pinoShape: string[]; threads: boolean; written: string; transport: string };
    };
    const eager = describe(false);
    const deferred = describe(true);
    // Without the load step oclif's index loads its help and ux, and pino its transport (thread-stream); with it, not.
    expect([eager.before, eager.threads]).toEqual([4, true]);
    expect([deferred.before, deferred.threads]).toEqual([0, false]);
    expect({ ...deferred, before: 0, threads: false }).toEqual({ ...eager, before: 0, threads: false });
    expect(deferred.written).toBe('{"level":30,"msg":"hello"}');
    expect(deferred.transport).toBe('transport');
    expect(deferred.oclifShape).toEqual(expect.arrayContaining(['Help:function:Help', 'run:function:run', 'ux:object:']));
  });
});

describe('the statement edits', () => {
  test.each(STATEMENT_EDITS.map(([ending, statement, replacement]) => [ending, statement, replacement] as const))('%s: the statement is found once and edited', (ending, statement, replacement) => {
    const source = readFileSync(installed(ending), 'utf8');
    expect(source.split(statement).length - 1).toBe(1);
    // Every edit of the file is made (some files have several); undoing them all gives the installed source.
    const forFile = STATEMENT_EDITS.filter(([other]) => other === ending);
    const { source: edited, edited: count } = editStatements(source, ending);
    expect(count).toBe(forFile.length);
    compiles(edited);
    expect(edited.split('\n').length).toBe(source.split('\n').length);
    expect(edited.split(replacement).length - 1).toBe(1);
    expect(forFile.reduce((text, [, original, edit]) => text.replace(edit, () => original), edited)).toBe(source);
  });

  test("the bin's command ids in code-point order are in localeCompare's order (oclif's own sort, which the edit replaces)", () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'scripts/sf/commands/omni/oclif.manifest.json'), 'utf8')) as { commands: Record<string, unknown> };
    const ids = Object.keys(manifest.commands);
    expect(ids.length).toBeGreaterThan(15);
    const byCodePoint = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(byCodePoint).toEqual([...ids].sort((a, b) => a.localeCompare(b)));
    // Reversed input: the comparator, not the manifest's order, decides.
    expect([...ids].reverse().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(byCodePoint);
  });
});

describe('the product reaches core through require', () => {
  test("no module of scripts/ imports core's root as an ES module (an import reads, and so loads, every export)", () => {
    const files = readdirSync(path.join(REPO_ROOT, 'scripts'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const importsRoot = /(?<!type\s)\bfrom\s*'@salesforce\/core'|(?<!typeof\s)import\(\s*'@salesforce\/core'\s*\)/;
    // sf-core-subset.ts is what the bin serves sf-plugins-core instead of the root, and imports only its types.
    const offenders = files.filter((f) => !f.endsWith('sf-core-subset.ts') && importsRoot.test(readFileSync(path.join(REPO_ROOT, 'scripts', f), 'utf8').replace(/^import type .*$/gm, '')));
    expect(offenders).toEqual([]);
    expect(files.length).toBeGreaterThan(100);
  });
});

describe('an org command through the bin', () => {
  test('omni doctor loads the org side it uses and not the rest, sets up no ICU collation or locale date, and reports what it reports without the hooks', async () => {
    const org = await startTestOrg();
    const alias = await aliasFor(org, 'deferred');
    const project = makeProject();
    try {
      const out = path.join(project.dir, 'loaded.txt');
      // Records the calls that set up ICU's collation and its locale date format (two of the statement edits).
      const spy = path.join(project.dir, 'icu-spy.cjs');
      const calls = path.join(project.dir, 'icu-calls.txt');
      writeFileSync(
        spy,
        "const { appendFileSync } = require('node:fs'); const log = (what) => appendFileSync(process.env.ICU_CALLS, what + '\\n');" +
          "const c = String.prototype.localeCompare; String.prototype.localeCompare = function (...a) { log('localeCompare'); return c.apply(this, a); };" +
          "const d = Date.prototype.toLocaleString; Date.prototype.toLocaleString = function (...a) { log('Date#toLocaleString'); return d.apply(this, a); };",
      );
      const env = { ...alias.env, OMNI_TRACE_OUT: out, ICU_CALLS: calls };
      const binDoctor = (extraEnv: NodeJS.ProcessEnv = {}) =>
        runProcess(NODE, ['--require', spy, '--import', MODULE_TRACER, path.join(REPO_ROOT, 'scripts/omni.mjs'), 'doctor', '--target-org', alias.alias, '--json'], { cwd: project.dir, env: { ...env, ...extraEnv }, timeoutMs: 110_000 });
      // Asynchronously: the org answers from this process.
      const bin = await binDoctor();
      // The same command without the bin's hooks: the CLI entry in this process (runCli on the real modules, with the
      // alias's HOME switched in), so the deferred requires and statement edits are what the comparison isolates.
      const direct = await omniWithHome(project.dir, ['doctor', '--target-org', alias.alias, '--json'], alias.env);
      // No collation, no locale date: the statement edits.
      expect(existsSync(calls) ? readFileSync(calls, 'utf8') : '').toBe('');
      const loaded = readFileSync(out, 'utf8').split('\n');
      const core = (file: string) => loaded.some((url) => url.endsWith(`/@salesforce/core/lib/${file}`));
      const pkg = (name: string) => loaded.some((url) => url.includes(`/node_modules/${name}/`));
      // What connecting through an alias uses…
      expect(['index.js', 'org/org.js', 'org/authInfo.js', 'org/connection.js', 'stateAggregator/stateAggregator.js'].filter((f) => !core(f))).toEqual([]);
      expect(pkg('@jsforce/jsforce-node') && pkg('undici')).toBe(true);
      // …and what only scratch orgs, the JWT flow, schemas and streaming use.
      expect(['org/scratchOrgCreate.js', 'schema/validator.js', 'webOAuthServer.js', 'status/streamingClient.js', 'deviceOauthService.js'].filter(core)).toEqual([]);
      expect(['ajv', 'faye', 'jsonwebtoken', 'jszip', 'semver', 'form-data'].filter(pkg)).toEqual([]);
      // Nor undici's HTTP/2 client (jsforce's dispatcher never negotiates h2) with Node's http2.
      expect(loaded.filter((url) => url === 'node:http2' || url.endsWith('/undici/lib/dispatcher/client-h2.js'))).toEqual([]);
      // Nor undici's mocks, WebSocket, EventSource and cookies.
      expect(loaded.filter((url) => /\/undici\/lib\/(mock|web\/websocket|web\/eventsource|web\/cookies)\//.test(url))).toEqual([]);
      // The same checks with the same outcome (durations and the org's request counter aside).
      const checks = (stdout: string) => (JSON.parse(stdout) as { result: { checks: Array<{ id: string; status: string }> } }).result.checks.map((c) => `${c.id}:${c.status}`);
      expect(bin.code, bin.stderr).toBe(direct.code);
      expect(checks(bin.stdout)).toEqual(checks(direct.stdout));
      expect(checks(bin.stdout)).toContain('api-version:ok');
      expect((JSON.parse(bin.stdout) as { result: { org: unknown } }).result.org).toEqual((JSON.parse(direct.stdout) as { result: { org: unknown } }).result.org);
      // With debug logging to sf's log file, core's API-version cache line is logged as before, its date in the locale.
      const debug = await binDoctor({ SF_LOG_LEVEL: 'debug', SF_DISABLE_LOG_FILE: 'false' });
      expect(debug.code, debug.stderr).toBe(direct.code);
      expect(checks(debug.stdout)).toEqual(checks(direct.stdout));
      expect(readFileSync(calls, 'utf8')).toContain('Date#toLocaleString');
      const logs = readdirSync(path.join(alias.env.HOME!, '.sf')).filter((f) => f.endsWith('.log'));
      expect(logs.map((f) => readFileSync(path.join(alias.env.HOME!, '.sf', f), 'utf8')).join('')).toMatch(/API version cache last checked on .* \(now is /);
    } finally {
      project.cleanup();
      alias.cleanup();
      await org.stop();
    }
    // Deadlines, not budgets: two bin runs on a loaded machine (one timed out at 60 s at load 29).
  }, 240_000);
});
