/**
 * omni's tables load React's production build (scripts/cli/sf-table.ts: NODE_ENV is `production` while
 * @oclif/table loads, when it is unset), sf's load the development build (sf leaves NODE_ENV unset). The text
 * must not differ: random tables (unicode, wide and empty cells, long cells that wrap or truncate, numbers,
 * booleans, missing keys) under each border style, with and without styles, each overflow, rendered in two
 * processes — @oclif/table as sf loads it (the oracle) and omni's loadSfTable — compared byte for byte. The
 * process boundary is the point: a module's build is chosen once per process.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

const CHILD = resolve(import.meta.dirname, 'fixtures/render-tables.ts');
const BORDERS = ['all', 'headers-only-with-outline', 'headers-only-with-underline', 'headers-only', 'horizontal-with-outline', 'horizontal', 'none', 'outline', 'vertical-with-outline', 'vertical', 'no-such-style'];
const OVERFLOWS = ['wrap', 'truncate', 'truncate-middle', 'truncate-start', 'truncate-end'];

const cell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ minLength: 40, maxLength: 140 }),
  fc.constantFrom('—', '', 'miaw', 'Ünïcödé 名前 ✓', 'seed.agent1@example.com', 'a\tb', 'x (user)'),
  fc.integer(),
  fc.boolean(),
);
/** A table of `rows` rows (each with any of the columns) under any of sf's environment settings. */
const tableCase = (rows: { minLength: number; maxLength: number }) =>
  fc.uniqueArray(fc.stringMatching(/^[a-z][a-zA-Z]{0,11}$/), { minLength: 1, maxLength: 6 }).chain((columns) =>
    fc.record({
      columns: fc.constant(columns),
      rows: fc.array(fc.dictionary(fc.constantFrom(...columns), cell), rows),
      env: fc.record(
        { SF_TABLE_BORDER_STYLE: fc.constantFrom(...BORDERS), SF_NO_TABLE_STYLE: fc.constantFrom('true', 'false'), SF_TABLE_OVERFLOW: fc.constantFrom(...OVERFLOWS) },
        { requiredKeys: [] },
      ),
    }),
  );

function render(cases: unknown[], oracle: boolean): Promise<{ out: string[]; builds: string[]; nodeEnv: string | null }> {
  const env = { ...process.env };
  delete env.NODE_ENV; // as sf runs, and as the omni bin runs
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CHILD, ...(oracle ? ['oracle'] : [])], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(JSON.parse(stdout)) : fail(new Error(`render-tables exited ${code}`))));
    child.stdin.end(JSON.stringify(cases));
  });
}

describe("omni's table text with React's production build", () => {
  test('equals @oclif/table with the development build (as sf loads it), for 106 random tables', async () => {
    const plan = { rows: Array.from({ length: 200 }, (_, i) => ({ kind: 'user', name: `seed.agent${i}@example.com`, action: i % 3 ? 'create' : 'move', from: i % 3 ? '—' : 'bench_cfg', to: 'other_cfg', effective: 'other_cfg (user)' })), columns: ['kind', 'name', 'action', 'from', 'to', 'effective'], env: {} };
    // fast-check's default run count of tables of 1–4 rows, and 6 of 5–12 rows (the range drawn from before): each
    // cell is drawn through ink twice, in two processes (≈ 1 ms of CPU each), so the cells, not the tables, cost;
    // a table's rows are laid out alike whatever their count (one row box under another, each as high as its
    // highest cell), and the 200-row plan above is the large one
    const cases = [plan, ...fc.sample(tableCase({ minLength: 1, maxLength: 4 }), { numRuns: 100, seed: 20261130 }), ...fc.sample(tableCase({ minLength: 5, maxLength: 12 }), { numRuns: 6, seed: 20261131 })];
    const [oracle, omni] = await Promise.all([render(cases, true), render(cases, false)]);
    // the two sides really load different builds, and NODE_ENV is unset again after the load
    expect(oracle.builds).toEqual(expect.arrayContaining(['react-reconciler.development.js', 'react.development.js']));
    expect(oracle.builds.every((f) => f.endsWith('.development.js'))).toBe(true);
    expect(omni.builds).toEqual(expect.arrayContaining(['react-reconciler.production.min.js', 'react.production.min.js']));
    expect(omni.builds.every((f) => f.endsWith('.production.min.js'))).toBe(true);
    expect(omni.nodeEnv).toBeNull();
    expect(omni.out).toHaveLength(cases.length);
    for (let i = 0; i < cases.length; i++) expect({ case: cases[i], text: omni.out[i] }).toEqual({ case: cases[i], text: oracle.out[i] });
  }, 120_000);
});
