import { COMMON_EXIT_CODES, defineCommand } from '../cli/command.ts';
import { concurrencyFrom, RUN_RESULT_SCHEMA, SOURCE_FLAGS, renderPlan, renderRun, sourceFlags, trapInterrupt } from '../assign/cli.ts';
import type { Plan } from '../assign/plan.ts';
import type { RunReport } from '../assign/run.ts';

type ApplyResult = (RunReport & { plan: Plan['summary'] }) | (Plan & { dryRun: true });

export default defineCommand<ApplyResult>({
  id: 'assign apply',
  summary: 'Assign presence configurations to users and profiles in bulk, re-runnably and journalled.',
  description:
    'Plans like "omni assign plan", then writes through sObject Collections (200 records a call, a few in flight) or Bulk API 2.0 above 2,000 creates and removes (moves always go through Collections, so the gap between a move\'s delete and create is one request). ' +
    'A move deletes the old row and creates the new one; if the create fails the old row is recreated. Transient errors are retried after re-reading the org. ' +
    'The journal .omni/runs/<run>.json records the prior state first; "omni assign resume" and "omni assign undo" use it.',
  examples: [
    'omni assign apply --file config/assignments/uat.yaml --target-org uat',
    'omni assign apply --config miaw --user a@x.com --user b@x.com --profile "Custom: Support Agent" --csv agents.csv',
    'omni assign apply --file config/assignments/prod.yaml --target-org prod --yes --json',
  ],
  flags: {
    ...SOURCE_FLAGS,
    'dry-run': { type: 'boolean', default: false, summary: 'Only plan (same as "omni assign plan").' },
    yes: { type: 'boolean', short: 'y', default: false, summary: 'Do not ask for confirmation on a production org (scripts and CI).' },
    'no-prompt': { type: 'boolean', default: false, summary: 'Same as --yes.' },
  },
  exitCodes: {
    ...COMMON_EXIT_CODES,
    1: 'Nothing done: invalid file, conflicts (all listed, nothing written), no confirmation for production, or every write failed.',
    68: 'Partial: some users or profiles failed (each listed with error code); resume or undo with the printed commands.',
    130: 'Interrupted (SIGINT): in-flight requests finished, journal written; resume or undo with the printed commands.',
  },
  resultSchema: RUN_RESULT_SCHEMA,
  async run(ctx) {
    const { loadDesired, planAssignments, assertNoConflicts, applyPlan, exitStatus, writeCount } = await import('../assign/run.ts');
    const { connectOrg, connectOptionsFromFlags, describeOrg, confirmOrgChange } = await import('../org/connection.ts');
    const { OmniError } = await import('../cli/errors.ts');
    const { desired, source } = loadDesired(sourceFlags(ctx), ctx.cwd);
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    const outcome = await planAssignments(session, desired, { prune: Boolean(ctx.flags.prune) });
    assertNoConflicts(outcome.plan);
    for (const w of outcome.plan.warnings) ctx.warn(w);
    if (ctx.flags['dry-run']) return { status: 0, result: { ...outcome.plan, dryRun: true as const } };
    const writes = writeCount(outcome.plan);
    if (writes > 0) {
      const info = await describeOrg(session);
      if (!info.omniEnabled) throw new OmniError(`Omni-Channel is not enabled in ${session.label}.`, { name: 'OmniDisabled', actions: ['Enable Omni-Channel (deploy OmniChannelSettings) first.'] });
      await confirmOrgChange(info, session, {
        noPrompt: Boolean(ctx.flags.yes || ctx.flags['no-prompt']),
        action: `Change ${outcome.plan.summary.create + outcome.plan.summary.move + outcome.plan.summary.remove} presence configuration assignment(s)`,
        confirm: (q) => ctx.ui.confirm(q),
        interactive: ctx.ui.interactive,
      });
    }
    for (const i of outcome.plan.inactive) ctx.warn(`Skipped inactive user ${i.username} (${i.via}, ${i.location}).`);
    const trap = trapInterrupt(ctx.ui);
    const total = outcome.plan.items.filter((i) => i.action !== 'unchanged').length;
    const bar = total > 200 ? ctx.ui.progress('Assigning', total) : undefined;
    try {
      const report = await applyPlan(session, outcome, { cwd: ctx.cwd, source, signal: trap.signal, concurrency: concurrencyFrom(ctx.env), onProgress: (done) => bar?.update(done) });
      bar?.done();
      const status = trap.signal.stopping && report.status === 'interrupted' ? 130 : exitStatus(report);
      return { status, result: { ...report, plan: outcome.plan.summary } };
    } finally {
      trap.release();
    }
  },
  render(result, ui) {
    if ('dryRun' in result) renderPlan(result, ui);
    else renderRun(result, ui);
  },
});
