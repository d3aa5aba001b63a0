/** `omni plan`: what `omni deploy` would change in the org, field by field. */
import { COMMON_EXIT_CODES, defineCommand } from '../cli/command.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { PlanCommandResult } from '../deploy/plan.ts';
import { renderPlan } from '../deploy/plan-render.ts';
import { RECORD_CHANGE_SCHEMA } from '../deploy/schemas.ts';

export default defineCommand<PlanCommandResult>({
  id: 'plan',
  summary: 'Compare the source with the org: components to create or update (field old → new), unchanged, only in the org.',
  description: [
    'The comparison is semantic: lists such as a status\'s channels or a configuration\'s assignments are',
    'compared as sets, profile names case-insensitively, and an absent element equals the default Salesforce',
    'applies (false for booleans, true for enableRequestSound). User assignments and queue user members the',
    'org holds are kept by a deploy (shown as "assignments kept" with the count), unless --replace-assignments.',
    'Nothing is changed in the org.',
    'Record settings of the spec (notificationSound, transferDestinations: fields the Metadata API has no',
    'element for) are compared with the records field by field and count as pending changes.',
    'With --detailed-exitcode: 0 no changes, 1 error, 3 changes pending (like terraform plan).',
  ].join('\n'),
  flags: {
    'source-dir': { type: 'string', short: 'd', valueName: 'DIR', summary: 'Source directory to compare (default: the package directories).' },
    ...ORG_FLAGS,
    'detailed-exitcode': { type: 'boolean', summary: 'Exit 3 when changes are pending, 0 when there are none.' },
    'replace-assignments': { type: 'boolean', summary: 'Plan as "omni deploy --replace-assignments": the org\'s user assignments the files do not list are shown as removed (default: kept).' },
  },
  exitCodes: { ...COMMON_EXIT_CODES, 0: 'Success (with --detailed-exitcode: no changes pending).', 3: 'Changes pending (only with --detailed-exitcode).' },
  resultSchema: {
    type: 'object',
    required: ['items', 'summary', 'hasChanges'],
    properties: {
      org: { type: 'object', properties: { username: { type: 'string' }, instanceUrl: { type: 'string' } } },
      items: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            fullName: { type: 'string' },
            action: { enum: ['create', 'update', 'unchanged', 'only-in-org'] },
            file: { type: ['string', 'null'] },
            changes: {
              type: 'array',
              items: { type: 'object', properties: { field: { type: 'string' }, old: {}, new: {} } },
            },
            assignments: {
              type: 'array',
              description: "Org-held members the file doesn't list: kept by the deploy, or removed with --replace-assignments.",
              items: { type: 'object', properties: { element: { type: 'string' }, action: { enum: ['kept', 'removed'] }, count: { type: 'integer' }, members: { type: 'array', items: { type: 'string' } } } },
            },
          },
        },
      },
      summary: { type: 'object' },
      hasChanges: { type: 'boolean', description: 'true when something would be created or updated (components or record settings)' },
      recordSettings: { type: 'array', items: RECORD_CHANGE_SCHEMA, description: 'Spec keys without a metadata element, compared with the org\'s records field by field.' },
      notes: { type: 'array', items: { type: 'string' } },
    },
  },
  examples: ['omni plan --target-org my-sandbox', 'omni plan --detailed-exitcode --json', 'omni plan --source-dir force-app/main/default/presenceUserConfigs'],
  async run(ctx) {
    const { runPlan } = await import('../deploy/plan.ts');
    const { connectOptionsFromFlags } = await import('../org/connection.ts');
    const f = ctx.flags;
    return runPlan(
      ctx,
      { sourceDir: f['source-dir'] as string | undefined, replaceAssignments: Boolean(f['replace-assignments']), detailedExitCode: Boolean(f['detailed-exitcode']) },
      { connect: connectOptionsFromFlags(f, ctx.env) },
    );
  },
  render(result, ui) {
    renderPlan(result, (line) => ui.log(line));
  },
});
