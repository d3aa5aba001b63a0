/**
 * Benchmark: `omni deploy` vs `sf project deploy start` on the sample project, each against a fresh
 * local org per run, 5 runs each, alternating. Reports median wall time, their ratio (target ≤ 1.0)
 * and API calls per deploy (the local org's stats endpoint). Writes the `## Deploy` section of
 * bench/RESULTS.md (other sections untouched).
 *
 * Run: node bench/deploy/run.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../scripts/metadata/write.ts';
import { loginSf, makeSfHome, REPO_ROOT, runProcess, runSf, startTestOrg } from '../../test/helpers/local-org.ts';
import { makeProject, NODE_BIN, OMNI } from '../../test/deploy/helpers.ts';

const RUNS = 5;
const project = makeProject();
type Sample = { ms: number; calls: number; byEndpoint: Record<string, number>; code: number | null };
const samples: Record<'omni' | 'sf', Sample[]> = { omni: [], sf: [] };

try {
  for (let i = 0; i < RUNS * 2; i++) {
    const tool = i % 2 === 0 ? 'omni' : 'sf';
    const org = await startTestOrg();
    // A HOME per run, so runs share no sf CLI state.
    const home = makeSfHome();
    try {
      const alias = `bench-${i}`;
      await loginSf(home, org, alias);
      org.resetStats();
      const start = performance.now();
      const r =
        tool === 'omni'
          ? await runProcess(NODE_BIN, [OMNI, 'deploy', '--target-org', alias, '--json'], { cwd: project.dir, env: { ...home.env, CI: 'true' } })
          : await runSf(home, ['project', 'deploy', 'start', '--source-dir', join(project.dir, 'force-app'), '--target-org', alias, '--json']);
      const ms = performance.now() - start;
      const stats = org.stats();
      // Both must have deployed the sample into this org.
      const check = await fetch(`${org.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent("SELECT Id FROM PresenceUserConfig WHERE DeveloperName = 'miaw'")}`, {
        headers: { authorization: `Bearer ${org.accessToken}` },
      });
      const deployed = ((await check.json()) as { totalSize: number }).totalSize === 1;
      samples[tool].push({ ms, calls: stats.total, byEndpoint: { ...stats.byEndpoint }, code: deployed ? r.code : -1 });
      console.log(`${tool} run ${samples[tool].length}: ${ms.toFixed(0)} ms, ${stats.total} API calls ${JSON.stringify(stats.byEndpoint)}, exit ${r.code}${deployed ? '' : ', NOT DEPLOYED'}`);
    } finally {
      home.cleanup();
      await org.stop();
    }
  }
} finally {
  project.cleanup();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const omniMs = median(samples.omni.map((s) => s.ms));
const sfMs = median(samples.sf.map((s) => s.ms));
const ratio = omniMs / sfMs;
/** Calls per endpoint of the run with the median call count, e.g. "query 8, soap/metadata:deploy 1". */
const breakdown = (xs: Sample[]) => {
  const m = median(xs.map((s) => s.calls));
  const run = xs.find((s) => s.calls === m)!;
  return Object.entries(run.byEndpoint)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
};
const row = (name: string, xs: Sample[]) =>
  `| ${name} | ${median(xs.map((s) => s.ms)).toFixed(0)} | ${xs.map((s) => s.ms.toFixed(0)).join(', ')} | ${median(xs.map((s) => s.calls))} (${breakdown(xs)}) | ${xs.map((s) => s.code).join(' ')} |`;
const section = [
  '## Deploy',
  '',
  `\`node bench/deploy/run.ts\` — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${availableParallelism()} CPU(s). Sample project (force-app, 21 components), each run against a fresh local org (own sf HOME), ${RUNS} runs each, alternating. Wall time of the spawned CLI; API calls counted by the org (\`/__local/stats\`); a run counts only if the org then has the sample.`,
  '',
  '| Tool | Median wall (ms) | Runs (ms) | API calls (median) | Exit codes |',
  '|---|---|---|---|---|',
  row('`omni deploy --json`', samples.omni),
  row('`sf project deploy start --json`', samples.sf),
  '',
  `Median wall ratio omni/sf: **${ratio.toFixed(2)}** (target ≤ 1.0: ${ratio <= 1 ? 'met' : '**missed**'}). omni's extra calls are its checks before the deploy — the org description (Organization, Omni-Channel probe), the org-aware reference check (one query per kind of reference) — and the assignment snapshot of the deployed presence configurations before and after (data-loss guard); sf sends the deployment unchecked.`,
  '',
].join('\n');

const resultsFile = join(REPO_ROOT, 'bench/RESULTS.md');
let text = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '# Benchmark results\n';
const start = text.indexOf('\n## Deploy\n');
if (start >= 0) {
  const next = text.indexOf('\n## ', start + 1);
  text = text.slice(0, start + 1) + section + (next >= 0 ? text.slice(next + 1) : '');
} else {
  text = text.trimEnd() + '\n\n' + section;
}
await writeFileAtomic(resultsFile, text);
console.log(section);
