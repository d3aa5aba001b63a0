/**
 * Where an org command's CPU goes: runs the bin (scripts/omni.mjs) against a local org through an sf alias with V8's
 * sampling profiler (`--cpu-prof`) and prints the self time per package (the project's own files per folder), the
 * garbage collector, V8's compiler and Node's builtins, and the heaviest functions. The default command is the one the
 * suite spawns most: `omni assign apply --csv` of 3,000 agents (test/assign/kill-loop.test.ts), a move of every agent.
 *
 * Run: node bench/cli/org-profile.ts [--runs N] [--top N] [command words…]   (`admin` is the org's admin username;
 *      `agents.csv` is the 3,000-agent CSV written into the project). The profiles stay in the printed folder.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { aliasFor } from '../../test/assign/cli-org.ts';
import { REPO_ROOT, startTestOrg } from '../../test/helpers/local-org.ts';
import { makeProject } from '../../test/helpers/project.ts';
import { seedUsername } from '../../local-org/seed.ts';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const [, value] = argv.splice(i, 2);
  return Number(value);
};
const runs = option('--runs', 3);
const top = option('--top', 25);
const AGENTS = 3000;
const words = argv.length ? argv : ['assign', 'apply', '--csv', 'agents.csv', '--no-prompt'];

const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');
const org = await startTestOrg({ seedUsers: AGENTS });
const alias = await aliasFor(org, 'bench-profile');
const project = makeProject();
const profiles = join(tmpdir(), `omni-org-profile-${process.pid}`);
mkdirSync(profiles, { recursive: true });
for (const name of ['cfg_a', 'cfg_b']) org.store.insert('PresenceUserConfig', { DeveloperName: name, MasterLabel: name, Capacity: 3 }, { system: true });

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** The bucket a frame's self time counts to. */
function bucket(frame: Node['callFrame']): string {
  const { functionName, url } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url.startsWith('node:internal/modules') ? 'node: module loader' : 'node: other builtins';
  const own = /\/(scripts\/[^/]+)\//.exec(url);
  return own ? own[1] : url;
}

try {
  const totals = new Map<string, number>();
  const functions = new Map<string, number>();
  let all = 0;
  for (let run = 0; run <= runs; run++) {
    // Each run a move of every agent (cfg_a ⇄ cfg_b), as kill-loop's trials.
    const target = run % 2 ? 'cfg_a' : 'cfg_b';
    writeFileSync(join(project.dir, 'agents.csv'), ['username,presenceConfig', ...Array.from({ length: AGENTS }, (_, i) => `${seedUsername(i + 1)},${target}`)].join('\n') + '\n');
    const dir = join(profiles, String(run));
    const args = words.map((w) => (w === 'admin' ? org.username : w));
    const { stdout } = await promisify(execFile)(NODE, ['--cpu-prof', '--cpu-prof-dir', dir, join(REPO_ROOT, 'scripts', 'omni.mjs'), ...args, '--target-org', alias.alias, '--json'], { cwd: project.dir, env: alias.env, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout: string }) => error);
    const status = JSON.parse(stdout).status;
    if (run === 0) continue; // caches warm (stripped TypeScript, Node's compile cache)
    const [file] = readdirSync(dir);
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id)!.callFrame;
      const ms = profile.timeDeltas[i] / 1000;
      all += ms;
      totals.set(bucket(frame), (totals.get(bucket(frame)) ?? 0) + ms);
      const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/scripts\//, 'scripts/')}:${frame.lineNumber + 1}`;
      functions.set(key, (functions.get(key) ?? 0) + ms);
    });
    console.log(`run ${run}: status ${status}, ${profile.samples.length} samples`);
  }
  console.log(`\n\`omni ${words.join(' ')}\`: self time per run (mean of ${runs}), ${(all / runs).toFixed(0)} ms profiled; profiles in ${profiles}\n`);
  for (const [key, ms] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(ms / runs).toFixed(1).padStart(8)} ms  ${key}`);
  console.log('\nHeaviest functions (self):');
  for (const [key, ms] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(ms / runs).toFixed(1).padStart(8)} ms  ${key}`);
} finally {
  project.cleanup();
  alias.cleanup();
  await org.stop();
}
