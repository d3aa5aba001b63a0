/**
 * The first entry per name compared without case (`a.toLowerCase() === b.toLowerCase()`), without a lower-cased
 * copy of each name: a `Map` keyed by `name.toLowerCase()` makes a new string for every name with an upper-case
 * letter and keeps it for the map's life. The validator's project rules look 10,000 configuration names and
 * 10,000 profile names up this way at the end of a run, where those strings and the maps' growth were promoted to
 * V8's old generation and set the run's peak memory (bench/RESULTS.md, "Validate at scale").
 *
 * Entries are numbers the caller gives (an index into its own list); `nameOf` reads an entry's name. The table is
 * open addressing over typed arrays (the entry and the name's hash per slot), grown by doubling at half full.
 * ASCII names are folded character by character as `toLowerCase` folds them; a name with any other character is
 * lower-cased by `toLowerCase` itself (Unicode case mapping can change its length: `İ` → `i̇`).
 */
export class FirstByFoldedName {
  /** Entry + 1 per slot; 0: empty. */
  private entries: Int32Array;
  private hashes: Int32Array;
  private used = 0;
  private readonly nameOf: (entry: number) => string;

  /** `nameOf` gives an entry's name; `expected`: how many names will be added (sizes the table). */
  constructor(nameOf: (entry: number) => string, expected = 8) {
    this.nameOf = nameOf;
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.entries = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
  }

  /** How many distinct folded names the table holds. */
  get size(): number {
    return this.used;
  }

  /** The first entry added whose name equals `name` without case, or -1. */
  find(name: string): number {
    const hash = foldedHash(name);
    const mask = this.entries.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = this.entries[slot];
      if (held === 0) return -1;
      if (this.hashes[slot] === hash && foldedEquals(this.nameOf(held - 1), name)) return held - 1;
    }
  }

  /**
   * Adds `entry` under its name unless an entry with the same name without case is there already; returns the
   * entry the table holds for that name (`entry` itself when it was the first).
   */
  add(entry: number): number {
    const name = this.nameOf(entry);
    const hash = foldedHash(name);
    const mask = this.entries.length - 1;
    let slot = hash & mask;
    for (; ; slot = (slot + 1) & mask) {
      const held = this.entries[slot];
      if (held === 0) break;
      if (this.hashes[slot] === hash && foldedEquals(this.nameOf(held - 1), name)) return held - 1;
    }
    this.entries[slot] = entry + 1;
    this.hashes[slot] = hash;
    if (++this.used * 2 > this.entries.length) this.grow();
    return entry;
  }

  private grow(): void {
    const entries = this.entries;
    const hashes = this.hashes;
    this.entries = new Int32Array(entries.length * 2);
    this.hashes = new Int32Array(entries.length * 2);
    const mask = this.entries.length - 1;
    for (let i = 0; i < entries.length; i++) {
      if (entries[i] === 0) continue;
      let slot = hashes[i] & mask;
      while (this.entries[slot] !== 0) slot = (slot + 1) & mask;
      this.entries[slot] = entries[i];
      this.hashes[slot] = hashes[i];
    }
  }
}

/** FNV-1a over the UTF-16 code units of `text.toLowerCase()`; ASCII text is folded in place, without the copy. */
export function foldedHash(text: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 128) return hashOf(text.toLowerCase());
    if (c >= 65 && c <= 90) c += 32;
    hash = Math.imul(hash ^ c, 0x01000193);
  }
  return hash;
}

function hashOf(text: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

/** `a.toLowerCase() === b.toLowerCase()`, without either copy when both are ASCII. */
export function foldedEquals(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return !(ascii(a) && ascii(b)) && a.toLowerCase() === b.toLowerCase();
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 128 || y >= 128) return a.toLowerCase() === b.toLowerCase();
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}

function ascii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}
