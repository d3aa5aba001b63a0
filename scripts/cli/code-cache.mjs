/**
 * V8's code cache for the installed CommonJS modules an offline command runs (oclif, sf-plugins-core's CommonJS
 * dependencies, @salesforce/core, pino…), made when the run ends rather than when each module is compiled. Plain
 * JavaScript: the `omni` bin (scripts/omni.mjs) installs it before any TypeScript can load.
 *
 * Why: Node's compile cache (module.enableCompileCache, which the bin also uses) keeps what V8 compiled as a module was
 * compiled: its top level. Every function the run then calls is compiled lazily, from source, in every run — the
 * parser and bytecode generator were ~19 % of an empty project's `omni validate` (perf, 2026-11-30). A code cache made
 * after the run (v8.Script#createCachedData) holds those functions too, so the next run deserializes them instead
 * (bench/RESULTS.md, "Validate at scale": the command's start).
 *
 * How: CommonJS modules under node_modules are compiled here as Node compiles them (the module wrapper, run in this
 * context, `import()` through the main loader) with the cached data of their entry, and the entries of modules that
 * had none (or whose data V8 rejected) are written when the process exits. An entry holds the module's source bytes
 * before the data and is used only for exactly that source (V8 itself checks only the source's length); it is named
 * after its file, so an upgraded package overwrites it. The folder is per V8 cache tag (V8's version and flags: the bin
 * sets other flags for org commands) and per command, whose functions are the ones its entries hold; a folder unused
 * for 30 days (an older Node's) is removed when another is written. Writes are atomic (a temporary file renamed over);
 * without a writable folder nothing is written and modules compile as Node compiles them. Everything else (the
 * project's TypeScript, ES modules, JSON) loads as before.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { writeFileAtomicSync } from './atomic-file.mjs';

const Module = createRequire(import.meta.url)('node:module');

const DAY_MS = 24 * 60 * 60 * 1000;
/** A folder (one V8 cache tag and command) not used for this long is removed when another folder is written. */
const UNUSED_MS = 30 * DAY_MS;

/**
 * Marks the folder `dir` used (its mtime, at most once a day), or, when it was written, removes its siblings unused for
 * UNUSED_MS (an older Node's or flag set's entries).
 */
function keepFolder(dir, written, now) {
  try {
    if (!written) {
      if (now - statSync(dir).mtimeMs > DAY_MS) utimesSync(dir, now / 1000, now / 1000);
      return;
    }
    const parent = path.dirname(dir);
    for (const name of readdirSync(parent)) {
      const folder = path.join(parent, name);
      if (folder !== dir && now - statSync(folder).mtimeMs > UNUSED_MS) rmSync(folder, { recursive: true, force: true });
    }
  } catch {
    // not there yet, or removed by another run
  }
}

/** An entry's file name: its module's path, separators as `!` (a long one keeps its end). */
function entryName(file) {
  const name = `${file.replace(/[/\\:]/g, '!')}.bin`;
  return name.length > 240 ? name.slice(-240) : name;
}

/** The cached data of `entry` (a file) when it was made from exactly `source`; undefined otherwise. */
function readData(entry, source) {
  let bytes;
  try {
    bytes = readFileSync(entry);
  } catch {
    return undefined; // none yet
  }
  if (bytes.length < 4) return undefined;
  const length = bytes.readUInt32LE(0);
  return length === source.length && bytes.length > 4 + length && source.equals(bytes.subarray(4, 4 + length)) ? bytes.subarray(4 + length) : undefined;
}

/** Node 22's ExperimentalWarning for vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER, given at a module's first `import()`. */
const LOADER_WARNING = 'vm.USE_MAIN_CONTEXT_DEFAULT_LOADER';

/**
 * The module wrapper's start shares the module's first line: a position there is reported that many columns to the
 * left, so that a stack trace names the module's own line 1 column (as Node, which compiles without a wrapper, does).
 */
const WRAPPER_COLUMNS = -Module.wrap('\0').indexOf('\0');

/**
 * `script` compiled with `import()` going through the main ES module loader, as in a module Node compiled. Throws a
 * SyntaxError for a source that is not a script.
 */
function compileScript(source, filename, cachedData) {
  return new vm.Script(source, { filename, cachedData, columnOffset: WRAPPER_COLUMNS, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
}

/**
 * Compiles the CommonJS modules under node_modules with the code cache kept in `dir`, and at exit writes the entries
 * this run lacked unless `write` is false (a run whose functions are not its command's: help, version); `now` is the
 * clock (for tests). Returns the
 * run's counts so far: modules compiled with their entry's data, and without (compiled from source).
 */
export function installCodeCache(dir, { write = true, now = Date.now() } = {}) {
  const counts = { cached: 0, compiled: 0 };
  const compile = Module.prototype._compile;
  // The option is experimental in Node 22 (stable in its API since 21.7), and says so when a module compiled here first
  // runs `import()` (oclif's platform check): that one warning is not the user's.
  const emitWarning = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    if (String(warning?.message ?? warning).startsWith(LOADER_WARNING)) return;
    return Reflect.apply(emitWarning, this, [warning, ...rest]);
  };
  /** [entry file, source bytes, script] of the modules compiled without usable data. */
  const made = [];
  Module.prototype._compile = function (content, filename, format) {
    if (format === 'module' || !filename.includes(`${path.sep}node_modules${path.sep}`)) return compile.call(this, content, filename, format);
    const entry = path.join(dir, entryName(filename));
    const source = Buffer.from(content);
    const cachedData = readData(entry, source);
    let script;
    try {
      script = compileScript(Module.wrap(content), filename, cachedData);
    } catch {
      // Not CommonJS after all (an ES module in a package without "type", which Node detects): as Node loads it.
      return compile.call(this, content, filename, format);
    }
    if (cachedData === undefined || script.cachedDataRejected) {
      made.push([entry, source, script]);
      counts.compiled++;
    } else {
      counts.cached++;
    }
    const module = this;
    // The `require` Node gives a module (lib/internal/modules/helpers.js, makeRequireFunction).
    const require = (id) => module.require(id);
    require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
    require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
    require.main = process.mainModule;
    require.extensions = Module._extensions;
    require.cache = Module._cache;
    return script.runInThisContext({ displayErrors: true }).call(module.exports, module.exports, require, module, filename, path.dirname(filename));
  };
  process.on('exit', () => {
    if (!write || !made.length) {
      keepFolder(dir, false, now);
      return;
    }
    try {
      mkdirSync(dir, { recursive: true });
      for (const [entry, source, script] of made) {
        const length = Buffer.alloc(4);
        length.writeUInt32LE(source.length, 0);
        writeFileAtomicSync(entry, Buffer.concat([length, source, script.createCachedData()]));
      }
      keepFolder(dir, true, now);
    } catch {
      // read-only install: compiled from source next time too
    }
  });
  return counts;
}
