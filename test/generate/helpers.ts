/** Test helpers for the generator: throwaway SFDX projects and the real `omni` bin. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
/** The corpus and the reference live next to the repo (`../shared/...`), never copied into it. */
export const SHARED = path.resolve(REPO_ROOT, '../shared');
export const XSD = path.join(SHARED, 'reference', 'omni-metadata.xsd');
export const NODE = path.join(REPO_ROOT, 'node_modules', '.bin', 'node');
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

/** Runs the real bin with the pinned node: `node scripts/omni.ts …` in `cwd`. */
export function omni(args: string[], cwd: string): CliRun {
  const run = spawnSync(NODE, [path.join(REPO_ROOT, 'scripts', 'omni.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
  });
  let json: CliRun['json'];
  if (args.includes('--json')) {
    try {
      json = JSON.parse(run.stdout);
    } catch {
      json = undefined;
    }
  }
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, json };
}
