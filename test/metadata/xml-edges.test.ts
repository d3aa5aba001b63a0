/**
 * XML edge cases the corpus does not contain but hand-edited or tool-written files can: line breaks as
 * XML defines them (CRLF and a lone CR), '<' inside attribute values, character references to characters
 * XML forbids, CR inside values, and unknown elements that carry attributes.
 */
import { describe, expect, test } from 'vitest';
import { parseMetadata } from '../../scripts/metadata/document.ts';
import { fromModel, toModel } from '../../scripts/metadata/model.ts';
import { getType } from '../../scripts/metadata/registry.ts';
import { escapeXml, serializeMetadata } from '../../scripts/metadata/serialize.ts';
import { parseXml } from '../../scripts/metadata/xml.ts';

const NS = 'http://soap.sforce.com/2006/04/metadata';
const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const PUC = getType('PresenceUserConfig');

function puc(...body: string[]): string {
  return [DECL, `<PresenceUserConfig xmlns="${NS}">`, ...body.map((l) => `    ${l}`), '</PresenceUserConfig>', ''].join('\n');
}

const positions = (source: string) => {
  const { root, error } = parseXml(source);
  expect(error).toBeUndefined();
  const out: string[] = [];
  const walk = (n: NonNullable<typeof root>) => {
    out.push(`${n.name}@${n.line}:${n.column}`);
    n.children.forEach(walk);
  };
  walk(root!);
  return out;
};

describe('line breaks', () => {
  test('a lone CR is a line break, like CRLF and LF (XML 1.0 §2.11)', () => {
    const lf = '<a>\n  <b>x</b>\n  <c>y</c>\n</a>';
    const expected = ['a@1:1', 'b@2:3', 'c@3:3'];
    expect(positions(lf)).toEqual(expected);
    expect(positions(lf.replace(/\n/g, '\r\n'))).toEqual(expected);
    expect(positions(lf.replace(/\n/g, '\r'))).toEqual(expected);
  });

  test('malformed XML after lone CRs is reported on the right line', () => {
    expect(parseXml('<a>\r\r  <b>x</c>\r</a>').error).toMatchObject({ line: 3, column: 7 });
    expect(parseXml('<a>\r\n\r\n  <b>x</c>\r\n</a>').error).toMatchObject({ line: 3, column: 7 });
  });

  test('line breaks inside a value read as LF whatever the file uses; &#13; keeps a real CR', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const { root } = parseXml(`<a><b>one${eol}two</b></a>`);
      expect(root!.children[0].text, JSON.stringify(eol)).toBe('one\ntwo');
    }
    expect(parseXml('<a><b>one&#13;&#10;two</b></a>').root!.children[0].text).toBe('one\r\ntwo');
  });

  test('a value with CR survives serialize → parse (written as &#13;)', () => {
    const model = { capacity: 1, label: 'line one\r\nline two\rthree' };
    const xml = serializeMetadata(fromModel(PUC, 'Cr', model));
    expect(xml).toContain('<label>line one&#13;\nline two&#13;three</label>');
    expect(xml).not.toContain('\r');
    expect(toModel(parseMetadata(xml, { type: PUC }).document!)).toEqual(model);
    expect(escapeXml('a\rb')).toBe('a&#13;b');
  });
});

describe("'<' inside an attribute value", () => {
  test('is malformed XML, located at the offending character', () => {
    const { root, error } = parseXml('<a>\n  <b x="1<2">t</b>\n  <c>u</c>\n</a>');
    expect(root).toBeUndefined();
    expect(error).toMatchObject({ line: 2, column: 10 });
    expect(error!.message).toContain('&lt;');
    const diagnostics = parseMetadata(puc('<capacity>1</capacity>', '<label x="a<b">x</label>'), { type: PUC }).diagnostics;
    expect(diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column}`)).toEqual(['XML-MALFORMED 4:16']);
  });

  test("'>' and quotes of the other kind inside attribute values do not disturb positions", () => {
    expect(positions(`<a p='x>"y'>\n  <b q="1>2">t</b><c r='"'/>\n</a>`)).toEqual(['a@1:1', 'b@2:3', 'c@2:19']);
  });
});

describe('character references', () => {
  test.each(['&#0;', '&#x1;', '&#xB;', '&#xD800;', '&#xFFFE;', '&#x110000;', '&#99999999;'])(
    '%s names no XML character: malformed, at the element',
    (reference) => {
      const { root, error } = parseXml(`<a>\n  <b>x${reference}y</b>\n</a>`);
      expect(root).toBeUndefined();
      expect(error).toMatchObject({ line: 2, column: 3 });
      expect(error!.message).toContain(reference);
    },
  );

  test('references to allowed characters decode, including tab, LF, CR and astral ones', () => {
    expect(parseXml('<a>&#9;&#xA;&#13;&#xE000;&#xFFFD;&#x10000;&#x1F600;&#x10FFFF;</a>').root!.text).toBe(
      '\t\n\r\uE000\uFFFD\u{10000}\u{1F600}\u{10FFFF}',
    );
  });
});

describe('characters XML forbids', () => {
  test.each([
    ['\u0001', 'U+0001'],
    ['\u001F', 'U+001F'],
    ['\uFFFF', 'U+FFFF'],
    ['\uD800', 'U+D800'],
    ['\uDC00', 'U+DC00'],
  ])('a raw %j is malformed XML at its own line/column (xmllint rejects it too)', (char, code) => {
    const { root, error } = parseXml(`<a>\n  <b>x${char}y</b>\n</a>`);
    expect(root).toBeUndefined();
    expect(error).toMatchObject({ line: 2, column: 7 });
    expect(error!.message).toContain(code);
  });

  test('tab, LF, CR, NBSP, U+FFFD and paired surrogates are fine', () => {
    expect(parseXml('<a>\t\u00A0\uFFFD\u{1F600}</a>').root!.text).toBe('\t\u00A0\uFFFD\u{1F600}');
  });
});

describe('unknown elements with attributes', () => {
  test('keep their attributes (escaped) through serialization, nested ones too', () => {
    const source = puc(
      '<capacity>1</capacity>',
      '<futureBlock kind="a &amp; &quot;b&quot;">',
      '    <item id="1">x</item>',
      '</futureBlock>',
      '<label>x</label>',
    );
    const { document, diagnostics } = parseMetadata(source, { type: PUC });
    expect(diagnostics.map((d) => `${d.severity} ${d.ruleId} ${d.line}:${d.column}`)).toEqual(['warning XML-UNKNOWN-ELEMENT 4:5']);
    expect(document!.root.children[1].attributes).toEqual({ kind: 'a & "b"' });
    expect(serializeMetadata(document!)).toBe(source);
  });

  test('an xsi: attribute on an unknown element declares the xsi namespace so the output stays well-formed', () => {
    const source = puc('<capacity>1</capacity>', '<label>x</label>', '<futureFlag xsi:type="xsd:string">x</futureFlag>').replace(
      `xmlns="${NS}"`,
      `xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`,
    );
    const out = serializeMetadata(parseMetadata(source, { type: PUC }).document!);
    expect(out).toBe(source);
    expect(parseXml(out).error).toBeUndefined();
  });

  test('attributes on modelled elements are not written (retrieves never carry any)', () => {
    const source = puc('<capacity unit="chats">1</capacity>', '<label>x</label>');
    expect(serializeMetadata(parseMetadata(source, { type: PUC }).document!)).toBe(puc('<capacity>1</capacity>', '<label>x</label>'));
  });
});

describe('short leaf texts', () => {
  test('each leaf keeps its own text when short texts repeat, share a prefix or share a slot of the parser\'s table', () => {
    // 3,000 distinct short texts (the table has 1,024 slots, so many share one), each a prefix of the next ten
    // (`R_1`, `R_10`, `R_100`), every one read three times in different files and orders, with entity and longer texts between.
    const texts = Array.from({ length: 3000 }, (_, i) => `R_${i}`);
    for (const order of [texts, [...texts].reverse(), texts.map((_, i) => texts[(i * 7) % texts.length])]) {
      for (let at = 0; at < order.length; at += 100) {
        const batch = order.slice(at, at + 100);
        const { root, error } = parseXml(`<a>${batch.map((t) => `<b>${t}</b><c>${t}_long_enough_to_slice</c><d>${t}&amp;</d>`).join('')}</a>`);
        expect(error).toBeUndefined();
        expect(root!.children.map((n) => n.text)).toEqual(batch.flatMap((t) => [t, `${t}_long_enough_to_slice`, `${t}&`]));
      }
    }
  });
});
