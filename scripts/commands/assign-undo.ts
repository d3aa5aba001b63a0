import { defineCommand } from '../cli/command.ts';
import { LOCK_FLAGS, renderRun } from './shared/assign.ts';
import { connectOptionsFromFlags, ORG_FLAGS } from './shared/org.ts';
import type { RunReport } from '../assign/run.ts';

export default defineCommand<RunReport>({
  id: 'assign undo',
  args: [{ name: 'runId', required: true }],
  flags: { ...ORG_FLAGS, ...LOCK_FLAGS, yes: { type: 'boolean', short: 'y', default: false } },
  async run(ctx) {
    const { assignUndo } = await import('../assign/engines.ts');
    const { connectOrg } = await import('../org/connection.ts');
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    return assignUndo(session, { runId: ctx.args[0], wait: Boolean(ctx.flags.wait), noPrompt: Boolean(ctx.flags.yes) }, ctx);
  },
  render: renderRun,
});
