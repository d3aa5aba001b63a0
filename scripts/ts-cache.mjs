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
 *
 * The cache stays bounded: an entry is named by its file (a hash of the path or URL) and by its content key, and when
 * a miss writes a file's new entry it removes that file's older ones (an edit, a Node or package upgrade replaces
 * the entry rather than adding one) and any entry unused for 30 days (a hit refreshes an entry's mtime, at most once a
 * day). Hits never list or write the folder. Writes are atomic (a temporary file renamed over), and a run that finds
 * an entry gone (removed by another run's prune) makes the text again: a concurrent run costs a strip, never a stale
 * or partial module.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, futimesSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package root (this file is in scripts/). */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheRoot = path.join(root, 'node_modules', '.cache', 'omni-presence');
const ownSources = pathToFileURL(root).href + '/';

const DAY_MS = 24 * 60 * 60 * 1000;
/** An entry not read for this long is removed by the next miss in its folder. */
export const UNUSED_MS = 30 * DAY_MS;

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
 * A cache key (SHA-1, base64url) of `parts` (strings or Buffers), joined by NUL. Not a security boundary: it tells a
 * changed file from its cached text, as git's object names do.
 */
export function cacheKey(parts) {
  const digest = createHash('sha1');
  for (const [i, part] of parts.entries()) {
    if (i) digest.update('\0');
    digest.update(part);
  }
  return digest.digest('base64url');
}

/**
 * `make()`'s text for `id` (the path or URL of the file it is made from), kept in the folder `dir` under a name of
 * `id` and `keyParts` (everything the text depends on, the file's source included): read from there when it was
 * made before, else made, written atomically, and `id`'s older entries and entries unused for UNUSED_MS removed
 * (`now` is the clock, for tests). Without a writable folder the text is made each time.
 */
export function cachedEntry(dir, id, keyParts, make, now = Date.now()) {
  const owner = `${cacheKey([id]).slice(0, 16)}-`;
  const name = `${owner}${cacheKey(keyParts)}.js`;
  const file = path.join(dir, name);
  const hit = readEntry(file, now);
  if (hit !== undefined) return hit;
  const text = make();
  try {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, file); // atomic: a concurrent run sees the whole file or none
  } catch {
    return text; // read-only install: run from memory
  }
  prune(dir, owner, name, now);
  return text;
}

/** The entry's text, its mtime moved to `now` when it is more than a day old; undefined when there is none. */
function readEntry(file, now) {
  let fd;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined; // not cached yet, or removed by another run's prune
  }
  try {
    const { mtimeMs } = fstatSync(fd);
    const text = readFileSync(fd, 'utf8');
    if (now - mtimeMs > DAY_MS) {
      try {
        futimesSync(fd, now / 1000, now / 1000);
      } catch {
        // not the owner (a shared install): the entry may be pruned and made again, never wrong
      }
    }
    return text;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes from `dir` the other entries of `owner` (the file's earlier versions), entries and leftover temporary files
 * unused for UNUSED_MS, keeping `keep`. Run after a miss only; each removal may race another run's (ignored).
 */
function prune(dir, owner, keep, now) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === keep) continue;
    const entry = path.join(dir, name);
    try {
      if (name.startsWith(owner) && name.endsWith('.js')) unlinkSync(entry);
      else if (now - statSync(entry).mtimeMs > UNUSED_MS) unlinkSync(entry);
    } catch {
      // gone already (another run pruned it) or not ours to remove
    }
  }
}

/**
 * `make()`'s text for `id` (the path or URL it is made from), kept under node_modules/.cache/omni-presence/<folder>/
 * (see cachedEntry).
 */
export function cachedText(folder, id, keyParts, make) {
  return cachedEntry(path.join(cacheRoot, folder), id, keyParts, make);
}

/** The JavaScript Node would run for the TypeScript file `file` (a path), from the cache when it was seen. */
function stripped(file) {
  // The source as bytes for the key: a hit never decodes it.
  const source = readFileSync(file);
  return cachedText('ts', file, [process.version, source], () => strip(source.toString('utf8')));
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
