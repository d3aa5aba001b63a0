/**
 * `sameAsEntry` (scripts/yaml-spec/compile.ts) answers, without building it, whether an XML file's top-level
 * elements are those of a spec entry's document: `omni validate` asks it of every file generated from the spec
 * (scripts/validate/held.ts). Held here to the document itself — built by `compiledEntryDocument` (fromModel) and
 * compared node by node, as a rule reads nodes (names, texts, nil, attributes, shape) — over the corpus's files
 * imported into specs, the project's spec and the golden spec, at two API versions, as generated and edited.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, test } from 'vitest';
import { parseMetadata } from '../../scripts/metadata/document.ts';
import { typeForFile } from '../../scripts/metadata/registry.ts';
import { serializeMetadata } from '../../scripts/metadata/serialize.ts';
import type { XmlNode } from '../../scripts/metadata/xml.ts';
import { compileSpecEntry, compiledEntryDocument, eachSpecEntry, entryPlacement, sameAsEntry, specEntryPlacement, type CompiledEntry } from '../../scripts/yaml-spec/compile.ts';
import { documentsToSpec } from '../../scripts/yaml-spec/import.ts';
import { loadSpec } from '../../scripts/yaml-spec/load.ts';
import { TYPE_MAPPINGS } from '../../scripts/yaml-spec/mapping.ts';
import type { OmniSpec } from '../../scripts/yaml-spec/schema.ts';
import { SHARED } from '../helpers/paths.ts';

const CORPUS = path.join(SHARED, 'omni-presence-corpus');
const SPEC_TYPES = new Set(TYPE_MAPPINGS.map((m) => m.type));
const REPO = path.resolve(import.meta.dirname, '../..');

/** Two nodes as a rule reads them: the same name, text, nil, attributes and children (positions aside). */
function sameTree(a: XmlNode, b: XmlNode): boolean {
  return (
    a.name === b.name &&
    a.text === b.text &&
    a.nil === b.nil &&
    isDeepStrictEqual(a.attributes, b.attributes) &&
    a.children.length === b.children.length &&
    a.children.every((c, i) => sameTree(c, b.children[i]))
  );
}

/** The entry's document, as its file: written and parsed back (the parser's nodes, as validate compares). */
function asFile(entry: CompiledEntry, api: number): XmlNode[] {
  const doc = compiledEntryDocument(entry, api, {});
  const parsed = parseMetadata(serializeMetadata(doc), { path: `force-app/main/default/${doc.type.directoryName}/${doc.fullName}.${doc.type.suffix}-meta.xml` });
  if (!parsed.document) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.document.root.children;
}

function entriesOf(spec: OmniSpec): CompiledEntry[] {
  const out: CompiledEntry[] = [];
  eachSpecEntry(spec, (mapping, name, entry) => out.push(compileSpecEntry(mapping, name, entry)));
  return out;
}

let loaded: Promise<OmniSpec[]> | undefined;
/** The specs below, read once for the file's tests. */
function specs(): Promise<OmniSpec[]> {
  loaded ??= readSpecs();
  return loaded;
}

async function readSpecs(): Promise<OmniSpec[]> {
  const out: OmniSpec[] = [];
  for (const file of ['config/omni-channel.yaml', 'test/generate/golden/spec.yaml']) {
    const loaded = await loadSpec(path.join(REPO, file), { projectRoot: REPO });
    expect(loaded.spec).toBeDefined();
    out.push(loaded.spec!);
  }
  // Each corpus file of a spec type, imported: nil values, nested lists, elements omni does not model (otherElements).
  for (const file of readdirSync(CORPUS)) {
    const typed = typeForFile(file.split('__').pop() as string);
    if (!typed || !SPEC_TYPES.has(typed.type.name)) continue;
    const { document } = parseMetadata(readFileSync(path.join(CORPUS, file), 'utf8'), { path: `force-app/main/default/${typed.type.directoryName}/${file.split('__').pop()}` });
    if (document) out.push(documentsToSpec([document]));
  }
  // Elements omni does not model, nested (otherElements with paths): test/fixtures/nested-unknowns.
  const nested = path.join(REPO, 'test/fixtures/nested-unknowns/force-app/main/default');
  const documents = readdirSync(nested, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('-meta.xml'))
    .map((f) => parseMetadata(readFileSync(path.join(nested, f), 'utf8'), { path: `force-app/main/default/${f}` }).document!);
  out.push(documentsToSpec(documents));
  return out;
}

/** One edit of a tree a validator could meet in a file that drifted from its spec. */
type Edit = (children: XmlNode[]) => void;
const editAt = (pick: number, edit: (node: XmlNode, siblings: XmlNode[], at: number) => void): Edit => (children) => {
  const all: [XmlNode, XmlNode[], number][] = [];
  const walk = (nodes: XmlNode[]) => {
    for (const [i, n] of nodes.entries()) {
      all.push([n, nodes, i]);
      walk(n.children);
    }
  };
  walk(children);
  if (all.length) edit(...all[pick % all.length]);
};
const edits: fc.Arbitrary<Edit> = fc.oneof(
  fc.tuple(fc.nat(), fc.constantFrom('', '0', 'true', 'x', 'Config 1', '1.0')).map(([p, text]) => editAt(p, (n) => void (n.text = text))),
  fc.nat().map((p) => editAt(p, (n) => void (n.nil = !n.nil))),
  fc.nat().map((p) => editAt(p, (n) => void (n.attributes = n.attributes ? undefined : { 'xsi:nil': 'true' }))),
  fc.nat().map((p) => editAt(p, (n) => void (n.name = `${n.name}s`))),
  fc.nat().map((p) => editAt(p, (_n, siblings, at) => void siblings.splice(at, 1))),
  fc.nat().map((p) => editAt(p, (n, siblings, at) => void siblings.splice(at, 0, { ...n }))),
  fc.nat().map((p) => editAt(p, (n) => void (n.children = [...n.children, { name: 'extra', text: '1', children: [], line: 0, column: 0 }]))),
  fc.nat().map((p) => editAt(p, (n) => void (n.text = undefined))),
);

describe('sameAsEntry: an XML file against a spec entry, without building its document', () => {
  test('as generated, and after any edits: the answer of the document itself (or none, then it is built)', async () => {
    const all = await specs();
    expect(all.length).toBeGreaterThan(100);
    let walked = 0;
    let unwalked = 0;
    for (const api of [64, 66]) {
      for (const spec of all) {
        for (const entry of entriesOf(spec)) {
          const own = compiledEntryDocument(entry, api, {}).root.children;
          const file = asFile(entry, api);
          const answer = sameAsEntry(entry.mapping, entry.entry, api, file);
          if (answer === undefined) {
            unwalked++;
            continue;
          }
          walked++;
          expect(answer).toBe(true);
          fc.assert(
            fc.property(fc.array(edits, { minLength: 1, maxLength: 3 }), (changes) => {
              const edited = structuredClone(file);
              for (const change of changes) change(edited);
              const expected = own.length === edited.length && own.every((n, i) => sameTree(n, edited[i]));
              expect(sameAsEntry(entry.mapping, entry.entry, api, edited)).toBe(expected);
            }),
            { numRuns: 12 },
          );
        }
      }
    }
    // Both answers occur: entries with otherElements are left to the built document.
    expect(walked).toBeGreaterThan(200);
    expect(unwalked).toBeGreaterThan(0);
  });

  test("what a row says of its elements (mapping.ts elementValue, and the elements it lists) is its toElements'", async () => {
    // sameAsEntry reads an element's value from the rows that list it, through elementValue where a row has it.
    const all = await specs();
    const acw = [{ seconds: 30 }, { seconds: 60, extensions: { seconds: 20, max: 3 } }, false];
    let checked = 0;
    for (const spec of all) {
      for (const entry of entriesOf(spec)) {
        for (const row of entry.mapping.fields) {
          if (!row.toElements) continue;
          const values = [entry.entry[row.key], ...(row.elementValue ? acw : [])].filter((v) => v !== undefined);
          for (const value of values) {
            const written = row.toElements(value);
            for (const el of written) expect(row.elements).toContain(el.element);
            if (!row.elementValue) continue;
            for (const element of row.elements) {
              const last = written.findLast((el) => el.element === element);
              expect(row.elementValue(value, element)).toStrictEqual(last?.value);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  test('a twin placed from the entry (specEntryPlacement) where the compiled entry places it (entryPlacement)', async () => {
    // The locator answers with the path it is asked for: the two must ask for the same paths.
    const within = (scope: readonly (string | number)[]) => (rest: readonly (string | number)[], key?: boolean) => JSON.stringify([...scope, ...rest, key === true]);
    const acw = [{ seconds: 30 }, { seconds: 60, extensions: { seconds: 20, max: 3 } }, false];
    let placed = 0;
    for (const spec of await specs()) {
      for (const entry of entriesOf(spec)) {
        const name = entry.mapping.keyed ? (entry.path[1] as string) : entry.mapping.specKey;
        // As in the spec, and with each wrap-up form where the type has one (a row that writes several elements).
        const variants = [entry.entry, ...(entry.mapping.fields.some((row) => row.key === 'afterConversationWork') ? acw.map((v) => ({ ...entry.entry, afterConversationWork: v })) : [])];
        for (const value of variants) {
          const compiled = compileSpecEntry(entry.mapping, name, value);
          const expected = entryPlacement(compiled, within);
          const actual = specEntryPlacement(entry.mapping, name, value, within);
          expect(actual.root).toBe(expected.root);
          const names = [...compiled.elements.map((el) => el.element), ...(compiledEntryDocument(compiled, 66, {}).root.children.map((n) => n.name)), 'unknownElement'];
          for (const element of new Set(names)) {
            for (const index of [0, 1, 2]) {
              expect(actual.child(element, index)).toBe(expected.child(element, index));
              placed++;
            }
          }
        }
      }
    }
    expect(placed).toBeGreaterThan(1000);
  });

  test('an element the API version lacks is not written, so a file that has it differs', () => {
    // interruptibleCapacity (API 65.0+) written at 66.0, compared at 64.0.
    const spec = { presenceConfigurations: { P: { label: 'P', capacity: 2, interruptibleCapacity: 1 } } } as unknown as OmniSpec;
    const [entry] = entriesOf(spec);
    expect(sameAsEntry(entry.mapping, entry.entry, 66, asFile(entry, 66))).toBe(true);
    expect(sameAsEntry(entry.mapping, entry.entry, 64, asFile(entry, 66))).toBe(false);
    expect(sameAsEntry(entry.mapping, entry.entry, 64, asFile(entry, 64))).toBe(true);
  });
});
