/** Where a value sits in a YAML file, for file:line:col messages about the spec and assignment files. */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface YamlPosition {
  line: number;
  column: number;
}

/**
 * The position of the value at `path` (keys and sequence indexes), or of its key when `atKey` is set or
 * the key has no value (`label:`). A path that leaves the document points at the deepest node found.
 */
export function yamlPosition(doc: Document.Parsed, lineCounter: LineCounter, path: readonly (string | number)[], atKey = false): YamlPosition {
  let node: unknown = doc.contents;
  let best: unknown = node;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment));
      if (!pair) break;
      node = pair.value;
      best = i === path.length - 1 && atKey ? pair.key : (node ?? pair.key);
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      best = node;
    } else break;
  }
  const offset = (best as Node | undefined)?.range?.[0];
  if (offset === undefined) return { line: 1, column: 1 };
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}
