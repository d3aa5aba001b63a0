/**
 * The one writer of bench/RESULTS.md for every benchmark: each owns one `## Heading` section and replaces
 * only that one (from its heading up to the next `## ` heading), leaving the others as they are; a section
 * not there yet is appended. The file is replaced atomically (temp file + rename), so an interrupted run
 * never leaves half a results file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../scripts/metadata/write.ts';

/** bench/RESULTS.md. */
const RESULTS_FILE = join(import.meta.dirname, 'RESULTS.md');

/**
 * `text` with the section `section` (its first line is its `## Heading`) put in place of the section of
 * that heading, or appended; the section ends with one blank line before the next heading.
 * @throws Error when `section` does not start with a `## ` heading.
 */
export function replaceSection(text: string, section: string): string {
  const heading = section.slice(0, section.indexOf('\n') >= 0 ? section.indexOf('\n') : undefined);
  if (!heading.startsWith('## ')) throw new Error(`A results section starts with its "## " heading, not ${JSON.stringify(heading)}.`);
  const body = `${section.trimEnd()}\n`;
  const padded = `\n${text}`;
  const at = padded.indexOf(`\n${heading}\n`);
  if (at < 0) return `${text.trimEnd()}\n\n${body}`;
  const next = padded.indexOf('\n## ', at + 1);
  return padded.slice(1, at + 1) + body + (next >= 0 ? `\n${padded.slice(next + 1)}` : '');
}

/** Replaces (or appends) `section` in `file` (default bench/RESULTS.md), atomically. */
export async function writeResultsSection(section: string, file = RESULTS_FILE): Promise<void> {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  await writeFileAtomic(file, replaceSection(text, section));
}

/** The median of `xs` (the upper one of an even count); `xs` is not changed. */
export function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/**
 * The line that opens a section: the command run, when (UTC, to the minute), Node, CPUs and the load
 * averages seen during the run (a shared machine: the numbers are read with it).
 */
export function runStamp(command: string, loads: number[]): string {
  return `\`${command}\` — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${availableParallelism()} CPU(s), load average ${loads.map((l) => l.toFixed(1)).join(' → ')} (shared machine).`;
}

/** Requests per endpoint of the run with the median request count, e.g. "composite 3, soap/metadata:deploy 1". */
export function medianBreakdown<S extends { byEndpoint: Record<string, number> }>(runs: S[], count: (run: S) => number): string {
  const m = median(runs.map(count));
  const run = runs.find((s) => count(s) === m)!;
  return Object.entries(run.byEndpoint)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
