/**
 * The project as deploy/retrieve/plan see it: root (sfdx-project.json), package directories,
 * sourceApiVersion and the parsed Omni documents under the given source paths.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { catalogueError } from '../lib/messages.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { defaultPackageDirectory, findProjectRoot, listMetadataFiles, parseApiVersion, packageDirectoryPaths, readMetadataFile, readSfdxProject, refusedDiagnostic, type RefusedMetadataPath } from '../metadata/project.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';

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

/**
 * The project around `cwd` (found from any subfolder, as sf does) through the one project reader.
 * @throws OmniError `NoProjectFound` outside a project, `InvalidProject` for a broken sfdx-project.json.
 */
export async function readProject(cwd: string): Promise<{ projectRoot: string; packageDirs: string[]; defaultPackageDir: string; sourceApiVersion?: string }> {
  const project = readSfdxProject(findProjectRoot(cwd));
  return {
    projectRoot: project.root,
    packageDirs: packageDirectoryPaths(project),
    defaultPackageDir: defaultPackageDirectory(project),
    sourceApiVersion: project.sourceApiVersion,
  };
}

export async function loadProjectDocuments(cwd: string, sourceDirs: string[]): Promise<ProjectDocuments> {
  const project = await readProject(cwd);
  const sourcePaths = sourceDirs.length ? sourceDirs.map((d) => resolve(cwd, d)) : project.packageDirs;
  const existing: string[] = [];
  for (const p of sourcePaths) {
    if (existsSync(p)) existing.push(p);
    else if (sourceDirs.length) throw catalogueError('PathNotFound', { variant: 'sourceDir', tokens: [p] });
  }
  // The same listing as omni validate: registry types only, .forceignore honoured.
  const refused: RefusedMetadataPath[] = [];
  const files = (await listMetadataFiles(existing, refused)).map((f) => f.path);
  const documents: MetadataDocument[] = [];
  // The same reading as validate and deploy: links, folders and pipes with metadata names are refused, located.
  const diagnostics: Diagnostic[] = refused.map((r) => refusedDiagnostic(r, project.projectRoot));
  const apiVersion = project.sourceApiVersion !== undefined ? parseApiVersion(project.sourceApiVersion) : undefined;
  for (const file of [...new Set(files)].sort()) {
    const parsed = await readMetadataFile(file, project.projectRoot, apiVersion);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.document) documents.push(parsed.document);
  }
  return { ...project, sourcePaths, documents, diagnostics };
}
