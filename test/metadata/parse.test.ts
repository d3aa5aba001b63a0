/**
 * XML parsing with locations and the structural parse diagnostics: one behaviour per test, with small
 * hand-written inputs whose expected lines/columns can be read off the source.
 */
import { describe, expect, test } from 'vitest';
import { parseMetadata } from '../../scripts/metadata/document.ts';
import { fromModel, toModel } from '../../scripts/metadata/model.ts';
import { getType } from '../../scripts/metadata/registry.ts';
import { serializeMetadata } from '../../scripts/metadata/serialize.ts';
import { parseXml } from '../../scripts/metadata/xml.ts';

const NS = 'http://soap.sforce.com/2006/04/metadata';
const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const PUC = getType('PresenceUserConfig');
const PATH = 'force-app/main/default/presenceUserConfigs/Tier1.presenceUserConfig-meta.xml';

/** A PresenceUserConfig document from body lines (4-space indented, as a retrieve writes them). */
function puc(...body: string[]): string {
  return [DECL, `<PresenceUserConfig xmlns="${NS}">`, ...body.map((l) => `    ${l}`), '</PresenceUserConfig>', ''].join('\n');
}

const rules = (source: string, path = PATH) =>
  parseMetadata(source, { path }).diagnostics.map((d) => `${d.severity} ${d.ruleId} ${d.line}:${d.column}`);

describe('parseXml', () => {
  test('positions are the 1-based line/column of each start tag, with CRLF, BOM, comments and a split root tag', () => {
    const source = '\uFEFF<?xml version="1.0" encoding="utf-8" ?>\r\n<!-- <label>not me</label> -->\r\n<Root\r\n    a="1">\r\n  <x>1</x><y><![CDATA[<z>]]></y>\r\n\t<w/>\r\n</Root>\r\n';
    const { root, error } = parseXml(source);
    expect(error).toBeUndefined();
    expect([root!.line, root!.column]).toEqual([3, 1]);
    expect(root!.children.map((c) => [c.name, c.line, c.column, c.text])).toEqual([
      ['x', 5, 3, '1'],
      ['y', 5, 11, '<z>'],
      ['w', 6, 2, ''],
    ]);
    expect(root!.attributes).toEqual({ a: '1' });
  });

  test('entities are decoded: the five named ones and numeric references', () => {
    const { root } = parseXml('<a>&lt;&gt;&amp;&quot;&apos; &#39;&#x41;&#128512; &amp;lt;</a>');
    expect(root!.text).toBe(`<>&"' 'A😀 &lt;`);
  });

  test("string values keep inner and outer spaces; whitespace-only text is formatting and reads as ''", () => {
    const { root } = parseXml('<a><b>  two  spaces </b><c>\n    </c><d></d></a>');
    expect(root!.children.map((c) => c.text)).toEqual(['  two  spaces ', '', '']);
  });

  test('text of an element with children is ignored', () => {
    const { root } = parseXml('<a>stray<b>1</b>text</a>');
    expect(root!.text).toBeUndefined();
    expect(root!.children).toHaveLength(1);
  });

  test('xsi:nil="true" marks the node nil', () => {
    const { root } = parseXml('<a xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><b xsi:nil="true"/><c xsi:nil="false">x</c></a>');
    expect(root!.children.map((c) => c.nil === true)).toEqual([true, false]);
  });

  test.each([
    ['<a><b></a>', 1, 7],
    ['<a>\n  <b>x</c>\n</a>', 2, 7],
    ['<a>x & y</a>', 1, 6],
    ['<a>\n<b>&nbsp;</b></a>', 2, 1],
    ['', 1, 1],
    ['<a/><b/>', 1, 1],
  ])('malformed %j: error with line/column, no throw', (source, line, column) => {
    const { root, error } = parseXml(source);
    expect(root).toBeUndefined();
    expect(error!.message.length).toBeGreaterThan(0);
    expect([error!.line, error!.column]).toEqual([line, column]);
  });
});

describe('parseMetadata diagnostics', () => {
  test('a retrieved file gives no diagnostic and the type/fullName of its path', () => {
    const { document, diagnostics } = parseMetadata(puc('<capacity>5</capacity>', '<label>Tier 1</label>'), { path: PATH });
    expect(diagnostics).toEqual([]);
    expect(document!.type).toBe(PUC);
    expect(document!.fullName).toBe('Tier1');
    expect(document!.path).toBe(PATH);
  });

  test('without a path, the root element names the type', () => {
    const { document, diagnostics } = parseMetadata(puc('<capacity>5</capacity>', '<label>x</label>'), {});
    expect(diagnostics).toEqual([]);
    expect(document!.type).toBe(PUC);
    expect(parseMetadata('<Foo/>', {}).diagnostics.map((d) => d.ruleId)).toEqual(['XML-TYPE-UNKNOWN']);
    expect(parseMetadata('<Foo', {}).diagnostics.map((d) => d.ruleId)).toEqual(['XML-MALFORMED']);
  });

  test('XML-MALFORMED carries the parser position and a hint', () => {
    const [d] = parseMetadata(puc('<capacity>5</capacity>', '<label>a < b</label>'), { path: PATH }).diagnostics;
    expect(d).toMatchObject({ ruleId: 'XML-MALFORMED', severity: 'error', file: PATH, line: 4 });
    expect(d.hint).toBeTruthy();
  });

  test('XML-ROOT: wrong root element or wrong namespace', () => {
    expect(rules(`${DECL}\n<ServiceChannel xmlns="${NS}"><label>x</label><relatedEntityType>Case</relatedEntityType></ServiceChannel>`)).toContain(
      'error XML-ROOT 2:1',
    );
    const wrongNs = parseMetadata(`<PresenceUserConfig xmlns="urn:other"><capacity>1</capacity><label>x</label></PresenceUserConfig>`, { path: PATH });
    expect(wrongNs.diagnostics.map((d) => d.ruleId)).toEqual(['XML-ROOT']);
    expect(wrongNs.diagnostics[0].message).toContain(NS);
  });

  test('XML-UNKNOWN-ELEMENT is a warning; the element survives serialization after its known predecessor', () => {
    const source = puc('<capacity>5</capacity>', '<futureFlag>true</futureFlag>', '<label>x</label>');
    expect(rules(source)).toEqual(['warning XML-UNKNOWN-ELEMENT 4:5']);
    const { document } = parseMetadata(source, { path: PATH });
    expect(serializeMetadata(document!)).toBe(source);
    const model = toModel(document!);
    expect(model._unknown?.map((n) => n.name)).toEqual(['futureFlag']);
    expect(serializeMetadata(fromModel(PUC, 'Tier1', model))).toBe(source);
  });

  test.each([
    ['<enableDecline>yes</enableDecline>', 'enableDecline', 'yes', 'true or false'],
    ['<enableDecline>True</enableDecline>', 'enableDecline', 'True', 'true or false'],
    ['<interruptibleCapacity>2.5</interruptibleCapacity>', 'interruptibleCapacity', '2.5', 'whole number'],
    ['<interruptibleCapacity>0x10</interruptibleCapacity>', 'interruptibleCapacity', '0x10', 'whole number'],
    ['<interruptibleCapacity>99999999999</interruptibleCapacity>', 'interruptibleCapacity', '99999999999', '32 bits'],
  ])('XML-VALUE-TYPE %s names element, value and the allowed form', (element, name, value, expected) => {
    const { diagnostics } = parseMetadata(puc('<capacity>5</capacity>', element, '<label>x</label>'), { path: PATH });
    // The test element sits on line 4 of the document; sort order does not matter for the check.
    const errors = diagnostics.filter((d) => d.ruleId === 'XML-VALUE-TYPE');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ severity: 'error', line: 4, column: 5, file: PATH });
    expect(errors[0].message).toContain(`<${name}>`);
    expect(errors[0].message).toContain(`"${value}"`);
    expect(errors[0].message).toContain(expected);
  });

  test('XML-VALUE-TYPE for doubles and enums', () => {
    const qrc = (body: string) =>
      `${DECL}\n<QueueRoutingConfig xmlns="${NS}">\n    ${body}\n    <label>q</label>\n    <routingModel>LEAST_ACTIVE</routingModel>\n    <routingPriority>1</routingPriority>\n</QueueRoutingConfig>\n`;
    const path = 'x/queueRoutingConfigs/Q.queueRoutingConfig-meta.xml';
    expect(rules(qrc('<capacityWeight>1.0</capacityWeight>'), path)).toEqual([]);
    expect(rules(qrc('<capacityWeight>1,5</capacityWeight>'), path)).toEqual(['error XML-VALUE-TYPE 3:5']);
    expect(rules(qrc('<capacityType>NOT INTERRUPTIBLE</capacityType>'), path)).toEqual(['error XML-VALUE-TYPE 3:5']);
    const [d] = parseMetadata(qrc('<capacityType>NOT INTERRUPTIBLE</capacityType>'), { path }).diagnostics;
    expect(d.message).toContain('NOT_INTERRUPTIBLE');
  });

  test('XML-REQUIRED: missing required elements are reported at the parent, nil ones at the element', () => {
    expect(rules(puc('<label>x</label>'))).toEqual(['error XML-REQUIRED 2:1']);
    expect(parseMetadata(puc('<label>x</label>'), { path: PATH }).diagnostics[0].message).toContain('<capacity>');
    const channel = `${DECL}\n<ServiceChannel xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n    <label>x</label>\n    <relatedEntityType xsi:nil="true"/>\n</ServiceChannel>\n`;
    expect(rules(channel, 'a/serviceChannels/S.serviceChannel-meta.xml')).toEqual(['error XML-REQUIRED 4:5']);
    // Required children of repeated complex elements too.
    const mapping = `${DECL}\n<ServiceChannel xmlns="${NS}">\n    <label>x</label>\n    <relatedEntityType>Case</relatedEntityType>\n    <serviceChannelStatusFieldMappings>\n        <value>Closed</value>\n    </serviceChannelStatusFieldMappings>\n</ServiceChannel>\n`;
    expect(rules(mapping, 'a/serviceChannels/S.serviceChannel-meta.xml')).toEqual(['error XML-REQUIRED 5:5']);
  });

  test('nil on an optional element is accepted; without the xsi declaration it is XML-NIL; the nil survives serialization', () => {
    const undeclared = puc('<capacity>5</capacity>', '<enableDecline xsi:nil="true"/>', '<label>x</label>');
    expect(rules(undeclared)).toEqual(['error XML-NIL 4:5']);
    const source = undeclared.replace(`xmlns="${NS}"`, `xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`);
    expect(rules(source)).toEqual([]);
    expect(serializeMetadata(parseMetadata(source, { path: PATH }).document!)).toBe(source);
  });

  test('XML-ORDER (error: the Metadata API rejects it) for out-of-order input; serialization restores WSDL order', () => {
    const source = puc('<label>x</label>', '<declineReasons>B</declineReasons>', '<capacity>5</capacity>', '<declineReasons>A</declineReasons>');
    expect(rules(source)).toEqual(['error XML-ORDER 4:5']);
    expect(serializeMetadata(parseMetadata(source, { path: PATH }).document!)).toBe(
      // Repeated elements keep their given order (B before A).
      puc('<capacity>5</capacity>', '<declineReasons>B</declineReasons>', '<declineReasons>A</declineReasons>', '<label>x</label>'),
    );
  });

  test('nested complex elements are ordered and checked too', () => {
    const source = puc('<assignments>', '    <users>', '        <user>u@example.invalid</user>', '    </users>', '    <profiles>', '        <profile>admin</profile>', '    </profiles>', '</assignments>', '<capacity>1</capacity>', '<label>x</label>');
    expect(rules(source)).toEqual(['error XML-ORDER 7:9']);
    expect(serializeMetadata(parseMetadata(source, { path: PATH }).document!)).toBe(
      puc('<assignments>', '    <profiles>', '        <profile>admin</profile>', '    </profiles>', '    <users>', '        <user>u@example.invalid</user>', '    </users>', '</assignments>', '<capacity>1</capacity>', '<label>x</label>'),
    );
  });
});

describe('canonical serialization', () => {
  test('escapes the five XML special characters the way retrieves do', () => {
    const { document } = parseMetadata(puc('<capacity>1</capacity>', '<label>&quot;Busy&quot; &amp; &apos;away&apos; &lt;3 &gt;</label>'), { path: PATH });
    expect(toModel(document!).label).toBe(`"Busy" & 'away' <3 >`);
    expect(serializeMetadata(document!)).toContain('<label>&quot;Busy&quot; &amp; &apos;away&apos; &lt;3 &gt;</label>');
  });

  test('declaration, CRLF, BOM and comments normalise to the retrieve form', () => {
    const messy = '\uFEFF<?xml version="1.0" encoding="utf-8" ?>\r\n<!-- generated -->\r\n<PresenceUserConfig\r\n    xmlns="' + NS + '">\r\n    <capacity>1</capacity>\r\n    <label>x</label>\r\n</PresenceUserConfig>';
    const { document, diagnostics } = parseMetadata(messy, { path: PATH });
    expect(diagnostics).toEqual([]);
    expect(serializeMetadata(document!)).toBe(puc('<capacity>1</capacity>', '<label>x</label>'));
  });

  test('PermissionSet: changing servicePresenceStatusAccesses leaves every other element as it was', () => {
    const other = [
      '<description>Agents</description>',
      '<fieldPermissions>',
      '    <editable>false</editable>',
      '    <field>Case.Reason</field>',
      '    <readable>true</readable>',
      '</fieldPermissions>',
      '<hasActivationRequired>false</hasActivationRequired>',
      '<label>Agents</label>',
      '<objectPermissions>',
      '    <allowRead>true</allowRead>',
      '    <object>Case</object>',
      '    <allowCreate>false</allowCreate>',
      '</objectPermissions>',
    ];
    const access = (status: string) => ['<servicePresenceStatusAccesses>', '    <enabled>true</enabled>', `    <servicePresenceStatus>${status}</servicePresenceStatus>`, '</servicePresenceStatusAccesses>'];
    const tail = ['<userPermissions>', '    <enabled>true</enabled>', '    <name>ApiEnabled</name>', '</userPermissions>'];
    const ps = (...body: string[]) => [DECL, `<PermissionSet xmlns="${NS}">`, ...body.map((l) => `    ${l}`), '</PermissionSet>', ''].join('\n');
    const path = 'force-app/main/default/permissionsets/Agents.permissionset-meta.xml';
    const { document, diagnostics } = parseMetadata(ps(...other, ...access('Online'), ...tail), { path });
    expect(diagnostics).toEqual([]); // opaque parts (objectPermissions in its own odd order) are not checked
    const model = toModel(document!);
    (model.servicePresenceStatusAccesses as unknown[]).push({ enabled: true, servicePresenceStatus: 'Busy' });
    expect(serializeMetadata(fromModel(document!.type, 'Agents', model))).toBe(ps(...other, ...access('Online'), ...access('Busy'), ...tail));
  });
});
