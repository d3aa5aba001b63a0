import { defineCommand } from '../cli/command.ts';
import { concurrencyFrom, LOCK_FLAGS, RUN_RESULT_SCHEMA, SOURCE_FLAGS, renderPlan, renderRun, sourceFlags } from '../assign/cli.ts';
import type { Plan } from '../assign/plan.ts';
import type { RunReport } from '../assign/run.ts';

export type ApplyResult = (RunReport & { plan: Plan['summary'] }) | (Plan & { dryRun: true });

export default defineCommand<ApplyResult>({
  id: 'assign apply',
  flags: {
    ...SOURCE_FLAGS,
    ...LOCK_FLAGS,
    'dry-run': { type: 'boolean', default: false },
    yes: { type: 'boolean', short: 'y', default: false },
    'no-prompt': { type: 'boolean', default: false },
  },
  resultSchema: RUN_RESULT_SCHEMA,
  async run(ctx) {
    const { loadDesired, planAssignments, assertNoConflicts, applyPlan, exitStatus, writeCount, reserveRunId } = await import('../assign/run.ts');
    const { connectOrg, connectOptionsFromFlags, describeOrg, confirmOrgChange } = await import('../org/connection.ts');
    const { OmniError } = await import('../lib/errors.ts');
    const { catalogueError } = await import('../lib/messages.ts');
    const { trapInterrupt, withOrgLock, runExitCode } = await import('../assign/cli.ts');
    const { desired, source } = loadDesired(sourceFlags(ctx), ctx.cwd);
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    if (ctx.flags['dry-run']) {
      const outcome = await planAssignments(session, desired, { prune: Boolean(ctx.flags.prune) });
      assertNoConflicts(outcome.plan);
      for (const w of outcome.plan.warnings) ctx.warn(w);
      return { status: 0, result: { ...outcome.plan, dryRun: true as const } };
    }
    const trap = trapInterrupt(ctx.ui);
    try {
      // The lock covers the plan too: a second run waits (--wait) and then plans from the first one's result.
      const runId = reserveRunId(session, ctx.cwd);
      return await withOrgLock(ctx, session, trap, 'assign apply', runId, async () => {
        const outcome = await planAssignments(session, desired, { prune: Boolean(ctx.flags.prune) });
        assertNoConflicts(outcome.plan);
        for (const w of outcome.plan.warnings) ctx.warn(w);
        const writes = writeCount(outcome.plan);
        if (writes > 0) {
          // The plan has just read PresenceUserConfig: Omni-Channel is on (its objects don't exist otherwise).
          const info = await describeOrg(session, { omniEnabled: true });
          if (!info.omniEnabled) throw catalogueError('OmniChannelDisabled', { variant: 'assign', tokens: [session.label] });
          await confirmOrgChange(info, session, {
            noPrompt: Boolean(ctx.flags.yes || ctx.flags['no-prompt']),
            action: `Change ${outcome.plan.summary.create + outcome.plan.summary.move + outcome.plan.summary.remove} presence configuration assignment(s)`,
            confirm: (q) => ctx.ui.confirm(q),
            interactive: ctx.ui.interactive,
          });
        }
        if (trap.signal.stopping) throw new OmniError('Interrupted before any change; nothing was written to the org.', { name: 'Interrupted', exitCode: trap.exitCode ?? 130 });
        for (const i of outcome.plan.inactive) ctx.warn(`Skipped inactive user ${i.username} (${i.via}, ${i.location}).`);
        const total = outcome.plan.items.filter((i) => i.action !== 'unchanged').length;
        const bar = total > 200 ? ctx.ui.progress('Assigning', total) : undefined;
        const report = await applyPlan(session, outcome, {
          cwd: ctx.cwd,
          source,
          runId,
          signal: trap.signal,
          onWriter: (w) => trap.attach(w),
          concurrency: concurrencyFrom(ctx.env),
          onProgress: (done) => bar?.update(done),
        });
        bar?.done();
        return { status: runExitCode(trap, report, exitStatus), result: { ...report, plan: outcome.plan.summary } };
      });
    } finally {
      trap.release();
    }
  },
  render(result, ui) {
    if ('dryRun' in result) renderPlan(result, ui);
    else renderRun(result, ui);
  },
});
