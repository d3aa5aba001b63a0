/**
 * The `omni generate` engine: writes the metadata XML described by config/omni-channel.yaml (and keeps
 * the spec's JSON Schema current). `check` is the CI drift gate: nothing is written, exit 1 when anything
 * would change or a file of the spec's types is not described by it (what `prune` would delete); `dryRun` returns a unified diff per changed file.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { formatDiagnostic, hasErrors } from '../lib/diagnostic.ts';
import { commandPrefix, type EngineIo } from '../lib/io.ts';
import { catalogueError, countText } from '../lib/messages.ts';
import { DEFAULT_SPEC_FILE, findProjectRoot } from '../metadata/project.ts';
import { unifiedDiff } from './diff.ts';
import { applyPlan, planGeneration, type FileAction } from './generate.ts';
import { warningText } from '../lib/messages.ts';

export interface GenerateResult {
  /** API version generated for. */
  apiVersion: string;
  /** Output package directory, relative to the project root. */
  outDir: string;
  check: boolean;
  dryRun: boolean;
  /**
   * Each file: path relative to the project root, metadata type (JsonSchema for the spec schema), and what
   * happened (or would happen with --check/--dry-run); `diff` is the unified diff with --dry-run.
   */
  files: Array<{ path: string; type: string; fullName: string; action: FileAction; diff?: string }>;
  /** Files of the spec's types it does not describe: extra, or deleted by --prune. */
  extra: Array<{ path: string; type: string; fullName: string; action: 'extra' | 'deleted' }>;
  /**
   * True when files would change (or changed). With --check also when there are extra files: a check
   * passes only when `generate --prune` would change nothing, since an extra file deploys beside the spec's.
   */
  changed: boolean;
}

/** What `omni generate` is asked to do (its flags, typed); paths are relative to io.cwd. */
export interface GenerateRequest {
  /** Spec file (default: config/omni-channel.yaml at the project root). */
  specFile?: string;
  /** Output package directory (default: the default package directory of sfdx-project.json). */
  outDir?: string;
  /** Write nothing; exit 1 when a file would change or an extra file exists (with or without `prune`). */
  check: boolean;
  /** Write nothing; a unified diff per file that would change. */
  dryRun: boolean;
  /** Delete files of the spec's types that the spec does not describe. */
  prune: boolean;
}

/**
 * Plans and (unless check/dryRun) writes the files. Throws NoProjectFound outside a project, PathNotFound
 * for a missing spec, UsageError for an out that is a file, SpecInvalid (with the diagnostics) for a spec
 * with errors; spec warnings and extra files go to `io.warn`.
 */
export async function runGenerate(request: GenerateRequest, io: Pick<EngineIo, 'cwd' | 'warn' | 'commandPrefix'>): Promise<{ status: number; result: GenerateResult }> {
  // Throws NoProjectFound with the fix when there is no sfdx-project.json here or above.
  const projectRoot = findProjectRoot(io.cwd);
  const { check, dryRun, prune } = request;
  // A path given on the command line is relative to where the user is; the default lives at the project root (as sf resolves project files).
  const specFile = request.specFile !== undefined ? path.resolve(io.cwd, request.specFile) : path.join(projectRoot, DEFAULT_SPEC_FILE);
  const out = request.outDir !== undefined ? path.resolve(io.cwd, request.outDir) : undefined;
  // A wrong path on the command line is the caller's mistake (exit 2, as in omni validate), not a spec error.
  if (!existsSync(specFile)) {
    throw catalogueError('PathNotFound', { variant: 'spec', tokens: [path.relative(io.cwd, specFile) || specFile], actionTokens: [commandPrefix(io)] });
  }
  if (out && existsSync(out) && !statSync(out).isDirectory()) {
    throw catalogueError('UsageError', { variant: 'outNotDirectory', tokens: [path.relative(io.cwd, out) || out] });
  }
  const plan = await planGeneration({ specFile, outDir: out, projectRoot });

  for (const d of plan.diagnostics) if (d.severity !== 'error') io.warn(formatDiagnostic(d));
  if (hasErrors(plan.diagnostics) || !plan.apiVersion) {
    const errors = plan.diagnostics.filter((d) => d.severity === 'error');
    throw catalogueError('SpecInvalid', { tokens: [countText('deploy-output', 'count.error', errors.length, [errors.length]), errors.map(formatDiagnostic).join('\n')], actionTokens: [commandPrefix(io)], data: { diagnostics: plan.diagnostics } });
  }

  // The CI gate counts extra files as drift even without --prune: they deploy, yet the spec doesn't say so.
  const changed = plan.files.some((f) => f.action !== 'unchanged') || ((prune || check) && plan.extra.length > 0);
  if (!check && !dryRun) await applyPlan(plan, { prune });
  for (const extra of plan.extra) {
    if (prune && !check && !dryRun) continue;
    const prefix = commandPrefix(io);
    const { path: file, type, fullName } = extra;
    if (extra.describedAt !== undefined) {
      // A file of a component the spec does describe is a misplaced copy: import cannot help, only --prune.
      io.warn(warningText('ExtraComponent.wrongFolder', [file, type, fullName, extra.describedAt, prefix]));
    } else if (extra.packageDir !== undefined) {
      // import reads the default package directory; one of another folder would describe only that folder's files.
      io.warn(warningText('ExtraComponent.otherPackage', [file, type, fullName, prefix, plan.defaultPackageDir ?? '', prefix, extra.packageDir]));
    } else io.warn(warningText('ExtraComponent', [file, type, fullName, prefix, prefix]));
  }
  const result: GenerateResult = {
    apiVersion: plan.apiVersion,
    outDir: path.relative(projectRoot, plan.outDir).split(path.sep).join('/') || '.',
    check,
    dryRun,
    files: plan.files.map((f) => ({
      path: f.path,
      type: f.type,
      fullName: f.fullName,
      action: f.action,
      ...(dryRun && f.action !== 'unchanged' ? { diff: unifiedDiff(f.before, f.after, f.action === 'created' ? '/dev/null' : `a/${f.path}`, `b/${f.path}`) } : {}),
    })),
    extra: plan.extra.map((e) => ({ path: e.path, type: e.type, fullName: e.fullName, action: prune && !check && !dryRun ? 'deleted' : 'extra' })),
    changed,
  };
  return { status: check && changed ? 1 : 0, result };
}
