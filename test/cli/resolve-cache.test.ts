/**
 * The bin's cache of where the installed packages' requires resolve (scripts/cli/resolve-cache.mjs): a dependency's
 * require is answered from it for the same installed tree, and resolved by Node again when the tree's stamp changes
 * (npm rewrote its hidden lockfile, a package folder came or went), when the cached file is gone, or for another
 * condition set; the project's own imports are cached as a dependency's, builtins never. In a temporary tree,
 * in-process.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { cacheFile, resolveCache, treeStamp } from '../../scripts/cli/resolve-cache.mjs';

let root: string;
let file: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'omni-resolve-'));
  mkdirSync(path.join(root, 'node_modules/pkg/lib'), { recursive: true });
  writeFileSync(path.join(root, 'node_modules/.package-lock.json'), '{}');
  writeFileSync(path.join(root, 'node_modules/pkg/lib/a.js'), '');
  writeFileSync(path.join(root, 'node_modules/pkg/lib/b.js'), '');
  // The cache's own folder exists from the first run on (creating it changes node_modules' mtime once).
  mkdirSync(path.join(root, 'node_modules/.cache/omni-presence'), { recursive: true });
  file = cacheFile(path.join(root, 'node_modules/.cache/omni-presence'), 'offline', root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const url = (file: string) => pathToFileURL(path.join(root, file)).href;
const requireFrom = (parent: string) => ({ parentURL: url(parent), conditions: ['node', 'require', 'node-addons'] });

/** Node's resolution stand-in for the test: './b' from pkg/lib resolves to b.js; counts the calls. */
function nodeResolution() {
  const calls: string[] = [];
  const next = (specifier: string, context: { parentURL?: string }) => {
    calls.push(specifier);
    if (specifier === 'node:fs' || specifier === 'fs') return { url: 'node:fs', format: 'builtin' };
    if (specifier === 'pkg') return { url: url('node_modules/pkg/lib/a.js'), format: 'commonjs' };
    return { url: new URL(`${specifier}.js`, context.parentURL).href, format: 'commonjs' };
  };
  return { next, calls };
}

/** One run of the bin: the cache as it loads at start, resolutions, then its save at exit. */
function run(specifiers: Array<[string, ReturnType<typeof requireFrom>]>, stamp = treeStamp(root)) {
  const { next, calls } = nodeResolution();
  const cache = resolveCache(file, stamp);
  const results = specifiers.map(([specifier, context]) => cache.resolve(specifier, context, next).url);
  cache.save();
  return { results, asked: calls };
}

describe("the bin's resolution cache", () => {
  test("a dependency's require is resolved once per installed tree; the answers are Node's", () => {
    const requires: Array<[string, ReturnType<typeof requireFrom>]> = [['./b', requireFrom('node_modules/pkg/lib/a.js')]];
    const first = run(requires);
    expect(first.results).toEqual([url('node_modules/pkg/lib/b.js')]);
    expect(first.asked).toEqual(['./b']);
    const second = run(requires);
    expect(second.results).toEqual(first.results);
    expect(second.asked).toEqual([]);
    // Another condition set (an import, not a require) is its own resolution.
    const imported = run([['./b', { parentURL: url('node_modules/pkg/lib/a.js'), conditions: ['node', 'import'] }]]);
    expect(imported.asked).toEqual(['./b']);
  });

  test('npm changing the tree (its hidden lockfile rewritten, a top-level package folder added) drops every cached answer', () => {
    const requires: Array<[string, ReturnType<typeof requireFrom>]> = [['./b', requireFrom('node_modules/pkg/lib/a.js')]];
    run(requires);
    writeFileSync(path.join(root, 'node_modules/.package-lock.json'), '{"packages":{}}');
    expect(run(requires).asked).toEqual(['./b']);
    expect(run(requires).asked).toEqual([]);
    const later = new Date(Date.now() + 5000);
    mkdirSync(path.join(root, 'node_modules/other'));
    utimesSync(path.join(root, 'node_modules'), later, later);
    expect(run(requires).asked).toEqual(['./b']);
  });

  test('a cached file that is gone is resolved again; without a hidden lockfile nothing is cached', () => {
    const requires: Array<[string, ReturnType<typeof requireFrom>]> = [['./b', requireFrom('node_modules/pkg/lib/a.js')]];
    run(requires);
    rmSync(path.join(root, 'node_modules/pkg/lib/b.js'));
    expect(run(requires).asked).toEqual(['./b']);
    rmSync(path.join(root, 'node_modules/.package-lock.json'));
    expect(treeStamp(root)).toBeUndefined();
    writeFileSync(path.join(root, 'node_modules/pkg/lib/b.js'), '');
    expect(run(requires, undefined).asked).toEqual(['./b']);
    expect(run(requires, undefined).asked).toEqual(['./b']);
  });

  test("the project's own imports are cached while their file exists; builtins are never cached", () => {
    writeFileSync(path.join(root, 'own.js'), '');
    writeFileSync(path.join(root, 'own-dep.js'), '');
    const requires: Array<[string, ReturnType<typeof requireFrom>]> = [
      ['./own-dep', requireFrom('own.js')],
      ['pkg', requireFrom('own.js')],
      ['node:fs', requireFrom('node_modules/pkg/lib/a.js')],
      ['fs', requireFrom('node_modules/pkg/lib/a.js')],
    ];
    expect(run(requires).results[1]).toBe(url('node_modules/pkg/lib/a.js'));
    const again = run(requires);
    expect(again.asked).toEqual(['node:fs', 'fs']);
    expect(again.results.slice(0, 2)).toEqual([url('own-dep.js'), url('node_modules/pkg/lib/a.js')]);
    // A source of the project deleted (or renamed): its import is resolved anew.
    rmSync(path.join(root, 'own-dep.js'));
    expect(run(requires).asked).toEqual(['./own-dep', 'node:fs', 'fs']);
  });

  test("one file per checkout (worktrees may share node_modules); a save removes the files of checkouts that are gone", () => {
    const folder = path.join(root, 'node_modules/.cache/omni-presence');
    const other = mkdtempSync(path.join(tmpdir(), 'omni-resolve-checkout-'));
    const gone = path.join(tmpdir(), 'omni-resolve-gone-checkout');
    rmSync(gone, { recursive: true, force: true });
    for (const checkout of [other, gone]) writeFileSync(cacheFile(folder, 'offline', checkout), '{}');
    writeFileSync(path.join(folder, 'resolve-offline.json'), '{}');
    expect(cacheFile(folder, 'offline', other)).not.toBe(file);
    try {
      // A run that learns saves, and the gone checkout's file and the earlier format's go; the other checkout's stays.
      run([['./b', requireFrom('node_modules/pkg/lib/a.js')]]);
      expect(readdirSync(folder).sort()).toEqual([file, cacheFile(folder, 'offline', other)].map((f) => path.basename(f)).sort());
      // A run that learns nothing writes nothing and removes nothing.
      writeFileSync(cacheFile(folder, 'offline', gone), '{}');
      expect(run([['./b', requireFrom('node_modules/pkg/lib/a.js')]]).asked).toEqual([]);
      expect(existsSync(cacheFile(folder, 'offline', gone))).toBe(true);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
