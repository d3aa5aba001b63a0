import { defineCommand, OUTPUT_DETAIL_FLAGS, outputDetail } from '../cli/command.ts';
import { SOURCE_FLAGS, sourceFlags, renderPlan } from '../assign/cli.ts';
import type { Plan } from '../assign/plan.ts';

export default defineCommand<Plan>({
  id: 'assign plan',
  flags: {
    ...SOURCE_FLAGS,
    concise: { type: 'boolean' },
    verbose: OUTPUT_DETAIL_FLAGS.verbose,
  },
  resultSchema: { type: 'object', properties: { items: { type: 'array' }, conflicts: { type: 'array' }, inactive: { type: 'array' }, summary: { type: 'object' } } },
  async run(ctx) {
    outputDetail(ctx.flags, 'assign plan'); // --concise with --verbose: exit 2 before reading the org
    const { loadDesired, planAssignments, assertNoConflicts } = await import('../assign/run.ts');
    const { connectOrg, connectOptionsFromFlags } = await import('../org/connection.ts');
    const { desired } = loadDesired(sourceFlags(ctx), ctx.cwd);
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    const { plan } = await planAssignments(session, desired, { prune: Boolean(ctx.flags.prune) });
    assertNoConflicts(plan);
    for (const w of plan.warnings) ctx.warn(w);
    return { status: 0, result: plan };
  },
  render(plan, ui, flags) {
    renderPlan(plan, ui, { detail: outputDetail(flags, 'assign plan') });
  },
});
