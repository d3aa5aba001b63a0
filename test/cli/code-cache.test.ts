/**
 * scripts/cli/code-cache.mjs: the installed CommonJS modules compiled with a V8 code cache made when the run ends.
 * Each case is a process of its own (the cache replaces Module.prototype._compile for the process) over a package in a
 * temporary node_modules: what a module computes is the same with and without the cache, a second run uses the entries
 * the first wrote, an entry is used only for the very source it was made from, and nothing breaks without a writable
 * folder or for an ES module Node detects in a package without "type".
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.ts';
import { NODE } from '../helpers/traced-bin.ts';

const work = mkdtempSync(path.join(tmpdir(), 'omni-code-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const pkg = path.join(work, 'node_modules', 'pkg');
mkdirSync(pkg, { recursive: true });
const cacheDir = path.join(work, 'cache', 'tag-validate');

/** pkg/index.js: a function called after load (compiled lazily), require.resolve, __dirname, an `import()` of an ES module. */
function writePackage(answer: number): void {
  writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'pkg', version: '1.0.0' }));
  writeFileSync(path.join(pkg, 'esm.mjs'), 'export const word = "esm";\n');
  writeFileSync(path.join(pkg, 'detected.js'), 'export const detected = "detected as ESM";\n');
  writeFileSync(
    path.join(pkg, 'index.js'),
    [
      "'use strict';",
      `function answer() { return ${answer}; }`,
      'exports.answer = answer;',
      "exports.where = [path => path, require.resolve('./esm.mjs') === __dirname + '/esm.mjs', typeof require.cache, module.exports === exports][1];",
      "exports.load = async () => (await import('./esm.mjs')).word;",
    ].join('\n'),
  );
}

/** One process: the cache installed over `dir`, pkg required and run; what it computed and the cache's counts. */
function run(dir: string, options: { write?: boolean; now?: number } = {}) {
  const script = [
    `import { createRequire } from 'node:module';`,
    `const { installCodeCache } = await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'scripts/cli/code-cache.mjs')).href)});`,
    `const counts = installCodeCache(${JSON.stringify(dir)}, ${JSON.stringify(options)});`,
    `const require = createRequire(${JSON.stringify(path.join(work, 'x.js'))});`,
    "const pkg = require('pkg');",
    "const detected = require('pkg/detected.js').detected;",
    'console.log(JSON.stringify({ answer: pkg.answer(), where: pkg.where, word: await pkg.load(), detected, counts }));',
  ].join('\n');
  const child = spawnSync(NODE, ['--input-type=module', '-e', script], { cwd: work, encoding: 'utf8' });
  expect(child.status, child.stderr).toBe(0);
  return { ...(JSON.parse(child.stdout) as { answer: number; where: boolean; word: string; detected: string; counts: { cached: number; compiled: number } }), stderr: child.stderr };
}

describe('the code cache of the installed CommonJS modules', () => {
  test('a first run writes the entries, a second uses them, with the same results and no warning', () => {
    writePackage(41);
    const first = run(cacheDir);
    expect(first).toMatchObject({ answer: 41, where: true, word: 'esm', detected: 'detected as ESM', counts: { cached: 0, compiled: 1 } });
    // The module Node detects as ESM was left to Node: one entry, pkg's.
    expect(readdirSync(cacheDir)).toHaveLength(1);
    const second = run(cacheDir);
    expect(second).toMatchObject({ answer: 41, where: true, word: 'esm', counts: { cached: 1, compiled: 0 } });
    // Node 22 calls the main-loader option of vm experimental; the bin's users are not told.
    expect(second.stderr).toBe('');
  });

  test('an entry is used only for the source it was made from (one of the same length included)', () => {
    writePackage(41);
    run(cacheDir);
    writePackage(42); // same length, another answer: V8 alone would take the old code
    expect(run(cacheDir)).toMatchObject({ answer: 42, counts: { cached: 0, compiled: 1 } });
    expect(run(cacheDir)).toMatchObject({ answer: 42, counts: { cached: 1, compiled: 0 } });
  });

  test('a run that must not write leaves no entry; a folder that cannot be written leaves the modules as they are', () => {
    writePackage(41);
    const quiet = path.join(work, 'cache', 'tag-help');
    expect(run(quiet, { write: false })).toMatchObject({ answer: 41, counts: { compiled: 1 } });
    expect(readdirSync(path.join(work, 'cache'))).not.toContain('tag-help');
    const blocked = path.join(work, 'blocked');
    writeFileSync(blocked, 'a file where the folder would be');
    expect(run(path.join(blocked, 'tag'))).toMatchObject({ answer: 41, counts: { cached: 0, compiled: 1 } });
  });

  test("a folder unused for 30 days is removed when another is written, one in use is kept", () => {
    writePackage(41);
    run(cacheDir); // entries for this source
    const now = Date.now();
    const old = path.join(work, 'cache', 'old-tag');
    mkdirSync(old, { recursive: true });
    utimesSync(old, (now - 31 * 86_400_000) / 1000, (now - 31 * 86_400_000) / 1000);
    run(cacheDir, { now }); // a hit: writes nothing, prunes nothing
    expect(readdirSync(path.join(work, 'cache'))).toContain('old-tag');
    run(path.join(work, 'cache', 'new-tag'), { now });
    expect(readdirSync(path.join(work, 'cache'))).not.toContain('old-tag');
    expect(readdirSync(path.join(work, 'cache'))).toContain(path.basename(cacheDir));
  });

  test('a position on a module\'s first line is its own column, compiled or from the cache (the wrapper not counted)', () => {
    const source = "exports.stack = () => new Error('here').stack;\n";
    writeFileSync(path.join(pkg, 'oneline.js'), source);
    const dir = path.join(work, 'cache', 'tag-columns');
    const script = [
      `const { installCodeCache } = await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'scripts/cli/code-cache.mjs')).href)});`,
      `installCodeCache(${JSON.stringify(dir)});`,
      `const { createRequire } = await import('node:module');`,
      `console.log(createRequire(${JSON.stringify(path.join(work, 'x.js'))})('pkg/oneline.js').stack().split('\\n')[1]);`,
    ].join('\n');
    // Where `new Error` stands in the file as written (1-based).
    const expected = `oneline.js:1:${source.indexOf('new Error') + 1})`;
    for (const pass of ['compiled', 'from the cache']) {
      const child = spawnSync(NODE, ['--input-type=module', '-e', script], { cwd: work, encoding: 'utf8' });
      expect(child.status, `${pass}: ${child.stderr}`).toBe(0);
      expect(child.stdout.trim(), pass).toContain(expected);
    }
    expect(readdirSync(dir)).toHaveLength(1);
  });
});
