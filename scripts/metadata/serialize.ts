/**
 * Canonical serialization: the bytes a Salesforce retrieve gives — XML declaration, metadata namespace,
 * 4-space indent, elements in WSDL order (registry), all five XML special characters escaped.
 * Elements the registry doesn't know keep their place after their known predecessor.
 */
import type { MetadataDocument } from './document.ts';
import { METADATA_NAMESPACE, type ElementDef } from './registry.ts';
import { localName, type XmlNode } from './xml.ts';

const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

export function serializeMetadata(document: MetadataDocument): string {
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const rootAttributes = [`xmlns="${METADATA_NAMESPACE}"`];
  if (usesXsi(document.root)) rootAttributes.push(`xmlns:xsi="${XSI_NAMESPACE}"`);
  lines.push(`<${document.type.name} ${rootAttributes.join(' ')}>`);
  writeChildren(document.root.children, document.type.elements, 1, lines);
  lines.push(`</${document.type.name}>`);
  return lines.join('\n') + '\n';
}

function usesXsi(node: XmlNode): boolean {
  if (node.nil === true) return true;
  if (node.attributes && Object.keys(node.attributes).some((k) => k.startsWith('xsi:'))) return true;
  return node.children.some(usesXsi);
}

function writeChildren(children: XmlNode[], defs: readonly ElementDef[] | undefined, depth: number, lines: string[]): void {
  for (const { node, def } of canonicalOrder(children, defs)) {
    writeNode(node, def, depth, lines);
  }
}

/** Stable sort by WSDL position; an unknown element sorts right after the known element before it. */
export function canonicalOrder(
  children: XmlNode[],
  defs: readonly ElementDef[] | undefined,
): Array<{ node: XmlNode; def: ElementDef | undefined }> {
  if (!defs || defs.length === 0) return children.map((node) => ({ node, def: undefined }));
  let previous = -1;
  const keyed = children.map((node, position) => {
    const index = defs.findIndex((d) => d.name === localName(node.name));
    const def = index >= 0 ? defs[index] : undefined;
    const key = index >= 0 ? index : previous + 0.5;
    if (index >= 0) previous = index;
    return { node, def, key, position };
  });
  keyed.sort((a, b) => a.key - b.key || a.position - b.position);
  return keyed;
}

function writeNode(node: XmlNode, def: ElementDef | undefined, depth: number, lines: string[]): void {
  const indent = '    '.repeat(depth);
  const name = node.name;
  if (node.nil) {
    lines.push(`${indent}<${name} xsi:nil="true"/>`);
    return;
  }
  // Retrieves put no attributes on modelled elements; an unknown element (or one inside an opaque
  // subtree) may carry some, and those are kept.
  const start = def && !def.opaque ? name : `${name}${attributesOf(node)}`;
  if (node.children.length === 0) {
    lines.push(`${indent}<${start}>${escapeXml(node.text ?? '')}</${name}>`);
    return;
  }
  lines.push(`${indent}<${start}>`);
  // Opaque or unknown subtrees keep their own child order; modelled ones follow the registry.
  writeChildren(node.children, def && !def.opaque ? def.children : undefined, depth + 1, lines);
  lines.push(`${indent}</${name}>`);
}

function attributesOf(node: XmlNode): string {
  if (!node.attributes) return '';
  let out = '';
  for (const [key, value] of Object.entries(node.attributes)) out += ` ${key}="${escapeXml(value)}"`;
  return out;
}

// A literal CR would be read back as LF (XML end-of-line handling), so it is written as a reference.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => ESCAPES[c]);
}
