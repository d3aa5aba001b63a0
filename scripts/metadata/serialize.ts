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
  if (containsNil(document.root)) rootAttributes.push(`xmlns:xsi="${XSI_NAMESPACE}"`);
  lines.push(`<${document.type.name} ${rootAttributes.join(' ')}>`);
  writeChildren(document.root.children, document.type.elements, 1, lines);
  lines.push(`</${document.type.name}>`);
  return lines.join('\n') + '\n';
}

function containsNil(node: XmlNode): boolean {
  return node.nil === true || node.children.some(containsNil);
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
  if (node.children.length === 0) {
    lines.push(`${indent}<${name}>${escapeXml(node.text ?? '')}</${name}>`);
    return;
  }
  lines.push(`${indent}<${name}>`);
  // Opaque or unknown subtrees keep their own child order; modelled ones follow the registry.
  writeChildren(node.children, def && !def.opaque ? def.children : undefined, depth + 1, lines);
  lines.push(`${indent}</${name}>`);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
