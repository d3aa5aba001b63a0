import { COMMON_EXIT_CODES, defineCommand, OUTPUT_DETAIL_FLAGS, outputDetail } from '../cli/command.ts';
import { SOURCE_FLAGS, sourceFlags, renderPlan } from '../assign/cli.ts';
import type { Plan } from '../assign/plan.ts';

export default defineCommand<Plan>({
  id: 'assign plan',
  summary: 'Show what "omni assign apply" would change: per user and profile create, move, remove, unchanged.',
  description:
    'Reads the org\'s PresenceUserConfigUser/PresenceUserConfigProfile rows and resolves the selectors of the assignment file (or the quick flags). ' +
    'Lists every conflict at once (unknown users, profiles or configurations; a user or profile selected for two configurations). ' +
    "Each user's effective configuration after apply is shown: a user-level assignment beats the profile's.",
  examples: ['omni assign plan --file config/assignments/uat.yaml --target-org uat', 'omni assign plan --config miaw --user a@x.com --csv agents.csv --json'],
  flags: {
    ...SOURCE_FLAGS,
    concise: { type: 'boolean', summary: 'Show one line per presence configuration (users and profiles to create, move, remove, unchanged) instead of each user: for plans of thousands of rows.' },
    verbose: OUTPUT_DETAIL_FLAGS.verbose,
  },
  exitCodes: { ...COMMON_EXIT_CODES, 1: 'Invalid file or conflicts (all listed), or the org could not be read.' },
  resultSchema: { type: 'object', properties: { items: { type: 'array' }, conflicts: { type: 'array' }, inactive: { type: 'array' }, summary: { type: 'object' } } },
  async run(ctx) {
    outputDetail(ctx.flags, 'assign plan'); // --concise with --verbose: exit 2 before reading the org
    const { loadDesired, planAssignments, assertNoConflicts } = await import('../assign/run.ts');
    const { connectOrg, connectOptionsFromFlags } = await import('../org/connection.ts');
    const { desired } = loadDesired(sourceFlags(ctx), ctx.cwd);
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    const { plan } = await planAssignments(session, desired, { prune: Boolean(ctx.flags.prune) });
    assertNoConflicts(plan);
    for (const w of plan.warnings) ctx.warn(w);
    return { status: 0, result: plan };
  },
  render(plan, ui, flags) {
    renderPlan(plan, ui, { detail: outputDetail(flags, 'assign plan') });
  },
});
