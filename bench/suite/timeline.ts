/**
 * `node bench/suite/timeline.ts FILE [BUCKET_SECONDS]`: draws a suite run kept by
 * `OMNI_SUITE_TIMELINE=FILE CI=true node bench/suite/run.ts` — one lane per vitest worker (which file ran when),
 * and per bucket (default 5 s) the CPUs the suite kept busy (vitest's process tree) and the machine's (everyone's,
 * /proc/stat), and the files then running. Ends with what the suite left unused of the CPUs: in all, and after the
 * last file started (the tail, when long files finish alone).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';

/** One row of the suite's CPU log (bench/suite/cpu-per-file.ts): a test file, its CPU and wall seconds, when and in which worker it ran. */
export interface FileRow {
  file: string;
  self: number;
  children: number;
  wall: number;
  start: number;
  pid: number;
}
interface Sample {
  at: number;
  /** The machine's busy CPUs (everyone's). */
  busyCpus: number;
  /** The CPUs the suite's process tree kept busy. */
  suiteCpus: number;
}

const [path, bucketArg] = process.argv.slice(2);
if (!path) {
  console.error('usage: node bench/suite/timeline.ts FILE [BUCKET_SECONDS]');
  process.exit(2);
}
const bucket = Number(bucketArg ?? 5);
const rows = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const files: FileRow[] = rows.filter((r) => r.file && r.start !== undefined);
const samples: Sample[] = rows.filter((r) => r.busyCpus !== undefined);
const t0 = rows.find((r) => r.suiteStart)?.suiteStart ?? Math.min(...files.map((f) => f.start));
const end = Math.max(...files.map((f) => f.start + f.wall), ...samples.map((s) => s.at));
const cpus = availableParallelism();
const name = (f: FileRow) => relative(process.cwd(), f.file).replace(/^test\//, '').replace(/\.test\.ts$/, '');
const fmt = (x: number) => x.toFixed(1).padStart(6);

// Lanes: one per worker, in order of its first file.
const workers = [...new Set([...files].sort((a, b) => a.start - b.start).map((f) => f.pid))];
console.log(`Run: ${(end - t0).toFixed(1)} s, ${files.length} files, ${workers.length} workers; offsets in seconds from the start of the run.\n`);
for (const [i, pid] of workers.entries()) {
  const mine = files.filter((f) => f.pid === pid).sort((a, b) => a.start - b.start);
  const long = mine.filter((f) => f.wall >= 8).map((f) => `${name(f)} ${(f.start - t0).toFixed(0)}+${f.wall.toFixed(0)}`);
  const busy = mine.reduce((s, f) => s + f.wall, 0);
  console.log(`worker ${i + 1}: ${mine.length} files, first at ${(mine[0].start - t0).toFixed(1)} s, last ends at ${(Math.max(...mine.map((f) => f.start + f.wall)) - t0).toFixed(1)} s, in files ${busy.toFixed(0)} s; ≥ 8 s: ${long.join(', ')}`);
}

console.log(`\n|   from | suite CPUs | machine CPUs | files running (their CPU s per s, when ≥ 0.3) |`);
console.log('|---|---|---|---|');
let idle = 0;
let idleTail = 0;
const lastStart = Math.max(...files.map((f) => f.start));
for (let at = t0; at < end; at += bucket) {
  const inBucket = samples.filter((s) => s.at > at && s.at <= at + bucket);
  const busy = inBucket.length ? inBucket.reduce((s, x) => s + x.suiteCpus, 0) / inBucket.length : Number.NaN;
  const machine = inBucket.length ? inBucket.reduce((s, x) => s + x.busyCpus, 0) / inBucket.length : Number.NaN;
  if (!Number.isNaN(busy)) {
    const unused = Math.max(0, cpus - busy) * bucket;
    idle += unused;
    if (at >= lastStart) idleTail += unused;
  }
  const running = files
    .filter((f) => f.start < at + bucket && f.start + f.wall > at)
    .map((f) => ({ f, rate: (f.self + f.children) / Math.max(f.wall, 0.001) }))
    .sort((a, b) => b.rate - a.rate);
  const list = running.map(({ f, rate }) => (rate >= 0.3 ? `${name(f)} ${rate.toFixed(1)}` : name(f))).join(', ');
  const shown = (x: number) => (Number.isNaN(x) ? '—' : `${x.toFixed(2)} / ${cpus}`);
  console.log(`| ${fmt(at - t0)} | ${shown(busy)} | ${shown(machine)} | ${list} |`);
}
console.log(`\nLeft unused by the suite: ${idle.toFixed(0)} CPU s of ${(cpus * (end - t0)).toFixed(0)}; after the last file started (${(lastStart - t0).toFixed(0)} s): ${idleTail.toFixed(0)} CPU s.`);
