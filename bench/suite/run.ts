/**
 * `CI=true node bench/suite/run.ts [vitest args]`: the test suite as `npm test` runs it (oclif manifests, then
 * vitest with the project's config), plus a per-file CPU probe (bench/suite/cpu-per-file.ts). Writes the section
 * "## Test suite: measured run" of bench/RESULTS.md: wall seconds, CPU seconds (user + sys of vitest and of every
 * process it started and waited for: workers, the bin, the sf CLI), tests passed/failed/skipped, and the files
 * that cost the most CPU. For issue #10's figure (`npm test` ≤ 120 s on 2 CPUs) run it in a fresh clone after
 * `npm ci` (cold compile caches) on an idle machine. Extra arguments go to vitest (a subset of files, say).
 * CPU figures need Linux (/proc); elsewhere they read "—". With `OMNI_SUITE_TIMELINE=FILE` it also keeps the per-file
 * rows (start, worker, CPU, wall) and the machine's busy CPUs each second (/proc/stat) in FILE, for
 * `node bench/suite/timeline.ts FILE` (where the CPUs idled, which files ran then).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runStamp, writeResultsSection } from '../results.ts';

const ROOT = join(import.meta.dirname, '../..');
const TOP = 15;

interface FileCpu {
  file: string;
  self: number;
  children: number;
  wall: number;
}

/** User + sys seconds of this process's waited-for descendants (/proc/self/stat cutime + cstime), or undefined. */
function childrenCpu(): { user: number; sys: number } | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(f[13]) / 100, sys: Number(f[14]) / 100 };
  } catch {
    return undefined;
  }
}

const s = (x: number) => `${x.toFixed(1)} s`;

/** Busy and total jiffies of the whole machine (first line of /proc/stat), or undefined. */
function machineJiffies(): { busy: number; total: number } | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - f[3] - f[4], total };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of `root` and every live process below it, each with the CPU of the children it has reaped
 * (utime + stime + cutime + cstime): a process that ended is counted in its parent's, so the sum grows
 * steadily as long as no process in the tree is re-parented away. undefined without /proc.
 */
function treeCpu(root: number): number | undefined {
  try {
    const stats = new Map<number, { ppid: number; cpu: number }>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        stats.set(Number(entry), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100 });
      } catch {
        // ended meanwhile
      }
    }
    const children = new Map<number, number[]>();
    for (const [pid, { ppid }] of stats) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    let sum = 0;
    const todo = [root];
    while (todo.length) {
      const pid = todo.pop()!;
      sum += stats.get(pid)?.cpu ?? 0;
      todo.push(...(children.get(pid) ?? []));
    }
    return sum;
  } catch {
    return undefined;
  }
}

const { writeManifests } = await import('../../scripts/tooling/manifest.ts');
await writeManifests();

const dir = mkdtempSync(join(tmpdir(), 'omni-suite-bench-'));
const report = join(dir, 'vitest.json');
const cpuLog = join(dir, 'cpu.jsonl');
const loads = [loadavg()[0]];
const before = childrenCpu();
const started = performance.now();
// Second by second: the CPUs the suite kept busy (vitest's process tree) and the machine's (others' load included).
const timeline = process.env.OMNI_SUITE_TIMELINE;
const cpus = availableParallelism();
if (timeline) appendFileSync(cpuLog, `${JSON.stringify({ suiteStart: Date.now() / 1000 })}\n`);
let sampler: NodeJS.Timeout | undefined;
const code = await new Promise<number | null>((resolve) => {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', join(ROOT, 'bench/suite/vitest.config.ts'), '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, OMNI_SUITE_CPU_LOG: cpuLog } },
  );
  child.on('close', resolve);
  if (!timeline) return;
  let last = { at: performance.now(), jiffies: machineJiffies(), suite: treeCpu(child.pid!) ?? 0 };
  sampler = setInterval(() => {
    const now = { at: performance.now(), jiffies: machineJiffies(), suite: treeCpu(child.pid!) ?? 0 };
    const seconds = (now.at - last.at) / 1000;
    if (now.jiffies && last.jiffies && now.jiffies.total > last.jiffies.total && seconds > 0) {
      const busyCpus = ((now.jiffies.busy - last.jiffies.busy) / (now.jiffies.total - last.jiffies.total)) * cpus;
      appendFileSync(cpuLog, `${JSON.stringify({ at: Date.now() / 1000, busyCpus, suiteCpus: Math.max(0, now.suite - last.suite) / seconds })}\n`);
    }
    last = now;
  }, 1000);
});
const wall = (performance.now() - started) / 1000;
if (sampler) clearInterval(sampler);
if (timeline && existsSync(cpuLog)) copyFileSync(cpuLog, timeline);
const after = childrenCpu();
loads.push(loadavg()[0]);

let results: { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; testResults: Array<{ name: string }> };
try {
  results = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  console.error('vitest wrote no report; nothing recorded');
  rmSync(dir, { recursive: true, force: true });
  process.exit(code ?? 1);
}
let files: FileCpu[] = [];
try {
  files = readFileSync(cpuLog, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as FileCpu)
    .filter((row) => row.file);
} catch {
  // no /proc: no per-file figures
}
rmSync(dir, { recursive: true, force: true });

const cpu = before && after ? `${s(after.user - before.user)} + ${s(after.sys - before.sys)} = **${s(after.user - before.user + after.sys - before.sys)}**` : '—';
const tests = `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`;
const top = [...files].sort((a, b) => b.self + b.children - (a.self + a.children)).slice(0, TOP);
const inFiles = files.reduce((sum, f) => sum + f.self + f.children, 0);
const args = process.argv.slice(2).join(' ');

await writeResultsSection(
  [
    '## Test suite: measured run',
    '',
    runStamp(`CI=${process.env.CI ?? ''} node bench/suite/run.ts${args ? ` ${args}` : ''}`, loads),
    '',
    '| Wall | CPU, user + sys (vitest and every process it waited for) | Files | Tests |',
    '|---|---|---|---|',
    `| **${s(wall)}** | ${cpu} | ${results.testResults.length} | ${tests} |`,
    '',
    files.length
      ? `The ${top.length} files that cost the most CPU (own: the test worker between the file's first and last hook; children: the processes it started — the bin, the sf CLI, \`script\`). All files together: ${s(inFiles)}; the rest is vitest, worker start-up and module loading.`
      : 'No per-file figures (no /proc).',
    '',
    ...(files.length
      ? ['| File | CPU own | CPU children | Wall |', '|---|---|---|---|', ...top.map((f) => `| \`${relative(ROOT, f.file)}\` | ${s(f.self)} | ${s(f.children)} | ${s(f.wall)} |`)]
      : []),
  ].join('\n'),
);
console.log(`bench/RESULTS.md: ${s(wall)} wall, CPU ${cpu.replaceAll('*', '')}, ${tests}`);
process.exit(code ?? 1);
