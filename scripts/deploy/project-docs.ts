/**
 * The project as deploy/retrieve/plan see it: root (sfdx-project.json), package directories,
 * sourceApiVersion and the parsed Omni documents under the given source paths.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { OmniError } from '../cli/errors.ts';
import { parseMetadata } from '../metadata/document.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { typeForFile } from '../metadata/registry.ts';
import type { Diagnostic } from '../validate/diagnostic.ts';
import { findProjectRootOrCwd } from './source.ts';

export interface ProjectDocuments {
  projectRoot: string;
  /** Absolute path of the default package directory. */
  defaultPackageDir: string;
  packageDirs: string[];
  sourceApiVersion?: string;
  /** Absolute source paths that were read. */
  sourcePaths: string[];
  documents: MetadataDocument[];
  diagnostics: Diagnostic[];
}

interface SfdxProject {
  packageDirectories?: Array<{ path: string; default?: boolean }>;
  sourceApiVersion?: string;
}

export async function readProject(cwd: string): Promise<{ projectRoot: string; packageDirs: string[]; defaultPackageDir: string; sourceApiVersion?: string }> {
  const projectRoot = await findProjectRootOrCwd(cwd);
  let sfdx: SfdxProject;
  try {
    sfdx = JSON.parse(await readFile(join(projectRoot, 'sfdx-project.json'), 'utf8')) as SfdxProject;
  } catch (error) {
    throw new OmniError(`No readable sfdx-project.json in ${projectRoot} or above.`, {
      name: 'NoProject',
      cause: error,
      actions: ['Run the command inside a Salesforce DX project (the folder with sfdx-project.json).'],
    });
  }
  const dirs = sfdx.packageDirectories?.length ? sfdx.packageDirectories : [{ path: 'force-app', default: true }];
  const packageDirs = dirs.map((d) => resolve(projectRoot, d.path));
  const def = dirs.find((d) => d.default) ?? dirs[0];
  return { projectRoot, packageDirs, defaultPackageDir: resolve(projectRoot, def.path), sourceApiVersion: sfdx.sourceApiVersion };
}

async function walk(path: string, out: string[]): Promise<void> {
  const s = await stat(path);
  if (s.isFile()) {
    out.push(path);
    return;
  }
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const p = join(path, entry.name);
    if (entry.isDirectory()) await walk(p, out);
    else if (entry.isFile()) out.push(p);
  }
}

export async function loadProjectDocuments(cwd: string, sourceDirs: string[]): Promise<ProjectDocuments> {
  const project = await readProject(cwd);
  const sourcePaths = sourceDirs.length ? sourceDirs.map((d) => resolve(cwd, d)) : project.packageDirs;
  const files: string[] = [];
  for (const p of sourcePaths) {
    try {
      await walk(p, files);
    } catch {
      if (sourceDirs.length) throw new OmniError(`Source path not found: ${p}`, { name: 'SourceNotFound', exitCode: 2, actions: ['Check --source-dir.'] });
    }
  }
  const documents: MetadataDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files.sort()) {
    if (!typeForFile(file)) continue;
    const path = relative(project.projectRoot, file).split(sep).join('/');
    const parsed = parseMetadata(await readFile(file, 'utf8'), { path });
    diagnostics.push(...parsed.diagnostics);
    if (parsed.document) documents.push(parsed.document);
  }
  return { ...project, sourcePaths, documents, diagnostics };
}
