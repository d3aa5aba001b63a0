/**
 * parseXml's well-formedness verdict against xmllint's (the same tool that checks generated XML): random
 * element trees with attributes, text, references, comments, CDATA and processing instructions, some of
 * them broken by one mutation (a wrong end tag, a stray character, a bad reference…). One xmllint run
 * checks all of them; each file must be rejected by both or accepted by both.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { parseXml } from '../../scripts/metadata/xml.ts';

const name = fc.constantFrom('a', 'b', 'c1', '_x', 'd-e', 'f.g', 'Label');
const attribute = fc.tuple(fc.constantFrom('x', 'y', 'w', 'z-1'), fc.constantFrom('1', 'a b', 'x>y', "it's", '&amp;', '&lt;b', '')).map(
  ([key, value]) => (value.includes("'") ? `${key}="${value}"` : fc.sample(fc.boolean(), 1)[0] ? `${key}="${value}"` : `${key}='${value}'`),
);
const text = fc.constantFrom('x', ' ', '\n  ', 'a &amp; b', '&#65;&#x42;', '1 > 0', '<!-- note -->', '<![CDATA[<z> & ]]>', '<?pi data?>', 'tail text');

interface Tree {
  name: string;
  attributes: string[];
  content: (Tree | string)[];
}

const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.record({
    name,
    attributes: fc.uniqueArray(attribute, { maxLength: 2, selector: (a) => a.split('=')[0] }),
    content: fc.array(fc.oneof({ weight: 2, arbitrary: text }, { weight: 1, arbitrary: tie('node') }), { maxLength: 3 }),
  }),
})).node;

function render(node: Tree): string {
  const open = [node.name, ...node.attributes].join(' ');
  return node.content.length ? `<${open}>${node.content.map((c) => (typeof c === 'string' ? c : render(c))).join('')}</${node.name}>` : `<${open}/>`;
}

/** One mutation that may or may not break the document; 'none' keeps it as generated. */
const mutation = fc.constantFrom('none', 'none', 'wrong-end', 'bare-amp', 'undefined-entity', 'bad-charref', 'lt-in-attr', 'cdata-end', 'double-dash', 'second-root', 'text-outside', 'late-decl', 'cut', 'dup-attr', 'no-space-attr', 'bad-name');

function mutate(xml: string, kind: string, at: number): string {
  const i = Math.floor(at * xml.length);
  const insert = (s: string) => xml.slice(0, i) + s + xml.slice(i);
  switch (kind) {
    case 'wrong-end':
      return xml.replace(/<\/([\w.-]+)>/, '</zz>');
    case 'bare-amp':
      return xml.replace(/>([^<]*)</, '>$1 & <');
    case 'undefined-entity':
      return xml.replace(/>([^<]*)</, '>$1&nbsp;<');
    case 'bad-charref':
      return xml.replace(/>([^<]*)</, '>$1&#1;<');
    case 'lt-in-attr':
      return xml.replace(/^<([\w.-]+)/, '<$1 q="a<b"');
    case 'cdata-end':
      return xml.replace(/>([^<]*)</, '>$1]]><');
    case 'double-dash':
      return `<!-- a -- b -->${xml}`;
    case 'second-root':
      return `${xml}<a/>`;
    case 'text-outside':
      return `${xml}text`;
    case 'late-decl':
      return `${xml}<?xml version="1.0"?>`;
    case 'cut':
      return xml.slice(0, i);
    case 'dup-attr':
      return xml.replace(/^<([\w.-]+)/, '<$1 k="1" k="2"');
    case 'no-space-attr':
      return xml.replace(/^<([\w.-]+)/, '<$1 k="1"j="2"');
    case 'bad-name':
      return insert('<1a/>');
    default:
      return xml;
  }
}

const documents = fc.tuple(fc.boolean(), tree, mutation, fc.double({ min: 0, max: 1, noNaN: true })).map(
  ([declaration, root, kind, at]) => mutate(`${declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : ''}${render(root)}\n`, kind, at),
);

const dir = mkdtempSync(path.join(tmpdir(), 'omni-xml-wf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseXml well-formedness', () => {
  test('accepts and rejects exactly what xmllint accepts and rejects (property, one xmllint run)', () => {
    const samples = fc.sample(documents, { numRuns: 400, seed: 20261129 });
    const files = samples.map((xml, i) => {
      const file = path.join(dir, `${i}.xml`);
      writeFileSync(file, xml);
      return file;
    });
    const run = spawnSync('xmllint', ['--noout', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.error) throw run.error;
    const rejected = new Set<string>();
    for (const line of run.stderr.split('\n')) {
      const match = /^(.*?\.xml):\d+: /.exec(line);
      if (match) rejected.add(match[1]);
    }
    const disagreements = samples
      .map((xml, i) => ({ xml, xmllint: rejected.has(files[i]) ? 'rejects' : 'accepts', omni: parseXml(xml).error ? 'rejects' : 'accepts', error: parseXml(xml).error?.message }))
      .filter((r) => r.xmllint !== r.omni);
    expect(disagreements).toEqual([]);
    // The sample exercises both verdicts.
    expect(rejected.size).toBeGreaterThan(50);
    expect(samples.length - rejected.size).toBeGreaterThan(50);
  });
});
