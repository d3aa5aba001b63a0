/**
 * omni assign against what an admin would use instead, each pair in the same run, on the local org with
 * latencyMs 50 on every request ("L50"); requests counted by the org (`/__local/stats`):
 *  1. 10,000 new assignments: `omni assign apply --csv` vs the sf Bulk pipeline — `sf data query` for the
 *     configuration's Id, `sf data export bulk` of User Id/Username, the CSV of (PresenceUserConfigId,
 *     UserId) joined from them, `sf data import bulk`.
 *  2. 10,000 moves (cfg_a → cfg_b): `omni assign apply --csv` vs `sf data export bulk` of the old rows' Ids,
 *     `sf data delete bulk`, `sf data import bulk` of the new rows.
 *  3. The idempotent re-run of 10,000 in every selector form (--csv, --where, --profile, --permission-set,
 *     --file): requests only (0 writes each).
 *  4. 100,000 new assignments: requests against the floor (session 2, one batch of catalog reads, one
 *     Bulk API 2.0 query of the users: create, poll, results; one ingest job: create, upload, close, poll,
 *     successfulResults = 11).
 * omni runs through its bin (`node scripts/omni.mjs`, its own process) like sf, so both pay their start-up.
 * Writes `## Assign vs sf (issue #15)` in bench/RESULTS.md.   Run: node bench/assign/peers.ts
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { seedUsername, startLocalOrg, type LocalOrg } from '../../local-org/index.ts';
import { loginSf, makeSfHome, runProcess, SF_BIN, type SfHome } from '../../test/helpers/local-org.ts';
import { writeResultsSection } from '../results.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LATENCY = 50;
const N = 10_000;
const BIG = 100_000;
const work = mkdtempSync(join(tmpdir(), 'omni-bench-peers-'));
const sections: string[] = [];

interface Timed {
  ms: number;
  /** CPU seconds (user + system) of the process(es), by GNU time: what start-up and work cost, whatever the load. */
  cpu?: number;
  requests: number;
  byEndpoint: Record<string, number>;
  writes: number;
}

/** Runs a command under GNU time; its CPU seconds (user + system) are added to `cpu.total`. */
async function timedProcess(command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }, cpu: { total: number }) {
  const timeFile = join(work, 'time.txt');
  const r = await runProcess('/usr/bin/time', ['-o', timeFile, '-f', '%U %S', command, ...args], { ...options, timeoutMs: 600_000 });
  const [user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  cpu.total += user + system;
  return r;
}

async function omniBin(org: LocalOrg, args: string[]): Promise<Timed & { code: number | null; json: any }> {
  org.resetStats();
  const cpu = { total: 0 };
  const started = performance.now();
  const r = await timedProcess(process.execPath, [join(ROOT, 'scripts/omni.mjs'), ...args, '--instance-url', org.instanceUrl, '--json'], { cwd: work, env: { ...process.env, CI: 'true', SF_DISABLE_TELEMETRY: 'true', SF_ACCESS_TOKEN: org.accessToken } }, cpu);
  const ms = performance.now() - started;
  const s = org.stats();
  if (r.code !== 0) throw new Error(`omni ${args.join(' ')} exited ${r.code}: ${r.stdout.slice(0, 400)} ${r.stderr.slice(0, 400)}`);
  return { ms, cpu: cpu.total, requests: s.total, byEndpoint: s.byEndpoint, writes: s.writes, code: r.code, json: r.json };
}

/** sf's CPU seconds in this run's pipeline (every sf process). */
const sfCpu = { total: 0 };

async function sf(home: SfHome, args: string[]): Promise<any> {
  const r = await timedProcess(SF_BIN, [...args, '--target-org', 'bench', '--json'], { env: { SF_CONTENT_TYPE: 'JSON', ...home.env } }, sfCpu);
  if (r.code !== 0) throw new Error(`sf ${args.join(' ')} exited ${r.code}: ${r.stdout.slice(0, 400)}`);
  return r.json;
}

function config(org: LocalOrg, name: string): string {
  return org.store.insert('PresenceUserConfig', { DeveloperName: name, MasterLabel: name, Capacity: 3 }, { system: true }).Id;
}

function usersCsv(file: string, count: number, configName: string): void {
  const lines = ['username,presenceConfig'];
  for (let i = 1; i <= count; i++) lines.push(`${seedUsername(i)},${configName}`);
  writeFileSync(join(work, file), `${lines.join('\n')}\n`);
}

const endpoints = (t: Timed) =>
  Object.entries(t.byEndpoint)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
const ok = (cond: boolean) => (cond ? 'met' : '**missed**');
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

try {
  const home = makeSfHome();
  try {
    // 1. 10,000 creates.
    const org = await startLocalOrg({ port: 0, seedUsers: N, latencyMs: LATENCY });
    const cfgA = config(org, 'cfg_a');
    config(org, 'cfg_b');
    await loginSf(home, org, 'bench');
    usersCsv('create.csv', N, 'cfg_a');
    const omniCreate = await omniBin(org, ['assign', 'apply', '--csv', 'create.csv']);
    const createdRows = [...org.store.all('PresenceUserConfigUser')].length;
    // Same org, rows removed again (system writes, not counted) for the sf pipeline.
    for (const r of [...org.store.all('PresenceUserConfigUser')]) org.store.delete(r.Id, { system: true });
    org.resetStats();
    sfCpu.total = 0;
    const sfStarted = performance.now();
    const cfg = await sf(home, ['data', 'query', '-q', "SELECT Id FROM PresenceUserConfig WHERE DeveloperName = 'cfg_a'"]);
    const exported = join(work, 'users-export.csv');
    await sf(home, ['data', 'export', 'bulk', '-q', 'SELECT Id, Username FROM User', '--output-file', exported, '--result-format', 'csv', '--wait', '10']);
    const wanted = new Set(readFileSync(join(work, 'create.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0].toLowerCase()));
    const ids = readFileSync(exported, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map((v) => v.replace(/^"|"$/g, '')))
      .filter(([, username]) => wanted.has(username.toLowerCase()))
      .map(([id]) => id);
    const importFile = join(work, 'import.csv');
    writeFileSync(importFile, `PresenceUserConfigId,UserId\n${ids.map((id) => `${cfg.result.records[0].Id},${id}`).join('\n')}\n`);
    await sf(home, ['data', 'import', 'bulk', '--file', importFile, '--sobject', 'PresenceUserConfigUser', '--wait', '10']);
    const sfCreateMs = performance.now() - sfStarted;
    const sfCreateCpu = sfCpu.total;
    const sfCreate = org.stats();
    const sfRows = [...org.store.all('PresenceUserConfigUser')].length;
    if (cfgA !== cfg.result.records[0].Id) throw new Error('configuration id mismatch');

    // 3. Re-runs of 10,000 (every agent holds cfg_a now) in every selector form.
    const reruns: Array<{ form: string; t: Timed; status: string }> = [];
    const ps = org.store.insert('PermissionSet', { Name: 'Bench_Agents', Label: 'Bench Agents' }, { system: true }).Id;
    for (let i = 1; i <= N; i++) org.store.insert('PermissionSetAssignment', { PermissionSetId: ps, AssigneeId: org.store.lookup('User', 'Username', seedUsername(i))![0].Id }, { system: true });
    // Users of the agents' profile: the 10,000 seeded agents and 10 more (given cfg_a by one unmeasured run).
    writeFileSync(join(work, 'assign.yaml'), "presenceConfigurations:\n  cfg_a:\n    users:\n      profiles: ['Custom: Support Agent']\n");
    await omniBin(org, ['assign', 'apply', '--file', 'assign.yaml']);
    const forms: Array<[string, string[]]> = [
      ['`--csv` (10,000 usernames)', ['--csv', 'create.csv']],
      ["`--where \"Username LIKE 'seed.agent%'\"`", ['--config', 'cfg_a', '--where', "Username LIKE 'seed.agent%'"]],
      ['`--permission-set` (10,000 assignees)', ['--config', 'cfg_a', '--permission-set', 'Bench_Agents']],
      ['`--file` (users of a profile: 10,010)', ['--file', 'assign.yaml']],
      ['`--user` (one agent)', ['--config', 'cfg_a', '--user', seedUsername(1)]],
    ];
    for (const [form, args] of forms) {
      const t = await omniBin(org, ['assign', 'apply', ...args]);
      reruns.push({ form, t, status: t.json.result.status });
    }
    await org.stop();

    // 2. 10,000 moves: omni, then sf bulk delete + insert, each on a fresh org with every agent on cfg_a.
    const moveOrg = async () => {
      const o = await startLocalOrg({ port: 0, seedUsers: N, latencyMs: LATENCY });
      const a = config(o, 'cfg_a');
      const b = config(o, 'cfg_b');
      for (let i = 1; i <= N; i++) o.store.insert('PresenceUserConfigUser', { UserId: o.store.lookup('User', 'Username', seedUsername(i))![0].Id, PresenceUserConfigId: a }, { system: true });
      o.resetInvariant();
      return { o, b };
    };
    usersCsv('move.csv', N, 'cfg_b');
    const m1 = await moveOrg();
    const omniMove = await omniBin(m1.o, ['assign', 'apply', '--csv', 'move.csv']);
    const omniMoveMin = m1.o.invariant().minConfiguredUsers;
    await m1.o.stop();
    const m2 = await moveOrg();
    await loginSf(home, m2.o, 'bench');
    m2.o.resetStats();
    m2.o.resetInvariant();
    sfCpu.total = 0;
    const sfMoveStarted = performance.now();
    const oldRows = join(work, 'old-rows.csv');
    await sf(home, ['data', 'export', 'bulk', '-q', "SELECT Id, UserId FROM PresenceUserConfigUser WHERE PresenceUserConfig.DeveloperName = 'cfg_a'", '--output-file', oldRows, '--result-format', 'csv', '--wait', '10']);
    const old = readFileSync(oldRows, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map((v) => v.replace(/^"|"$/g, '')));
    writeFileSync(join(work, 'delete.csv'), `Id\n${old.map(([id]) => id).join('\n')}\n`);
    await sf(home, ['data', 'delete', 'bulk', '--file', join(work, 'delete.csv'), '--sobject', 'PresenceUserConfigUser', '--wait', '10']);
    writeFileSync(join(work, 'insert.csv'), `PresenceUserConfigId,UserId\n${old.map(([, user]) => `${m2.b},${user}`).join('\n')}\n`);
    await sf(home, ['data', 'import', 'bulk', '--file', join(work, 'insert.csv'), '--sobject', 'PresenceUserConfigUser', '--wait', '10']);
    const sfMoveMs = performance.now() - sfMoveStarted;
    const sfMoveCpu = sfCpu.total;
    const sfMove = m2.o.stats();
    const sfMoveMin = m2.o.invariant().minConfiguredUsers;
    await m2.o.stop();

    // 4. 100,000 creates: requests against the floor.
    const big = await startLocalOrg({ port: 0, seedUsers: BIG, latencyMs: LATENCY });
    config(big, 'cfg_a');
    usersCsv('big.csv', BIG, 'cfg_a');
    const omniBig = await omniBin(big, ['assign', 'apply', '--csv', 'big.csv']);
    const bigRows = [...big.store.all('PresenceUserConfigUser')].length;
    await big.stop();
    const FLOOR = 11;

    const createRatio = omniCreate.ms / sfCreateMs;
    const moveRatio = omniMove.ms / sfMoveMs;
    sections.push(
      '## Assign vs sf (issue #15)',
      '',
      `\`node bench/assign/peers.ts\` — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} CPUs shared with other developers (load average ${loadavg()[0].toFixed(1)} at the end). Local org with \`latencyMs: ${LATENCY}\`; requests counted by the org. omni runs through its bin (its own process) like sf; each pair in the same run. CPU = user + system seconds of the omni process, and of every sf process of the pipeline together (GNU time); the org runs in the bench process and counts on neither side. On a machine this loaded, wall time mostly measures waiting for a CPU; the CPU ratio is the load-independent one.`,
      '',
      '| Figure | omni | peer | ratio (wall; CPU) | target |',
      '|---|---|---|---|---|',
      `| 10,000 new assignments (\`--csv\`) | ${sec(omniCreate.ms)} (CPU ${omniCreate.cpu!.toFixed(2)} s), **${omniCreate.requests} requests** (${endpoints(omniCreate)}), ${createdRows} rows | sf pipeline (\`sf data query\` config Id, \`sf data export bulk\` User, join, \`sf data import bulk\`): ${sec(sfCreateMs)} (CPU ${sfCreateCpu.toFixed(2)} s), ${sfCreate.total} requests (${endpoints({ ...sfCreate, ms: 0, requests: 0 })}), ${sfRows} rows | ${createRatio.toFixed(2)}×; ${(omniCreate.cpu! / sfCreateCpu).toFixed(2)}× | ≤ 13 requests: ${ok(omniCreate.requests <= 13)}; ≤ 0.15×: ${ok(createRatio <= 0.15)} |`,
      `| 10,000 moves cfg_a → cfg_b | ${sec(omniMove.ms)} (CPU ${omniMove.cpu!.toFixed(2)} s), **${omniMove.requests} requests** (${endpoints(omniMove)}); fewest configured ${omniMoveMin} of ${N} | sf \`data export bulk\` old rows, \`data delete bulk\`, \`data import bulk\`: ${sec(sfMoveMs)} (CPU ${sfMoveCpu.toFixed(2)} s), ${sfMove.total} requests; fewest configured ${sfMoveMin} of ${N} | ${moveRatio.toFixed(2)}×; ${(omniMove.cpu! / sfMoveCpu).toFixed(2)}× | ≤ 60 requests: ${ok(omniMove.requests <= 60)}; ≤ 0.25×: ${ok(moveRatio <= 0.25)}; nobody without one: ${ok(omniMoveMin === N)} |`,
      ...reruns.map((r) => `| Re-run of 10,000, ${r.form} | ${sec(r.t.ms)}, **${r.t.requests} requests** (${endpoints(r.t)}), ${r.t.writes} writes, status ${r.status} | — | — | ≤ 7 requests, 0 writes: ${ok(r.t.requests <= 7 && r.t.writes === 0)} |`),
      `| 100,000 new assignments (\`--csv\`) | ${sec(omniBig.ms)}, **${omniBig.requests} requests** (${endpoints(omniBig)}), ${bigRows} rows | floor ${FLOOR} (session 2, catalog batch 1, Bulk query of User 3, ingest job 5) | ${(omniBig.requests / FLOOR).toFixed(2)}× the floor | ≤ 1.2×: ${ok(omniBig.requests <= FLOOR * 1.2)} |`,
      '',
    );
  } finally {
    home.cleanup();
  }
  const section = sections.join('\n');
  await writeResultsSection(section);
  console.log(section);
} finally {
  rmSync(work, { recursive: true, force: true });
}
