/** Where a value sits in a YAML file, for file:line:col messages about the spec and assignment files. */
import type { Document, LineCounter, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { yamlPackage } from './yaml-package.ts';

// The package's own type tests, through its lazy loader (a Document to walk means it is loaded already).
const isMap = (node: unknown): node is YAMLMap => yamlPackage().isMap(node);
const isSeq = (node: unknown): node is YAMLSeq => yamlPackage().isSeq(node);
const isScalar = (node: unknown): node is Scalar => yamlPackage().isScalar(node);

export interface YamlPosition {
  line: number;
  column: number;
}

/**
 * Each mapping's pairs by key, built the first time a path goes through it: a spec with 10,000
 * configurations is located key by key, and a scan of the section per key would be quadratic. The first
 * pair wins, as with a scan (a duplicate key is reported by the parser itself).
 */
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();
const SCAN_PAIRS = 16;

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  // A small mapping (an entry's few keys) is scanned: cheaper than an index per mapping for 10,000 entries.
  if (map.items.length <= SCAN_PAIRS) {
    for (const pair of map.items) if (String(isScalar(pair.key) ? pair.key.value : pair.key) === key) return pair;
    return undefined;
  }
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
      if (!index.has(name)) index.set(name, pair);
    }
    pairIndex.set(map, index);
  }
  return index.get(key);
}

/**
 * The position of the value at `path` (keys and sequence indexes), or of its key when `atKey` is set or
 * the key has no value (`label:`). A path that leaves the document points at the deepest node found.
 * Costs O(path length) per call after one pass over each mapping it goes through; the document must not
 * be edited between calls (the index would be stale).
 */
export function yamlPosition(doc: Document.Parsed, lineCounter: LineCounter, path: readonly (string | number)[], atKey = false): YamlPosition {
  return positionOf(descend(doc.contents, doc.contents, path, atKey), lineCounter);
}

/**
 * The node `path` leads to from `start` (a value, or its key when `atKey` is set or it has no value), or the
 * deepest one found on the way; `found` is what an empty path gives.
 */
function descend(start: unknown, found: unknown, path: readonly (string | number)[], atKey: boolean): unknown {
  let node = start;
  let best = found;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const pair = pairOf(node, String(segment));
      if (!pair) break;
      node = pair.value;
      best = i === path.length - 1 && atKey ? pair.key : (node ?? pair.key);
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      best = node;
    } else break;
  }
  return best;
}

/**
 * yamlPosition for paths below `scope`, walking `scope` once: `at(rest, atKey)` is
 * `yamlPosition(doc, lineCounter, [...scope, ...rest], atKey)`, without going through the document from
 * its root again for every key of an entry (10,000 entries × their keys).
 */
export function yamlScope(
  doc: Document.Parsed,
  lineCounter: LineCounter,
  scope: readonly (string | number)[],
): (rest: readonly (string | number)[], atKey?: boolean) => YamlPosition {
  let node: unknown = doc.contents;
  let best: unknown = node;
  let keyBest: unknown = node;
  for (const segment of scope) {
    if (isMap(node)) {
      const pair = pairOf(node, String(segment));
      if (!pair) return (rest, atKey = false) => yamlPosition(doc, lineCounter, [...scope, ...rest], atKey);
      node = pair.value;
      best = node ?? pair.key;
      keyBest = pair.key;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      best = keyBest = node;
    } else return (rest, atKey = false) => yamlPosition(doc, lineCounter, [...scope, ...rest], atKey);
  }
  const start = node;
  const startBest = best;
  const startKeyBest = keyBest;
  return (rest, atKey = false) => positionOf(descend(start, rest.length === 0 && atKey ? startKeyBest : startBest, rest, atKey), lineCounter);
}

function positionOf(node: unknown, lineCounter: LineCounter): YamlPosition {
  const offset = (node as Node | undefined)?.range?.[0];
  if (offset === undefined) return { line: 1, column: 1 };
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}
