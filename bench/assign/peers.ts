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
 * 1 and 2 run as pairs (omni then sf, sf then omni, …: `--pairs N`, default 3); the table gives medians and
 * each pair's ratio, with the load average at the start and the end.
 * Writes `## Assign vs sf (issue #15)` in bench/RESULTS.md.   Run: node bench/assign/peers.ts [--pairs N]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { seedUsername, startLocalOrg, type LocalOrg } from '../../local-org/index.ts';
import { loginSf, makeSfHome, runProcess, SF_BIN, type SfHome } from '../../test/helpers/local-org.ts';
import { median, writeResultsSection } from '../results.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const LATENCY = 50;
const N = 10_000;
const BIG = 100_000;
const pairsAt = process.argv.indexOf('--pairs');
const PAIRS = pairsAt > 0 ? Math.max(1, Number(process.argv[pairsAt + 1]) || 1) : 3;
const loads = [loadavg()[0]];
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
    // 1. 10,000 creates, in pairs on one org (its rows removed between runs by system writes, not counted).
    const org = await startLocalOrg({ port: 0, seedUsers: N, latencyMs: LATENCY });
    const cfgA = config(org, 'cfg_a');
    config(org, 'cfg_b');
    await loginSf(home, org, 'bench');
    usersCsv('create.csv', N, 'cfg_a');
    const clear = () => {
      for (const r of [...org.store.all('PresenceUserConfigUser')]) org.store.delete(r.Id, { system: true });
    };
    const wanted = new Set(readFileSync(join(work, 'create.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0].toLowerCase()));
    const sfCreateRun = async (): Promise<Timed & { rows: number }> => {
      org.resetStats();
      sfCpu.total = 0;
      const started = performance.now();
      const cfg = await sf(home, ['data', 'query', '-q', "SELECT Id FROM PresenceUserConfig WHERE DeveloperName = 'cfg_a'"]);
      const exported = join(work, 'users-export.csv');
      await sf(home, ['data', 'export', 'bulk', '-q', 'SELECT Id, Username FROM User', '--output-file', exported, '--result-format', 'csv', '--wait', '10']);
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
      const ms = performance.now() - started;
      if (cfgA !== cfg.result.records[0].Id) throw new Error('configuration id mismatch');
      const st = org.stats();
      return { ms, cpu: sfCpu.total, requests: st.total, byEndpoint: st.byEndpoint, writes: st.writes, rows: [...org.store.all('PresenceUserConfigUser')].length };
    };
    const omniCreates: Array<Timed & { rows: number }> = [];
    const sfCreates: Array<Timed & { rows: number }> = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      for (const side of pair % 2 ? ['sf', 'omni'] : ['omni', 'sf']) {
        clear();
        if (side === 'omni') {
          const t = await omniBin(org, ['assign', 'apply', '--csv', 'create.csv']);
          omniCreates.push({ ...t, rows: [...org.store.all('PresenceUserConfigUser')].length });
        } else sfCreates.push(await sfCreateRun());
      }
    }
    loads.push(loadavg()[0]);

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
    const omniMoveRun = async () => {
      const m = await moveOrg();
      const t = await omniBin(m.o, ['assign', 'apply', '--csv', 'move.csv']);
      const min = m.o.invariant().minConfiguredUsers;
      await m.o.stop();
      return { ...t, min };
    };
    const sfMoveRun = async () => {
      const m = await moveOrg();
      await loginSf(home, m.o, 'bench');
      m.o.resetStats();
      m.o.resetInvariant();
      sfCpu.total = 0;
      const started = performance.now();
      const oldRows = join(work, 'old-rows.csv');
      await sf(home, ['data', 'export', 'bulk', '-q', "SELECT Id, UserId FROM PresenceUserConfigUser WHERE PresenceUserConfig.DeveloperName = 'cfg_a'", '--output-file', oldRows, '--result-format', 'csv', '--wait', '10']);
      const old = readFileSync(oldRows, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map((v) => v.replace(/^"|"$/g, '')));
      writeFileSync(join(work, 'delete.csv'), `Id\n${old.map(([id]) => id).join('\n')}\n`);
      await sf(home, ['data', 'delete', 'bulk', '--file', join(work, 'delete.csv'), '--sobject', 'PresenceUserConfigUser', '--wait', '10']);
      writeFileSync(join(work, 'insert.csv'), `PresenceUserConfigId,UserId\n${old.map(([, user]) => `${m.b},${user}`).join('\n')}\n`);
      await sf(home, ['data', 'import', 'bulk', '--file', join(work, 'insert.csv'), '--sobject', 'PresenceUserConfigUser', '--wait', '10']);
      const ms = performance.now() - started;
      const st = m.o.stats();
      const min = m.o.invariant().minConfiguredUsers;
      await m.o.stop();
      return { ms, cpu: sfCpu.total, requests: st.total, byEndpoint: st.byEndpoint, writes: st.writes, min };
    };
    const omniMoves: Array<Timed & { min: number }> = [];
    const sfMoves: Array<Timed & { min: number }> = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      for (const side of pair % 2 ? ['sf', 'omni'] : ['omni', 'sf']) {
        if (side === 'omni') omniMoves.push(await omniMoveRun());
        else sfMoves.push(await sfMoveRun());
      }
    }
    loads.push(loadavg()[0]);

    // 4. 100,000 creates: requests against the floor.
    const big = await startLocalOrg({ port: 0, seedUsers: BIG, latencyMs: LATENCY });
    config(big, 'cfg_a');
    usersCsv('big.csv', BIG, 'cfg_a');
    const omniBig = await omniBin(big, ['assign', 'apply', '--csv', 'big.csv']);
    const bigRows = [...big.store.all('PresenceUserConfigUser')].length;
    await big.stop();
    const FLOOR = 11;

    loads.push(loadavg()[0]);
    /** Median wall and CPU of runs, each pair's wall ratio, and the median ratio (wall; CPU). */
    const summary = (omni: Timed[], peer: Timed[]) => {
      const wall = omni.map((o, i) => o.ms / peer[i].ms);
      const cpu = omni.map((o, i) => o.cpu! / peer[i].cpu!);
      return { omniMs: median(omni.map((t) => t.ms)), omniCpu: median(omni.map((t) => t.cpu!)), peerMs: median(peer.map((t) => t.ms)), peerCpu: median(peer.map((t) => t.cpu!)), wall: median(wall), cpu: median(cpu), pairs: wall.map((r) => r.toFixed(2)).join(', ') };
    };
    const create = summary(omniCreates, sfCreates);
    const move = summary(omniMoves, sfMoves);
    const reqs = (runs: Timed[]) => `${Math.min(...runs.map((r) => r.requests))}–${Math.max(...runs.map((r) => r.requests))}`;
    const createReqMax = Math.max(...omniCreates.map((r) => r.requests));
    const moveReqMax = Math.max(...omniMoves.map((r) => r.requests));
    const moveMin = Math.min(...omniMoves.map((r) => r.min));
    sections.push(
      '## Assign vs sf (issue #15)',
      '',
      `\`node bench/assign/peers.ts --pairs ${PAIRS}\` — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${cpus().length} CPUs shared with other developers, load average ${loads.map((l) => l.toFixed(1)).join(' → ')} (start → after creates → after moves → end). Local org with \`latencyMs: ${LATENCY}\`; requests counted by the org. omni runs through its bin (its own process) like sf; creates and moves in ${PAIRS} pairs (omni then sf, sf then omni, …), medians shown, and each pair's wall ratio. CPU = user + system seconds of the omni process, and of every sf process of the pipeline together (GNU time); the org runs in the bench process and counts on neither side. Under load wall time largely measures waiting for a CPU; the CPU ratio is the load-independent one.`,
      '',
      '| Figure | omni (median) | peer (median) | ratio: wall (pairs); CPU | target |',
      '|---|---|---|---|---|',
      `| 10,000 new assignments (\`--csv\`) | ${sec(create.omniMs)} (CPU ${create.omniCpu.toFixed(2)} s), **${reqs(omniCreates)} requests** (${endpoints(omniCreates[0])}), ${omniCreates.map((r) => r.rows).join('/')} rows | sf pipeline (\`sf data query\` config Id, \`sf data export bulk\` User, join, \`sf data import bulk\`): ${sec(create.peerMs)} (CPU ${create.peerCpu.toFixed(2)} s), ${reqs(sfCreates)} requests (${endpoints(sfCreates[0])}), ${sfCreates.map((r) => r.rows).join('/')} rows | **${create.wall.toFixed(2)}×** (${create.pairs}); ${create.cpu.toFixed(2)}× | ≤ 13 requests: ${ok(createReqMax <= 13)}; ≤ 0.15×: ${ok(create.wall <= 0.15)} |`,
      `| 10,000 moves cfg_a → cfg_b | ${sec(move.omniMs)} (CPU ${move.omniCpu.toFixed(2)} s), **${reqs(omniMoves)} requests** (${endpoints(omniMoves[0])}); fewest configured ${moveMin} of ${N} | sf \`data export bulk\` old rows, \`data delete bulk\`, \`data import bulk\`: ${sec(move.peerMs)} (CPU ${move.peerCpu.toFixed(2)} s), ${reqs(sfMoves)} requests; fewest configured ${Math.min(...sfMoves.map((r) => r.min))} of ${N} | **${move.wall.toFixed(2)}×** (${move.pairs}); ${move.cpu.toFixed(2)}× | ≤ 60 requests: ${ok(moveReqMax <= 60)}; ≤ 0.25×: ${ok(move.wall <= 0.25)}; nobody without one: ${ok(moveMin === N)} |`,
      ...reruns.map((r) => `| Re-run of 10,000, ${r.form} | ${sec(r.t.ms)}, **${r.t.requests} requests** (${endpoints(r.t)}), ${r.t.writes} writes, status ${r.status} | — | — | ≤ 7 requests, 0 writes: ${ok(r.t.requests <= 7 && r.t.writes === 0)} |`),
      `| 100,000 new assignments (\`--csv\`) | ${sec(omniBig.ms)}, **${omniBig.requests} requests** (${endpoints(omniBig)}), ${bigRows} rows | floor 11 (session 2, catalog batch 1, Bulk query of User 3, ingest job 5) | ${(omniBig.requests / FLOOR).toFixed(2)}× the floor | ≤ 1.2×: ${ok(omniBig.requests <= FLOOR * 1.2)} |`,
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
