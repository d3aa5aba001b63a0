/**
 * What an org command loads, and when: runs the bin (scripts/omni.mjs) against a local org through an sf alias with
 * a module tracer registered before the bin's own hooks, and prints the modules per package with the process's CPU
 * (user + sys) at the first module of each, plus the total. For finding what a command loads but never calls.
 *
 * Run: node bench/cli/org-modules.ts [command words…]   (default: doctor; e.g. `assign plan --user admin`)
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { aliasFor } from '../../test/assign/cli-org.ts';
import { REPO_ROOT, startTestOrg } from '../../test/helpers/local-org.ts';
import { makeProject } from '../../test/helpers/project.ts';

const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');
/** A `--import` module that writes `cpu-ms url` for every module load to $OMNI_TRACE_OUT at exit. */
const TRACER = `data:text/javascript,${encodeURIComponent(
  'import{registerHooks}from"node:module";import{writeFileSync}from"node:fs";const seen=[];' +
    'registerHooks({load(url,context,next){const c=process.cpuUsage();seen.push(((c.user+c.system)/1000).toFixed(0)+" "+url);return next(url,context)}});' +
    'process.on("exit",()=>{const c=process.cpuUsage();seen.push(((c.user+c.system)/1000).toFixed(0)+" exit");writeFileSync(process.env.OMNI_TRACE_OUT,seen.join("\\n"))})',
)}`;

const words = process.argv.slice(2);
const org = await startTestOrg({ seedUsers: 100 });
const alias = await aliasFor(org, 'bench-modules');
const project = makeProject();
const out = join(project.dir, 'trace.txt');
const args = (words.length ? words : ['doctor']).map((w) => (w === 'admin' ? org.username : w));
try {
  const run = () =>
    promisify(execFile)(NODE, ['--import', TRACER, join(REPO_ROOT, 'scripts', 'omni.mjs'), ...args, '--target-org', alias.alias, '--json'], { cwd: project.dir, env: { ...alias.env, OMNI_TRACE_OUT: out }, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout: string }) => error);
  await run(); // caches warm
  const { stdout } = await run();
  console.log(`status ${JSON.parse(stdout).status}`);
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split(' ') as [string, string]);
  const packageOf = (url: string) => {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    return m ? m[1] : url.startsWith('node:') ? 'node:' : url.includes('/scripts/') ? 'project' : url;
  };
  const rows = new Map<string, { first: number; count: number }>();
  for (const [cpu, url] of lines) {
    if (url === 'exit') continue;
    const key = packageOf(url);
    const row = rows.get(key) ?? { first: Number(cpu), count: 0 };
    row.count++;
    rows.set(key, row);
  }
  for (const [key, row] of [...rows].sort((a, b) => a[1].first - b[1].first)) console.log(`${String(row.first).padStart(6)} ms ${String(row.count).padStart(5)}  ${key}`);
  console.log(`${lines.at(-1)![0].padStart(6)} ms total, ${lines.length - 1} modules`);
  if (process.env.TRACE_ALL) console.log(lines.map((l) => l.join(' ')).join('\n'));
} finally {
  project.cleanup();
  alias.cleanup();
  await org.stop();
}
