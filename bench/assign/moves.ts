/**
 * 10,000 moves (every agent from cfg_a to cfg_b), local org with latencyMs 50, in one run:
 *  - `omni assign apply --csv` (in-process CLI): one atomic Composite request (Collections DELETE + POST,
 *    allOrNone) per 200 users;
 *  - the previous two-request moves: the same plan (`omni assign plan`), then per 200 users a Collections
 *    DELETE of the old rows followed by a Collections POST of the new ones, 5 chunks in flight (what apply
 *    did before moves became atomic).
 * API calls are counted by the org (`/__local/stats`); "fewest configured" is the org's invariant counter:
 * the fewest users holding a configuration between two requests (10,000 = nobody was ever without one).
 * Writes the `## Assign: 10,000 moves` section of bench/RESULTS.md.   Run: node bench/assign/moves.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../scripts/cli/run.ts';
import { seedUsername, startLocalOrg, type LocalOrg } from '../../local-org/index.ts';
import { writeResultsSection } from '../results.ts';

const LATENCY = 50;
const N = 10_000;
const IN_FLIGHT = 5;
const work = mkdtempSync(join(tmpdir(), 'omni-bench-moves-'));
const env = { ...process.env, CI: 'true', SF_DISABLE_TELEMETRY: 'true' };

async function omni(org: LocalOrg, args: string[]): Promise<{ code: number; json: any; ms: number }> {
  let out = '';
  const stdout = { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream;
  const started = performance.now();
  const code = await runCli([...args, '--instance-url', org.instanceUrl, '--json'], { cwd: work, env: { ...env, SF_ACCESS_TOKEN: org.accessToken }, stdout });
  return { code, json: JSON.parse(out), ms: performance.now() - started };
}

/** An org whose N seeded agents all hold cfg_a; a CSV moving all of them to cfg_b. */
async function orgOnA(): Promise<{ org: LocalOrg; b: string }> {
  const org = await startLocalOrg({ port: 0, seedUsers: N, latencyMs: LATENCY });
  const a = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_a', MasterLabel: 'A', Capacity: 3 }, { system: true }).Id;
  const b = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_b', MasterLabel: 'B', Capacity: 3 }, { system: true }).Id;
  for (let i = 1; i <= N; i++) org.store.insert('PresenceUserConfigUser', { UserId: org.store.lookup('User', 'Username', seedUsername(i))![0].Id, PresenceUserConfigId: a }, { system: true });
  org.resetStats();
  org.resetInvariant();
  return { org, b };
}

const onB = (org: LocalOrg, b: string) => [...org.store.all('PresenceUserConfigUser')].filter((r) => r.PresenceUserConfigId === b).length;

const lines = ['username,presenceConfig'];
for (let i = 1; i <= N; i++) lines.push(`${seedUsername(i)},cfg_b`);
writeFileSync(join(work, 'moves.csv'), lines.join('\n') + '\n');

try {
  // 1. omni assign apply: atomic moves (after one unmeasured plan, so neither side pays for loading the CLI).
  const atomic = await orgOnA();
  await omni(atomic.org, ['assign', 'plan', '--csv', 'moves.csv']);
  atomic.org.resetStats();
  atomic.org.resetInvariant();
  const applied = await omni(atomic.org, ['assign', 'apply', '--csv', 'moves.csv']);
  if (applied.code !== 0) throw new Error(`apply failed: ${JSON.stringify(applied.json).slice(0, 400)}`);
  const atomicStats = atomic.org.stats();
  const atomicMin = atomic.org.invariant().minConfiguredUsers;
  const atomicOnB = onB(atomic.org, atomic.b);
  await atomic.org.stop();

  // 2. The previous two-request moves: same plan, then DELETE + POST per 200, IN_FLIGHT chunks at a time.
  const pair = await orgOnA();
  const started = performance.now();
  const plan = await omni(pair.org, ['assign', 'plan', '--csv', 'moves.csv']);
  const items = (plan.json.result.items as Array<{ id: string; rowIds: string[]; toConfigId: string; action: string }>).filter((i) => i.action === 'move');
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${pair.org.instanceUrl}/services/data/v66.0${path}`, {
      method,
      headers: { authorization: `Bearer ${pair.org.accessToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const results = (await r.json()) as Array<{ success: boolean }>;
    if (!results.every((x) => x.success)) throw new Error(`${method} failed`);
  };
  const chunks: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 200) chunks.push(items.slice(i, i + 200));
  const worker = async () => {
    for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
      await call('DELETE', `/composite/sobjects?ids=${chunk.flatMap((i) => i.rowIds).join(',')}&allOrNone=false`);
      await call('POST', '/composite/sobjects', { allOrNone: false, records: chunk.map((i) => ({ attributes: { type: 'PresenceUserConfigUser' }, UserId: i.id, PresenceUserConfigId: i.toConfigId })) });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const pairMs = performance.now() - started;
  const pairStats = pair.org.stats();
  const pairMin = pair.org.invariant().minConfiguredUsers;
  const pairOnB = onB(pair.org, pair.b);
  await pair.org.stop();

  const ratio = applied.ms / pairMs;
  const ok = (cond: boolean) => (cond ? 'met' : '**not met**');
  const endpoints = (s: typeof atomicStats) => Object.entries(s.byEndpoint).map(([k, v]) => `${k} ${v}`).join(', ');
  const section = [
    '## Assign: 10,000 moves',
    '',
    `\`node bench/assign/moves.ts\` — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} CPU(s), both in the same run. Local org with \`latencyMs: ${LATENCY}\`; every one of 10,000 agents moves from cfg_a to cfg_b; API calls counted by the org. "Fewest configured" is the org's invariant counter: the fewest agents holding a configuration between two requests.`,
    '',
    '| Moves of 10,000 | Wall | API calls | Fewest configured | Target |',
    '|---|---|---|---|---|',
    `| \`omni assign apply --csv\`: one Composite (Collections DELETE + POST, allOrNone) per 200 | ${(applied.ms / 1000).toFixed(2)} s | ${atomicStats.total} (${endpoints(atomicStats)}) | ${atomicMin} of ${N} (${atomicOnB} on cfg_b after) | ≤ 60 calls: ${ok(atomicStats.total <= 60)}; nobody without one: ${ok(atomicMin === N)} |`,
    `| Previous two-request moves: the same plan, then Collections DELETE then POST per 200, ${IN_FLIGHT} in flight | ${(pairMs / 1000).toFixed(2)} s | ${pairStats.total} (${endpoints(pairStats)}) | ${pairMin} of ${N} (${pairOnB} on cfg_b after) | — |`,
    `| Ratio (atomic / two-request), wall | ${ratio.toFixed(2)}× | ${(atomicStats.total / pairStats.total).toFixed(2)}× calls | | |`,
    '',
  ].join('\n');
  await writeResultsSection(section);
  console.log(section);
} finally {
  rmSync(work, { recursive: true, force: true });
}
