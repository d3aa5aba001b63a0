/**
 * `omni import`: builds config/omni-channel.yaml from existing XML (e.g. a retrieve), source format or
 * Metadata API format. `import` then `generate` reproduces canonical files byte for byte (elements omni
 * does not model ride along under otherElements). A file that cannot be read is refused with its
 * file:line and the rest is imported (exit 68). Usernames are not imported (they differ per org): they
 * are reported, or with --extract-assignments written to an assignment file. Over an existing spec the
 * import is merged into it (comments, header and key order survive); removing entries needs --force;
 * --dry-run prints the diff and writes nothing.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { defineCommand, type FlagValues } from '../cli/command.ts';
import { catalogueError } from '../lib/messages.ts';
import { emptyExtraction, recordUsers, writeAssignmentFile } from '../deploy/assignments-file.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { typeForFile } from '../metadata/registry.ts';
import { API_VERSION_PATTERN, apiVersionNumber, DEFAULT_SPEC_FILE, defaultPackageDirectory, findProjectRoot, listMetadataFiles, projectApiVersion, readMetadataFile, readSfdxProject, refusedDiagnostic, type RefusedMetadataPath } from '../metadata/project.ts';
import { writeFileAtomic } from '../metadata/write.ts';
import { formatDiagnostic, type Diagnostic } from '../lib/diagnostic.ts';
import { unifiedDiff } from '../yaml-spec/diff.ts';
import { importDocuments, specToYaml, userAssignmentWarning, type UserAssignment } from '../yaml-spec/import.ts';
import { TYPE_MAPPINGS } from '../yaml-spec/mapping.ts';
import { mergeSpecIntoYaml } from '../yaml-spec/merge.ts';
import { renderJsonSchema } from '../yaml-spec/schema.ts';
import { connectOptionsFromFlags, ORG_FLAGS } from './shared/org.ts';

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

const SPEC_TYPES = new Set(TYPE_MAPPINGS.map((m) => m.type));

export default defineCommand<ImportCommandResult>({
  id: 'import',
  flags: {
    'target-org': { ...ORG_FLAGS['target-org'] },
    'instance-url': ORG_FLAGS['instance-url'],
    'source-dir': { type: 'string', valueName: 'DIR' },
    out: { type: 'string', valueName: 'FILE' },
    'api-version': { type: 'string', valueName: 'VERSION' },
    'extract-assignments': { type: 'string', valueName: 'FILE' },
    force: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  async run(ctx) {
    // Throws NoProjectFound with the fix when there is no sfdx-project.json here or above.
    const projectRoot = findProjectRoot(ctx.cwd);
    let sourceDir: string;
    if (typeof ctx.flags['source-dir'] === 'string') sourceDir = path.resolve(ctx.cwd, ctx.flags['source-dir']);
    else sourceDir = defaultPackageDirectory(readSfdxProject(projectRoot));
    if (!existsSync(sourceDir) || !statSync(sourceDir).isDirectory()) {
      throw catalogueError('UsageError', { variant: 'sourceDirNotDirectory', tokens: [path.relative(ctx.cwd, sourceDir) || sourceDir] });
    }
    const out = typeof ctx.flags.out === 'string' ? ctx.flags.out : undefined;
    // A path given on the command line is relative to where the user is; the default lives at the project root.
    const outPath = out === '-' ? undefined : out === undefined ? path.join(projectRoot, DEFAULT_SPEC_FILE) : path.resolve(ctx.cwd, out);
    if (outPath && existsSync(outPath) && statSync(outPath).isDirectory()) {
      throw catalogueError('UsageError', { variant: 'outIsDirectory', tokens: [path.relative(ctx.cwd, outPath) || outPath] });
    }
    const apiFlag = typeof ctx.flags['api-version'] === 'string' ? ctx.flags['api-version'] : undefined;
    if (apiFlag !== undefined && !API_VERSION_PATTERN.test(apiFlag)) throw catalogueError('InvalidApiVersion', { variant: 'flag', tokens: [apiFlag] });
    // The version generate will use: the existing spec's apiVersion wins over sourceApiVersion, as in generate.
    const apiVersion = apiFlag ?? (outPath ? await specApiVersion(outPath) : undefined) ?? projectApiVersion(readSfdxProject(projectRoot));
    apiVersionNumber(apiVersion);

    let files: string[];
    const refusedPaths: RefusedMetadataPath[] = [];
    try {
      files = (await listMetadataFiles([sourceDir], refusedPaths)).map((f) => f.path);
    } catch (error) {
      throw catalogueError('SourceDirUnreadable', { tokens: [path.relative(ctx.cwd, sourceDir) || sourceDir, (error as Error).message] });
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
        const first: Diagnostic = errors[0] ?? { ruleId: 'XML-MALFORMED', severity: 'error', message: 'The file does not parse.', file: path.relative(projectRoot, file) };
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
      for (const d of read.diagnostics) ctx.warn(formatDiagnostic(d));
      documents.push(read.document);
      imported[typed] = (imported[typed] ?? 0) + 1;
    }
    const sourceShown = path.relative(ctx.cwd, sourceDir) || '.';
    if (documents.length === 0 && refused.length > 0) {
      throw catalogueError('ImportFailed', { tokens: [refused.length, sourceShown, refusals.map(formatDiagnostic).join('\n')], data: { refused, diagnostics: refusals } });
    }
    for (const e of refusals) ctx.warn(`not imported: ${formatDiagnostic(e)}`);
    // An empty import would overwrite the spec with nothing: almost always a wrong --source-dir.
    if (documents.length === 0) {
      throw catalogueError('NothingToImport', { tokens: [sourceShown] });
    }

    const { spec, userAssignments, warnings } = importDocuments(documents, { apiVersion });
    for (const w of warnings) ctx.warn(w);
    const recordSettings = await importRecordSettings(ctx, spec as Record<string, unknown>, outPath);
    const extractTo = typeof ctx.flags['extract-assignments'] === 'string' ? path.resolve(ctx.cwd, ctx.flags['extract-assignments']) : undefined;
    if (!extractTo) for (const u of userAssignments) ctx.warn(userAssignmentWarning(u));

    const schemaFile = path.join(projectRoot, 'config', 'omni-channel.schema.json');
    let schemaRef = path.relative(path.dirname(outPath ?? path.join(projectRoot, 'config', 'x')), schemaFile).split(path.sep).join('/');
    if (!schemaRef.startsWith('.')) schemaRef = `./${schemaRef}`;
    const fresh = () =>
      specToYaml(spec, {
        schemaRef,
        comment: `\nImported by "omni import" from ${path.relative(projectRoot, sourceDir).split(path.sep).join('/') || '.'}.`,
      });

    const before = outPath && existsSync(outPath) ? await readFile(outPath, 'utf8') : undefined;
    let after: string;
    let removed: string[] = [];
    if (before === undefined) after = fresh();
    else {
      const merged = mergeSpecIntoYaml(before, spec);
      const shown = path.relative(ctx.cwd, outPath!) || outPath!;
      if ('invalid' in merged) {
        if (!ctx.flags.force) {
          throw catalogueError('SpecNotMergeable', { tokens: [`${shown}:${merged.invalid.line}:${merged.invalid.column}`, merged.invalid.message] });
        }
        after = fresh();
      } else {
        after = merged.text;
        removed = merged.removed;
        if (removed.length && !ctx.flags.force && !ctx.flags['dry-run']) {
          throw catalogueError('ImportWouldRemove', { variant: removed.length === 1 ? 'one' : undefined, tokens: [removed.length, shown, sourceShown, removed.join(', ')], data: { removed } });
        }
        if (removed.length && ctx.flags['dry-run']) ctx.warn(`Without --force the import is refused: it removes ${removed.join(', ')}.`);
      }
    }

    let action: ImportCommandResult['action'];
    let diff: string | undefined;
    if (!outPath) action = 'printed';
    else if (ctx.flags['dry-run']) {
      action = 'dry-run';
      const name = path.relative(projectRoot, outPath).split(path.sep).join('/');
      diff = unifiedDiff(before ?? '', after, before === undefined ? '/dev/null' : `a/${name}`, `b/${name}`);
    } else if (before === after) action = 'unchanged';
    else {
      await writeFileAtomic(outPath, after);
      action = before === undefined ? 'created' : 'merged';
    }
    // The spec names its JSON Schema (modeline): a spec imported into a project without it gets it too,
    // so `omni generate --check` is clean right after the import.
    if (outPath && !ctx.flags['dry-run'] && after.includes(`$schema=${schemaRef}`)) {
      const schemaPath = path.resolve(path.dirname(outPath), schemaRef);
      if (!existsSync(schemaPath) && !path.relative(projectRoot, schemaPath).startsWith('..')) await writeFileAtomic(schemaPath, renderJsonSchema());
    }

    let assignmentsFile: string | null = null;
    if (extractTo && !ctx.flags['dry-run']) {
      const extraction = emptyExtraction();
      for (const doc of documents) {
        const found = userAssignments.find((u) => u.type === doc.type.name && u.fullName === doc.fullName);
        recordUsers(extraction, doc.type.name, doc.fullName, found?.users ?? []);
      }
      await writeAssignmentFile(extractTo, extraction, { projectRoot, header: `User assignments and queue user members imported from ${path.relative(projectRoot, sourceDir).split(path.sep).join('/') || '.'}.` });
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
  },
  render(result, ui) {
    if (result.yaml !== undefined) {
      // Through the ui (redaction, the caller's stdout); log adds the final newline back.
      ui.log(result.yaml.replace(/\n$/, ''));
      return;
    }
    if (result.diff !== undefined) ui.log(result.diff === '' ? `No change to ${result.spec}.` : result.diff.replace(/\n$/, ''));
    const total = Object.values(result.imported).reduce((a, b) => a + b, 0);
    const verb = { created: 'Imported', merged: 'Imported (merged)', unchanged: 'Imported (no change)', 'dry-run': 'Would import', printed: 'Imported' }[result.action];
    ui.log(`${verb} ${total} file(s) from ${result.sourceDir} into ${result.spec}.`);
    for (const [type, n] of Object.entries(result.imported)) ui.log(`  ${type}: ${n}`);
    if (result.removed.length) ui.log(`Removed from the spec: ${result.removed.join(', ')}.`);
    if (result.recordSettings.keys) {
      ui.log(`${result.recordSettings.keys} record setting(s) ${result.recordSettings.from === 'org' ? 'read from the org' : 'kept from the previous spec'}.`);
    }
    if (result.refused.length) {
      ui.log(`${result.refused.length} file(s) refused (not imported):`);
      for (const r of result.refused) ui.log(`  ${formatRefused(r)}`);
    }
    const users = result.userAssignments.reduce((a, u) => a + u.users.length, 0);
    if (users) {
      ui.log(
        result.assignmentsFile
          ? `${users} username(s) written to ${result.assignmentsFile} (not to the spec).`
          : `${users} user assignment(s) were not imported (usernames differ per org); --extract-assignments FILE writes them to an assignment file.`,
      );
    }
  },
});

/** Record settings into the imported spec: from the org when one is named, else from the spec being replaced. */
async function importRecordSettings(
  ctx: { flags: FlagValues; env: NodeJS.ProcessEnv; warn: (m: string) => void },
  spec: Record<string, unknown>,
  outPath: string | undefined,
): Promise<ImportCommandResult['recordSettings']> {
  const { keepRecordSettings, readRecordSettingsIntoSpec } = await import('../deploy/record-settings.ts');
  if (ctx.flags['target-org'] || ctx.flags['instance-url']) {
    const { connectOrg } = await import('../org/connection.ts');
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    const { keys, missing } = await readRecordSettingsIntoSpec(session.connection, spec);
    for (const m of missing) ctx.warn(`${m} is not in the org "${session.label}": its record settings were not read.`);
    return { from: 'org', keys };
  }
  if (!outPath || !existsSync(outPath)) return { from: 'none', keys: 0 };
  const { loadSpec } = await import('../yaml-spec/load.ts');
  const previous = await loadSpec(outPath);
  if (!previous.spec) return { from: 'none', keys: 0 };
  const keys = keepRecordSettings(previous.spec as Record<string, unknown>, spec);
  if (keys) ctx.warn(`Kept ${keys} record setting(s) (notificationSound, transferDestinations) from ${path.basename(outPath)}: they have no metadata element; pass --target-org to read them from the org.`);
  return { from: keys ? 'previous-spec' : 'none', keys };
}

function formatRefused(r: RefusedFile): string {
  return `${r.file}${r.line !== undefined ? `:${r.line}${r.column !== undefined ? `:${r.column}` : ''}` : ''}: ${r.ruleId}: ${r.message}`;
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
