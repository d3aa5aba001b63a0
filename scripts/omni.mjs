#!/usr/bin/env node
/**
 * The `omni` bin: runs scripts/omni.ts with the project's TypeScript stripped once and cached.
 *
 * Node strips types itself (no build step), but it does so on every start through a WebAssembly compiler
 * that costs ~35 MB of memory and ~0.1 s of CPU before the first command line is read — a third of the
 * memory of `omni validate` on 10,000 files (bench/RESULTS.md). This launcher asks Node for the same
 * stripping (`module.stripTypeScriptTypes`) only for files it has not seen, and keeps the result under
 * node_modules/.cache/omni-presence/ with the source it was made from (scripts/ts-cache.mjs), so a changed file is
 * stripped again and nothing stale is ever run. Without a writable cache it strips in memory, as Node would.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';

// The sources are TypeScript that Node runs by stripping the types (unflagged from 22.18). An older Node
// fails deep in its loader with ERR_UNKNOWN_FILE_EXTENSION; say what is needed instead, in one line.
// (node:module's registerHooks is imported below, after this check: it does not exist before 22.15.)
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `omni needs Node >= 22.18 (this is Node ${process.version}); the project provides it as a devDependency: run "npx omni …" or "npm run omni -- …" in the project (after npm install), or put node_modules/.bin first in PATH.\n`,
  );
  process.exit(1);
}
const { createRequire, enableCompileCache, registerHooks } = await import('node:module');
const { loadOwnTypeScript, root } = await import('./ts-cache.mjs');

// The young generation doubles up to 2 × 16 MB while a command builds a large live set (10,000 parsed
// files), and that space stays mapped: keeping it at its first size costs a few more scavenges and saves
// ~35 MB of peak memory (bench/RESULTS.md, validate at scale). A runtime flag: it applies from here on.
// Not for the commands that write assignments (assign apply, resume, undo), whose wall time is measured
// against sf's and whose memory has no budget: reading 10,000 agents at the first size takes ~175
// scavenges (~1.3 s of pauses at load 20) against ~10 — 0.1 s less CPU of ~1.5 s, 20 of 23 alternated
// pairs, for ~30 MB more peak memory (bench/RESULTS.md, Assign: where the wall goes).
const [topic, command] = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
if (!(topic === 'assign' && ['apply', 'resume', 'undo'].includes(command))) v8.setFlagsFromString('--semi-space-growth-factor=1');

// An offline command is short and spends its CPU loading modules and walking files once: TurboFan's inlining
// makes each optimized function a bigger compile job (CPU, and zone memory on the compiler thread) that such
// a run never earns back. Without it, alternated runs: validate of 10,000 configurations 1.30 → 1.21 s CPU
// XML only, 2.48 → 2.21 s with the spec, peak −2 to −4 MB; one-file validate 0.38 → 0.35 s, 84 → 78 MB;
// generate 0.56 → 0.52 s, 97 → 86 MB (bench/RESULTS.md, CLI start-up). Commands that talk to the org
// (zip compression, long assignment loops) keep it: not measured there.
const offline = ['validate', 'generate', 'import', 'graph', 'explain'].includes(topic);
if (offline) v8.setFlagsFromString('--no-turbo-inlining');

// Node's loader reads the export names of every CommonJS module an ES module imports with cjs-module-lexer, whose
// one big function, parseSource, runs hot while an offline command starts (oclif, sf-plugins-core, core, zod):
// TurboFan compiled it four times (twice on-stack), each a large compile on the second core that the start is over
// before it pays back. Left to the baseline tiers (the filter names the one function TurboFan skips), alternated
// runs at load 18: one-file validate 0.33 → 0.27 s CPU, peak 78.6 → 73.4 MiB (10 pairs); validate of 10,000
// configurations with the spec 1.61 → 1.52 s, peak alike (8 pairs) (bench/RESULTS.md, Validate at scale).
if (offline) v8.setFlagsFromString('--turbo-filter=-parseSource');

// TurboFan compiles a function (on a background thread: CPU the run pays) once it has run about 3,000 times its
// bytecode's worth. While an org command loads its ~1,300 modules (oclif, sf-plugins-core, @salesforce/core,
// jsforce), Node's loader functions get there, and the run ends before that code pays back. Ten times the
// threshold leaves start-up to the interpreter and baseline code; the long loops of a large run (SDR's zip,
// planning 10,000 agents) still reach it. Alternated runs at load ≈ 13, CPU: doctor 1.38 → 1.16 s, assign plan
// of 10,000 agents 1.10 → 0.99 s, deploy of 2,000 configurations 2.89 → 2.52 s (bench/RESULTS.md, CLI
// start-up). Turning TurboFan off instead costs that deploy 50 % more. A runtime flag, read as each function
// gets its feedback: set before any module loads. The offline commands keep the default (not measured).
if (!offline) v8.setFlagsFromString('--invocation-count-for-turbofan=30000');

// @salesforce/core writes its debug log to ~/.sf/sf.log through a pino worker thread: ~20 MB of memory and
// start-up for a file omni never reads. Kept when the user asks for sf logging (SF_LOG_LEVEL) or sets it.
if (process.env.SF_LOG_LEVEL === undefined && process.env.SFDX_DISABLE_LOG_FILE === undefined) process.env.SF_DISABLE_LOG_FILE ??= 'true';

// Every command class is an SfCommand, so every command loads oclif, sf-plugins-core and part of @salesforce/core
// (~500 modules; deploy and assign load the rest of core, jsforce and SDR), whose parsing and compiling is redone
// on each start. Node's compile cache keeps V8's code cache for them (checked against the source, so a changed
// module is compiled again): ~0.1 s less CPU from the second run (bench/RESULTS.md). Node skips it
// when NODE_DISABLE_COMPILE_CACHE is set, uses NODE_COMPILE_CACHE's folder when that is set, and runs on
// without it when the folder is not writable. https://nodejs.org/api/module.html#module-compile-cache
if (process.env.NODE_COMPILE_CACHE === undefined) enableCompileCache(path.join(root, 'node_modules', '.cache', 'omni-presence', 'compile'));

// Node's compile cache keeps each module's top level as compiled; the functions a run calls are compiled from source
// in every run. For an offline command, the installed CommonJS modules (oclif, core, pino… most of its start) are
// compiled with a code cache made when the run ends, those functions included (scripts/cli/code-cache.mjs;
// bench/RESULTS.md, Validate at scale). One folder per V8 cache tag (V8's version and flags) and command; a help or
// version run writes none (its functions are not the command's). OMNI_CODE_CACHE=0 turns it off.
if (offline && process.env.OMNI_CODE_CACHE !== '0') {
  const { installCodeCache } = await import('./cli/code-cache.mjs');
  const shown = process.argv.slice(2).some((arg) => ['--help', '-h', '--version', '-v'].includes(arg));
  installCodeCache(path.join(root, 'node_modules', '.cache', 'omni-presence', 'code', `${v8.cachedDataVersionTag()}-${topic}`), { write: !shown });
}

// Every command class is an SfCommand, and sf-plugins-core imports the @salesforce/core root, which loads all of
// core (org, auth, jsforce, zod, ajv: ~0.5 s CPU, ~45 MiB), and @oclif/table (ink, react, yoga: ~0.1 s, ~10 MiB).
// The bin serves those two imports of sf-plugins-core from smaller modules: the names SfCommand uses, as the
// same objects of the same core (scripts/cli/sf-core-subset.ts), and a table module omni never prints
// through (scripts/cli/oclif-table-absent.ts). Only here: `sf omni …` loads sf-plugins-core as it is.
// Its ES imports of CommonJS packages it takes a few names from (kit, ts-types, core's sfError and messages files)
// are served as those names, required: Node would otherwise read each package's export names from its source with
// cjs-module-lexer (kit and ts-types re-export ~35 modules) and build a facade of every export, ~15 ms of CPU at each
// start (bench/RESULTS.md, CLI start-up). The core subset exports SfError and Messages, the very objects of those
// two files. test/cli/sf-core-subset.test.ts fails when sf-plugins-core imports a name a served module lacks.
// The table: SERVED_TO_SF_PLUGINS_CORE in scripts/cli/standins/served.mjs.
const sfPluginsCore = '/node_modules/@salesforce/sf-plugins-core/lib/';
const { SERVED_TO_SF_PLUGINS_CORE, STAND_INS } = await import('./cli/standins/served.mjs');
const servedToSfPluginsCore = new Map(SERVED_TO_SF_PLUGINS_CORE.map(([specifier, file]) => [specifier, pathToFileURL(path.join(root, 'scripts', 'cli', file)).href]));

// zod: the project never imports it. A valid spec or assignment file is checked by code generated from its schema,
// and scripts/lib/zod.ts `require`s zod on first use (a failing file's errors, tooling): the CommonJS build that
// @salesforce/core requires, so a command that connects holds one copy, and no ES import has Node lex its re-exports.

// Dependencies every command loads at start through oclif, sf-plugins-core and that part of core but an offline
// command never calls (a virtual file system, template and glob engines, the My Domain DNS resolver, the
// keychain, a progress bar, oclif's own error and help layout): served to the modules that import them as
// stand-ins that load the real module on first use (scripts/cli/standins/, the table in served.mjs; ~125
// modules fewer, ~0.04 s of CPU and ~2 MiB at start, bench/RESULTS.md). test/cli/standins.test.ts fails when an
// importer reads a name its stand-in lacks. `sf omni …` loads them as they are. Offline commands only: an org
// command calls most of them (the keychain, the My Domain resolver, core's file system) and served through
// stand-ins `omni assign plan` of 100,000 agents peaked ~25 MiB higher (bench/RESULTS.md, Assign plan memory).
const standIns = new Map();
if (offline) {
  for (const [specifier, file, ...importers] of STAND_INS) standIns.set(specifier, { importers, url: pathToFileURL(path.join(root, 'scripts', 'cli', 'standins', file)).href });
}

// An org command loads @salesforce/core's index and jsforce's, which load all of both packages at once (scratch-org
// creation, schemas with ajv, streaming with faye, every jsforce API…), though a command runs a few of their modules.
// The bin defers those requires to the first use of a name: the same modules, loaded when touched
// (scripts/cli/deferred-requires.mjs; bench/RESULTS.md, "Org commands"). `sf omni …` loads them as they are.
const { loadDeferred } = await import('./cli/deferred-requires.mjs');

// Where requires and imports resolved last time, for the same installed tree (npm's hidden lockfile unchanged): Node's
// resolution probes the file system for each of ~450 requires and ~150 imports at every start, ~35–40 ms of CPU of an
// offline command's start (scripts/cli/resolve-cache.mjs; bench/RESULTS.md, CLI start-up). A file per checkout and
// kind of command (offline and org commands load different sets). OMNI_RESOLVE_CACHE=0 turns it off.
const { cacheFile, resolveCache, treeStamp } = await import('./cli/resolve-cache.mjs');
const resolutions = resolveCache(
  cacheFile(path.join(root, 'node_modules', '.cache', 'omni-presence'), offline ? 'offline' : 'org', root),
  process.env.OMNI_RESOLVE_CACHE === '0' ? undefined : treeStamp(root),
);
process.on('exit', () => resolutions.save());

registerHooks({
  resolve(specifier, context, nextResolve) {
    const served = servedToSfPluginsCore.get(specifier);
    if (served && context.parentURL?.includes(sfPluginsCore)) return { url: served, format: 'module', shortCircuit: true };
    const standIn = standIns.get(specifier);
    if (standIn?.importers.some((importer) => context.parentURL?.endsWith(importer))) return { url: standIn.url, format: 'module', shortCircuit: true };
    return resolutions.resolve(specifier, context, nextResolve);
  },
  load: (url, context, nextLoad) => loadOwnTypeScript(url, context, (next, nextContext) => loadDeferred(next, nextContext, nextLoad)),
});

// @oclif/core checks the Node version against its own engines (>= 18) as its index loads, through semver's
// whole index (~47 modules); this launcher has checked for a newer Node already (above). Skipped for that
// load only: the variable is restored before any command runs. Required, not imported: an ES import reads every
// export of oclif's index and so loads what it defers to first use (help, ux: scripts/cli/deferred-requires.mjs).
const engineWarning = process.env.OCLIF_DISABLE_ENGINE_WARNING;
process.env.OCLIF_DISABLE_ENGINE_WARNING = 'true';
createRequire(import.meta.url)('@oclif/core');
if (engineWarning === undefined) delete process.env.OCLIF_DISABLE_ENGINE_WARNING;
else process.env.OCLIF_DISABLE_ENGINE_WARNING = engineWarning;

await import('./omni.ts');
