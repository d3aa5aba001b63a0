/**
 * bench/results.ts: one section replaced in place, the others kept byte for byte; a new one appended; the
 * figures every bench reports alike (median, the median run's endpoints, the run stamp).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { median, medianBreakdown, replaceSection, runStamp, writeResultsSection } from '../../bench/results.ts';

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

describe('bench figures', () => {
  it('median: the middle value (upper of two), input untouched', () => {
    const xs = [5, 1, 4, 2];
    expect(median(xs)).toBe(4);
    expect(median([3, 9, 1])).toBe(3);
    expect(xs).toEqual([5, 1, 4, 2]);
  });
  it("medianBreakdown: the endpoints of the run with the median count, sorted by name", () => {
    const runs: Array<{ calls: number; byEndpoint: Record<string, number> }> = [
      { calls: 9, byEndpoint: { query: 9 } },
      { calls: 4, byEndpoint: { 'soap/metadata:deploy': 1, composite: 3 } },
      { calls: 2, byEndpoint: { composite: 2 } },
    ];
    expect(medianBreakdown(runs, (r) => r.calls)).toBe('composite 3, soap/metadata:deploy 1');
  });
  it('runStamp: the command, UTC minute, Node, CPUs and the loads seen', () => {
    expect(runStamp('node bench/x.ts 3', [1.25, 2])).toMatch(/^`node bench\/x\.ts 3` — \d{4}-\d\d-\d\d \d\d:\d\d UTC, Node v\d+\.\d+\.\d+, \d+ CPU\(s\), load average 1\.3 → 2\.0 \(shared machine\)\.$/);
  });
});
