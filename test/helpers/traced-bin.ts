/**
 * The `omni` bin as a process with every module it loads recorded: a one-file project (the sample's
 * Case_Agents presence configuration, API 66.0) in a temporary folder, and `traced(args)`, which runs
 * scripts/omni.mjs there with a load hook registered before the bin's own and returns its exit code, output
 * and the loaded module URLs (the bin's own TypeScript, loaded through its hooks, is not among them).
 * Used by the tests that hold the bin to what it loads (sf-core-subset, stand-ins).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './paths.ts';

/** The project's pinned Node (node_modules/.bin/node). */
export const NODE = path.join(REPO_ROOT, 'node_modules/.bin/node');

/** A `--import` module that writes every module URL the process loads to $OMNI_TRACE_OUT at exit. */
export const MODULE_TRACER = `data:text/javascript,${encodeURIComponent(
  'import{registerHooks}from"node:module";import{writeFileSync}from"node:fs";const seen=new Set();' +
    'registerHooks({load(url,context,next){seen.add(url);return next(url,context)}});' +
    'process.on("exit",()=>writeFileSync(process.env.OMNI_TRACE_OUT,[...seen].join("\\n")))',
)}`;

export interface TracedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Module URLs the process loaded, in load order. */
  loaded: string[];
}

/** A temporary one-file project (`dir`), `traced(args)` to run the bin in it, `cleanup()` to remove it. */
export function tracedBinProject(prefix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const configs = 'force-app/main/default/presenceUserConfigs';
  mkdirSync(path.join(dir, configs), { recursive: true });
  writeFileSync(path.join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
  copyFileSync(path.join(REPO_ROOT, configs, 'Case_Agents.presenceUserConfig-meta.xml'), path.join(dir, configs, 'Case_Agents.presenceUserConfig-meta.xml'));
  const traced = (args: string[]): TracedRun => {
    const out = path.join(dir, 'loaded.txt');
    const run = spawnSync(NODE, ['--import', MODULE_TRACER, path.join(REPO_ROOT, 'scripts/omni.mjs'), ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', OMNI_TRACE_OUT: out },
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr, loaded: readFileSync(out, 'utf8').split('\n') };
  };
  return { dir, traced, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
