/** Test helpers for the generator: throwaway SFDX projects and the real `omni` bin. */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { omniOffline } from '../helpers/omni.ts';
import { REPO_ROOT } from '../helpers/paths.ts';

export { REPO_ROOT };
/** The corpus and the reference live next to the repo (`../shared/...`), never copied into it. */
export const SHARED = path.resolve(REPO_ROOT, '../shared');
export const XSD = path.join(SHARED, 'reference', 'omni-metadata.xsd');
export const GOLDEN = path.join(import.meta.dirname, 'golden');

/** A temp SFDX project (force-app default, given sourceApiVersion) with an optional spec at config/omni-channel.yaml. */
export function makeProject(options: { apiVersion?: string; spec?: string; specFrom?: string } = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'omni-gen-'));
  writeFileSync(
    path.join(root, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], name: 'gen-test', namespace: '', sourceApiVersion: options.apiVersion ?? '66.0' }, null, 2),
  );
  mkdirSync(path.join(root, 'config'));
  mkdirSync(path.join(root, 'force-app'));
  if (options.specFrom) copyFileSync(options.specFrom, path.join(root, 'config', 'omni-channel.yaml'));
  if (options.spec !== undefined) writeFileSync(path.join(root, 'config', 'omni-channel.yaml'), options.spec);
  return root;
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
