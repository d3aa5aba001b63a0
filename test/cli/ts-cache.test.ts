/**
 * The launcher's cache of stripped TypeScript and rewritten dependencies (scripts/ts-cache.mjs `cachedEntry`): a hit
 * gives the text made from the very same bytes (one byte of difference is a miss), a changed file replaces its entry
 * instead of adding one, entries unused for 30 days go with the next miss while used ones stay, and a run that loses an
 * entry to another run makes the text again. In a temporary folder, in-process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { cachedEntry, UNUSED_MS } from '../../scripts/ts-cache.mjs';
import { REPO_ROOT } from '../helpers/paths.ts';
import { NODE } from '../helpers/traced-bin.ts';

const DAY = 24 * 60 * 60 * 1000;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'omni-ts-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A cachedEntry call that counts how often the text is made. */
function cache() {
  let made = 0;
  const get = (id: string, content: string, now?: number) =>
    cachedEntry(dir, id, ['v22', content], () => {
      made++;
      return `made(${content})`;
    }, now);
  return { get, made: () => made };
}
/** The folder's entries and temporary files (not the mark of its last prune). */
const entries = () => readdirSync(dir).filter((name) => name !== '.pruned').sort();

describe('the cache of stripped sources', () => {
  test('a hit gives the text made for that content without making it again; a changed file replaces its entry', () => {
    const { get, made } = cache();
    expect(get('/p/a.ts', 'one')).toBe('made(one)');
    expect(get('/p/a.ts', 'one')).toBe('made(one)');
    expect(made()).toBe(1);
    expect(get('/p/b.ts', 'one')).toBe('made(one)');
    expect(entries()).toHaveLength(2);
    expect(get('/p/a.ts', 'two')).toBe('made(two)');
    expect(made()).toBe(3);
    // a.ts's first entry was replaced, b.ts's kept: still one entry per file.
    expect(entries()).toHaveLength(2);
    expect(get('/p/b.ts', 'one')).toBe('made(one)');
    expect(get('/p/a.ts', 'one')).toBe('made(one)');
    expect(made()).toBe(4);
  });

  test('an entry is used only for the very bytes it was made from: a change of one byte, of the same length, is a miss', () => {
    const { get, made } = cache();
    expect(get('/p/a.ts', 'const a: number = 1;')).toBe('made(const a: number = 1;)');
    expect(get('/p/a.ts', 'const a: number = 2;')).toBe('made(const a: number = 2;)');
    expect(get('/p/a.ts', 'const a: number = 2;')).toBe('made(const a: number = 2;)');
    expect(made()).toBe(2);
    // Another Node version (the first key part) is another key too.
    expect(cachedEntry(dir, '/p/a.ts', ['v24', 'const a: number = 2;'], () => 'made for v24')).toBe('made for v24');
    // A truncated entry (a partial write another way) is not used.
    const [entry] = entries();
    writeFileSync(path.join(dir, entry), 'v22'.length + ' 5\nv22cons');
    expect(get('/p/a.ts', 'const a: number = 2;')).toBe('made(const a: number = 2;)');
    expect(made()).toBe(3);
  });

  test('entries unused for 30 days go with the next miss; a hit keeps an entry in use by refreshing it once a day', () => {
    const { get } = cache();
    const now = Date.now();
    get('/p/used.ts', 'x', now);
    get('/p/unused.ts', 'y', now);
    writeFileSync(path.join(dir, 'stray.123.tmp'), 'partial');
    // Everything written 40 days ago; then used.ts is read 20 days ago (a hit refreshes an entry older than a day).
    for (const name of entries()) utimesSync(path.join(dir, name), (now - 40 * DAY) / 1000, (now - 40 * DAY) / 1000);
    get('/p/used.ts', 'x', now - 20 * DAY);
    const usedEntry = entries().find((name) => statSync(path.join(dir, name)).mtimeMs > now - 30 * DAY);
    expect(usedEntry).toBeDefined();
    // A hit does not prune.
    expect(entries()).toHaveLength(3);
    // A miss (a new file) today removes what was unused for more than UNUSED_MS: unused.ts and the stray temporary file
    // — the folder was last pruned (its mark) on the first miss, 40 days ago here.
    utimesSync(path.join(dir, '.pruned'), (now - 40 * DAY) / 1000, (now - 40 * DAY) / 1000);
    expect(UNUSED_MS).toBe(30 * DAY);
    get('/p/new.ts', 'z', now);
    expect(entries()).toHaveLength(2);
    expect(entries()).toContain(usedEntry);
    // Pruned at most once a day: a stale entry made now is not removed by another miss the same day.
    writeFileSync(path.join(dir, 'old.js'), '');
    utimesSync(path.join(dir, 'old.js'), (now - 40 * DAY) / 1000, (now - 40 * DAY) / 1000);
    get('/p/newer.ts', 'w', now);
    expect(entries()).toContain('old.js');
    get('/p/newest.ts', 'v', now + 2 * DAY);
    expect(entries()).not.toContain('old.js');
  });

  test('an entry removed by another run (its prune) is made again; any sequence of runs gives each content its own text, one entry per file', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ file: fc.constantFrom('a', 'b', 'c'), content: fc.constantFrom('1', '2', '3'), removeOne: fc.boolean() }), { minLength: 1, maxLength: 30 }), (steps) => {
        for (const name of entries()) unlinkSync(path.join(dir, name));
        const { get } = cache();
        for (const { file, content, removeOne } of steps) {
          if (removeOne && entries().length) unlinkSync(path.join(dir, entries()[0]));
          expect(get(`/p/${file}.ts`, content)).toBe(`made(${content})`);
          expect(entries().length).toBeLessThanOrEqual(new Set(steps.map((s) => s.file)).size);
        }
      }),
      { numRuns: 30 },
    );
  });

  test('without a writable folder the text is made each time', () => {
    const blocked = path.join(dir, 'file');
    writeFileSync(blocked, '');
    let made = 0;
    const get = () => cachedEntry(path.join(blocked, 'cache'), '/p/a.ts', ['v22', 'x'], () => `made${++made}`);
    expect(get()).toBe('made1');
    expect(get()).toBe('made2');
  });

  test('a write that fails part-way (a full disk: here a file-size limit of 0) leaves no temporary file, and the text is made', () => {
    // A process of its own: the limit is the shell's (ulimit -f), and Node ignores the SIGXFSZ it would raise.
    const script = `import { cachedEntry } from ${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'scripts/ts-cache.mjs')).href)};
console.log(cachedEntry(${JSON.stringify(dir)}, '/p/a.ts', ['v22', 'x'], () => 'made'));`;
    const child = spawnSync('sh', ['-c', `ulimit -f 0 && exec "$0" --input-type=module -e "$1"`, NODE, script], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout.trim()).toBe('made');
    expect(entries()).toEqual([]);
  });
});
