import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSpecReference, SPEC_DOCS_END, SPEC_DOCS_START } from '../../scripts/yaml-spec/docs.ts';
import { TYPE_MAPPINGS } from '../../scripts/yaml-spec/mapping.ts';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README spec reference', () => {
  it('is exactly what the mapping tables render (run "npm run docs" after changing a mapping)', () => {
    const start = readme.indexOf(SPEC_DOCS_START);
    const end = readme.indexOf(SPEC_DOCS_END) + SPEC_DOCS_END.length;
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start, end)).toBe(renderSpecReference());
  });

  it('documents every friendly key of every type with its Salesforce element', () => {
    for (const mapping of TYPE_MAPPINGS) {
      for (const row of mapping.fields) {
        expect(readme).toContain(`| \`${row.key}\``);
        for (const element of row.elements) expect(readme).toContain(`\`${element}\``);
      }
    }
  });
});

describe('README spec reference marks required keys', () => {
  const xsd = readFileSync(join(import.meta.dirname, '..', '..', '..', 'shared', 'reference', 'omni-metadata.xsd'), 'utf8');
  /** Top-level elements of a metadata type in the XSD: name → required (no minOccurs="0"). */
  const xsdElements = (type: string): Map<string, boolean> => {
    const body = new RegExp(`<xsd:complexType name="${type}">([\\s\\S]*?)</xsd:complexType>`).exec(xsd)?.[1] ?? '';
    return new Map([...body.matchAll(/<xsd:element name="(\w+)"([^>]*)\/?>/g)].map((m) => [m[1], !/minOccurs="0"/.test(m[2])]));
  };
  /** README tables: `### \`specKey\` → Type`, then rows `| \`key\` (required) | \`element\` | …`. */
  const tables = [...readme.matchAll(/### `(\w+)` → (\w+)\n[\s\S]*?\n\n((?:\|.*\n)+)/g)].map((m) => ({
    specKey: m[1],
    type: m[2],
    rows: [...m[3].matchAll(/^\| `(\w+)`( \(required\))? \| ((?:`[\w.]+`(?:, )?)*) \|/gm)].map((r) => ({ key: r[1], required: Boolean(r[2]), elements: [...r[3].matchAll(/[\w.]+/g)].map((e) => e[0]) })),
  }));

  it('the presence configuration table marks label and capacity, and nothing optional', () => {
    const puc = tables.find((t) => t.type === 'PresenceUserConfig');
    expect(puc?.rows.filter((r) => r.required).map((r) => r.key).sort()).toEqual(['capacity', 'label']);
  });

  it('every key mapped to one element is marked required exactly when the XSD requires that element', () => {
    // PermissionSet is managed partially (only its status accesses), so its XSD says nothing about the spec entry.
    const full = tables.filter((t) => t.type !== 'PermissionSet');
    expect(full.length).toBeGreaterThanOrEqual(6);
    let required = 0;
    for (const table of full) {
      const elements = xsdElements(table.type);
      expect(elements.size, table.type).toBeGreaterThan(0);
      for (const row of table.rows) {
        const [element] = row.elements;
        if (row.elements.length !== 1 || !elements.has(element)) continue;
        expect(row.required, `${table.specKey}.${row.key}`).toBe(elements.get(element));
        if (row.required) required++;
      }
    }
    expect(required).toBeGreaterThanOrEqual(8);
  });
});
