/**
 * Benchmark: `omni setup` re-run on an org that already matches (the CI job's most frequent path), against
 * what a pipeline without omni runs on every push: `sf project deploy start` of the same project. One local
 * org, set up once by `omni setup --assignments FILE` (all ten seeded agents), logged in with sf under an
 * alias; then RUNS pairs alternated, each tool through its bin. Reports wall time and the requests the org
 * counted (target for omni: ≤ 15, no write). Writes the `## Setup re-run` section of bench/RESULTS.md.
 *
 * Run: node bench/setup/rerun.ts [RUNS]
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_BIN } from '../../test/deploy/helpers.ts';
import { loginSf, makeSfHome, REPO_ROOT, runProcess, runSf, startTestOrg } from '../../test/helpers/local-org.ts';
import { median, medianBreakdown, runStamp, writeResultsSection } from '../results.ts';

const RUNS = Number(process.argv[2] ?? 5);
const OMNI_BIN = join(REPO_ROOT, 'scripts/omni.mjs');
const FILE = 'config/assignments/all-agents.yaml';
type Sample = { ms: number; code: number | null; requests: number; writes: number; byEndpoint: Record<string, number> };
const samples: Record<'omni' | 'sf', Sample[]> = { omni: [], sf: [] };

const org = await startTestOrg({ omniDisabled: true });
const home = makeSfHome();
delete home.env.SF_DISABLE_LOG_FILE;
const dir = mkdtempSync(join(tmpdir(), 'omni-bench-setup-'));
for (const f of ['sfdx-project.json', '.forceignore', 'force-app', 'config']) cpSync(join(REPO_ROOT, f), join(dir, f), { recursive: true });
writeFileSync(join(dir, FILE), `presenceConfigurations:\n  default_presence_config:\n    users:\n      permissionSets: [Omni_Agent]\n      where: "Department = 'Support'"\n`);
const loads = [loadavg()[0]];
const omni = () => runProcess(NODE_BIN, [OMNI_BIN, 'setup', '--assignments', FILE, '--target-org', 'bench', '--json'], { cwd: dir, env: { ...home.env, CI: 'true' }, timeoutMs: 300_000 });
try {
  await loginSf(home, org, 'bench');
  const first = await omni();
  if (first.code !== 0) throw new Error(`the first omni setup failed (${first.code}): ${first.stdout.slice(0, 2000)}`);
  for (let round = 0; round < RUNS; round++) {
    for (const tool of round % 2 === 0 ? (['omni', 'sf'] as const) : (['sf', 'omni'] as const)) {
      org.resetStats();
      const start = performance.now();
      const r = tool === 'omni' ? await omni() : await runSf(home, ['project', 'deploy', 'start', '--source-dir', join(dir, 'force-app'), '--target-org', 'bench', '--json']);
      const ms = performance.now() - start;
      const stats = org.stats();
      samples[tool].push({ ms, code: r.code, requests: stats.total, writes: stats.writes, byEndpoint: { ...stats.byEndpoint } });
      console.log(`${tool}: ${ms.toFixed(0)} ms, exit ${r.code}, ${stats.total} requests, ${stats.writes} writes ${JSON.stringify(stats.byEndpoint)}`);
    }
    loads.push(loadavg()[0]);
  }
} finally {
  home.cleanup();
  rmSync(dir, { recursive: true, force: true });
  await org.stop();
}

const breakdown = (xs: Sample[]) => medianBreakdown(xs, (s) => s.requests);
const row = (name: string, xs: Sample[]) =>
  `| ${name} | ${median(xs.map((s) => s.ms)).toFixed(0)} | ${xs.map((s) => s.ms.toFixed(0)).join(', ')} | ${xs.map((s) => s.code).join(' ')} | ${median(xs.map((s) => s.requests))} (${breakdown(xs)}) | ${median(xs.map((s) => s.writes))} |`;
const requests = median(samples.omni.map((s) => s.requests));
const ratio = median(samples.omni.map((s, i) => s.ms / samples.sf[i].ms));
const section = [
  '## Setup re-run',
  '',
  `${runStamp(`node bench/setup/rerun.ts ${RUNS}`, loads)} One local org set up once with \`omni setup --assignments ${FILE}\` (Omni on, the sample deployed, ten agents assigned and granted); then ${RUNS} pairs alternated, each tool by the sf alias through its bin: omni's re-run (doctor, validate, plan, record settings, assign plan, grant check, verify) and the redeploy a pipeline without omni runs instead. Requests counted by the org.`,
  '',
  '| Tool | Median wall (ms) | Runs (ms) | Exit codes | Requests (median) | Writes |',
  '|---|---|---|---|---|---|',
  row('`omni setup --assignments … --json` (re-run)', samples.omni),
  row('`sf project deploy start --json` (redeploy)', samples.sf),
  '',
  `omni's re-run: **${requests} requests** (target ≤ 15: ${requests <= 15 ? 'met' : '**missed**'}), none a write; wall ${ratio.toFixed(2)}× the redeploy (median of pairs), which writes the whole project again. Before: 73 requests in the issue, 106 measured in-process on this sample with the same assignment file, 21 by an sf alias after the first round (read cache).`,
  '',
].join('\n');

await writeResultsSection(section);
console.log(section);
