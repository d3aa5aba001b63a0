/**
 * Benchmark of `omni validate`: generates a project with N presence configurations (plus 200 statuses,
 * 200 channels, decline reasons and routing configs, so references resolve), spawns the real CLI and
 * takes the median wall time of 5 runs at N = 2,000 and 4,000. Also times `npx omni validate` on the
 * sample project and `omni --help`. Writes the `## Validate` section of bench/RESULTS.md.
 *
 *   node bench/validate/run.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeResultsSection } from '../results.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const omniBin = path.join(repoRoot, 'scripts/omni.ts');
const NS = 'http://soap.sforce.com/2006/04/metadata';
const RUNS = 5;

const file = (type: string, body: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="${NS}">\n${body.map((l) => `    ${l}`).join('\n')}\n</${type}>\n`;

function generateProject(configs: number): string {
  const root = mkdtempSync(path.join(tmpdir(), `omni-bench-validate-${configs}-`));
  const base = path.join(root, 'force-app/main/default');
  const write = (dir: string, name: string, suffix: string, content: string) => {
    mkdirSync(path.join(base, dir), { recursive: true });
    writeFileSync(path.join(base, dir, `${name}.${suffix}-meta.xml`), content);
  };
  writeFileSync(path.join(root, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
  for (let i = 0; i < 200; i++) {
    write('serviceChannels', `Channel_${i}`, 'serviceChannel', file('ServiceChannel', [`<label>Channel ${i}</label>`, `<relatedEntityType>Routed_${i}__c</relatedEntityType>`]));
  }
  for (let i = 0; i < 200; i++) {
    const channels = i % 4 === 0 ? [] : ['<channels>', `    <channel>Channel_${i}</channel>`, `    <channel>Channel_${(i + 1) % 200}</channel>`, '</channels>'];
    write('servicePresenceStatuses', `Status_${i}`, 'servicePresenceStatus', file('ServicePresenceStatus', [...channels, `<label>Status ${i}</label>`]));
  }
  for (let i = 0; i < 20; i++) write('presenceDeclineReasons', `Reason_${i}`, 'presenceDeclineReason', file('PresenceDeclineReason', [`<label>Reason ${i}</label>`]));
  for (let i = 0; i < 50; i++) {
    write('queueRoutingConfigs', `Routing_${i}`, 'queueRoutingConfig', file('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', `<label>Routing ${i}</label>`, '<routingModel>MOST_AVAILABLE</routingModel>', `<routingPriority>${i % 5}</routingPriority>`]));
  }
  for (let i = 0; i < configs; i++) {
    const away = `Status_${(i * 4) % 200}`; // every 4th status has no channels: an Away status
    write(
      'presenceUserConfigs',
      `Config_${i}`,
      'presenceUserConfig',
      file('PresenceUserConfig', [
        '<assignments>',
        '    <profiles>',
        `        <profile>Profile ${i}</profile>`,
        '    </profiles>',
        '</assignments>',
        `<capacity>${1 + (i % 10)}</capacity>`,
        `<declineReasons>Reason_${i % 20}</declineReasons>`,
        `<declineReasons>Reason_${(i + 7) % 20}</declineReasons>`,
        '<enableAutoAccept>false</enableAutoAccept>',
        '<enableDecline>true</enableDecline>',
        '<enableDeclineReason>true</enableDeclineReason>',
        '<enableDisconnectSound>true</enableDisconnectSound>',
        '<enableRequestSound>true</enableRequestSound>',
        `<label>Config ${i}</label>`,
        `<presenceStatusOnDecline>${away}</presenceStatusOnDecline>`,
        `<presenceStatusOnPushTimeout>${away}</presenceStatusOnPushTimeout>`,
      ]),
    );
  }
  return root;
}

function time(command: string, args: string[], cwd: string): { ms: number; code: number | null; stdout: string } {
  const start = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, code: run.status, stdout: run.stdout + run.stderr };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(label: string, command: string, args: string[], cwd: string, expectCode = 0) {
  const times: number[] = [];
  let last = '';
  for (let i = 0; i < RUNS; i++) {
    const run = time(command, args, cwd);
    if (run.code !== expectCode) throw new Error(`${label}: exit ${run.code}, expected ${expectCode}\n${run.stdout.slice(0, 2000)}`);
    times.push(run.ms);
    last = run.stdout.trim().split('\n').at(-1) ?? '';
  }
  const result = { label, median: median(times), times, last };
  console.log(`${label}: median ${result.median.toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')}) — ${last}`);
  return result;
}

const node = process.execPath;
const results: Record<string, ReturnType<typeof measure>> = {};
const projects: string[] = [];
try {
  for (const n of [2000, 4000]) {
    const root = generateProject(n);
    projects.push(root);
    results[n] = measure(`omni validate, ${n} presence configurations`, node, [omniBin, 'validate'], root);
  }
  results.sample = measure('npx omni validate (sample project)', 'npx', ['omni', 'validate'], repoRoot);
  results.sampleDirect = measure('node scripts/omni.ts validate (sample project)', node, [omniBin, 'validate'], repoRoot);
  results.npxHelp = measure('npx omni --help (npx start-up alone)', 'npx', ['omni', '--help'], repoRoot);
  results.help = measure('omni --help', node, [omniBin, '--help'], repoRoot);
} finally {
  for (const p of projects) rmSync(p, { recursive: true, force: true });
}

const ratio = results[4000].median / results[2000].median;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const section = [
  '## Validate',
  '',
  `\`node bench/validate/run.ts\` — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'}). Wall time of the spawned CLI, median of ${RUNS} runs.`,
  'Generated project: N presence configurations (profile assignment, 2 decline reasons, 2 status references each), 200 statuses, 200 channels, 20 decline reasons, 50 routing configurations.',
  '',
  '| Case | Median | Runs (ms) | Target |',
  '|---|---|---|---|',
  `| \`omni validate\`, 2,000 configurations (2,470 files) | ${results[2000].median.toFixed(0)} ms | ${results[2000].times.map((t) => t.toFixed(0)).join(', ')} | ≤ 2,000 ms: ${verdict(results[2000].median <= 2000)} |`,
  `| \`omni validate\`, 4,000 configurations (4,470 files) | ${results[4000].median.toFixed(0)} ms | ${results[4000].times.map((t) => t.toFixed(0)).join(', ')} | ratio ${ratio.toFixed(2)}× ≤ 2.2×: ${verdict(ratio <= 2.2)} |`,
  `| \`npx omni validate\`, sample project | ${results.sample.median.toFixed(0)} ms | ${results.sample.times.map((t) => t.toFixed(0)).join(', ')} | < 1,000 ms: ${verdict(results.sample.median < 1000)} |`,
  `| \`node scripts/omni.ts validate\`, sample project (same work without npx) | ${results.sampleDirect.median.toFixed(0)} ms | ${results.sampleDirect.times.map((t) => t.toFixed(0)).join(', ')} | < 1,000 ms: ${verdict(results.sampleDirect.median < 1000)} |`,
  `| \`npx omni --help\` (npx start-up, no validation) | ${results.npxHelp.median.toFixed(0)} ms | ${results.npxHelp.times.map((t) => t.toFixed(0)).join(', ')} | — |`,
  `| \`omni --help\` | ${results.help.median.toFixed(0)} ms | ${results.help.times.map((t) => t.toFixed(0)).join(', ')} | < 500 ms: ${verdict(results.help.median < 500)} |`,
  '',
  `npx adds ${(results.npxHelp.median - results.help.median).toFixed(0)} ms of its own start-up (npm resolving the bin) before the CLI runs; the validation of the sample project takes ${results.sampleDirect.median.toFixed(0)} ms of the ${results.sample.median.toFixed(0)} ms.`,
  '',
  `Last summary lines: 2,000 → \`${results[2000].last}\`; 4,000 → \`${results[4000].last}\`.`,
  '',
].join('\n');

await writeResultsSection(section);
console.log(`ratio 4000/2000: ${ratio.toFixed(2)}; wrote bench/RESULTS.md`);
