/**
 * `omni import` over an existing spec: the imported content goes into the existing YAML document through
 * the `yaml` package's Document API, so every comment, the header, key order and quoting of what did not
 * change survive (https://eemeli.org/yaml/#documents). Only values that differ are replaced; new keys
 * and entries are appended; keys the import does not produce are removed, unless they state the default
 * the generator would apply anyway (a hand-written `allowDecline: true` next to decline reasons stays).
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, parseDocument, type Document } from 'yaml';
import { OTHER_ELEMENTS_KEY, TYPE_MAPPINGS, type SpecEntry, type TypeMapping } from './mapping.ts';
import type { OmniSpec } from './schema.ts';
import { messageText } from '../lib/messages.ts';

export interface MergeResult {
  /** The merged YAML text. */
  text: string;
  /** Entries of the existing spec the import does not have (`channels.Chat`, `settings`): removed from `text`. */
  removed: string[];
}

export interface MergeError {
  /** The existing file is not valid YAML (or not a mapping): line/column of the first problem. */
  invalid: { message: string; line: number; column: number };
}

/**
 * Merges `spec` into the YAML text `existing`; never throws for bad YAML (returns `invalid`). `keep` names
 * entries (`presenceConfigurations.miaw`, `settings`) to leave as they are although `spec` lacks them: those
 * of files the import refused, which are there but could not be read.
 */
export function mergeSpecIntoYaml(existing: string, spec: OmniSpec, keep: ReadonlySet<string> = new Set()): MergeResult | MergeError {
  const doc = parseDocument(existing, { keepSourceTokens: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    return { invalid: { message: e.message.split('\n')[0], line: e.linePos?.[0].line ?? 1, column: e.linePos?.[0].col ?? 1 } };
  }
  if (doc.contents !== null && !isMap(doc.contents)) return { invalid: { message: messageText('deploy-output', 'import.specNotMapping'), line: 1, column: 1 } };
  const current = (doc.toJS() ?? {}) as Record<string, unknown>;
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  const removed: string[] = [];
  const added = new Set<string>();
  const incoming = spec as Record<string, unknown>;
  for (const mapping of TYPE_MAPPINGS) {
    const key = mapping.specKey;
    const next = incoming[key] as Record<string, unknown> | undefined;
    const before = current[key] as Record<string, unknown> | undefined | null;
    if (next === undefined) {
      if (before === undefined) continue;
      const kept = mapping.keyed && before && typeof before === 'object' ? Object.keys(before).filter((n) => keep.has(`${key}.${n}`)) : keep.has(key) ? [key] : [];
      if (kept.length === 0) {
        removed.push(...(mapping.keyed && before ? Object.keys(before).map((n) => `${key}.${n}`) : [key]));
        doc.deleteIn([key]);
      } else if (mapping.keyed && before) {
        for (const name of Object.keys(before)) {
          if (kept.includes(name)) continue;
          removed.push(`${key}.${name}`);
          doc.deleteIn([key, name]);
        }
      }
      continue;
    }
    if (before === undefined) added.add(key);
    if (!mapping.keyed) {
      mergeEntry(doc, [key], before, next, mapping);
      continue;
    }
    if (!before || typeof before !== 'object' || !isMap(doc.getIn([key]))) {
      doc.setIn([key], doc.createNode(next));
      continue;
    }
    for (const name of Object.keys(before)) {
      if (!Object.hasOwn(next, name) && !keep.has(`${key}.${name}`)) {
        removed.push(`${key}.${name}`);
        doc.deleteIn([key, name]);
      }
    }
    for (const [name, entry] of Object.entries(next)) {
      mergeEntry(doc, [key, name], before[name] as Record<string, unknown> | undefined, entry as SpecEntry, mapping);
    }
  }
  placeAddedSections(doc, added);
  // flowCollectionPadding false: `[a, b]` stays as written (the default pads to `[ a, b ]`).
  return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: false }), removed };
}

function mergeEntry(doc: Document, at: string[], before: unknown, next: SpecEntry, mapping: TypeMapping): void {
  if (!before || typeof before !== 'object' || Array.isArray(before) || !isMap(doc.getIn(at))) {
    doc.setIn(at, doc.createNode(next));
    return;
  }
  const old = before as Record<string, unknown>;
  for (const key of Object.keys(old)) {
    if (Object.hasOwn(next, key)) continue;
    // A key the import left out because it equals the default: the author wrote it on purpose, keep it.
    const row = mapping.fields.find((r) => r.key === key);
    if (row?.default && isDeepStrictEqual(old[key], row.default(next))) continue;
    doc.deleteIn([...at, key]);
  }
  for (const [key, value] of Object.entries(next)) {
    if (isDeepStrictEqual(old[key], value)) continue;
    // A changed mapping (otherElements, afterConversationWork) is merged key by key to keep inner comments.
    if (isPlainObject(value) && isPlainObject(old[key]) && isMap(doc.getIn([...at, key])) && key !== OTHER_ELEMENTS_KEY) {
      for (const inner of Object.keys(old[key] as object)) if (!Object.hasOwn(value, inner)) doc.deleteIn([...at, key, inner]);
      for (const [inner, v] of Object.entries(value)) {
        if (!isDeepStrictEqual((old[key] as Record<string, unknown>)[inner], v)) doc.setIn([...at, key, inner], doc.createNode(v));
      }
      continue;
    }
    doc.setIn([...at, key], doc.createNode(value));
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Sections the import added go where they belong among the existing ones (dependency order), not at the end. */
function placeAddedSections(doc: Document, added: ReadonlySet<string>): void {
  const root = doc.contents;
  if (!isMap(root) || added.size === 0) return;
  const order = ['apiVersion', ...TYPE_MAPPINGS.map((m) => m.specKey)];
  const keyOf = (item: (typeof root.items)[number]) => String((item.key as { value?: unknown } | null)?.value ?? item.key);
  for (const section of order.filter((k) => added.has(k))) {
    const from = root.items.findIndex((item) => keyOf(item) === section);
    if (from < 0) continue;
    const [item] = root.items.splice(from, 1);
    const rank = order.indexOf(section);
    // Before the first existing section that comes after it in the order.
    let to = root.items.findIndex((other) => order.indexOf(keyOf(other)) > rank);
    if (to < 0) to = root.items.length;
    root.items.splice(to, 0, item);
  }
}
