/**
 * The project's TypeScript, stripped once and cached: shared by the `omni` bin (scripts/omni.mjs) and the sf
 * plugin (scripts/sf/init.mjs, oclif's init hook), so `omni …` and `sf omni …` reuse one cache.
 *
 * Node strips types itself (no build step), but it does so on every start through a WebAssembly compiler
 * (~35 MB of memory, ~0.1 s of CPU to load, then each file). This asks Node for the same stripping
 * (`module.stripTypeScriptTypes`) only for files it has not seen, and keeps the result under
 * node_modules/.cache/omni-presence/ts/, keyed by a hash of Node's version and the source, so a changed file
 * is stripped again and nothing stale is ever run. Without a writable cache it strips in memory, as Node would.
 * Plain JavaScript: it is loaded before any TypeScript can be. https://nodejs.org/api/module.html#modulestriptypescripttypescode-options
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package root (this file is in scripts/). */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheRoot = path.join(root, 'node_modules', '.cache', 'omni-presence');
const ownSources = pathToFileURL(root).href + '/';

/** Node marks stripTypeScriptTypes experimental in 22.x and warns once; the result is what Node runs itself. */
function strip(source) {
  const emit = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return stripTypeScriptTypes(source, { mode: 'strip' });
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * `make()`'s text, kept under node_modules/.cache/omni-presence/<folder>/ keyed by a hash of `keyParts` (everything
 * the text depends on): read from there when it was made before. Without a writable cache it is made each time.
 */
export function cachedText(folder, keyParts, make) {
  const hash = createHash('sha256');
  for (const [i, part] of keyParts.entries()) {
    if (i) hash.update('\0');
    hash.update(part);
  }
  const dir = path.join(cacheRoot, folder);
  const cached = path.join(dir, `${hash.digest('hex')}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // not cached yet
  }
  const text = make();
  try {
    mkdirSync(dir, { recursive: true });
    const temp = `${cached}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, cached); // atomic: a concurrent run sees the whole file or none
  } catch {
    // read-only install: run from memory
  }
  return text;
}

/** The JavaScript Node would run for the TypeScript file `file` (a path), from the cache when it was seen. */
function stripped(file) {
  const source = readFileSync(file, 'utf8');
  return cachedText('ts', [process.version, source], () => strip(source));
}

/**
 * A `module.registerHooks` load hook: the package's own `.ts` modules (not those of its node_modules) as their
 * cached stripped JavaScript; everything else as Node loads it.
 */
export function loadOwnTypeScript(url, context, nextLoad) {
  if (url.startsWith(ownSources) && url.endsWith('.ts') && !url.includes('/node_modules/')) {
    return { format: 'module', source: stripped(fileURLToPath(url)), shortCircuit: true };
  }
  return nextLoad(url, context);
}
