/**
 * The `omni graph` engine: the Omni-Channel routing as a picture (HTML with inline SVG, Mermaid, JSON),
 * problems marked — from the project, with agents and queue members counted in the org when it is given.
 */
import path from 'node:path';
import type { EngineIo } from '../lib/io.ts';
import { catalogueError, messageText } from '../lib/messages.ts';
import type { OrgTarget } from '../org/connection.ts';
import type { RoutingGraph } from './analyze.ts';
import { assertOutputWritable, outputWriteError } from '../lib/state-file.ts';

export type GraphFormat = 'html' | 'mermaid' | 'json';

export interface GraphResult {
  format: GraphFormat;
  /** File written (project-relative or as given); null when printed. */
  output: string | null;
  membership: 'source' | 'org';
  assignmentFiles: string[];
  graph: RoutingGraph;
  /** The rendered text when printed to stdout (not under --json). */
  text?: string;
}

/** The format an output file's extension implies (.html/.htm, .mmd/.mermaid/.md, .json). */
function formatForFile(file: string): GraphFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.mmd' || ext === '.mermaid' || ext === '.md') return 'mermaid';
  if (ext === '.json') return 'json';
  return undefined;
}

/** What `omni graph` is asked (its flags, typed); paths are relative to io.cwd. */
export interface GraphRequest {
  /** Output format; default: implied by `output`'s extension, else mermaid. */
  format?: GraphFormat;
  /** Write the picture to this file instead of returning its text. */
  output?: string;
  /** Assignment files for who holds what (default: config/assignments/*.yaml). */
  assignments?: string[];
}

/**
 * Builds and renders the routing graph. With `org` (a session, or connect options) membership is
 * counted in the org. Throws UsageError when the format cannot be told from `output`. The text is in
 * the result only when printed (no `output`) and not machine-read.
 */
export async function runGraph(org: OrgTarget | undefined, request: GraphRequest, io: Pick<EngineIo, 'cwd' | 'env' | 'json' | 'warn'>): Promise<{ status: number; result: GraphResult }> {
  const output = request.output;
  const explicit = request.format;
  const implied = output ? formatForFile(output) : undefined;
  if (output && !explicit && !implied) throw catalogueError('UsageError', { variant: 'graphFormat', tokens: [output] });
  const format: GraphFormat = explicit ?? implied ?? 'mermaid';
  // The file can be written before the org or the project is read, not only after.
  if (output) assertOutputWritable(path.resolve(io.cwd, output), output);
  const { buildRoutingGraph } = await import('./build.ts');
  let api;
  let orgLabel: string | undefined;
  if (org) {
    const { OrgApi } = await import('../assign/api.ts');
    const { resolveOrg } = await import('../org/connection.ts');
    const session = await resolveOrg(org, io.env);
    api = new OrgApi(session.connection);
    orgLabel = session.label;
  }
  const built = await buildRoutingGraph({ cwd: io.cwd, assignments: request.assignments, api });
  for (const w of built.warnings) io.warn(w);
  const text = await renderGraph(built.graph, format, { title: orgLabel ? messageText('graph-output', 'title.org', [orgLabel]) : messageText('graph-output', 'title'), subtitle: subtitleFor(built.graph.membership, built.assignmentFiles, orgLabel) });
  let written: string | null = null;
  if (output) {
    const { writeFileAtomic } = await import('../metadata/write.ts');
    await writeFileAtomic(path.resolve(io.cwd, output), text).catch((error) => {
      throw outputWriteError(output, error);
    });
    written = output;
  }
  const result: GraphResult = { format, output: written, membership: built.graph.membership, assignmentFiles: built.assignmentFiles, graph: built.graph };
  if (!output && !io.json) result.text = text;
  return { status: 0, result };
}

function subtitleFor(membership: 'source' | 'org', files: string[], org?: string): string {
  if (membership === 'org') return messageText('graph-output', 'subtitle.org', [org ?? messageText('graph-output', 'subtitle.theOrg')]);
  return files.length ? messageText('graph-output', 'subtitle.source.files', [files.join(', ')]) : messageText('graph-output', 'subtitle.source');
}

/** The graph in one of the three formats (HTML and Mermaid load the renderer lazily). */
async function renderGraph(graph: RoutingGraph, format: GraphFormat, options: { title: string; subtitle?: string }): Promise<string> {
  if (format === 'json') return JSON.stringify(graph, null, 2) + '\n';
  const { renderHtml, renderMermaid } = await import('./render.ts');
  return format === 'html' ? renderHtml(graph, options) : renderMermaid(graph);
}
