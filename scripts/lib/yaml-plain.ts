/**
 * The fast reader of user YAML, in two steps: a block scanner of its own for YAML of the spec's shape (block
 * mappings and lists, one-line scalars and flow collections: `scanBlockYaml`, below), then js-yaml 4 for the
 * rest of plain YAML (mappings, lists, scalars, comments), each value's offset taken from js-yaml's `listener`
 * while it reads. Either way located messages need no second parse.
 *
 * Why: the `yaml` package (parseYamlInput) builds a CST and a node per scalar — 1.3–1.7 s of CPU and ~170 MB
 * of heap for a spec of 10,000 presence configurations (2.7 MB); js-yaml reads it in ~0.2 s and ~20 MB.
 *
 * The contract: `readPlainYaml(text)` returns exactly what parseYamlInput would (the same value, shapes and
 * null-prototype mappings included, no problems) with the same positions as yamlPosition/yamlScope — or
 * `undefined`, and the caller reads the text with parseYamlInput, which reports every problem at
 * file:line:col with a fix. It declines (never guesses) whenever the two could differ or a problem must be
 * reported: any js-yaml error or warning; anchors, aliases, tags and directives (parseYamlInput expands
 * aliases under a budget and warns on unknown tags); a non-string, empty or `__proto__` key; a duplicate key;
 * a character XML 1.0 forbids; nesting deeper than MAX_DEPTH; a multi-line flow collection (the `yaml`
 * package may warn about its indentation); an implicit key near YAML's 1024-character limit; a byte order
 * mark, a lone CR, a document that is a single scalar, or a mapping/list whose read shape the listener
 * cannot account for. Scalars resolve as the
 * `yaml` package's YAML 1.2 core schema does (null, true/false, decimal/0o/0x integers, floats, .inf/.nan),
 * not js-yaml's own CORE_SCHEMA (which also reads 0b1010, -0x1F, 1_000 as numbers).
 * test/lib/yaml-plain.test.ts holds both readers to this on generated documents and the project's files.
 */
import { createRequire } from 'node:module';
import { firstForbiddenCharacter } from './input-file.ts';
import { MAX_DEPTH } from './yaml-input.ts';
import type { YamlPosition } from './yaml-position.ts';

/** A value read by readPlainYaml, and where each part of it is in the text. */
export interface PlainYaml {
  /** The data: null-prototype objects for mappings, arrays, strings, numbers, booleans, null. */
  value: unknown;
  /** As yamlPosition: the position of the value at `path` (or its key), the deepest node found if it leaves the document. */
  position(path: readonly (string | number)[], atKey?: boolean): YamlPosition;
  /** As yamlScope: positions below `scope`, walking `scope` once. */
  scope(scope: readonly (string | number)[]): (rest: readonly (string | number)[], atKey?: boolean) => YamlPosition;
  /**
   * As `scope`, giving the offset into the text where `scope` gives a position (-1 where it gives 1:1, a path
   * found nowhere in an empty document): a number, no object, for callers that keep many positions and ask
   * for few of them (`positionAt` turns one into a position).
   */
  offsetScope(scope: readonly (string | number)[]): (rest: readonly (string | number)[], atKey?: boolean) => number;
  /** The position of an offset `offsetScope` gave. */
  positionAt(offset: number): YamlPosition;
}

/**
 * Where each mapping's and list's parts start (UTF-16 offsets into the text), for every collection of the
 * document, in one off-heap Int32Array: a spec of 10,000 configurations holds ~40,000 collections and
 * ~300,000 offsets, which as objects and arrays per collection were ~13 MB of heap for the GC to copy. A
 * collection is a number (its id: where it starts in `flat`): a header of two numbers, its part count and the index
 * of its keys in `keyLists` (-1 for a list), then its parts, three numbers each [key offset, value offset, child
 * collection id or -1]; a list's key offset is its item's. -1 is "no collection" (a scalar). Nothing per collection
 * on the heap: three lists grown by push to ~40,000 numbers each left ~1 MB of outgrown arrays that the scavenges
 * copied and promoted.
 */
class Positions {
  // Small to start (4 KB; reserve() doubles it): an assignment file or a test's YAML has a few dozen parts, and a
  // 256 KB array per read (zeroed, then external memory for the GC to account) was most of reading one.
  private flat = new Int32Array(1 << 10);
  private used = 0;
  /**
   * The mappings' keys in order, one list per mapping, not a slot per key; sibling mappings with the same keys share
   * theirs (the scanner's key cache): 10,000 entries hold one list of their keys, not 100,000 slots.
   */
  private readonly keyLists: (readonly string[])[] = [];
  /** Key → part index of the large mappings searched so far (the spec's 10,000 configurations). */
  private readonly indexes = new Map<number, Map<string, number>>();

  /** `flat`, with room for `n` more numbers. */
  private reserve(n: number): Int32Array {
    if (this.used + n > this.flat.length) {
      const grown = new Int32Array(Math.max(this.flat.length * 2, this.used + n));
      grown.set(this.flat.subarray(0, this.used));
      this.flat = grown;
    }
    return this.flat;
  }

  /** Writes a new collection's header (room reserved); returns its id. */
  private header(flat: Int32Array, count: number, keys: readonly string[] | undefined): number {
    const id = this.used;
    flat[id] = count;
    flat[id + 1] = keys === undefined ? -1 : this.keyLists.push(keys) - 1;
    this.used = id + 2;
    return id;
  }

  /**
   * A new collection from the listener's triples of its parts ([start, collection id, value] each, `count`
   * items or pairs from `base`): a mapping's come in key, value pairs, with `keys` its keys in order. Returns
   * its id.
   */
  add(parts: readonly unknown[], base: number, count: number, keys?: readonly string[]): number {
    const flat = this.reserve(2 + count * 3);
    const id = this.header(flat, count, keys);
    const stride = keys ? 6 : 3;
    const value = keys ? 3 : 0;
    for (let i = 0; i < count; i++) {
      const at = base + i * stride;
      flat[this.used++] = parts[at] as number;
      flat[this.used++] = parts[at + value] as number;
      flat[this.used++] = parts[at + value + 1] as number;
    }
    return id;
  }

  /**
   * A new collection from the block scanner's stack: `count` parts of three numbers each from `base` ([key or
   * item offset, value offset, child collection id or -1]), as they are stored here. Returns its id.
   */
  addParts(stack: Int32Array, base: number, count: number, keys?: readonly string[]): number {
    const n = count * 3;
    const flat = this.reserve(2 + n);
    const id = this.header(flat, count, keys);
    let used = this.used;
    for (let i = base, end = base + n; i < end; i++) flat[used++] = stack[i];
    this.used = used;
    return id;
  }

  keyAt(id: number, i: number): number {
    return this.flat[id + 2 + i * 3];
  }

  valueAt(id: number, i: number): number {
    return this.flat[id + 3 + i * 3];
  }

  child(id: number, i: number): number {
    return this.flat[id + 4 + i * 3];
  }

  isMapping(id: number): boolean {
    return this.flat[id + 1] >= 0;
  }

  /** The part of collection `id` that `segment` names (a key of a mapping, an index of a list), or -1. */
  step(id: number, segment: string | number): number {
    const count = this.flat[id];
    const list = this.flat[id + 1];
    if (list < 0) return typeof segment === 'number' && Number.isInteger(segment) && segment >= 0 && segment < count ? segment : -1;
    const keys = this.keyLists[list];
    const key = String(segment);
    if (count <= SCAN_KEYS) {
      for (let i = 0; i < count; i++) if (keys[i] === key) return i;
      return -1;
    }
    let index = this.indexes.get(id);
    if (!index) {
      index = new Map();
      for (let i = 0; i < count; i++) index.set(keys[i], i);
      this.indexes.set(id, index);
    }
    return index.get(key) ?? -1;
  }
}

// The yaml package's YAML 1.2 core schema (node_modules/yaml/dist/schema/core): the same tests, the same
// conversions. js-yaml keeps one implicit type per tag, so each tag's variants share one resolver. Every plain
// scalar goes through these, so a first-character test skips the regular expressions (and any allocation)
// for the words and names that make up most of a spec.
const INT_OCT = /^0o[0-7]+$/;
const INT_DEC = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$|^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** A digit, `+`, `-` or `.`: the only first characters of a core-schema number. */
const numberStart = (s: string) => {
  const c = s.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
};
/**
 * js-yaml and its core schema, loaded at the first text the block scanner declines: a spec of the scanner's shape
 * (nearly every one) reads without them, and an ES import would load and evaluate js-yaml at every start that
 * loads the spec (`require`d where used, as CONTRIBUTING asks of a CommonJS package used in a few places).
 */
let jsYaml: { load: typeof import('js-yaml').load; schema: import('js-yaml').Schema } | undefined;
function loadJsYaml(): NonNullable<typeof jsYaml> {
  if (jsYaml) return jsYaml;
  const { FAILSAFE_SCHEMA, Type, load } = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml');
  jsYaml = { load, schema: coreSchema(FAILSAFE_SCHEMA, Type) };
  return jsYaml;
}

function coreSchema(FAILSAFE_SCHEMA: typeof import('js-yaml').FAILSAFE_SCHEMA, Type: typeof import('js-yaml').Type): import('js-yaml').Schema {
  return FAILSAFE_SCHEMA.extend({
    implicit: [
      new Type('tag:yaml.org,2002:null', {
        kind: 'scalar',
        resolve: (s: string | null) => s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL',
        construct: () => null,
      }),
      new Type('tag:yaml.org,2002:bool', {
        kind: 'scalar',
        resolve: (s: string | null) => s === 'true' || s === 'True' || s === 'TRUE' || s === 'false' || s === 'False' || s === 'FALSE',
        construct: (s: string) => s[0] === 't' || s[0] === 'T',
      }),
      new Type('tag:yaml.org,2002:int', {
        kind: 'scalar',
        resolve: (s: string | null) => s !== null && numberStart(s) && (INT_OCT.test(s) || INT_DEC.test(s) || INT_HEX.test(s)),
        construct: (s: string) => (INT_OCT.test(s) ? parseInt(s.substring(2), 8) : INT_DEC.test(s) ? parseInt(s, 10) : parseInt(s.substring(2), 16)),
      }),
      new Type('tag:yaml.org,2002:float', {
        kind: 'scalar',
        resolve: (s: string | null) => s !== null && numberStart(s) && (FLOAT_SPECIAL.test(s) || FLOAT.test(s)),
        construct: (s: string) =>
          FLOAT_SPECIAL.test(s) ? (s.slice(-3).toLowerCase() === 'nan' ? Number.NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY) : parseFloat(s),
      }),
    ],
  });
}

/** A mapping this large is searched through a Map; smaller ones (an entry's few keys) by a scan. */
const SCAN_KEYS = 16;
/** YAML allows an implicit key of at most 1024 characters; near it, the `yaml` package decides. */
const LONG_KEY = 1000;

class Decline extends Error {}
/**
 * The one Decline thrown: it carries nothing, and a new Error per declined text would capture a stack each time
 * (≈ 20 µs; the property tests decline thousands of texts).
 */
const DECLINED = new Decline();

/** Reads plain YAML with positions, or undefined when parseYamlInput must read it (see the header). Never throws. */
export function readPlainYaml(text: string): PlainYaml | undefined {
  // Block YAML of the spec's own shape (nearly every spec): read by the scanner below, no js-yaml.
  const scanned = scanBlockYaml(text);
  if (scanned) return scanned;
  return readWithJsYaml(text);
}

/** readPlainYaml through js-yaml and its listener: the YAML the scanner declines. */
function readWithJsYaml(text: string): PlainYaml | undefined {
  // A byte order mark (the `yaml` package skips one anywhere; js-yaml keeps it as text past the start).
  if (text.includes('\uFEFF')) return undefined;
  // A tab in a line's indentation: the readers' rules for it differ (both refuse some, not the same ones).
  if (text.includes('\t') && /^ *\t/m.test(text)) return undefined;
  // A block scalar with an indentation indicator (`|2`, `>-1`): js-yaml's reading of some differs.
  if (/[|>][-+]?[1-9][-+]?[ \t]*(?:#.*)?$/m.test(text)) return undefined;
  if (text.includes('\r') && /\r(?!\n)/.test(text)) return undefined;
  // A directive (%YAML 1.1 changes the schema in the yaml package) or a document marker after content.
  if (/^%/m.test(text)) return undefined;
  // Document markers other than one plain `---` line at the start (the readers split odd ones differently).
  if (/^(?:---|\.\.\.)/m.test(text.replace(/^---[ \t]*(?:#.*)?\r?\n/, ''))) return undefined;
  // A comment right after a closing bracket or quote: js-yaml takes it, the `yaml` package reports it.
  if (/[\]}"']#/.test(text)) return undefined;
  const positions = new Positions();
  // The composed parts, as [start offset, collection id or -1, value] triples on one stack: a node's parts
  // are the triples pushed since it opened (`bases`), replaced by its own triple when it closes. One stack,
  // not a list per collection: no array for each of the spec's ~40,000 mappings and lists.
  const opens: number[] = [];
  const bases: number[] = [];
  const parts: unknown[] = [];
  let declined = false;
  const listener = (event: 'open' | 'close', state: { position: number; input: string; kind: string | null; result: unknown }) => {
    if (declined) return;
    if (event === 'open') {
      opens.push(state.position);
      bases.push(parts.length);
      return;
    }
    const open = opens.pop()!;
    const base = bases.pop()!;
    const count = parts.length - base;
    const input = state.input;
    let start = skipSeparation(input, open);
    const first = input.charCodeAt(start);
    // & anchor, * alias, ! tag: parseYamlInput's (budgeted expansion, tag warnings).
    if (first === 0x26 || first === 0x2a || first === 0x21) {
      declined = true;
      return;
    }
    let node = -1;
    const result = state.result;
    if (state.kind === 'mapping' || state.kind === 'sequence') {
      if ((first === 0x5b || first === 0x7b) && input.indexOf('\n', start) < state.position) {
        declined = true;
        return;
      }
      // A flow collection where a block mapping could start is first read as that mapping's key, then kept
      // as the node itself: its one part is the same collection.
      if (count === 3 && parts[base + 2] === result && (parts[base + 1] as number) >= 0) node = parts[base + 1] as number;
      else node = state.kind === 'mapping' ? mappingNode(positions, result, parts, base, count) : sequenceNode(positions, result, parts, base, count);
      if (node < 0) {
        declined = true;
        return;
      }
    } else if (result === null && state.position === start) {
      // An empty value (`label:` and nothing): the `yaml` package places it after the indicator and the
      // blanks that follow it on its line (at the comment or the line break).
      start = open;
      while (input.charCodeAt(start) === 0x20 || input.charCodeAt(start) === 0x09) start++;
    }
    parts.length = base;
    parts.push(start, node, result);
  };
  let loaded: unknown;
  const { load, schema } = loadJsYaml();
  try {
    loaded = load(text, {
      schema,
      listener,
      onWarning: () => {
        declined = true;
      },
    });
  } catch {
    return undefined;
  }
  if (declined) return undefined;
  const top = parts;
  // One document (js-yaml throws on more); an empty stream gives none, as parseYamlInput gives null.
  if (top.length > 3) return undefined;
  let value: unknown;
  try {
    // A forbidden character reaches a value only from the text itself or through an escape (`\x01`,
    // `\uFFFD`): without either, no string needs its own check.
    const checkStrings = text.includes('\\') || firstForbiddenCharacter(text) >= 0;
    value = toPlainValue(loaded === undefined ? null : loaded, 0, checkStrings);
  } catch (error) {
    if (error instanceof Decline) return undefined;
    throw error;
  }
  // A document without content: only a blank one (white space, comments) is ours; `---` alone, `~`… are not.
  if (value === null && !isBlank(text)) return undefined;
  // A scalar document (no spec or assignment file is one): js-yaml reads a root block scalar indented
  // less than its indicator's line differently.
  if (value !== null && typeof value !== 'object') return undefined;
  const rootOffset = value === null ? undefined : (top[0] as number);
  const root = value === null ? -1 : (top[1] as number);
  return plainYaml(lineStartsOf(text), value, positions, root, rootOffset);
}

function isBlank(text: string): boolean {
  return skipSeparation(`${text}\0`, 0) >= text.length;
}

/** The offset of the first character at or after `at` that is not white space, a line break or a comment. */
function skipSeparation(input: string, at: number): number {
  let i = at;
  for (;;) {
    const c = input.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else if (c === 0x23) {
      while (i < input.length && input.charCodeAt(i) !== 0x0a && input.charCodeAt(i) !== 0x0d) i++;
    } else return i;
  }
}

/**
 * A mapping's collection id, if its composed parts (`count` stack slots from `base`: key and value triples in
 * turn) are exactly its keys and values in order; else -1.
 */
function mappingNode(positions: Positions, result: unknown, parts: readonly unknown[], base: number, count: number): number {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return -1;
  const map = result as Record<string, unknown>;
  const keys = Object.keys(map);
  const n = keys.length;
  if (count !== n * 6) return -1;
  for (let i = 0; i < n; i++) {
    const at = base + i * 6;
    const k = parts[at + 2];
    if (typeof k !== 'string' || k !== keys[i]) return -1;
    if (!Object.is(parts[at + 5], map[k])) return -1;
    if ((parts[at + 3] as number) - (parts[at] as number) > LONG_KEY) return -1;
  }
  return positions.add(parts, base, n, keys);
}

/** A list's collection id, if its composed parts (`count` stack slots from `base`) are exactly its items in order; else -1. */
function sequenceNode(positions: Positions, result: unknown, parts: readonly unknown[], base: number, count: number): number {
  if (!Array.isArray(result)) return -1;
  const n = result.length;
  if (count !== n * 3) return -1;
  for (let i = 0; i < n; i++) if (!Object.is(parts[base + i * 3 + 2], result[i])) return -1;
  return positions.add(parts, base, n);
}

/**
 * Makes js-yaml's value parseYamlInput's, in place (the value is ours alone: no copy of 10,000 entries):
 * mappings become null-prototype; declines where parseYamlInput would report a problem. Each mapping and
 * list is visited once (aliases, which could share one, are declined before).
 */
function toPlainValue(value: unknown, depth: number, checkStrings: boolean): unknown {
  if (depth > MAX_DEPTH) throw DECLINED;
  if (typeof value === 'string') {
    if (checkStrings && firstForbiddenCharacter(value) >= 0) throw DECLINED;
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) toPlainValue(value[i], depth + 1, checkStrings);
    return value;
  }
  const map = value as Record<string, unknown>;
  const keys = Object.keys(map);
  for (const key of keys) {
    if (key === '' || key === '__proto__' || (checkStrings && firstForbiddenCharacter(key) >= 0)) throw DECLINED;
    toPlainValue(map[key], depth + 1, checkStrings);
  }
  Object.setPrototypeOf(map, null);
  return map;
}

/**
 * Where each line of `text` starts (line 1 at index 0), so the text itself (2.7 MB for 10,000 configurations)
 * is not kept for positions. The block scanner records them as it passes each line instead.
 */
function lineStartsOf(text: string): Int32Array {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  const lineStarts = new Int32Array(lines);
  for (let i = text.indexOf('\n'), n = 1; i >= 0; i = text.indexOf('\n', i + 1)) lineStarts[n++] = i + 1;
  return lineStarts;
}

function plainYaml(lineStarts: Int32Array, value: unknown, positions: Positions, root: number, rootOffset: number | undefined): PlainYaml {
  const { toPosition, positionAt } = linePositions(lineStarts);
  /** yaml-position's descend over the collections: the offset `path` leads to, or the deepest one found. */
  const descend = (start: number, found: number | undefined, path: readonly (string | number)[], atKey: boolean): number | undefined => {
    let node = start;
    let best = found;
    for (let i = 0; i < path.length && node >= 0; i++) {
      const step = positions.step(node, path[i]);
      if (step < 0) break;
      best = i === path.length - 1 && atKey && positions.isMapping(node) ? positions.keyAt(node, step) : positions.valueAt(node, step);
      node = positions.child(node, step);
    }
    return best;
  };
  const position = (path: readonly (string | number)[], atKey = false) => toPosition(descend(root, rootOffset, path, atKey));
  const offsetScope = (scopePath: readonly (string | number)[]) => {
    let node = root;
    let best = rootOffset;
    let keyBest = rootOffset;
    for (const segment of scopePath) {
      const step = node >= 0 ? positions.step(node, segment) : -1;
      if (step < 0) return (rest: readonly (string | number)[], atKey = false) => descend(root, rootOffset, [...scopePath, ...rest], atKey) ?? -1;
      best = positions.valueAt(node, step);
      keyBest = positions.keyAt(node, step);
      node = positions.child(node, step);
    }
    const start = node;
    const startBest = best;
    const startKeyBest = keyBest;
    return (rest: readonly (string | number)[], atKey = false) => descend(start, rest.length === 0 && atKey ? startKeyBest : startBest, rest, atKey) ?? -1;
  };
  const scope = (scopePath: readonly (string | number)[]) => {
    const at = offsetScope(scopePath);
    return (rest: readonly (string | number)[], atKey = false) => positionAt(at(rest, atKey));
  };
  return { value, position, scope, offsetScope, positionAt };
}

/**
 * Offset → line and column, over the text's line starts. Made apart from plainYaml's other closures, which share
 * one scope with the positions store: `positionAt` outlives the read (the validator turns its spec twins' offsets
 * into positions at the end of the run), and made there it kept the whole store (~3 MB at 10,000 configurations,
 * heap snapshot at the end of `omni validate`) alive through the XML read and the project rules.
 */
function linePositions(lineStarts: Int32Array) {
  const toPosition = (offset: number | undefined): YamlPosition => {
    if (offset === undefined) return { line: 1, column: 1 };
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
  const positionAt = (offset: number) => toPosition(offset < 0 ? undefined : offset);
  return { toPosition, positionAt };
}


// ── The block scanner ─────────────────────────────────────────────────────────────────────────────────
//
// The spec and most files people write are block mappings of block mappings, with one-line scalars and
// one-line flow lists (`[a, b]`): for those, js-yaml's general machinery (a state object per node, a listener
// call per node, an `Object.create(null)` per flow attempt) is most of the read. scanBlockYaml reads exactly
// that subset line by line, taking each part's offset as it goes, and declines (undefined: js-yaml and then
// the `yaml` package read it) at anything else: tabs, a CR outside a CRLF line break, a forbidden character, a backslash in a double-
// quoted scalar, a quote or flow list spanning lines, a flow mapping, a nested flow list, a comment inside a
// flow list, a plain scalar that continues on the next line or holds `: ` or ` #` where YAML would differ,
// an indicator (& * ! | > % @ ` ? or `- ` where a value starts), a list item that is empty or a mapping, a
// non-string, empty, duplicate, `<<`, `__proto__` or overlong key, a root that is not a mapping, nesting
// near MAX_DEPTH, or any indentation it does not expect. Values and positions are readPlainYaml's
// (test/lib/yaml-plain.test.ts holds the scanner to the `yaml` package on its own as well).

const SPACE = 0x20;
const LF = 0x0a;
/** A CR here always starts a CRLF line break: the scanner declines a text with a CR that does not. */
const CR = 0x0d;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const DOT = 0x2e;
const QUOTE1 = 0x27;
const QUOTE2 = 0x22;
const OPEN_SQUARE = 0x5b;
const CLOSE_SQUARE = 0x5d;
const COMMA = 0x2c;
const OPEN_CURLY = 0x7b;
const BACKSLASH = 0x5c;
const CLOSE_CURLY = 0x7d;

/** Characters that cannot start a plain scalar here (`-`, `?` and `:` only before a space: checked apart). */
const NOT_PLAIN_START = new Set([..."&*!|>%@`'\"[]{},#"].map((c) => c.charCodeAt(0)));

/**
 * A string of its own: V8 keeps a `slice` of 13 characters or more as a view of the whole text, so one such
 * value left in a compiled document (a label, a relatedEntityType) would keep the 2.7 MB spec alive through
 * the XML read. Flattening a one-character prefix copies it; the slice after it views only the copy.
 */
function own(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/** The core schema's reading of a plain scalar (as CORE_SCHEMA's resolvers above); a string is its own copy. */
function resolvePlain(s: string): unknown {
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s === 'true' || s === 'True' || s === 'TRUE') return true;
  if (s === 'false' || s === 'False' || s === 'FALSE') return false;
  if (!numberStart(s)) return own(s);
  if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT_DEC.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_SPECIAL.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? Number.NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT.test(s)) return parseFloat(s);
  return own(s);
}

/** Slots of the scanner's scalar cache (a power of two): the spec's repeated names, numbers and words. */
const SCALAR_CACHE = 1024;

/**
 * The scanner's state: the text, the current significant line, where each line starts, the stack of the open
 * collections' parts, and what the last value read left (its offset, its collection id).
 */
class BlockScanner {
  /** Offset of the current line's first character, and its indentation; -1 at the end of the text. */
  line = 0;
  indent = 0;
  readonly positions = new Positions();
  /**
   * The parts of the collections being read, three numbers each as Positions stores them ([key or item offset,
   * value offset, child collection id or -1]), from `top` down: a collection's parts go to the store when it
   * closes. Numbers on a typed stack, not values on an array: nothing for the GC to scan or copy.
   */
  private stack = new Int32Array(1 << 8);
  private top = 0;
  /** A list's items as they are read (from its base to `valueTop`), copied out at its exact size when it ends. */
  private readonly values: unknown[] = [];
  private valueTop = 0;
  /** Where each line starts, recorded as `seek` passes it (line 1 at index 0), and how many. */
  lineStarts = new Int32Array(1 << 8);
  lines = 0;
  /** Set by every value read: its offset and its collection id (-1 for a scalar). */
  valueStart = 0;
  valueId = -1;
  /** Set by quoted and flowPlain: where the scalar stopped, and (flowPlain) where its text ends without blanks. */
  end = 0;
  trimmed = 0;
  /**
   * Per depth, the keys of the last small mapping read there (V8's internalized strings, as `Object.keys`
   * gives them): the next mapping at that depth (the spec's next entry) mostly has the same keys in the same
   * order, recognised where they stand (`startsWith`) without slicing and hashing a new string per key.
   */
  private readonly keyCache: (readonly string[] | undefined)[] = [];
  /**
   * Plain scalars read lately, by a hash of their text: the text and its value. A spec repeats its names
   * (statuses, decline reasons, channels), numbers and words thousands of times: one string each, not one per
   * use, and no slice or resolution for a repeat.
   */
  private readonly scalarTexts: (string | undefined)[] = new Array(SCALAR_CACHE).fill(undefined);
  private readonly scalarValues: unknown[] = new Array(SCALAR_CACHE).fill(null);

  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  /** Pushes one part (three numbers) on the stack. */
  private push(key: number, value: number, id: number): void {
    if (this.top + 3 > this.stack.length) {
      const grown = new Int32Array(this.stack.length * 2);
      grown.set(this.stack);
      this.stack = grown;
    }
    const stack = this.stack;
    stack[this.top++] = key;
    stack[this.top++] = value;
    stack[this.top++] = id;
  }

  /** Moves to the first line at or after `from` (a line start) that is not blank or a comment. */
  seek(from: number): void {
    const text = this.text;
    let p = from;
    for (;;) {
      // A line starts here (not the end of a text without a final line break, where a caller seeks too).
      if (p === 0 || text.charCodeAt(p - 1) === LF) {
        if (this.lines === this.lineStarts.length) {
          const grown = new Int32Array(this.lines * 2);
          grown.set(this.lineStarts);
          this.lineStarts = grown;
        }
        this.lineStarts[this.lines++] = p;
      }
      let i = p;
      while (text.charCodeAt(i) === SPACE) i++;
      if (i >= text.length) {
        this.line = -1;
        this.indent = -1;
        return;
      }
      const c = text.charCodeAt(i);
      if (c === LF || c === CR || c === HASH) {
        const end = text.indexOf('\n', i);
        if (end < 0) {
          this.line = -1;
          this.indent = -1;
          return;
        }
        p = end + 1;
        continue;
      }
      // A document marker (`---` or `...` at column 0, then a blank or the line's end) starts or ends a
      // document, whatever follows it on the line: one document of the spec's shape never has one.
      if (i === p && (c === DASH || c === DOT) && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c && isBlankAt(text, i + 3)) throw DECLINED;
      this.line = p;
      this.indent = i - p;
      return;
    }
  }

  /**
   * After a value that ended at `at`: only blanks and a comment (after a blank) may follow on the line. Moves
   * to the next significant line; throws Decline otherwise.
   */
  endLine(at: number): void {
    const text = this.text;
    let i = at;
    while (text.charCodeAt(i) === SPACE) i++;
    if (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === HASH) {
        if (i === at) throw DECLINED;
      } else if (c !== LF && c !== CR) throw DECLINED;
    }
    const end = text.indexOf('\n', i);
    this.seek(end < 0 ? text.length : end + 1);
  }

  /**
   * A block mapping whose keys stand at `indent` (the current line is its first). Returns it; sets valueStart/valueId.
   * Its loop runs once per line of the spec: a key read afresh (`key`) and a value on the lines below (`valueBelow`)
   * are methods of their own, so this one stays small — V8 optimizes a small function sooner and compiles it faster,
   * and a cold run reads its first thousand entries in that code instead of the baseline's.
   */
  mapping(indent: number, depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH - 4) throw DECLINED;
    const text = this.text;
    const base = this.top;
    const start = this.line + indent;
    const map: Record<string, unknown> = {};
    const cache = this.keyCache[depth];
    // The keys so far, once one of them is not the cached key at its index; until then (`keys` undefined) every
    // key so far is, and the next one that is cannot be a duplicate.
    let keys: string[] | undefined = cache === undefined ? [] : undefined;
    let count = 0;
    let plainKeys = true;
    for (;;) {
      const keyStart = this.line + indent;
      const cached = keys === undefined && count < cache!.length ? cache![count] : undefined;
      let key: string;
      let colon: number;
      // A cached key passed every check of `key` when it was first read, and the same characters before the same
      // `: ` read the same (its own `:`s are not before a blank, or it would have ended there).
      if (cached !== undefined && text.startsWith(cached, keyStart) && text.charCodeAt(keyStart + cached.length) === COLON && isBlankAt(text, keyStart + cached.length + 1)) {
        key = cached;
        colon = keyStart + cached.length;
      } else {
        if (keys === undefined) keys = cache!.slice(0, count);
        // A quoted key may read differently unquoted (`"true"`, `"a: b"`): this mapping's keys are not cached.
        if (text.charCodeAt(keyStart) === QUOTE1 || text.charCodeAt(keyStart) === QUOTE2) plainKeys = false;
        key = this.key(keyStart);
        colon = this.end;
        if (Object.hasOwn(map, key)) throw DECLINED;
      }
      let v = colon + 1;
      while (text.charCodeAt(v) === SPACE) v++;
      const c = v < text.length ? text.charCodeAt(v) : LF;
      let value: unknown;
      if (c === LF || c === CR || c === HASH) value = this.valueBelow(colon, v, indent, depth);
      else {
        value = this.inlineValue(v, depth + 1, false);
        if (this.line >= 0 && this.indent > indent) throw DECLINED;
      }
      this.push(keyStart, this.valueStart, this.valueId);
      map[key] = value;
      if (keys !== undefined) keys.push(key);
      count++;
      if (this.line < 0 || this.indent < indent) break;
      if (this.indent > indent || isItemAt(text, this.line + indent)) throw DECLINED;
    }
    Object.setPrototypeOf(map, null);
    const same = keys === undefined && count === cache!.length;
    if (!same) this.keyCache[depth] = plainKeys && count <= SCAN_KEYS ? Object.keys(map) : undefined;
    // The same keys as the cached ones (or the first of them): the collection shares that list.
    this.valueId = this.positions.addParts(this.stack, base, count, same ? cache : (keys ?? cache!.slice(0, count)));
    this.valueStart = start;
    this.top = base;
    return map;
  }

  /**
   * A mapping's key that starts at `keyStart` (quoted, or plain to the first `:` before a blank on its line), with
   * every check a key must pass but its being new in its mapping. Returns it; sets `end` at its `:`.
   */
  key(keyStart: number): string {
    const text = this.text;
    const c = text.charCodeAt(keyStart);
    let key: string;
    let colon: number;
    if (c === QUOTE1 || c === QUOTE2) {
      key = this.quoted(keyStart);
      colon = this.end;
      if (text.charCodeAt(colon) !== COLON || !isBlankAt(text, colon + 1)) throw DECLINED;
    } else {
      if (NOT_PLAIN_START.has(c) || ((c === DASH || c === 0x3f || c === COLON) && isBlankAt(text, keyStart + 1))) throw DECLINED;
      // The first `:` before a blank on the line ends the key.
      colon = keyStart + 1;
      for (;;) {
        const d = text.charCodeAt(colon);
        if (d === LF || d === CR || colon >= text.length) throw DECLINED;
        if (d === COLON && isBlankAt(text, colon + 1)) break;
        colon++;
      }
      if (text.charCodeAt(colon - 1) === SPACE) throw DECLINED;
      key = text.slice(keyStart, colon);
      if (key.includes(' #') || typeof resolvePlain(key) !== 'string') throw DECLINED;
    }
    if (key === '' || key === '__proto__' || key === '<<' || colon - keyStart > LONG_KEY) throw DECLINED;
    this.end = colon;
    return key;
  }

  /**
   * The value of a key whose `:` is at `colon` and whose line ends (or has a comment) at `v`: a collection on the lines
   * below, or none (null, placed at the comment or the line end). Returns it; sets valueStart/valueId; moves on.
   */
  valueBelow(colon: number, v: number, indent: number, depth: number): unknown {
    const text = this.text;
    if (text.charCodeAt(v) === HASH && v === colon + 1) throw DECLINED;
    const end = text.indexOf('\n', v);
    this.seek(end < 0 ? text.length : end + 1);
    if (this.line >= 0 && this.indent > indent) {
      const first = this.line + this.indent;
      const f = text.charCodeAt(first);
      if (f === OPEN_SQUARE || f === OPEN_CURLY) {
        // A flow collection on the line below its key (`key:` then `  {}`), as the `yaml` package writes empty ones.
        const value = this.inlineValue(first, depth + 1, false);
        if (this.line >= 0 && this.indent > indent) throw DECLINED;
        return value;
      }
      return isItemAt(text, first) ? this.sequence(this.indent, depth + 1) : this.mapping(this.indent, depth + 1);
    }
    if (this.line >= 0 && this.indent === indent && isItemAt(text, this.line + indent)) return this.sequence(indent, depth + 1);
    this.valueStart = v;
    this.valueId = -1;
    return null;
  }

  /** A block list whose `- ` stand at `indent` (the current line is its first). Returns it; sets valueStart/valueId. */
  sequence(indent: number, depth: number): unknown[] {
    if (depth > MAX_DEPTH - 4) throw DECLINED;
    const text = this.text;
    const base = this.top;
    const valueBase = this.valueTop;
    const start = this.line + indent;
    for (;;) {
      let v = this.line + indent + 1;
      while (text.charCodeAt(v) === SPACE) v++;
      const c = v < text.length ? text.charCodeAt(v) : LF;
      if (c === LF || c === CR || c === HASH) throw DECLINED;
      const item = this.inlineValue(v, depth + 1, true);
      this.push(this.valueStart, this.valueStart, this.valueId);
      this.values[this.valueTop++] = item;
      if (this.line < 0 || this.indent < indent) break;
      if (this.indent > indent) throw DECLINED;
      // A key at the list's own indentation ends it (a list written under its key, not indented).
      if (!isItemAt(text, this.line + indent)) break;
    }
    const list = this.values.slice(valueBase, this.valueTop);
    this.valueTop = valueBase;
    this.valueId = this.positions.addParts(this.stack, base, list.length);
    this.valueStart = start;
    this.top = base;
    return list;
  }

  /** A value that starts at `v` and ends on its line: a flow collection or a scalar. Returns it; sets valueStart/valueId; moves on. */
  inlineValue(v: number, depth: number, item: boolean): unknown {
    const text = this.text;
    const c = text.charCodeAt(v);
    let value: unknown;
    let end: number;
    if (c === OPEN_SQUARE || c === OPEN_CURLY) {
      value = c === OPEN_SQUARE ? this.flowList(v, depth) : this.flowMapping(v, depth);
      end = this.end;
    } else {
      this.valueStart = v;
      this.valueId = -1;
      if (c === QUOTE1 || c === QUOTE2) {
        value = this.quoted(v);
        end = this.end;
      } else {
        if (NOT_PLAIN_START.has(c) || ((c === DASH || c === 0x3f || c === COLON) && isBlankAt(text, v + 1))) throw DECLINED;
        // To the line's end or a comment (` #`); `a: b: c` and `a: b:` are mappings (or errors) to YAML.
        end = v;
        const length = text.length;
        let hash = 0;
        for (; end < length; end++) {
          const d = text.charCodeAt(end);
          if (d === LF || d === CR) break;
          if (d === SPACE && text.charCodeAt(end + 1) === HASH) break;
          if (d === COLON && isBlankAt(text, end + 1)) throw DECLINED;
          hash = (hash * 31 + d) | 0;
        }
        while (text.charCodeAt(end - 1) === SPACE) end--;
        value = this.plain(v, end, hash);
        if (item && typeof value === 'string' && value.includes(':')) throw DECLINED;
      }
    }
    // Nearly every value ends its line: straight to the next one (endLine's checks are for what may follow it).
    if (text.charCodeAt(end) === LF) this.seek(end + 1);
    else this.endLine(end);
    return value;
  }

  /**
   * The core schema's reading of the plain scalar from `from` to `to` (resolvePlain), `hash` a hash of its
   * characters (any, as long as equal texts get equal ones): a text read lately gives the same value again.
   */
  plain(from: number, to: number, hash: number): unknown {
    const slot = (hash ^ (hash >>> 10)) & (SCALAR_CACHE - 1);
    const seen = this.scalarTexts[slot];
    if (seen !== undefined && seen.length === to - from && this.text.startsWith(seen, from)) return this.scalarValues[slot];
    const source = this.text.slice(from, to);
    const value = resolvePlain(source);
    this.scalarTexts[slot] = source;
    this.scalarValues[slot] = value;
    return value;
  }

  /**
   * A one-line flow list (`[a, b]`) of scalars from `v` (its bracket): returns it; sets valueStart/valueId, and `end`
   * after its closing bracket.
   */
  flowList(v: number, depth: number): unknown[] {
    if (depth > MAX_DEPTH - 4) throw DECLINED;
    const text = this.text;
    const base = this.top;
    const valueBase = this.valueTop;
    const lineEnd = lineEndAt(text, v);
    let i = v + 1;
    while (text.charCodeAt(i) === SPACE) i++;
    if (text.charCodeAt(i) !== CLOSE_SQUARE) {
      do {
        const c = text.charCodeAt(i);
        this.values[this.valueTop++] = c === QUOTE1 || c === QUOTE2 ? this.quoted(i) : this.flowPlain(i, lineEnd, CLOSE_SQUARE);
        this.push(i, i, -1);
        i = this.nextFlowItem(this.end, lineEnd, CLOSE_SQUARE);
      } while (i >= 0);
      i = this.end;
    }
    if (i >= lineEnd) throw DECLINED;
    const list = this.values.slice(valueBase, this.valueTop);
    this.valueTop = valueBase;
    this.valueId = this.positions.addParts(this.stack, base, list.length);
    this.top = base;
    this.valueStart = v;
    this.end = i + 1;
    return list;
  }

  /**
   * A one-line flow mapping (`{ k: v, k2: v2 }`) of scalars from `v` (its bracket): returns it; sets
   * valueStart/valueId, and `end` after its closing bracket.
   */
  flowMapping(v: number, depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH - 4) throw DECLINED;
    const text = this.text;
    const base = this.top;
    const lineEnd = lineEndAt(text, v);
    const map: Record<string, unknown> = {};
    const keys: string[] = [];
    let i = v + 1;
    while (text.charCodeAt(i) === SPACE) i++;
    if (text.charCodeAt(i) !== CLOSE_CURLY) {
      do {
        // key: a quoted or plain scalar right before `: `
        const keyStart = i;
        let key: string;
        if (text.charCodeAt(i) === QUOTE1 || text.charCodeAt(i) === QUOTE2) {
          key = this.quoted(i);
          i = this.end;
        } else {
          const scalar = this.flowPlain(i, lineEnd, CLOSE_CURLY);
          if (typeof scalar !== 'string') throw DECLINED;
          key = scalar;
          i = this.end;
          if (this.trimmed !== i) throw DECLINED;
        }
        if (text.charCodeAt(i) !== COLON || text.charCodeAt(i + 1) !== SPACE) throw DECLINED;
        if (key === '' || key === '__proto__' || key === '<<' || i - keyStart > LONG_KEY || Object.hasOwn(map, key)) throw DECLINED;
        keys.push(key);
        i += 2;
        while (text.charCodeAt(i) === SPACE) i++;
        const c = text.charCodeAt(i);
        // `{ k: }` and `{ k: , … }`: an empty value, placed where the readers may differ.
        if (c === COMMA || c === CLOSE_CURLY) throw DECLINED;
        map[key] = c === QUOTE1 || c === QUOTE2 ? this.quoted(i) : this.flowPlain(i, lineEnd, CLOSE_CURLY);
        this.push(keyStart, i, -1);
        i = this.nextFlowItem(this.end, lineEnd, CLOSE_CURLY);
      } while (i >= 0);
      i = this.end;
    }
    if (i >= lineEnd) throw DECLINED;
    Object.setPrototypeOf(map, null);
    this.valueId = this.positions.addParts(this.stack, base, keys.length, keys);
    this.top = base;
    this.valueStart = v;
    this.end = i + 1;
    return map;
  }

  /**
   * After a flow collection's item that ended at `i`: the next item's offset, or -1 at the closing bracket (`end` set
   * to it). Throws Decline at anything else, a trailing comma or an empty item (`[a, ]`, `[a,,b]`: the readers differ).
   */
  nextFlowItem(i: number, lineEnd: number, close: number): number {
    const text = this.text;
    while (text.charCodeAt(i) === SPACE) i++;
    const d = text.charCodeAt(i);
    if (d === close) {
      this.end = i;
      return -1;
    }
    if (d !== COMMA || i >= lineEnd) throw DECLINED;
    i++;
    while (text.charCodeAt(i) === SPACE) i++;
    if (text.charCodeAt(i) === close || text.charCodeAt(i) === COMMA) throw DECLINED;
    return i;
  }

  /**
   * A plain scalar inside a flow collection, from `i` to the next `,` or closing bracket (or `: ` in a
   * mapping): returns its value; sets `end` where it stopped and `trimmed` where its text ends without blanks.
   */
  flowPlain(i: number, lineEnd: number, close: number): unknown {
    const text = this.text;
    const c = text.charCodeAt(i);
    if (NOT_PLAIN_START.has(c) || ((c === DASH || c === 0x3f || c === COLON) && isBlankAt(text, i + 1)) || i >= lineEnd) throw DECLINED;
    let end = i;
    let hash = 0;
    for (;;) {
      const d = text.charCodeAt(end);
      if (d === COMMA || d === close || end >= lineEnd) break;
      if (d === COLON) {
        // A mapping's key ends at `: `; any other `:` (and every one in a list) is left to the readers.
        if (close === CLOSE_CURLY && text.charCodeAt(end + 1) === SPACE) break;
        throw DECLINED;
      }
      // A comment or a nested collection inside the flow collection.
      if (d === HASH || d === OPEN_SQUARE || d === CLOSE_SQUARE || d === OPEN_CURLY || d === CLOSE_CURLY) throw DECLINED;
      hash = (hash * 31 + d) | 0;
      end++;
    }
    let trimmed = end;
    while (text.charCodeAt(trimmed - 1) === SPACE) trimmed--;
    this.end = end;
    this.trimmed = trimmed;
    return this.plain(i, trimmed, hash);
  }

  /** A one-line quoted scalar at `at` (no escapes in double quotes): returns its value; sets `end` after it. */
  quoted(at: number): string {
    const text = this.text;
    const q = text.charCodeAt(at);
    const lineEnd = lineEndAt(text, at);
    if (q === QUOTE2) {
      // Escapes: `\"` and `\\` only (the others, `\x01` or a line continuation, are the readers').
      let value = '';
      let from = at + 1;
      for (let i = from; ; i++) {
        const c = text.charCodeAt(i);
        if (i >= lineEnd) throw DECLINED;
        if (c === QUOTE2) {
          this.end = i + 1;
          return own(value + text.slice(from, i));
        }
        if (c === BACKSLASH) {
          const next = text.charCodeAt(i + 1);
          if (next !== QUOTE2 && next !== BACKSLASH) throw DECLINED;
          value += text.slice(from, i) + (next === QUOTE2 ? '"' : '\\');
          from = ++i + 1;
        }
      }
    }
    let value = '';
    let from = at + 1;
    for (;;) {
      const close = text.indexOf("'", from);
      if (close < 0 || close > lineEnd) throw DECLINED;
      value += text.slice(from, close);
      if (text.charCodeAt(close + 1) !== QUOTE1) {
        this.end = close + 1;
        return own(value);
      }
      value += "'";
      from = close + 2;
    }
  }
}

/** A blank, a line break (LF, or the CR of a CRLF) or the end of the text at `i`. */
function isBlankAt(text: string, i: number): boolean {
  if (i >= text.length) return true;
  const c = text.charCodeAt(i);
  return c === SPACE || c === LF || c === CR;
}

/** Where the line of offset `at` ends: its LF, the CR of its CRLF, or the end of the text. */
function lineEndAt(text: string, at: number): number {
  const lf = text.indexOf('\n', at);
  if (lf < 0) return text.length;
  return lf > at && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
}

/** A list item indicator (`- `, or `-` at the end of its line) at `i`. */
function isItemAt(text: string, i: number): boolean {
  return text.charCodeAt(i) === DASH && isBlankAt(text, i + 1);
}

/** Block YAML of the shape the scanner reads (see above), with positions; undefined for anything else. */
export function scanBlockYaml(text: string): PlainYaml | undefined {
  // CRLF line breaks (Windows editors) are read; a CR alone is not.
  if (text.includes('\t') || (text.includes('\r') && /\r(?!\n)/.test(text)) || text.includes('\uFEFF') || firstForbiddenCharacter(text) >= 0) return undefined;
  const scanner = new BlockScanner(text);
  let value: unknown;
  try {
    scanner.seek(0);
    if (scanner.line < 0 || scanner.indent !== 0 || isItemAt(text, scanner.line)) return undefined;
    value = scanner.mapping(0, 0);
    if (scanner.line >= 0) return undefined;
  } catch (error) {
    if (error instanceof Decline) return undefined;
    throw error;
  }
  return plainYaml(scanner.lineStarts.slice(0, scanner.lines), value, scanner.positions, scanner.valueId, scanner.valueStart);
}
