/**
 * XML → ordered element tree with source positions.
 *
 * fast-xml-parser does the parsing (structure, well-formedness with line/column on error), but it gives
 * no element positions, so a locator pass walks the source once and pairs each start tag, in document
 * order, with the parsed element in the same order. Validators then point at `file:line:col`.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

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
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
});

type FxpNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Never throws: malformed input comes back as `error` with the parser's line and column. */
export function parseXml(input: string): XmlParseResult {
  let source = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  // XML end-of-line handling (XML 1.0 §2.11): CRLF and a lone CR are one line break, so positions count
  // lines the way editors do and `&#13;` stays the only way to carry a CR in a value.
  if (source.includes('\r')) source = source.replace(/\r\n?/g, '\n');
  const forbidden = NOT_XML_CHAR.exec(source);
  if (forbidden) return { error: forbiddenCharacter(source, forbidden.index) };
  let validation: true | { err: { msg: string; line: number; col: number } };
  try {
    validation = XMLValidator.validate(source, { allowBooleanAttributes: false }) as typeof validation;
  } catch (error) {
    return { error: { message: `Malformed XML: ${(error as Error).message}`, line: 1, column: 1 } };
  }
  if (validation !== true) {
    // The validator leaves line/col undefined for some errors (e.g. an empty document).
    return { error: { message: validation.err.msg, line: validation.err.line || 1, column: validation.err.col || 1 } };
  }
  let parsed: FxpNode[];
  try {
    parsed = parser.parse(source) as FxpNode[];
  } catch (error) {
    return { error: { message: `Malformed XML: ${(error as Error).message}`, line: 1, column: 1 } };
  }
  const roots = parsed.map(convert).filter((n): n is XmlNode => n !== undefined);
  if (roots.length === 0) return { error: { message: 'The document has no root element.', line: 1, column: 1 } };
  if (roots.length > 1) {
    return { error: { message: 'The document has more than one root element.', line: 1, column: 1 } };
  }
  const misplaced = locate(source, roots[0]);
  if (misplaced) return { error: misplaced };
  const undefinedEntity = findUndefinedEntity(roots[0]);
  if (undefinedEntity) {
    const { node, entity } = undefinedEntity;
    const message = entity.startsWith('&#')
      ? `Character reference '${entity}' is not a character XML allows.`
      : `Entity '${entity}' is not defined (XML knows only &lt; &gt; &amp; &quot; &apos; and numeric references).`;
    return { error: { message, line: node.line, column: node.column } };
  }
  return { root: roots[0] };
}

// Characters XML 1.0 (§2.2) forbids anywhere in a document, even escaped: C0 controls other than TAB/LF/CR,
// U+FFFE/U+FFFF and unpaired surrogates. The validator lets them through; xmllint and the Metadata API don't.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function forbiddenCharacter(source: string, index: number): XmlParseError {
  const lineStart = source.lastIndexOf('\n', index - 1) + 1;
  let line = 1;
  for (let i = source.indexOf('\n'); i >= 0 && i < index; i = source.indexOf('\n', i + 1)) line++;
  const code = source.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0');
  return { message: `Character U+${code} is not allowed in XML.`, line, column: index - lineStart + 1 };
}

function convert(node: FxpNode): XmlNode | undefined {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (!name || name === '#text' || name === '#cdata' || name.startsWith('?') || name.startsWith('!')) return undefined;
  const rawChildren = (node[name] as FxpNode[]) ?? [];
  const attributes = node[':@'];
  const children: XmlNode[] = [];
  let text = '';
  let hasText = false;
  let badEntity: string | undefined;
  for (const child of rawChildren) {
    if ('#text' in child) {
      const raw = String(child['#text']);
      badEntity ??= undefinedEntityIn(raw);
      text += decodeEntities(raw);
      hasText = true;
    } else if ('#cdata' in child) {
      const cdata = child['#cdata'] as Array<{ '#text': string }>;
      text += cdata.map((c) => c['#text']).join('');
      hasText = true;
    } else {
      const converted = convert(child);
      if (converted) children.push(converted);
    }
  }
  const result: XmlNode = { name, children, line: 0, column: 0 };
  for (const value of Object.values(attributes ?? {})) badEntity ??= undefinedEntityIn(String(value));
  if (badEntity !== undefined) undefinedEntities.set(result, badEntity);
  if (attributes && Object.keys(attributes).length > 0) {
    result.attributes = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, decodeEntities(String(v))]));
    const nilKey = Object.keys(attributes).find((k) => k === 'nil' || k.endsWith(':nil'));
    if (nilKey && String(attributes[nilKey]).trim() === 'true') result.nil = true;
  }
  // Whitespace-only text (e.g. an empty wrapper written over two lines) is formatting, not a value;
  // any other text is kept exactly, inner and outer spaces included.
  if (children.length === 0) result.text = hasText && text.trim() !== '' ? text : '';
  return result;
}

// fast-xml-parser (processEntities: false) passes entity references through untouched, so references to
// entities XML does not define are found here, in the raw text, and reported as malformed XML.
const UNDEFINED_ENTITY = /&(?!(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)[^;\s]*;?/;
const undefinedEntities = new WeakMap<XmlNode, string>();

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

/** The first element (document order) whose raw text or attributes reference an undefined entity. */
function findUndefinedEntity(node: XmlNode): { node: XmlNode; entity: string } | undefined {
  const entity = undefinedEntities.get(node);
  if (entity !== undefined) return { node, entity };
  for (const child of node.children) {
    const hit = findUndefinedEntity(child);
    if (hit) return hit;
  }
  return undefined;
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

/**
 * Assigns line/column to every element by scanning start tags in document order. Returns an error for a
 * `<` inside an attribute value: XML forbids it, the validator lets it through, and it would otherwise
 * be taken for the next start tag and shift every position after it.
 */
function locate(source: string, root: XmlNode): XmlParseError | undefined {
  const order: XmlNode[] = [];
  const walk = (node: XmlNode) => {
    order.push(node);
    for (const child of node.children) walk(child);
  };
  walk(root);

  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  const advanceTo = (offset: number) => {
    for (let i = scanned; i < offset; i++) {
      if (source.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    scanned = offset;
  };

  let index = 0;
  let pos = 0;
  while (index < order.length) {
    const lt = source.indexOf('<', pos);
    if (lt < 0) break;
    const next = source.charCodeAt(lt + 1);
    if (source.startsWith('<!--', lt)) {
      pos = endOf(source, '-->', lt + 4);
    } else if (source.startsWith('<![CDATA[', lt)) {
      pos = endOf(source, ']]>', lt + 9);
    } else if (next === 63 /* ? */) {
      pos = endOf(source, '?>', lt + 2);
    } else if (next === 33 /* ! (DOCTYPE) */ || next === 47 /* / */) {
      pos = endOf(source, '>', lt + 2);
    } else {
      advanceTo(lt);
      const node = order[index++];
      node.line = line;
      node.column = lt - lineStart + 1;
      // Skip to the end of the start tag; a '>' or '<' inside a quoted attribute value does not end it.
      let i = lt + 1;
      let quote = 0;
      for (; i < source.length; i++) {
        const c = source.charCodeAt(i);
        if (quote !== 0) {
          if (c === quote) quote = 0;
          else if (c === 60 /* < */) {
            advanceTo(i);
            return { message: `'<' is not allowed in an attribute value of <${node.name}>; write &lt;.`, line, column: i - lineStart + 1 };
          }
        } else if (c === 34 || c === 39) quote = c;
        else if (c === 62 /* > */) break;
      }
      pos = i + 1;
    }
  }
  return undefined;
}

function endOf(source: string, terminator: string, from: number): number {
  const at = source.indexOf(terminator, from);
  return at < 0 ? source.length : at + terminator.length;
}

/** Local name without a namespace prefix. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}
