/**
 * Start-up of the org commands: what `omni doctor`, `omni assign apply --csv` (3,000 agents moved, as kill-loop's runs),
 * `omni assign plan` and `assign apply` (one agent), `omni plan` and `omni deploy`
 * of the sample cost as processes against a local org through an sf alias (the way an admin runs them, and the
 * way the suite's spawned runs start), each the bin (scripts/omni.mjs) run as `npx omni` runs it. With a second
 * checkout, its bin is run in alternation with this one (A B A B …, same org, same HOME, each bin its own compile cache), so
 * the machine's load hits both alike; the ratio is the median of the per-pair ratios. Wall, CPU (user + sys) and
 * peak RSS from GNU time. Prints a markdown table for bench/RESULTS.md ("CLI start-up").
 *
 * Run: node bench/cli/org-startup.ts [rounds=10] [baseline checkout, e.g. a worktree of an earlier commit]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { aliasFor } from '../../test/assign/cli-org.ts';
import { REPO_ROOT, startTestOrg } from '../../test/helpers/local-org.ts';
import { makeProject } from '../../test/helpers/project.ts';
import { median } from '../results.ts';
import { seedUsername } from '../../local-org/seed.ts';

const rounds = Number(process.argv[2] ?? 10);
const baseline = process.argv[3] ? resolve(process.argv[3]) : undefined;
const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');
const bins: Array<[string, string]> = [['this checkout', join(REPO_ROOT, 'scripts', 'omni.mjs')], ...(baseline ? [['baseline', join(baseline, 'scripts', 'omni.mjs')] as [string, string]] : [])];

interface Sample {
  /** Seconds: wall, CPU (user + sys), and peak RSS in MiB. */
  wall: number;
  cpu: number;
  rss: number;
}

/** The agents of the CSV case: kill-loop's size (test/assign/kill-loop.test.ts). */
const AGENTS = 3000;
const org = await startTestOrg({ seedUsers: AGENTS });
for (const name of ['cfg_a', 'cfg_b']) org.store.insert('PresenceUserConfig', { DeveloperName: name, MasterLabel: name, Capacity: 3 }, { system: true });
const alias = await aliasFor(org, 'bench-startup');
const project = makeProject();
const out = join(project.dir, 'time.txt');

/**
 * One run of `bin` (asynchronously: the org answers from this process's event loop). Each bin keeps its own Node
 * compile cache: the cache holds one entry per file, so two bins that load a file as different source (the bin's
 * deferred requires rewrite a few files of core and jsforce) would each recompile it after the other's run.
 */
async function time(bin: string, args: string[]): Promise<Sample> {
  const env = { ...alias.env, NODE_COMPILE_CACHE: join(project.dir, 'compile-cache', String(bins.findIndex(([, b]) => b === bin))) };
  if (args === CSV_APPLY) nextCsv();
  // The exit code is the command's answer (doctor exits 1 when a check fails); a crash has no JSON envelope.
  const { stdout } = await promisify(execFile)('/usr/bin/time', ['-o', out, '-f', '%e %U %S %M', NODE, bin, ...args, '--target-org', alias.alias, '--json'], { cwd: project.dir, env, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout: string }) => error);
  if (typeof JSON.parse(stdout).status !== 'number') throw new Error(`${args.join(' ')}: ${stdout.slice(0, 400)}`);
  const [wall, user, system, kb] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall, cpu: user + system, rss: kb / 1024 };
}

/** Writes agents.csv moving every agent to the configuration the previous run did not give them. */
let csvTarget = 'cfg_a';
function nextCsv(): void {
  csvTarget = csvTarget === 'cfg_a' ? 'cfg_b' : 'cfg_a';
  writeFileSync(join(project.dir, 'agents.csv'), ['username,presenceConfig', ...Array.from({ length: AGENTS }, (_, i) => `${seedUsername(i + 1)},${csvTarget}`)].join('\n') + '\n');
}
const CSV_APPLY = ['assign', 'apply', '--csv', 'agents.csv', '--no-prompt'];

const cases: Array<[string, string[]]> = [
  ['omni doctor', ['doctor']],
  // What each of kill-loop's 22 spawned runs is: a move of 3,000 agents from a CSV (each run moves them all back).
  [`omni assign apply --csv (${AGENTS.toLocaleString('en-US')} agents moved)`, CSV_APPLY],
  ['omni assign plan --user (one agent)', ['assign', 'plan', '--user', org.username, '--config', 'Case_Agents']],
  // The command the suite's kill tests spawn most (after the first round the agent holds the configuration: a no-op plan).
  ['omni assign apply --user (one agent)', ['assign', 'apply', '--user', org.username, '--config', 'Case_Agents', '--no-prompt']],
  ['omni plan (the sample)', ['plan']],
  ['omni deploy (the sample)', ['deploy', '--no-prompt']],
];
try {
  const loadBefore = loadavg()[0];
  // The org holds the sample; caches warm (stripped TS, each bin's compile cache for every command).
  for (const [, bin] of bins) for (const args of [['deploy', '--no-prompt'], ...cases.map(([, a]) => a)]) await time(bin, args);
  const samples = new Map<string, Sample[]>();
  for (let i = 0; i < rounds; i++) {
    for (const [name, args] of cases) {
      for (const [side, bin] of i % 2 ? [...bins].reverse() : bins) {
        const key = `${name}|${side}`;
        samples.set(key, [...(samples.get(key) ?? []), await time(bin, args)]);
      }
    }
  }
  const of = (name: string, side: string, field: keyof Sample) => samples.get(`${name}|${side}`)!.map((s) => s[field]);
  console.log(`${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${cpus().length} CPU(s), load average ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}, ${rounds} alternated rounds; each process as GNU time saw it`);
  console.log('\n| Command | Bin | Median wall | Median CPU | CPU range | Median peak RSS |\n|---|---|---|---|---|---|');
  for (const [name] of cases) {
    for (const [side] of bins) {
      const cpu = of(name, side, 'cpu');
      console.log(`| \`${name}\` | ${side} | ${median(of(name, side, 'wall')).toFixed(2)} s | ${median(cpu).toFixed(2)} s | ${Math.min(...cpu).toFixed(2)}–${Math.max(...cpu).toFixed(2)} s | ${median(of(name, side, 'rss')).toFixed(0)} MiB |`);
    }
  }
  if (baseline) {
    console.log('\nPer-pair ratios (this checkout / baseline), median:');
    for (const [name] of cases) {
      const ratio = (field: keyof Sample) => median(of(name, 'this checkout', field).map((x, i) => x / of(name, 'baseline', field)[i])).toFixed(2);
      console.log(`- ${name}: CPU ${ratio('cpu')}×, wall ${ratio('wall')}×, peak RSS ${ratio('rss')}×`);
    }
  }
} finally {
  project.cleanup();
  alias.cleanup();
  await org.stop();
}
