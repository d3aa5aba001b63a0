/**
 * `omni import`: builds config/omni-channel.yaml from existing XML (e.g. a retrieve). `import` then
 * `generate` reproduces canonical files byte for byte. Usernames are not imported (they differ per org):
 * they are listed in the result for the assignment files.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { COMMON_EXIT_CODES, defineCommand } from '../cli/command.ts';
import { OmniError, UsageError } from '../cli/errors.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { findProjectRoot, listMetadataFiles, readMetadataFile, readSfdxProject } from '../metadata/project.ts';
import { typeForFile } from '../metadata/registry.ts';
import { writeFileAtomic } from '../metadata/write.ts';
import { formatDiagnostic, type Diagnostic } from '../validate/diagnostic.ts';
import { importDocuments, specToYaml, type UserAssignment } from '../yaml-spec/import.ts';
import { TYPE_MAPPINGS } from '../yaml-spec/mapping.ts';

export interface ImportCommandResult {
  /** Spec file written, relative to the project root; null when printed to stdout. */
  spec: string | null;
  sourceDir: string;
  /** Files read, by metadata type. */
  imported: Record<string, number>;
  userAssignments: UserAssignment[];
  /** The YAML text when written to stdout (--out -). */
  yaml?: string;
}

const resultSchema = z.toJSONSchema(
  z.object({
    spec: z.string().nullable().describe('Spec file written (relative to the project root), or null with --out -.'),
    sourceDir: z.string(),
    imported: z.record(z.string(), z.number()).describe('Files imported per metadata type.'),
    userAssignments: z
      .array(
        z.object({
          type: z.string(),
          fullName: z.string(),
          element: z.string(),
          users: z.array(z.string()),
          path: z.string().optional(),
        }),
      )
      .describe('Usernames found in the XML and not put into the spec.'),
    yaml: z.string().optional(),
  }),
) as Record<string, unknown>;

const SPEC_TYPES = new Set(TYPE_MAPPINGS.map((m) => m.type));

export default defineCommand<ImportCommandResult>({
  id: 'import',
  summary: 'Build the Omni-Channel spec (config/omni-channel.yaml) from existing metadata XML.',
  description:
    'Reads every Omni-Channel file in the source directory (presence configurations, statuses, decline reasons, channels, routing configs, queues, Omni settings, and the presence-status access of permission sets) and writes the spec. User assignments are not imported: they are reported (warning and result) for the per-org assignment files.',
  examples: ['omni import', 'omni import --source-dir retrieved/force-app --out config/omni-channel.yaml', 'omni import --out - --json'],
  flags: {
    'source-dir': { type: 'string', summary: 'Folder with the XML (default: the default package directory).', valueName: 'DIR' },
    out: { type: 'string', summary: 'Spec file to write; "-" prints it.', default: 'config/omni-channel.yaml', valueName: 'FILE' },
  },
  exitCodes: {
    ...COMMON_EXIT_CODES,
    1: 'A file could not be read or parsed, or the source directory holds no Omni-Channel metadata (nothing is written).',
    2: 'Usage error: unknown flag, a --source-dir that is not an existing directory, or an --out that is a directory.',
  },
  resultSchema,
  async run(ctx) {
    // Throws NoProjectFound with the fix when there is no sfdx-project.json here or above.
    const projectRoot = findProjectRoot(ctx.cwd);
    let sourceDir: string;
    if (typeof ctx.flags['source-dir'] === 'string') sourceDir = path.resolve(ctx.cwd, ctx.flags['source-dir']);
    else {
      const dirs = (await readSfdxProject(projectRoot)).packageDirectories as Array<{ path: string; default?: boolean }>;
      sourceDir = path.resolve(projectRoot, (dirs.find((d) => d.default) ?? dirs[0])?.path ?? 'force-app');
    }
    if (!existsSync(sourceDir) || !statSync(sourceDir).isDirectory()) {
      throw new UsageError(`--source-dir must be an existing directory: ${path.relative(ctx.cwd, sourceDir) || sourceDir}.`, [
        'Pass --source-dir with the folder that holds the metadata (e.g. force-app or a retrieve).',
      ]);
    }
    const out = String(ctx.flags.out);
    const outPath = out === '-' ? undefined : path.resolve(ctx.cwd, out);
    if (outPath && existsSync(outPath) && statSync(outPath).isDirectory()) {
      throw new UsageError(`--out must be a file; ${path.relative(ctx.cwd, outPath) || outPath} is a directory.`, ['Pass --out with a YAML file, e.g. config/omni-channel.yaml, or "-".']);
    }
    let files: string[];
    try {
      files = ((await listMetadataFiles([sourceDir])) as unknown[]).map((f) => (typeof f === 'string' ? f : (f as { path: string }).path));
    } catch (error) {
      throw new OmniError(`Cannot read ${path.relative(ctx.cwd, sourceDir) || sourceDir}: ${(error as Error).message}`, {
        name: 'SourceDirUnreadable',
        actions: ['Pass --source-dir with a folder that holds the metadata.'],
      });
    }

    const documents: MetadataDocument[] = [];
    const diagnostics: Diagnostic[] = [];
    const imported: Record<string, number> = {};
    for (const file of files.sort()) {
      const typed = typeForFile(file);
      if (!typed || !SPEC_TYPES.has(typed.type.name)) continue;
      const read = (await readMetadataFile(file, projectRoot)) as { document?: MetadataDocument; diagnostics: Diagnostic[] };
      diagnostics.push(...read.diagnostics);
      if (read.document) {
        documents.push(read.document);
        imported[typed.type.name] = (imported[typed.type.name] ?? 0) + 1;
      }
    }
    // Element order doesn't matter here: import reads the values, and generate writes canonical order.
    const errors = diagnostics.filter((d) => d.severity === 'error' && d.ruleId !== 'XML-ORDER');
    if (errors.length) {
      throw new OmniError(`${errors.length} file error(s):\n${errors.map(formatDiagnostic).join('\n')}`, {
        name: 'ImportFailed',
        actions: ['Fix or remove the files shown, then run omni import again.'],
        data: { diagnostics },
      });
    }
    // An empty import would overwrite the spec with nothing: almost always a wrong --source-dir.
    if (documents.length === 0) {
      throw new OmniError(`No Omni-Channel metadata found in ${path.relative(ctx.cwd, sourceDir) || '.'}; nothing was written.`, {
        name: 'NothingToImport',
        actions: ['Pass --source-dir with the package directory or retrieve folder that holds the metadata (e.g. force-app).'],
      });
    }
    for (const d of diagnostics) ctx.warn(formatDiagnostic(d));

    const { spec, userAssignments, warnings } = importDocuments(documents);
    for (const w of warnings) ctx.warn(w);

    const schemaFile = path.join(projectRoot, 'config', 'omni-channel.schema.json');
    let schemaRef = path.relative(path.dirname(outPath ?? path.join(projectRoot, 'config', 'x')), schemaFile).split(path.sep).join('/');
    if (!schemaRef.startsWith('.')) schemaRef = `./${schemaRef}`;
    const yaml = specToYaml(spec, {
      schemaRef,
      comment: `\nImported by "omni import" from ${path.relative(projectRoot, sourceDir).split(path.sep).join('/') || '.'}.`,
    });
    if (outPath) await writeFileAtomic(outPath, yaml);
    return {
      status: 0,
      result: {
        spec: outPath ? path.relative(projectRoot, outPath).split(path.sep).join('/') : null,
        sourceDir: path.relative(projectRoot, sourceDir).split(path.sep).join('/') || '.',
        imported,
        userAssignments,
        ...(outPath ? {} : { yaml }),
      },
    };
  },
  render(result, ui) {
    if (result.yaml !== undefined) {
      // Through the ui (redaction, the caller's stdout); log adds the final newline back.
      ui.log(result.yaml.replace(/\n$/, ''));
      return;
    }
    const total = Object.values(result.imported).reduce((a, b) => a + b, 0);
    ui.log(`Imported ${total} file(s) from ${result.sourceDir} into ${result.spec}.`);
    for (const [type, n] of Object.entries(result.imported)) ui.log(`  ${type}: ${n}`);
    if (result.userAssignments.length) {
      ui.log(`${result.userAssignments.reduce((a, u) => a + u.users.length, 0)} user assignment(s) were not imported (see the warnings).`);
    }
  },
});
