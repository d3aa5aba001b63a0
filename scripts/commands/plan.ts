/** `omni plan`: what `omni deploy` would change in the org, field by field. */
import { defineCommand } from '../cli/command.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { PlanCommandResult } from '../deploy/plan.ts';
import { renderPlan } from '../deploy/plan-render.ts';
import { RECORD_CHANGE_SCHEMA } from '../deploy/schemas.ts';

export default defineCommand<PlanCommandResult>({
  id: 'plan',
  flags: {
    'source-dir': { type: 'string', short: 'd', valueName: 'DIR' },
    ...ORG_FLAGS,
    'detailed-exitcode': { type: 'boolean' },
    'replace-assignments': { type: 'boolean' },
  },
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
              items: { type: 'object', properties: { element: { type: 'string' }, action: { enum: ['kept', 'removed'] }, count: { type: 'integer' }, members: { type: 'array', items: { type: 'string' } } } },
            },
          },
        },
      },
      summary: { type: 'object' },
      hasChanges: { type: 'boolean' },
      recordSettings: { type: 'array', items: RECORD_CHANGE_SCHEMA },
      notes: { type: 'array', items: { type: 'string' } },
    },
  },
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
