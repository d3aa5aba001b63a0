/** bench/results.ts: one section replaced in place, the others kept byte for byte; a new one appended. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceSection, writeResultsSection } from '../../bench/results.ts';

const FILE = '# Benchmark results\n\n## Deploy\n\nold deploy\n\n## Deploy at scale\n\nscale\n\n## Setup re-run\n\nold setup\n';

describe('bench results sections', () => {
  it('replaces only the section of the same heading (not one whose heading starts the same)', () => {
    expect(replaceSection(FILE, '## Deploy\n\nnew deploy\n')).toBe('# Benchmark results\n\n## Deploy\n\nnew deploy\n\n## Deploy at scale\n\nscale\n\n## Setup re-run\n\nold setup\n');
  });
  it('replaces the last section up to the end of the file', () => {
    expect(replaceSection(FILE, '## Setup re-run\n\nnew setup\n\n')).toBe('# Benchmark results\n\n## Deploy\n\nold deploy\n\n## Deploy at scale\n\nscale\n\n## Setup re-run\n\nnew setup\n');
  });
  it('appends a section not there yet after one blank line', () => {
    expect(replaceSection('# Benchmark results\n', '## Validate\n\nx')).toBe('# Benchmark results\n\n## Validate\n\nx\n');
  });
  it('refuses a section without its heading', () => {
    expect(() => replaceSection(FILE, 'no heading\n')).toThrow(/## /);
  });
  it('writes the file (created when missing)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-results-'));
    try {
      const file = join(dir, 'RESULTS.md');
      await writeResultsSection('## Assign\n\na\n', file);
      await writeResultsSection('## Validate\n\nv\n', file);
      await writeResultsSection('## Assign\n\nb\n', file);
      expect(readFileSync(file, 'utf8')).toBe('# Benchmark results\n\n## Assign\n\nb\n\n## Validate\n\nv\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
