/**
 * XML → ordered element tree with source positions, in one pass.
 *
 * A small strict scanner written for metadata files: it checks well-formedness as it goes (names, matching
 * end tags, quoted and unique attributes, one root, comments, CDATA, processing instructions, references)
 * and gives each element the line/column of its start tag, so validators point at `file:line:col` without
 * a second position pass. `omni validate` reads 10,000 files through it: a general parser plus a separate
 * validator and locator cost ~3 passes and most of the validate time (bench/validate). DTDs are skipped,
 * not processed: a metadata file has none, and an entity they declare is reported as undefined.
 */
import { ruleText } from '../lib/messages.ts';
import { METADATA_NAMESPACE } from './registry.ts';

/**
 * The attributes of a root element that has only the Metadata API namespace (every metadata file's): one object
 * for every such node. Frozen: a parsed node's attributes are read, never changed.
 */
const METADATA_ROOT_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({ xmlns: METADATA_NAMESPACE });

export interface XmlNode {
  /** Element name as written (a namespace prefix, if any, included). */
  name: string;
  /** Text of a leaf element, entities decoded; undefined for elements with children. */
  text?: string;
  /** `xsi:nil="true"`. */
  nil?: boolean;
  attributes?: Record<string, string>;
  children: XmlNode[];
  /** 1-based position of the `<` of the start tag (0 when the node was built in memory). */
  line: number;
  column: number;
}

export interface XmlParseError {
  message: string;
  line: number;
  column: number;
}

export interface XmlParseResult {
  root?: XmlNode;
  error?: XmlParseError;
  /**
   * Text beside child elements (mixed content), which the tree drops: per element that has children, its
   * first run of text other than whitespace, where it starts. XML allows it; a schema decides (the Metadata
   * API's complex types are element-only, so parseMetadata reports it).
   */
  mixedText?: MixedText[];
}

/** Text other than whitespace beside an element's child elements, at its first character. */
export interface MixedText {
  node: XmlNode;
  /** The run of text, trimmed. */
  text: string;
  line: number;
  column: number;
}

// XML 1.0 (5th ed.) §2.3 Name: NameStartChar NameChar*.
const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME = new RegExp(`[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040]*`, 'uy');
// A '&' that does not start a reference of the right shape (&name; &#digits; &#xhex;) is malformed where it stands.
const BARE_AMPERSAND = /&(?!(?:[:A-Z_a-z\u00C0-\uFFFD][\w.:\-\u00B7-\uFFFD]*|#[0-9]+|#x[0-9a-fA-F]+);)/;

class XmlError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/** Never throws: malformed input comes back as `error` with its line and column. */
export function parseXml(input: string): XmlParseResult {
  let source = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  // XML end-of-line handling (XML 1.0 §2.11): CRLF and a lone CR are one line break, so positions count
  // lines the way editors do and `&#13;` stays the only way to carry a CR in a value.
  if (source.includes('\r')) source = source.replace(/\r\n?/g, '\n');
  // One character class first (fast on the usual file, which has none); the exact pattern only after a hit.
  const forbidden = MAYBE_NOT_XML_CHAR.test(source) ? NOT_XML_CHAR.exec(source) : null;
  if (forbidden) return { error: forbiddenCharacter(source, forbidden.index) };
  try {
    return scan(source);
  } catch (error) {
    if (error instanceof XmlError) return { error: { message: error.message, ...new LineTracker(source).at(error.offset) } };
    return { error: { message: `Malformed XML: ${(error as Error).message}`, line: 1, column: 1 } };
  }
}

/** Offsets → 1-based line/column, for offsets that only grow (plus any earlier one, by a rescan). */
class LineTracker {
  private lineStart = 0;
  private scanned = 0;
  private readonly source: string;
  constructor(source: string) {
    this.source = source;
  }
  line = 1;
  column = 1;
  /** Moves to `offset`: `line` and `column` are then its position. */
  seek(offset: number): void {
    if (offset < this.scanned) {
      this.line = 1;
      this.lineStart = 0;
      this.scanned = 0;
    }
    for (let nl = this.source.indexOf('\n', this.scanned); nl >= 0 && nl < offset; nl = this.source.indexOf('\n', nl + 1)) {
      this.line++;
      this.lineStart = nl + 1;
    }
    this.scanned = offset;
    this.column = offset - this.lineStart + 1;
  }
  at(offset: number): { line: number; column: number } {
    this.seek(offset);
    return { line: this.line, column: this.column };
  }
}

/**
 * Element and attribute names, one string each for the whole process: the same few dozen names repeat in
 * every file, and a name sliced from a file's text would keep that whole text alive (V8 slices longer
 * strings by reference), so 10,000 parsed files would hold 10,000 sources.
 */
const NAMES = new Map<string, string>();
const MAX_NAMES = 10_000;
/** Attribute values (the namespace of every root element), shared the same way. */
const ATTRIBUTE_VALUES = new Map<string, string>();

function intern(source: string, start: number, end: number): string {
  const value = source.slice(start, end);
  const known = NAMES.get(value);
  if (known !== undefined) return known;
  const name = internalized(value);
  if (NAMES.size < MAX_NAMES) NAMES.set(name, name);
  return name;
}

/**
 * V8's own copy of `value` from its string table (what a property key is): the rules compare every node's
 * name with literal names (`child(root, 'capacity')`, ~40 lookups per file), and two internalized strings are
 * equal only when they are the same string — one pointer comparison instead of a length and character check.
 * It owns its characters (no view into the file's text).
 */
function internalized(value: string): string {
  for (const key in { [value]: 0 }) return key;
  return copyString(value);
}

/**
 * The interned ASCII names by length and first character: a name is recognised where it stands in the
 * text (`startsWith`), without slicing and hashing a new string for each of ~150,000 tags of 10,000 files.
 */
const NAMES_BY_SHAPE = new Map<number, string[]>();
let namesByShape = 0;

function knownName(source: string, start: number, end: number): string {
  const shape = (end - start) * 128 + source.charCodeAt(start);
  const candidates = NAMES_BY_SHAPE.get(shape);
  if (candidates) for (let i = 0; i < candidates.length; i++) if (source.startsWith(candidates[i], start)) return candidates[i];
  const name = intern(source, start, end);
  if (namesByShape < MAX_NAMES) {
    namesByShape++;
    if (candidates) candidates.push(name);
    else NAMES_BY_SHAPE.set(shape, [name]);
  }
  return name;
}

/**
 * A leaf value or attribute value to keep: the booleans every file repeats share one string each, and a
 * longer value is copied so that it does not hold its file's text.
 */
function keepValue(value: string): string {
  if (value === 'true') return 'true';
  if (value === 'false') return 'false';
  return copyString(value);
}

function internString(value: string, table: Map<string, string>, max: number): string {
  const known = table.get(value);
  if (known !== undefined) return known;
  const copy = copyString(value);
  if (table.size < max) table.set(copy, copy);
  return copy;
}

/** A string that owns its characters: V8 keeps a slice of 13+ characters as a view into its parent. */
function copyString(value: string): string {
  // Concatenating makes a cons string; slicing it flattens that into a new string first.
  return value.length < 13 ? value : (' ' + value).slice(1);
}

/**
 * The children of every element without any: one frozen empty array instead of one per leaf (most nodes are
 * leaves; 10,000 parsed files held ~130,000 empty arrays). Pushing onto a parsed leaf throws: give the node
 * a new array instead (`node.children = [child]`).
 */
const NO_CHILDREN: XmlNode[] = Object.freeze([]) as unknown as XmlNode[];

/** A character that may continue an XML name (ASCII ones exactly; anything beyond ASCII is treated as one). */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 58 || c === 45 || c === 46 || c === 0xb7 || c >= 0x80;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/**
 * The scanner's working stacks, one set for the process, used up to the scan's own `depth` and `pendingCount`
 * (never shrunk: setting an array's length to 0, or popping it empty, gives its backing store back, and the
 * next push allocates a new one). Four arrays grown by push for each of 10,000 files were ~5 MB of garbage
 * (bench/RESULTS.md, Validate at scale). What a scan leaves in them is overwritten by the next.
 */
const STACK: XmlNode[] = [];
const TEXTS: string[] = [];
const PENDING: XmlNode[] = [];
const FIRST_CHILD: number[] = [];
/** Per open element: offset of its first text other than whitespace (-1: none yet), and that run's end. */
const STRAY_START: number[] = [];
const STRAY_END: number[] = [];
/** Per open element: offset just past its start tag. */
const CONTENT_START: number[] = [];
/**
 * Per open element: the one run of text it holds so far, as offsets [TEXT_START, TEXT_END) into the source
 * (-1: none), made a string only at its end tag and only for a leaf (see `collectedText`); TEXTS holds what
 * was collected as a string (a second run, a decoded reference, CDATA).
 */
const TEXT_START: number[] = [];
const TEXT_END: number[] = [];
const VISIBLE = /[^ \t\r\n]/;

/**
 * The mixed content of an element with children: its text before the first child (`before`, collected from
 * `contentStart`) if any, else the run after a child at [`after`, `afterEnd`). Out of the scan's loop: rare.
 */
function mixedAt(source: string, lines: LineTracker, node: XmlNode, before: string, contentStart: number, after: number, afterEnd: number): MixedText {
  const first = hasVisible(before) ? strayBeforeChildren(source, contentStart) : undefined;
  const start = first ? first[0] : after;
  const end = first ? first[1] : afterEnd;
  return { node, text: copyString(source.slice(start, end).trim()), ...lines.at(start) };
}

/** Whether `text` holds a character other than XML whitespace (a loop: called for every element with children). */
function hasVisible(text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return true;
  }
  return false;
}

/**
 * The first text other than whitespace from `at` (just past a start tag) up to the element's first child, as
 * [start, end of its run]: comments and processing instructions are skipped, a CDATA section with content
 * is text. Called only for an element with children whose text before them is not all whitespace.
 */
function strayBeforeChildren(source: string, at: number): [number, number] | undefined {
  let i = at;
  while (i < source.length) {
    const c = source.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (source.startsWith('<!--', i)) i = source.indexOf('-->', i + 4) + 3;
    else if (source.startsWith('<?', i)) i = source.indexOf('?>', i + 2) + 2;
    else if (source.startsWith('<![CDATA[', i)) {
      const close = source.indexOf(']]>', i + 9);
      if (VISIBLE.test(source.slice(i + 9, close))) return [i, close + 3];
      i = close + 3;
    } else if (c === 60 /* < */) return undefined;
    else {
      const lt = source.indexOf('<', i);
      return [i, lt < 0 ? source.length : lt];
    }
  }
  return undefined;
}

/** A name at `at`: ASCII names (all of Salesforce's) are scanned here; anything else goes through the full Name pattern. */
function readName(source: string, at: number, what: NameKind): string {
  let end = at;
  let c = source.charCodeAt(end);
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58) {
    do c = source.charCodeAt(++end);
    while ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 58 || c === 45 || c === 46);
  }
  if (!(c >= 0x80) && end > at) return knownName(source, at, end);
  NAME.lastIndex = at;
  const match = NAME.exec(source);
  if (!match) throw new XmlError(ruleText('XML-MALFORMED.expectedName', [nameKindText(what), source.slice(at, at + 1) || ruleText('XML-MALFORMED.endOfInput')]), at);
  return intern(source, at, at + match[0].length);
}

/** Past the XML whitespace at `at`. */
function skipSpace(source: string, at: number): number {
  for (let c = source.charCodeAt(at); c === 32 || c === 10 || c === 9 || c === 13; c = source.charCodeAt(++at));
  return at;
}

/** Throws at a '&' of `raw` (found at `rawStart`) that does not start a reference of the right shape. */
function checkAmpersands(raw: string, rawStart: number): void {
  const bare = BARE_AMPERSAND.exec(raw);
  if (bare) throw new XmlError(ruleText('XML-MALFORMED.ampersand'), rawStart + bare.index);
}

/** The error for a reference in `raw` to an entity XML does not define (or a character it forbids), at the element's position. */
function entityProblem(raw: string, line: number, column: number): XmlParseError | undefined {
  const entity = undefinedEntityIn(raw);
  if (entity === undefined) return undefined;
  const message = entity.startsWith('&#') ? ruleText('XML-MALFORMED.characterReference', [entity]) : ruleText('XML-MALFORMED.entity', [entity]);
  return { message, line, column };
}

/** Whether source[start..end) holds a character other than XML whitespace (hasVisible, in place). */
function visibleIn(source: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = source.charCodeAt(k);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return true;
  }
  return false;
}

/**
 * The text collected for the open element at `depth`: its one run still in place (TEXT_START) made a string, or
 * what was collected into TEXTS. The run is then no longer pending.
 */
function collectedText(source: string, depth: number): string {
  const start = TEXT_START[depth];
  if (start < 0) return TEXTS[depth];
  TEXT_START[depth] = -1;
  // A run is kept in place only while nothing was collected before it: TEXTS[depth] is ''.
  return source.slice(start, TEXT_END[depth]);
}

/**
 * A leaf's value, made at its end tag from the text collected for it (collectedText): text that is only whitespace
 * (e.g. an empty wrapper written over two lines) is formatting, not a value, and gives ''; any other is kept exactly,
 * inner and outer spaces included (keepValue). One call for the ~150,000 leaves of 10,000 files: `true` and `false`,
 * which every file repeats, are the shared strings without a slice made first, a run that starts with a printable
 * character other than a space is a value without trimming it to know, and a short text read lately (SHORT_TEXTS)
 * is that string again.
 */
function leafValue(source: string, depth: number): string {
  const start = TEXT_START[depth];
  if (start < 0) {
    const text = TEXTS[depth];
    return text.trim() !== '' ? keepValue(text) : '';
  }
  TEXT_START[depth] = -1;
  const end = TEXT_END[depth];
  const length = end - start;
  if (length === 4 && source.startsWith('true', start)) return 'true';
  if (length === 5 && source.startsWith('false', start)) return 'false';
  const first = source.charCodeAt(start);
  if (!(first > 32 && first < 127) && source.slice(start, end).trim() === '') return '';
  // Not `true` nor `false` (above): keepValue would copy a long one, and a short one is its own.
  if (length > SHORT_TEXT_MAX) return copyString(source.slice(start, end));
  let hash = length;
  for (let i = start; i < end; i++) hash = (hash * 31 + source.charCodeAt(i)) | 0;
  const slot = hash & (SHORT_TEXTS.length - 1);
  const known = SHORT_TEXTS[slot];
  if (known !== undefined && known.length === length && source.startsWith(known, start)) return known;
  return (SHORT_TEXTS[slot] = source.slice(start, end));
}

/**
 * Short leaf texts read lately, by a hash of their characters: the names a project's files repeat (a decline
 * reason, a status, a channel, in thousands of configurations) are one string each, recognised where they stand,
 * not one per file — `omni validate` keeps those elements to the end of the run, and each string kept is copied
 * twice by the young generation's collections (10,000 configurations: ~40,000 strings, ~1.1 MB; bench/RESULTS.md,
 * "Validate at scale"). Up to 12 characters: V8 copies a substring that short, so none holds its file's text.
 */
const SHORT_TEXT_MAX = 12;
const SHORT_TEXTS: (string | undefined)[] = new Array(1024).fill(undefined);

/** Text outside the root element: only whitespace may stand there. */
function outsideRoot(source: string, pos: number, textEnd: number, afterRoot: boolean): void {
  // XML whitespace is whitespace to /\S/ too: the pattern runs only when something else is there.
  if (visibleIn(source, pos, textEnd)) {
    const first = source.slice(pos, textEnd).search(/\S/);
    if (first >= 0) throw new XmlError(afterRoot ? ruleText('XML-MALFORMED.textAfterRoot') : ruleText('XML-MALFORMED.textBeforeRoot'), pos + first);
  }
}

/**
 * `<!` at `lt`: a comment, a CDATA section (its text collected for the open element at `depth`) or the DOCTYPE;
 * returns the offset past it. Out of scan's loop, as the other rare markup, so that scan stays small: TurboFan
 * compiles it while the first few hundred files are read, and a smaller function is ready sooner.
 */
function markupDeclaration(source: string, lt: number, depth: number, pendingCount: number, rootSeen: boolean): number {
  if (source.startsWith('<!--', lt)) {
    const dashes = source.indexOf('--', lt + 4);
    if (dashes < 0) throw new XmlError(ruleText('XML-MALFORMED.commentNotClosed'), lt);
    if (source.charCodeAt(dashes + 2) !== 62) throw new XmlError(ruleText('XML-MALFORMED.dashesInComment'), dashes);
    return dashes + 3;
  }
  if (source.startsWith('<![CDATA[', lt)) {
    if (!depth) throw new XmlError(ruleText('XML-MALFORMED.cdataOutside'), lt);
    const close = source.indexOf(']]>', lt + 9);
    if (close < 0) throw new XmlError(ruleText('XML-MALFORMED.cdataNotClosed'), lt);
    TEXTS[depth - 1] = collectedText(source, depth - 1) + source.slice(lt + 9, close);
    if (pendingCount > FIRST_CHILD[depth - 1] && STRAY_START[depth - 1] < 0 && source.slice(lt + 9, close).trim() !== '') {
      STRAY_START[depth - 1] = lt;
      STRAY_END[depth - 1] = close + 3;
    }
    return close + 3;
  }
  if (source.startsWith('<!DOCTYPE', lt) && !rootSeen && !depth) return skipDoctype(source, lt);
  throw new XmlError(ruleText('XML-MALFORMED.markupDeclaration'), lt);
}

/** A processing instruction at `lt` (the XML declaration only first); returns the offset past it. */
function processingInstruction(source: string, lt: number): number {
  const target = readName(source, lt + 2, 'processingInstruction');
  if (lt !== 0 && target.toLowerCase() === 'xml') throw new XmlError(ruleText('XML-MALFORMED.declarationNotFirst'), lt);
  const close = source.indexOf('?>', lt + 2 + target.length);
  if (close < 0) throw new XmlError(ruleText('XML-MALFORMED.piNotClosed'), lt);
  return close + 2;
}

/** What `startTag` found besides the node: the offset past the tag, whether it closed itself, its first entity problem. */
let tagEnd = 0;
let tagSelfClosing = false;
let tagEntityError: XmlParseError | undefined;

/**
 * The node of a start tag at `lt` whose name (read up to `i`) is not followed by its `>`: spaces, attributes,
 * `/>`. Sets tagEnd, tagSelfClosing and tagEntityError.
 */
function startTag(source: string, lt: number, i: number, name: string, line: number, column: number): XmlNode {
  const length = source.length;
  let attributes: Record<string, string> | undefined;
  let attributeCount = 0;
  let selfClosing = false;
  let entityError: XmlParseError | undefined;
  for (;;) {
    const spaced = i < length && isSpace(source.charCodeAt(i));
    i = skipSpace(source, i);
    const c = source.charCodeAt(i);
    if (c === 62 /* > */) {
      i++;
      break;
    }
    if (c === 47 /* / */ && source.charCodeAt(i + 1) === 62) {
      selfClosing = true;
      i += 2;
      break;
    }
    if (i >= length) throw new XmlError(ruleText('XML-MALFORMED.startTagNotClosed', [name]), lt);
    if (!spaced) throw new XmlError(ruleText('XML-MALFORMED.startTagSpace', [name]), i);
    const attribute = readName(source, i, 'attribute');
    i = skipSpace(source, i + attribute.length);
    if (source.charCodeAt(i) !== 61 /* = */) throw new XmlError(ruleText('XML-MALFORMED.attributeNoValue', [attribute, name, attribute]), i);
    i = skipSpace(source, i + 1);
    const quote = source.charCodeAt(i);
    if (quote !== 34 && quote !== 39) throw new XmlError(ruleText('XML-MALFORMED.attributeUnquoted', [attribute, name]), i);
    const close = source.indexOf(quote === 34 ? '"' : "'", i + 1);
    if (close < 0) throw new XmlError(ruleText('XML-MALFORMED.attributeNotClosed', [attribute, name]), i);
    const raw = source.slice(i + 1, close);
    const bad = raw.indexOf('<');
    if (bad >= 0) throw new XmlError(ruleText('XML-MALFORMED.ltInAttribute', [name]), i + 1 + bad);
    attributes ??= {};
    if (Object.hasOwn(attributes, attribute)) throw new XmlError(ruleText('XML-MALFORMED.attributeRepeated', [attribute, name]), i);
    if (raw.includes('&')) {
      checkAmpersands(raw, i + 1);
      if (entityError === undefined) entityError = entityProblem(raw, line, column);
    }
    attributes[attribute] = internString(decodeEntities(raw), ATTRIBUTE_VALUES, MAX_NAMES);
    attributeCount++;
    i = close + 1;
  }
  // Every field in the literal, `text` included: one object shape for all nodes without attributes and one
  // for those with, and no property store added later (the trees of 10,000 files are most of validate's
  // memory). The root's `xmlns` of every metadata file is one shared, frozen object, not one per file.
  if (attributeCount === 1 && attributes!.xmlns === METADATA_NAMESPACE) attributes = METADATA_ROOT_ATTRIBUTES;
  const node: XmlNode = attributes
    ? { name, text: undefined, children: NO_CHILDREN, line, column, attributes }
    : { name, text: undefined, children: NO_CHILDREN, line, column };
  if (attributes) {
    // The first nil attribute in document order (as Object.keys(…).find gives), without the keys' array.
    let nilKey: string | undefined;
    for (const key in attributes) {
      if (key === 'nil' || key.endsWith(':nil')) {
        nilKey = key;
        break;
      }
    }
    if (nilKey && attributes[nilKey].trim() === 'true') node.nil = true;
  }
  tagEnd = i;
  tagSelfClosing = selfClosing;
  tagEntityError = entityError;
  return node;
}

/**
 * Element names in the order they come: the name of the start tag that last followed each name (across files:
 * the last start tag of one file is followed by the next file's root). Files of one type repeat one sequence of
 * elements, so the next name is nearly always known and is checked where it stands (startsWith and the character
 * after it) instead of being scanned character by character and looked up by its shape. The same interned string
 * either way: a guess is one readName returned.
 */
const NEXT_NAME = new Map<string, string>();
let lastName = '';

/**
 * The scan, one pass: a top-level function whose state is its own locals (no closure over them, so none of
 * them lives in a heap context), text between tags looked at through the next '&', ']]>' and line break
 * found by indexOf (the indentation is never walked character by character), and an element's text kept as
 * an offset range until its end tag says whether it is a leaf's value.
 */
function scan(source: string): XmlParseResult {
  const length = source.length;
  const stack = STACK;
  const texts = TEXTS;
  const textStart = TEXT_START;
  const textEnd_ = TEXT_END;
  // Children of the open elements, in document order; an element takes its own (an array of exactly their
  // number) at its end tag, so no children array keeps the spare room of growing by push.
  const pending = PENDING;
  const firstChild = FIRST_CHILD;
  const strayStart = STRAY_START;
  const strayEnd = STRAY_END;
  const contentStart = CONTENT_START;
  let mixedText: MixedText[] | undefined;
  let lines: LineTracker | undefined;
  // Open elements: stack[depth - 1] is the innermost, texts[] and firstChild[] go with it.
  let depth = 0;
  let pendingCount = 0;
  let root: XmlNode | undefined;
  let entityError: XmlParseError | undefined;
  let pos = 0;
  // The next '&', ']]>' and line break at or after where each was last looked for (`length`: none); a text run
  // holds one when it is below the run's end. -1: not looked for yet.
  let ampersandAt = -1;
  let cdataEndAt = -1;
  let newlineAt = -1;
  // The line of the last start tag and where that line starts.
  let line = 1;
  let lineStart = 0;

  while (pos < length) {
    const lt = source.indexOf('<', pos);
    const textEnd = lt < 0 ? length : lt;
    if (textEnd > pos) {
      const open = depth ? stack[depth - 1] : undefined;
      if (!open) outsideRoot(source, pos, textEnd, root !== undefined);
      else {
        const d = depth - 1;
        // The text is looked at in place; it becomes a string only when kept (a leaf's value) or when it
        // holds a reference: the indentation between elements (one run per element) is never copied.
        if (ampersandAt < pos) {
          ampersandAt = source.indexOf('&', pos);
          if (ampersandAt < 0) ampersandAt = length;
        }
        if (cdataEndAt < pos) {
          cdataEndAt = source.indexOf(']]>', pos);
          if (cdataEndAt < 0) cdataEndAt = length;
        }
        const raw = ampersandAt < textEnd ? source.slice(pos, textEnd) : undefined;
        if (raw !== undefined) {
          checkAmpersands(raw, pos);
          if (entityError === undefined) entityError = entityProblem(raw, open.line, open.column);
        }
        if (cdataEndAt < textEnd) throw new XmlError(ruleText('XML-MALFORMED.cdataEndInText'), cdataEndAt);
        // Text after a child element is mixed content (before the first child it may be a leaf's value: the
        // end tag decides, see strayBeforeChildren); its first character other than whitespace, once per element.
        if (pendingCount > firstChild[d]) {
          if (strayStart[d] < 0) {
            let visible = pos;
            for (let c = source.charCodeAt(visible); visible < textEnd && (c === 32 || c === 10 || c === 9 || c === 13); c = source.charCodeAt(++visible));
            if (visible < textEnd) {
              strayStart[d] = visible;
              strayEnd[d] = textEnd;
            }
          }
          // Text beside child elements is dropped (only a leaf has a value): not collected once the element has a child.
        } else if (raw === undefined && textStart[d] < 0 && texts[d] === '') {
          // The element's first run: kept as offsets until its end tag.
          textStart[d] = pos;
          textEnd_[d] = textEnd;
        } else texts[d] = collectedText(source, d) + (raw !== undefined ? decodeEntities(raw) : source.slice(pos, textEnd));
      }
    }
    if (lt < 0) break;
    const next = source.charCodeAt(lt + 1);
    if (next === 33 /* ! */) pos = markupDeclaration(source, lt, depth, pendingCount, root !== undefined);
    else if (next === 63 /* ? */) pos = processingInstruction(source, lt);
    else if (next === 47 /* / */) {
      // The end tag of the open element (the usual case) is its name again: compared in place, not read and interned;
      // the `>` right after it (most end tags: one character) tells it ends there, without a look at the next name
      // character or spaces.
      const top = depth ? stack[depth - 1].name : undefined;
      const topEnd = top === undefined ? -1 : lt + 2 + top.length;
      let name: string;
      let i: number;
      if (topEnd >= 0 && source.charCodeAt(topEnd) === 62 && source.startsWith(top!, lt + 2)) {
        name = top!;
        i = topEnd;
      } else {
        name = top !== undefined && source.startsWith(top, lt + 2) && !isNameChar(source.charCodeAt(topEnd)) ? top : readName(source, lt + 2, 'endTag');
        i = skipSpace(source, lt + 2 + name.length);
      }
      const open = depth ? stack[--depth] : undefined;
      if (!open) throw new XmlError(ruleText('XML-MALFORMED.endTagUnopened', [name]), lt);
      if (open.name !== name) throw new XmlError(ruleText('XML-MALFORMED.endTagMismatch', [name, open.name, open.line]), lt);
      if (source.charCodeAt(i) !== 62) throw new XmlError(ruleText('XML-MALFORMED.endTagNotClosed', [name]), lt);
      const first = firstChild[depth];
      if (pendingCount > first) {
        open.children = pending.slice(first, pendingCount);
        pendingCount = first;
        // An element with children: its text before them is formatting, or mixed content.
        const start = textStart[depth];
        if (strayStart[depth] >= 0 || (start >= 0 ? visibleIn(source, start, textEnd_[depth]) : hasVisible(texts[depth]))) {
          (mixedText ??= []).push(mixedAt(source, (lines ??= new LineTracker(source)), open, collectedText(source, depth), contentStart[depth], strayStart[depth], strayEnd[depth]));
        }
      } else open.text = leafValue(source, depth);
      pos = i + 1;
    } else {
      if (root && !depth) throw new XmlError(ruleText('XML-MALFORMED.twoRoots'), 0);
      // The name that followed the last start tag's name before, if it stands here whole; else read (readName).
      const guess = NEXT_NAME.get(lastName);
      const guessEnd = guess === undefined ? -1 : lt + 1 + guess.length;
      let name: string;
      // Whole if a `>` follows it (most start tags: one character) or another character that cannot continue a name.
      if (guessEnd >= 0 && source.startsWith(guess!, lt + 1) && (source.charCodeAt(guessEnd) === 62 || !isNameChar(source.charCodeAt(guessEnd)))) name = guess!;
      else {
        name = readName(source, lt + 1, 'element');
        if (NEXT_NAME.size < MAX_NAMES || NEXT_NAME.has(lastName)) NEXT_NAME.set(lastName, name);
      }
      lastName = name;
      // The start tag's line: the line breaks before it, each found once.
      if (newlineAt < 0) {
        newlineAt = source.indexOf('\n');
        if (newlineAt < 0) newlineAt = length;
      }
      while (newlineAt < lt) {
        line++;
        lineStart = newlineAt + 1;
        newlineAt = source.indexOf('\n', lineStart);
        if (newlineAt < 0) newlineAt = length;
      }
      const column = lt - lineStart + 1;
      let i = lt + 1 + name.length;
      let node: XmlNode;
      let selfClosing = false;
      if (source.charCodeAt(i) === 62 /* > */) {
        // The usual start tag: a name and its `>` (see startTag for every other).
        i++;
        node = { name, text: undefined, children: NO_CHILDREN, line, column };
      } else {
        node = startTag(source, lt, i, name, line, column);
        i = tagEnd;
        selfClosing = tagSelfClosing;
        if (entityError === undefined) entityError = tagEntityError;
      }
      if (depth) pending[pendingCount++] = node;
      else root = node;
      if (selfClosing) node.text = ''; // an empty leaf
      else {
        stack[depth] = node;
        texts[depth] = '';
        textStart[depth] = -1;
        strayStart[depth] = -1;
        contentStart[depth] = i;
        firstChild[depth] = pendingCount;
        depth++;
      }
      pos = i;
    }
  }
  if (depth) {
    const open = stack[depth - 1];
    throw new XmlError(ruleText('XML-MALFORMED.elementNotClosed', [open.name, open.line, open.name]), length);
  }
  if (!root) return { error: { message: ruleText('XML-MALFORMED.noRoot'), line: 1, column: 1 } };
  if (entityError) return { error: entityError };
  return mixedText ? { root, mixedText } : { root };
}

/** Past a DOCTYPE declaration, internal subset included (its declarations are not processed). */
function skipDoctype(source: string, lt: number): number {
  let quote = 0;
  let depth = 0;
  for (let i = lt + 9; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 91 /* [ */) depth++;
    else if (c === 93 /* ] */) depth--;
    else if (c === 62 /* > */ && depth <= 0) return i + 1;
  }
  throw new XmlError(ruleText('XML-MALFORMED.doctypeNotClosed'), lt);
}

// Characters XML 1.0 (§2.2) forbids anywhere in a document, even escaped: C0 controls other than TAB/LF/CR,
// U+FFFE/U+FFFF and unpaired surrogates. The validator lets them through; xmllint and the Metadata API don't.
const MAYBE_NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What a name was expected for; its words are read only for the error (names are read on every tag). */
type NameKind = 'element' | 'endTag' | 'attribute' | 'processingInstruction';

function nameKindText(kind: NameKind): string {
  switch (kind) {
    case 'element':
      return ruleText('XML-MALFORMED.name.element');
    case 'endTag':
      return ruleText('XML-MALFORMED.name.endTag');
    case 'attribute':
      return ruleText('XML-MALFORMED.name.attribute');
    default:
      return ruleText('XML-MALFORMED.name.processingInstruction');
  }
}

function forbiddenCharacter(source: string, index: number): XmlParseError {
  const lineStart = source.lastIndexOf('\n', index - 1) + 1;
  let line = 1;
  for (let i = source.indexOf('\n'); i >= 0 && i < index; i = source.indexOf('\n', i + 1)) line++;
  const code = source.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0');
  return { message: ruleText('XML-MALFORMED.forbiddenCharacter', [code]), line, column: index - lineStart + 1 };
}

// References to entities XML does not define (or to characters it forbids) are reported as malformed XML,
// at the element whose text or attribute holds them.
const UNDEFINED_ENTITY = /&(?!(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)[^;\s]*;?/;

const CHARACTER_REFERENCE = /&#(x[0-9a-fA-F]+|[0-9]+);/g;

function undefinedEntityIn(raw: string): string | undefined {
  if (!raw.includes('&')) return undefined;
  const undefinedName = UNDEFINED_ENTITY.exec(raw)?.[0];
  if (undefinedName !== undefined) return undefinedName;
  // A reference must name an XML Char (§2.2): no NUL or other C0 controls, surrogates, U+FFFE/U+FFFF.
  for (const [whole, digits] of raw.matchAll(CHARACTER_REFERENCE)) {
    const code = digits[0] === 'x' ? parseInt(digits.slice(1), 16) : parseInt(digits, 10);
    if (!isXmlChar(code)) return whole;
  }
  return undefined;
}

function isXmlChar(code: number): boolean {
  if (code < 0x20) return code === 0x9 || code === 0xa || code === 0xd;
  if (code <= 0xd7ff) return true;
  if (code < 0xe000) return false;
  if (code <= 0xfffd) return true;
  return code >= 0x10000 && code <= 0x10ffff;
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[entity] ?? whole;
  });
}

/** Local name without a namespace prefix. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}
