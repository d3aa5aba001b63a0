/**
 * Where `omni deploy`'s wall time goes: spawns the bin on the sample (or the sample + N configurations)
 * against a fresh local org per run, logged in with sf (the bench's way), and prints when each request
 * reached the org, in ms since the spawn, and the exit. Several checkouts alternate run by run (A B A B…),
 * so two versions can be compared on a shared machine. With --cpu-prof DIR each omni process writes a V8
 * CPU profile there.
 *
 * `--latency-ms N`: the org answers each request N ms late (a remote org). `--instance-url`: the CI way (--instance-url, the token in SF_ACCESS_TOKEN) instead of the sf alias.
 *
 * Run: node bench/deploy/timeline.ts [RUNS] [--configs N] [--root DIR]… [--cpu-prof DIR] [--instance-url] [--latency-ms N]
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loginSf, makeSfHome, REPO_ROOT, runProcess, startTestOrg } from '../../test/helpers/local-org.ts';
import { makeProject, NODE_BIN } from '../../test/deploy/helpers.ts';
import { median } from '../results.ts';

const args = process.argv.slice(2);
const option = (name: string) => args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]] : []));
const RUNS = Number(args[0] && !args[0].startsWith('--') ? args[0] : 3);
const CONFIGS = Number(option('--configs')[0] ?? 0);
const roots = option('--root').length ? option('--root') : [REPO_ROOT];
const profDir = option('--cpu-prof')[0];
const viaInstanceUrl = args.includes('--instance-url');
const latencyMs = Number(option('--latency-ms')[0] ?? 0);

const project = makeProject();
const dir = join(project.dir, 'force-app/main/default/presenceUserConfigs');
mkdirSync(dir, { recursive: true });
for (let i = 0; i < CONFIGS; i++) {
  const name = `Generated_Config_${String(i).padStart(4, '0')}`;
  writeFileSync(join(dir, `${name}.presenceUserConfig-meta.xml`), `<?xml version="1.0" encoding="UTF-8"?>\n<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n    <capacity>${(i % 20) + 1}</capacity>\n    <label>${name}</label>\n</PresenceUserConfig>\n`);
}
const walls = new Map<string, number[]>(roots.map((r) => [r, []]));
const cpus = new Map<string, number[]>(roots.map((r) => [r, []]));
console.log(`load average ${loadavg()[0].toFixed(1)}; ${CONFIGS} generated configurations`);
try {
  for (let i = 0; i < RUNS; i++) {
    for (const root of i % 2 ? [...roots].reverse() : roots) {
      const org = await startTestOrg(latencyMs ? { latencyMs } : {});
      const home = makeSfHome();
      delete home.env.SF_DISABLE_LOG_FILE;
      try {
        await loginSf(home, org, 'timeline');
        org.resetStats();
        const events: string[] = [];
        let seen = 0;
        let last: Record<string, number> = {};
        const start = performance.now();
        // The org runs in this process: sample its counters every millisecond while the CLI runs.
        const timer = setInterval(() => {
          const s = org.stats();
          if (s.total === seen) return;
          const t = (performance.now() - start).toFixed(0);
          for (const [k, n] of Object.entries(s.byEndpoint)) if (n !== (last[k] ?? 0)) events.push(`${t} ${k}${n - (last[k] ?? 0) > 1 ? ` ×${n - (last[k] ?? 0)}` : ''}`);
          last = { ...s.byEndpoint };
          seen = s.total;
        }, 1);
        const node = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
        // CPU seconds (user + system) from GNU time.
        const timeFile = join(tmpdir(), `omni-deploy-timeline-${process.pid}.time`);
        const r = await runProcess('/usr/bin/time', ['-o', timeFile, '-f', '%U %S', NODE_BIN, ...node, join(root, 'scripts/omni.mjs'), 'deploy', ...(viaInstanceUrl ? ['--instance-url', org.instanceUrl] : ['--target-org', 'timeline']), '--json'], {
          cwd: project.dir,
          env: { ...home.env, CI: 'true', ...(viaInstanceUrl ? { SF_ACCESS_TOKEN: org.accessToken } : {}) },
          timeoutMs: 300_000,
        });
        clearInterval(timer);
        const ms = performance.now() - start;
        const cpu = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number).reduce((a, b) => a + b, 0);
        rmSync(timeFile, { force: true });
        walls.get(root)!.push(ms);
        cpus.get(root)!.push(cpu);
        console.log(`${roots.length > 1 ? `${root}: ` : ''}exit ${r.code} at ${ms.toFixed(0)} ms, CPU ${cpu.toFixed(2)} s | ${events.join(' | ')}`);
        if (r.code !== 0) console.log(r.stdout.slice(0, 2000), r.stderr.slice(0, 2000));
      } finally {
        home.cleanup();
        await org.stop();
      }
    }
  }
} finally {
  project.cleanup();
}
for (const [root, xs] of walls) {
  const cpu = cpus.get(root)!;
  console.log(`${root}: wall median ${median(xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(', ')}), CPU median ${median(cpu).toFixed(2)} s (${cpu.map((x) => x.toFixed(2)).join(', ')}); load average ${loadavg()[0].toFixed(1)}`);
}
