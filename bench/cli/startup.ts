/**
 * Start-up: `npx omni --help` against `npx sf --version` on the same machine in one run, alternated
 * (omni, sf, omni, sf, …) so the machine's load hits both alike; also without npx (the bins directly)
 * and `sf omni --help` with the plugin linked in a throwaway sf HOME, and a command that runs (`omni validate`
 * of a one-file project against `sf config list`). Wall and CPU (GNU time) per process; prints a markdown
 * table for bench/RESULTS.md. Usage: node bench/cli/startup.ts [runs=7]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const runs = Number(process.argv[2] ?? 7);
const home = mkdtempSync(join(tmpdir(), 'omni-bench-sf-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${BIN}:${process.env.PATH}`,
  HOME: home,
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_DISABLE_TELEMETRY: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
  SF_DISABLE_LOG_FILE: 'true',
  OCLIF_DISABLE_LINKED_ESM_WARNING: 'true',
};

interface Sample {
  /** Wall time of the spawned process, ms. */
  wall: number;
  /** user + system CPU of the process and the children it waited for (GNU time), ms: less disturbed by load. */
  cpu: number;
}

function time(command: string, args: string[], cwd = ROOT): Sample {
  const out = join(home, 'time.txt');
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-o', out, '-f', '%U %S', command, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [user, system] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall, cpu: (user + system) * 1000 };
}

// A project of one presence configuration: what every command pays before its own work (loading the
// command class: SfCommand, @salesforce/core), against an offline sf command of the same kind.
const project = join(home, 'project');
mkdirSync(join(project, 'force-app/main/default/presenceUserConfigs'), { recursive: true });
writeFileSync(join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
copyFileSync(join(ROOT, 'force-app/main/default/presenceUserConfigs/Case_Agents.presenceUserConfig-meta.xml'), join(project, 'force-app/main/default/presenceUserConfigs/Case_Agents.presenceUserConfig-meta.xml'));

const cases: Array<[string, string, string[], string?]> = [
  ['npx omni --help', 'npx', ['omni', '--help']],
  ['npx sf --version', 'npx', ['sf', '--version']],
  ['omni --help (bin, no npx)', join(BIN, 'node'), [join(ROOT, 'scripts', 'omni.mjs'), '--help']],
  ['sf --version (bin, no npx)', join(BIN, 'sf'), ['--version']],
  ['sf omni --help (plugin linked)', join(BIN, 'sf'), ['omni', '--help']],
  ['omni validate, one file (bin, no npx)', join(BIN, 'node'), [join(ROOT, 'scripts', 'omni.mjs'), 'validate', 'force-app'], project],
  ['sf config list (bin, no npx)', join(BIN, 'sf'), ['config', 'list'], project],
];
try {
  time(join(BIN, 'sf'), ['plugins', 'link', ROOT, '--no-install']);
  for (const [, command, args, cwd] of cases) time(command, args, cwd); // warm caches (stripped TS, Node's compile cache, sf's own)
  const samples = new Map<string, Sample[]>(cases.map(([name]) => [name, []]));
  for (let i = 0; i < runs; i++) for (const [name, command, args, cwd] of cases) samples.get(name)!.push(time(command, args, cwd));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const wall = (name: string) => samples.get(name)!.map((s) => s.wall);
  const cpu = (name: string) => samples.get(name)!.map((s) => s.cpu);
  console.log(`${new Date().toISOString().slice(0, 16).replace('T', ' ')}, Node ${process.version}, ${cpus().length} CPU(s), load average ${loadavg()[0].toFixed(1)}, ${runs} alternated rounds; wall and CPU (user + sys) of each spawned process`);
  console.log('\n| Case | Median wall | Median CPU | Wall runs (ms) | CPU runs (ms) |\n|---|---|---|---|---|');
  for (const [name] of cases) {
    console.log(`| \`${name}\` | ${Math.round(median(wall(name)))} ms | ${Math.round(median(cpu(name)))} ms | ${wall(name).map(Math.round).join(', ')} | ${cpu(name).map(Math.round).join(', ')} |`);
  }
  const ratio = (a: string, b: string, of: (name: string) => number[]) => median(of(a).map((x, i) => x / of(b)[i])).toFixed(2);
  console.log(`\nRatios (median of the per-round ratios), wall / CPU:`);
  console.log(`- npx omni --help / npx sf --version: ${ratio('npx omni --help', 'npx sf --version', wall)} / ${ratio('npx omni --help', 'npx sf --version', cpu)} (target ≤ 1)`);
  console.log(`- without npx: ${ratio('omni --help (bin, no npx)', 'sf --version (bin, no npx)', wall)} / ${ratio('omni --help (bin, no npx)', 'sf --version (bin, no npx)', cpu)}`);
  console.log(`- omni validate (one file) / sf config list: ${ratio('omni validate, one file (bin, no npx)', 'sf config list (bin, no npx)', wall)} / ${ratio('omni validate, one file (bin, no npx)', 'sf config list (bin, no npx)', cpu)}`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
