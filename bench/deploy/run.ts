/**
 * Benchmark: `omni deploy` vs `sf project deploy start` on the sample project and on the sample plus 500
 * generated presence configurations, each run against a fresh local org (logged in with sf, so both tools
 * use the same auth store), RUNS runs per tool and size, alternating omni/sf pair by pair. Reports median
 * wall time, the median of the pairwise ratios (targets: sample ≤ 0.5×, 500 ≤ 0.7×) and the requests per
 * deploy as the local org counted them, with the ones besides the deployment and its polls (target ≤ 6).
 * Writes the `## Deploy` section of bench/RESULTS.md (other sections untouched).
 *
 * Run: node bench/deploy/run.ts [RUNS]
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loginSf, makeSfHome, REPO_ROOT, runProcess, SF_BIN, startTestOrg } from '../../test/helpers/local-org.ts';
import { makeProject, NODE_BIN } from '../../test/deploy/helpers.ts';
import { median, medianBreakdown, runStamp, writeResultsSection } from '../results.ts';

/** The `omni` bin as `npx omni` runs it (cached type stripping; see scripts/omni.mjs). */
const OMNI_BIN = join(REPO_ROOT, 'scripts/omni.mjs');

const RUNS = Number(process.argv[2] ?? 5);
const SIZES = [0, 500] as const;
type Tool = 'omni' | 'sf';
type Sample = { ms: number; cpu: number; calls: number; besides: number; byEndpoint: Record<string, number>; code: number | null };
const samples = new Map<string, Sample[]>();
const key = (tool: Tool, size: number) => `${tool}:${size}`;
const DEPLOY_AND_POLLS = new Set(['soap/metadata:deploy', 'soap/metadata:checkDeployStatus']);

/** The sample project plus `n` generated presence configurations. */
function projectWith(n: number) {
  const project = makeProject();
  const dir = join(project.dir, 'force-app/main/default/presenceUserConfigs');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) {
    const name = `Generated_Config_${String(i).padStart(4, '0')}`;
    writeFileSync(join(dir, `${name}.presenceUserConfig-meta.xml`), `<?xml version="1.0" encoding="UTF-8"?>\n<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n    <capacity>${(i % 20) + 1}</capacity>\n    <label>${name}</label>\n</PresenceUserConfig>\n`);
  }
  return project;
}

const projects = new Map(SIZES.map((n) => [n, projectWith(n)]));
const loads: number[] = [loadavg()[0]];
try {
  for (let round = 0; round < RUNS; round++) {
    for (const size of SIZES) {
      // A pair per round and size: omni first in even rounds, sf first in odd ones.
      const order: Tool[] = round % 2 === 0 ? ['omni', 'sf'] : ['sf', 'omni'];
      for (const tool of order) {
        const project = projects.get(size)!;
        const org = await startTestOrg();
        // A HOME per run, so runs share no sf CLI state.
        const home = makeSfHome();
        // Each tool with its own defaults: the test HOME turns sf's log file off, an admin's sf keeps it.
        delete home.env.SF_DISABLE_LOG_FILE;
        try {
          const alias = `bench-${round}-${size}-${tool}`;
          await loginSf(home, org, alias);
          org.resetStats();
          // CPU seconds (user + system) of the tool's process and its children, from GNU time: on a shared
          // machine the load stretches wall time, not CPU time.
          const timeFile = join(tmpdir(), `omni-deploy-bench-${process.pid}.time`);
          const command =
            tool === 'omni'
              ? { argv: [NODE_BIN, OMNI_BIN, 'deploy', '--target-org', alias, '--json'], env: { ...home.env, CI: 'true' } }
              : { argv: [SF_BIN, 'project', 'deploy', 'start', '--source-dir', join(project.dir, 'force-app'), '--target-org', alias, '--json'], env: { SF_CONTENT_TYPE: 'JSON', ...home.env } };
          const start = performance.now();
          const r = await runProcess('/usr/bin/time', ['-o', timeFile, '-f', '%U %S', ...command.argv], { cwd: project.dir, env: command.env, timeoutMs: 300_000 });
          const ms = performance.now() - start;
          const cpu = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number).reduce((a, b) => a + b, 0);
          rmSync(timeFile, { force: true });
          const stats = org.stats();
          // Both must have deployed everything into this org.
          const deployed = org.store.findBy('PresenceUserConfig', 'DeveloperName', 'miaw').length === 1 && [...org.store.all('PresenceUserConfig')].filter((c) => String(c.DeveloperName).startsWith('Generated_Config_')).length === size;
          const besides = Object.entries(stats.byEndpoint).filter(([e]) => !DEPLOY_AND_POLLS.has(e)).reduce((n, [, c]) => n + c, 0);
          const list = samples.get(key(tool, size)) ?? [];
          list.push({ ms, cpu, calls: stats.total, besides, byEndpoint: { ...stats.byEndpoint }, code: deployed ? r.code : -1 });
          samples.set(key(tool, size), list);
          console.log(`${tool} ${size}: ${ms.toFixed(0)} ms, CPU ${cpu.toFixed(2)} s, ${stats.total} API calls ${JSON.stringify(stats.byEndpoint)}, exit ${r.code}${deployed ? '' : ', NOT DEPLOYED'}`);
        } finally {
          home.cleanup();
          await org.stop();
        }
      }
    }
    loads.push(loadavg()[0]);
  }
} finally {
  for (const p of projects.values()) p.cleanup();
}

const breakdown = (xs: Sample[]) => medianBreakdown(xs, (s) => s.calls);
const TARGET: Record<number, number> = { 0: 0.5, 500: 0.7 };
const rows: string[] = [];
const ratios: string[] = [];
for (const size of SIZES) {
  const omni = samples.get(key('omni', size))!;
  const sf = samples.get(key('sf', size))!;
  const pairRatios = omni.map((o, i) => o.ms / sf[i].ms);
  const ratio = median(pairRatios);
  const cpuRatio = median(omni.map((o, i) => o.cpu / sf[i].cpu));
  const name = size ? `sample + ${size} configurations` : 'sample (21 components)';
  for (const [tool, xs] of [['`omni deploy --json`', omni], ['`sf project deploy start --json`', sf]] as const) {
    rows.push(`| ${name} | ${tool} | ${median(xs.map((s) => s.ms)).toFixed(0)} | ${xs.map((s) => s.ms.toFixed(0)).join(', ')} | ${median(xs.map((s) => s.cpu)).toFixed(2)} | ${median(xs.map((s) => s.calls))} (${breakdown(xs)}) | ${median(xs.map((s) => s.besides))} | ${xs.map((s) => s.code).join(' ')} |`);
  }
  const besides = median(omni.map((s) => s.besides));
  ratios.push(`- ${name}: omni/sf wall **${ratio.toFixed(2)}×** (pairs: ${pairRatios.map((r) => r.toFixed(2)).join(', ')}; target ≤ ${TARGET[size]}×: ${ratio <= TARGET[size] ? 'met' : '**missed**'}); CPU ${cpuRatio.toFixed(2)}× (median of pairs); omni's requests besides the deployment and its polls: **${besides}** (target ≤ 6: ${besides <= 6 ? 'met' : '**missed**'}).`);
}
const section = [
  '## Deploy',
  '',
  `${runStamp(`node bench/deploy/run.ts ${RUNS}`, loads)} Each run against a fresh local org logged in with \`sf org login access-token\` in its own HOME, both tools by that alias, each through its bin (\`scripts/omni.mjs\`, \`node_modules/.bin/sf\`) with its own defaults; ${RUNS} pairs per size, alternating which goes first. Wall time of the spawned CLI, CPU seconds (user + system) of it and its children by GNU time; requests counted by the org (\`/__local/stats\`); a run counts only if the org then holds every component.`,
  '',
  '| Project | Tool | Median wall (ms) | Runs (ms) | CPU s (median) | Requests (median) | Besides deploy + polls | Exit codes |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  ...ratios,
  '',
  "omni's requests besides the deployment: its checks before the deploy (org description; reference check, assignment snapshot and org-held members — their queries in REST Composite requests, 5 to a request, so their number does not grow with the components) and the snapshot after (data-loss guard); sf sends the deployment unchecked.",
  '',
].join('\n');

await writeResultsSection(section);
console.log(section);
