/**
 * Where the wall time of `omni assign apply` goes, on the local org at 50 ms latency: 10,000 creates and
 * 10,000 moves, each through the bin (its own process, as peers.ts runs it). For every request the org
 * answers, its start and end relative to the spawn; before the first request is process start-up, module
 * loading and argument parsing; after the last one the journal and the output. With `--cpu-prof` the child
 * also writes a V8 CPU profile (its folder is printed). Prints a table; writes nothing to RESULTS.md.
 *   Run: node bench/assign/timeline.ts [creates|moves|both] [--cpu-prof]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { seedUsername, startLocalOrg, type LocalOrg } from '../../local-org/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const N = 10_000;
const which = process.argv[2] ?? 'both';
const profile = process.argv.includes('--cpu-prof');
const work = mkdtempSync(join(tmpdir(), 'omni-bench-timeline-'));

interface Line {
  at: number;
  line: string;
}

async function trace(label: string, org: LocalOrg, lines: Line[], csv: string): Promise<void> {
  lines.length = 0;
  const started = performance.now();
  (globalThis as { t0?: number }).t0 = started;
  const args = [...(profile ? ['--cpu-prof', '--cpu-prof-dir', join(work, `prof-${label}`)] : []), join(ROOT, 'scripts/omni.mjs'), 'assign', 'apply', '--csv', csv, '--instance-url', org.instanceUrl, '--json'];
  // The child's first byte on stdout is its --json output: what comes after is the process ending.
  let output = 0;
  let stdout = '';
  let stderr = '';
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: work, env: { ...process.env, CI: 'true', SF_DISABLE_TELEMETRY: 'true', SF_ACCESS_TOKEN: org.accessToken }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => {
      output ||= performance.now() - started;
      stdout += d;
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', done);
  });
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${label}: exit ${code} ${stdout.slice(0, 300)} ${stderr.slice(0, 300)}`);
  console.log(`\n### ${label}: ${ms.toFixed(0)} ms wall, ${lines.filter((l) => !l.line.startsWith(' ')).length} requests (load ${loadavg()[0].toFixed(1)})`);
  console.log('| start ms | end ms | request |');
  console.log('|---:|---:|---|');
  let last = 0;
  for (const l of lines) {
    const m = /^(\S+) (\S+) (\S+) ([\d.]+)ms$/.exec(l.line);
    if (!m) continue;
    const end = l.at;
    const begin = end - Number(m[4]);
    console.log(`| ${begin.toFixed(0)} | ${end.toFixed(0)} | ${m[1]} ${m[2].replace(/\?.*/, '?…').slice(0, 90)} ${m[3]} |`);
    last = Math.max(last, end);
  }
  console.log(`| ${last.toFixed(0)} | ${output.toFixed(0)} | (after the last answer: journal, the result) |`);
  console.log(`| ${output.toFixed(0)} | ${ms.toFixed(0)} | (from the --json output to the process's end) |`);
  if (profile) console.log(`CPU profile: ${join(work, `prof-${label}`)}`);
}

function csvOf(file: string, configName: string): string {
  const rows = ['username,presenceConfig'];
  for (let i = 1; i <= N; i++) rows.push(`${seedUsername(i)},${configName}`);
  writeFileSync(join(work, file), `${rows.join('\n')}\n`);
  return file;
}

const lines: Line[] = [];
const log = (line: string) => lines.push({ at: performance.now() - ((globalThis as { t0?: number }).t0 ?? 0), line });
try {
  if (which !== 'moves') {
    const org = await startLocalOrg({ port: 0, seedUsers: N, latencyMs: 50, log });
    org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_a', MasterLabel: 'cfg_a', Capacity: 3 }, { system: true });
    await trace('10,000 creates', org, lines, csvOf('create.csv', 'cfg_a'));
    await org.stop();
  }
  if (which !== 'creates') {
    const org = await startLocalOrg({ port: 0, seedUsers: N, latencyMs: 50, log });
    const a = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_a', MasterLabel: 'cfg_a', Capacity: 3 }, { system: true }).Id;
    org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_b', MasterLabel: 'cfg_b', Capacity: 3 }, { system: true });
    for (let i = 1; i <= N; i++) org.store.insert('PresenceUserConfigUser', { UserId: org.store.lookup('User', 'Username', seedUsername(i))![0].Id, PresenceUserConfigId: a }, { system: true });
    await trace('10,000 moves', org, lines, csvOf('move.csv', 'cfg_b'));
    await org.stop();
  }
} finally {
  if (!profile) rmSync(work, { recursive: true, force: true });
}
