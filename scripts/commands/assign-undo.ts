import { defineCommand } from '../cli/command.ts';
import { LOCK_FLAGS, renderRun } from './shared/assign.ts';
import { connectOptionsFromFlags, NO_PROMPT_FLAG, ORG_FLAGS } from './shared/org.ts';
import type { RunReport } from '../assign/run.ts';

export default defineCommand<RunReport>({
  id: 'assign undo',
  args: [{ name: 'runId', required: true }],
  flags: { ...ORG_FLAGS, ...LOCK_FLAGS, ...NO_PROMPT_FLAG },
  async run(ctx) {
    const { assignUndo } = await import('../assign/engines.ts');
    const { connectOrg } = await import('../org/connection.ts');
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    return assignUndo(session, { runId: ctx.args[0], wait: Boolean(ctx.flags.wait), noPrompt: Boolean(ctx.flags['no-prompt']) }, ctx);
  },
  render: renderRun,
});
