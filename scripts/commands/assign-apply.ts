import { defineCommand } from '../cli/command.ts';
import type { ApplyResult } from '../assign/engines.ts';
import { LOCK_FLAGS, SOURCE_FLAGS, renderPlan, renderRun, sourceFromFlags } from './shared/assign.ts';
import { connectOptionsFromFlags, NO_PROMPT_FLAG, LOCAL_INPUT_FIRST } from './shared/org.ts';

export default defineCommand<ApplyResult>({
  id: 'assign apply',
  ...LOCAL_INPUT_FIRST,
  stages: true,
  tables: true,
  flags: {
    ...SOURCE_FLAGS,
    ...LOCK_FLAGS,
    'dry-run': { type: 'boolean', default: false },
    ...NO_PROMPT_FLAG,
  },
  async run(ctx) {
    const { loadDesired } = await import('../assign/run.ts');
    const { assignApply } = await import('../assign/engines.ts');
    const { connectOrg } = await import('../org/connection.ts');
    const { desired, source } = await loadDesired(sourceFromFlags(ctx.flags), ctx.cwd);
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    return assignApply(
      session,
      { desired, source, prune: Boolean(ctx.flags.prune), dryRun: Boolean(ctx.flags['dry-run']), noPrompt: Boolean(ctx.flags['no-prompt']), wait: Boolean(ctx.flags.wait) },
      ctx,
    );
  },
  render(result, ui) {
    if ('dryRun' in result) renderPlan(result, ui);
    else renderRun(result, ui);
  },
});
