/**
 * What `omni generate` does, as a library: plan the files the spec describes (created / updated /
 * unchanged), find files of the spec's types that the spec doesn't describe (extra), then apply.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../validate/diagnostic.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { listMetadataFiles, readSfdxProject } from '../metadata/project.ts';
import { sourceFilePath, typeForFile } from '../metadata/registry.ts';
import { serializeMetadata } from '../metadata/serialize.ts';
import { writeFileAtomic } from '../metadata/write.ts';
import { specToDocuments } from './compile.ts';
import { loadSpec } from './load.ts';
import { TYPE_MAPPINGS } from './mapping.ts';
import { renderJsonSchema, type OmniSpec } from './schema.ts';
import { setStatusAccesses } from './status-access.ts';

export type FileAction = 'created' | 'updated' | 'unchanged';

export interface PlannedFile {
  /** Path relative to the project root (forward slashes). */
  path: string;
  absolutePath: string;
  type: string;
  fullName: string;
  action: FileAction;
  /** Current content ('' when the file doesn't exist). */
  before: string;
  after: string;
}

export interface ExtraFile {
  path: string;
  absolutePath: string;
  type: string;
  fullName: string;
}

export interface GenerationPlan {
  apiVersion?: string;
  outDir: string;
  files: PlannedFile[];
  extra: ExtraFile[];
  diagnostics: Diagnostic[];
}

export interface PlanOptions {
  /** Spec file, absolute or relative to the process cwd. */
  specFile: string;
  /** Output package directory (relative to the project root or absolute); default: the default package directory. */
  outDir?: string;
  projectRoot: string;
  apiVersion?: string;
}

/** Types the spec owns completely: a file of these types the spec doesn't describe is "extra". */
const OWNED_TYPES = new Set(TYPE_MAPPINGS.filter((m) => m.type !== 'PermissionSet').map((m) => m.type));

export async function planGeneration(options: PlanOptions): Promise<GenerationPlan> {
  const root = path.resolve(options.projectRoot);
  const specFile = path.resolve(options.specFile);
  const loaded = await loadSpec(specFile, { projectRoot: root, apiVersion: options.apiVersion });
  const outDir = path.resolve(root, options.outDir ?? (await defaultPackageDir(root)));
  const plan: GenerationPlan = { apiVersion: loaded.apiVersion, outDir, files: [], extra: [], diagnostics: loaded.diagnostics };
  if (!loaded.spec || !loaded.apiVersion || loaded.diagnostics.some((d) => d.severity === 'error')) return plan;

  const documents = specToDocuments(loaded.spec, { apiVersion: loaded.apiVersion, locate: loaded.locate, file: loaded.displayFile });
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
  for (const doc of documents) {
    const absolutePath = path.join(outDir, sourceFilePath(doc.type, doc.fullName));
    const before = await readIfExists(absolutePath);
    const after = renderFile(doc, before, loaded.spec);
    plan.files.push({ path: rel(absolutePath), absolutePath, type: doc.type.name, fullName: doc.fullName, action: actionFor(before, after), before: before ?? '', after });
  }

  // The spec names its JSON Schema for editors; keep that file current too, so it can never drift.
  const schemaRef = await schemaReference(specFile);
  if (schemaRef) {
    const absolutePath = path.resolve(path.dirname(specFile), schemaRef);
    // Only a schema inside the project is ours to write.
    if (!rel(absolutePath).startsWith('../') && !path.isAbsolute(rel(absolutePath))) {
    const before = await readIfExists(absolutePath);
    const after = renderJsonSchema();
    plan.files.push({ path: rel(absolutePath), absolutePath, type: 'JsonSchema', fullName: path.basename(absolutePath, '.json'), action: actionFor(before, after), before: before ?? '', after });
  }
  }

  const described = new Set(plan.files.map((f) => path.resolve(f.absolutePath)));
  for (const file of await listFiles(outDir)) {
    const absolutePath = path.resolve(file);
    if (described.has(absolutePath)) continue;
    const typed = typeForFile(absolutePath);
    if (!typed || !OWNED_TYPES.has(typed.type.name)) continue;
    plan.extra.push({ path: rel(absolutePath), absolutePath, type: typed.type.name, fullName: typed.fullName });
  }
  plan.extra.sort((a, b) => a.path.localeCompare(b.path));
  return plan;
}

/** Writes every created/updated file (atomically) and, with `prune`, deletes the extra files. */
export async function applyPlan(plan: GenerationPlan, options: { prune?: boolean } = {}): Promise<void> {
  for (const file of plan.files) {
    if (file.action !== 'unchanged') await writeFileAtomic(file.absolutePath, file.after);
  }
  if (options.prune) for (const extra of plan.extra) await rm(extra.absolutePath, { force: true });
}

function actionFor(before: string | undefined, after: string): FileAction {
  return before === undefined ? 'created' : before === after ? 'unchanged' : 'updated';
}

/**
 * The file text for a document. PermissionSet is only partly ours: an existing file keeps everything
 * but its servicePresenceStatusAccesses byte for byte.
 */
function renderFile(doc: MetadataDocument, existing: string | undefined, spec: OmniSpec): string {
  if (doc.type.name !== 'PermissionSet') return serializeMetadata(doc);
  const entry = spec.permissionSets?.[doc.fullName];
  const statuses = entry?.statuses ?? [];
  if (existing !== undefined) {
    const merged = setStatusAccesses(existing, statuses);
    if (merged !== undefined) return merged;
  }
  return setStatusAccesses(newPermissionSet(doc.fullName, entry?.label, entry?.description), statuses) as string;
}

/** A new permission set as retrieves write one: description, hasActivationRequired, label. */
function newPermissionSet(fullName: string, label: string | undefined, description: string | undefined): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">'];
  if (description !== undefined) lines.push(`    <description>${escapeText(description)}</description>`);
  lines.push('    <hasActivationRequired>false</hasActivationRequired>');
  lines.push(`    <label>${escapeText(label ?? fullName.replace(/_/g, ' '))}</label>`);
  lines.push('</PermissionSet>', '');
  return lines.join('\n');
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  let found: unknown[];
  if (!existsSync(dir)) return [];
  try {
    found = (await listMetadataFiles([dir])) as unknown[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return found.map((f) => (typeof f === 'string' ? f : (f as { path: string }).path));
}

async function defaultPackageDir(root: string): Promise<string> {
  // readSfdxProject guarantees one default package directory.
  return readSfdxProject(root).packageDirectories.find((d) => d.default)!.path;
}

/** `# yaml-language-server: $schema=./x.json` in the spec's leading comments → `./x.json` (local files only). */
export async function schemaReference(specFile: string): Promise<string | undefined> {
  const text = await readIfExists(path.resolve(specFile));
  if (!text) return undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const match = line.match(/yaml-language-server:\s*\$schema=(\S+)/);
    if (match && !/^[a-z]+:\/\//i.test(match[1]) && match[1].endsWith('.json')) return match[1];
  }
  return undefined;
}
