/**
 * Benchmark: `omni deploy` vs `sf project deploy start` on the sample project, each against a fresh
 * local org per run, 5 runs each, alternating. Reports median wall time, their ratio (target ≤ 1.0)
 * and API calls per deploy (the local org's stats endpoint). Writes the `## Deploy` section of
 * bench/RESULTS.md (other sections untouched).
 *
 * Run: node bench/deploy/run.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../scripts/metadata/write.ts';
import { loginSf, makeSfHome, REPO_ROOT, runProcess, runSf, startTestOrg } from '../../test/helpers/local-org.ts';
import { makeProject, NODE_BIN, OMNI } from '../../test/deploy/helpers.ts';

const RUNS = 5;
const home = makeSfHome();
const project = makeProject();
const samples: Record<'omni' | 'sf', Array<{ ms: number; calls: number; code: number | null }>> = { omni: [], sf: [] };

try {
  for (let i = 0; i < RUNS * 2; i++) {
    const tool = i % 2 === 0 ? 'omni' : 'sf';
    const org = await startTestOrg();
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
      samples[tool].push({ ms, calls: org.stats().total, code: r.code });
      console.log(`${tool} run ${samples[tool].length}: ${ms.toFixed(0)} ms, ${org.stats().total} API calls, exit ${r.code}`);
    } finally {
      await org.stop();
    }
  }
} finally {
  project.cleanup();
  home.cleanup();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const omniMs = median(samples.omni.map((s) => s.ms));
const sfMs = median(samples.sf.map((s) => s.ms));
const ratio = omniMs / sfMs;
const section = [
  '## Deploy',
  '',
  `Sample project (force-app), fresh local org per run, ${RUNS} runs each, alternating; ${new Date().toISOString().slice(0, 10)}, node ${process.version}.`,
  '',
  '| tool | median wall (ms) | API calls (median) | exit codes |',
  '|---|---|---|---|',
  `| omni deploy | ${omniMs.toFixed(0)} | ${median(samples.omni.map((s) => s.calls))} | ${samples.omni.map((s) => s.code).join(' ')} |`,
  `| sf project deploy start | ${sfMs.toFixed(0)} | ${median(samples.sf.map((s) => s.calls))} | ${samples.sf.map((s) => s.code).join(' ')} |`,
  '',
  `Median wall ratio omni/sf: **${ratio.toFixed(2)}** (target ≤ 1.0). omni's extra calls are the org-aware reference check (one query per kind) and the assignment snapshot before/after.`,
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
