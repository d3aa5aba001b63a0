/**
 * Local org benchmark: seeding 100k users, 200-record composite creates (server time) and paging a
 * 10k-row query. Run with `node bench/local-org.ts`; writes the `## Local org` section of bench/RESULTS.md.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OrgStore } from '../local-org/store.ts';
import { seedOrg } from '../local-org/seed.ts';
import { startLocalOrg } from '../local-org/server.ts';
import { writeResultsSection } from './results.ts';

const VERSION = '62.0';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// 1. Seeding 100k agents into a fresh store.
const seedStart = performance.now();
const store = new OrgStore();
seedOrg(store, { seedUsers: 100_000 });
const seedMs = performance.now() - seedStart;
const heapMb = process.memoryUsage().heapUsed / 1e6;

// 1b. The same 100k org as `omni org local --seed-users 100000` keeps it: started with a state file,
// one save (what each mutating batch costs), and a restart that loads it back.
const stateDir = mkdtempSync(join(tmpdir(), 'omni-bench-state-'));
const stateFile = join(stateDir, 'state.json');
const bigStart = performance.now();
const big = await startLocalOrg({ stateFile, seedUsers: 100_000 });
const bigStartMs = performance.now() - bigStart;
const saveStart = performance.now();
big.store.save();
const saveMs = performance.now() - saveStart;
const stateMb = statSync(stateFile).size / 1e6;
await big.stop();
const restartStart = performance.now();
const restarted = await startLocalOrg({ stateFile });
const restartMs = performance.now() - restartStart;
const restartedUsers = restarted.store.count('User');
await restarted.stop();
rmSync(stateDir, { recursive: true, force: true });
if (restartedUsers !== 100_011) throw new Error(`restart lost users: ${restartedUsers}`);

// 2. Composite create of 200 records, server time from the request log.
const serverTimes: number[] = [];
const org = await startLocalOrg({
  seedUsers: 10_000,
  log: (line) => {
    const m = /^POST \/services\/data\/v[\d.]+\/composite\/sobjects 200 ([\d.]+)ms$/.exec(line);
    if (m) serverTimes.push(Number(m[1]));
  },
});
const headers = { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' };
const ROUNDS = 30;
const WARMUP = 5;
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  // The first rounds warm up the JIT; they are not counted.
  if (round === WARMUP) serverTimes.length = 0;
  const records = Array.from({ length: 200 }, (_, i) => ({ attributes: { type: 'PresenceDeclineReason' }, DeveloperName: `R${round}_${i}`, MasterLabel: `Reason ${round} ${i}` }));
  const response = await fetch(`${org.instanceUrl}/services/data/v${VERSION}/composite/sobjects`, { method: 'POST', headers, body: JSON.stringify({ allOrNone: true, records }) });
  const body = (await response.json()) as Array<{ success: boolean }>;
  if (!body.every((r) => r.success)) throw new Error('composite create failed');
}

// 3. A 10k-row query, all pages.
const queryStart = performance.now();
let url = `/services/data/v${VERSION}/query?q=${encodeURIComponent('SELECT Id, Username, Profile.Name FROM User')}`;
let pages = 0;
let rows = 0;
const ids = new Set<string>();
let total = 0;
for (;;) {
  const page = (await (await fetch(org.instanceUrl + url, { headers })).json()) as { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Array<{ Id: string }> };
  pages++;
  rows += page.records.length;
  total = page.totalSize;
  for (const r of page.records) ids.add(r.Id);
  if (page.done) break;
  url = page.nextRecordsUrl!;
}
const queryMs = performance.now() - queryStart;
await org.stop();
if (rows !== total || ids.size !== total) throw new Error(`paging lost rows: ${rows}/${ids.size} of ${total}`);

const section = [
  '## Local org',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} with \`node bench/local-org.ts\` (Node ${process.version}, ${process.platform}).`,
  '',
  '| Measure | Result | Target |',
  '|---|---|---|',
  `| Seed 100k users (fresh store, indexes, validation) | ${(seedMs / 1000).toFixed(2)} s, heap ${heapMb.toFixed(0)} MB | ≤ 10 s |`,
  `| 100k-user org with a state file (\`--seed-users 100000\`): start, one save, restart | start ${(bigStartMs / 1000).toFixed(2)} s, file ${stateMb.toFixed(0)} MB, save ${saveMs.toFixed(0)} ms, restart ${(restartMs / 1000).toFixed(2)} s with all ${restartedUsers} users | fits comfortably |`,
  `| Composite create, 200 records, allOrNone (server time, ${ROUNDS} runs after ${WARMUP} warm-up) | median ${percentile(serverTimes, 50).toFixed(1)} ms, p95 ${percentile(serverTimes, 95).toFixed(1)} ms | ≤ 20 ms |`,
  `| Query ${total} users with Profile.Name, all pages | ${pages} pages of ≤ 2,000, ${queryMs.toFixed(0)} ms, no row lost or repeated | pages correctly |`,
  '',
].join('\n');

await writeResultsSection(section);
console.log(section);
