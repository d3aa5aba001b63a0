import { COMMON_EXIT_CODES, defineCommand } from '../cli/command.ts';
import { concurrencyFrom, LOCK_FLAGS, RUN_RESULT_SCHEMA, renderRun } from '../assign/cli.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { RunReport } from '../assign/run.ts';

export default defineCommand<RunReport>({
  id: 'assign resume',
  summary: 'Continue an interrupted or partial assignment run from its journal.',
  description: 'Waits for any Bulk job the run left, re-reads the org for the users and profiles still pending, and brings them to their targets (moves atomically). Holds the org lock like apply.',
  examples: ['omni assign resume 20260101T120000000Z-uat --target-org uat'],
  args: [{ name: 'runId', summary: 'The run id printed by apply (a file name in .omni/runs without .json).', required: true }],
  flags: { ...ORG_FLAGS, ...LOCK_FLAGS },
  exitCodes: { ...COMMON_EXIT_CODES, 1: 'Failed: another run holds the org, the journal is missing or unwritable, or the session expired.', 68: 'Partial: some users or profiles still failed.', 130: 'Interrupted again (SIGINT); resume once more.', 143: 'Terminated (SIGTERM); resume once more.' },
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
