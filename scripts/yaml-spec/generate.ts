/**
 * What `omni generate` does, as a library: plan the files the spec describes (created / updated /
 * unchanged), find files of the spec's types that the spec doesn't describe (extra), then apply.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { InputFileError, decodeInput, describeCharacter, firstForbiddenCharacter, unreadableInput } from '../lib/input-file.ts';
import { messageText, ruleText } from '../lib/messages.ts';
import { outputWriteError } from '../lib/state-file.ts';
import { parseXml } from '../metadata/xml.ts';
import path from 'node:path';
import type { Diagnostic } from '../lib/diagnostic.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { listMetadataFiles, readMetadataSource, readSfdxProject, refusedDiagnostic, type RefusedMetadataPath } from '../metadata/project.ts';
import { getType, isOmniComponent, sourceFilePath, typeForFile } from '../metadata/registry.ts';
import { serializeMetadata } from '../metadata/serialize.ts';
import { writeFileAtomic } from '../metadata/write.ts';
import { specToDocuments } from './compile.ts';
import { loadSpec } from './load.ts';
import { TYPE_MAPPINGS } from './mapping.ts';
import type { OmniSpec } from './schema.ts';
import { SPEC_JSON_SCHEMA } from './spec-json-schema.generated.ts';
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
  /** The spec describes this component, at this path (relative to the project root): this file is in the wrong folder. */
  describedAt?: string;
  /**
   * The package directory holding the file (relative to the project root, `/`-separated) when it is not the default
   * one, which `omni import` reads (an import of another folder describes only what that folder holds).
   */
  packageDir?: string;
}

export interface GenerationPlan {
  apiVersion?: string;
  outDir: string;
  /** The default package directory, relative to the project root (what `omni import` reads by default). */
  defaultPackageDir?: string;
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
const OWNED_TYPES = new Set(TYPE_MAPPINGS.filter((m) => !getType(m.type).partial).map((m) => m.type));

export async function planGeneration(options: PlanOptions): Promise<GenerationPlan> {
  const root = path.resolve(options.projectRoot);
  const specFile = path.resolve(options.specFile);
  const loaded = await loadSpec(specFile, { projectRoot: root, apiVersion: options.apiVersion });
  const outDir = path.resolve(root, options.outDir ?? (await defaultPackageDir(root)));
  const plan: GenerationPlan = { apiVersion: loaded.apiVersion, outDir, files: [], extra: [], diagnostics: loaded.diagnostics };
  if (!loaded.spec || !loaded.apiVersion || loaded.diagnostics.some((d) => d.severity === 'error')) return plan;

  const documents = specToDocuments(loaded.spec, { apiVersion: loaded.apiVersion, locate: loaded.locate, file: loaded.displayFile });
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
  // A file that exists but cannot be read safely (a link, folder, pipe, wrong encoding) is reported, not
  // followed, blocked on, or overwritten.
  const readExisting = async (absolutePath: string): Promise<string | undefined | null> => {
    try {
      return await readIfExists(absolutePath);
    } catch (error) {
      const problem = unreadableInput(error);
      const file = rel(absolutePath);
      plan.diagnostics.push({ ruleId: problem.kind === 'encoding' ? 'FILE-ENCODING' : 'FILE-READ', severity: 'error', message: `${file} ${problem.message}.`, hint: problem.hint, file, line: problem.line ?? 1, column: problem.column ?? 1 });
      return null;
    }
  };
  for (const doc of documents) {
    const absolutePath = path.join(outDir, sourceFilePath(doc.type, doc.fullName));
    const existing = await readExisting(absolutePath);
    if (existing === null) continue;
    const before = existing;
    const after = renderFile(doc, before, loaded.spec);
    plan.files.push({ path: rel(absolutePath), absolutePath, type: doc.type.name, fullName: doc.fullName, action: actionFor(before, after), before: before ?? '', after });
  }

  // The spec names its JSON Schema for editors; keep that file current too, so it can never drift.
  const schemaRef = await schemaReference(specFile);
  if (schemaRef) {
    const absolutePath = path.resolve(path.dirname(specFile), schemaRef);
    // Only a schema inside the project is ours to write.
    if (!rel(absolutePath).startsWith('../') && !path.isAbsolute(rel(absolutePath))) {
    const existing = await readExisting(absolutePath);
    const before = existing ?? undefined;
    const after = SPEC_JSON_SCHEMA;
    plan.files.push({ path: rel(absolutePath), absolutePath, type: 'JsonSchema', fullName: path.basename(absolutePath, '.json'), action: actionFor(before, after), before: before ?? '', after });
  }
  }

  // Last line of defence: nothing ill-formed (or holding U+FFFD) is ever written.
  for (const file of plan.files) {
    const problem = wellFormedProblem(file.absolutePath, file.after);
    if (problem) plan.diagnostics.push({ ruleId: 'GENERATE-ILL-FORMED', severity: 'error', message: ruleText('GENERATE-ILL-FORMED', [file.path, problem]), hint: ruleText('GENERATE-ILL-FORMED.hint'), file: file.path, line: 1, column: 1 });
  }

  const described = new Set(plan.files.map((f) => path.resolve(f.absolutePath)));
  const describedPath = new Map(plan.files.map((f) => [`${f.type}:${f.fullName}`, f.path]));
  const refused: RefusedMetadataPath[] = [];
  // Every package directory deploys, not only the one written to: an undescribed file in any of them is extra.
  const seen = new Set<string>();
  const dirs = scannedDirs(root, outDir);
  const listed = await Promise.all(dirs.map((dir) => listFiles(dir, refused)));
  const defaultDir = path.resolve(root, await defaultPackageDir(root));
  plan.defaultPackageDir = rel(defaultDir);
  for (const [d, file] of listed.flatMap((files, d) => files.map((f) => [d, f] as const))) {
    const absolutePath = path.resolve(file);
    if (described.has(absolutePath) || seen.has(absolutePath)) continue;
    seen.add(absolutePath);
    const typed = typeForFile(absolutePath);
    if (!typed || !OWNED_TYPES.has(typed.type.name)) continue;
    // A type shared with non-Omni use (a queue without routing) is the spec's only when the file is Omni's.
    if (typed.type.omniOnlyWith !== undefined) {
      const text = await readExisting(absolutePath);
      if (text === null || text === undefined || !isOmniComponent(typed.type, text)) continue;
    }
    const describedAt = describedPath.get(`${typed.type.name}:${typed.fullName}`);
    const packageDir = dirs[d] === defaultDir ? undefined : rel(dirs[d]);
    plan.extra.push({ path: rel(absolutePath), absolutePath, type: typed.type.name, fullName: typed.fullName, ...(describedAt ? { describedAt } : {}), ...(packageDir ? { packageDir } : {}) });
  }
  plan.extra.sort((a, b) => a.path.localeCompare(b.path));
  for (const r of refused) if (!plan.diagnostics.some((d) => d.file === rel(r.path))) plan.diagnostics.push(refusedDiagnostic(r, root));
  return plan;
}

/** Writes every created/updated file (atomically) and, with `prune`, deletes the extra files. */
export async function applyPlan(plan: GenerationPlan, options: { prune?: boolean } = {}): Promise<void> {
  for (const file of plan.files) {
    if (file.action !== 'unchanged') {
      // Checked again on the bytes written, before the rename makes them the file.
      await writeFileAtomic(file.absolutePath, file.after, undefined, (written) => {
        let text: string;
        try {
          text = decodeInput(written, { xml: file.absolutePath.endsWith('.xml') });
        } catch (error) {
          return (error as Error).message;
        }
        return wellFormedProblem(file.absolutePath, text);
      }).catch((error) => {
        throw outputWriteError(file.path, error);
      });
    }
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
  if (!doc.type.partial) return serializeMetadata(doc);
  const entry = spec.permissionSets?.[doc.fullName];
  const statuses = entry?.statuses ?? [];
  if (existing !== undefined) {
    const merged = setStatusAccesses(existing, statuses);
    if (merged !== undefined) return merged;
  }
  // A nil label or description (`~`, as import writes a retrieved xsi:nil) is no value: the file gets none.
  return setStatusAccesses(newPermissionSet(doc.fullName, entry?.label ?? undefined, entry?.description ?? undefined), statuses) as string;
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

/** The file's text, undefined when it does not exist; throws InputFileError for links, folders, pipes, bad encodings. */
async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readMetadataSource(file);
  } catch (error) {
    if (error instanceof InputFileError && error.kind === 'not-found') return undefined;
    throw error;
  }
}

/**
 * Why `content` is not a well-formed file of its kind (XML 1.0 for .xml, JSON for .json), or undefined.
 * Also refuses U+FFFD, which only a lossy decoding produces.
 */
export function wellFormedProblem(file: string, content: string): string | undefined {
  const bad = firstForbiddenCharacter(content);
  if (bad >= 0) {
    const line = content.slice(0, bad).split('\n').length;
    return `character ${describeCharacter(content, bad)} on line ${line}`;
  }
  if (file.endsWith('.xml')) {
    const parsed = parseXml(content);
    if (parsed.error) return `${parsed.error.message} (line ${parsed.error.line}, column ${parsed.error.column})`;
    const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(content)?.[1];
    if (declared && !/^utf-?8$/i.test(declared)) return messageText('deploy-output', 'generate.declaredEncoding', [declared]);
  } else if (file.endsWith('.json')) {
    try {
      JSON.parse(content);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return undefined;
}

async function listFiles(dir: string, refused: RefusedMetadataPath[]): Promise<string[]> {
  let found: unknown[];
  if (!existsSync(dir)) return [];
  try {
    found = (await listMetadataFiles([dir], refused)) as unknown[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return found.map((f) => (typeof f === 'string' ? f : (f as { path: string }).path));
}

/** The output directory and every package directory of sfdx-project.json (absolute, each once). */
function scannedDirs(root: string, outDir: string): string[] {
  const dirs = new Set([outDir, ...readSfdxProject(root).packageDirectories.map((d) => path.resolve(root, d.path))]);
  return [...dirs];
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
