/**
 * Spec → metadata documents, driven by the mapping tables.
 *
 * Locations: every XmlNode of a generated document carries the line/column of the YAML value it came
 * from, and the document's `path` is the spec file. So the validation rules, which report
 * `doc.path:node.line:node.column`, can run unchanged on a spec and point at the YAML, e.g.
 * `config/omni-channel.yaml:42:17` for a presence configuration's `capacity`. Nodes written from a
 * default (a key that is absent) carry the location of their entry's developer name.
 */
import type { Diagnostic } from '../lib/diagnostic.ts';
import { FirstByFoldedName } from '../lib/folded-names.ts';
import { ruleText } from '../lib/messages.ts';
import { formatDouble, fromModel, type ModelObject, type ModelValue } from '../metadata/model.ts';
import { apiVersionNumber } from '../metadata/project.ts';
import { findType, getType } from '../metadata/registry.ts';
import type { ElementDef } from '../metadata/registry.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { localName, type XmlNode } from '../metadata/xml.ts';
import { OTHER_ELEMENTS_KEY, TYPE_MAPPINGS, otherElementSteps, rowToElements, type FieldMapping, type Model, type OtherElementValue, type TypeMapping } from './mapping.ts';
import type { OmniSpec } from './schema.ts';

type SpecPath = (string | number)[];
type Locate = ((specPath: readonly (string | number)[], options?: { key?: boolean }) => { line: number; column: number }) & {
  within?: (scope: readonly (string | number)[]) => Locate;
  /** Locations as offsets (load.ts LocateOffsets): what held.ts keeps of 10,000 twins. */
  offsets?: { within(scope: readonly (string | number)[]): (rest: readonly (string | number)[], key?: boolean) => number; position(offset: number): { line: number; column: number } };
};

export interface CompiledElement {
  element: string;
  value: unknown;
  /**
   * Where below its key the value came from, when deeper than the key itself (a row that writes several
   * elements): the YAML path of an explicit value is `[...entry.path, key, ...at]`; a default's is the entry's.
   * Relative, so 10,000 entries × their elements allocate no path each.
   */
  at?: readonly (string | number)[];
  /** false when the value is a default for an absent key. */
  explicit: boolean;
  /** The friendly key that produced it. */
  key: string;
}

export interface CompiledEntry {
  mapping: TypeMapping;
  type: string;
  fullName: string;
  /** YAML path of the entry (its developer name key, or `settings`). */
  path: SpecPath;
  elements: CompiledElement[];
  /** The spec entry itself. */
  entry: Record<string, unknown>;
}

/**
 * Each entry of the spec in spec (dependency) order, not compiled: a caller compiles (`compileEntry`: its
 * element values) only the entries it needs, one at a time, so the 10,000 compiled entries of a large spec
 * (~11 MB) are never held together.
 */
function eachEntry(spec: OmniSpec, visit: (mapping: TypeMapping, fullName: string, entry: Record<string, unknown>, entryPath: SpecPath) => void, only?: (mapping: TypeMapping) => boolean): void {
  const sections = spec as Record<string, unknown>;
  // Indexed loops: this runs once over 10,000 entries in cold code, where for…of and destructuring allocate.
  for (let m = 0; m < TYPE_MAPPINGS.length; m++) {
    const mapping = TYPE_MAPPINGS[m];
    const section = sections[mapping.specKey];
    if (section === undefined || section === null || (only && !only(mapping))) continue;
    if (!mapping.keyed) {
      visit(mapping, mapping.fixedFullName ?? mapping.type, section as Record<string, unknown>, [mapping.specKey]);
      continue;
    }
    const bySection = section as Record<string, Record<string, unknown>>;
    const names = Object.keys(bySection);
    for (let i = 0; i < names.length; i++) visit(mapping, names[i], bySection[names[i]], [mapping.specKey, names[i]]);
  }
}

/**
 * The spec's names that differ only in case from an earlier name of the same type (`Online`, then `online`),
 * each with the path of that earlier one. The Metadata API identifies a component by its fullName without
 * regard to case, so the two would be one component written twice; exact repeats never get here (the YAML
 * reader reports them as duplicate keys).
 */
export function caseDuplicateNames(spec: OmniSpec): Array<{ path: SpecPath; firstPath: SpecPath }> {
  const found: Array<{ path: SpecPath; firstPath: SpecPath }> = [];
  // Per section (each is its own type), the first entry of each name without case: the names' indexes in a
  // table over their own strings, no path per entry (paths only for a duplicate).
  const sections = spec as Record<string, unknown>;
  for (let m = 0; m < TYPE_MAPPINGS.length; m++) {
    const mapping = TYPE_MAPPINGS[m];
    const section = sections[mapping.specKey];
    if (section === undefined || section === null || !mapping.keyed) continue;
    const names = Object.keys(section);
    // Nearly every section has none: the lower-cased names in a Set (V8's own code, not the folding loop of
    // FirstByFoldedName run cold over 10,000 names; dropped at once) say so, and only a section that has some is
    // searched for them, in the names' order.
    const folded = new Set<string>();
    for (let i = 0; i < names.length; i++) folded.add(names[i].toLowerCase());
    if (folded.size === names.length) continue;
    const first = new FirstByFoldedName((i) => names[i], names.length);
    for (let i = 0; i < names.length; i++) {
      const earlier = first.add(i);
      if (earlier !== i) found.push({ path: [mapping.specKey, names[i]], firstPath: [mapping.specKey, names[earlier]] });
    }
  }
  return found;
}

/** Whether the spec describes no component at all (an empty file, only comments, only `apiVersion`). */
export function declaresNothing(spec: OmniSpec): boolean {
  const sections = spec as Record<string, unknown>;
  for (let m = 0; m < TYPE_MAPPINGS.length; m++) {
    const mapping = TYPE_MAPPINGS[m];
    const section = sections[mapping.specKey];
    if (section === undefined || section === null) continue;
    // The first section with an entry answers (eachEntry's count, stopped at one): 10,000 names are not listed for it.
    if (!mapping.keyed || Object.keys(section).length > 0) return false;
  }
  return true;
}

function compileEntry(mapping: TypeMapping, fullName: string, entry: Record<string, unknown>, entryPath: SpecPath): CompiledEntry {
  const elements: CompiledElement[] = [];
  const fields = mapping.fields;
  for (let f = 0; f < fields.length; f++) {
    const row = fields[f];
    let value = entry[row.key];
    const explicit = value !== undefined;
    if (!explicit) {
      if (!row.alwaysEmit || !row.default) continue;
      value = row.default(entry);
    }
    if (!row.toElements) {
      elements.push({ element: row.elements[0], value, explicit, key: row.key });
      continue;
    }
    for (const ev of rowToElements(row, value)) {
      const element: CompiledElement = { element: ev.element, value: ev.value, explicit, key: row.key };
      if (explicit && ev.at?.length) element.at = ev.at;
      elements.push(element);
    }
  }
  return { mapping, type: mapping.type, fullName, path: entryPath, elements, entry };
}

/** The version an element (or type) needs, as a number; undefined when the registry doesn't say. */
function sinceNumber(since: string | number | undefined): number | undefined {
  if (since === undefined) return undefined;
  return typeof since === 'number' ? since : apiVersionNumber(since);
}

export function formatVersion(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

/** Each type's top-level elements by name (looked up per element of 10,000 entries: no scan of the list). */
const elementIndex = new Map<string, Map<string, ElementDef>>();

function elementDef(type: string, element: string): ElementDef | undefined {
  let index = elementIndex.get(type);
  if (!index) {
    index = new Map((findType(type)?.elements ?? []).map((e) => [e.name, e]));
    elementIndex.set(type, index);
  }
  return index.get(element);
}

/** The newest `since` of any element of a type, nested ones included (0 when none says). */
const newestSince = new Map<string, number>();

function newestElementSince(type: string): number {
  let newest = newestSince.get(type);
  if (newest === undefined) {
    const walk = (defs: readonly ElementDef[] | undefined): number => Math.max(0, ...(defs ?? []).map((d) => Math.max(sinceNumber(d.since) ?? 0, walk(d.children))));
    newest = walk(findType(type)?.elements);
    newestSince.set(type, newest);
  }
  return newest;
}

/** Elements below `def` that `value` uses and that are newer than `api` (nested complex values). */
function newerChildren(def: ElementDef, value: unknown, api: number, trail: string): Array<{ element: string; since: number }> {
  const out: Array<{ element: string; since: number }> = [];
  if (!def.children || value === null || typeof value !== 'object') return out;
  for (const item of Array.isArray(value) ? value : [value]) {
    for (const child of def.children) {
      const v = (item as Record<string, unknown>)[child.name];
      if (v === undefined) continue;
      const since = sinceNumber(child.since);
      const name = `${trail}.${child.name}`;
      if (since !== undefined && since > api) out.push({ element: name, since });
      out.push(...newerChildren(child, v, api, name));
    }
  }
  return out;
}

/**
 * The elements a value of `element` (on metadata type `type`) writes that are newer than `api`: the element
 * itself and any nested child, as dotted paths with the version each needs. Empty when all exist at `api`.
 */
export function newerElements(type: string, element: string, value: unknown, api: number): Array<{ element: string; since: number }> {
  const def = elementDef(type, element);
  if (!def) return [];
  const out: Array<{ element: string; since: number }> = [];
  const since = sinceNumber(def.since);
  if (since !== undefined && since > api) out.push({ element, since });
  out.push(...newerChildren(def, value, api, element));
  return out;
}

/**
 * SPEC-VERSION errors for keys that write an element (or a type) newer than `apiVersion`.
 * Defaults for absent keys are never errors: they are simply not written (see specToDocuments).
 */
export function versionDiagnostics(spec: OmniSpec, apiVersion: string, options: { locate?: Locate; file?: string } = {}): Diagnostic[] {
  const api = apiVersionNumber(apiVersion);
  const out: Diagnostic[] = [];
  const where = (p: SpecPath, key = false) => (options.locate ? options.locate(p, { key }) : undefined);
  const typeSinceOf = (type: string) => sinceNumber(findType(type)?.since);
  // Only the types the version lacks, or that have an element it lacks, are looked at (and their entries
  // compiled): every element of the others exists at this version.
  const newer = (mapping: TypeMapping) => {
    const typeSince = typeSinceOf(mapping.type);
    return (typeSince !== undefined && typeSince > api) || newestElementSince(mapping.type) > api;
  };
  eachEntry(spec, (mapping, fullName, entryValue, entryPath) => {
    const typeSince = typeSinceOf(mapping.type);
    if (typeSince !== undefined && typeSince > api) {
      out.push(versionError(`${mapping.type} "${fullName}": the type ${mapping.type}`, typeSince, apiVersion, options.file, where(entryPath, true)));
      return;
    }
    const entry = compileEntry(mapping, fullName, entryValue, entryPath);
    const reported = new Set<string>();
    for (const el of entry.elements) {
      if (!el.explicit) continue;
      const def = elementDef(entry.type, el.element);
      if (!def) continue;
      const problems: Array<{ element: string; since: number }> = [];
      const since = sinceNumber(def.since);
      if (since !== undefined && since > api) problems.push({ element: el.element, since });
      problems.push(...newerChildren(def, el.value, api, el.element));
      for (const problem of problems) {
        const id = `${el.key}:${problem.element}`;
        if (reported.has(id)) continue;
        reported.add(id);
        const keyPath = [...entry.path, el.key];
        out.push(
          versionError(
            `"${keyPath.slice(entry.path.length).join('.')}" on ${entry.type} "${entry.fullName}": element <${problem.element}>`,
            problem.since,
            apiVersion,
            options.file,
            where(keyPath),
          ),
        );
      }
    }
  }, newer);
  out.push(...recordVersionDiagnostics(spec, api, apiVersion, options));
  return out;
}

/** Record settings (sObject fields, no metadata element) newer than the API version: SPEC-VERSION errors. */
function recordVersionDiagnostics(spec: OmniSpec, api: number, apiVersion: string, options: { locate?: Locate; file?: string }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const sections = spec as Record<string, unknown>;
  for (const mapping of TYPE_MAPPINGS) {
    const section = sections[mapping.specKey] as Record<string, Record<string, unknown>> | undefined;
    if (!mapping.keyed || !section || !mapping.records?.length) continue;
    // No record setting of this type is newer than the API version: no entry to look at.
    if (!mapping.records.some((row) => row.since !== undefined && row.since > api)) continue;
    for (const [fullName, entry] of Object.entries(section)) {
      for (const row of mapping.records) {
        if (entry?.[row.key] === undefined || row.since === undefined || row.since <= api) continue;
        const pos = options.locate?.([mapping.specKey, fullName, row.key], { key: true });
        out.push(versionError(`"${row.key}" on ${mapping.type} "${fullName}": the fields ${row.fields.map((f) => `${row.sobject}.${f}`).join(', ')}`, row.since, apiVersion, options.file, pos));
      }
    }
  }
  return out;
}

function versionError(
  subject: string,
  since: number,
  apiVersion: string,
  file: string | undefined,
  pos: { line: number; column: number } | undefined,
): Diagnostic {
  return {
    ruleId: 'SPEC-VERSION',
    severity: 'error',
    message: ruleText('SPEC-VERSION', [subject, formatVersion(since), apiVersion]),
    hint: ruleText('SPEC-VERSION.hint', [formatVersion(since)]),
    ...(file ? { file } : {}),
    ...(pos ? { line: pos.line, column: pos.column } : {}),
  };
}

export interface SpecToDocumentsOptions {
  apiVersion: string;
  locate?: Locate;
  /** The spec file, set as `path` of every document (for diagnostics). */
  file?: string;
}

/**
 * The metadata documents the spec describes, for `apiVersion`: elements the version does not have are
 * left out (run versionDiagnostics first to turn explicit ones into errors).
 */
export function specToDocuments(spec: OmniSpec, options: SpecToDocumentsOptions): MetadataDocument[] {
  const documents: MetadataDocument[] = [];
  eachSpecDocument(spec, options, (doc) => documents.push(doc));
  return documents;
}

/**
 * specToDocuments one document at a time, in the same order: `take` gets each as soon as it is built, so a
 * caller that checks and drops it (omni validate) never holds the spec's 10,000 whole trees at once; those
 * die young instead of being copied into the old generation (bench/RESULTS.md, "Validate at scale").
 */
export function eachSpecDocument(spec: OmniSpec, options: SpecToDocumentsOptions, take: (doc: MetadataDocument) => void): void {
  const api = apiVersionNumber(options.apiVersion);
  // Each entry compiled just before its document: the compiled entry dies with it.
  eachEntry(spec, (mapping, fullName, entry, entryPath) => take(entryToDocument(compileEntry(mapping, fullName, entry, entryPath), api, options)));
}

/**
 * The spec's entries in eachSpecDocument's order, none compiled: `visit` gets each entry's mapping, its key (the
 * developer name; the specKey for a single object such as settings) and value. `omni validate` holds them so and
 * compiles one only when the XML file generated from it arrives (scripts/validate/held.ts).
 */
export function eachSpecEntry(spec: OmniSpec, visit: (mapping: TypeMapping, name: string, entry: Record<string, unknown>) => void): void {
  const sections = spec as Record<string, unknown>;
  for (let m = 0; m < TYPE_MAPPINGS.length; m++) {
    const mapping = TYPE_MAPPINGS[m];
    const section = sections[mapping.specKey];
    if (section === undefined || section === null) continue;
    if (!mapping.keyed) {
      visit(mapping, mapping.specKey, section as Record<string, unknown>);
      continue;
    }
    const bySection = section as Record<string, Record<string, unknown>>;
    const names = Object.keys(bySection);
    for (let i = 0; i < names.length; i++) visit(mapping, names[i], bySection[names[i]]);
  }
}

/** An entry eachSpecEntry gave, compiled as eachSpecDocument compiles it. */
export function compileSpecEntry(mapping: TypeMapping, name: string, entry: Record<string, unknown>): CompiledEntry {
  return mapping.keyed
    ? compileEntry(mapping, name, entry, [mapping.specKey, name])
    : compileEntry(mapping, mapping.fixedFullName ?? mapping.type, entry, [mapping.specKey]);
}

/**
 * The document of a compiled entry at `apiVersion` (a number): eachSpecDocument's, located when `options.locate`
 * is given; without it every node is at 0:0 (what it says, not where: for comparing).
 */
export function compiledEntryDocument(entry: CompiledEntry, apiVersion: number, options: Omit<SpecToDocumentsOptions, 'apiVersion'>): MetadataDocument {
  return entryToDocument(entry, apiVersion, options);
}

/** The model of one compiled entry at `api`: its elements, those the version does not have left out. */
function entryModel(entry: CompiledEntry, api: number): Model {
  const model: Model = {};
  const elements = entry.elements;
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i];
    const since = sinceNumber(elementDef(entry.type, el.element)?.since);
    if (since !== undefined && since > api) continue;
    model[el.element] = el.value;
  }
  return model;
}

/** The document of one compiled entry (see specToDocuments). */
function entryToDocument(entry: CompiledEntry, api: number, options: Omit<SpecToDocumentsOptions, 'apiVersion'>): MetadataDocument {
  const doc = fromModel(getType(entry.type), entry.fullName, entryModel(entry, api) as Parameters<typeof fromModel>[2]);
  if (options.file !== undefined) doc.path = options.file;
  if (options.locate) placeNodes(doc.root, entry, options.locate);
  const other = (entry.entry[OTHER_ELEMENTS_KEY] ?? undefined) as Record<string, OtherElementValue> | undefined;
  if (other) insertOtherElements(doc.root, findType(entry.type)?.elements ?? [], other, options.locate ? (name) => options.locate!([...entry.path, OTHER_ELEMENTS_KEY, name], { key: true }) : undefined);
  return doc;
}

/**
 * Whether `nodes` (an XML file's top-level elements) are, in everything a rule reads (names, texts, nil,
 * attributes, the tree's shape), the top-level elements of the document at `apiVersion` of an entry eachSpecEntry
 * gave — decided from the entry's value, without compiling it or building that document; undefined when it cannot
 * tell (otherElements, or a value with the model's `_unknown`: compare the built document, compiledEntryDocument,
 * if it matters). Walks the type's elements as fromModel writes the compiled entry's model (scripts/metadata/model.ts
 * objectToNodes and valueToNode), each element's value read from the row that compileEntry lets write it last; a
 * row's `nested` or `elementValue` (mapping.ts) says what its toElements writes, so the usual entry allocates nothing
 * (`omni validate` asks this of each of 10,000 XML files generated from the spec). test/yaml-spec/spec-documents.test.ts
 * holds the answer to the built document's.
 */
export function sameAsEntry(mapping: TypeMapping, entry: Record<string, unknown>, apiVersion: number, nodes: readonly XmlNode[]): boolean | undefined {
  if ((entry[OTHER_ELEMENTS_KEY] ?? undefined) !== undefined) return undefined;
  const plan = twinPlan(mapping);
  const defs = plan.defs;
  let at = 0;
  for (let d = 0; d < defs.length; d++) {
    const writers = plan.writers[d];
    if (writers === undefined || plan.since[d] > apiVersion) continue;
    const def = defs[d];
    // The last row that writes the element wins (entryModel's assignment); a row that writes it undefined leaves it out.
    for (let w = writers.length - 1; w >= 0; w--) {
      const row = writers[w];
      let value = entry[row.key];
      if (value === undefined) {
        if (!row.alwaysEmit || !row.default) continue;
        value = row.default(entry);
      }
      if (row.toElements) {
        const nested = row.nested;
        if (nested && plan.nestedOk[d]) {
          at = nested.each ? sameAsNestedList(nodes, at, def, nested.path, value) : sameAsNestedOne(nodes, at, def, nested.path, value);
          break;
        }
        if (row.elementValue) {
          value = row.elementValue(value, def.name);
          if (value === undefined) continue;
        } else {
          // A row that says nothing of its elements: its toElements, the last value for this element.
          const written = row.toElements(value);
          let found = -1;
          for (let i = 0; i < written.length; i++) if (written[i].element === def.name) found = i;
          if (found < 0) continue;
          value = written[found].value;
        }
      }
      at = sameAsDef(nodes, at, def, value as ModelValue | undefined);
      break;
    }
    if (at < 0) return at === UNKNOWN ? undefined : false;
  }
  return at === nodes.length;
}

/** Per type mapping: its type's top-level elements in WSDL order, and per element the rows that write it (row order). */
interface TwinPlan {
  defs: readonly ElementDef[];
  writers: (FieldMapping[] | undefined)[];
  /** Per element: the API version it needs (0 when the registry says none). */
  since: number[];
  /** Per element: a `nested` row's value can be walked for it (a repeated element where the row gives a list). */
  nestedOk: boolean[];
  /** Each element's index in `defs` (the first of its name). */
  index: Map<string, number>;
}

const twinPlans = new Map<TypeMapping, TwinPlan>();

function twinPlan(mapping: TypeMapping): TwinPlan {
  let plan = twinPlans.get(mapping);
  if (plan) return plan;
  const defs = getType(mapping.type).elements;
  const writers: (FieldMapping[] | undefined)[] = [];
  const since: number[] = [];
  const nestedOk: boolean[] = [];
  for (const def of defs) {
    // compileEntry: a row without toElements writes its first element; one with toElements, those it lists.
    const rows = mapping.fields.filter((row) => (row.toElements ? row.elements.includes(def.name) : row.elements[0] === def.name));
    writers.push(rows.length ? rows : undefined);
    since.push(sinceNumber(def.since) ?? 0);
    nestedOk.push(rows.every((row) => !row.nested || ((!row.nested.each || def.repeated === true) && !row.nested.path.includes('_unknown'))));
  }
  const index = new Map<string, number>();
  for (let d = 0; d < defs.length; d++) if (!index.has(defs[d].name)) index.set(defs[d].name, d);
  plan = { defs, writers, since, nestedOk, index };
  twinPlans.set(mapping, plan);
  return plan;
}

/** sameAsObject's answer when the model has `_unknown` nodes (placed by fromModel, not compared here). */
const UNKNOWN = -2;

/** How many of `nodes` objectToNodes(model, defs) would write the same (all it writes, in order), -1 when they differ, or UNKNOWN. */
function sameAsObject(nodes: readonly XmlNode[], model: ModelObject, defs: readonly ElementDef[]): number {
  if (model._unknown?.length) return UNKNOWN;
  let at = 0;
  for (let d = 0; d < defs.length; d++) {
    at = sameAsDef(nodes, at, defs[d], model[defs[d].name] as ModelValue | undefined);
    if (at < 0) return at;
  }
  return at;
}

/**
 * objectToNodes' step for one element: whether `nodes` from `at` are what `value` of `def` writes (nothing for
 * undefined, a node per item of a repeated element's list, one node otherwise); the index after them, -1, or UNKNOWN.
 */
function sameAsDef(nodes: readonly XmlNode[], at: number, def: ElementDef, value: ModelValue | undefined): number {
  if (value === undefined) return at;
  if (def.repeated && Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (at >= nodes.length) return -1;
      const same = sameAsValue(nodes[at++], def, value[i] as ModelValue);
      if (same !== 1) return same === 0 ? -1 : UNKNOWN;
    }
    return at;
  }
  if (at >= nodes.length) return -1;
  const same = sameAsValue(nodes[at++], def, value);
  return same === 1 ? at : same === 0 ? -1 : UNKNOWN;
}

/** sameAsDef for a `nested` row's value (mapping.ts): `value` nested along `path`, one node. */
function sameAsNestedOne(nodes: readonly XmlNode[], at: number, def: ElementDef, path: readonly string[], value: unknown): number {
  if (at >= nodes.length) return -1;
  const same = sameAsNestedValue(nodes[at++], def, path, 0, value);
  return same === 1 ? at : same === 0 ? -1 : UNKNOWN;
}

/** sameAsDef for a `nested` row with `each`: a node per item of `value` (a list), each item nested along `path`. */
function sameAsNestedList(nodes: readonly XmlNode[], at: number, def: ElementDef, path: readonly string[], value: unknown): number {
  const items = value as readonly unknown[];
  for (let i = 0; i < items.length; i++) {
    if (at >= nodes.length) return -1;
    const same = sameAsNestedValue(nodes[at++], def, path, 0, items[i]);
    if (same !== 1) return same === 0 ? -1 : UNKNOWN;
  }
  return at;
}

/** sameAsValue(node, def, v) for v = `value` nested in objects along `path` from `depth` (`{ [path[depth]]: … }`), built by no one. */
function sameAsNestedValue(node: XmlNode, def: ElementDef, path: readonly string[], depth: number, value: unknown): number {
  if (depth === path.length) return sameAsValue(node, def, value as ModelValue);
  if (node.name !== def.name) return 0;
  // An object: not nil, no attributes; a complex element has its key's element as its children, any other its text.
  if (node.nil !== undefined || node.attributes !== undefined) return 0;
  if (def.kind !== 'complex') return node.text === '[object Object]' && node.children.length === 0 ? 1 : 0;
  const children = node.children;
  const defs = def.children ?? NO_DEFS;
  const key = path[depth];
  let at = 0;
  for (let d = 0; d < defs.length; d++) {
    if (defs[d].name !== key) continue;
    if (depth + 1 === path.length) at = sameAsDef(children, at, defs[d], value as ModelValue | undefined);
    else if (at >= children.length) at = -1;
    else {
      const same = sameAsNestedValue(children[at++], defs[d], path, depth + 1, value);
      if (same !== 1) at = same === 0 ? -1 : UNKNOWN;
    }
    if (at < 0) return at === UNKNOWN ? UNKNOWN : 0;
  }
  if (at !== children.length) return 0;
  return (children.length ? node.text === undefined : node.text === '') ? 1 : 0;
}

const NO_DEFS: readonly ElementDef[] = [];

/** Whether `node` is valueToNode(def, value): 1 yes, 0 no, UNKNOWN. */
function sameAsValue(node: XmlNode, def: ElementDef, value: ModelValue): number {
  if (node.name !== def.name) return 0;
  if (value === null) {
    const attributes = node.attributes;
    return node.text === '' && node.nil === true && node.children.length === 0 && attributes !== undefined && onlyNilAttribute(attributes) ? 1 : 0;
  }
  if (node.nil !== undefined || node.attributes !== undefined) return 0;
  if (def.kind === 'complex') {
    const children = node.children;
    const end = sameAsObject(children, value as ModelObject, def.children ?? []);
    if (end === UNKNOWN) return UNKNOWN;
    if (end !== children.length) return 0;
    return (children.length ? node.text === undefined : node.text === '') ? 1 : 0;
  }
  const text = def.kind === 'double' && typeof value === 'number' ? formatDouble(value) : String(value);
  return node.text === text && node.children.length === 0 ? 1 : 0;
}

/** `{ 'xsi:nil': 'true' }`, valueToNode's attributes of a nil element. */
function onlyNilAttribute(attributes: Record<string, string>): boolean {
  const keys = Object.keys(attributes);
  return keys.length === 1 && keys[0] === 'xsi:nil' && attributes['xsi:nil'] === 'true';
}

/**
 * Puts `otherElements` into the root at their alphabetical place among its children (the WSDL sequence of
 * these types is alphabetical, and retrieves write it), so a retrieved file comes back byte for byte. A path
 * key (`skills[2]/weight`) goes the same way among the children of the element it names; one whose parent
 * is not in the document (e.g. that skill was removed from the spec) is left out: see unplacedOtherElements.
 */
function insertOtherElements(
  root: XmlNode,
  defs: readonly ElementDef[],
  other: Record<string, OtherElementValue>,
  locate: ((name: string) => { line: number; column: number }) | undefined,
): void {
  for (const [key, value] of Object.entries(other)) {
    const steps = otherElementSteps(key);
    const name = steps[steps.length - 1].name;
    const parent = findParent(root, steps.slice(0, -1), defs);
    if (!parent) continue;
    const nodes = otherToNodes(name, value);
    if (locate) {
      const pos = locate(key);
      for (const node of nodes) setPositionDeep(node, pos);
    }
    insertChildren(parent, name, nodes);
  }
}

/** Adds `nodes` (named `name`) to `parent` at their alphabetical place, after same-named ones. */
function insertChildren(parent: XmlNode, name: string, nodes: XmlNode[]): void {
  if (parent.children.length === 0) {
    delete parent.text; // was an empty element: now it has children
    parent.children = []; // a leaf's is the shared frozen empty array (metadata/model.ts)
  }
  let at = parent.children.findIndex((c) => localName(c.name) > name);
  if (at < 0) at = parent.children.length;
  parent.children.splice(at, 0, ...nodes);
}

/**
 * The element a path's parent steps name below `root` (the n-th same-named child at each step), if any.
 * With `defs` (the type's elements), a missing grouped element (not repeated, e.g. <queueMembers> whose only
 * children omni does not know) is created, as the file had it; a missing list item never is.
 */
function findParent(root: XmlNode, steps: ReadonlyArray<{ name: string; position: number }>, defs?: readonly ElementDef[]): XmlNode | undefined {
  let node: XmlNode = root;
  let level = defs;
  for (const step of steps) {
    const def = level?.find((d) => d.name === step.name);
    let next: XmlNode | undefined = node.children.filter((c) => localName(c.name) === step.name)[step.position - 1];
    if (!next && def?.kind === 'complex' && !def.repeated && !def.opaque && step.position === 1) {
      next = { name: step.name, children: [], line: node.line, column: node.column };
      insertChildren(node, step.name, [next]);
    }
    if (!next || next.nil) return undefined;
    node = next;
    level = def?.children;
  }
  return node;
}

/**
 * `otherElements` path keys of the spec whose parent element generate does not write (a removed list item,
 * a typo in the path): as [spec path of the key, the key]. Such an element would be lost, so it is an error.
 */
export function unplacedOtherElements(spec: OmniSpec, apiVersion: string): Array<{ path: Array<string | number>; key: string }> {
  const out: Array<{ path: Array<string | number>; key: string }> = [];
  const api = apiVersionNumber(apiVersion);
  // eachSpecEntry: no path per entry (every spec that validate reads is walked here), only for one with otherElements.
  eachSpecEntry(spec, (mapping, name, entryValue) => {
    const other = (entryValue[OTHER_ELEMENTS_KEY] ?? undefined) as Record<string, OtherElementValue> | undefined;
    if (!other) return;
    const entryPath = mapping.keyed ? [mapping.specKey, name] : [mapping.specKey];
    // Only an entry with a path key is compiled, and needs its document (10,000 entries rarely have any).
    let root: XmlNode | undefined;
    for (const key of Object.keys(other)) {
      const steps = otherElementSteps(key);
      if (steps.length < 2) continue;
      root ??= entryToDocument(compileSpecEntry(mapping, name, entryValue), api, {}).root;
      if (!findParent(root, steps.slice(0, -1))) out.push({ path: [...entryPath, OTHER_ELEMENTS_KEY, key], key });
    }
  });
  return out;
}

/** An otherElements value as XML nodes: a list is a repeated element, a mapping child elements, null nil. */
export function otherToNodes(name: string, value: OtherElementValue): XmlNode[] {
  if (Array.isArray(value)) return value.flatMap((v) => otherToNodes(name, v));
  const node: XmlNode = { name, children: [], line: 0, column: 0 };
  if (value === null) {
    node.nil = true;
    node.text = '';
    node.attributes = { 'xsi:nil': 'true' };
  } else if (typeof value === 'object') {
    node.children = Object.entries(value).flatMap(([child, v]) => otherToNodes(child, v));
    if (node.children.length === 0) node.text = '';
  } else {
    node.text = String(value);
  }
  return [node];
}

/** The element a model value came from: the last of that name (the one the model kept). */
function sourceOf(entry: CompiledEntry, element: string): CompiledElement | undefined {
  for (let i = entry.elements.length - 1; i >= 0; i--) if (entry.elements[i].element === element) return entry.elements[i];
  return undefined;
}

/**
 * Where an entry's document is in the YAML (see the header comment): its root at the entry's key, and each
 * top-level element with everything below it at the value it came from — the `index`-th of a run of elements
 * named `name` at the index-th item of its YAML list — or at the entry's key for a default. otherElements are
 * placed apart (insertOtherElements). `P` is what the locator gives: a position, or an offset (held.ts).
 */
export interface EntryPlacement<P> {
  root: P;
  child(name: string, index: number): P;
}

/** entryPlacement's locator: locations below `scope` (a path relative to it, and whether the key's). */
type ScopedLocator<P> = (scope: readonly (string | number)[]) => (rest: readonly (string | number)[], key?: boolean) => P;

export function entryPlacement<P>(entry: CompiledEntry, within: ScopedLocator<P>): EntryPlacement<P> {
  // Paths below the entry, located from the entry's own mapping (not from the document root per key).
  const locate = within(entry.path);
  const root = locate(NO_PATH, true);
  return {
    root,
    child(name, index) {
      const source = sourceOf(entry, name);
      if (!source?.explicit) return root;
      // The i-th of a repeated element comes from the i-th item of the YAML list, when there is one. The
      // common paths (a key, a key and an item) reuse one array each (the locators read a path, never keep it):
      // ~100,000 lookups for 10,000 entries.
      const item = Array.isArray(source.value);
      if (source.at) return locate(item ? [source.key, ...source.at, index] : [source.key, ...source.at]);
      if (item) {
        KEY_ITEM[0] = source.key;
        KEY_ITEM[1] = index;
        return locate(KEY_ITEM);
      }
      KEY[0] = source.key;
      return locate(KEY);
    },
  };
}

/**
 * entryPlacement of the entry eachSpecEntry gave as `name` and `entry`, without compiling it: each element's source
 * read from the row that compileEntry lets write it last (sameAsEntry's plan); only a row that writes several
 * elements (afterConversationWork) or says nothing of them has its toElements called, and only for an explicit value.
 * `omni validate` places a twin so when a finding at it asks where its nodes are (scripts/validate/held.ts), which
 * `--json` does for each of 10,000 twins. test/yaml-spec/spec-documents.test.ts holds it to entryPlacement.
 */
export function specEntryPlacement<P>(mapping: TypeMapping, name: string, entry: Record<string, unknown>, within: ScopedLocator<P>): EntryPlacement<P> {
  const locate = within(mapping.keyed ? [mapping.specKey, name] : [mapping.specKey]);
  const root = locate(NO_PATH, true);
  const plan = twinPlan(mapping);
  return {
    root,
    child(element, index) {
      const d = plan.index.get(element);
      const writers = d === undefined ? undefined : plan.writers[d];
      if (!writers) return root;
      for (let w = writers.length - 1; w >= 0; w--) {
        const row = writers[w];
        const value = entry[row.key];
        // A default for an absent key is placed at the entry (as compileEntry's element that is not explicit).
        if (value === undefined) {
          if (!row.alwaysEmit || !row.default) continue;
          return root;
        }
        let item: boolean;
        let at: readonly (string | number)[] | undefined;
        if (!row.toElements) item = Array.isArray(value);
        else if (row.nested) item = row.nested.each === true || (row.nested.path.length === 0 && Array.isArray(value));
        else {
          const written = row.toElements(value);
          let found = -1;
          for (let i = 0; i < written.length; i++) if (written[i].element === element) found = i;
          if (found < 0) continue;
          item = Array.isArray(written[found].value);
          if (written[found].at?.length) at = written[found].at;
        }
        if (at) return locate(item ? [row.key, ...at, index] : [row.key, ...at]);
        if (item) {
          KEY_ITEM[0] = row.key;
          KEY_ITEM[1] = index;
          return locate(KEY_ITEM);
        }
        KEY[0] = row.key;
        return locate(KEY);
      }
      return root;
    },
  };
}

/** A Locate as entryPlacement's locator of positions. */
function positionsWithin(locateAll: Locate): ScopedLocator<{ line: number; column: number }> {
  return (scope) => {
    const at = locateAll.within?.(scope) ?? ((p: readonly (string | number)[], options?: { key?: boolean }) => locateAll([...scope, ...p], options));
    return (rest, key) => (key ? at(rest, AT_KEY) : at(rest));
  };
}

/** Gives each node the YAML position of the value it came from (entryPlacement). */
function placeNodes(root: XmlNode, entry: CompiledEntry, locateAll: Locate): void {
  const place = entryPlacement(entry, positionsWithin(locateAll));
  setPosition(root, place.root);
  // fromModel writes a repeated element's items side by side: the i-th of a run is the i-th list item.
  const children = root.children;
  let index = 0;
  for (let c = 0; c < children.length; c++) {
    const child = children[c];
    index = c > 0 && children[c - 1].name === child.name ? index + 1 : 0;
    setPositionDeep(child, place.child(child.name, index));
  }
}

/** placeNodes' paths below an entry, reused from one lookup to the next. */
const KEY: [string] = [''];
const KEY_ITEM: [string, number] = ['', 0];
/** The entry's own key: where its root and defaults are placed. */
const AT_KEY = { key: true } as const;
const NO_PATH: readonly string[] = [];

function setPosition(node: XmlNode, pos: { line: number; column: number }): void {
  node.line = pos.line;
  node.column = pos.column;
}

function setPositionDeep(node: XmlNode, pos: { line: number; column: number }): void {
  setPosition(node, pos);
  const children = node.children;
  for (let i = 0; i < children.length; i++) setPositionDeep(children[i], pos);
}
