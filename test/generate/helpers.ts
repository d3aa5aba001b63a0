/** Test helpers for the generator: throwaway SFDX projects and the real `omni` bin. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { omniOffline } from '../helpers/omni.ts';
import { REPO_ROOT, SHARED } from '../helpers/paths.ts';
import { makeProject } from '../helpers/project.ts';

export { REPO_ROOT, SHARED };
export const XSD = path.join(SHARED, 'reference', 'omni-metadata.xsd');
export const GOLDEN = path.join(import.meta.dirname, 'golden');

/**
 * A temp SFDX project (force-app default, given sourceApiVersion, an empty config/) with an optional spec at
 * config/omni-channel.yaml: `spec` as text or a copy of `specFrom`. Returns its root.
 */
export function specProject(options: { apiVersion?: string; spec?: string; specFrom?: string } = {}): string {
  const spec = options.spec ?? (options.specFrom ? readFileSync(options.specFrom, 'utf8') : undefined);
  return makeProject({
    apiVersion: options.apiVersion ?? '66.0',
    dirs: ['config'],
    files: spec === undefined ? {} : { 'config/omni-channel.yaml': spec },
    prefix: 'omni-gen-',
  }).dir;
}

/** All files below `dir`, as sorted paths relative to it (forward slashes). */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  json?: { status: number; result: any; warnings: string[]; message?: string; name?: string };
}

/**
 * `omni …` in `cwd` through the CLI entry in-process (captured streams, CI=true, NO_COLOR): the same code
 * path as the bin without a process per call. The process boundary itself is tested in test/cli/.
 */
export async function omni(args: string[], cwd: string): Promise<CliRun> {
  const run = await omniOffline(cwd, args, { NO_COLOR: '1' });
  return { status: run.code, stdout: run.stdout, stderr: run.stderr, json: args.includes('--json') ? run.json : undefined };
}
