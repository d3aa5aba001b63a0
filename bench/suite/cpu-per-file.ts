/**
 * vitest setup file of bench/suite/run.ts: appends one JSON line per test file to $OMNI_SUITE_CPU_LOG with the CPU
 * seconds its worker spent between the file's first and last hook — its own (`self`: user + sys of the worker)
 * and that of the processes it started (`children`: the spawned bin, the sf CLI, `script`, the sf runner) — and
 * its wall seconds, plus when it started (`start`, Unix seconds) and in which worker (`pid`), from which
 * bench/suite/timeline.ts draws the run. A worker runs one file at a time, so the difference of the worker's /proc
 * counters is the file's. Linux only (/proc); elsewhere it writes nothing. Module loading before the file's first hook is not
 * counted (with `isolate: false` the first file of a worker would carry every later file's imports).
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';

const log = process.env.OMNI_SUITE_CPU_LOG;

/** Fields after the command name of /proc/PID/stat (field 3 onwards), or undefined once the process is gone. */
function statFields(pid: number | 'self'): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds (user + sys, with what each reaped) of this process's children still running: a child that outlives
 * the files that use it (the worker's sf runner, test/helpers/sf-runner.ts) is counted as it works, file by file,
 * not once when the worker reaps it.
 */
function liveChildrenCpu(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const f = statFields(pid);
    if (!f || Number(f[1]) !== process.pid) continue;
    total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
  }
  return total;
}

/**
 * CPU seconds of this process and of its children (fields 14–17 of /proc/self/stat, clock ticks of 1/100 s): those
 * it waited for, plus those still running. Between two readings the difference is the work done in between: a
 * child that ended meanwhile moves from the live sum (what it had done before) to the reaped one (all of it).
 */
function cpuSeconds(): { self: number; children: number } | undefined {
  const f = statFields('self');
  if (!f) return undefined;
  return { self: (Number(f[11]) + Number(f[12])) / 100, children: (Number(f[13]) + Number(f[14])) / 100 + liveChildrenCpu() };
}

let start = cpuSeconds();
let startedAt = performance.now();
let startedAtEpoch = Date.now();
let file = '';
// vitest hands a hook its fixtures first and reads that parameter's destructuring pattern: it must be `{}`.
// biome-ignore lint/correctness/noEmptyPattern: see above
beforeAll(({}, suite) => {
  start = cpuSeconds();
  startedAt = performance.now();
  startedAtEpoch = Date.now();
  file = suite.file.filepath;
});
afterAll(() => {
  const end = cpuSeconds();
  if (!log || !start || !end) return;
  const row = { file, self: end.self - start.self, children: end.children - start.children, wall: (performance.now() - startedAt) / 1000, start: startedAtEpoch / 1000, pid: process.pid };
  appendFileSync(log, `${JSON.stringify(row)}\n`);
});
