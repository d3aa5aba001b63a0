/**
 * `node bench/suite/schedule.ts FILE [WORKERS…]`: what the same suite would take with other worker counts, from a run
 * kept by `OMNI_SUITE_TIMELINE=FILE CI=true node bench/suite/run.ts` (take one on an idle machine). A model, not a
 * measurement: each file needs its CPU seconds (own + children) and otherwise waits (its wall less its CPU, a little
 * too long where files shared the CPUs in the measured run); it alternates between the two in 10 slices; files go to
 * workers in the order they started in the measured run; CPU slices share the machine's CPUs (at most one CPU each);
 * a worker costs `STARTUP` CPU seconds before its first file. Prints the modelled wall and the CPU seconds left
 * unused for each worker count (default 3–8), beside the lower bound (all CPU seconds ÷ CPUs).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { FileRow } from './timeline.ts';

/** A file of the model: CPU seconds and seconds of waiting. */
interface Job {
  cpu: number;
  wait: number;
}

const STARTUP = 1.5;
const SLICES = 10;
const STEP = 0.01;

/** Modelled wall seconds and unused CPU seconds of `jobs` (in order) on `workers` workers and `cpus` CPUs. */
function simulate(jobs: Job[], workers: number, cpus: number): { wall: number; unused: number } {
  interface Running {
    job: Job;
    slice: number;
    onCpu: boolean;
    left: number;
  }
  const queue = [...jobs];
  const next = (): Running | undefined => {
    const job = queue.shift();
    return job ? { job, slice: 0, onCpu: true, left: job.cpu / SLICES } : undefined;
  };
  // A worker's start-up is a CPU slice of its own before its first file.
  const lanes: Array<Running | undefined> = Array.from({ length: workers }, () => ({ job: { cpu: 0, wait: 0 }, slice: SLICES - 1, onCpu: true, left: STARTUP }));
  let t = 0;
  let unused = 0;
  while (lanes.some(Boolean)) {
    const onCpu = lanes.filter((r) => r?.onCpu).length;
    const share = onCpu ? Math.min(1, cpus / onCpu) : 0;
    unused += Math.max(0, cpus - onCpu * share) * STEP;
    for (let w = 0; w < workers; w++) {
      let r = lanes[w];
      if (!r) continue;
      r.left -= (r.onCpu ? share : 1) * STEP;
      while (r && r.left <= 0) {
        if (r.onCpu) {
          r.onCpu = false;
          r.left += r.job.wait / SLICES;
        } else if (++r.slice >= SLICES) {
          r = next();
          lanes[w] = r;
        } else {
          r.onCpu = true;
          r.left += r.job.cpu / SLICES;
        }
      }
    }
    t += STEP;
  }
  return { wall: t, unused };
}

const [path, ...counts] = process.argv.slice(2);
if (!path) {
  console.error('usage: node bench/suite/schedule.ts FILE [WORKERS…]');
  process.exit(2);
}
const rows: FileRow[] = readFileSync(path, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line))
  .filter((r) => r.file && r.start !== undefined);
const jobs = [...rows].sort((a, b) => a.start - b.start).map((r) => ({ cpu: r.self + r.children, wait: Math.max(0, r.wall - r.self - r.children) }));
const cpus = availableParallelism();
const cpu = jobs.reduce((sum, j) => sum + j.cpu, 0);
console.log(`${jobs.length} files: ${cpu.toFixed(1)} CPU s, ${jobs.reduce((sum, j) => sum + j.wait, 0).toFixed(1)} s of waiting; ${cpus} CPUs`);
for (const workers of counts.length ? counts.map(Number) : [3, 4, 5, 6, 7, 8]) {
  const { wall, unused } = simulate(jobs, workers, cpus);
  console.log(`${workers} workers: ${wall.toFixed(1)} s modelled, ${unused.toFixed(0)} CPU s unused (bound ${((cpu + workers * STARTUP) / cpus).toFixed(1)} s)`);
}
