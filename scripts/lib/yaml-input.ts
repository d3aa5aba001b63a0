/**
 * YAML the user wrote (the spec, assignment files) → plain data, every problem located at file:line:col.
 *
 * The `yaml` package's own toJS() is not used: it turns a `__proto__` key into the object's prototype (the
 * entry silently disappears), folds `1:` and `"1":` into one key, and reports alias bombs as an unlocated
 * ReferenceError. Here mappings become null-prototype objects, every key is a scalar string seen once,
 * aliases expand within a node budget (located at the alias that exceeds it), and no string holds a
 * character XML 1.0 forbids or the replacement character U+FFFD.
 */
import type { Document, LineCounter, Node } from 'yaml';
import { yamlPackage } from './yaml-package.ts';
import { describeCharacter, firstForbiddenCharacter } from './input-file.ts';
import { messageText } from './messages.ts';

/** Values aliases may expand to in one document (a 200-use alias of a small mapping is far below this). */
export const MAX_ALIAS_EXPANSION = 100_000;
/** Nesting deeper than this is refused (no spec or assignment file is deeper than ~8). */
export const MAX_DEPTH = 64;

export interface YamlProblem {
  severity: 'error' | 'warning';
  /** Stable code: the yaml package's (DUPLICATE_KEY, BAD_INDENT…) or ours (FORBIDDEN_CHARACTER, ALIAS_BUDGET…). */
  code: string;
  message: string;
  hint?: string;
  line: number;
  column: number;
}

export interface ParsedYaml {
  doc?: Document.Parsed;
  lineCounter: LineCounter;
  /** The data (null-prototype objects for mappings); undefined when there are errors. */
  value?: unknown;
  problems: YamlProblem[];
}

/** Keys that would reach an object's prototype machinery; no spec or assignment key is spelled like this. */
const RESERVED_KEYS = new Set(['__proto__']);

/** Parses and converts; never throws. */
export function parseYamlInput(text: string): ParsedYaml {
  const { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } = yamlPackage();
  const lineCounter = new LineCounter();
  const problems: YamlProblem[] = [];
  let doc: Document.Parsed;
  try {
    // uniqueKeys: false — the yaml package compares each key with every earlier key of its mapping
    // (quadratic: minutes for a spec with 10,000 configurations); convert() below finds duplicates with
    // one Map per mapping and reports DUPLICATE_KEY at the repeated key.
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: true, merge: false });
  } catch (error) {
    // Only for the unexpected (e.g. a stack overflow on absurd nesting): still a located error.
    problems.push({
      severity: 'error',
      code: 'YAML_PARSE',
      message: messageText('input', 'yaml.parse', [firstLine((error as Error)?.message ?? String(error))]),
      hint: messageText('input', 'yaml.parse.hint'),
      line: 1,
      column: 1,
    });
    return { lineCounter, problems };
  }
  for (const error of doc.errors) {
    const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    const lineStart = lineCounter.lineStarts[pos.line - 1] ?? 0;
    const lf = text.indexOf('\n', lineStart);
    const worded = yamlErrorText(error.code, error.message, text.slice(lineStart, lf < 0 ? text.length : lf).replace(/\r$/, ''));
    const message = worded?.message ?? firstLine(error.message);
    // One line's error as one finding: `... b: 2` is three unexpected tokens to the yaml package.
    if (worded && problems.some((p) => p.line === pos.line && p.message === message)) continue;
    // After a document end (`...`), every later token is "unexpected in the stream": that one finding says it.
    if (error.code === 'UNEXPECTED_TOKEN' && problems.some((p) => p.code === DOCUMENT_END)) continue;
    problems.push({ severity: 'error', code: worded?.code ?? error.code, message, hint: worded?.hint ?? yamlHint(error.code), line: pos.line, column: pos.col });
  }
  for (const warning of doc.warnings) {
    const pos = warning.linePos?.[0] ?? lineCounter.linePos(warning.pos[0]);
    problems.push({ severity: 'warning', code: warning.code, message: firstLine(warning.message), line: pos.line, column: pos.col });
  }
  if (problems.some((p) => p.severity === 'error')) return { doc, lineCounter, problems };

  const at = (node: Node | null | undefined): { line: number; column: number } => {
    const offset = node?.range?.[0];
    if (offset === undefined) return { line: 1, column: 1 };
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  let expanded = 0;
  const expanding = new Set<Node>();
  class Stop extends Error {}
  const fail = (node: Node | null | undefined, code: string, message: string, hint?: string): never => {
    problems.push({ severity: 'error', code, message, hint, ...at(node) });
    throw new Stop();
  };
  const checkString = (value: string, node: Node) => {
    const index = firstForbiddenCharacter(value);
    if (index < 0) return;
    const char = describeCharacter(value, index);
    problems.push({
      severity: 'error',
      code: 'FORBIDDEN_CHARACTER',
      message: char === 'U+FFFD' ? messageText('input', 'yaml.replacementCharacter') : messageText('input', 'yaml.forbiddenCharacter', [char]),
      hint: char === 'U+FFFD' ? messageText('input', 'yaml.replacementCharacter.hint') : messageText('input', 'yaml.forbiddenCharacter.hint'),
      ...at(node),
    });
  };
  const convert = (node: unknown, depth: number, viaAlias: boolean): unknown => {
    if (depth > MAX_DEPTH) fail(node as Node, 'TOO_DEEP', messageText('input', 'yaml.tooDeep', [MAX_DEPTH]), messageText('input', 'yaml.tooDeep.hint'));
    if (viaAlias && ++expanded > MAX_ALIAS_EXPANSION) {
      fail(node as Node, 'ALIAS_BUDGET', messageText('input', 'yaml.aliasBudget', [MAX_ALIAS_EXPANSION.toLocaleString('en-US')]), messageText('input', 'yaml.aliasBudget.hint'));
    }
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(doc) as Node | undefined;
      if (!target) return fail(node, 'ALIAS_UNRESOLVED', messageText('input', 'yaml.aliasUnresolved', [node.source, node.source]), messageText('input', 'yaml.aliasUnresolved.hint'));
      if (expanding.has(target)) return fail(node, 'ALIAS_CYCLE', messageText('input', 'yaml.aliasCycle', [node.source]), messageText('input', 'yaml.aliasCycle.hint'));
      expanding.add(target);
      try {
        return convert(target, depth, true);
      } finally {
        expanding.delete(target);
      }
    }
    if (isScalar(node)) {
      const value = node.value;
      if (typeof value === 'string') {
        checkString(value, node);
        return value;
      }
      if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
      return fail(node, 'UNSUPPORTED_VALUE', messageText('input', 'yaml.unsupportedValue', [Object.prototype.toString.call(value).slice(8, -1)]), messageText('input', 'yaml.unsupported.hint'));
    }
    if (isSeq(node)) return node.items.map((item) => convert(item, depth + 1, viaAlias));
    if (isMap(node)) {
      const out: Record<string, unknown> = Object.create(null);
      const seen = new Map<string, Node>();
      for (const pair of node.items) {
        let keyNode = pair.key as Node | null;
        if (isAlias(keyNode)) keyNode = (keyNode.resolve(doc) as Node | undefined) ?? keyNode;
        if (!isScalar(keyNode)) {
          fail((pair.key as Node | null) ?? (pair.value as Node | null), 'COMPLEX_KEY', messageText('input', 'yaml.complexKey'), messageText('input', 'yaml.key.hint'));
          continue;
        }
        const raw = keyNode.value;
        if (raw === null || raw === undefined || raw === '') {
          fail(pair.key as Node, 'EMPTY_KEY', messageText('input', 'yaml.emptyKey'), messageText('input', 'yaml.key.hint'));
          continue;
        }
        if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
          fail(pair.key as Node, 'COMPLEX_KEY', messageText('input', 'yaml.complexKey.scalar'), messageText('input', 'yaml.key.hint'));
          continue;
        }
        const key = String(raw);
        if (typeof raw === 'string') checkString(raw, pair.key as Node);
        if (RESERVED_KEYS.has(key)) {
          fail(pair.key as Node, 'INVALID_KEY', messageText('input', 'yaml.invalidKey', [key]), messageText('input', 'yaml.invalidKey.hint'));
          continue;
        }
        const previous = seen.get(key);
        if (previous) {
          const first = at(previous);
          fail(pair.key as Node, 'DUPLICATE_KEY', messageText('input', 'yaml.duplicateKey', [key, first.line, first.column]), yamlHint('DUPLICATE_KEY'));
          continue;
        }
        seen.set(key, pair.key as Node);
        out[key] = convert(pair.value, depth + 1, viaAlias);
      }
      return out;
    }
    return fail(node as Node, 'UNSUPPORTED_VALUE', messageText('input', 'yaml.unsupportedNode'), messageText('input', 'yaml.unsupported.hint'));
  };
  let value: unknown;
  try {
    value = convert(doc.contents, 0, false);
  } catch (error) {
    if (!(error instanceof Stop)) {
      problems.push({ severity: 'error', code: 'YAML_PARSE', message: messageText('input', 'yaml.read', [firstLine((error as Error)?.message ?? String(error))]), line: 1, column: 1 });
    }
  }
  if (problems.some((p) => p.severity === 'error')) return { doc, lineCounter, problems };
  return { doc, lineCounter, value, problems };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** Our code for a `...` line with more after it (the yaml package's is UNEXPECTED_TOKEN). */
const DOCUMENT_END = 'DOCUMENT_END';

/**
 * Our words for the yaml package's errors whose own text names its API or its grammar ("please use
 * YAML.parseAllDocuments()", "Implicit keys need to be on a single line"), from the error's code and the line it
 * is on; undefined for the rest.
 */
function yamlErrorText(code: string, original: string, line: string): { message: string; hint: string; code?: string } | undefined {
  // A document marker at column 0: `---` starts another document, `...` ends this one.
  const marker = /^(---|\.\.\.)(?=[ \t]|$)/.exec(line)?.[1];
  if (marker && (code === 'MULTIPLE_DOCS' || code === 'UNEXPECTED_TOKEN' || code === 'MISSING_CHAR')) {
    const rest = line.slice(3).trim();
    return marker === '---'
      ? { message: messageText('input', 'yaml.secondDocument'), hint: rest ? messageText('input', 'yaml.marker.text.hint', [marker, rest]) : messageText('input', 'yaml.marker.hint', [marker]) }
      : { code: DOCUMENT_END, message: messageText('input', 'yaml.documentEnd'), hint: rest ? messageText('input', 'yaml.marker.text.hint', [marker, rest]) : messageText('input', 'yaml.marker.hint', [marker]) };
  }
  if (code === 'MULTIPLE_DOCS') return { message: messageText('input', 'yaml.secondDocument'), hint: messageText('input', 'yaml.marker.hint', ['---']) };
  // `capacity:10`: without a blank after the colon it is one plain text, not a key and a value.
  const glued = /^ *([^\s:#'"?&*!|>%@`{[\]},-][^\s:]*):([^\s:].*?)\s*$/.exec(line);
  if (glued && (code === 'MULTILINE_IMPLICIT_KEY' || code === 'MISSING_CHAR' || code === 'UNEXPECTED_TOKEN')) {
    return { message: messageText('input', 'yaml.noSpaceAfterColon', [`${glued[1]}:${glued[2]}`]), hint: messageText('input', 'yaml.noSpaceAfterColon.hint', [glued[1], glued[2]]) };
  }
  if (code === 'MULTILINE_IMPLICIT_KEY') return { message: messageText('input', 'yaml.multilineKey'), hint: messageText('input', 'yaml.multilineKey.hint') };
  // A line of text among keys (`  x` under `a: 1`): the yaml package's "Implicit map keys need to be followed by map values".
  if (code === 'MISSING_CHAR' && /^Implicit map keys/.test(original)) {
    return { message: messageText('input', 'yaml.keyWithoutValue', [line.trim()]), hint: messageText('input', 'yaml.keyWithoutValue.hint') };
  }
  return undefined;
}

/** The fix for a yaml package error code. */
export function yamlHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return messageText('input', 'yaml.duplicateKey.hint');
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return messageText('input', 'yaml.indent.hint');
    case 'TAB_AS_INDENT':
      return messageText('input', 'yaml.tabIndent.hint');
    default:
      return messageText('input', 'yaml.syntax.hint');
  }
}
