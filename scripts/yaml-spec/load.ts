/**
 * Loads `config/omni-channel.yaml` with source locations. Never throws for bad input: YAML syntax errors,
 * schema errors and API-version errors all come back as Diagnostics located at file:line:col.
 */
import path from 'node:path';
import { readInputText, unreadableInput } from '../lib/input-file.ts';
import { ruleText } from '../lib/messages.ts';
import { nullPrototypeInPlace } from '../lib/null-proto.ts';
import { parseYamlInput, type YamlProblem } from '../lib/yaml-input.ts';
import { readPlainYaml } from '../lib/yaml-plain.ts';
import { closest } from '../lib/suggest.ts';
import { yamlPosition, yamlScope } from '../lib/yaml-position.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import { findProjectRoot, projectApiVersion, readSfdxProject } from '../metadata/project.ts';
import { USER_ASSIGNMENT_KEYS } from './mapping.ts';
import { SpecSchema, expectedAt, expectedKindAt, knownKeysAt, type OmniSpec } from './schema.ts';
import { parseValidSpec } from './spec-check.ts';
import { API_VERSION_PATTERN } from '../metadata/project.ts';
import { rangeOf, rangeText } from '../metadata/registry.ts';
import { compileSpec, unplacedOtherElements, versionDiagnostics, type CompiledEntry } from './compile.ts';
import { commandPrefix } from '../lib/io.ts';

export type SpecPath = readonly (string | number)[];
export interface SourcePosition {
  line: number;
  column: number;
}
/**
 * Where a spec path is in the YAML: the value's position (or the key's, with `{ key: true }`). `within(p)`,
 * when present, locates paths relative to `p` (`within(p)(q)` is `locate([...p, ...q])`) without walking
 * the document from its root for each of them.
 */
export type Locate = ((specPath: SpecPath, options?: { key?: boolean }) => SourcePosition) & { within?: (scope: SpecPath) => Locate };

export interface LoadSpecOptions {
  /** API version to check against; wins over the spec's `apiVersion` and sfdx-project.json. */
  apiVersion?: string;
  /** Project root for relative file names and sourceApiVersion; found from the spec file when omitted. */
  projectRoot?: string;
}

export interface LoadedSpec {
  spec?: OmniSpec;
  diagnostics: Diagnostic[];
  locate: Locate;
  /** The API version the spec was checked against (undefined when none could be determined). */
  apiVersion?: string;
  /** `compileSpec(spec)`, when the spec loaded without errors: pass it to specToDocuments as `entries`. */
  entries?: readonly CompiledEntry[];
  /** The spec file as given, and as written in diagnostics (relative to the project root). */
  file: string;
  displayFile: string;
  projectRoot?: string;
}

export async function loadSpec(file: string, options: LoadSpecOptions = {}): Promise<LoadedSpec> {
  const absolute = path.resolve(file);
  let projectRoot = options.projectRoot;
  if (!projectRoot) {
    try {
      projectRoot = findProjectRoot(path.dirname(absolute));
    } catch {
      projectRoot = undefined;
    }
  }
  const displayFile = projectRoot ? toPosix(path.relative(projectRoot, absolute)) : toPosix(file);
  let text: string;
  try {
    text = await readInputText(absolute);
  } catch (error) {
    const problem = unreadableInput(error);
    return {
      diagnostics: [
        {
          ruleId: 'SPEC-READ',
          severity: 'error',
          message: problem.kind === 'not-found' ? ruleText('SPEC-READ.notFound') : ruleText('SPEC-READ', [problem.message]),
          hint: problem.kind === 'not-found' ? ruleText('SPEC-READ.notFound.hint', [commandPrefix()]) : problem.hint,
          file: displayFile,
          line: problem.line ?? 1,
          column: problem.column ?? 1,
        },
      ],
      locate: () => ({ line: 1, column: 1 }),
      file,
      displayFile,
      projectRoot,
    };
  }
  let projectVersion: string | undefined;
  if (projectRoot && !options.apiVersion) {
    try {
      projectVersion = projectApiVersion(readSfdxProject(projectRoot));
    } catch {
      projectVersion = undefined;
    }
  }
  const loaded = loadSpecText(text, { file: displayFile, apiVersion: options.apiVersion, projectApiVersion: projectVersion });
  return { ...loaded, file, displayFile, projectRoot };
}

export interface LoadSpecTextOptions {
  /** File name used in diagnostics. */
  file: string;
  /** Explicit API version (wins over everything). */
  apiVersion?: string;
  /** sourceApiVersion of the project (used when the spec has no `apiVersion`). */
  projectApiVersion?: string;
}

/** Same as loadSpec, from text. Never throws. */
export function loadSpecText(text: string, options: LoadSpecTextOptions): Omit<LoadedSpec, 'file' | 'displayFile' | 'projectRoot'> {
  const file = options.file;
  const read = readSpecYaml(text);
  const diagnostics: Diagnostic[] = read.problems.map((p) => ({
    ruleId: 'SPEC-YAML',
    severity: p.severity,
    message: p.message,
    hint: p.hint,
    file,
    line: p.line,
    column: p.column,
  }));
  const locate = read.locate;
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, locate };
  let data = read.value;
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    diagnostics.push({
      ruleId: 'SPEC-SCHEMA',
      severity: 'error',
      message: ruleText('SPEC-SCHEMA.notMapping'),
      hint: ruleText('SPEC-SCHEMA.notMapping.hint', [commandPrefix()]),
      file,
      ...at(locate([])),
    });
    return { diagnostics, locate };
  }

  const userKeys = findUserAssignmentKeys(data as Record<string, unknown>);
  for (const keyPath of userKeys) {
    diagnostics.push({
      ruleId: 'SPEC-USER-ASSIGNMENT',
      severity: 'error',
      message: ruleText('SPEC-USER-ASSIGNMENT', [keyPath.join('.')]),
      hint: ruleText('SPEC-USER-ASSIGNMENT.hint'),
      file,
      ...at(locate(keyPath, { key: true })),
    });
  }

  // A spec that passes is checked by the compiled schema (spec-check.ts: zod's value, without zod's per-value
  // work); one that does not is parsed by zod, which words its errors. reportInput: type messages say what
  // was found (`found the string "20"`).
  const valid = parseValidSpec(data);
  const result = valid === undefined ? SpecSchema.safeParse(data, { reportInput: true }) : undefined;
  if (result && !result.success) {
    for (const issue of result.error.issues) {
      const issuePath = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const keyPath = [...issuePath, key];
          if (userKeys.some((u) => samePath(u, keyPath))) continue;
          const known = knownKeysAt(issuePath);
          const suggestion = closest(key, known);
          diagnostics.push({
            ruleId: 'SPEC-SCHEMA',
            severity: 'error',
            message: issuePath.length ? ruleText('SPEC-SCHEMA.unknownKey.in', [key, issuePath.join('.')]) : ruleText('SPEC-SCHEMA.unknownKey', [key]),
            hint: suggestion
              ? ruleText('SPEC-SCHEMA.unknownKey.didYouMean', [suggestion])
              : known.length
                ? ruleText('SPEC-SCHEMA.unknownKey.known', [known.join(', ')])
                : undefined,
            file,
            ...at(locate(keyPath, { key: true })),
          });
        }
        continue;
      }
      diagnostics.push({
        ruleId: 'SPEC-SCHEMA',
        severity: 'error',
        message: ruleText('SPEC-SCHEMA', [issuePath.length ? issuePath.join('.') : 'spec', issueMessage(issue as unknown as Issue, issuePath)]),
        hint: issueHint(issue as unknown as Issue, issuePath),
        file,
        ...at(locate(issuePath)),
      });
    }
  }
  if (diagnostics.some((d) => d.severity === 'error') || (result && !result.success)) return { diagnostics, locate };

  // zod's output is fresh objects of its own: made null-prototype where they are, not copied again (the
  // compiled check's are null-prototype already).
  const spec = (valid ?? nullPrototypeInPlace(result?.data)) as OmniSpec;
  const apiVersion = options.apiVersion ?? spec.apiVersion ?? options.projectApiVersion;
  if (!apiVersion || !API_VERSION_PATTERN.test(apiVersion)) {
    diagnostics.push({
      ruleId: 'SPEC-VERSION',
      severity: 'error',
      message: apiVersion ? ruleText('SPEC-VERSION.invalid', [apiVersion]) : ruleText('SPEC-VERSION.none'),
      hint: ruleText('SPEC-VERSION.none.hint'),
      file,
      ...at(locate(spec.apiVersion ? ['apiVersion'] : [])),
    });
    return { spec, diagnostics, locate };
  }
  // Compiled once for the checks below and for the caller's documents (specToDocuments with `entries`).
  const entries = compileSpec(spec);
  diagnostics.push(...versionDiagnostics(spec, apiVersion, { locate, file, entries }));
  // A nested otherElements key whose parent generate does not write would be dropped without a word.
  for (const { path: keyPath, key } of unplacedOtherElements(spec, apiVersion, entries)) {
    diagnostics.push({
      ruleId: 'SPEC-SCHEMA',
      severity: 'error',
      message: ruleText('SPEC-SCHEMA.unplaced', [keyPath.join('.'), key.slice(0, key.lastIndexOf('/'))]),
      hint: ruleText('SPEC-SCHEMA.unplaced.hint'),
      file,
      ...at(locate(keyPath, { key: true })),
    });
  }
  return { spec, diagnostics, locate, apiVersion, entries };
}

/**
 * The spec's data and its locations. Plain YAML (nearly every spec) is read by readPlainYaml: js-yaml, with
 * positions recorded as it reads (0.2 s and ~20 MB for 10,000 configurations); anything else, and every text
 * with a problem to report, by parseYamlInput (the `yaml` package), whose Document then answers the
 * locations. The two give the same value and positions (test/lib/yaml-plain.test.ts).
 */
function readSpecYaml(text: string): { value?: unknown; problems: YamlProblem[]; locate: Locate } {
  const plain = readPlainYaml(text);
  if (plain) {
    const locate: Locate = (specPath, options = {}) => plain.position(specPath, options.key);
    locate.within = (scope) => {
      const at = plain.scope(scope);
      return (rest, options = {}) => at(rest, options.key);
    };
    return { value: plain.value, problems: [], locate };
  }
  const parsed = parseYamlInput(text);
  const doc = parsed.doc;
  if (!doc) return { problems: parsed.problems, locate: () => ({ line: 1, column: 1 }) };
  const locate: Locate = (specPath, options = {}) => yamlPosition(doc, parsed.lineCounter, specPath, options.key);
  locate.within = (scope) => {
    const at = yamlScope(doc, parsed.lineCounter, scope);
    return (rest, options = {}) => at(rest, options.key);
  };
  return { value: parsed.value, problems: parsed.problems, locate };
}

function findUserAssignmentKeys(data: Record<string, unknown>): (string | number)[][] {
  const found: (string | number)[][] = [];
  for (const rule of USER_ASSIGNMENT_KEYS) {
    const section = data[rule.specKey];
    if (!section || typeof section !== 'object') continue;
    for (const [name, entry] of Object.entries(section as Record<string, unknown>)) {
      const holder = rule.inside ? (entry as Record<string, unknown> | null)?.[rule.inside] : entry;
      if (holder && typeof holder === 'object' && !Array.isArray(holder) && rule.key in holder) {
        found.push(rule.inside ? [rule.specKey, name, rule.inside, rule.key] : [rule.specKey, name, rule.key]);
      }
    }
  }
  return found;
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((v, i) => String(v) === String(b[i]));
}

function at(pos: SourcePosition): { line: number; column: number } {
  return { line: pos.line, column: pos.column };
}

interface Issue {
  code: string;
  message: string;
  [key: string]: unknown;
}

const missing = (issue: Issue) => issue.code === 'invalid_type' && !('input' in issue && issue.input !== undefined);
/** A wrong-typed value: the key is there, its value is not of the expected kind. */
const wrongType = (issue: Issue) =>
  ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && 'input' in issue && issue.input !== undefined) ||
  (issue.code === 'invalid_type' && (issue as { expected?: string }).expected === 'int');

function issueMessage(issue: Issue, issuePath: (string | number)[]): string {
  if (missing(issue)) return ruleText('SPEC-SCHEMA.missing');
  if (wrongType(issue)) {
    const expected = expectedAt(issuePath) ?? (issue as { expected?: string }).expected ?? ruleText('SPEC-SCHEMA.anotherValue');
    return ruleText('SPEC-SCHEMA.wrongType', [expected, describeFound(issue.input)]);
  }
  if ((issue.code === 'too_small' || issue.code === 'too_big') && typeof issue.input === 'number') {
    const expected = expectedAt(issuePath);
    if (expected) return ruleText('SPEC-SCHEMA.wrongType', [expected, issue.input]);
  }
  return issue.message;
}

/** How a YAML value reads in a message: `the string "20"`, `the number 2.5`, `true`, `null`, `a list`. */
function describeFound(value: unknown): string {
  if (value === null) return ruleText('SPEC-SCHEMA.found.null');
  if (typeof value === 'string') return ruleText('SPEC-SCHEMA.found.string', [JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)]);
  if (typeof value === 'number') return ruleText('SPEC-SCHEMA.found.number', [value]);
  if (typeof value === 'boolean') return ruleText('SPEC-SCHEMA.found.boolean', [value]);
  if (Array.isArray(value)) return ruleText('SPEC-SCHEMA.expected.list');
  if (typeof value === 'object') return ruleText('SPEC-SCHEMA.expected.mapping');
  return String(value);
}

function issueHint(issue: Issue, issuePath: (string | number)[]): string | undefined {
  const last = String(issuePath[issuePath.length - 1]);
  if (missing(issue)) return ruleText('SPEC-SCHEMA.missing.hint', [last]);
  if (wrongType(issue) && last !== 'afterConversationWork') {
    const expected = expectedAt(issuePath);
    const kind = expectedKindAt(issuePath);
    const input = issue.input;
    if (typeof input === 'string' && kind === 'integer' && /^[+-]?\d+$/.test(input.trim())) return ruleText('SPEC-SCHEMA.unquoteNumber.hint', [last, input.trim()]);
    if (typeof input === 'string' && kind === 'number' && input.trim() !== '' && Number.isFinite(Number(input))) return ruleText('SPEC-SCHEMA.unquoteNumber.hint', [last, input.trim()]);
    if (typeof input === 'number' && kind === 'integer') return ruleText('SPEC-SCHEMA.wholeNumber.hint', [last, Math.max(Math.round(input), 1)]);
    if (typeof input === 'string' && kind === 'boolean' && /^(true|false)$/i.test(input.trim())) return ruleText('SPEC-SCHEMA.unquoteBoolean.hint', [last, input.trim().toLowerCase()]);
    if (expected) return ruleText('SPEC-SCHEMA.expected.hint', [expected, last]);
  }
  if (issue.code === 'invalid_value' && Array.isArray(issue.values)) return ruleText('SPEC-SCHEMA.oneOf.hint', [(issue.values as unknown[]).join(', ')]);
  if (issue.code === 'invalid_key' || issue.code === 'invalid_format') return ruleText('SPEC-SCHEMA.name.hint');
  if (issue.code === 'invalid_union' && last === 'afterConversationWork') {
    const range = (path: string) => rangeText(rangeOf('PresenceUserConfig', path));
    return ruleText('SPEC-SCHEMA.afterConversationWork.hint', [range('afterConvoWorkMaxTime'), range('acwExtensionDuration'), range('maxExtensions')]);
  }
  if (issue.code === 'too_small' || issue.code === 'too_big') return ruleText('SPEC-SCHEMA.range.hint');
  return undefined;
}


function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
