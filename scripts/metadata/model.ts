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
  for (const def of defs) {
    const value = model[def.name];
    if (value === undefined) continue;
    if (def.repeated && Array.isArray(value)) for (const item of value as ModelValue[]) nodes.push(valueToNode(def, item));
    else nodes.push(valueToNode(def, value as ModelValue));
  }
  // Exact size, as the parser's: an array grown by push keeps 17 slots for one item (a spec of 10,000
  // configurations builds ~30,000 of these lists, and validate holds them until its project rules run).
  if (!model._unknown?.length) return nodes.slice();
  const placed = new Set<XmlNode>();
  for (const unknown of model._unknown) {
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

/**
 * Leaves share one frozen empty children array, as parsed leaves do (metadata/xml.ts): a spec of 10,000
 * configurations builds ~120,000 of them. Give a leaf a new array to add children.
 */
const NO_CHILDREN: XmlNode[] = Object.freeze([]) as unknown as XmlNode[];

function valueToNode(def: ElementDef, value: ModelValue): XmlNode {
  if (value === null) return { name: def.name, text: '', nil: true, attributes: { 'xsi:nil': 'true' }, children: NO_CHILDREN, line: 0, column: 0 };
  if (def.kind === 'complex') {
    const children = objectToNodes(value as ModelObject, def.children ?? []);
    return children.length ? { name: def.name, children, line: 0, column: 0 } : { name: def.name, text: '', children, line: 0, column: 0 };
  }
  const text = def.kind === 'double' && typeof value === 'number' ? formatDouble(value) : String(value);
  return { name: def.name, text, children: NO_CHILDREN, line: 0, column: 0 };
}

/** Salesforce writes doubles with at least one decimal (`1.0`, `25.5`). */
export function formatDouble(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
