/** `omni plan`: what `omni deploy` would change in the org, field by field. */
import { defineCommand } from '../cli/command.ts';
import { connectOptionsFromFlags, ORG_FLAGS, LOCAL_INPUT_FIRST } from './shared/org.ts';
import type { PlanCommandResult } from '../deploy/plan.ts';
import { renderPlan } from './shared/plan-render.ts';

export default defineCommand<PlanCommandResult>({
  id: 'plan',
  ...LOCAL_INPUT_FIRST,
  stages: true,
  flags: {
    'source-dir': { type: 'string', short: 'd', valueName: 'DIR', path: 'exists' },
    ...ORG_FLAGS,
    'detailed-exitcode': { type: 'boolean' },
    'replace-assignments': { type: 'boolean' },
  },
  async run(ctx) {
    const { runPlan } = await import('../deploy/plan.ts');
    const f = ctx.flags;
    return runPlan(
      { connect: connectOptionsFromFlags(f, ctx.env) },
      { sourceDir: f['source-dir'] as string | undefined, replaceAssignments: Boolean(f['replace-assignments']), detailedExitCode: Boolean(f['detailed-exitcode']) },
      ctx,
    );
  },
  render(result, ui) {
    renderPlan(result, (line) => ui.log(line));
  },
});
