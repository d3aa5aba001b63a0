/**
 * The fast reader (readPlainYaml: its block scanner, then js-yaml with positions from its listener; the
 * scanner is also checked on its own) against the full one
 * (parseYamlInput: the `yaml` package): whenever the fast reader accepts a text, the full one reads it without
 * a problem, to the same value (prototypes included), with the same position for every path, key or value,
 * whole or scoped. When the full reader reports anything, the fast one declines. And the fast reader does
 * accept the plain YAML specs are written in, so the fast path is the one taken.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseYamlInput } from '../../scripts/lib/yaml-input.ts';
import { readPlainYaml, scanBlockYaml } from '../../scripts/lib/yaml-plain.ts';
import { type YamlPosition, yamlPosition, yamlScope } from '../../scripts/lib/yaml-position.ts';
import { scaleSpec } from '../../bench/validate/scale-project.ts';
import { REPO_ROOT as repoRoot } from '../helpers/paths.ts';

type Path = (string | number)[];

function allPaths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) allPaths(value[i], [...at, i], out);
  }
  else if (value !== null && typeof value === 'object') for (const k of Object.keys(value)) allPaths((value as Record<string, unknown>)[k], [...at, k], out);
  return out;
}

/**
 * The yaml reader's answers for one text: its read, the paths asked of it and each position, computed once. The
 * tests ask the same text of both fast readers one after the other, and the oracle is what costs (it was half of
 * each comparison): the last text's answers are kept for the second. A path's positions are kept by the path's
 * index, in slots: whole (0) then from each scope (1…length), as a value, then the same as a key.
 */
let oracle: { text: string; full: ReturnType<typeof parseYamlInput>; paths?: Path[]; positions: YamlPosition[][] } | undefined;
function yamlReads(text: string): NonNullable<typeof oracle> {
  if (oracle?.text !== text) oracle = { text, full: parseYamlInput(text), positions: [] };
  return oracle;
}

/** Every path of `value`, and paths that leave the document below each (the deepest node found is the answer). */
function pathsToAsk(value: unknown): Path[] {
  const paths = allPaths(value);
  for (const p of [...paths]) if (p.length) paths.push([...p, 'missing'], [...p, 7]);
  return paths;
}

/** Two positions are the same: both `{ line, column }` objects, nothing else (isDeepStrictEqual, for this shape). */
function samePosition(a: YamlPosition, b: YamlPosition): boolean {
  return a.line === b.line && a.column === b.column && Object.getPrototypeOf(a) === Object.getPrototypeOf(b) && Object.keys(a).length === 2 && Object.keys(b).length === 2;
}

/**
 * Why the readers disagree on `text`, or undefined when they agree (or the fast reader declines). The fast
 * reader is readPlainYaml, or the block scanner it tries first on its own (`scanBlockYaml`).
 */
function disagreement(text: string, reader: (text: string) => ReturnType<typeof readPlainYaml> = readPlainYaml): string | undefined {
  const fast = reader(text);
  if (!fast) return undefined;
  const read = yamlReads(text);
  const full = read.full;
  if (full.problems.length) return `fast reader accepted; yaml reports ${JSON.stringify(full.problems)}`;
  if (!isDeepStrictEqual(fast.value, full.value)) return `values differ: ${JSON.stringify(fast.value)} vs ${JSON.stringify(full.value)}`;
  // Every path, and paths that leave the document, located whole and from each scope.
  const paths = (read.paths ??= pathsToAsk(full.value));
  for (let i = 0; i < paths.length; i++) {
    const p: Path = paths[i]!;
    const wants = (read.positions[i] ??= []);
    for (const atKey of [false, true]) {
      const slot = atKey ? p.length + 1 : 0;
      const want = (wants[slot] ??= yamlPosition(full.doc!, full.lineCounter, p, atKey));
      const got = fast.position(p, atKey);
      if (!samePosition(got, want)) return `position of ${JSON.stringify(p)}${atKey ? ' (key)' : ''}: ${got.line}:${got.column}, yaml ${want.line}:${want.column}`;
      for (let s = 1; s <= p.length; s++) {
        const scoped = fast.scope(p.slice(0, s))(p.slice(s), atKey);
        const wantScoped = (wants[slot + s] ??= yamlScope(full.doc!, full.lineCounter, p.slice(0, s))(p.slice(s), atKey));
        if (!samePosition(scoped, wantScoped)) return `scoped position of ${JSON.stringify(p)} at ${s}: ${scoped.line}:${scoped.column}, yaml ${wantScoped.line}:${wantScoped.column}`;
        // The same location kept as an offset (what validate holds for 10,000 twins), turned into a position.
        const offset = fast.positionAt(fast.offsetScope(p.slice(0, s))(p.slice(s), atKey));
        if (!samePosition(offset, wantScoped)) return `scoped offset of ${JSON.stringify(p)} at ${s}: ${offset.line}:${offset.column}, yaml ${wantScoped.line}:${wantScoped.column}`;
      }
    }
  }
  return undefined;
}

// Keys and scalars chosen where YAML readers tend to differ: core-schema look-alikes (0b1, 1_000, -0x1F,
// +0o7, yes/No, nULL), indicators inside plain text, quotes, escapes, non-ASCII, XML-forbidden characters.
const trickyText = fc.constantFrom(
  'a', 'Config_1', 'b c', 'x:y', 'a: b', '#k', 'x #y', '- z', '? q', '1', '-0', '+12', '0o17', '0o8', '0x1F', '-0x1F', '0b101', '1_000', '.5', '1.', '1e3',
  '-.INF', '.NaN', '.nan', 'yes', 'No', 'true', 'TRUE', 'tRUE', 'null', 'Null', 'nULL', '~', '', ' ', ' lead', 'trail ', 'it\'s', 'say "hi"', 'back\\slash',
  'tab\there', 'line\nbreak', 'é ü 日本', '😀', '\u0001', '\uFFFD', '__proto__', 'constructor', '&anchor', '*alias', '!tag', '%dir', '@at', '`tick', '[x]', '{y}', 'a,b',
  'x'.repeat(1100),
);
const scalar = fc.oneof(trickyText, fc.string({ maxLength: 12 }), fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null));
const data = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(fc.oneof(trickyText, fc.string({ maxLength: 8 })), tie('node'), { maxKeys: 5 }),
})).node;

const styles = fc.record({
  indent: fc.constantFrom(2, 4),
  collectionStyle: fc.constantFrom('any', 'block', 'flow') as fc.Arbitrary<'any' | 'block' | 'flow'>,
  defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED') as fc.Arbitrary<'PLAIN' | 'QUOTE_DOUBLE'>,
  lineWidth: fc.constantFrom(0, 20, 80),
  indentSeq: fc.boolean(),
});

/** Edits that make text unusual or wrong: blanks, tabs, comments, indicators, line breaks, markers. */
const edit = fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(' ', '  ', '\t', ':', ': ', '- ', '#', ' # c', '\n', '\n\n', '\r\n', '\r', '&a ', '*a', '!!str ', '[', ']', '{', '}', ',', '"', "'", '? ', '|', '>', '---\n', '...\n', '%YAML 1.1\n', '\uFEFF', 'k: v\n', '<<: ', ''));

function applyEdits(text: string, edits: Array<[number, number, string]>): string {
  let out = text;
  for (const [at, remove, insert] of edits) {
    const i = out.length ? at % (out.length + 1) : 0;
    out = out.slice(0, i) + insert + out.slice(i + remove);
  }
  return out;
}

describe('readPlainYaml agrees with parseYamlInput', () => {
  it('on data written in every style (property)', () => {
    fc.assert(
      fc.property(data, styles, (value, options) => {
        const text = stringify(value, options);
        expect(disagreement(text)).toBeUndefined();
        expect(disagreement(text, scanBlockYaml)).toBeUndefined();
      }),
      { numRuns: 600 },
    );
  });

  it('on the same data with CRLF line ends (Windows editors) (property)', () => {
    fc.assert(
      fc.property(data, styles, (value, options) => {
        const text = stringify(value, options).replace(/\n/g, '\r\n');
        expect(disagreement(text)).toBeUndefined();
        expect(disagreement(text, scanBlockYaml)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('on edited, often broken, YAML: never a value or position the yaml reader would not give (property)', () => {
    fc.assert(
      fc.property(data, styles, fc.array(edit, { minLength: 1, maxLength: 4 }), (value, options, edits) => {
        const text = applyEdits(stringify(value, options), edits);
        expect(disagreement(text)).toBeUndefined();
        expect(disagreement(text, scanBlockYaml)).toBeUndefined();
      }),
      { numRuns: 1500 },
    );
  });

  it('on hand-picked cases: empty values, comments, flow and block collections, CRLF, explicit keys, numbers', () => {
    const cases = [
      '', '# only a comment\n', '~\n', 'a: 1\n', 'a:\nb: 2\n', 'a:   \nb: 2\n', 'a: # c\nb: 2\n', 'a:', 'a: [1, 2]\nb: {c: d}\n', 'a:\n  - x\n  - y\n',
      'a:\n- x\n- y\n', 'l: |\n  t\n', 'q: "x\\ty"\n', '? j\n: 5\n', 'a: {}\nb: []\n', 'k: v\r\nk2: v2\r\n', '- 1\n- 2\n', 'statusMappings:\n  - { type: A, value: B }\n  - []\n',
      'a: 0b11\nb: 1_000\nc: -0x1F\nd: +0o7\ne: 0o17\nf: .5\ng: 1e3\nh: -.INF\ni: .NaN\nj: 1.\nk: -0\nl: 0x1F\nm: 0o8\n', 'a: yes\nb: No\nc: NULL\nd: Null\ne: nULL\n',
      'x: >\n  folded\n  text\n\n  more\n', '---\na: 1\n', 'a:\n  b:\n    c: [x, {y: z}]\n', "x: 'it''s'\n",
    ];
    for (const text of cases) {
      expect(disagreement(text), JSON.stringify(text)).toBeUndefined();
      expect(disagreement(text, scanBlockYaml), JSON.stringify(text)).toBeUndefined();
    }
  });
});

/**
 * Block YAML of the spec's shape, line by line, where a key or a value may start (or a line may start, at
 * column 0 or indented) with a YAML indicator or a document marker: `--- `, `... `, `?`, `:`, `-` with and
 * without a space, `%` directives, `!` tags, `&` anchors, `*` aliases, `|`/`>` block scalars, `#` with and
 * without a blank before it, `@`, a backquote. The edits above reach these places only by chance.
 */
const indicator = fc.constantFrom(
  '--- ', '---', '... ', '...', '----', '--', '? ', '?', ': ', ':', '- ', '-', '%', '%YAML 1.2 ', '!', '!!str ', '&a ', '&', '*a ', '*', '| ', '|', '> ', '>',
  '#', ' #', '@', '`', '[', ']', '{', '}', ',', '"', "'", '~', '<< ',
);
const word = fc.constantFrom('a', 'b', 'statuses', 'Away', 'label', 'x y', '1', 'true', 'k#v', 'v:w', 'k-v', 'a?b');
/** Mostly nothing, sometimes an indicator: most documents stay readable, so the scanner's acceptance is tested. */
const sometimes = fc.oneof({ arbitrary: fc.constant(''), weight: 6 }, { arbitrary: indicator, weight: 1 });
/** A key or a value: plain text with an indicator before or after it now and then. */
const piece = fc.tuple(sometimes, word, sometimes).map(([pre, w, post]) => pre + w + post);
type Block = Array<[string, string | Block]>;
const block: fc.Arbitrary<Block> = fc.letrec<{ block: Block }>((tie) => ({
  block: fc.array(fc.tuple(piece, fc.oneof({ depthSize: 'small' }, piece, tie('block'))), { minLength: 1, maxLength: 4 }),
})).block;
function blockLines(entries: Block, indent: number, out: string[]): string[] {
  for (const [key, value] of entries) {
    if (typeof value === 'string') out.push(`${' '.repeat(indent)}${key}: ${value}`);
    else {
      out.push(`${' '.repeat(indent)}${key}:`);
      blockLines(value, indent + 2, out);
    }
  }
  return out;
}
/** The document's lines, each now and then with an indicator or a marker put before it at column 0. */
const blockText = fc.tuple(block, fc.array(sometimes, { minLength: 12, maxLength: 12 }), fc.boolean()).map(([entries, prefixes, crlf]) =>
  blockLines(entries, 0, [])
    .map((line, i) => (prefixes[i % prefixes.length] ?? '') + line)
    .join(crlf ? '\r\n' : '\n')
    .concat(crlf ? '\r\n' : '\n'),
);

describe('the block scanner and readPlainYaml at YAML indicators and document markers', () => {
  it('never a value or position the yaml reader would not give (property)', () => {
    fc.assert(
      fc.property(blockText, (text) => {
        expect(disagreement(text, scanBlockYaml), JSON.stringify(text)).toBeUndefined();
        expect(disagreement(text), JSON.stringify(text)).toBeUndefined();
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 3000) },
    );
  });

  it.each([
    ['a marker and text after a line', 'settings:\n  enableOmniChannel: true\n--- statuses:\n  Away:\n    label: Away\n'],
    ['a document end and text', 'settings:\n  enableOmniChannel: true\n... statuses:\n  Away:\n    label: Away\n'],
    ['a document end and a key', 'a: 1\n... b: 2\n'],
    ['a marker and a key at the start', '--- a: 1\n'],
    ['a marker and a key after a line', 'a: 1\n--- b: 2\n'],
    ['a marker alone after a line', 'a: 1\n---\n'],
    ['a document end alone', 'a: 1\n...\n'],
    ['a marker with CRLF', 'a: 1\r\n--- b: 2\r\n'],
  ])('declines %s, as the yaml reader reports it', (_what, text) => {
    expect(scanBlockYaml(text)).toBeUndefined();
    expect(disagreement(text)).toBeUndefined();
  });
});

// Sibling mappings that share keys (the spec's entries), each key plain or quoted: the scanner recognises a key
// its previous sibling had where it stands, which must read as the key read afresh would (`"true"` then `true`,
// `"a: b"` then `a: b`, `ab` then `a`).
const siblingKey = fc.tuple(
  fc.constantFrom('label', 'capacity', 'lab', 'labels', 'true', 'null', '1', 'a: b', 'a', 'a:', 'a:b', 'x #y', 'a b', '-a', 'trail ', "it's", '[x]'),
  fc.constantFrom('plain', 'double', 'single'),
);
const renderKey = ([key, quoting]: [string, string]) => (quoting === 'double' ? JSON.stringify(key) : quoting === 'single' ? `'${key.replace(/'/g, "''")}'` : key);
const siblingEntries = fc.array(fc.array(fc.tuple(siblingKey, fc.option(fc.array(siblingKey, { maxLength: 3 }), { nil: undefined })), { maxLength: 5 }), { minLength: 2, maxLength: 5 });

describe('the block scanner over sibling mappings that share keys', () => {
  it('reads each key as the yaml reader does, whether its sibling had it plain or quoted (property)', () => {
    fc.assert(
      fc.property(siblingEntries, (entries) => {
        const lines = ['section:'];
        entries.forEach((keys, i) => {
          lines.push(`  e${i}:`);
          keys.forEach(([key, nested], j) => {
            lines.push(`    ${renderKey(key)}:${nested ? '' : ` ${j}`}`);
            for (const [k, inner] of (nested ?? []).entries()) lines.push(`      ${renderKey(inner)}: ${k}`);
          });
        });
        const text = `${lines.join('\n')}\n`;
        expect(disagreement(text, scanBlockYaml), JSON.stringify(text)).toBeUndefined();
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1500) },
    );
  });

  it('takes the same keys again in every entry of a generated spec (accepted, same value)', () => {
    const text = scaleSpec(50);
    expect(scanBlockYaml(text)).toBeDefined();
    expect(disagreement(text, scanBlockYaml)).toBeUndefined();
  });
});

describe('readPlainYaml declines what the yaml reader must decide or report', () => {
  it.each([
    ['an anchor', 'a: &x 1\n'],
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['a merge key with an alias', 'base: &b {x: 1}\nc:\n  <<: *b\n'],
    ['a tag', 'a: !!str 12\n'],
    ['an unknown tag', 'a: !thing 12\n'],
    ['a directive', '%YAML 1.1\n---\na: yes\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a number as a key', '1: a\n'],
    ['a null key', '~: a\n'],
    ['an empty key', '"": a\n'],
    ['a __proto__ key', '__proto__: a\n'],
    ['a control character', 'a: "x\\u0001"\n'],
    ['the replacement character', 'a: \uFFFD\n'],
    ['nesting deeper than 64', `${'['.repeat(70)}${']'.repeat(70)}\n`],
    ['a flow collection over several lines', 'a: [\n 1]\n'],
    ['an empty list item', 'a:\n  -\n  - x\n'],
    ['a tab as indentation', 'a:\n\tb: 1\n'],
    ['a bad indentation', 'a:\n  b: 1\n c: 2\n'],
    ['an unclosed quote', 'a: "x\n'],
    ['a byte order mark', '\uFEFFa: 1\n'],
    ['a lone CR', 'a: 1\rb: 2\r'],
    ['a scalar document (js-yaml reads this one as "", the yaml package as "#k")', ' |-\n#k\n'],
  ])('%s', (_what, text) => {
    expect(readPlainYaml(text)).toBeUndefined();
    expect(scanBlockYaml(text)).toBeUndefined();
    // …and the yaml reader still reads it or reports it located.
    const full = parseYamlInput(text);
    expect(full.value !== undefined || full.problems.length > 0).toBe(true);
  });
});

describe('readPlainYaml reads the project files and specs', () => {
  const files = ['config/omni-channel.yaml', 'config/assignments/example.yaml', 'config/assignments/local.yaml', 'config/assignments/scratch.yaml', 'test/generate/golden/spec.yaml'];
  it.each(files)('%s: accepted, same value and positions', (file) => {
    const text = readFileSync(path.join(repoRoot, file), 'utf8');
    expect(readPlainYaml(text)).toBeDefined();
    expect(disagreement(text)).toBeUndefined();
    // The block scanner reads them itself: js-yaml is not the path a spec takes.
    expect(scanBlockYaml(text)).toBeDefined();
    expect(disagreement(text, scanBlockYaml)).toBeUndefined();
  });

  it('a generated spec of 100 presence configurations (the bench spec): accepted, same value and positions, with LF or CRLF', () => {
    // The block scanner reads both itself (CRLF: Windows editors). Each text is asked of both readers in turn,
    // so the yaml reader's answers are computed once per text.
    const lf = scaleSpec(100);
    for (const text of [lf, lf.replace(/\n/g, '\r\n')]) {
      expect(readPlainYaml(text)).toBeDefined();
      expect(disagreement(text)).toBeUndefined();
      expect(scanBlockYaml(text)).toBeDefined();
      expect(disagreement(text, scanBlockYaml)).toBeUndefined();
    }
  });

  it('plain block YAML in every scalar quoting, with LF or CRLF, is accepted (the fast path is the one taken)', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,12}$/);
    const plainScalar = fc.oneof(fc.stringMatching(/^[A-Za-z0-9 .,_'"-]{0,20}$/), fc.integer(), fc.boolean());
    const spec = fc.dictionary(name, fc.dictionary(name, fc.dictionary(name, fc.oneof(plainScalar, fc.array(plainScalar, { maxLength: 3 })), { maxKeys: 6 }), { maxKeys: 5 }), { minKeys: 1, maxKeys: 4 });
    fc.assert(
      fc.property(spec, fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE') as fc.Arbitrary<'PLAIN'>, fc.boolean(), (value, defaultStringType, crlf) => {
        const lf = stringify(value, { defaultStringType, collectionStyle: 'block', lineWidth: 0 });
        const text = crlf ? lf.replace(/\n/g, '\r\n') : lf;
        expect(readPlainYaml(text), text).toBeDefined();
        // …by the block scanner itself, not js-yaml.
        expect(scanBlockYaml(text), text).toBeDefined();
        expect(disagreement(text)).toBeUndefined();
        expect(disagreement(text, scanBlockYaml)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});
