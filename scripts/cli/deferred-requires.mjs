/**
 * Requires of @salesforce/core, jsforce and oclif that the `omni` bin (scripts/omni.mjs) defers to first use: the same
 * modules of the same installed packages, loaded when a command first touches one of their names instead of when
 * their importer loads. Plain JavaScript: the launcher reads it before any TypeScript can load.
 *
 * Why: a command that talks to an org loads core's index, which `require`s all of core at once (Org, AuthInfo and
 * Connection, but also scratch-org creation with its zip writer and settings schemas, the web OAuth server, the
 * project-file schemas, the deprecated SchemaValidator with ajv, the streaming client, user and permission-set
 * helpers), and jsforce's index, which loads every API module (streaming with faye and its websocket stack,
 * Bulk v1, SOAP, Metadata, Chatter, Analytics, Apex). A command runs a few of them; the rest is start-up CPU that
 * every `omni doctor`, `deploy` and `assign apply` paid (bench/RESULTS.md, "Org commands").
 *
 * How: both packages are TypeScript compiled to CommonJS, where an import is `const x_1 = require("spec");` (or
 * wrapped in `__importDefault`/`__importStar`) and every use is a member read `x_1.Name` (at call time, inside
 * functions). For the requires listed below, the load hook rewrites that one line of the importer: `x_1` becomes an
 * object whose first read requires the module and which forwards every read to it. A require whose binding is used
 * any other way (passed whole, `typeof`) is left as it is. A use at the module's top level (`class C extends
 * x_1.Base`) still loads it at once: only when a module loads changes, never what it is.
 * jsforce registers each API module on its singleton as it loads (`registerModule('bulk', conn => new Bulk(conn))`,
 * a lazy getter on every new connection); its index's bare `require("./api/bulk")` becomes that registration with
 * a factory that requires the module on the first `conn.bulk`. The rest of each source is untouched, so Node's
 * ES-module interop finds the same export names in it: an `import` of core's index sees every name (and loads
 * every module, as it reads them all).
 *
 * test/cli/deferred-requires.test.ts checks that every listed require is still found and deferred in the installed
 * packages, that the rewritten modules give the same exports, and what an org command no longer loads.
 * undici's index (jsforce's HTTP client) gets the same treatment for its re-exported requires (deferUndiciExports).
 * `sf omni …` and in-process runs load both packages as they are. The same load step makes STATEMENT_EDITS (below):
 * statements that set up the engine's locale library or load semver for nothing the command shows.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cachedText } from '../ts-cache.mjs';

/**
 * `[importer path ending, requires to defer]`: `'*'` is every `const x = require(…)` of the importer whose binding
 * is only read as `x.Name`. Reviewed for load-time side effects (none of these modules does anything at load but
 * define its classes and message bundles).
 */
export const DEFERRED_REQUIRES = [
  // core's index: each export loads its own module when first read (Org → org.js and what it requires).
  ['/@salesforce/core/lib/index.js', '*'],
  // Org: scratch-org creation (zip writer, settings generator, scratch definition schemas), the web OAuth
  // server's port (sandbox authorization), sandbox status polling, the org users file (scratch orgs' users).
  ['/@salesforce/core/lib/org/org.js', ['./scratchOrgCreate', '../webOAuthServer', '../status/pollingClient', '../config/orgUsersConfig']],
  // AuthInfo: the JWT bearer flow (jsonwebtoken, for `sf org login jwt` auth files) and the "did you mean" of an
  // unknown alias.
  ['/@salesforce/core/lib/org/authInfo.js', ['jsonwebtoken', '../util/findSuggestion']],
  // The virtual file system core uses only in a browser (memfs).
  ['/@salesforce/core/lib/fs/fs.js', ['memfs']],
  // semver, for Lifecycle.getInstance()'s version comparison, now made only between two different versions of core
  // (STATEMENT_EDITS below).
  ['/@salesforce/core/lib/lifecycleEvents.js', ['semver']],
  // jsforce: xml2js (with xmlbuilder) parses XML answers (SOAP, Metadata API, XML errors), not JSON ones; cross-spawn
  // runs the sfdx CLI for jsforce's own registry of logins, which core never uses.
  ['/@jsforce/jsforce-node/lib/http-api.js', ['xml2js']],
  ['/@jsforce/jsforce-node/lib/registry/sfdx.js', ['cross-spawn']],
  // jsforce: form-data (with combined-stream, mime-types and its database, get-intrinsic…: ~35 modules) builds
  // multipart bodies (a Connection's file upload, the Metadata API's deploy, which requires it itself); a request
  // with a JSON or text body never needs the class (STATEMENT_EDITS below).
  ['/@jsforce/jsforce-node/lib/connection.js', ['form-data']],
  ['/@jsforce/jsforce-node/lib/request-helper.js', ['form-data']],
  // SDR: the metadata coverage report fetched over HTTP (got with http2-wrapper, proxy-agent), read only for a type
  // SDR's registry does not know or for its latest API version; deploy and retrieve never ask.
  ['/@salesforce/source-deploy-retrieve/lib/src/registry/coverage.js', ['got', 'proxy-agent']],
  // SDR's transformer for ExternalServiceRegistration (its OpenAPI schema as a separate YAML file): the `yaml` package
  // (72 modules), loaded with every transformer by each deploy and retrieve, called only for that type's schema.
  ['/@salesforce/source-deploy-retrieve/lib/src/convert/transformers/decomposeExternalServiceRegistrationTransformer.js', ['yaml']],
  // oclif's command discovery by glob, for a plugin without a manifest (the bin has one).
  ['/@oclif/core/lib/config/plugin.js', ['tinyglobby']],
  // oclif's help (its classes, formatter, docopts, root help) and its ux (spinner with cli-spinners and ansi-escapes,
  // colorized JSON, lists with wordwrap, the theme with supports-color): ~20 modules every command loaded through
  // oclif's index, its errors' handler, its flags and runner, its parser and command, and that only `--help`, a
  // version, a spinner or an error's layout call (V8 coverage of `omni validate`: none of their functions runs).
  // Loaded when first read; the bin requires oclif's index, never imports it (an ES import reads every export, and
  // so loads each), and serves sf-plugins-core's import from scripts/cli/oclif-core-subset.ts.
  ['/@oclif/core/lib/index.js', ['./help', './ux', './execute', './errors/handle', './flush', './main']],
  ['/@oclif/core/lib/errors/index.js', ['./handle']],
  ['/@oclif/core/lib/flags.js', ['./help']],
  ['/@oclif/core/lib/main.js', ['./help', './ux']],
  ['/@oclif/core/lib/command.js', ['./ux']],
  ['/@oclif/core/lib/config/config.js', ['../ux']],
  ['/@oclif/core/lib/parser/help.js', ['../ux']],
  ['/@oclif/core/lib/parser/errors.js', ['../ux/list', '../ux/theme']],
  ['/@oclif/core/lib/errors/errors/cli.js', ['../../ux/theme']],
  // Node's readline (with readline/promises), for arguments read from stdin (`-`) only.
  ['/@oclif/core/lib/parser/parse.js', ['node:readline']],
  // oclif's wildcard plugin patterns (`oclif.plugins` entries with `*`: minimatch with brace-expansion and
  // balanced-match, ~110 KB of source) and its search for an oclif config outside package.json (lilconfig): the
  // bin's package.json names its commands and no plugin pattern. Loaded by every command, called by none
  // (V8 coverage of `omni validate`: no function of them runs).
  ['/@oclif/core/lib/config/plugin-loader.js', ['minimatch']],
  ['/@oclif/core/lib/util/read-pjson.js', ['lilconfig']],
];

/**
 * `[importer path ending, statement, replacement]`: single statements of core and oclif that do work at start for
 * nothing the command shows, each rewritten to give the same result without it: two set up ICU, the engine's locale
 * library (~10 ms of CPU each, the first time a process collates or formats a date in its locale), one loads semver
 * (47 modules) to compare a version with itself, one undici's HTTP/2 client that jsforce never uses, one form-data's
 * class for a request body that is text. The statement must occur exactly once in the installed file
 * (test/cli/deferred-requires.test.ts); a new version without it is left as it is.
 */
export const STATEMENT_EDITS = [
  // pino's transports (a worker thread writing a log file: thread-stream, Node's worker_threads) are loaded by its
  // index and by its destination helpers as pino loads, in every command; core builds pino with a transport only for
  // sf's log file, which the bin turns off unless SF_LOG_LEVEL asks for it (scripts/omni.mjs). Required on first use:
  // the `transport` export on its first read, the helpers' `transport()` on its first call, and `isMainThread` where
  // a SonicBoom destination is built.
  ['/pino/lib/tools.js', "const { isMainThread } = require('worker_threads')", '/* worker_threads: required where isMainThread is read */'],
  ['/pino/lib/tools.js', 'if (!opts.sync && isMainThread) {', "if (!opts.sync && require('worker_threads').isMainThread) {"],
  ['/pino/lib/tools.js', "const transport = require('./transport')", "const transport = (...args) => require('./transport')(...args)"],
  [
    '/pino/pino.js',
    "module.exports.transport = require('./lib/transport')",
    "Object.defineProperty(module.exports, 'transport', { configurable: true, enumerable: true, get () { const value = require('./lib/transport'); Object.defineProperty(module.exports, 'transport', { value, writable: true, enumerable: true, configurable: true }); return value }, set (value) { Object.defineProperty(module.exports, 'transport', { value, writable: true, enumerable: true, configurable: true }) } })",
  ],
  // oclif's runner takes the two help helpers every run calls from its help index (deferred above): from the module
  // that defines them, help/util.js, which the index re-exports (the same functions).
  ['/@oclif/core/lib/main.js', '(0, help_1.getHelpFlagAdditions)(config)', '(0, require("./help/util").getHelpFlagAdditions)(config)'],
  ['/@oclif/core/lib/main.js', 'const [id, ...argvSlice] = (0, help_1.normalizeArgv)(config, argv);', 'const [id, ...argvSlice] = (0, require("./help/util").normalizeArgv)(config, argv);'],
  // core's Connection logs its API-version cache check at debug level with `now.toLocaleString()`: the process's
  // first locale date format (~10–15 ms of CPU), in every org command, for a line dropped unless SF_LOG_LEVEL is
  // debug or trace. Built only when it is logged: Logger#shouldLog(20) is the level check pino's debug() makes.
  ['/@salesforce/core/lib/org/connection.js', 'this.logger.debug(`API version cache last checked on ', 'if (this.logger.shouldLog(20)) this.logger.debug(`API version cache last checked on '],
  // oclif orders a plugin's commands by `localeCompare` as it loads (~10 ms of ICU collator set-up in every command,
  // offline ones too). The bin's one plugin, its manifest's ids (lower-case words, `:` and `-`), in code-point order:
  // the order localeCompare gives them (checked on the bin's manifest), and the order oclif's help lists them in
  // (its sortBy compares with `<`).
  ['/@oclif/core/lib/config/plugin.js', '.sort((a, b) => a.id.localeCompare(b.id));', '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));'],
  // jsforce sends a body as a multipart form when it is a FormData, which it asked for every request with a body (so
  // form-data loaded with the first POST); only an object with form-data's getBuffer method can be one.
  [
    '/@jsforce/jsforce-node/lib/request-helper.js',
    'if (reqBody instanceof form_data_1.default) {',
    "if (typeof reqBody === 'object' && reqBody !== null && typeof reqBody.getBuffer === 'function' && reqBody instanceof form_data_1.default) {",
  ],
  // undici's Client loads its HTTP/2 half (client-h2.js, which requires node:http2: ~10 ms of CPU compiling Node's
  // http2 modules) as it loads, for connections whose TLS handshake picks h2; jsforce's dispatcher sets allowH2: false,
  // so no org request goes through it. Loaded on its first call (require's cache: once), the same function then.
  ['/undici/lib/dispatcher/client.js', "const connectH2 = require('./client-h2.js')", "const connectH2 = (...args) => require('./client-h2.js')(...args)"],
  // Lifecycle.getInstance() (every warning, every event: several per org command) asks semver whether the process's
  // Lifecycle comes from an older core than its own, which takes semver's whole index (47 modules, its require deferred
  // above). Two copies of one version are not older than each other (semver's compare gives 0): asked only when the
  // two versions differ.
  [
    '/@salesforce/core/lib/lifecycleEvents.js',
    '(0, semver_1.compare)(global.salesforceCoreLifecycle.version(), Lifecycle.staticVersion()) === -1',
    'global.salesforceCoreLifecycle.version() !== Lifecycle.staticVersion() && (0, semver_1.compare)(global.salesforceCoreLifecycle.version(), Lifecycle.staticVersion()) === -1',
  ],
];

/** `source` with the STATEMENT_EDITS of `importer` made; `edited` counts them. */
export function editStatements(source, importer) {
  let out = source;
  let edited = 0;
  for (const [ending, statement, replacement] of STATEMENT_EDITS) {
    if (!importer.endsWith(ending) || out.split(statement).length !== 2) continue;
    out = out.replace(statement, () => replacement);
    edited++;
  }
  return { source: out, edited };
}

/** jsforce's API modules registered on first use (`conn.streaming`, …) instead of loaded by its index. */
export const DEFERRED_JSFORCE_APIS = { importer: '/@jsforce/jsforce-node/lib/index.js', apis: ['analytics', 'apex', 'bulk', 'bulk2', 'chatter', 'metadata', 'soap', 'streaming'] };


/**
 * `source` (a CommonJS module compiled by TypeScript) with the requires `specifiers` (a list, or `'*'`) deferred to
 * the first read of a name; `deferred` lists the specifiers it deferred. Unchanged when none applies.
 */
export function deferRequires(source, specifiers) {
  let out = source;
  const deferred = [];
  const declarations = [...source.matchAll(/^(?:var|const|let) ([\w$]+) = (?:(__importDefault|__importStar)\()?require\("([^"]+)"\)\)?;$/gm)].filter(
    ([, , , specifier]) => specifiers === '*' || specifiers.includes(specifier),
  );
  if (!declarations.length) return { source, deferred };
  // Occurrences in code: quoted strings (`'jwt'`) and line comments blanked out first (a `//` after a space, `;` or
  // a brace: `http://` in a template literal is code around it). Counted for every binding in one pass each (a
  // regular expression per binding was ~240 compilations for core's index): its uses (the whole name, not after a
  // `.`), its reads (`name.`) and TypeScript's default-import interop at the point of use (core's index:
  // `__importDefault(x_1).default`).
  const code = source.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, '""').replace(/(^|[\s;{}])\/\/.*$/gm, '$1');
  const names = new Set(declarations.map(([, name]) => name));
  const uses = new Map();
  const reads = new Map();
  const wrapped = new Map();
  const add = (counts, name) => counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const { 0: token, index } of code.matchAll(/(?<![\w$.])[\w$]+(?![\w$])/g)) {
    if (!names.has(token)) continue;
    add(uses, token);
    if (code[index + token.length] === '.') add(reads, token);
  }
  for (const [, name] of code.matchAll(/(?<![\w$.])__importDefault\(([\w$]+)\)/g)) if (names.has(name)) add(wrapped, name);
  for (const [declaration, name, interop, specifier] of declarations) {
    // The binding itself is used (passed whole, `typeof`): keep the require.
    if ((uses.get(name) ?? 0) - 1 !== (reads.get(name) ?? 0) + (wrapped.get(name) ?? 0)) continue;
    // TypeScript's interop helpers (`__importDefault`, `__importStar`) are defined at the top of the importer.
    const load = interop ? `${interop}(require("${specifier}"))` : `require("${specifier}")`;
    out = out.replace(declaration, `const ${name} = __omniDeferred(() => ${load});`);
    deferred.push(specifier);
  }
  if (!deferred.length) return { source, deferred };
  // After the "use strict" directive (a statement before it would end strict mode).
  const strict = /^"use strict";/.exec(out)?.[0] ?? '';
  // The binding becomes an object whose every read (`x_1.Name`, `"Name" in x_1`) loads the module and reads the
  // module's own: the uses are not rewritten, so Node's ES-module interop still finds every export name.
  const helper =
    'var __omniDeferred = function (load) { var loaded; var real = function () { if (loaded === undefined) loaded = load(); return loaded; }; ' +
    'return new Proxy({}, { get: function (_, key) { return Reflect.get(real(), key); }, has: function (_, key) { return Reflect.has(real(), key); }, set: function (_, key, value) { return Reflect.set(real(), key, value); } }); };';
  return { source: `${strict}${helper}${out.slice(strict.length)}`, deferred };
}

/** jsforce's index with the bare requires of `apis` turned into registrations that load the module on first use. */
export function deferJsforceApis(source, apis) {
  let out = source;
  const deferred = [];
  for (const api of apis) {
    const bare = `require("./api/${api}");`;
    if (!out.includes(`\n${bare}\n`)) continue;
    // The module, once loaded, registers its own factory too: connections made after that get its getter (the same
    // `new Api(conn)`, the same property shape).
    out = out.replace(`\n${bare}\n`, `\nrequire("./jsforce").registerModule("${api}", (conn) => new (require("./api/${api}").default)(conn));\n`);
    deferred.push(api);
  }
  return { source: out, deferred };
}

/** undici's index, whose exports load on first read (deferUndiciExports). */
export const DEFERRED_UNDICI_INDEX = '/node_modules/undici/index.js';

/**
 * undici's index (jsforce's HTTP client) requires all of undici as it loads (110 modules): mocks, WebSocket and
 * EventSource, cookies, every dispatcher kind. jsforce uses its Agent, ProxyAgent (with a proxy), fetch, Response and
 * errors. A `const X = require('p')` (or `const { A, B } = require('p')`) whose binding is used only in
 * `module.exports.K = X` lines, and a `module.exports.K = require('p').M` line, become exports that load their
 * module on the first read of `K` and then hold it as a plain property (a write sets it, as before). The rest (the
 * dispatcher base with its API, errors, util, the global dispatcher, fetch, interceptors, cache stores) stays as it
 * is; a line that does not match the pattern stays eager. `deferred` lists the deferred specifiers.
 */
export function deferUndiciExports(source) {
  const lines = source.split('\n');
  const deferred = [];
  // Every identifier occurrence per line (strings and comments are rare in undici's index; a name in one keeps it eager).
  const occurrences = (name) => lines.flatMap((line, i) => (new RegExp(`(?<![\\w$.'"])${name}(?![\\w$'"])`).test(line) ? [i] : []));
  const exportLine = (name) => new RegExp(`^module\\.exports\\.([\\w$]+) = ${name}$`);
  // The dead `module.exports.K =` keeps the name where Node's ES-module interop (cjs-module-lexer) looks for it.
  const lazy = (key, load) => `__omniLazyExport(module.exports, '${key}', () => ${load}); 0 && (module.exports.${key} = void 0)`;
  lines.forEach((line, i) => {
    // const Name = require('p')   |   const { A, B } = require('p')
    const single = /^const ([\w$]+) = require\('([^']+)'\)$/.exec(line);
    const destructured = /^const \{ ([\w$, ]+) \} = require\('([^']+)'\)$/.exec(line);
    if (single || destructured) {
      const specifier = (single ?? destructured)[2];
      const names = single ? [single[1]] : destructured[1].split(',').map((n) => n.trim());
      const uses = names.map((name) => occurrences(name).filter((at) => at !== i));
      if (!uses.every((at, n) => at.length > 0 && at.every((j) => exportLine(names[n]).test(lines[j])))) return;
      names.forEach((name, n) => {
        for (const j of uses[n]) lines[j] = lazy(exportLine(name).exec(lines[j])[1], single ? `require('${specifier}')` : `require('${specifier}').${name}`);
      });
      lines[i] = '';
      deferred.push(specifier);
      return;
    }
    // module.exports.Name = require('p').Member
    const direct = /^module\.exports\.([\w$]+) = require\('([^']+)'\)\.([\w$]+)$/.exec(line);
    if (direct) {
      lines[i] = lazy(direct[1], `require('${direct[2]}').${direct[3]}`);
      deferred.push(direct[2]);
    }
  });
  if (!deferred.length) return { source, deferred };
  const helper =
    "var __omniLazyExport = function (target, key, load) { var own = function (value) { Object.defineProperty(target, key, { value: value, writable: true, enumerable: true, configurable: true }); }; " +
    'Object.defineProperty(target, key, { enumerable: true, configurable: true, get: function () { var value = load(); own(value); return value; }, set: own }); };';
  const strict = lines[0] === "'use strict'" ? 0 : -1;
  if (strict === 0) lines[0] = `'use strict';${helper}`;
  else lines[0] = `${helper}${lines[0]}`;
  return { source: lines.join('\n'), deferred };
}

/**
 * A `module.registerHooks` load step: the listed importers with their requires deferred, anything else as `next`
 * loads it. `next(url, context)` is the rest of the chain.
 */
export function loadDeferred(url, context, next) {
  const rule = DEFERRED_REQUIRES.find(([ending]) => url.endsWith(ending));
  const jsforce = url.endsWith(DEFERRED_JSFORCE_APIS.importer);
  const edits = STATEMENT_EDITS.some(([ending]) => url.endsWith(ending));
  const undici = url.endsWith(DEFERRED_UNDICI_INDEX);
  if (!rule && !jsforce && !edits && !undici) return next(url, context);
  const loaded = next(url, context);
  if (loaded.source == null) return loaded;
  const original = String(loaded.source);
  // Rewriting these ~15 files (~400 KB) took ~10 ms of every org command: kept, keyed by this module's own text (its
  // tables and rewrites, read once per process), the file's URL and its source, so an updated package or table is
  // rewritten again (over the file's older entry).
  ownText ??= readFileSync(fileURLToPath(import.meta.url));
  // Named after this module and the file: checkouts sharing one node_modules (git worktrees) keep their own entries.
  const source = cachedText('deferred', `${fileURLToPath(import.meta.url)}:${url}`, [ownText, url, original], () => {
    let text = original;
    if (rule) text = deferRequires(text, rule[1]).source;
    if (jsforce) text = deferJsforceApis(text, DEFERRED_JSFORCE_APIS.apis).source;
    if (edits) text = editStatements(text, url).source;
    if (undici) text = deferUndiciExports(text).source;
    return text;
  });
  return { ...loaded, source };
}

/** This module's source (a part of its rewrites' cache key). */
let ownText;
