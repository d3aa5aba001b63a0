/**
 * Peak memory of each output of `omni validate` on the scale bench's project (a spec of N presence configurations
 * and the XML `omni generate` writes from it): the text output counts the 20,000 infos of 10,000 configurations,
 * every other output (`--json`, `--format json|sarif`, `--level info`) words and prints them all. Issue #15 asks ≤ 120
 * MiB peak RSS at 10,000 configurations. Each process is measured whole by GNU time (`/usr/bin/time -f "%e %M %U
 * %S"`); the cases run round-robin (one run of each, then the next round) so that a change in the machine's load
 * reaches them alike.
 *
 *   node bench/validate/outputs.ts [configurations=10000] [rounds=8]
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, runStamp, writeResultsSection } from '../results.ts';
import { generateScaleProject } from './scale-project.ts';
import { type Sample, timed } from './timed.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const configs = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 8);
const bin = path.join(repoRoot, 'scripts/omni.mjs');
const TARGET_MIB = 120;

/** `omni validate` with `args`, timed whole. */
const validate = (args: string[], cwd: string): Sample => timed([process.execPath, bin, 'validate', ...args], cwd);

const cases = [
  { label: 'text (`omni validate`)', args: [] },
  { label: 'text, every finding (`--level info`)', args: ['--level', 'info'] },
  { label: '`--json`', args: ['--json'] },
  { label: '`--json --level info`', args: ['--json', '--level', 'info'] },
  { label: '`--format json`', args: ['--format', 'json'] },
  { label: '`--format sarif`', args: ['--format', 'sarif'] },
  { label: 'XML only, `force-app --json`', args: ['force-app', '--json'] },
];

const load = () => loadavg()[0];
const root = generateScaleProject(configs);
try {
  const loadBefore = load();
  for (const c of cases) validate(c.args, root); // warm-up: file cache, stripped-TypeScript and code caches
  const samples = cases.map(() => [] as Sample[]);
  for (let r = 0; r < rounds; r++) {
    cases.forEach((c, i) => {
      const sample = validate(c.args, root);
      if (sample.code !== 0) throw new Error(`${c.label}: omni exit ${sample.code}`);
      samples[i].push(sample);
    });
  }
  const loadAfter = load();
  const rows = cases.map((c, i) => {
    const s = samples[i];
    const peaks = s.map((x) => x.peakMiB);
    const row = { label: c.label, wall: median(s.map((x) => x.wall)), cpu: median(s.map((x) => x.cpu)), min: Math.min(...peaks), max: Math.max(...peaks), median: median(peaks) };
    console.log(`${row.label}: wall ${row.wall.toFixed(2)} s, CPU ${row.cpu.toFixed(2)} s, peak ${row.min.toFixed(1)}–${row.max.toFixed(1)} MiB (median ${row.median.toFixed(1)})`);
    return row;
  });
  const section = [
    '## Validate at scale: every output’s peak memory',
    '',
    runStamp(`node bench/validate/outputs.ts ${configs} ${rounds}`, [loadBefore, loadAfter]),
    `The project of "Validate at scale" (a spec of ${configs.toLocaleString('en-US')} presence configurations and the XML \`omni generate\` writes), \`omni validate\` with each output; GNU time per whole process, ${rounds} rounds of every case after a warm-up, round-robin.`,
    '',
    '| Output | wall (median) | CPU (median) | peak RSS (min–max; median) | ≤ 120 MiB |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.label} | ${r.wall.toFixed(2)} s | ${r.cpu.toFixed(2)} s | ${r.min.toFixed(1)}–${r.max.toFixed(1)} MiB; ${r.median.toFixed(1)} | ${r.max <= TARGET_MIB ? 'met' : '**missed**'} |`),
    '',
  ].join('\n');
  await writeResultsSection(section);
} finally {
  rmSync(root, { recursive: true, force: true });
}
