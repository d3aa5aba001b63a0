/**
 * Peak memory of `omni assign plan --csv` as the number of users grows (25,000, 50,000, 100,000 by default):
 * the bin in its own process under GNU time (`%M` peak RSS, user + system CPU), against a local org holding
 * that many agents, half of them already assigned (so the plan reads existing rows too) and a third of the
 * CSV asking for another configuration (moves). Each size runs `--runs` times (default 3); the table gives
 * medians and ranges, MiB per 10,000 more users between sizes (linearity), requests counted by the org, and
 * what the command adds above its own start: the same command for a 10-user CSV against the same org.
 * `--against <checkout>` also runs that checkout's bin (e.g. a worktree at an older commit), alternating
 * run by run (A B A B …), and reports its figures and the ratio pair by pair. `--output` picks what the
 * command prints: `json` (`--json`, the envelope), `human` (the default output an admin reads: up to 200 rows
 * as sf's table, then the summary) or `both` (default; the two alternate within each run, one table row
 * each). Writes `## Assign plan memory` in bench/RESULTS.md.
 *
 *   node bench/assign/plan-memory.ts [--runs N] [--against <checkout>] [--output human|json|both] [users…]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { seedUsername, startLocalOrg, type LocalOrg } from '../../local-org/index.ts';
import { median, runStamp, writeResultsSection } from '../results.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv.splice(at, 2)[1] : undefined;
};
const runs = Number(option('--runs') ?? 3);
const against = option('--against');
const outputOption = option('--output') ?? 'both';
if (!['human', 'json', 'both'].includes(outputOption)) throw new Error(`--output human|json|both, not ${outputOption}`);
type Output = 'human' | 'json';
const outputs: Output[] = outputOption === 'both' ? ['human', 'json'] : [outputOption as Output];
const sizes = argv.map(Number).filter((n) => n > 0);
if (!sizes.length) sizes.push(25_000, 50_000, 100_000);
const work = mkdtempSync(join(tmpdir(), 'omni-bench-plan-'));
const loads = [loadavg()[0]];

interface Run {
  peakMiB: number;
  cpu: number;
  wall: number;
  requests: number;
  code: number | null;
}

/** One `omni assign plan --csv <csv>` (with `--json` for the json output) of the bin under `root`, measured by GNU time. */
async function plan(org: LocalOrg, root: string, csv: string, output: Output): Promise<Run> {
  org.resetStats();
  const timeFile = join(work, 'time');
  const code = await new Promise<number | null>((done) => {
    // Asynchronous: the org answers from this process's event loop.
    const child = spawn('/usr/bin/time', ['-o', timeFile, '-f', '%e %U %S %M', process.execPath, join(root, 'scripts/omni.mjs'), 'assign', 'plan', '--csv', csv, '--instance-url', org.instanceUrl, ...(output === 'json' ? ['--json'] : [])], {
      cwd: work,
      env: { ...process.env, CI: 'true', SF_DISABLE_TELEMETRY: 'true', SF_ACCESS_TOKEN: org.accessToken },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('close', done);
  });
  const [wall, user, system, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { peakMiB: kb / 1024, cpu: user + system, wall, requests: org.stats().total, code };
}

interface Row {
  users: number;
  output: Output;
  start: Run[];
  ours: Run[];
  theirs: Run[];
}

const rows: Row[] = [];
try {
  for (const users of sizes) {
    const org = await startLocalOrg({ port: 0, seedUsers: users });
    const configId = org.store.insert('PresenceUserConfig', { DeveloperName: 'bench_cfg', MasterLabel: 'bench_cfg', Capacity: 3 }, { system: true }).Id;
    org.store.insert('PresenceUserConfig', { DeveloperName: 'other_cfg', MasterLabel: 'other_cfg', Capacity: 3 }, { system: true });
    // Half the agents already hold bench_cfg: the plan has creates, moves and unchanged rows to tell apart.
    const ids = [...org.store.all('User')].filter((u) => String(u.Username).startsWith('seed.agent')).map((u) => u.Id as string);
    for (const id of ids.slice(0, Math.floor(users / 2))) org.store.insert('PresenceUserConfigUser', { PresenceUserConfigId: configId, UserId: id }, { system: true });
    const lines = ['username,presenceConfig'];
    for (let i = 1; i <= users; i++) lines.push(`${seedUsername(i)},${i % 3 === 0 ? 'other_cfg' : 'bench_cfg'}`);
    writeFileSync(join(work, 'users.csv'), `${lines.join('\n')}\n`);
    writeFileSync(join(work, 'ten.csv'), `${lines.slice(0, 11).join('\n')}\n`);
    const byOutput = new Map(outputs.map((output) => [output, { users, output, start: [], ours: [], theirs: [] } as Row]));
    for (let i = 0; i < runs; i++) {
      // Alternating which goes first (output, then checkout), so that load hits all alike.
      for (const output of i % 2 ? [...outputs].reverse() : outputs) {
        const row = byOutput.get(output)!;
        const order = against && i % 2 ? ['theirs', 'ours'] : ['ours', 'theirs'];
        for (const who of order) {
          if (who === 'theirs' && !against) continue;
          const r = await plan(org, who === 'ours' ? ROOT : against!, 'users.csv', output);
          console.log(JSON.stringify({ users, output, who, ...r }));
          row[who as 'ours' | 'theirs'].push(r);
        }
        row.start.push(await plan(org, ROOT, 'ten.csv', output));
      }
      loads.push(loadavg()[0]);
    }
    rows.push(...byOutput.values());
    await org.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const mib = (xs: number[]) => `${median(xs).toFixed(0)} MiB (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
const peak = (r: Run[]) => median(r.map((x) => x.peakMiB));
const previous = (r: Row) => rows.findLast((x) => x.output === r.output && x.users < r.users);
const perTenK = (a: Row, b: Row, side: 'ours' | 'theirs') => (((peak(b[side]) - peak(a[side])) / (b.users - a.users)) * 10_000).toFixed(1);
const codes = (r: Run[]) => [...new Set(r.map((x) => x.code))].join(' ');
const command = `node bench/assign/plan-memory.ts --runs ${runs}${against ? ' --against <checkout>' : ''}${outputOption === 'both' ? '' : ` --output ${outputOption}`} ${sizes.join(' ')}`;
const outputName = (o: Output) => (o === 'json' ? '`--json`' : 'human');
const section = [
  '## Assign plan memory',
  '',
  `${runStamp(command, loads)} \`omni assign plan --csv\` through the bin, its own process, peak RSS and CPU (user + system) by GNU time, ${runs} runs per size (median, range); local org without latency, half the agents already holding the configuration, a third of the CSV asking for another one (moves). "Start" is the same command for a 10-user CSV against the same org (process, @salesforce/core, the session): the command's own share is the difference. Output: \`--json\` (the envelope) and/or human (the default: up to 200 rows as sf's table, @oclif/table, then the summary; stdout to a pipe, \`CI=true\`), alternated within each run.`,
  '',
  '| Users | Output | Peak RSS | above start | MiB per 10,000 more users | CPU | Wall | Requests (org) | Exit | Target |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.users.toLocaleString('en-US')} | ${outputName(r.output)} | ${mib(r.ours.map((x) => x.peakMiB))} | ${(peak(r.ours) - peak(r.start)).toFixed(0)} MiB (start ${peak(r.start).toFixed(0)}) | ${previous(r) ? perTenK(previous(r)!, r, 'ours') : '—'} | ${median(r.ours.map((x) => x.cpu)).toFixed(2)} s | ${median(r.ours.map((x) => x.wall)).toFixed(2)} s | ${median(r.ours.map((x) => x.requests))} | ${codes(r.ours)} | ${r.users === 100_000 ? `≤ 250 MiB: ${peak(r.ours) <= 250 ? 'met' : '**missed**'}` : ''} |`,
  ),
  ...(against
    ? [
        '',
        `Against the other checkout (\`--against\`), same org, runs alternated:`,
        '',
        '| Users | Output | other: peak RSS | other: CPU | this / other peak (per pair) | this / other CPU (median) |',
        '|---|---|---|---|---|---|',
        ...rows.map((r) => {
          const pairs = r.ours.map((x, i) => x.peakMiB / r.theirs[i].peakMiB);
          return `| ${r.users.toLocaleString('en-US')} | ${outputName(r.output)} | ${mib(r.theirs.map((x) => x.peakMiB))} | ${median(r.theirs.map((x) => x.cpu)).toFixed(2)} s | ${median(pairs).toFixed(2)} (${pairs.map((p) => p.toFixed(2)).join(', ')}) | ${(median(r.ours.map((x) => x.cpu)) / median(r.theirs.map((x) => x.cpu))).toFixed(2)} |`;
        }),
      ]
    : []),
  '',
].join('\n');
await writeResultsSection(section);
console.log(section);
