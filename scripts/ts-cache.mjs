/**
 * The project's TypeScript, stripped once and cached: shared by the `omni` bin (scripts/omni.mjs) and the sf
 * plugin (scripts/sf/init.mjs, oclif's init hook), so `omni …` and `sf omni …` reuse one cache.
 *
 * Node strips types itself (no build step), but it does so on every start through a WebAssembly compiler
 * (~35 MB of memory, ~0.1 s of CPU to load, then each file). This asks Node for the same stripping
 * (`module.stripTypeScriptTypes`) only for files it has not seen, and keeps the result under
 * node_modules/.cache/omni-presence/ts/ with Node's version and the source it was made from, so a changed file
 * is stripped again and nothing stale is ever run. Without a writable cache it strips in memory, as Node would.
 * Plain JavaScript: it is loaded before any TypeScript can be. https://nodejs.org/api/module.html#modulestriptypescripttypescode-options
 *
 * An entry holds the key's parts (Node's version and the source's bytes) before the text, and is used only when they are
 * byte for byte the ones asked for: never stale, and no hash to compute (node:crypto, ~3.5 ms of CPU to load, stays out
 * of an offline command's start). It is named after its file, so an edit, a Node or package upgrade overwrites it
 * rather than adding one; when a miss writes an entry, entries unused for 30 days go (a hit refreshes an entry's mtime,
 * at most once a day; the folder is listed for that at most once a day; hits never list or write it). Writes are atomic (a temporary file renamed over); a run
 * that finds an entry gone or rewritten by another run makes the text again.
 */
import { closeSync, fstatSync, futimesSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomicSync } from './cli/atomic-file.mjs';

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

/** An entry's file name: its file's path or URL, separators as `!` (a long one keeps its end). */
function entryName(id) {
  const name = `${id.replace(/^file:\/\//, '').replace(/[/\\:]/g, '!')}.js`;
  return name.length > 240 ? name.slice(-240) : name;
}

const asBytes = (part) => (typeof part === 'string' ? Buffer.from(part) : part);

/**
 * `make()`'s text for `id` (the path or URL of the file it is made from), kept in the folder `dir`: the entry
 * `id` names, when it holds the same `keyParts` (everything the text depends on, the file's source included; strings
 * or bytes), else made, written atomically over it, and entries unused for UNUSED_MS removed (`now` is the clock, for
 * tests). Without a writable folder the text is made each time.
 */
export function cachedEntry(dir, id, keyParts, make, now = Date.now()) {
  const file = path.join(dir, entryName(id));
  const parts = keyParts.map(asBytes);
  const hit = readEntry(file, parts, now);
  if (hit !== undefined) return hit;
  const text = make();
  try {
    mkdirSync(dir, { recursive: true });
    // The parts' lengths on the first line, the parts, then the text.
    writeFileAtomicSync(file, Buffer.concat([Buffer.from(`${parts.map((part) => part.length).join(' ')}\n`), ...parts, Buffer.from(text)]));
  } catch {
    return text; // read-only install: run from memory
  }
  prune(dir, now);
  return text;
}

/**
 * The entry's text when it holds exactly `parts` (its mtime moved to `now` when more than a day old); undefined when
 * there is none or it was made from something else.
 */
function readEntry(file, parts, now) {
  let fd;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined; // not cached yet, or removed by another run's prune
  }
  try {
    const { mtimeMs } = fstatSync(fd);
    const entry = readFileSync(fd);
    const newline = entry.indexOf(10);
    const lengths = newline > 0 ? entry.toString('latin1', 0, newline).split(' ').map(Number) : [];
    if (lengths.length !== parts.length) return undefined;
    let at = newline + 1;
    for (const [i, part] of parts.entries()) {
      if (lengths[i] !== part.length || at + part.length > entry.length || !part.equals(entry.subarray(at, at + part.length))) return undefined;
      at += part.length;
    }
    if (now - mtimeMs > DAY_MS) {
      try {
        futimesSync(fd, now / 1000, now / 1000);
      } catch {
        // not the owner (a shared install): the entry may be pruned and made again, never wrong
      }
    }
    return entry.toString('utf8', at);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A file of the folder whose mtime is when it was last pruned. */
const PRUNED_MARK = '.pruned';

/**
 * Removes from `dir` the entries and leftover temporary files unused for UNUSED_MS. Run after a miss, at most once a
 * day per folder (across runs: the mark's mtime), so that a run missing on many files (after a checkout) lists the
 * folder once, and most misses not at all.
 */
function prune(dir, now) {
  const mark = path.join(dir, PRUNED_MARK);
  try {
    if (now - statSync(mark).mtimeMs < DAY_MS) return;
  } catch {
    // never pruned
  }
  try {
    writeFileSync(mark, '');
    utimesSync(mark, now / 1000, now / 1000);
  } catch {
    return;
  }
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === PRUNED_MARK) continue;
    const entry = path.join(dir, name);
    try {
      if (now - statSync(entry).mtimeMs > UNUSED_MS) unlinkSync(entry);
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
  // The source as bytes: a hit compares them and never decodes them.
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
