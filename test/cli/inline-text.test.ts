/**
 * User text lives in messages/*.md (issue #10 item 5): a guard against new sentences written inline in
 * scripts/. It reads every string literal of the product's code (comments skipped, template literals with
 * their `${…}` as one placeholder) and counts those that read as prose — three words in a row, the way a
 * message, hint, summary or table line is written — leaving out what is not shown to a user: SOQL, a
 * programming error (`new Error(…)`: a bug, never the user's input), the format documentation kept beside
 * its schema (`description:`/`.describe(…)`: JSON Schema and README reference) and the developer tooling.
 * Files still holding such text are listed with their count: the count may only go down.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.ts';

/**
 * Inline sentences left per file (not yet moved to a bundle). Lower a count when you move text; a file not
 * listed must hold none. The stage labels of deploy, plan, retrieve and setup are in messages/deploy-output.md
 * and messages/setup-stages.md (`stages.*`, `Title`).
 */
const REMAINING: Record<string, number> = {
  'scripts/assign/assignment-file.ts': 1,
  'scripts/assign/resolve.ts': 1,
  'scripts/commands/org-local.ts': 1,
  'scripts/graph/render.ts': 2,
  'scripts/metadata/registry-overlay.ts': 1,
  'scripts/start.ts': 1,
  'scripts/yaml-spec/diff.ts': 1,
  'scripts/yaml-spec/docs.ts': 1,
};

interface Literal {
  text: string;
  /** 1-based line of the literal's start. */
  line: number;
  /** The code just before the literal on its statement, for its context. */
  before: string;
}

/** The string literals of a TypeScript source, comments skipped; `${…}` of a template becomes `X`. */
function stringLiterals(source: string): Literal[] {
  const out: Literal[] = [];
  let i = 0;
  let line = 1;
  const lineAt = (to: number) => {
    for (; i < to; i++) if (source[i] === '\n') line++;
  };
  const read = (start: number): number => {
    // From a quote at `start` to just after its closing quote; nested templates in ${} are walked.
    const quote = source[start];
    let text = '';
    let j = start + 1;
    while (j < source.length) {
      const c = source[j];
      if (c === '\\') {
        text += source.slice(j, j + 2);
        j += 2;
        continue;
      }
      if (c === quote) break;
      if (quote === '`' && c === '$' && source[j + 1] === '{') {
        let depth = 1;
        j += 2;
        while (j < source.length && depth) {
          const d = source[j];
          if (d === '{') depth++;
          else if (d === '}') depth--;
          else if (d === "'" || d === '"' || d === '`') {
            j = read(j);
            continue;
          }
          j++;
        }
        text += 'X';
        continue;
      }
      if (quote !== '`' && c === '\n') break;
      text += c;
      j++;
    }
    const statement = source.lastIndexOf(';', start);
    out.push({ text, line: 0, before: source.slice(Math.max(statement, start - 200, 0), start) });
    out[out.length - 1].line = start;
    return j + 1;
  };
  let k = 0;
  while (k < source.length) {
    const c = source[k];
    if (c === '/' && source[k + 1] === '/') k = source.indexOf('\n', k) === -1 ? source.length : source.indexOf('\n', k);
    else if (c === '/' && source[k + 1] === '*') k = source.indexOf('*/', k + 2) + 2;
    else if (c === "'" || c === '"' || c === '`') k = read(k);
    else if (c === '/' && /[=(,:!&|?{};]\s*$/.test(source.slice(Math.max(0, k - 20), k))) {
      // A regular expression literal: skipped to its closing slash (its text is a pattern, not prose).
      let j = k + 1;
      let inClass = false;
      while (j < source.length && source[j] !== '\n') {
        if (source[j] === '\\') j++;
        else if (source[j] === '[') inClass = true;
        else if (source[j] === ']') inClass = false;
        else if (source[j] === '/' && !inClass) break;
        j++;
      }
      k = j + 1;
    } else k++;
  }
  // Offsets → line numbers.
  for (const l of out.sort((a, b) => a.line - b.line)) {
    lineAt(l.line);
    l.line = line;
  }
  return out;
}

/** A literal that reads as a sentence shown to a user (see the file's docstring for what is left out). */
function isInlineSentence(l: Literal): boolean {
  const text = l.text;
  if (!/[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}/.test(text)) return false;
  if (/\b(SELECT|FROM|WHERE)\b/.test(text)) return false;
  if (/new (Error|TypeError|RangeError)\(\s*$/.test(l.before)) return false;
  if (/\bdescription:\s*$/.test(l.before)) return false;
  // An argument of the calls that document a spec or assignment-file key beside its schema.
  if (DOC_CALLS.has(enclosingCall(l.before) ?? '')) return false;
  return true;
}

/** Calls whose text arguments document a key of the spec or assignment file (JSON Schema, README reference). */
// `wrappedList`, `objectList` and `notificationSound` (scripts/yaml-spec/mapping.ts) are `field`'s siblings: their
// text is the key's `description`, the JSON Schema and README reference text, as `field`'s is; `csvPaths`
// (scripts/assign/assignment-file.ts) hands its text to `.describe(…)`.
const DOC_CALLS = new Set(['describe', 'field', 'afterConversationWork', 'recordField', 'wrappedList', 'objectList', 'notificationSound', 'csvPaths']);

/** The name of the call whose argument list `before` ends inside (`field('a', 'b', bool(), ` → `field`). */
function enclosingCall(before: string): string | undefined {
  let depth = 0;
  for (let i = before.length - 1; i >= 0; i--) {
    const c = before[i];
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      if (depth === 0) return c === '(' ? /([A-Za-z_$][\w$]*)\s*$/.exec(before.slice(0, i))?.[1] : undefined;
      depth--;
    }
  }
  return undefined;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('no inline user sentence in scripts/ outside messages', () => {
  const found = new Map<string, string[]>();
  for (const file of sources(join(REPO_ROOT, 'scripts'))) {
    const rel = relative(REPO_ROOT, file);
    if (rel.startsWith('scripts/tooling/') || rel.endsWith('.generated.ts')) continue;
    const inline = stringLiterals(readFileSync(file, 'utf8')).filter(isInlineSentence);
    if (inline.length) found.set(rel, inline.map((l) => `${rel}:${l.line}: ${l.text.slice(0, 100)}`));
  }

  it('no file holds more inline sentences than REMAINING allows (new text goes to a bundle)', () => {
    const over = [...found].filter(([file, lines]) => lines.length > (REMAINING[file] ?? 0)).flatMap(([, lines]) => lines);
    expect(over).toEqual([]);
  });

  it('REMAINING is no larger than what is left (lower it when text moves)', () => {
    const stale = Object.entries(REMAINING).filter(([file, n]) => (found.get(file)?.length ?? 0) < n).map(([file, n]) => `${file}: ${n} allowed, ${found.get(file)?.length ?? 0} left`);
    expect(stale).toEqual([]);
  });

  it('finds what it is for: a message, a hint and a template sentence; skips comments, SOQL, regexes, programming errors and schema docs', () => {
    const sample = [
      "const a = 'Nothing to change: the org already matches.';",
      // A template literal with placeholders, written without one here (the linter reads ${ in a string as a slip).
      `const b = \`$\{n} records differ from the spec: $\{list}.\`;`,
      '// a comment that reads like a whole sentence',
      '/* and a block comment with many words in it */',
      "const q = 'SELECT Id FROM User WHERE IsActive = true';",
      'const r = /the quick brown fox/;',
      "throw new Error('registry has no range for this path');",
      "const s = z.string().describe('Metadata API version to generate for');",
      "const f = field('label', 'label', text(80), 'The label agents see in the widget.');",
      "const g = check(z.int(1, 9), 'must be a whole number of at least one');",
      "const t = { description: 'Users of these profiles get a user-level assignment' };",
      "const w = wrappedList('channels', 'channels', 'channel', developerName(), 'Service channels this status takes work from.');",
      "const u = ui.log(list('channels', 'one of the channels this status takes work from'));",
    ].join('\n');
    const hits = stringLiterals(sample).filter(isInlineSentence);
    expect(hits.map((h) => [h.line, h.text])).toEqual([
      [1, 'Nothing to change: the org already matches.'],
      [2, 'X records differ from the spec: X.'],
      [10, 'must be a whole number of at least one'],
      [13, 'one of the channels this status takes work from'],
    ]);
  });
});
