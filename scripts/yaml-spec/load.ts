/**
 * Loads `config/omni-channel.yaml` with source locations. Never throws for bad input: YAML syntax errors,
 * schema errors and API-version errors all come back as Diagnostics located at file:line:col.
 */
import path from 'node:path';
import { readInputTextSync, unreadableInput } from '../lib/input-file.ts';
import { messageText, ruleText } from '../lib/messages.ts';
import { nullPrototypeInPlace } from '../lib/null-proto.ts';
import { parseYamlInput, type YamlProblem } from '../lib/yaml-input.ts';
import { readPlainYaml } from '../lib/yaml-plain.ts';
import { closest } from '../lib/suggest.ts';
import { yamlPosition, yamlScope } from '../lib/yaml-position.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import { findProjectRoot, projectApiVersion, readSfdxProject } from '../metadata/project.ts';
import { OTHER_ELEMENTS_KEY, TYPE_MAPPINGS, USER_ASSIGNMENT_KEYS, elementOfSpecPath } from './mapping.ts';
import { expectedAt, expectedKindAt, knownKeysAt, specSchema, type OmniSpec } from './schema.ts';
import { parseValidSpec } from './spec-check.generated.ts';
import { API_VERSION_PATTERN } from '../metadata/project.ts';
import { elementAt, getType, rangeOf, rangeText } from '../metadata/registry.ts';
import { developerNameFinding, rangeFinding, textFinding, type ValueFinding } from '../metadata/value-rules.ts';
import { caseDuplicateNames, declaresNothing, unplacedOtherElements, versionDiagnostics } from './compile.ts';
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
export type Locate = ((specPath: SpecPath, options?: { key?: boolean }) => SourcePosition) & { within?: (scope: SpecPath) => Locate; offsets?: LocateOffsets };

/**
 * The plain reader's locations as offsets into the text (readPlainYaml's offsetScope): `within(p)(q, key)` is
 * where `locate([...p, ...q], { key })` is, as a number; `position` turns one into file:line:col. For a caller
 * that keeps thousands of locations and reports a few (scripts/validate/held.ts).
 */
export interface LocateOffsets {
  within(scope: SpecPath): (rest: SpecPath, key?: boolean) => number;
  position(offset: number): SourcePosition;
}

export interface LoadSpecOptions {
  /** API version to check against; wins over the spec's `apiVersion` and sfdx-project.json. */
  apiVersion?: string;
  /** Project root for relative file names and sourceApiVersion; found from the spec file when omitted. */
  projectRoot?: string;
  /**
   * The spec's value as the YAML has it (its mappings' keys in the file's order, not the schema's): a valid
   * spec is checked, not copied (parseValidSpec's inPlace). For a caller that reads the spec by key and writes
   * none of it back (validate).
   */
  checkInPlace?: boolean;
}

export interface LoadedSpec {
  spec?: OmniSpec;
  diagnostics: Diagnostic[];
  locate: Locate;
  /** The API version the spec was checked against (undefined when none could be determined). */
  apiVersion?: string;
  /**
   * With a spec: false when its text cannot name a StaticResource (it holds neither `staticResource` nor a backslash,
   * which could spell the key), so a caller that looks for the names (static-resources.ts) need not walk every entry.
   */
  mayNameStaticResources?: boolean;
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
    // Read at once: nothing else runs meanwhile, and the promise-based read's five steps (open, stat, two reads, close)
    // each wait on libuv's thread pool (~10 -> ~4 ms for a 2.7 MB spec on an idle machine).
    text = readInputTextSync(absolute);
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
  const loaded = loadSpecText(text, { file: displayFile, apiVersion: options.apiVersion, projectApiVersion: projectVersion, checkInPlace: options.checkInPlace });
  return { ...loaded, file, displayFile, projectRoot };
}

export interface LoadSpecTextOptions {
  /** File name used in diagnostics. */
  file: string;
  /** Explicit API version (wins over everything). */
  apiVersion?: string;
  /** sourceApiVersion of the project (used when the spec has no `apiVersion`). */
  projectApiVersion?: string;
  /** See LoadSpecOptions. */
  checkInPlace?: boolean;
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

  // A key stands in the text as written, unless an escape spells it (a backslash): a text with neither holds no
  // user assignment key, and the walk of every entry (~4.5 ms CPU at 10,000 configurations) is not needed.
  const userKeys =
    text.includes('\\') || USER_ASSIGNMENT_KEYS.some((rule) => text.includes(rule.key)) ? findUserAssignmentKeys(data as Record<string, unknown>) : [];
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

  // A spec that passes is checked by code generated from the schema (spec-check.generated.ts: zod's value,
  // without loading zod or building the schema); one that does not is parsed by zod, loaded then, which words
  // its errors. reportInput: type messages say what was found (`found the string "20"`).
  const valid = parseValidSpec(data, { inPlace: options.checkInPlace });
  const result = valid === undefined ? specSchema().safeParse(data, { reportInput: true }) : undefined;
  if (result && !result.success) {
    // One diagnostic per place and wording: zod may report one value twice (an int's safe range and its max).
    const seen = new Set<string>();
    let lineStarts: number[] | undefined;
    for (const issue of specificIssues(result.error.issues as unknown as Issue[])) {
      const issuePath = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys ?? []) {
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
      const where = locate(issuePath);
      // A value of the right kind that breaks a value rule: the XML check's rule id and words, naming the spec's key.
      const finding = valueFinding(issue, issuePath, () => sourceToken(text, where, (lineStarts ??= lineStartsOf(text))));
      if (finding) {
        // A name's finding is at the name, as a file's is at its file.
        const place = issue.code === 'invalid_key' ? locate(issuePath, { key: true }) : where;
        const key = `${place.line}:${place.column}:${finding.message}:${finding.hint}`;
        if (seen.has(key)) continue;
        seen.add(key);
        diagnostics.push({ ruleId: finding.ruleId, severity: 'error', message: finding.message, hint: finding.hint, file, ...at(place) });
        continue;
      }
      // What was written matters only for a number or true/false (as written, quoted in a hint).
      const input = (issue as { input?: unknown }).input;
      const source = typeof input === 'number' || typeof input === 'boolean' ? sourceToken(text, where, (lineStarts ??= lineStartsOf(text))) : undefined;
      const message = ruleText('SPEC-SCHEMA', [issuePath.length ? issuePath.join('.') : 'spec', issueMessage(issue, issuePath, source)]);
      const hint = issueHint(issue, issuePath, source);
      const key = `${where.line}:${where.column}:${message}:${hint}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diagnostics.push({ ruleId: 'SPEC-SCHEMA', severity: 'error', message, hint, file, ...at(where) });
    }
  }
  if (diagnostics.some((d) => d.severity === 'error') || (result && !result.success)) return { diagnostics, locate };

  // zod's output is fresh objects of its own: made null-prototype where they are, not copied again (the
  // compiled check's are null-prototype already).
  const spec = (valid ?? nullPrototypeInPlace(result?.data)) as OmniSpec;
  const mayNameStaticResources = text.includes('\\') || text.includes('staticResource');
  // Names that differ only in case are one component to the org: the same finding as a repeated key.
  const caseDuplicates = caseDuplicateNames(spec);
  for (const { path: keyPath, firstPath } of caseDuplicates) {
    const first = locate(firstPath, { key: true });
    diagnostics.push({
      ruleId: 'SPEC-YAML',
      severity: 'error',
      message: messageText('input', 'yaml.duplicateKey.case', [keyPath.at(-1), firstPath.at(-1), first.line, first.column]),
      hint: messageText('input', 'yaml.duplicateKey.hint'),
      file,
      ...at(locate(keyPath, { key: true })),
    });
  }
  if (caseDuplicates.length) return { diagnostics, locate };
  // A spec that declares nothing is almost always a mistake (a truncated file, a wrong --spec): generate would
  // write nothing and validate pass it. import never writes one (NothingToImport), and no command accepts one.
  if (declaresNothing(spec)) {
    diagnostics.push({
      ruleId: 'SPEC-EMPTY',
      severity: 'error',
      message: ruleText('SPEC-EMPTY', [file]),
      hint: ruleText('SPEC-EMPTY.hint', [commandPrefix(), file]),
      file,
      ...at(locate([])),
    });
    return { spec, diagnostics, locate, mayNameStaticResources };
  }
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
    return { spec, diagnostics, locate, mayNameStaticResources };
  }
  // Neither check compiles more entries than it looks at (a large spec's are compiled one at a time, as its
  // documents are built: specToDocuments, eachSpecDocument).
  diagnostics.push(...versionDiagnostics(spec, apiVersion, { locate, file }));
  // A nested otherElements key whose parent generate does not write would be dropped without a word. As for user
  // assignment keys above: a text that cannot hold the key is not walked (~2 ms at 10,000 configurations).
  const unplaced = text.includes('\\') || text.includes(OTHER_ELEMENTS_KEY) ? unplacedOtherElements(spec, apiVersion) : [];
  for (const { path: keyPath, key } of unplaced) {
    diagnostics.push({
      ruleId: 'SPEC-SCHEMA',
      severity: 'error',
      message: ruleText('SPEC-SCHEMA.unplaced', [keyPath.join('.'), key.slice(0, key.lastIndexOf('/'))]),
      hint: ruleText('SPEC-SCHEMA.unplaced.hint'),
      file,
      ...at(locate(keyPath, { key: true })),
    });
  }
  return { spec, diagnostics, locate, apiVersion, mayNameStaticResources };
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
    // The locator keeps the positions, not the YAML value (~7 MB at 10,000 configurations): that dies once the
    // schema check has made the spec's own value, while the locator lives on through the documents.
    const { position, scope, offsetScope, positionAt } = plain;
    // No default `{}` for the options: ~100,000 calls place a large spec's document nodes.
    const locate: Locate = (specPath, options) => position(specPath, options?.key);
    locate.within = (within) => {
      const at = scope(within);
      return (rest, options) => at(rest, options?.key);
    };
    locate.offsets = { within: offsetScope, position: positionAt };
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
    // Names, not [name, entry] pairs: one array for 10,000 entries, not one per entry.
    const names = Object.keys(section);
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const entry = (section as Record<string, unknown>)[name];
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

/**
 * The value rule (metadata/value-rules.ts) a schema issue is, when the value is of the kind its element holds and
 * out of its bounds: a number out of range, text empty, too long or not a developer name. Worded as the XML
 * check words it at that element (README, "Values"), so `capacity: 0` and `<capacity>0</capacity>` read alike,
 * but naming the spec's key (`afterConversationWork.seconds is 5`, not the element afterConvoWorkMaxTime it
 * writes) and a number as written (`source`: `100.0`, `0x10`).
 */
function valueFinding(issue: Issue, issuePath: readonly (string | number)[], source: () => string | undefined): ValueFinding | undefined {
  const input = issue.input;
  // An entry's name is its component's developer name, as a file's name is in XML (the spec's own fix).
  if (issue.code === 'invalid_key' && typeof input === 'string' && issuePath.length === 2 && TYPE_MAPPINGS.some((m) => m.keyed && m.specKey === issuePath[0])) {
    const finding = developerNameFinding(input);
    return finding && { ...finding, hint: ruleText('SPEC-SCHEMA.name.hint') };
  }
  const bounds = issue.code === 'too_small' || issue.code === 'too_big';
  const fraction = issue.code === 'invalid_type' && typeof input === 'number';
  if (!((bounds || fraction) && typeof input === 'number') && !((bounds || issue.code === 'invalid_format') && typeof input === 'string')) return undefined;
  const target = elementOfSpecPath(issuePath);
  if (!target) return undefined;
  const type = getType(target.type);
  // A fraction where a whole number goes is a type error in XML too (XML-VALUE-TYPE), except in maxExtensions,
  // an xsd:string whose rule reads its number (ACW-EXTENSION).
  if (fraction && elementAt(type, target.path)?.kind !== 'string') return undefined;
  // The key's path inside its entry (a keyed section's entries are one level deeper), list positions left out.
  const inside = issuePath.slice(TYPE_MAPPINGS.some((m) => m.keyed && m.specKey === issuePath[0]) ? 2 : 1);
  const name = inside.filter((segment) => typeof segment === 'string').join('.');
  if (typeof input === 'string') return textFinding(type, target.path, input, undefined, { name });
  // A number as written: `max: 100.0` is 100.0, not "100"; `0x10` is 0x10, not 16.
  return rangeFinding(type, target.path, input, undefined, { name, shown: numberAsWritten(input, source()) });
}

/** A zod issue, as far as the messages read it. */
interface Issue {
  code: string;
  message: string;
  path: PropertyKey[];
  keys?: string[];
  [key: string]: unknown;
}

/**
 * zod's issues with a union's replaced by the one branch that fits the value's kind: `afterConversationWork: {}`
 * is a mapping that lacks `seconds`, not "false or a mapping". A union no branch of which fits stays as it is.
 */
function specificIssues(issues: readonly Issue[]): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const branches = issue.code === 'invalid_union' ? (issue.errors as Issue[][] | undefined) : undefined;
    if (branches && issue.input !== null && typeof issue.input === 'object') {
      // A branch whose issues are inside the value (a missing or wrong key) is the one the author meant.
      const inside = branches.filter((b) => b.length > 0 && b.every((i) => Array.isArray(i.path) && (i.path as unknown[]).length > 0));
      if (inside.length === 1) {
        const base = issue.path as (string | number)[];
        out.push(...specificIssues(inside[0].map((i) => ({ ...i, path: [...base, ...(i.path as (string | number)[])], input: i.input ?? inputAt(issue.input, i.path as (string | number)[]) }))));
        continue;
      }
    }
    out.push(issue);
  }
  return out;
}

/** The value at `at` below `value`, or undefined. */
function inputAt(value: unknown, at: readonly (string | number)[]): unknown {
  let v = value;
  for (const segment of at) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[segment];
  }
  return v;
}

/**
 * The scalar as written at a located value (`99999999999999999999`, `40.0`), for messages that show what the
 * author wrote rather than the number it reads as; undefined for a quoted or missing one.
 */
function sourceToken(text: string, where: { line: number; column: number }, lineStarts: readonly number[]): string | undefined {
  const start = lineStarts[where.line - 1];
  if (start === undefined) return undefined;
  const from = start + where.column - 1;
  const lf = text.indexOf('\n', from);
  return /^[-+.0-9A-Za-z_][^\s,\]}#]*/.exec(text.slice(from, lf < 0 ? text.length : lf))?.[0];
}

/** The offset of each line's first character (line 1 at index 0). */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let lf = text.indexOf('\n'); lf >= 0; lf = text.indexOf('\n', lf + 1)) starts.push(lf + 1);
  return starts;
}

const missing = (issue: Issue) => issue.code === 'invalid_type' && !('input' in issue && issue.input !== undefined);
/** A wrong-typed value: the key is there, its value is not of the expected kind. */
const wrongType = (issue: Issue) =>
  ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && 'input' in issue && issue.input !== undefined) ||
  (issue.code === 'invalid_type' && (issue as { expected?: string }).expected === 'int');

/** A number as its author wrote it (`99999999999999999999`, `40.0`, `.inf`) when the text is at hand. */
function numberAsWritten(value: number, source: string | undefined): string {
  return source !== undefined && Number(source.replace(/^([-+]?)\.inf$/i, '$1Infinity')) === value ? source : String(value);
}

function issueMessage(issue: Issue, issuePath: (string | number)[], source?: string): string {
  if (missing(issue)) return ruleText('SPEC-SCHEMA.missing');
  if (wrongType(issue)) {
    const expected = expectedAt(issuePath) ?? (issue as { expected?: string }).expected ?? ruleText('SPEC-SCHEMA.anotherValue');
    return ruleText('SPEC-SCHEMA.wrongType', [expected, describeFound(issue.input, source)]);
  }
  const input = issue.input;
  if ((issue.code === 'too_small' || issue.code === 'too_big') && typeof input === 'number') {
    const expected = expectedAt(issuePath);
    if (expected) return ruleText('SPEC-SCHEMA.wrongType', [expected, describeFound(input, source)]);
  }
  if ((issue.code === 'too_small' || issue.code === 'too_big') && typeof input === 'string') {
    if (issue.code === 'too_small' && input === '') return ruleText('SPEC-SCHEMA.wrongType', [ruleText('SPEC-SCHEMA.expected.text'), ruleText('SPEC-SCHEMA.found.emptyText')]);
    return issue.code === 'too_big' ? ruleText('SPEC-SCHEMA.text.max', [Number(issue.maximum), input.length]) : ruleText('SPEC-SCHEMA.text.min', [Number(issue.minimum), input.length]);
  }
  if ((issue.code === 'too_small' || issue.code === 'too_big') && Array.isArray(input)) {
    if (issue.code === 'too_small' && input.length === 0) return ruleText('SPEC-SCHEMA.list.empty');
    return issue.code === 'too_big' ? ruleText('SPEC-SCHEMA.list.max', [Number(issue.maximum), input.length]) : ruleText('SPEC-SCHEMA.list.min', [Number(issue.minimum), input.length]);
  }
  if (issue.code === 'invalid_value' && Array.isArray(issue.values)) {
    return ruleText('SPEC-SCHEMA.wrongType', [ruleText('SPEC-SCHEMA.expected.oneOf', [(issue.values as unknown[]).join(', ')]), describeFound(input, source)]);
  }
  if (issue.code === 'invalid_key' && typeof input === 'string') return ruleText('SPEC-SCHEMA.badName', [JSON.stringify(input)]);
  return issue.message;
}

/** How a YAML value reads in a message: `the string "20"`, `the number 2.5`, `true`, `null`, `a list`. */
function describeFound(value: unknown, source?: string): string {
  if (value === null) return ruleText('SPEC-SCHEMA.found.null');
  if (typeof value === 'string') return ruleText('SPEC-SCHEMA.found.string', [JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)]);
  if (typeof value === 'number') return ruleText('SPEC-SCHEMA.found.number', [numberAsWritten(value, source)]);
  if (typeof value === 'boolean') return ruleText('SPEC-SCHEMA.found.boolean', [value]);
  if (Array.isArray(value)) return ruleText('SPEC-SCHEMA.expected.list');
  if (typeof value === 'object') return ruleText('SPEC-SCHEMA.expected.mapping');
  return String(value);
}

function issueHint(issue: Issue, issuePath: (string | number)[], source?: string): string | undefined {
  const lastSegment = issuePath[issuePath.length - 1];
  // A list item is named by its list (`sobjects`), not its index.
  const itemOf = typeof lastSegment === 'number' ? issuePath.slice(0, -1).reverse().find((s) => typeof s === 'string') : undefined;
  const last = String(lastSegment);
  if (missing(issue)) return ruleText('SPEC-SCHEMA.missing.hint', [last]);
  if (wrongType(issue) && last !== 'afterConversationWork') {
    const expected = expectedAt(issuePath);
    const kind = expectedKindAt(issuePath);
    const input = issue.input;
    if (typeof input === 'string' && kind === 'integer' && /^[+-]?\d+$/.test(input.trim())) return ruleText('SPEC-SCHEMA.unquoteNumber.hint', [last, input.trim()]);
    if (typeof input === 'string' && kind === 'number' && input.trim() !== '' && Number.isFinite(Number(input))) return ruleText('SPEC-SCHEMA.unquoteNumber.hint', [last, input.trim()]);
    // A fraction has a whole number near it; infinity does not: say the range.
    if (typeof input === 'number' && kind === 'integer' && Number.isFinite(input)) return ruleText('SPEC-SCHEMA.wholeNumber.hint', [last, Math.max(Math.round(input), 1)]);
    if (typeof input === 'string' && kind === 'boolean' && /^(true|false)$/i.test(input.trim())) return ruleText('SPEC-SCHEMA.unquoteBoolean.hint', [last, input.trim().toLowerCase()]);
    // A number or true/false where text is expected (`apiVersion: 40.0`): quoted, it is that text.
    if ((typeof input === 'number' || typeof input === 'boolean') && expectedAt(issuePath) === ruleText('SPEC-SCHEMA.expected.text')) {
      const written = typeof input === 'number' ? numberAsWritten(input, source) : String(source ?? input);
      return itemOf ? ruleText('SPEC-SCHEMA.quoteItem.hint', [itemOf, JSON.stringify(written)]) : ruleText('SPEC-SCHEMA.quoteText.hint', [last, JSON.stringify(written)]);
    }
    if (expected) return itemOf ? ruleText('SPEC-SCHEMA.expected.item.hint', [expected, itemOf]) : ruleText('SPEC-SCHEMA.expected.hint', [expected, last]);
  }
  if (issue.code === 'invalid_value' && Array.isArray(issue.values)) return ruleText('SPEC-SCHEMA.oneOf.hint', [(issue.values as unknown[]).join(', ')]);
  if (issue.code === 'invalid_key' || issue.code === 'invalid_format') return ruleText('SPEC-SCHEMA.name.hint');
  if (issue.code === 'invalid_union' && last === 'afterConversationWork') {
    const range = (path: string) => rangeText(rangeOf('PresenceUserConfig', path));
    return ruleText('SPEC-SCHEMA.afterConversationWork.hint', [range('afterConvoWorkMaxTime'), range('acwExtensionDuration'), range('maxExtensions')]);
  }
  if ((issue.code === 'too_small' || issue.code === 'too_big') && typeof issue.input === 'string') {
    if (issue.code === 'too_big') return ruleText('SPEC-SCHEMA.text.max.hint', [last, Number(issue.maximum)]);
    return issue.input === '' ? ruleText('SPEC-SCHEMA.expected.hint', [ruleText('SPEC-SCHEMA.expected.text'), last]) : ruleText('SPEC-SCHEMA.text.min.hint', [last]);
  }
  if ((issue.code === 'too_small' || issue.code === 'too_big') && Array.isArray(issue.input)) {
    if (issue.code === 'too_big') return ruleText('SPEC-SCHEMA.list.max.hint', [Number(issue.maximum), last]);
    return issue.input.length === 0 ? ruleText('SPEC-SCHEMA.list.empty.hint', [last, last]) : ruleText('SPEC-SCHEMA.list.min.hint', [Number(issue.minimum), last]);
  }
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    const expected = expectedAt(issuePath);
    if (expected) return ruleText('SPEC-SCHEMA.expected.hint', [expected, last]);
    return ruleText('SPEC-SCHEMA.range.hint');
  }
  return undefined;
}


function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
