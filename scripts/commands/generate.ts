/**
 * `omni generate`: writes the metadata XML described by config/omni-channel.yaml (and keeps the spec's
 * JSON Schema current). `--check` is the CI drift gate: nothing is written, exit 1 when anything would change.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { defineCommand } from '../cli/command.ts';
import { formatTable } from '../cli/ui.ts';
import { DEFAULT_SPEC_FILE, findProjectRoot } from '../metadata/project.ts';
import { formatDiagnostic, hasErrors } from '../lib/diagnostic.ts';
import { unifiedDiff } from '../yaml-spec/diff.ts';
import { applyPlan, planGeneration, type FileAction } from '../yaml-spec/generate.ts';
import { catalogueError } from '../lib/messages.ts';

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
  /** True when files would change (or changed). */
  changed: boolean;
}

export default defineCommand<GenerateResult>({
  id: 'generate',
  flags: {
    spec: { type: 'string', valueName: 'FILE' },
    out: { type: 'string', valueName: 'DIR' },
    check: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    prune: { type: 'boolean' },
  },
  async run(ctx) {
    // Throws NoProjectFound with the fix when there is no sfdx-project.json here or above.
    const projectRoot = findProjectRoot(ctx.cwd);
    const check = ctx.flags.check === true;
    const dryRun = ctx.flags['dry-run'] === true;
    const prune = ctx.flags.prune === true;
    // A path given on the command line is relative to where the user is; the default lives at the project root (as sf resolves project files).
    const specFile = typeof ctx.flags.spec === 'string' ? path.resolve(ctx.cwd, ctx.flags.spec) : path.join(projectRoot, DEFAULT_SPEC_FILE);
    const out = typeof ctx.flags.out === 'string' ? path.resolve(ctx.cwd, ctx.flags.out) : undefined;
    // A wrong path on the command line is the caller's mistake (exit 2, as in omni validate), not a spec error.
    if (!existsSync(specFile)) {
      throw catalogueError('PathNotFound', { variant: 'spec', tokens: [path.relative(ctx.cwd, specFile) || specFile] });
    }
    if (out && existsSync(out) && !statSync(out).isDirectory()) {
      throw catalogueError('UsageError', { variant: 'outNotDirectory', tokens: [path.relative(ctx.cwd, out) || out] });
    }
    const plan = await planGeneration({ specFile, outDir: out, projectRoot });

    for (const d of plan.diagnostics) if (d.severity !== 'error') ctx.warn(formatDiagnostic(d));
    if (hasErrors(plan.diagnostics) || !plan.apiVersion) {
      const errors = plan.diagnostics.filter((d) => d.severity === 'error');
      throw catalogueError('SpecInvalid', { tokens: [errors.length, errors.map(formatDiagnostic).join('\n')], data: { diagnostics: plan.diagnostics } });
    }

    const changed = plan.files.some((f) => f.action !== 'unchanged') || (prune && plan.extra.length > 0);
    if (!check && !dryRun) await applyPlan(plan, { prune });
    for (const extra of plan.extra) {
      if (!prune || check || dryRun) ctx.warn(`${extra.path}: ${extra.type} "${extra.fullName}" is not described by the spec (use --prune to delete it).`);
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
  },
  render(result, ui) {
    if (result.dryRun) for (const f of result.files) if (f.diff) ui.log(f.diff.trimEnd());
    const rows = [
      ...result.files.map((f) => ({ action: f.action, type: f.type, path: f.path })),
      ...result.extra.map((e) => ({ action: e.action, type: e.type, path: e.path })),
    ];
    ui.log(formatTable(rows, ['action', 'type', 'path']));
    const count = (a: string) => result.files.filter((f) => f.action === a).length;
    const summary = `${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged, ${result.extra.length} extra (API ${result.apiVersion})`;
    if (result.check) ui.log(result.changed ? `Drift: files differ from the spec. ${summary}. Run "omni generate" and commit the result.` : `Up to date. ${summary}.`);
    else if (result.dryRun) ui.log(`Dry run, nothing written. ${summary}.`);
    else ui.log(summary + '.');
  },
});
