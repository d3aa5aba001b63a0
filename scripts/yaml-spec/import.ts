/**
 * Metadata documents (e.g. a retrieve) → spec, driven by the same mapping tables as the generator.
 * Keys whose value equals what the generator would write anyway are left out, so an imported spec stays
 * short and `import` then `generate` writes the same canonical files.
 */
import { isDeepStrictEqual } from 'node:util';
import { Document } from 'yaml';
import type { MetadataDocument } from '../metadata/document.ts';
import type { MetadataTypeDef } from '../metadata/registry.ts';
import { toModel } from '../metadata/model.ts';
import { formatVersion, newerElements, specToDocuments } from './compile.ts';
import { apiVersionNumber } from '../metadata/project.ts';
import { OTHER_ELEMENTS_KEY, mappingForType, rowFromModel, rowTakesNil, rowToElements, type Model, type OtherElementValue, type SpecEntry, type TypeMapping } from './mapping.ts';
import { localName, type XmlNode } from '../metadata/xml.ts';
import { specSchema, type OmniSpec } from './schema.ts';
import { parseValidSpec } from './spec-check.generated.ts';
import { countText, warningText } from '../lib/messages.ts';
import { commandPrefix } from '../lib/io.ts';

export interface UserAssignment {
  type: string;
  fullName: string;
  /** Metadata element holding them, e.g. `assignments.users.user`. */
  element: string;
  users: string[];
  path?: string;
}

export interface ImportResult {
  spec: OmniSpec;
  /** Usernames found in the XML: not put into the spec (they differ per org); see userAssignmentWarning. */
  userAssignments: UserAssignment[];
  warnings: string[];
  /**
   * Documents left out of the spec because it cannot hold one of their values (the spec's schema refuses
   * the entry: an empty value, a reference that is no developer name, a number out of range, a file name
   * that is no developer name, a required value retrieved as xsi:nil). The XML check refuses each of them
   * too; `omni import` leaves them out (`leaveOutUnrepresentable`) and refuses the file with its findings,
   * as it refuses a file it cannot read.
   */
  unrepresentable: MetadataDocument[];
}

export function documentsToSpec(documents: readonly MetadataDocument[]): OmniSpec {
  return importDocuments(documents).spec;
}

export interface ImportOptions {
  /**
   * The API version the spec is generated at (the project's sourceApiVersion). Keys whose elements are
   * newer are left out of the spec with a warning naming the element and the version it needs, so
   * generate accepts the imported spec at this version. Omitted: no version check.
   */
  apiVersion?: string;
  /** Leave the `unrepresentable` documents out of the spec (`omni import`); by default they are mapped as they are. */
  leaveOutUnrepresentable?: boolean;
}

/**
 * Documents → spec, usernames (for assignment files) and warnings (`path: …`, one per element left out).
 * Never throws for document content.
 */
export function importDocuments(documents: readonly MetadataDocument[], options: ImportOptions = {}): ImportResult {
  const api = options.apiVersion !== undefined ? apiVersionNumber(options.apiVersion) : undefined;
  const spec: Record<string, unknown> = {};
  const userAssignments: UserAssignment[] = [];
  const warnings: string[] = [];
  const unrepresentable: MetadataDocument[] = [];
  const sorted = [...documents].sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
  for (const doc of sorted) {
    const typeName = doc.type.name;
    const mapping = mappingForType(typeName);
    const where = doc.path ?? `${typeName} ${doc.fullName}`;
    if (!mapping) {
      warnings.push(warningText('ImportTypeSkipped', [where, typeName]));
      continue;
    }
    if (!mapping.keyed && doc.fullName !== mapping.fixedFullName) continue;
    const model = toModel(doc);
    const entry = modelToEntry(mapping, model);
    if (api !== undefined) {
      for (const row of mapping.fields) {
        if (entry[row.key] === undefined) continue;
        const newer = rowToElements(row, entry[row.key]).flatMap((ev) => newerElements(typeName, ev.element, ev.value, api));
        if (newer.length === 0) continue;
        delete entry[row.key];
        for (const { element, since } of newer) {
          warnings.push(warningText('ImportNeedsNewerApi', [where, element.split('.').join('><'), formatVersion(since), String(options.apiVersion), row.key, formatVersion(since)]));
        }
      }
    }
    for (const users of findUsers(doc.type, model)) {
      userAssignments.push({ type: typeName, fullName: doc.fullName, ...users, ...(doc.path ? { path: doc.path } : {}) });
    }
    for (const element of unmappedElements(doc.type, mapping, model)) {
      warnings.push(warningText('ImportNoSpecKey', [where, element]));
    }
    for (const element of nilInTransformedRows(mapping, model)) {
      warnings.push(warningText('ImportNil', [where, element]));
    }
    if (!doc.type.partial) {
      const other = otherElements(model._unknown as XmlNode[] | undefined);
      for (const name of other.refused) {
        warnings.push(warningText('ImportUnknownRefused', [where, name]));
      }
      // The parse layer already warned about each of these at file:line ("kept as is"): and so they are.
      const values: Record<string, OtherElementValue> = { ...other.values };
      // Nested ones too, under their path (`skills[2]/weight`); named here with that path, as the parse
      // layer's warning names only the element.
      for (const [trail, nodes] of nestedUnknown(model, [])) {
        const nested = otherElements(nodes);
        const elementPath = (name: string) => `<${trail.map((s) => s.replace(/\[\d+\]$/, '')).join('><')}><${name}>`;
        for (const name of nested.refused) {
          warnings.push(warningText('ImportUnknownNestedRefused', [where, elementPath(name), `${trail.join('/')}/${name}`]));
        }
        for (const [name, value] of Object.entries(nested.values)) {
          const key = `${trail.join('/')}/${name}`;
          values[key] = value;
          warnings.push(warningText('ImportUnknownKept', [where, elementPath(name), key]));
        }
      }
      if (Object.keys(values).length) entry[OTHER_ELEMENTS_KEY] = values;
    } else {
      // Only partly ours: generate edits the file in place and keeps a status access it still grants as the
      // file has it, so an unknown element inside one stays in the file, not in the spec.
      for (const [trail, nodes] of nestedUnknown(model, [])) {
        for (const node of nodes) {
          warnings.push(warningText('ImportUnknownInPartial', [where, [...trail.map((s) => s.replace(/\[\d+\]$/, '')), localName(node.name)].join('><'), trail.join('/')]));
        }
      }
    }
    if (api !== undefined && !doc.type.partial) {
      // The round trip promise, checked per file: name every element generate would not write back as is.
      const spec = { [mapping.specKey]: mapping.keyed ? { [doc.fullName]: entry } : entry } as OmniSpec;
      const [regenerated] = specToDocuments(spec, { apiVersion: options.apiVersion as string });
      for (const element of lostElements(doc, regenerated?.root)) {
        if (warnings.some((w) => w.startsWith(`${where}: <${element}>`))) continue; // already said why
        warnings.push(warningText('ImportNotRoundTrip', [where, element, commandPrefix()]));
      }
    }
    if (doc.type.partial && entry.statuses === undefined) continue; // nothing Omni in it
    if (!specHolds(mapping, doc.fullName, entry)) {
      unrepresentable.push(doc);
      if (options.leaveOutUnrepresentable) continue;
    }
    if (mapping.keyed) {
      // Keyed by developer names from file names: null-prototype, so no name can reach Object.prototype.
      const section = (spec[mapping.specKey] ??= Object.create(null)) as Record<string, SpecEntry>;
      section[doc.fullName] = entry;
    } else {
      spec[mapping.specKey] = entry;
    }
  }
  return { spec: orderSections(spec) as OmniSpec, userAssignments, warnings, unrepresentable };
}

/** The warning for usernames left out of the spec (when they are not written to an assignment file). */
/** Whether the spec's schema takes the entry under its name (the compiled check first; zod only for one it refuses). */
function specHolds(mapping: TypeMapping, fullName: string, entry: SpecEntry): boolean {
  const spec = { [mapping.specKey]: mapping.keyed ? { [fullName]: entry } : entry };
  return parseValidSpec(spec) !== undefined || specSchema().safeParse(spec).success;
}

export function userAssignmentWarning(u: UserAssignment): string {
  return countText('deploy-output', 'import.usernamesLeftOut', u.users.length, [u.path ?? `${u.type} ${u.fullName}`, u.users.length, u.element.split('.').slice(0, 2).join('><')]);
}

/** One entry, minimal: keys equal to the default the generator writes anyway are dropped. */
export function modelToEntry(mapping: TypeMapping, model: Model): SpecEntry {
  const entry: SpecEntry = {};
  for (const row of mapping.fields) {
    const value = rowFromModel(row, model);
    if (value !== undefined) entry[row.key] = value;
  }
  for (const row of mapping.fields) {
    if (!row.alwaysEmit || !row.default || entry[row.key] === undefined) continue;
    const { [row.key]: value, ...rest } = entry;
    if (isDeepStrictEqual(value, row.default(rest))) delete entry[row.key];
  }
  return entry;
}

/** The usernames of a document (registry `userMembers`: presence configuration assignments, queue members). */
function findUsers(type: MetadataTypeDef, model: Model): Array<{ element: string; users: string[] }> {
  const element = type.userMembers?.path;
  if (!element) return [];
  const list = (v: unknown) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]).map(String);
  const value = element.split('.').reduce<unknown>((at, name) => (at as Model | undefined)?.[name], model);
  const users = list(value);
  return users.length ? [{ element, users }] : [];
}

/** Known elements present in the model that no row of the table reads (partial types excepted; unknown ones go to otherElements). */
function unmappedElements(type: MetadataTypeDef, mapping: TypeMapping, model: Model): string[] {
  if (type.partial) return [];
  const covered = new Set(mapping.fields.flatMap((r) => r.elements));
  return Object.keys(model).filter((k) => k !== '_unknown' && !covered.has(k) && model[k] !== undefined);
}

/** Nil elements read by a row with a transform (afterConversationWork, lists…): the spec has no way to say nil there. */
function nilInTransformedRows(mapping: TypeMapping, model: Model): string[] {
  return mapping.fields.filter((row) => !rowTakesNil(row)).flatMap((row) => row.elements.filter((e) => model[e] === null));
}

/**
 * Unknown elements → `otherElements` values: text, null for nil, a list for a repeated element, a mapping
 * for child elements. Elements with other attributes or mixed content have no such form: `refused`.
 */
export function otherElements(nodes: readonly XmlNode[] | undefined): { values: Record<string, OtherElementValue>; refused: string[] } {
  const values: Record<string, OtherElementValue> = {};
  const refused: string[] = [];
  for (const node of nodes ?? []) {
    const name = localName(node.name);
    const value = nodeToOther(node);
    if (value === undefined) {
      refused.push(name);
      continue;
    }
    if (!Object.hasOwn(values, name)) values[name] = value;
    else if (Array.isArray(values[name]) && (values[name] as unknown[]).length > 0 && repeatedNames.has(values[name] as object)) (values[name] as OtherElementValue[]).push(value);
    else {
      const list = [values[name], value];
      repeatedNames.add(list);
      values[name] = list;
    }
  }
  return { values, refused };
}

/**
 * Top-level elements of `doc` that `regenerated` does not have with the same value (user members,
 * which go to assignment files, aside). Values compare by content: child order and positions aside.
 */
function lostElements(doc: MetadataDocument, regenerated: XmlNode | undefined): string[] {
  // `assignments.users.user` → the `assignments/users` wrapper.
  const members = doc.type.userMembers?.path;
  const strip = new Set(members ? [members.split('.').slice(0, -1).join('/')] : []);
  const key = (node: XmlNode, trail: string): string => {
    const kids = node.children.filter((c) => !strip.has(`${trail}/${localName(c.name)}`));
    if (kids.length === 0 && node.children.length > 0) return `${localName(node.name)}{}`;
    return `${localName(node.name)}${node.nil ? '∅' : ''}=${node.text ?? ''}[${kids.map((c) => key(c, `${trail}/${localName(c.name)}`)).sort().join(',')}]`;
  };
  const available = new Map<string, number>();
  for (const child of regenerated?.children ?? []) {
    const k = key(child, localName(child.name));
    available.set(k, (available.get(k) ?? 0) + 1);
  }
  const lost: string[] = [];
  for (const child of doc.root.children) {
    const k = key(child, localName(child.name));
    if (k.endsWith('{}')) continue; // only user members inside: extracted, not lost
    const n = available.get(k) ?? 0;
    if (n > 0) available.set(k, n - 1);
    else if (!lost.includes(localName(child.name))) lost.push(localName(child.name));
  }
  return lost;
}

/**
 * Unknown elements below the top level, grouped by the path of their parent as otherElements path steps
 * (`queueMembers`, `skills[2]`: the position counts same-named siblings from 1, and is left out for an
 * element that occurs once).
 */
function nestedUnknown(model: Model, trail: string[]): Array<[string[], XmlNode[]]> {
  const out: Array<[string[], XmlNode[]]> = [];
  for (const [key, value] of Object.entries(model)) {
    if (key === '_unknown') {
      if (trail.length) out.push([trail, value as XmlNode[]]);
      continue;
    }
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      const step = items.length > 1 ? `${key}[${i + 1}]` : key;
      if (item && typeof item === 'object' && !Array.isArray(item)) out.push(...nestedUnknown(item as Model, [...trail, step]));
    });
  }
  return out;
}

/** Lists made from a repeated element (as opposed to a value that is itself a list). */
const repeatedNames = new WeakSet<object>();

function nodeToOther(node: XmlNode): OtherElementValue | undefined {
  const attributes = Object.keys(node.attributes ?? {}).filter((k) => !(k === 'nil' || k.endsWith(':nil')) && !k.startsWith('xmlns'));
  if (attributes.length) return undefined;
  if (node.nil) return null;
  if (node.children.length === 0) return node.text ?? '';
  if (node.text !== undefined && node.text.trim() !== '') return undefined;
  const out: Record<string, OtherElementValue> = {};
  for (const child of node.children) {
    const value = nodeToOther(child);
    if (value === undefined) return undefined;
    const name = localName(child.name);
    if (!Object.hasOwn(out, name)) out[name] = value;
    else if (Array.isArray(out[name]) && repeatedNames.has(out[name] as object)) (out[name] as OtherElementValue[]).push(value);
    else {
      const list = [out[name], value];
      repeatedNames.add(list);
      out[name] = list;
    }
  }
  return out;
}

const SECTION_ORDER = ['apiVersion', 'settings', 'channels', 'statuses', 'declineReasons', 'presenceConfigurations', 'routingConfigs', 'queues', 'permissionSets'];

function orderSections(spec: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SECTION_ORDER) if (spec[key] !== undefined) out[key] = spec[key];
  return out;
}

/**
 * The spec as YAML, with the editor modeline naming the JSON Schema (path relative to the YAML file).
 */
export function specToYaml(spec: OmniSpec, options: { schemaRef?: string; comment?: string } = {}): string {
  const doc = new Document(spec);
  const header: string[] = [];
  if (options.schemaRef) header.push(` yaml-language-server: $schema=${options.schemaRef}`);
  if (options.comment) header.push(...options.comment.split('\n').map((l) => ` ${l}`));
  if (header.length) doc.commentBefore = header.join('\n');
  return doc.toString({ lineWidth: 0 });
}
