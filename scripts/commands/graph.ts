/** `omni graph`: the Omni-Channel routing as a picture (HTML with inline SVG, Mermaid, JSON), problems marked. */
import { defineCommand } from '../cli/command.ts';
import { countText, messageText } from '../lib/messages.ts';
import { connectOptionsFromFlags, ORG_FLAGS } from './shared/org.ts';
import type { GraphProblem } from '../graph/analyze.ts';
import type { GraphFormat, GraphResult } from '../graph/engine.ts';

export default defineCommand<GraphResult>({
  id: 'graph',
  flags: {
    format: { type: 'string', short: 'f', options: ['html', 'mermaid', 'json'], valueName: 'FORMAT' },
    output: { type: 'string', valueName: 'FILE' },
    // -f stays --format here (its meaning since graph exists); the assignment files are --file as everywhere.
    file: { type: 'string', aliases: ['assignments'], multiple: true, valueName: 'FILE', path: 'file' },
    ...ORG_FLAGS,
  },
  async run(ctx) {
    const { runGraph } = await import('../graph/engine.ts');
    const f = ctx.flags;
    const request = { format: f.format as GraphFormat | undefined, output: f.output as string | undefined, assignments: f.file as string[] | undefined };
    return runGraph(f['target-org'] || f['instance-url'] ? { connect: connectOptionsFromFlags(f, ctx.env) } : undefined, request, ctx);
  },
  render(result, ui) {
    if (result.text !== undefined) {
      ui.log(result.text.replace(/\n$/, ''));
      return;
    }
    const g = result.graph;
    const components = countText('graph-output', 'count.component', g.nodes.length, [g.nodes.length]);
    const links = countText('graph-output', 'count.link', g.edges.length, [g.edges.length]);
    const problems = countText('graph-output', 'count.problem', g.problems.length, [g.problems.length]);
    ui.log(messageText('graph-output', 'wrote', [result.output, result.format, components, links, problems]));
    for (const line of formatProblems(g.problems)) ui.log(line);
  },
});

/** One line per problem (and its fix), numbered as on the picture. */
function formatProblems(problems: readonly GraphProblem[]): string[] {
  return problems.flatMap((p, i) => {
    const where = p.location ? `${p.location.file}${p.location.line ? `:${p.location.line}:${p.location.column ?? 1}` : ''}: ` : '';
    return [`  ${i + 1}. ${where}${p.severity} ${p.code}: ${p.message}`, `     fix: ${p.hint}`];
  });
}
