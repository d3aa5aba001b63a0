/**
 * Read-only helpers over the parser's XmlNode tree. Rules read raw nodes (not the typed model) because they
 * need each value's line/column, and because the parse layer already reported values of the wrong type:
 * here a value that does not parse is simply treated as absent.
 */
import type { XmlNode } from '../metadata/xml.ts';

/** Element name without a namespace prefix (`ns:capacity` → `capacity`). */
export const localName = (name: string) => name.slice(name.indexOf(':') + 1);

// The prefix colon is tested before the suffix: most names differ, and a colon test is one character. The loops
// of child, count, first and collect write the same test out: the rules ask ~1.5 million times at 10,000 files,
// and offline commands run without TurboFan's inlining, so a call each was most of their lookups' time.
const isNamed = (node: XmlNode, name: string) =>
  node.name === name || (node.name.length > name.length && node.name.charCodeAt(node.name.length - name.length - 1) === 58 && node.name.endsWith(name));

// Indexed loops in the helpers every rule calls per document: without TurboFan's inlining (the launcher's
// flag for offline commands) a for-of allocates an iterator result per element (~16 MB at 10,000 files).
export function child(node: XmlNode, name: string): XmlNode | undefined {
  const children = node.children;
  for (let i = 0; i < children.length; i++) {
    const n = children[i].name;
    if (n === name || (n.length > name.length && n.charCodeAt(n.length - name.length - 1) === 58 && n.endsWith(name))) return children[i];
  }
  return undefined;
}

export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  const out: XmlNode[] = [];
  const children = node.children;
  for (let i = 0; i < children.length; i++) if (isNamed(children[i], name)) out.push(children[i]);
  return out;
}

/**
 * What `nodesAt` gives when nothing is at the path (most calls: an element a document does not use): one
 * frozen array, not a new one per call. Read-only, like every result of nodesAt: a caller copies to change it.
 */
const NONE: readonly XmlNode[] = Object.freeze([]);

/** Dotted paths split once: rules ask for the same few paths for each of thousands of documents. */
const SEGMENTS = new Map<string, readonly string[]>();

/**
 * All nodes at a dotted element path below `node` (`assignments.profiles.profile`), in document order. The
 * array is read-only (a shared empty one when there are none).
 */
export function nodesAt(node: XmlNode, dottedPath: string): readonly XmlNode[] {
  let segments = SEGMENTS.get(dottedPath);
  if (!segments) SEGMENTS.set(dottedPath, (segments = dottedPath.split('.')));
  // Counted first: the array is made at its size (a push past one element reserves 17).
  const n = count(node, segments, 0);
  if (n === 0) return NONE;
  const out = new Array<XmlNode>(n);
  collect(node, segments, 0, out, 0);
  return out;
}

/**
 * `nodesAt` written into `out` from its start (entries past the count are left as they were); returns the count.
 * For a loop that reads them at once, with one array for every document (a configuration's two decline reasons:
 * 10,000 arrays otherwise).
 */
export function nodesInto(node: XmlNode, dottedPath: string, out: XmlNode[]): number {
  let segments = SEGMENTS.get(dottedPath);
  if (!segments) SEGMENTS.set(dottedPath, (segments = dottedPath.split('.')));
  return collect(node, segments, 0, out, 0);
}

/**
 * Depth first, children in order: the same order as level by level, without an array per level. Fills `out`
 * from `at`; returns the next free index.
 */
function collect(node: XmlNode, segments: readonly string[], depth: number, out: XmlNode[], at: number): number {
  const name = segments[depth];
  const last = depth === segments.length - 1;
  const children = node.children;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    const cn = c.name;
    if (cn !== name && !(cn.length > name.length && cn.charCodeAt(cn.length - name.length - 1) === 58 && cn.endsWith(name))) continue;
    if (last) out[at++] = c;
    else if (c.children.length) at = collect(c, segments, depth + 1, out, at);
  }
  return at;
}

/**
 * How many nodes `nodesAt` would give, without the array: rules that only ask whether there are any (or more
 * than one) of an element most documents hold once or not at all (10,000 files: ~150,000 arrays otherwise).
 */
export function countAt(node: XmlNode, dottedPath: string): number {
  let segments = SEGMENTS.get(dottedPath);
  if (!segments) SEGMENTS.set(dottedPath, (segments = dottedPath.split('.')));
  counted = undefined;
  return count(node, segments, 0);
}

/**
 * The first node (document order) the last `countAt` counted, undefined when it counted none: what `firstAt`
 * would give for the same node and path, without a second walk (most paths hold one value: count, then take it).
 * Ask it right after that `countAt`, before any other lookup.
 */
export const firstCounted = (): XmlNode | undefined => counted;
let counted: XmlNode | undefined;

function count(node: XmlNode, segments: readonly string[], depth: number): number {
  const name = segments[depth];
  const last = depth === segments.length - 1;
  const children = node.children;
  let n = 0;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    const cn = c.name;
    if (cn !== name && !(cn.length > name.length && cn.charCodeAt(cn.length - name.length - 1) === 58 && cn.endsWith(name))) continue;
    if (last) {
      if (counted === undefined) counted = c;
      n++;
    } else if (c.children.length) n += count(c, segments, depth + 1);
  }
  return n;
}

/** The first node `nodesAt` would give (document order), or undefined, without the array. */
export function firstAt(node: XmlNode, dottedPath: string): XmlNode | undefined {
  let segments = SEGMENTS.get(dottedPath);
  if (!segments) SEGMENTS.set(dottedPath, (segments = dottedPath.split('.')));
  return first(node, segments, 0);
}

function first(node: XmlNode, segments: readonly string[], depth: number): XmlNode | undefined {
  const name = segments[depth];
  const last = depth === segments.length - 1;
  const children = node.children;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    const cn = c.name;
    if (cn !== name && !(cn.length > name.length && cn.charCodeAt(cn.length - name.length - 1) === 58 && cn.endsWith(name))) continue;
    if (last) return c;
    if (c.children.length) {
      const found = first(c, segments, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** Trimmed text of a non-nil leaf, or undefined. */
export function textOf(node: XmlNode | undefined): string | undefined {
  if (!node || node.nil) return undefined;
  return node.text === undefined ? '' : node.text.trim();
}

export function childText(node: XmlNode, name: string): string | undefined {
  return textOf(child(node, name));
}

/** true/false for a well-formed boolean child, undefined otherwise (absent, nil or reported by the parser). */
export function childBoolean(node: XmlNode, name: string): boolean | undefined {
  return booleanOf(child(node, name));
}

/** childBoolean of a child already found (a rule that also needs the node: one walk of the children, not two). */
export function booleanOf(node: XmlNode | undefined): boolean | undefined {
  const text = textOf(node);
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

/** Finite number for a numeric child, undefined when absent or not a number. */
export function childNumber(node: XmlNode, name: string): number | undefined {
  return numberOf(child(node, name));
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** childNumber of a child already found (see booleanOf). */
export function numberOf(node: XmlNode | undefined): number | undefined {
  const text = textOf(node);
  if (text === undefined || text === '' || !NUMBER.test(text)) return undefined;
  return Number(text);
}
