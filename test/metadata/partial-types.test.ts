/**
 * PermissionSet and Profile are managed only in part (servicePresenceStatusAccesses). Replacing those
 * nodes in the parsed tree and serializing must leave every other line byte-identical — for every element
 * the registry knows of these types, opaque subtrees with their own child order, entities and empty
 * elements included.
 */
import { describe, expect, test } from 'vitest';
import { parseMetadata } from '../../scripts/metadata/document.ts';
import { getType, type MetadataTypeDef } from '../../scripts/metadata/registry.ts';
import { serializeMetadata } from '../../scripts/metadata/serialize.ts';
import type { XmlNode } from '../../scripts/metadata/xml.ts';

const NS = 'http://soap.sforce.com/2006/04/metadata';
const ACCESS = 'servicePresenceStatusAccesses';

const accessLines = (status: string, enabled = true) => [
  `    <${ACCESS}>`,
  `        <enabled>${enabled}</enabled>`,
  `        <servicePresenceStatus>${status}</servicePresenceStatus>`,
  `    </${ACCESS}>`,
];

/** A canonical file with two entries of every repeated opaque element and a value for every simple one. */
function fullDocument(type: MetadataTypeDef, accesses: string[][]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<${type.name} xmlns="${NS}">`];
  for (const def of type.elements) {
    if (def.name === ACCESS) {
      for (const block of accesses) lines.push(...block);
    } else if (def.opaque) {
      for (const n of def.repeated ? [1, 2] : [1]) {
        // Children deliberately not alphabetical and with escapes: opaque content is kept as written.
        lines.push(`    <${def.name}>`, `        <zeta>${def.name} ${n} &amp; &lt;more&gt;</zeta>`, `        <alpha>true</alpha>`, `        <empty></empty>`, `    </${def.name}>`);
      }
    } else if (def.kind === 'boolean') {
      lines.push(`    <${def.name}>false</${def.name}>`);
    } else {
      lines.push(`    <${def.name}>${def.name} &quot;value&quot;</${def.name}>`);
    }
  }
  lines.push(`</${type.name}>`, '');
  return lines.join('\n');
}

function accessNode(status: string, enabled: boolean): XmlNode {
  const leaf = (name: string, text: string): XmlNode => ({ name, text, children: [], line: 0, column: 0 });
  return { name: ACCESS, children: [leaf('enabled', String(enabled)), leaf('servicePresenceStatus', status)], line: 0, column: 0 };
}

describe.each(['PermissionSet', 'Profile'])('%s: only servicePresenceStatusAccesses changes', (typeName) => {
  const type = getType(typeName);

  test('the registry marks the type partial and models the accesses, everything else opaque or simple', () => {
    expect(type.partial).toBe(true);
    expect(type.elements.find((e) => e.name === ACCESS)?.opaque).toBeUndefined();
    expect(type.elements.filter((e) => e.opaque).length).toBeGreaterThan(15);
  });

  test('replacing the access nodes in the tree rewrites those lines and no other', () => {
    const before = fullDocument(type, [accessLines('Online'), accessLines('Busy')]);
    const { document, diagnostics } = parseMetadata(before, { type });
    expect(diagnostics).toEqual([]);
    expect(serializeMetadata(document!)).toBe(before);

    // Drop both grants, add two others at the end of the children: the serializer must put them back in
    // WSDL position without touching anything around them.
    document!.root.children = document!.root.children.filter((n) => n.name !== ACCESS);
    document!.root.children.push(accessNode('Away', false), accessNode('On_Break', true));
    const after = serializeMetadata(document!);

    expect(after).toBe(fullDocument(type, [accessLines('Away', false), accessLines('On_Break')]));
    // Line by line: everything outside the access blocks is the same text at the same relative place.
    const outside = (text: string) => text.replace(/ {4}<servicePresenceStatusAccesses>[\s\S]*?<\/servicePresenceStatusAccesses>\n/g, '');
    expect(outside(after)).toBe(outside(before));
  });

  test('removing every grant leaves a file equal to the original minus the access blocks', () => {
    const before = fullDocument(type, [accessLines('Online')]);
    const { document } = parseMetadata(before, { type });
    document!.root.children = document!.root.children.filter((n) => n.name !== ACCESS);
    expect(serializeMetadata(document!)).toBe(fullDocument(type, []));
  });
});
