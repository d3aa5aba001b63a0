/**
 * Peak memory of `omni assign plan --csv` as the number of users grows (25,000, 50,000, 100,000 by default):
 * the bin in its own process under GNU time (`%M`), against a local org holding that many agents, half of
 * them already assigned (so the plan reads existing rows too). Reports peak RSS, MiB per 10,000 users
 * between sizes (linearity) and requests counted by the org. Writes `## Assign plan memory` in bench/RESULTS.md.
 *
 *   node bench/assign/plan-memory.ts [users…]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { seedUsername, startLocalOrg } from '../../local-org/index.ts';
import { writeResultsSection } from '../results.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (!sizes.length) sizes.push(25_000, 50_000, 100_000);
const work = mkdtempSync(join(tmpdir(), 'omni-bench-plan-'));

interface Row {
  users: number;
  peakMiB: number;
  wall: number;
  requests: number;
  code: number | null;
}

const rows: Row[] = [];
try {
  for (const users of sizes) {
    const org = await startLocalOrg({ port: 0, seedUsers: users });
    const configId = org.store.insert('PresenceUserConfig', { DeveloperName: 'bench_cfg', MasterLabel: 'bench_cfg', Capacity: 3 }, { system: true }).Id;
    org.store.insert('PresenceUserConfig', { DeveloperName: 'other_cfg', MasterLabel: 'other_cfg', Capacity: 3 }, { system: true });
    // Half the agents already hold bench_cfg: the plan has creates and unchanged rows to tell apart.
    const ids = [...org.store.all('User')].filter((u) => String(u.Username).startsWith('seed.agent')).map((u) => u.Id as string);
    for (const id of ids.slice(0, Math.floor(users / 2))) org.store.insert('PresenceUserConfigUser', { PresenceUserConfigId: configId, UserId: id }, { system: true });
    const lines = ['username,presenceConfig'];
    for (let i = 1; i <= users; i++) lines.push(`${seedUsername(i)},${i % 3 === 0 ? 'other_cfg' : 'bench_cfg'}`);
    writeFileSync(join(work, 'users.csv'), `${lines.join('\n')}\n`);
    org.resetStats();
    const timeFile = join(work, 'time');
    const code = await new Promise<number | null>((done) => {
      // Asynchronous: the org answers from this process's event loop.
      const child = spawn('/usr/bin/time', ['-o', timeFile, '-f', '%e %M', process.execPath, join(ROOT, 'scripts/omni.mjs'), 'assign', 'plan', '--csv', 'users.csv', '--instance-url', org.instanceUrl, '--json'], {
        cwd: work,
        env: { ...process.env, CI: 'true', SF_DISABLE_TELEMETRY: 'true', SF_ACCESS_TOKEN: org.accessToken },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.on('close', done);
    });
    const [wall, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    const row = { users, code, peakMiB: kb / 1024, wall, requests: org.stats().total };
    console.log(JSON.stringify(row));
    rows.push(row);
    await org.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const loadNow = loadavg()[0].toFixed(1);
const perTenK = (a: Row, b: Row) => (((b.peakMiB - a.peakMiB) / (b.users - a.users)) * 10_000).toFixed(1);
const section = [
  '## Assign plan memory',
  '',
  `\`node bench/assign/plan-memory.ts ${sizes.join(' ')}\` — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, load average ${loadNow} (shared machine). \`omni assign plan --csv\` through the bin, its own process, peak RSS by GNU time; local org without latency, half the agents already holding the configuration; a third of the CSV asks for another configuration (moves).`,
  '',
  '| Users | Peak RSS | MiB per 10,000 more users | Wall | Requests (org) | Exit | Target |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r, i) => `| ${r.users.toLocaleString('en-US')} | ${r.peakMiB.toFixed(0)} MiB | ${i ? perTenK(rows[i - 1], r) : '—'} | ${r.wall.toFixed(2)} s | ${r.requests} | ${r.code} | ${r.users === 100_000 ? `≤ 250 MiB: ${r.peakMiB <= 250 ? 'met' : '**missed**'}` : ''} |`),
  '',
].join('\n');
await writeResultsSection(section);
