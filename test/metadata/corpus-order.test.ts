/**
 * Element order over the real corpus: each file's top-level elements are rewritten in reverse WSDL order
 * (same-name elements keep their relative order, as a hand edit would); parsing reports XML-ORDER as an error
 * at the first out-of-place element, and serialization gives back exactly the canonical bytes.
 */
import { describe, expect, test } from 'vitest';
import { parseMetadata } from '../../scripts/metadata/document.ts';
import { getType } from '../../scripts/metadata/registry.ts';
import { serializeMetadata } from '../../scripts/metadata/serialize.ts';
import { corpusMetadataFiles } from './helpers.ts';

/** Splits canonical text into header, top-level element blocks (4-space indent) and footer. */
function blocks(canonical: string): { head: string[]; blocks: { name: string; lines: string[] }[]; tail: string[] } {
  const lines = canonical.split('\n');
  const head = lines.slice(0, 2);
  const tail = lines.slice(-2);
  const out: { name: string; lines: string[] }[] = [];
  for (const line of lines.slice(2, -2)) {
    const start = /^ {4}<([A-Za-z]\w*)/.exec(line);
    if (start) out.push({ name: start[1], lines: [line] });
    else out[out.length - 1].lines.push(line);
  }
  return { head, blocks: out, tail };
}

describe('corpus: out-of-order elements', () => {
  const files = corpusMetadataFiles();

  test('reversed files report one XML-ORDER error (the Metadata API rejects them) and serialize back to the canonical bytes', () => {
    let reordered = 0;
    for (const file of files) {
      const type = getType(file.rootType);
      const canonical = serializeMetadata(parseMetadata(file.source, { type }).document!);
      const split = blocks(canonical);
      const order = type.elements.map((e) => e.name);
      // Stable sort by descending WSDL index: same-name elements stay in their given order.
      const shuffled = [...split.blocks].sort((a, b) => order.indexOf(b.name) - order.indexOf(a.name));
      if (new Set(split.blocks.map((b) => b.name)).size < 2) continue;
      reordered++;
      const source = [...split.head, ...shuffled.flatMap((b) => b.lines), ...split.tail].join('\n');
      expect(source, file.name).not.toBe(canonical);
      const { document, diagnostics } = parseMetadata(source, { type });
      const orderDiagnostics = diagnostics.filter((d) => d.ruleId === 'XML-ORDER');
      expect(orderDiagnostics, file.name).toHaveLength(1);
      expect(orderDiagnostics[0].severity).toBe('error');
      // The first block of the second name is the first out of place: it starts after the leading run.
      const leading = shuffled.findIndex((b) => b.name !== shuffled[0].name);
      expect(orderDiagnostics[0].line, file.name).toBe(3 + shuffled.slice(0, leading).reduce((n, b) => n + b.lines.length, 0));
      // Reordering adds nothing else (positions of the rest move with their blocks, so compare messages).
      const messages = (ds: typeof diagnostics) => ds.filter((d) => d.ruleId !== 'XML-ORDER').map((d) => `${d.ruleId} ${d.message}`).sort();
      expect(messages(diagnostics), file.name).toEqual(messages(parseMetadata(canonical, { type }).diagnostics));
      expect(serializeMetadata(document!), file.name).toBe(canonical);
    }
    // 207 files less those with a single element name: 12 PresenceDeclineReasons, 20 statuses without
    // channels, 1 OmniChannelSettings with only enableOmniChannel.
    expect(reordered).toBe(174);
  });
});
