/**
 * Start-up: `npx omni --help` against `npx sf --version` on the same machine in one run, alternated
 * (omni, sf, omni, sf, …) so the machine's load hits both alike; also without npx (the bins directly)
 * and `sf omni --help` with the plugin linked in a throwaway sf HOME. Prints a markdown table for
 * bench/RESULTS.md. Usage: node bench/cli/startup.ts [runs=7]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
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

function time(command: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const cases: Array<[string, string, string[]]> = [
  ['npx omni --help', 'npx', ['omni', '--help']],
  ['npx sf --version', 'npx', ['sf', '--version']],
  ['omni --help (bin, no npx)', join(BIN, 'node'), [join(ROOT, 'scripts', 'omni.mjs'), '--help']],
  ['sf --version (bin, no npx)', join(BIN, 'sf'), ['--version']],
  ['sf omni --help (plugin linked)', join(BIN, 'sf'), ['omni', '--help']],
];
try {
  time(join(BIN, 'sf'), ['plugins', 'link', ROOT, '--no-install']);
  for (const [, command, args] of cases) time(command, args); // warm caches (the stripped-TS cache, sf's own)
  const samples = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  for (let i = 0; i < runs; i++) for (const [name, command, args] of cases) samples.get(name)!.push(time(command, args));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} CPU(s), ${runs} alternated runs each, median wall time`);
  console.log('\n| Case | Median | Runs (ms) |\n|---|---|---|');
  for (const [name, xs] of samples) console.log(`| \`${name}\` | ${Math.round(median(xs))} ms | ${xs.map(Math.round).join(', ')} |`);
  const ratio = median(samples.get('npx omni --help')!) / median(samples.get('npx sf --version')!);
  const direct = median(samples.get('omni --help (bin, no npx)')!) / median(samples.get('sf --version (bin, no npx)')!);
  console.log(`\nRatio npx omni --help / npx sf --version: ${ratio.toFixed(2)} (target ≤ 1); without npx: ${direct.toFixed(2)}`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
