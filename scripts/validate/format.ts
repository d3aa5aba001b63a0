/**
 * Output of a validation run: compiler-style text, the JSON result (`{ diagnostics, summary }`, wrapped in
 * the CLI envelope by the caller) and SARIF 2.1.0 for code-scanning annotations.
 */
import { RULES, type RuleInfo } from './catalogue.ts';
import { formatDiagnostic, type Diagnostic, type Severity } from '../lib/diagnostic.ts';

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

export function summarize(diagnostics: readonly Diagnostic[], filesChecked: number): ValidationSummary {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  const files = new Set<string>();
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
    else infos++;
    if (d.file) files.add(d.file);
  }
  return { errors, warnings, infos, filesChecked, filesWithDiagnostics: files.size };
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One `file:line:col: severity RULE: message` line (+ hint line) per diagnostic at or above `level`, then the summary. */
export function formatText(report: ValidationReport, options: { level?: Severity } = {}): string {
  const level = options.level ?? 'warning';
  const shown = report.diagnostics.filter((d) => RANK[d.severity] <= RANK[level]);
  const { errors, warnings, infos, filesChecked } = report.summary;
  const hiddenInfos = RANK[level] < RANK.info ? infos : 0;
  const lines = shown.map(formatDiagnostic);
  let summary = `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(filesChecked, 'file')}`;
  if (hiddenInfos) summary += ` (${hiddenInfos} info not shown: references checked at deploy; --level info lists them)`;
  else if (infos) summary += `, ${infos} info`;
  if (lines.length) lines.push('');
  lines.push(summary);
  return lines.join('\n');
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  toolVersion?: string;
  informationUri?: string;
}

/** A SARIF 2.1.0 log: the catalogue as `tool.driver.rules`, one result per diagnostic. */
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
  const location = (file: string, line?: number, column?: number) => ({
    physicalLocation: {
      artifactLocation: { uri: encodeURI(file), uriBaseId: '%SRCROOT%' },
      ...(line ? { region: { startLine: line, startColumn: column ?? 1 } } : {}),
    },
  });
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
              fullDescription: { text: r.specRules.length ? `${r.summary} (reference spec §10 rule ${r.specRules.join(', ')})` : r.summary },
              ...(r.docs ? { helpUri: r.docs } : {}),
              help: { text: r.summary },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
              properties: { specRules: r.specRules, source: r.source },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The project root (the folder with sfdx-project.json).' } } },
        results: diagnostics.map((d) => ({
          ruleId: d.ruleId,
          ruleIndex: index.get(d.ruleId),
          level: SARIF_LEVEL[d.severity],
          message: { text: d.hint ? `${d.message} ${d.hint}` : d.message },
          locations: d.file ? [location(d.file, d.line, d.column)] : [],
          ...(d.related?.length
            ? { relatedLocations: d.related.map((r, i) => ({ id: i + 1, ...location(r.file, r.line, r.column), ...(r.message ? { message: { text: r.message } } : {}) })) }
            : {}),
        })),
      },
    ],
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

/** The catalogue as text for `--list-rules`. */
export function formatRuleList(rules: readonly RuleInfo[] = RULES): string {
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const lines = rules.map((r) => {
    const spec = r.specRules.length ? `§10.${r.specRules.join(',')}` : '';
    return `${r.id.padEnd(idWidth)}  ${r.severity.padEnd(8)}  ${spec.padEnd(12)}  ${r.summary}\n${' '.repeat(idWidth + 2)}${r.docs}`;
  });
  return [`${'RULE'.padEnd(idWidth)}  SEVERITY  SPEC          SUMMARY`, ...lines, '', `${rules.length} rules.`].join('\n');
}
