/**
 * Typed views of documents: element text → number / boolean / string, repeated elements → arrays,
 * complex elements → objects. Unknown elements ride along under `_unknown` so a model round trip
 * never drops them.
 */
import type { MetadataDocument } from './document.ts';
import type { ElementDef, MetadataTypeDef } from './registry.ts';
import { localName, type XmlNode } from './xml.ts';

export type ModelValue = string | number | boolean | null | ModelObject | ModelValue[];
export interface ModelObject {
  [key: string]: ModelValue | XmlNode[] | undefined;
  _unknown?: XmlNode[];
}

export function toModel(document: MetadataDocument): ModelObject {
  return nodeToObject(document.root, document.type.elements);
}

/**
 * For each `_unknown` node taken from a document: the known element it followed (null: it came first).
 * fromModel puts it back there, so a model round trip keeps unknown and opaque elements in place.
 */
const predecessorOf = new WeakMap<XmlNode, string | null>();

function nodeToObject(node: XmlNode, defs: readonly ElementDef[]): ModelObject {
  const model: ModelObject = {};
  let previousKnown: string | null = null;
  for (const child of node.children) {
    const name = localName(child.name);
    const def = defs.find((d) => d.name === name);
    if (!def || def.opaque) {
      predecessorOf.set(child, previousKnown);
      (model._unknown ??= []).push(child);
      if (def) previousKnown = name;
      continue;
    }
    previousKnown = name;
    const value = nodeValue(child, def);
    if (def.repeated) {
      const list = (model[name] as ModelValue[] | undefined) ?? [];
      list.push(value);
      model[name] = list;
    } else {
      model[name] = value;
    }
  }
  return model;
}

function nodeValue(node: XmlNode, def: ElementDef): ModelValue {
  if (node.nil) return null;
  if (def.kind === 'complex') return nodeToObject(node, def.children ?? []);
  const text = node.text ?? '';
  switch (def.kind) {
    case 'int':
    case 'double': {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) ? n : text;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}

/** Inverse of toModel; accepts any plain object shaped like the type (e.g. the interfaces in types.ts). */
export function fromModel(type: MetadataTypeDef, fullName: string, model: Record<string, unknown>): MetadataDocument {
  return {
    type,
    fullName: type.fixedFullName ?? fullName,
    root: { name: type.name, attributes: {}, children: objectToNodes(model as ModelObject, type.elements), line: 0, column: 0 },
  };
}

function objectToNodes(model: ModelObject, defs: readonly ElementDef[]): XmlNode[] {
  const nodes: XmlNode[] = [];
  const placed = new Set<XmlNode>();
  for (const def of defs) {
    const value = model[def.name];
    if (value === undefined) continue;
    const values = def.repeated && Array.isArray(value) ? value : [value];
    for (const item of values as ModelValue[]) nodes.push(valueToNode(def, item));
  }
  for (const unknown of model._unknown ?? []) {
    const after = predecessorOf.get(unknown);
    if (after === undefined) {
      nodes.push(unknown);
      continue;
    }
    // Right after the last element named `after` (and after unknowns already placed there).
    let at = 0;
    if (after !== null) {
      const last = nodes.findLastIndex((n) => localName(n.name) === after);
      at = last < 0 ? nodes.length : last + 1;
    }
    while (at < nodes.length && placed.has(nodes[at])) at++;
    nodes.splice(at, 0, unknown);
    placed.add(unknown);
  }
  return nodes;
}

function valueToNode(def: ElementDef, value: ModelValue): XmlNode {
  const node: XmlNode = { name: def.name, children: [], line: 0, column: 0 };
  if (value === null) {
    node.nil = true;
    node.text = '';
    node.attributes = { 'xsi:nil': 'true' };
  } else if (def.kind === 'complex') {
    node.children = objectToNodes(value as ModelObject, def.children ?? []);
    if (node.children.length === 0) node.text = '';
  } else if (def.kind === 'double' && typeof value === 'number') {
    node.text = formatDouble(value);
  } else {
    node.text = String(value);
  }
  return node;
}

/** Salesforce writes doubles with at least one decimal (`1.0`, `25.5`). */
export function formatDouble(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
