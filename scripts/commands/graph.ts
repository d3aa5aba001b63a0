/** `omni graph`: the Omni-Channel routing as a picture (HTML with inline SVG, Mermaid, JSON), problems marked. */
import path from 'node:path';
import { defineCommand } from '../cli/command.ts';
import { catalogueError } from '../lib/messages.ts';
import { connectOptionsFromFlags, ORG_FLAGS } from './shared/org.ts';
import type { GraphProblem, RoutingGraph } from '../graph/analyze.ts';

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
export function formatForFile(file: string): GraphFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.mmd' || ext === '.mermaid' || ext === '.md') return 'mermaid';
  if (ext === '.json') return 'json';
  return undefined;
}

export default defineCommand<GraphResult>({
  id: 'graph',
  flags: {
    format: { type: 'string', short: 'f', options: ['html', 'mermaid', 'json'], valueName: 'FORMAT' },
    output: { type: 'string', valueName: 'FILE' },
    // -f stays --format here (its meaning since graph exists); the assignment files are --file as everywhere.
    file: { type: 'string', aliases: ['assignments'], multiple: true, valueName: 'FILE' },
    ...ORG_FLAGS,
  },
  async run(ctx) {
    const output = ctx.flags.output as string | undefined;
    const explicit = ctx.flags.format as GraphFormat | undefined;
    const implied = output ? formatForFile(output) : undefined;
    if (output && !explicit && !implied) throw catalogueError('UsageError', { variant: 'graphFormat', tokens: [output] });
    const format: GraphFormat = explicit ?? implied ?? 'mermaid';
    const { buildRoutingGraph } = await import('../graph/build.ts');
    let api;
    let orgLabel: string | undefined;
    if (ctx.flags['target-org'] || ctx.flags['instance-url']) {
      const { connectOrg } = await import('../org/connection.ts');
      const { OrgApi } = await import('../assign/api.ts');
      const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
      api = new OrgApi(session.connection);
      orgLabel = session.label;
    }
    const built = await buildRoutingGraph({ cwd: ctx.cwd, assignments: ctx.flags.file as string[] | undefined, api });
    for (const w of built.warnings) ctx.warn(w);
    const text = await renderGraph(built.graph, format, { title: orgLabel ? `Omni-Channel routing — ${orgLabel}` : 'Omni-Channel routing', subtitle: subtitleFor(built.graph.membership, built.assignmentFiles, orgLabel) });
    let written: string | null = null;
    if (output) {
      const { writeFileAtomic } = await import('../metadata/write.ts');
      await writeFileAtomic(path.resolve(ctx.cwd, output), text);
      written = output;
    }
    const result: GraphResult = { format, output: written, membership: built.graph.membership, assignmentFiles: built.assignmentFiles, graph: built.graph };
    if (!output && !ctx.json) result.text = text;
    return { status: 0, result };
  },
  render(result, ui) {
    if (result.text !== undefined) {
      ui.log(result.text.replace(/\n$/, ''));
      return;
    }
    const g = result.graph;
    ui.log(`Wrote ${result.output} (${result.format}): ${g.nodes.length} components, ${g.edges.length} links, ${g.problems.length} problem${g.problems.length === 1 ? '' : 's'}.`);
    for (const line of formatProblems(g.problems)) ui.log(line);
  },
});

/** One line per problem (and its fix), numbered as on the picture. */
export function formatProblems(problems: readonly GraphProblem[]): string[] {
  return problems.flatMap((p, i) => {
    const where = p.location ? `${p.location.file}${p.location.line ? `:${p.location.line}:${p.location.column ?? 1}` : ''}: ` : '';
    return [`  ${i + 1}. ${where}${p.severity} ${p.code}: ${p.message}`, `     fix: ${p.hint}`];
  });
}

function subtitleFor(membership: 'source' | 'org', files: string[], org?: string): string {
  if (membership === 'org') return `Agents and queue members counted in ${org ?? 'the org'}`;
  return files.length ? `From the source; who holds what from ${files.join(', ')}` : 'From the source';
}

/** The graph in one of the three formats (HTML and Mermaid load the renderer lazily). */
export async function renderGraph(graph: RoutingGraph, format: GraphFormat, options: { title: string; subtitle?: string }): Promise<string> {
  if (format === 'json') return JSON.stringify(graph, null, 2) + '\n';
  const { renderHtml, renderMermaid } = await import('../graph/render.ts');
  return format === 'html' ? renderHtml(graph, options) : renderMermaid(graph);
}
