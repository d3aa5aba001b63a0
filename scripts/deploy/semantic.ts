/**
 * Semantic comparison of two metadata documents, for `omni plan`: what Salesforce would treat as
 * the same is equal here. Repeated elements are sets (a status's channels, decline reasons,
 * assignments — the org returns them in any order), profile names compare case-insensitively (and
 * URL-decoded), and an absent element equals its platform default (booleans false; the registry's
 * `platformDefault`s: enableRequestSound true, interruptibleCapacity = capacity, a channel's capacityModel
 * TAB_BASED). Empty wrappers equal absent ones.
 */
import { METADATA_TYPES, type ElementDef } from '../metadata/registry.ts';

/** The structural part of the metadata parser's node that this module needs. */
export interface SemNode {
  name: string;
  children: SemNode[];
  text?: string;
  nil?: boolean;
}

export interface FieldChange {
  /** Dotted element path, e.g. `capacity`, `assignments.users.user`. */
  field: string;
  old: string | string[] | null;
  new: string | string[] | null;
}

type Value = string | null | Record<string, Value[]>;

/** Elements whose values are case-insensitive names. */
const CASE_INSENSITIVE = new Set(['PresenceUserConfig:assignments.profiles.profile', 'PresenceUserConfig:assignments.users.user']);

/** Platform defaults applied when an element is absent (type:path → value, or a function of the document), from the registry. */
const DEFAULTS = new Map<string, string | ((root: Record<string, Value[]>) => string | null)>();
for (const type of METADATA_TYPES) {
  const walk = (elements: readonly ElementDef[], prefix: string) => {
    for (const e of elements) {
      const path = prefix + e.name;
      const d = e.platformDefault;
      // A sibling's value (interruptibleCapacity = capacity): sameAs names an element of the same parent.
      if (typeof d === 'string') DEFAULTS.set(`${type.name}:${path}`, d);
      else if (d) DEFAULTS.set(`${type.name}:${path}`, (root) => leaf(root[d.sameAs]));
      if (e.children) walk(e.children, `${path}.`);
    }
  };
  walk(type.elements, '');
}

function leaf(values: Value[] | undefined): string | null {
  const v = values?.[0];
  return typeof v === 'string' ? v : null;
}

function normalizeLeaf(type: string, path: string, text: string): string {
  const t = text.trim();
  if (!CASE_INSENSITIVE.has(`${type}:${path}`)) return t;
  let decoded = t;
  try {
    decoded = decodeURIComponent(t);
  } catch {
    // not URL-encoded
  }
  return decoded.toLowerCase();
}

function toValue(type: string, node: SemNode, path: string): Value {
  if (node.nil) return null;
  if (node.children.length === 0) return normalizeLeaf(type, path, node.text ?? '');
  const obj: Record<string, Value[]> = {};
  for (const c of node.children) {
    const childPath = path ? `${path}.${c.name}` : c.name;
    const v = toValue(type, c, childPath);
    if (v !== null && typeof v === 'object' && Object.keys(v).length === 0) continue;
    (obj[c.name] ??= []).push(v);
  }
  return obj;
}

const canon = (v: Value): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? sortKeys(x) : x));
function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) {
    const v = o[k];
    out[k] = Array.isArray(v) ? [...v].map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).sort() : v;
  }
  return out;
}

function display(values: Value[] | undefined): string | string[] | null {
  if (!values || values.length === 0) return null;
  const shown = values.map((v) => (typeof v === 'string' ? v : v === null ? 'nil' : canon(v))).sort();
  return shown.length === 1 ? shown[0] : shown;
}

function withDefault(type: string, path: string, values: Value[] | undefined, root: Record<string, Value[]>): Value[] | undefined {
  if (values?.length) return values;
  const d = DEFAULTS.get(`${type}:${path}`);
  if (d === undefined) return values;
  const v = typeof d === 'function' ? d(root) : d;
  return v === null ? values : [v];
}

const isFalse = (values: Value[] | undefined) => values?.length === 1 && values[0] === 'false';

/** Field-level differences between the org's document and the source's (empty: semantically equal). */
export function diffDocuments(type: string, orgRoot: SemNode, sourceRoot: SemNode): FieldChange[] {
  const a = toValue(type, orgRoot, '') as Record<string, Value[]>;
  const b = toValue(type, sourceRoot, '') as Record<string, Value[]>;
  const changes: FieldChange[] = [];
  compareObjects(type, '', a, b, a, b, changes);
  return changes;
}

function compareObjects(
  type: string,
  prefix: string,
  a: Record<string, Value[]>,
  b: Record<string, Value[]>,
  rootA: Record<string, Value[]>,
  rootB: Record<string, Value[]>,
  changes: FieldChange[],
): void {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key of keys) {
    const path = prefix ? `${prefix}.${key}` : key;
    const va = withDefault(type, path, a[key], rootA);
    const vb = withDefault(type, path, b[key], rootB);
    if ((!va?.length && isFalse(vb)) || (!vb?.length && isFalse(va))) continue;
    // A single wrapper element on both sides (assignments, channels): descend, so the change is precise.
    if (va?.length === 1 && vb?.length === 1 && isObject(va[0]) && isObject(vb[0])) {
      compareObjects(type, path, va[0], vb[0], rootA, rootB, changes);
      continue;
    }
    if (va?.length === 1 && isObject(va[0]) && !vb?.length) {
      compareObjects(type, path, va[0], {}, rootA, rootB, changes);
      continue;
    }
    if (vb?.length === 1 && isObject(vb[0]) && !va?.length) {
      compareObjects(type, path, {}, vb[0], rootA, rootB, changes);
      continue;
    }
    const sa = (va ?? []).map(canon).sort();
    const sb = (vb ?? []).map(canon).sort();
    if (sa.length === sb.length && sa.every((x, i) => x === sb[i])) continue;
    changes.push({ field: path, old: display(va), new: display(vb) });
  }
}

function isObject(v: Value): v is Record<string, Value[]> {
  return v !== null && typeof v === 'object';
}

/** `capacity: 5 → 20`, lists as `[a, b]`, absent as `(none)`. */
export function formatChange(fullName: string, change: FieldChange): string {
  const show = (v: FieldChange['old']) => (v === null ? '(none)' : Array.isArray(v) ? `[${v.join(', ')}]` : v);
  return `${fullName}.${change.field}: ${show(change.old)} → ${show(change.new)}`;
}
