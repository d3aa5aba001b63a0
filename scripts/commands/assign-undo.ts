import { defineCommand } from '../cli/command.ts';
import { concurrencyFrom, LOCK_FLAGS, RUN_RESULT_SCHEMA, renderRun } from '../assign/cli.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { RunReport } from '../assign/run.ts';

export default defineCommand<RunReport>({
  id: 'assign undo',
  args: [{ name: 'runId', required: true }],
  flags: { ...ORG_FLAGS, ...LOCK_FLAGS, yes: { type: 'boolean', short: 'y', default: false } },
  resultSchema: RUN_RESULT_SCHEMA,
  async run(ctx) {
    const { undoRun, exitStatus, reserveRunId } = await import('../assign/run.ts');
    const { connectOrg, connectOptionsFromFlags, describeOrg, confirmOrgChange } = await import('../org/connection.ts');
    const { trapInterrupt, withOrgLock, runExitCode } = await import('../assign/cli.ts');
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    const info = await describeOrg(session);
    await confirmOrgChange(info, session, { noPrompt: Boolean(ctx.flags.yes), action: `Undo assignment run ${ctx.args[0]}`, confirm: (q) => ctx.ui.confirm(q), interactive: ctx.ui.interactive });
    const trap = trapInterrupt(ctx.ui);
    try {
      const runId = reserveRunId(session, ctx.cwd);
      return await withOrgLock(ctx, session, trap, 'assign undo', runId, async () => {
        const report = await undoRun(session, ctx.args[0], { cwd: ctx.cwd, runId, signal: trap.signal, onWriter: (w) => trap.attach(w), concurrency: concurrencyFrom(ctx.env) });
        return { status: runExitCode(trap, report, exitStatus), result: report };
      });
    } finally {
      trap.release();
    }
  },
  render: renderRun,
});
