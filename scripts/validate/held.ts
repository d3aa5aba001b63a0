/**
 * The spec's documents as the validator holds them from the spec read to the project rules: compactly, and as
 * positions alone where the XML generated from the spec says the same.
 *
 * Why: `omni validate` reads the spec first (its YAML and checked value are dropped before the XML read), so
 * its documents' project facts (projectFacts: ~15 MB of XmlNode trees at 10,000 configurations) sat in the old
 * generation through the whole XML read, beside the XML's own — which, for a project generated from its spec,
 * are the same documents with other positions (bench/RESULTS.md, "Validate at scale"). Here each held
 * document's nodes are a few slots of shared arrays (name, text, attributes, child count and nil, line and
 * column, in document order): about a third of the trees. When its XML twin (same type and fullName) arrives
 * and their facts agree in everything a rule can read (names, texts, nil, attributes, the tree's shape), the
 * spec document becomes a document over the twin's nodes with the spec's root, and the context reports the
 * spec's positions for its nodes (`positionOf`). Any other held document is rebuilt as it was. The rules see
 * the same documents in the same order and report the same findings at the same places
 * (test/validate/facts.test.ts).
 */
import type { MetadataDocument } from '../metadata/document.ts';
import type { MetadataTypeDef } from '../metadata/registry.ts';
import type { XmlNode } from '../metadata/xml.ts';
import type { PositionOf } from './context.ts';

/** Flag bits beside a node's child count. */
const ATTRIBUTES = 1 << 26;
const EMPTY_ATTRIBUTES = 1 << 27;
const HAS_NIL = 1 << 28;
const NIL_TRUE = 1 << 29;
const COUNT = ATTRIBUTES - 1;

/** Slots per chunk of a Chunked list. */
const CHUNK = 1 << 12;

/**
 * A list of values in fixed chunks: ~150,000 slots at 10,000 configurations, filled without the copies an
 * array grown by push makes (each growth copies the whole backing store).
 */
class Chunked<T> {
  private readonly chunks: (T | undefined)[][] = [];

  /** The value at `i`, undefined where none was set. */
  get(i: number): T | undefined {
    const chunk = this.chunks[i >>> 12];
    return chunk === undefined ? undefined : chunk[i & (CHUNK - 1)];
  }

  set(i: number, value: T): void {
    const c = i >>> 12;
    while (this.chunks.length <= c) this.chunks.push(new Array<T | undefined>(CHUNK));
    this.chunks[c][i & (CHUNK - 1)] = value;
  }
}

/** One held document: what it is, and where its nodes start (its root) in the shared arrays. */
interface HeldDocument {
  type: MetadataTypeDef;
  fullName: string;
  path: string | undefined;
  first: number;
  /** Its XML twin's root, once one agrees. */
  twin?: XmlNode;
}

export class HeldDocuments {
  private readonly documents: HeldDocument[] = [];
  /** The first held document of each type and fullName. */
  private readonly byName = new Map<MetadataTypeDef, Map<string, HeldDocument>>();
  // Per node, in document order: name (an index into `nameList`), text, child count | attribute and nil
  // flags, line, column; attributes other than none or `{}` (a nil element's) by node.
  private used = 0;
  private readonly nameList: string[] = [];
  private readonly nameIndex = new Map<string, number>();
  private nameIds = new Int32Array(1 << 10);
  private texts = new Chunked<string | undefined>();
  private attributes = new Map<number, Record<string, string>>();
  private flags = new Int32Array(1 << 10);
  private lines = new Int32Array(1 << 10);
  private columns = new Int32Array(1 << 10);
  private released = false;
  /** The twin documents made at `release`, and the node index of each one's root. */
  private readonly twinRoot = new WeakMap<MetadataDocument, number>();

  get size(): number {
    return this.documents.length;
  }

  /** Holds a document's project facts (until `release`, which ends the holding). */
  hold(doc: MetadataDocument): void {
    if (this.released) throw new Error('HeldDocuments: hold after release');
    const held: HeldDocument = { type: doc.type, fullName: doc.fullName, path: doc.path, first: this.used };
    this.store(doc.root);
    this.documents.push(held);
    let names = this.byName.get(doc.type);
    if (!names) this.byName.set(doc.type, (names = new Map()));
    if (!names.has(doc.fullName)) names.set(doc.fullName, held);
  }

  /** An XML document's project facts: the held document of the same type and fullName takes its nodes if they agree. */
  offer(xml: MetadataDocument): void {
    const held = this.byName.get(xml.type)?.get(xml.fullName);
    if (!held || held.twin) return;
    const children = xml.root.children;
    if (this.childCount(held.first) !== children.length) return;
    let at = held.first + 1;
    for (let i = 0; i < children.length; i++) {
      at = this.agrees(at, children[i]);
      if (at < 0) return;
    }
    held.twin = xml.root;
  }

  /** The held documents in the order held: a twin over its XML nodes, any other as it was. Once only: empties the store. */
  release(take: (doc: MetadataDocument) => void): void {
    for (let d = 0; d < this.documents.length; d++) {
      const held = this.documents[d];
      if (held.twin) {
        const root: XmlNode = this.node(held.first, held.twin.children);
        const doc: MetadataDocument = { type: held.type, fullName: held.fullName, path: held.path, root };
        this.twinRoot.set(doc, held.first);
        take(doc);
      } else {
        take({ type: held.type, fullName: held.fullName, path: held.path, root: this.tree(held.first).node });
      }
    }
    this.released = true;
    this.documents.length = 0;
    this.byName.clear();
    // Only the twins' positions are read from here on: the rest goes, and they keep their exact size.
    this.lines = this.lines.slice(0, this.used);
    this.columns = this.columns.slice(0, this.used);
    this.flags = new Int32Array(0);
    this.nameIds = new Int32Array(0);
    this.texts = new Chunked();
    this.attributes.clear();
  }

  /** The spec position of a node of a twin document (its index in document order), undefined for any other document. */
  readonly positionOf: PositionOf = (doc, node) => {
    const first = this.twinRoot.get(doc);
    if (first === undefined) return undefined;
    const index = indexIn(doc.root, node, { seen: 0 });
    return index < 0 ? undefined : { line: this.lines[first + index], column: this.columns[first + index] };
  };

  private store(node: XmlNode): void {
    const at = this.used++;
    if (at === this.flags.length) {
      this.flags = grown(this.flags);
      this.nameIds = grown(this.nameIds);
      this.lines = grown(this.lines);
      this.columns = grown(this.columns);
    }
    const children = node.children;
    let name = this.nameIndex.get(node.name);
    if (name === undefined) {
      name = this.nameList.push(node.name) - 1;
      this.nameIndex.set(node.name, name);
    }
    this.nameIds[at] = name;
    if (node.text !== undefined) this.texts.set(at, node.text);
    let flags = children.length;
    if (node.nil !== undefined) flags |= HAS_NIL | (node.nil ? NIL_TRUE : 0);
    const attributes = node.attributes;
    if (attributes !== undefined) {
      let empty = true;
      for (const _ in attributes) {
        empty = false;
        break;
      }
      if (empty) flags |= EMPTY_ATTRIBUTES;
      else {
        flags |= ATTRIBUTES;
        this.attributes.set(at, attributes);
      }
    }
    this.flags[at] = flags;
    this.lines[at] = node.line;
    this.columns[at] = node.column;
    for (let i = 0; i < children.length; i++) this.store(children[i]);
  }

  private nameAt(at: number): string {
    return this.nameList[this.nameIds[at]];
  }

  /** The held node's attributes: none, a new `{}`, or the node's own. */
  private attributesAt(at: number): Record<string, string> | undefined {
    const flags = this.flags[at];
    return flags & ATTRIBUTES ? this.attributes.get(at) : flags & EMPTY_ATTRIBUTES ? {} : undefined;
  }

  private childCount(at: number): number {
    return this.flags[at] & COUNT;
  }

  private nilOf(at: number): boolean | undefined {
    const flags = this.flags[at];
    return flags & HAS_NIL ? (flags & NIL_TRUE) !== 0 : undefined;
  }

  /** Whether the held node at `at` (and its subtree) reads as `node`: the index after its subtree, or -1. */
  private agrees(at: number, node: XmlNode): number {
    if (this.nameAt(at) !== node.name || this.texts.get(at) !== node.text || this.nilOf(at) !== node.nil || !sameAttributes(this.attributesAt(at), node.attributes)) return -1;
    const children = node.children;
    if (this.childCount(at) !== children.length) return -1;
    let next = at + 1;
    for (let i = 0; i < children.length; i++) {
      next = this.agrees(next, children[i]);
      if (next < 0) return -1;
    }
    return next;
  }

  /** The held node at `at` with `children` (a twin's root: the spec's root over its XML twin's elements). */
  private node(at: number, children: XmlNode[]): XmlNode {
    const node: XmlNode = { name: this.nameAt(at), children, line: this.lines[at], column: this.columns[at] };
    const text = this.texts.get(at);
    if (text !== undefined) node.text = text;
    const nil = this.nilOf(at);
    if (nil !== undefined) node.nil = nil;
    const attributes = this.attributesAt(at);
    if (attributes !== undefined) node.attributes = attributes;
    return node;
  }

  /** The held subtree at `at`, rebuilt, and the index after it. */
  private tree(at: number): { node: XmlNode; next: number } {
    const count = this.childCount(at);
    const children = new Array<XmlNode>(count);
    let next = at + 1;
    for (let i = 0; i < count; i++) {
      const child = this.tree(next);
      children[i] = child.node;
      next = child.next;
    }
    return { node: this.node(at, children), next };
  }
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** `node`'s index in document order below `root` (root 0), or -1; `count.seen` counts the nodes passed. */
function indexIn(root: XmlNode, node: XmlNode, count: { seen: number }): number {
  if (root === node) return count.seen;
  count.seen++;
  const children = root.children;
  for (let i = 0; i < children.length; i++) {
    const found = indexIn(children[i], node, count);
    if (found >= 0) return found;
  }
  return -1;
}

function sameAttributes(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  if (ak.length !== bk.length) return false;
  for (let i = 0; i < ak.length; i++) if (ak[i] !== bk[i] || a[ak[i]] !== b[ak[i]]) return false;
  return true;
}
