/**
 * The one throwaway SFDX project for tests: a copy of the repository's sample (or of chosen entries), or a
 * project written from scratch, plus any files on top. Each lives in its own temp folder.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './paths.ts';

/** The sample project as the deploy tests need it: the project file, .forceignore and force-app. */
export const SAMPLE = ['sfdx-project.json', '.forceignore', 'force-app'] as const;
/** The sample with its spec and assignment files (config/), as setup and the record-settings tests need it. */
export const SAMPLE_WITH_CONFIG = [...SAMPLE, 'config'] as const;

export interface ProjectOptions {
  /**
   * Repository entries copied in (paths relative to the repository root). Default: `SAMPLE`, unless
   * `packageDirectories`, `apiVersion` or `sfdxProject` ask for a written sfdx-project.json (then none).
   */
  copy?: readonly string[];
  /** A written sfdx-project.json with these package directories (the first is the default); each is created. */
  packageDirectories?: readonly string[];
  /** `sourceApiVersion` of the written sfdx-project.json (default 66.0). */
  apiVersion?: string;
  /** sfdx-project.json written verbatim (for tests of odd or broken project files). */
  sfdxProject?: object;
  /** Files written on top (path relative to the project root → content); their folders are created. */
  files?: Record<string, string>;
  /** Empty folders to create (e.g. `config` for a spec that does not exist yet). */
  dirs?: readonly string[];
  /** Temp folder name prefix, to tell the projects of one test file apart in /tmp. */
  prefix?: string;
}

export interface TempProject {
  /** The project root. */
  dir: string;
  /** Removes the folder (safe to call twice). */
  cleanup(): void;
}

/** A new temp project as `options` describe it. */
export function makeProject(options: ProjectOptions = {}): TempProject {
  const dir = mkdtempSync(path.join(tmpdir(), options.prefix ?? 'omni-project-'));
  const written = options.sfdxProject !== undefined || options.packageDirectories !== undefined || options.apiVersion !== undefined;
  for (const entry of options.copy ?? (written ? [] : SAMPLE)) cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
  if (options.sfdxProject !== undefined) {
    writeFileSync(path.join(dir, 'sfdx-project.json'), JSON.stringify(options.sfdxProject));
  } else if (written) {
    const packageDirectories = options.packageDirectories ?? ['force-app'];
    writeFileSync(
      path.join(dir, 'sfdx-project.json'),
      JSON.stringify(
        { packageDirectories: packageDirectories.map((p, i) => ({ path: p, default: i === 0 })), name: 'omni-test', namespace: '', sourceApiVersion: options.apiVersion ?? '66.0' },
        null,
        2,
      ),
    );
    for (const p of packageDirectories) mkdirSync(path.join(dir, p), { recursive: true });
  }
  for (const d of options.dirs ?? []) mkdirSync(path.join(dir, d), { recursive: true });
  for (const [file, content] of Object.entries(options.files ?? {})) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
