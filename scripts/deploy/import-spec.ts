/**
 * The `omni import` engine: builds config/omni-channel.yaml from existing XML (e.g. a retrieve), source
 * format or Metadata API format. `import` then `generate` reproduces canonical files byte for byte
 * (elements omni does not model ride along under otherElements). A file that cannot be read is refused
 * with its file:line and the rest is imported (exit 68). Usernames are not imported (they differ per
 * org): they are reported, or written to an assignment file (`extractAssignments`). Over an existing
 * spec the import is merged into it (comments, header and key order survive); removing entries needs
 * `force`; `dryRun` returns the diff and writes nothing.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { commandPrefix, type EngineIo } from '../lib/io.ts';
import { catalogueError, countText, messageText, warningCountText, warningText } from '../lib/messages.ts';
import { outputWriteError } from '../lib/state-file.ts';
import { emptyExtraction, recordUsers, writeAssignmentFile } from './assignments-file.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { typeForFile } from '../metadata/registry.ts';
import { API_VERSION_PATTERN, apiVersionNumber, DEFAULT_SPEC_FILE, defaultPackageDirectory, findProjectRoot, listMetadataFiles, projectApiVersion, readMetadataFile, readSfdxProject, refusedDiagnostic, type RefusedMetadataPath } from '../metadata/project.ts';
import { writeFileAtomic } from '../metadata/write.ts';
import { formatDiagnostic, type Diagnostic } from '../lib/diagnostic.ts';
import type { ConnectOptions } from '../org/connection.ts';
import { unifiedDiff } from '../yaml-spec/diff.ts';
import { importDocuments, specToYaml, userAssignmentWarning, type UserAssignment } from '../yaml-spec/import.ts';
import { TYPE_MAPPINGS } from '../yaml-spec/mapping.ts';
import { mergeSpecIntoYaml } from '../yaml-spec/merge.ts';
import { SPEC_JSON_SCHEMA } from '../yaml-spec/spec-json-schema.generated.ts';
import { validateDocuments } from '../validate/index.ts';

/**
 * Why the spec cannot hold a document: the XML check's errors for it (document rules and the names of its
 * values), so `omni import` says what `omni validate` says of the same file.
 */
function unrepresentableFindings(doc: MetadataDocument): Diagnostic[] {
  const errors = validateDocuments([doc])
    .filter((d) => d.severity === 'error')
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  if (errors.length) return errors;
  // Not expected (test/yaml-spec/commands-agree.test.ts holds the two checks to one verdict); named anyway.
  return [{ ruleId: 'SPEC-SCHEMA', severity: 'error', message: messageText('deploy-output', 'import.notRepresentable', [doc.type.name, doc.fullName]), file: doc.path }];
}

/** A file import refused, located at its first error. */
export interface RefusedFile {
  file: string;
  line?: number;
  column?: number;
  ruleId: string;
  message: string;
}

export interface ImportCommandResult {
  /** Spec file written, relative to the project root; null when printed to stdout. */
  spec: string | null;
  sourceDir: string;
  /** Files read, by metadata type. */
  imported: Record<string, number>;
  userAssignments: UserAssignment[];
  /** Files not imported because of an error in them (exit 68 when the rest was imported). */
  refused: RefusedFile[];
  /** How the spec file was written: created, merged into the existing file, unchanged, or not at all (--dry-run, --out -). */
  action: 'created' | 'merged' | 'unchanged' | 'dry-run' | 'printed';
  /** Entries of the existing spec the import removed (with --force) or would remove. */
  removed: string[];
  /** The assignment file written with --extract-assignments. */
  assignmentsFile: string | null;
  /** Unified diff of the spec file (--dry-run). */
  diff?: string;
  /** The YAML text when written to stdout (--out -). */
  yaml?: string;
  /**
   * Record settings (notificationSound, transferDestinations: no metadata element): read from the org
   * with --target-org (or --instance-url), else kept from the spec being replaced.
   */
  recordSettings: { from: 'org' | 'previous-spec' | 'none'; keys: number };
}

/** What `omni import` is asked to do (its flags, typed); paths are relative to io.cwd. */
export interface ImportRequest {
  /** Folder with the XML (default: the default package directory). */
  sourceDir?: string;
  /** Spec file to write; "-" returns the YAML in the result instead (default: config/omni-channel.yaml at the project root). */
  out?: string;
  /** API version the spec is for (default: the existing spec's, else the project's sourceApiVersion). */
  apiVersion?: string;
  /** Write the usernames found to this assignment file. */
  extractAssignments?: string;
  /** Remove entries of the existing spec the source lacks, or replace a spec that is not valid YAML. */
  force: boolean;
  /** Return the diff of the spec file; write nothing. */
  dryRun: boolean;
}

const SPEC_TYPES = new Set(TYPE_MAPPINGS.map((m) => m.type));

/**
 * Imports the XML of `request.sourceDir` into the spec. With `org.connect` the record settings (no
 * metadata element) are read from that org, else kept from the spec being replaced. Exit 0, or 68 when
 * some files were refused; throws ImportFailed, NothingToImport, SpecNotMergeable, ImportWouldRemove,
 * UsageError (a source that is no folder, an out that is one), InvalidApiVersion.
 */
export async function runImport(org: { connect?: ConnectOptions }, request: ImportRequest, io: EngineIo): Promise<{ status: number; result: ImportCommandResult }> {
  // Throws NoProjectFound with the fix when there is no sfdx-project.json here or above.
  const projectRoot = findProjectRoot(io.cwd);
  let sourceDir: string;
  if (request.sourceDir !== undefined) sourceDir = path.resolve(io.cwd, request.sourceDir);
  else sourceDir = defaultPackageDirectory(readSfdxProject(projectRoot));
  if (!existsSync(sourceDir) || !statSync(sourceDir).isDirectory()) {
    throw catalogueError('UsageError', { variant: 'sourceDirNotDirectory', tokens: [path.relative(io.cwd, sourceDir) || sourceDir] });
  }
  const out = request.out;
  // A path given on the command line is relative to where the user is; the default lives at the project root.
  const outPath = out === '-' ? undefined : out === undefined ? path.join(projectRoot, DEFAULT_SPEC_FILE) : path.resolve(io.cwd, out);
  if (outPath && existsSync(outPath) && statSync(outPath).isDirectory()) {
    throw catalogueError('UsageError', { variant: 'outIsDirectory', tokens: [path.relative(io.cwd, outPath) || outPath] });
  }
  const apiFlag = request.apiVersion;
  if (apiFlag !== undefined && !API_VERSION_PATTERN.test(apiFlag)) throw catalogueError('InvalidApiVersion', { variant: 'flag', tokens: [apiFlag] });
  // The version generate will use: the existing spec's apiVersion wins over sourceApiVersion, as in generate.
  const apiVersion = apiFlag ?? (outPath ? await specApiVersion(outPath) : undefined) ?? projectApiVersion(readSfdxProject(projectRoot));
  apiVersionNumber(apiVersion);

  let files: string[];
  const refusedPaths: RefusedMetadataPath[] = [];
  try {
    files = (await listMetadataFiles([sourceDir], refusedPaths)).map((f) => f.path);
  } catch (error) {
    throw catalogueError('SourceDirUnreadable', { tokens: [path.relative(io.cwd, sourceDir) || sourceDir, (error as Error).message] });
  }

  const documents: MetadataDocument[] = [];
  const refused: RefusedFile[] = [];
  const refusals: Diagnostic[] = [];
  // Links, folders and pipes with metadata names are refused like a file with an error (never followed).
  for (const r of refusedPaths) {
    const d = refusedDiagnostic(r, projectRoot);
    refused.push({ file: d.file ?? r.path, line: 1, column: 1, ruleId: d.ruleId, message: d.message });
    refusals.push(d);
  }
  const imported: Record<string, number> = {};
  for (const file of files.sort()) {
    const typed = listedType(file);
    if (!typed || !SPEC_TYPES.has(typed)) continue;
    const read = await readMetadataFile(file, projectRoot);
    // Element order doesn't matter here: import reads the values, and generate writes canonical order.
    const errors = read.diagnostics.filter((d) => d.severity === 'error' && d.ruleId !== 'XML-ORDER');
    if (errors.length || !read.document) {
      const first: Diagnostic = errors[0] ?? { ruleId: 'XML-MALFORMED', severity: 'error', message: messageText('deploy-output', 'import.notParsed'), file: path.relative(projectRoot, file) };
      refused.push({
        file: first.file ?? path.relative(projectRoot, file).split(path.sep).join('/'),
        ...(first.line !== undefined ? { line: first.line } : {}),
        ...(first.column !== undefined ? { column: first.column } : {}),
        ruleId: first.ruleId,
        message: first.message,
      });
      refusals.push(...errors);
      continue;
    }
    for (const d of read.diagnostics) io.warn(formatDiagnostic(d));
    documents.push(read.document);
    imported[typed] = (imported[typed] ?? 0) + 1;
  }
  const sourceShown = path.relative(io.cwd, sourceDir) || '.';
  if (documents.length === 0 && refused.length > 0) {
    throw catalogueError('ImportFailed', { tokens: [countText('deploy-output', 'import.allRefused', refused.length, [refused.length]), sourceShown, refusals.map(formatDiagnostic).join('\n')], actionTokens: [commandPrefix(io)], data: { refused, diagnostics: refusals } });
  }
  for (const e of refusals) io.warn(warningText('ImportFileRefused', [formatDiagnostic(e)]));
  // An empty import would overwrite the spec with nothing: almost always a wrong --source-dir.
  if (documents.length === 0) {
    throw catalogueError('NothingToImport', { tokens: [sourceShown] });
  }

  const { spec, userAssignments, warnings, unrepresentable } = importDocuments(documents, { apiVersion, leaveOutUnrepresentable: true });
  const refusedEntries = new Set<string>();
  const entryOf = (type: string, fullName: string) => {
    const mapping = TYPE_MAPPINGS.find((m) => m.type === type);
    if (mapping) refusedEntries.add(mapping.keyed ? `${mapping.specKey}.${fullName}` : mapping.specKey);
  };
  for (const r of refused) {
    const typed = typeForFile(r.file);
    if (typed) entryOf(typed.type.name, typed.fullName);
  }
  for (const doc of unrepresentable) entryOf(doc.type.name, doc.fullName);
  // A value the spec cannot hold is one the XML check refuses: the file is refused with validate's findings.
  for (const doc of unrepresentable) {
    const findings = unrepresentableFindings(doc);
    const first = findings[0];
    refused.push({ file: first.file ?? doc.path ?? doc.fullName, ...(first.line !== undefined ? { line: first.line } : {}), ...(first.column !== undefined ? { column: first.column } : {}), ruleId: first.ruleId, message: first.message });
    refusals.push(...findings);
    imported[doc.type.name] -= 1;
    if (imported[doc.type.name] === 0) delete imported[doc.type.name];
  }
  if (unrepresentable.length === documents.length) {
    throw catalogueError('ImportFailed', { tokens: [countText('deploy-output', 'import.allRefused', refused.length, [refused.length]), sourceShown, refusals.map(formatDiagnostic).join('\n')], actionTokens: [commandPrefix(io)], data: { refused, diagnostics: refusals } });
  }
  for (const doc of unrepresentable) for (const e of refusals) if (e.file === doc.path) io.warn(warningText('ImportFileRefused', [formatDiagnostic(e)]));
  for (const w of warnings) io.warn(w);
  const recordSettings = await importRecordSettings(io, org.connect, spec as Record<string, unknown>, outPath);
  const extractTo = request.extractAssignments !== undefined ? path.resolve(io.cwd, request.extractAssignments) : undefined;
  if (!extractTo) for (const u of userAssignments) io.warn(userAssignmentWarning(u));

  const schemaFile = path.join(projectRoot, 'config', 'omni-channel.schema.json');
  let schemaRef = path.relative(path.dirname(outPath ?? path.join(projectRoot, 'config', 'x')), schemaFile).split(path.sep).join('/');
  if (!schemaRef.startsWith('.')) schemaRef = `./${schemaRef}`;
  const fresh = () =>
    specToYaml(spec, {
      schemaRef,
      comment: `\nImported by "omni import" from ${path.relative(projectRoot, sourceDir).split(path.sep).join('/') || '.'}.`,
    });

  const existing = outPath && existsSync(outPath) ? await readFile(outPath, 'utf8') : undefined;
  // The file keeps its own line ending (CRLF from Windows editors): merged and diffed with LF, written back
  // with the ending of its first line break, every line alike.
  const crlf = existing !== undefined && /^[^\n]*\r\n/.test(existing);
  const before = crlf ? existing.replace(/\r\n/g, '\n') : existing;
  let after: string;
  let removed: string[] = [];
  if (before === undefined) after = fresh();
  else {
    // An entry of a refused file stays as the spec has it: the file is there, its import failed.
    const merged = mergeSpecIntoYaml(before, spec, refusedEntries);
    const shown = path.relative(io.cwd, outPath!) || outPath!;
    if ('invalid' in merged) {
      if (!request.force) {
        throw catalogueError('SpecNotMergeable', { tokens: [`${shown}:${merged.invalid.line}:${merged.invalid.column}`, merged.invalid.message] });
      }
      after = fresh();
    } else {
      after = merged.text;
      removed = merged.removed;
      if (removed.length && !request.force && !request.dryRun) {
        throw catalogueError('ImportWouldRemove', { variant: removed.length === 1 ? 'one' : undefined, tokens: [removed.length, shown, sourceShown, removed.join(', ')], data: { removed } });
      }
      if (removed.length && request.dryRun) io.warn(warningText('ImportRefusedWithoutForce', [removed.join(', ')]));
    }
  }

  let action: ImportCommandResult['action'];
  let diff: string | undefined;
  if (!outPath) action = 'printed';
  else if (request.dryRun) {
    action = 'dry-run';
    const name = path.relative(projectRoot, outPath).split(path.sep).join('/');
    diff = unifiedDiff(before ?? '', after, before === undefined ? '/dev/null' : `a/${name}`, `b/${name}`);
  } else if (crlf ? existing === after.replace(/\n/g, '\r\n') : before === after) action = 'unchanged';
  else {
    await writeFileAtomic(outPath, crlf ? after.replace(/\n/g, '\r\n') : after).catch((error) => {
      throw outputWriteError(path.relative(projectRoot, outPath).split(path.sep).join('/'), error);
    });
    action = before === undefined ? 'created' : 'merged';
  }
  // The spec names its JSON Schema (modeline): a spec imported into a project without it gets it too,
  // so `omni generate --check` is clean right after the import.
  if (outPath && !request.dryRun && after.includes(`$schema=${schemaRef}`)) {
    const schemaPath = path.resolve(path.dirname(outPath), schemaRef);
    if (!existsSync(schemaPath) && !path.relative(projectRoot, schemaPath).startsWith('..')) await writeFileAtomic(schemaPath, SPEC_JSON_SCHEMA);
  }

  let assignmentsFile: string | null = null;
  if (extractTo && !request.dryRun) {
    const extraction = emptyExtraction();
    for (const doc of documents) {
      const found = userAssignments.find((u) => u.type === doc.type.name && u.fullName === doc.fullName);
      recordUsers(extraction, doc.type.name, doc.fullName, found?.users ?? []);
    }
    await writeAssignmentFile(extractTo, extraction, { projectRoot, header: messageText('deploy-output', 'import.assignmentsHeader', [path.relative(projectRoot, sourceDir).split(path.sep).join('/') || '.']) });
    assignmentsFile = path.relative(projectRoot, extractTo).split(path.sep).join('/');
  }
  return {
    status: refused.length ? 68 : 0,
    result: {
      spec: outPath ? path.relative(projectRoot, outPath).split(path.sep).join('/') : null,
      sourceDir: path.relative(projectRoot, sourceDir).split(path.sep).join('/') || '.',
      imported,
      userAssignments,
      refused,
      action,
      removed,
      assignmentsFile,
      recordSettings,
      ...(diff !== undefined ? { diff } : {}),
      ...(outPath ? {} : { yaml: after }),
    },
  };
}

/** Record settings into the imported spec: from the org when one is named, else from the spec being replaced. */
async function importRecordSettings(
  io: Pick<EngineIo, 'warn'>,
  connect: ConnectOptions | undefined,
  spec: Record<string, unknown>,
  outPath: string | undefined,
): Promise<ImportCommandResult['recordSettings']> {
  const { keepRecordSettings, readRecordSettingsIntoSpec } = await import('./record-settings.ts');
  if (connect) {
    const { connectOrg } = await import('../org/connection.ts');
    const session = await connectOrg(connect);
    const { keys, missing } = await readRecordSettingsIntoSpec(session.connection, spec);
    for (const m of missing) io.warn(warningText('RecordSettingsNotInOrg', [m, session.label]));
    return { from: 'org', keys };
  }
  if (!outPath || !existsSync(outPath)) return { from: 'none', keys: 0 };
  const { loadSpec } = await import('../yaml-spec/load.ts');
  const previous = await loadSpec(outPath);
  if (!previous.spec) return { from: 'none', keys: 0 };
  const keys = keepRecordSettings(previous.spec as Record<string, unknown>, spec);
  if (keys) io.warn(warningCountText('RecordSettingsKept', keys, [keys, path.basename(outPath)]));
  return { from: keys ? 'previous-spec' : 'none', keys };
}

/** The registry type name of a listed file. */
function listedType(file: string): string | undefined {
  return typeForFile(file)?.type.name;
}

/** `apiVersion:` of an existing spec file (undefined when there is none, or the file is not readable YAML). */
async function specApiVersion(file: string): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  try {
    const { parse } = await import('yaml');
    const data = parse(await readFile(file, 'utf8')) as { apiVersion?: unknown } | null;
    return typeof data?.apiVersion === 'string' && API_VERSION_PATTERN.test(data.apiVersion) ? data.apiVersion : undefined;
  } catch {
    return undefined;
  }
}
