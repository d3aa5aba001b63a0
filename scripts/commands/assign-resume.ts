import { defineCommand } from '../cli/command.ts';
import { concurrencyFrom, LOCK_FLAGS, RUN_RESULT_SCHEMA, renderRun } from '../assign/cli.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { RunReport } from '../assign/run.ts';

export default defineCommand<RunReport>({
  id: 'assign resume',
  args: [{ name: 'runId', required: true }],
  flags: { ...ORG_FLAGS, ...LOCK_FLAGS },
  resultSchema: RUN_RESULT_SCHEMA,
  async run(ctx) {
    const { resumeRun, exitStatus } = await import('../assign/run.ts');
    const { connectOrg, connectOptionsFromFlags } = await import('../org/connection.ts');
    const { trapInterrupt, withOrgLock, runExitCode } = await import('../assign/cli.ts');
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    const trap = trapInterrupt(ctx.ui);
    try {
      return await withOrgLock(ctx, session, trap, 'assign resume', ctx.args[0], async () => {
        const report = await resumeRun(session, ctx.args[0], { cwd: ctx.cwd, signal: trap.signal, onWriter: (w) => trap.attach(w), concurrency: concurrencyFrom(ctx.env) });
        return { status: runExitCode(trap, report, exitStatus), result: report };
      });
    } finally {
      trap.release();
    }
  },
  render: renderRun,
});
