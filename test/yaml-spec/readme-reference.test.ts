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
