/**
 * Output of a validation run: compiler-style text, the JSON result (`{ diagnostics, summary }`, wrapped in
 * the CLI envelope by the caller) and SARIF 2.1.0 for code-scanning annotations.
 */
import { RULES, type RuleInfo } from './catalogue.ts';
import { formatDiagnostic, type Diagnostic, type Severity } from '../lib/diagnostic.ts';
import { countText, messageList, messageText } from '../lib/messages.ts';

export interface ValidationSummary {
  errors: number;
  warnings: number;
  infos: number;
  filesChecked: number;
  /** Files with at least one diagnostic of any severity. */
  filesWithDiagnostics: number;
}

export interface ValidationReport {
  diagnostics: Diagnostic[];
  summary: ValidationSummary;
}

/**
 * Findings a run counted instead of returning (validateProject's `shownLevel`): an output that shows only
 * errors and warnings, or only errors, still counts every finding in its summary. Errors are always returned.
 */
export interface HiddenFindings {
  warnings: number;
  infos: number;
  /** The files they are in. */
  files: Set<string>;
}

/** The counts of `diagnostics` and of the `hidden` findings beside them. */
export function summarize(diagnostics: readonly Diagnostic[], filesChecked: number, hidden?: HiddenFindings): ValidationSummary {
  let errors = 0;
  let warnings = hidden?.warnings ?? 0;
  let infos = hidden?.infos ?? 0;
  // The hidden findings' files are counted as they are, not copied (10,000 at 10,000 configurations): only
  // the shown findings' other files are gathered.
  const hiddenFiles = hidden?.files;
  const otherFiles = new Set<string>();
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
    else infos++;
    if (d.file && !hiddenFiles?.has(d.file)) otherFiles.add(d.file);
  }
  return { errors, warnings, infos, filesChecked, filesWithDiagnostics: (hiddenFiles?.size ?? 0) + otherFiles.size };
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Findings per piece of the text output: ~30 KB strings that die young. */
const TEXT_PIECE = 100;

/**
 * The text output: one `file:line:col: severity RULE: message` line (+ hint line) per diagnostic at or above `level`,
 * then the summary, handed to `log` in pieces of whole lines, each without its last line end (`ui.log` adds it), so
 * the pieces printed one after another are the whole text: 20,000 findings under `--level info` are ~6 MB of text,
 * never held as one string (bench/RESULTS.md, "Validate at scale").
 */
export function printText(report: ValidationReport, options: { level?: Severity }, log: (text: string) => void): void {
  const level = options.level ?? 'warning';
  const shown = report.diagnostics.filter((d) => RANK[d.severity] <= RANK[level]);
  const { errors, warnings, infos, filesChecked } = report.summary;
  // Every level below --level is counted in the totals but not listed: each says so, with the flag that lists it.
  const hiddenWarnings = RANK[level] < RANK.warning ? warnings : 0;
  const hiddenInfos = RANK[level] < RANK.info ? infos : 0;
  const counts = [countText('validate-output', 'count.error', errors, [errors]), countText('validate-output', 'count.warning', warnings, [warnings]), countText('validate-output', 'count.file', filesChecked, [filesChecked])];
  const hidden = [
    ...(hiddenWarnings ? [countText('validate-output', 'hidden.warning', hiddenWarnings, [hiddenWarnings])] : []),
    ...(hiddenInfos ? [countText('validate-output', 'hidden.info', hiddenInfos, [hiddenInfos])] : []),
  ];
  let summary: string;
  if (hidden.length) summary = messageText('validate-output', 'summary.hidden', [counts[0], counts[1], counts[2], hidden.join('; ')]);
  else if (infos) summary = messageText('validate-output', 'summary.infos', [counts[0], counts[1], counts[2], infos]);
  else summary = messageText('validate-output', 'summary', [counts[0], counts[1], counts[2]]);
  for (let start = 0; start < shown.length; start += TEXT_PIECE) log(shown.slice(start, start + TEXT_PIECE).map(formatDiagnostic).join('\n'));
  // A blank line between the findings and the summary.
  if (shown.length) log('');
  log(summary);
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  toolVersion?: string;
  informationUri?: string;
}

/** A SARIF 2.1.0 log: the catalogue as `tool.driver.rules`, one result per diagnostic (made as the log is written: `SarifResult`). */
export function toSarif(diagnostics: readonly Diagnostic[], options: SarifOptions = {}): Record<string, unknown> {
  const rules: RuleInfo[] = [...RULES];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  for (const d of diagnostics) {
    // A rule id the catalogue does not know (a newer parser check) still gets a descriptor.
    if (!index.has(d.ruleId)) {
      index.set(d.ruleId, rules.length);
      rules.push({ id: d.ruleId, severity: d.severity, summary: d.message, specRules: [], docs: '', source: 'validator' });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'omni validate',
            ...(options.toolVersion ? { version: options.toolVersion, semanticVersion: options.toolVersion } : {}),
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: rules.map((r) => ({
              id: r.id,
              name: ruleName(r.id),
              shortDescription: { text: r.summary },
              fullDescription: { text: r.summary },
              ...(r.docs ? { helpUri: r.docs } : {}),
              help: { text: r.summary },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
              properties: { specRules: r.specRules, source: r.source },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: messageText('validate-output', 'sarif.projectRoot') } } },
        results: diagnostics.map((d) => new SarifResult(d, index.get(d.ruleId))),
      },
    ],
  };
}

/**
 * A SARIF result, made only as the log is written (JSON.stringify calls `toJSON`): a log of 20,000 findings holds
 * one small object per finding, not its ~10 objects and the message joined to the hint (bench/RESULTS.md,
 * "Validate at scale").
 */
class SarifResult {
  private readonly d: Diagnostic;
  private readonly ruleIndex: number | undefined;

  constructor(d: Diagnostic, ruleIndex: number | undefined) {
    this.d = d;
    this.ruleIndex = ruleIndex;
  }

  toJSON(): Record<string, unknown> {
    const d = this.d;
    return {
      ruleId: d.ruleId,
      ruleIndex: this.ruleIndex,
      level: SARIF_LEVEL[d.severity],
      message: { text: d.hint ? `${d.message} ${d.hint}` : d.message },
      locations: d.file ? [sarifLocation(d.file, d.line, d.column)] : [],
      ...(d.related?.length
        ? { relatedLocations: d.related.map((r, i) => ({ id: i + 1, ...sarifLocation(r.file, r.line, r.column), ...(r.message ? { message: { text: r.message } } : {}) })) }
        : {}),
    };
  }
}

function sarifLocation(file: string, line?: number, column?: number) {
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(file), uriBaseId: '%SRCROOT%' },
      ...(line ? { region: { startLine: line, startColumn: column ?? 1 } } : {}),
    },
  };
}

/** `PUC-AUTOACCEPT-DECLINE` → `PucAutoacceptDecline` (SARIF's reportingDescriptor.name is PascalCase by convention). */
function ruleName(id: string): string {
  return id
    .toLowerCase()
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/**
 * The catalogue as text for `--list-rules`: each rule's id, level (its default severity) and summary, and
 * under the summary the Salesforce documentation page it follows.
 */
export function formatRuleList(rules: readonly RuleInfo[] = RULES): string {
  const [rule, level, summary] = messageList('validate-output', 'rules.columns');
  const idWidth = Math.max(rule.length, ...rules.map((r) => r.id.length));
  const levelWidth = Math.max(level.length, ...rules.map((r) => r.severity.length));
  const indent = ' '.repeat(idWidth + levelWidth + 4);
  const lines = rules.map((r) => `${r.id.padEnd(idWidth)}  ${r.severity.padEnd(levelWidth)}  ${r.summary}${r.docs ? `\n${indent}${r.docs}` : ''}`);
  return [`${rule.padEnd(idWidth)}  ${level.padEnd(levelWidth)}  ${summary}`, ...lines, '', countText('validate-output', 'rules.total', rules.length, [rules.length])].join('\n');
}
