/**
 * Where requires and imports resolve, kept between runs of the `omni` bin (scripts/omni.mjs): the file a
 * dependency's `require("./util")` or the project's `import … from '@oclif/core'` found last time, for the same
 * installed tree. Plain JavaScript: the launcher loads it before any TypeScript can load.
 *
 * Why: Node resolves each of the ~450 requires of a command's start by probing the file system (a relative one tries
 * the name, then `.js`, then a folder's index; a package name walks the node_modules folders up and reads package.json
 * `exports`), ~35 ms of CPU of an offline command's ~210 (bench/RESULTS.md, CLI start-up). A file the resolution found
 * stays the answer until the installed tree changes, and npm rewrites node_modules/.package-lock.json (its hidden
 * lockfile) whenever it changes the tree: the cache is tied to that file's size and mtime, node_modules' own mtime
 * (a package folder added or removed at the top) and Node's version, and is dropped when any differs. A cached file
 * that no longer exists is resolved again. The project's own relative imports are kept too: an ES import names its
 * file (`./x.ts`), so the answer holds while that file exists, whatever else changes (a deleted or renamed file is
 * resolved anew); builtins cost nothing to resolve and are not kept. Without the hidden lockfile (another package
 * manager) nothing is cached. A hand edit of node_modules that makes a require
 * find another file (a nested copy added by hand) is not seen until npm changes the tree again: delete
 * node_modules/.cache/omni-presence/resolutions-*.json, or set OMNI_RESOLVE_CACHE=0. One file per checkout and kind of
 * command (cacheFile); a save removes the files of checkouts that are gone.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from './atomic-file.mjs';
import { fileURLToPath } from 'node:url';

const FILE_SCHEME = 'file://';
/** A cached file URL's path: on POSIX the URL's own path when nothing in it is escaped (no URL parse per hit). */
const pathOf = process.platform === 'win32' ? fileURLToPath : (url) => (url.includes('%') ? fileURLToPath(url) : url.slice(FILE_SCHEME.length));

/**
 * The installed tree's stamp: what must be equal for a cached resolution to hold, or undefined when it cannot be told
 * (no hidden lockfile).
 */
export function treeStamp(root) {
  const modules = path.join(root, 'node_modules');
  const lock = statSync(path.join(modules, '.package-lock.json'), { throwIfNoEntry: false });
  const folder = statSync(modules, { throwIfNoEntry: false });
  if (!lock || !folder) return undefined;
  return `${process.version} ${lock.size} ${lock.mtimeMs} ${folder.mtimeMs}`;
}

/**
 * The file of the cache in `dir` for the checkout `root` and the `kind` of command (offline or org: they load
 * different sets): one per checkout, since git worktrees may share one node_modules (each its own sources), named
 * after the checkout's path so that a checkout that is gone can be told.
 */
export function cacheFile(dir, kind, root) {
  const name = `resolutions-${kind}-${encodeURIComponent(root)}.json`;
  return path.join(dir, name.length > 240 ? `resolutions-${kind}.json` : name);
}

/**
 * Removes from `dir` the cache files of checkouts that no longer exist, the files of an earlier format and temporary
 * files left for more than an hour. Run when a save writes (never on a start that learnt nothing).
 */
function pruneFolder(dir, now = Date.now()) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const checkout = /^resolutions-[a-z]+-(.+)\.json$/.exec(name);
    const entry = path.join(dir, name);
    try {
      if (checkout && !existsSync(decodeURIComponent(checkout[1]))) unlinkSync(entry);
      else if (/^resolve-[a-z]+\.json$/.test(name)) unlinkSync(entry);
      else if (/^resolutions-.*\.tmp$/.test(name) && now - statSync(entry).mtimeMs > 60 * 60 * 1000) unlinkSync(entry);
    } catch {
      // removed by another run already
    }
  }
}

/**
 * The resolution cache kept in `file` (cacheFile) for the tree `stamp` (treeStamp): `resolve(specifier, context, next)`
 * answers a require or import from it, or asks `next` (Node's resolution) and remembers the answer; `save()` writes
 * what was learnt (once, atomically, only when something was) and prunes the folder. With no stamp it only asks `next`.
 */
export function resolveCache(file, stamp) {
  // folder URL + NUL + conditions -> { specifier: [url, format] }: a folder's requires share one key.
  let groups = Object.create(null);
  let learnt = 0;
  if (stamp !== undefined) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8'));
      if (saved.stamp === stamp) groups = Object.assign(Object.create(null), saved.groups);
    } catch {
      // none yet, or unreadable: start empty
    }
  }
  return {
    resolve(specifier, context, next) {
      const parent = context.parentURL;
      if (stamp === undefined || parent === undefined || specifier.startsWith('node:')) return next(specifier, context);
      // A file's resolution depends on its folder, the specifier and the conditions (require or import).
      const key = `${parent.slice(0, parent.lastIndexOf('/'))}\0${context.conditions?.join(',') ?? ''}`;
      const group = groups[key];
      const hit = group !== undefined && Object.hasOwn(group, specifier) ? group[specifier] : undefined;
      if (hit !== undefined && existsSync(pathOf(hit[0]))) {
        return { url: hit[0], format: hit[1] ?? undefined, shortCircuit: true };
      }
      const resolved = next(specifier, context);
      if (resolved.url?.startsWith(FILE_SCHEME)) {
        (groups[key] ??= Object.create(null))[specifier] = [resolved.url, resolved.format ?? null];
        learnt++;
      }
      return resolved;
    },
    save() {
      if (!learnt) return;
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileAtomicSync(file, JSON.stringify({ stamp, groups }));
        pruneFolder(path.dirname(file));
      } catch {
        // read-only install: resolve as Node does next time too
      }
      learnt = 0;
    },
  };
}
