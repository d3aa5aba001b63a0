/**
 * The spec's documents as `omni validate` holds them from the spec read to the project rules: as the spec's
 * entries, uncompiled, until their XML twins are read; then as positions over the twin's nodes where the XML
 * generated from the spec says the same.
 *
 * Why: `omni validate` reads the spec before the XML files (so its YAML value is dropped before 10,000 files are
 * parsed), and for a project generated from its spec each document is built twice, checked twice and held twice
 * — once from the YAML, once from its XML file (bench/RESULTS.md, "Validate at scale"). Here nothing is built
 * while the spec is read: each entry is held as the spec's own value. When the XML file of the same type and
 * fullName arrives (`offer`), its document rules have run and found nothing, and the entry's document (never
 * built: compile.ts `sameAsEntry` reads the entry's value) has the same elements (names, texts, nil, attributes, the tree's shape), the entry's document
 * would find nothing either: every document rule reads the document's type, fullName, elements and the API
 * version, and the rules that read its source (file location, element versions) run on XML files only. Such an
 * entry becomes a twin: a document over the XML file's project facts with the spec's root, whose nodes the
 * context places where the spec has them (`positionOf`; placed only when a finding at a twin asks, as offsets into
 * the spec's text, one number per node, turned into line:column only for that finding). Every other entry (no file, a file that says something
 * else, a file with findings of its own, an entry with otherElements, a spec the plain reader declined) is built
 * at `release` as the spec's own document, located, checked and pruned as before. The project rules see the
 * same documents in the same order and report the same findings at the same places
 * (test/validate/facts.test.ts).
 */
import type { MetadataDocument } from '../metadata/document.ts';
import { apiVersionNumber } from '../metadata/project.ts';
import { getType, type MetadataTypeDef } from '../metadata/registry.ts';
import type { XmlNode } from '../metadata/xml.ts';
import type { TypeMapping } from '../yaml-spec/mapping.ts';
import type { SpecToDocumentsOptions, compileSpecEntry, compiledEntryDocument, eachSpecEntry, sameAsEntry, specEntryPlacement } from '../yaml-spec/compile.ts';
import type { OmniSpec } from '../yaml-spec/schema.ts';
import type { PositionOf } from './context.ts';

/** A twin document's root attributes: none, one frozen object for all (a root's attributes are read, never changed). */
const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});

/** What HeldSpec needs of scripts/yaml-spec/compile.ts, which the validator loads only for a spec. */
export interface SpecCompiler {
  eachSpecEntry: typeof eachSpecEntry;
  compileSpecEntry: typeof compileSpecEntry;
  compiledEntryDocument: typeof compiledEntryDocument;
  specEntryPlacement: typeof specEntryPlacement;
  sameAsEntry: typeof sameAsEntry;
}

/** The spec's entries held, in spec order (the order of its documents); a twin's facts once one agrees. */
export class HeldSpec {
  private compiler: SpecCompiler | undefined;
  private options: SpecToDocumentsOptions | undefined;
  private api = 0;
  // Per entry, only what cannot be had otherwise, and numbers in typed arrays made at their size once the spec is
  // held: these live from the spec read to the end of the run, so what they hold (and the copies a list grown by push
  // leaves) is copied by the scavenges and promoted (bench/RESULTS.md, "Validate at scale").
  /** The spec's sections as held, in order: each one's first entry, its mapping and its type (entries come section by section). */
  private readonly sections: { start: number; mapping: TypeMapping; type: MetadataTypeDef }[] = [];
  private readonly names: string[] = [];
  private readonly entries: Record<string, unknown>[] = [];
  /** The first held entry of each type and fullName. */
  private readonly byName = new Map<MetadataTypeDef, Map<string, number>>();
  /** Per entry: its twin's project facts (the XML file's top-level elements the project rules read), once one agrees. */
  private readonly twins: (XmlNode[] | undefined)[] = [];
  /**
   * Per entry: the index the caller gave its twin's file (`offer`), -1 while no file of its type and name came,
   * -2 when the first one did not agree (a later file of that name is not the first document of its name).
   */
  private sources = new Int32Array(0);
  /**
   * Per entry with a twin: where its nodes' locations start in `offsets` (its root first, then its facts in document
   * order); -1 until a position of one is asked for (`positionOf`: most runs report nothing at a twin).
   */
  private firsts = new Int32Array(0);
  /** The twins' nodes' locations, as offsets into the spec's text, and what turns one into a position. */
  private offsets = new Int32Array(1 << 10);
  private positionAt: ((offset: number) => { line: number; column: number }) | undefined;
  private used = 0;
  private released = false;
  /** The twin documents made (`twinDocument`), and their entries. */
  private readonly twinEntry = new WeakMap<MetadataDocument, number>();

  get size(): number {
    return this.entries.length;
  }

  /**
   * Holds every entry of a spec whose documents are `options`' (apiVersion, locate, file): its document is
   * compared from its value at `offer`, and built only at `release` (located) when no twin stands for it. Returns how many there are.
   */
  hold(spec: OmniSpec, options: SpecToDocumentsOptions, compiler: SpecCompiler): number {
    if (this.released) throw new Error('HeldSpec: hold after release');
    this.compiler = compiler;
    this.options = options;
    this.positionAt = options.locate?.offsets?.position;
    this.api = apiVersionNumber(options.apiVersion);
    const before = this.entries.length;
    let lastMapping: TypeMapping | undefined;
    let type = undefined as unknown as MetadataTypeDef;
    compiler.eachSpecEntry(spec, (mapping, name, entry) => {
      const index = this.entries.length;
      // Entries come section by section: one type look-up per section.
      if (mapping !== lastMapping) {
        lastMapping = mapping;
        type = getType(mapping.type);
        this.sections.push({ start: index, mapping, type });
      }
      this.names.push(name);
      this.entries.push(entry);
      this.twins.push(undefined);
      // The document's fullName: fromModel's (a single-object type's fixed one).
      const fullName = type.fixedFullName ?? (mapping.keyed ? name : (mapping.fixedFullName ?? mapping.type));
      let names = this.byName.get(type);
      if (!names) this.byName.set(type, (names = new Map()));
      if (!names.has(fullName)) names.set(fullName, index);
    });
    this.sources = resized(this.sources, this.entries.length);
    this.firsts = resized(this.firsts, this.entries.length);
    return this.entries.length - before;
  }

  /** The section an entry is in (of at most the spec's eight: a look along them). */
  private sectionOf(entry: number): { start: number; mapping: TypeMapping; type: MetadataTypeDef } {
    const sections = this.sections;
    let s = sections.length - 1;
    while (sections[s].start > entry) s--;
    return sections[s];
  }

  /**
   * An XML document (whole, before pruning), its project facts, whether its document rules found nothing, and the
   * index the caller keeps its facts at: the held entry of the same type and fullName becomes its twin if this is
   * the first file of that type and name and its document has the same elements.
   */
  offer(xml: MetadataDocument, facts: MetadataDocument, clean: boolean, source: number): void {
    if (this.released) return;
    // Twins keep their locations as offsets into the spec's text: only a spec the plain reader read has them
    // (any other, an anchor or a tab in it, is built whole at release, as before).
    const offsets = this.options?.locate?.offsets;
    if (!offsets) return;
    const index = this.byName.get(xml.type)?.get(xml.fullName);
    if (index === undefined || this.sources[index] !== -1) return;
    this.sources[index] = -2;
    if (!clean) return;
    // Compared from the entry's value, nothing compiled. Undefined: an entry with otherElements, placed at their own
    // keys below its elements — built at release.
    if (this.compiler!.sameAsEntry(this.sectionOf(index).mapping, this.entries[index], this.api, xml.root.children) !== true) return;
    // A twin: its nodes are placed where the spec has them when a finding asks (positionOf).
    this.twins[index] = facts.root.children;
    this.sources[index] = source;
  }

  /**
   * The held entries in spec order: each entry's own document, located, still to be checked and pruned (`take`),
   * or, for a twin, its entry and its file's index (`twin`; its document only if asked for: `twinDocument`). Once
   * only: the store keeps only what makes and places twins' documents, and nothing without a twin.
   */
  release(take: (doc: MetadataDocument) => void, twin: (entry: number, source: number) => void): void {
    const compiler = this.compiler;
    const options = this.options;
    let twins = 0;
    for (let i = 0; i < this.entries.length; i++) {
      if (this.twins[i]) {
        twins++;
        twin(i, this.sources[i]);
      } else {
        const compiled = compiler!.compileSpecEntry(this.sectionOf(i).mapping, this.names[i], this.entries[i]);
        take(compiler!.compiledEntryDocument(compiled, this.api, { ...(options!.locate ? { locate: options!.locate } : {}), ...(options!.file !== undefined ? { file: options!.file } : {}) }));
      }
    }
    this.released = true;
    this.byName.clear();
    // The spec's value and its locator stay while a twin may be asked where its nodes are (they are held through
    // the XML read anyway, and no major collection comes between here and the end of a large run); without a twin
    // they go.
    if (twins > 0) return;
    this.compiler = undefined;
    this.options = undefined;
    this.sections.length = 0;
    this.names.length = 0;
    this.entries.length = 0;
    this.twins.length = 0;
    this.sources = new Int32Array(0);
    this.firsts = new Int32Array(0);
  }

  /** The file the twins' documents are the spec's (they share it). */
  get file(): string | undefined {
    return this.options?.file;
  }

  /**
   * A twin's document (an entry `release` gave to `twin`): its type and fullName over its file's facts, the root
   * built in memory (line 0: the context asks `positionOf` where a twin's nodes, its root included, are). Made at
   * each call and not kept: a finding keeps only its file and position, so the document dies young (`--json` reports
   * at all 10,000 twins of a 10,000-configuration project, and every kept one stayed to the end of the run).
   */
  twinDocument(entry: number): MetadataDocument {
    const { type, mapping } = this.sectionOf(entry);
    const root: XmlNode = { name: type.name, attributes: NO_ATTRIBUTES, children: this.twins[entry]!, line: 0, column: 0 };
    const fullName = type.fixedFullName ?? (mapping.keyed ? this.names[entry] : (mapping.fixedFullName ?? mapping.type));
    const doc: MetadataDocument = { type, fullName, path: this.options!.file, root };
    this.twinEntry.set(doc, entry);
    return doc;
  }

  /** The spec position of a node of a twin document (its index in document order), undefined for any other document. */
  readonly positionOf: PositionOf = (doc, node) => {
    const entry = this.twinEntry.get(doc);
    if (entry === undefined) return undefined;
    const index = indexIn(doc.root, node, { seen: 0 });
    if (index < 0) return undefined;
    if (this.firsts[entry] < 0) this.placeTwin(entry);
    return this.positionAt!(this.offsets[this.firsts[entry] + index]);
  };

  /**
   * Where the spec has a twin's root and its facts' nodes, in document order: each fact (an element and all its
   * descendants) where its key or list item is, the root at the entry's key. The i-th of a run of same-named
   * elements is the i-th item of its list (fromModel writes a list's items side by side, and a twin's elements are
   * the compiled entry's, in its order: a run of its facts is the run of the file's elements).
   */
  private placeTwin(entry: number): void {
    // From the entry's value, nothing compiled (`--json` places every twin).
    const placement = this.compiler!.specEntryPlacement(this.sectionOf(entry).mapping, this.names[entry], this.entries[entry], this.options!.locate!.offsets!.within);
    const facts = this.twins[entry]!;
    this.firsts[entry] = this.used;
    this.place(1, placement.root);
    let run = 0;
    for (let f = 0; f < facts.length; f++) {
      const child = facts[f];
      run = f > 0 && facts[f - 1].name === child.name ? run + 1 : 0;
      // Most facts are leaves: counted without a call (~100,000 of them at 10,000 configurations).
      const nested = child.children;
      this.place(nested.length ? countNodes(nested) + 1 : 1, placement.child(child.name, run));
    }
  }

  /** The next `count` locations: all at `offset`. */
  private place(count: number, offset: number): void {
    while (this.used + count > this.offsets.length) this.offsets = grown(this.offsets);
    if (count === 1) this.offsets[this.used++] = offset;
    else {
      this.offsets.fill(offset, this.used, this.used + count);
      this.used += count;
    }
  }
}

/** `array` at `length`, its values kept and the new slots -1. */
function resized(array: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  if (array.length === length) return array;
  const out = new Int32Array(length).fill(-1);
  out.set(array.subarray(0, Math.min(array.length, length)));
  return out;
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
