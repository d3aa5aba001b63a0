/**
 * `omni validate`: the offline checks of spec §10 over the project's metadata and its spec, printed like a
 * compiler, as the JSON envelope or as SARIF. Reads only; exit 1 when any error is found.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { defineCommand } from '../cli/command.ts';
import { catalogueError } from '../lib/messages.ts';
import { locateProject } from '../metadata/project.ts';
import { typeForFile } from '../metadata/registry.ts';
import { RULES, type RuleInfo } from '../validate/catalogue.ts';
import type { Severity } from '../lib/diagnostic.ts';
import { formatRuleList, printText, summarize, toSarif, type ValidationReport } from '../validate/format.ts';
import { validateProject } from '../validate/index.ts';
import { commandPrefix } from '../lib/io.ts';

export type ValidateResult = ValidationReport | { rules: readonly RuleInfo[] };

const FORMATS = ['text', 'json', 'sarif'] as const;
const LEVELS = ['error', 'warning', 'info'] as const;

/** Results already written by `run` itself (--format json|sarif): `render` must not print them again. */
const printedByRun = new WeakSet<object>();

export default defineCommand<ValidateResult>({
  id: 'validate',
  args: [{ name: 'path', variadic: true }],
  flags: {
    spec: { type: 'string', valueName: 'FILE', path: 'file' },
    format: { type: 'string', options: FORMATS, default: 'text' },
    level: { type: 'string', options: LEVELS, default: 'warning' },
    'api-version': { type: 'string', valueName: 'VERSION' },
    'list-rules': { type: 'boolean' },
  },
  async run(ctx) {
    const format = String(ctx.flags.format ?? 'text') as (typeof FORMATS)[number];
    if (ctx.flags['list-rules']) {
      const result = { rules: RULES };
      if (!ctx.json && format !== 'text') {
        ctx.ui.log(JSON.stringify({ status: 0, result, warnings: [] }, null, 2));
        printedByRun.add(result);
      }
      return { status: 0, result };
    }

    const paths = ctx.args.map((p) => path.resolve(ctx.cwd, p));
    for (const p of paths) if (!existsSync(p)) throw catalogueError('PathNotFound', { variant: 'validate', tokens: [p] });
    // A file given that is not Omni metadata (an assignment file, the spec) is a wrong argument, not a finding.
    ctx.args.forEach((arg, i) => {
      if (!statSync(paths[i]).isDirectory() && !typeForFile(paths[i])) throw catalogueError('UsageError', { variant: 'notMetadata', tokens: [arg], actionTokens: [commandPrefix(ctx), arg] });
    });
    const specFlag = typeof ctx.flags.spec === 'string' ? path.resolve(ctx.cwd, ctx.flags.spec) : undefined;
    if (specFlag && !existsSync(specFlag)) throw catalogueError('PathNotFound', { variant: 'spec', tokens: [specFlag], actionTokens: [commandPrefix(ctx)] });
    const apiVersion = typeof ctx.flags['api-version'] === 'string' ? ctx.flags['api-version'] : undefined;
    if (apiVersion !== undefined && !/^\d+(\.\d+)?$/.test(apiVersion)) throw catalogueError('InvalidApiVersion', { variant: 'flag', tokens: [apiVersion] });

    // A Metadata API format folder (package.xml + presenceUserConfigs/X.presenceUserConfig) outside any
    // sfdx project is validated on its own, at its package.xml <version>.
    const project = locateProject(ctx.cwd, paths);
    const projectRoot = project.root;
    const level = String(ctx.flags.level ?? 'warning') as Severity;
    const validation = await validateProject({
      projectRoot,
      paths,
      specFile: specFlag,
      ...(apiVersion ? { apiVersion } : project.apiVersion ? { apiVersion: project.apiVersion } : {}),
      ...(project.withoutProject ? { withoutProject: true } : {}),
      // Only the findings are printed: no parsed tree is kept past its own checks.
      keepDocuments: false,
      // The text output lists the findings at or above --level and only counts the others: those are
      // counted, not built (the JSON and SARIF outputs list every finding, whatever the level).
      ...(!ctx.json && format === 'text' && level !== 'info' ? { shownLevel: level } : {}),
    });
    // A CI gate that checked nothing must not pass: an explicit path with no Omni-Channel file is a usage error.
    if (paths.length && validation.filesChecked - (specFlag ? 1 : 0) === 0 && !validation.diagnostics.some((d) => d.severity === 'error')) {
      throw catalogueError('UsageError', { variant: 'nothingChecked', tokens: [ctx.args.join(', ')] });
    }

    const report: ValidationReport = { diagnostics: validation.diagnostics, summary: summarize(validation.diagnostics, validation.filesChecked, validation.hidden) };
    const status = report.summary.errors > 0 ? 1 : 0;
    levels.set(report, level);
    if (!ctx.json && format !== 'text') {
      const output = format === 'sarif' ? toSarif(report.diagnostics, { toolVersion: await packageVersion() }) : { status, result: report, warnings: [] };
      ctx.ui.logJson(output);
      printedByRun.add(report);
    }
    return { status, result: report };
  },
  render(result, ui) {
    if (printedByRun.has(result)) return;
    if ('rules' in result) ui.log(formatRuleList(result.rules));
    else printText(result, { level: levelOf(result) }, (text) => ui.log(text));
  },
});

/** `render` only gets the result: the --level flag travels beside it. */
const levels = new WeakMap<object, Severity>();
function levelOf(result: object): Severity {
  return levels.get(result) ?? 'warning';
}


async function packageVersion(): Promise<string | undefined> {
  try {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version;
  } catch {
    return undefined;
  }
}
