/**
 * Small helpers over the project's XmlNode tree: reading element values out of a deployed document
 * and building the tree a retrieve renders (then serialized by xml.ts).
 */
import type { XmlNode } from './xml.ts';
import { localName } from './xml.ts';

export function leaf(name: string, text: string): XmlNode {
  return { name, text, children: [], line: 0, column: 0 };
}

export function branch(name: string, children: XmlNode[]): XmlNode {
  return { name, children, line: 0, column: 0 };
}

export function childrenNamed(parent: XmlNode | undefined, name: string): XmlNode[] {
  return parent ? parent.children.filter((c) => localName(c.name) === name) : [];
}

/** Text of the first element at a dotted path; undefined when absent or nil. */
export function textAt(root: XmlNode, path: string): string | undefined {
  const node = nodesAt(root, path)[0];
  if (!node || node.nil) return undefined;
  return (node.text ?? '').trim();
}

/** Every element at a dotted path (`assignments.users.user`), in document order. */
export function nodesAt(root: XmlNode, path: string): XmlNode[] {
  let current: XmlNode[] = [root];
  for (const segment of path.split('.')) current = current.flatMap((n) => childrenNamed(n, segment));
  return current;
}

export function textsAt(root: XmlNode, path: string): string[] {
  return nodesAt(root, path)
    .filter((n) => !n.nil)
    .map((n) => (n.text ?? '').trim())
    .filter((t) => t !== '');
}

/** A deep copy without positions, as kept in the org's state and rendered back. */
export function stripPositions(node: XmlNode): XmlNode {
  const copy: XmlNode = { name: localName(node.name), children: node.children.map(stripPositions), line: 0, column: 0 };
  if (node.text !== undefined && node.children.length === 0) copy.text = node.text;
  if (node.nil) copy.nil = true;
  return copy;
}
