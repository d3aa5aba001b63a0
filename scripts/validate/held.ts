/**
 * The spec's documents as `omni validate` holds them from the spec read to the project rules: as the spec's
 * entries, uncompiled, until their XML twins are read; then as positions over the twin's nodes where the XML
 * generated from the spec says the same.
 *
 * Why: `omni validate` reads the spec before the XML files (so its YAML value is dropped before 10,000 files are
 * parsed), and for a project generated from its spec each document is built twice, checked twice and held twice
 * — once from the YAML, once from its XML file (bench/RESULTS.md, "Validate at scale"). Here nothing is built
 * while the spec is read: each entry is held as the spec's own value. When the XML file of the same type and
 * fullName arrives (`offer`), its document rules have run and found nothing, and the entry's document (compiled
 * then, unlocated) has the same elements (names, texts, nil, attributes, the tree's shape), the entry's document
 * would find nothing either: every document rule reads the document's type, fullName, elements and the API
 * version, and the rules that read its source (file location, element versions) run on XML files only. Such an
 * entry becomes a twin: a document over the XML file's project facts with the spec's root, whose nodes the
 * context places where the spec has them (`positionOf`). Every other entry (no file, a file that says something
 * else, a file with findings of its own) is built at `release` as the spec's own document, located, checked
 * and pruned as before. The project rules see the same documents in the same order and report the same
 * findings at the same places (test/validate/facts.test.ts).
 */
import type { MetadataDocument } from '../metadata/document.ts';
import { apiVersionNumber } from '../metadata/project.ts';
import { getType, type MetadataTypeDef } from '../metadata/registry.ts';
import type { XmlNode } from '../metadata/xml.ts';
import type { TypeMapping } from '../yaml-spec/mapping.ts';
import type { SpecToDocumentsOptions, compileSpecEntry, compiledEntryDocument, eachSpecEntry, entryPlacement, hasOtherElements, sameAsEntry } from '../yaml-spec/compile.ts';
import type { OmniSpec } from '../yaml-spec/schema.ts';
import type { PositionOf } from './context.ts';

/** What HeldSpec needs of scripts/yaml-spec/compile.ts, which the validator loads only for a spec. */
export interface SpecCompiler {
  eachSpecEntry: typeof eachSpecEntry;
  compileSpecEntry: typeof compileSpecEntry;
  compiledEntryDocument: typeof compiledEntryDocument;
  entryPlacement: typeof entryPlacement;
  hasOtherElements: typeof hasOtherElements;
  sameAsEntry: typeof sameAsEntry;
}

/** The spec's entries held, in spec order (the order of its documents); a twin's facts once one agrees. */
export class HeldSpec {
  private compiler: SpecCompiler | undefined;
  private options: SpecToDocumentsOptions | undefined;
  private api = 0;
  private readonly mappings: TypeMapping[] = [];
  private readonly types: MetadataTypeDef[] = [];
  private readonly names: string[] = [];
  private readonly entries: Record<string, unknown>[] = [];
  /** The first held entry of each type and fullName. */
  private readonly byName = new Map<MetadataTypeDef, Map<string, number>>();
  /** Per entry: its twin's project facts (the XML file's top-level elements the project rules read), once one agrees. */
  private readonly twins: (XmlNode[] | undefined)[] = [];
  /** Per entry with a twin: where its nodes' positions start in `lines` and `columns` (its root first, then its facts in document order). */
  private readonly firsts: number[] = [];
  private lines = new Int32Array(1 << 10);
  private columns = new Int32Array(1 << 10);
  private used = 0;
  private released = false;
  /** The twin documents made at `release`, and where each one's positions start. */
  private readonly twinRoot = new WeakMap<MetadataDocument, number>();

  get size(): number {
    return this.entries.length;
  }

  /**
   * Holds every entry of a spec whose documents are `options`' (apiVersion, locate, file): its document is
   * built only at `offer` (unlocated, to compare) or at `release` (located). Returns how many there are.
   */
  hold(spec: OmniSpec, options: SpecToDocumentsOptions, compiler: SpecCompiler): number {
    if (this.released) throw new Error('HeldSpec: hold after release');
    this.compiler = compiler;
    this.options = options;
    this.api = apiVersionNumber(options.apiVersion);
    const before = this.entries.length;
    compiler.eachSpecEntry(spec, (mapping, name, entry) => {
      const type = getType(mapping.type);
      const index = this.entries.length;
      this.mappings.push(mapping);
      this.types.push(type);
      this.names.push(name);
      this.entries.push(entry);
      this.twins.push(undefined);
      this.firsts.push(-1);
      // The document's fullName: fromModel's (a single-object type's fixed one).
      const fullName = type.fixedFullName ?? (mapping.keyed ? name : (mapping.fixedFullName ?? mapping.type));
      let names = this.byName.get(type);
      if (!names) this.byName.set(type, (names = new Map()));
      if (!names.has(fullName)) names.set(fullName, index);
    });
    return this.entries.length - before;
  }

  /**
   * An XML document (whole, before pruning), its project facts, and whether its document rules found nothing:
   * the held entry of the same type and fullName becomes its twin if its document has the same elements.
   */
  offer(xml: MetadataDocument, facts: MetadataDocument, clean: boolean): void {
    if (!clean || this.released) return;
    const index = this.byName.get(xml.type)?.get(xml.fullName);
    if (index === undefined || this.twins[index] !== undefined) return;
    const compiler = this.compiler!;
    const compiled = compiler.compileSpecEntry(this.mappings[index], this.names[index], this.entries[index]);
    const children = xml.root.children;
    const same = compiler.sameAsEntry(compiled, this.api, children);
    if (same === false) return;
    if (same === undefined) {
      // An entry the comparison does not walk (otherElements): its document built, unlocated, and compared.
      const own = compiler.compiledEntryDocument(compiled, this.api, {}).root.children;
      if (own.length !== children.length) return;
      for (let i = 0; i < children.length; i++) if (!sameNode(own[i], children[i])) return;
    }
    // A twin: the spec's positions of its root and of its facts' nodes, in document order (positionOf).
    const first = this.used;
    const factChildren = facts.root.children;
    const locate = this.options!.locate;
    if (!locate) this.place(1 + countNodes(factChildren), 0, 0);
    else if (compiler.hasOtherElements(compiled)) {
      // otherElements sit at their own keys below the top-level elements: positions from the located document.
      const located = compiler.compiledEntryDocument(compiled, this.api, { locate }).root;
      this.place(1, located.line, located.column);
      for (let c = 0, f = 0; c < children.length && f < factChildren.length; c++) {
        if (children[c] !== factChildren[f]) continue;
        f++;
        this.placeTree(located.children[c]);
      }
    } else {
      const placement = compiler.entryPlacement(compiled, locate);
      this.place(1, placement.root.line, placement.root.column);
      let index = 0;
      for (let c = 0, f = 0; c < children.length && f < factChildren.length; c++) {
        const child = children[c];
        index = c > 0 && children[c - 1].name === child.name ? index + 1 : 0;
        if (child !== factChildren[f]) continue;
        f++;
        const at = placement.child(child.name, index);
        this.place(countNodes(child.children) + 1, at.line, at.column);
      }
    }
    this.twins[index] = factChildren;
    this.firsts[index] = first;
  }

  /**
   * The held entries' documents in spec order, each with whether it still needs its document rules and
   * pruning (`build`: the spec's own document, located) or is a twin over its XML file's facts. Once only:
   * empties the store.
   */
  release(take: (doc: MetadataDocument, built: boolean) => void): void {
    const compiler = this.compiler;
    const options = this.options;
    for (let i = 0; i < this.entries.length; i++) {
      const twin = this.twins[i];
      if (twin) {
        const first = this.firsts[i];
        const type = this.types[i];
        const root: XmlNode = { name: type.name, attributes: {}, children: twin, line: this.lines[first], column: this.columns[first] };
        const fullName = type.fixedFullName ?? (this.mappings[i].keyed ? this.names[i] : (this.mappings[i].fixedFullName ?? this.mappings[i].type));
        const doc: MetadataDocument = { type, fullName, path: options!.file, root };
        this.twinRoot.set(doc, first);
        take(doc, false);
      } else {
        const compiled = compiler!.compileSpecEntry(this.mappings[i], this.names[i], this.entries[i]);
        take(compiler!.compiledEntryDocument(compiled, this.api, { ...(options!.locate ? { locate: options!.locate } : {}), ...(options!.file !== undefined ? { file: options!.file } : {}) }), true);
      }
    }
    this.released = true;
    // The spec's value and its locator go; only the twins' positions are read from here on, at their exact size.
    this.compiler = undefined;
    this.options = undefined;
    this.mappings.length = 0;
    this.types.length = 0;
    this.names.length = 0;
    this.entries.length = 0;
    this.twins.length = 0;
    this.firsts.length = 0;
    this.byName.clear();
    this.lines = this.lines.slice(0, this.used);
    this.columns = this.columns.slice(0, this.used);
  }

  /** The spec position of a node of a twin document (its index in document order), undefined for any other document. */
  readonly positionOf: PositionOf = (doc, node) => {
    const first = this.twinRoot.get(doc);
    if (first === undefined) return undefined;
    const index = indexIn(doc.root, node, { seen: 0 });
    return index < 0 ? undefined : { line: this.lines[first + index], column: this.columns[first + index] };
  };

  /** The next `count` positions: all at line:column. */
  private place(count: number, line: number, column: number): void {
    while (this.used + count > this.lines.length) {
      this.lines = grown(this.lines);
      this.columns = grown(this.columns);
    }
    this.lines.fill(line, this.used, this.used + count);
    this.columns.fill(column, this.used, this.used + count);
    this.used += count;
  }

  /** The positions of a located subtree, in document order. */
  private placeTree(node: XmlNode): void {
    this.place(1, node.line, node.column);
    const children = node.children;
    for (let i = 0; i < children.length; i++) this.placeTree(children[i]);
  }
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** The nodes of these trees, all their descendants included. */
function countNodes(nodes: readonly XmlNode[]): number {
  let n = nodes.length;
  for (let i = 0; i < nodes.length; i++) if (nodes[i].children.length) n += countNodes(nodes[i].children);
  return n;
}

/** Whether two nodes read the same to every rule: name, text, nil, attributes and their children alike (positions aside). */
function sameNode(a: XmlNode, b: XmlNode): boolean {
  if (a.name !== b.name || a.text !== b.text || a.nil !== b.nil || !sameAttributes(a.attributes, b.attributes)) return false;
  const ac = a.children;
  const bc = b.children;
  if (ac.length !== bc.length) return false;
  for (let i = 0; i < ac.length; i++) if (!sameNode(ac[i], bc[i])) return false;
  return true;
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
