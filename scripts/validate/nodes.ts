/**
 * Read-only helpers over the parser's XmlNode tree. Rules read raw nodes (not the typed model) because they
 * need each value's line/column, and because the parse layer already reported values of the wrong type:
 * here a value that does not parse is simply treated as absent.
 */
import type { XmlNode } from '../metadata/xml.ts';

/** Element name without a namespace prefix (`ns:capacity` → `capacity`). */
export const localName = (name: string) => name.slice(name.indexOf(':') + 1);

// The prefix colon is tested before the suffix: most names differ, and a colon test is one character.
const isNamed = (node: XmlNode, name: string) =>
  node.name === name || (node.name.length > name.length && node.name.charCodeAt(node.name.length - name.length - 1) === 58 && node.name.endsWith(name));

export function child(node: XmlNode, name: string): XmlNode | undefined {
  for (const c of node.children) if (isNamed(c, name)) return c;
  return undefined;
}

export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  const out: XmlNode[] = [];
  for (const c of node.children) if (isNamed(c, name)) out.push(c);
  return out;
}

/** Dotted paths split once: rules ask for the same few paths for each of thousands of documents. */
const SEGMENTS = new Map<string, readonly string[]>();

/** All nodes at a dotted element path below `node` (`assignments.profiles.profile`), in document order. */
export function nodesAt(node: XmlNode, dottedPath: string): XmlNode[] {
  let segments = SEGMENTS.get(dottedPath);
  if (!segments) SEGMENTS.set(dottedPath, (segments = dottedPath.split('.')));
  const out: XmlNode[] = [];
  collect(node, segments, 0, out);
  return out;
}

/** Depth first, children in order: the same order as level by level, without an array per level. */
function collect(node: XmlNode, segments: readonly string[], depth: number, out: XmlNode[]): void {
  const name = segments[depth];
  const last = depth === segments.length - 1;
  for (const c of node.children) {
    if (!isNamed(c, name)) continue;
    if (last) out.push(c);
    else if (c.children.length) collect(c, segments, depth + 1, out);
  }
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
  const text = childText(node, name);
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

/** Finite number for a numeric child, undefined when absent or not a number. */
export function childNumber(node: XmlNode, name: string): number | undefined {
  const text = childText(node, name);
  if (text === undefined || text === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}
