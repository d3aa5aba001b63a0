/**
 * The local org's own XML: parse a deployed metadata file into an ordered element tree with source
 * positions (fast-xml-parser, with its start-index metadata turned into line/column), and write a
 * retrieved component the way the Metadata API writes it (XML declaration, metadata namespace,
 * 4-space indent, elements in schema order, XML special characters escaped).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The metadata namespace every component's root element is in. */
export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';
const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

export interface XmlNode {
  /** Element name as written (a namespace prefix included). */
  name: string;
  /** Text of a leaf element, entities decoded; undefined for elements with children. */
  text?: string;
  /** `xsi:nil="true"`. */
  nil?: boolean;
  attributes?: Record<string, string>;
  children: XmlNode[];
  /** 1-based position of the start tag's `<` (0 when built in memory). */
  line: number;
  column: number;
}

export interface XmlParseResult {
  root?: XmlNode;
  error?: { message: string; line: number; column: number };
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  captureMetaData: true,
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

type FxpNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Local part of a possibly prefixed name (`tns:label` → `label`). */
export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** Never throws: malformed input comes back as `error` with line and column, as the platform reports it. */
export function parseXml(input: string): XmlParseResult {
  let source = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (source.includes('\r')) source = source.replace(/\r\n?/g, '\n');
  const lineStarts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const position = (index: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: index - lineStarts[lo] + 1 };
  };
  // Entity declarations are refused outright, as the Metadata API's parser does.
  const doctype = source.search(/<!DOCTYPE/i);
  if (doctype >= 0) return { error: { message: 'DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.', ...position(doctype) } };
  const validation = XMLValidator.validate(source);
  if (validation !== true) return { error: { message: validation.err.msg, line: validation.err.line, column: validation.err.col } };
  let parsed: FxpNode[];
  try {
    parsed = parser.parse(source) as FxpNode[];
  } catch (error) {
    return { error: { message: (error as Error).message, line: 1, column: 1 } };
  }
  const roots = parsed.map((n) => toNode(n, position)).filter((n): n is XmlNode => n !== undefined);
  if (roots.length !== 1) return { error: { message: 'Premature end of file.', line: 1, column: 1 } };
  return { root: roots[0] };
}

function toNode(raw: FxpNode, position: (index: number) => { line: number; column: number }): XmlNode | undefined {
  const name = Object.keys(raw).find((k) => k !== ':@');
  if (!name || name === '#text' || name === '#cdata' || name.startsWith('?')) return undefined;
  const content = raw[name] as FxpNode[];
  const attributes = raw[':@'];
  const meta = (raw as Record<symbol, { startIndex?: number } | undefined>)[META];
  const at = meta?.startIndex !== undefined ? position(meta.startIndex) : { line: 0, column: 0 };
  const children: XmlNode[] = [];
  let text = '';
  for (const item of content) {
    if ('#text' in item) text += String(item['#text']);
    else if ('#cdata' in item) text += (item['#cdata'] as FxpNode[]).map((t) => String(t['#text'] ?? '')).join('');
    else {
      const child = toNode(item, position);
      if (child) children.push(child);
    }
  }
  const node: XmlNode = { name, children, ...at };
  if (attributes && Object.keys(attributes).length) node.attributes = { ...attributes };
  const nilAttribute = attributes ? Object.entries(attributes).find(([k]) => localName(k) === 'nil')?.[1] : undefined;
  if (nilAttribute === 'true' || nilAttribute === '1') node.nil = true;
  if (children.length === 0) node.text = text;
  return node;
}

/** An element definition as the serializer needs it: its name and, for complex ones, the children's order. */
export interface OrderedElement {
  name: string;
  children?: readonly OrderedElement[];
  /** Kept as deployed: child order and attributes untouched. */
  opaque?: boolean;
}

/**
 * The file a retrieve writes for a component: `<?xml …?>`, the root named `typeName` in the metadata
 * namespace (plus `xmlns:xsi` when a value is nil), children in `elements` order, 4-space indent.
 */
export function serializeComponent(typeName: string, elements: readonly OrderedElement[], root: XmlNode): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const xsi = usesXsi(root) ? ` xmlns:xsi="${XSI_NAMESPACE}"` : '';
  lines.push(`<${typeName} xmlns="${METADATA_NAMESPACE}"${xsi}>`);
  writeChildren(root.children, elements, 1, lines);
  lines.push(`</${typeName}>`);
  return lines.join('\n') + '\n';
}

function usesXsi(node: XmlNode): boolean {
  if (node.nil) return true;
  if (node.attributes && Object.keys(node.attributes).some((k) => k.startsWith('xsi:'))) return true;
  return node.children.some(usesXsi);
}

function writeChildren(children: XmlNode[], defs: readonly OrderedElement[] | undefined, depth: number, lines: string[]): void {
  const indexOf = (node: XmlNode) => (defs ? defs.findIndex((d) => d.name === localName(node.name)) : -1);
  // Stable: known elements by schema position; an unknown one stays right after its known predecessor.
  let previous = -1;
  const keyed = children.map((node, position) => {
    const index = indexOf(node);
    const key = index >= 0 ? index : previous + 0.5;
    if (index >= 0) previous = index;
    return { node, def: index >= 0 ? defs![index] : undefined, key, position };
  });
  if (defs) keyed.sort((a, b) => a.key - b.key || a.position - b.position);
  for (const { node, def } of keyed) {
    const indent = '    '.repeat(depth);
    const name = localName(node.name);
    if (node.nil) {
      lines.push(`${indent}<${name} xsi:nil="true"/>`);
      continue;
    }
    const start = def && !def.opaque ? name : name + attributesOf(node);
    if (node.children.length === 0) {
      lines.push(`${indent}<${start}>${escapeXml(node.text ?? '')}</${name}>`);
      continue;
    }
    lines.push(`${indent}<${start}>`);
    writeChildren(node.children, def && !def.opaque ? def.children : undefined, depth + 1, lines);
    lines.push(`${indent}</${name}>`);
  }
}

function attributesOf(node: XmlNode): string {
  return Object.entries(node.attributes ?? {})
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

/** XML-escapes text (a CR as `&#13;`, since a literal one would read back as a line feed). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => ESCAPES[c]);
}
