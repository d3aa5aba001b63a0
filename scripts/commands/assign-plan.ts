import { defineCommand, OUTPUT_DETAIL_FLAGS, outputDetail } from '../cli/command.ts';
import { SOURCE_FLAGS, sourceFromFlags, renderPlan } from './shared/assign.ts';
import type { Plan } from '../assign/plan.ts';
import { connectOptionsFromFlags, LOCAL_INPUT_FIRST } from './shared/org.ts';

export default defineCommand<Plan>({
  id: 'assign plan',
  ...LOCAL_INPUT_FIRST,
  tables: true,
  flags: {
    ...SOURCE_FLAGS,
    concise: { type: 'boolean' },
    verbose: OUTPUT_DETAIL_FLAGS.verbose,
  },
  async run(ctx) {
    const { loadDesired } = await import('../assign/run.ts');
    const { assignPlan } = await import('../assign/engines.ts');
    const { connectOrg } = await import('../org/connection.ts');
    const { desired } = await loadDesired(sourceFromFlags(ctx.flags), ctx.cwd);
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    return assignPlan(session, { desired, prune: Boolean(ctx.flags.prune) }, ctx);
  },
  render(plan, ui, flags) {
    renderPlan(plan, ui, { detail: outputDetail(flags) });
  },
});
