/** `omni setup`: from nothing to a working Omni-Channel org, re-runnably. */
import { defineCommand } from '../cli/command.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { SetupResult } from '../setup/run.ts';
import { formatSetup } from '../setup/format.ts';

export default defineCommand<SetupResult>({
  id: 'setup',
  flags: {
    ...ORG_FLAGS,
    file: { type: 'string', short: 'f', aliases: ['assignments'], valueName: 'FILE' },
    'no-prompt': { type: 'boolean', default: false },
    report: { type: 'string', valueName: 'FILE' },
    'replace-assignments': { type: 'boolean', default: false },
    wait: { type: 'boolean', default: false },
    'grant-access': { type: 'boolean', default: true },
  },
  resultSchema: {
    type: 'object',
    required: ['stages'],
    properties: {
      org: { type: ['object', 'null'] },
      assignments: { type: ['string', 'null'] },
      stages: {
        type: 'array',
        items: {
          type: 'object',
          required: ['stage', 'status', 'exitCode', 'durationMs', 'summary', 'details'],
          properties: {
            stage: { enum: ['doctor', 'validate', 'deploy', 'record-settings', 'assign', 'grant', 'verify'] },
            status: { enum: ['ok', 'warn', 'failed', 'skipped'] },
            exitCode: { type: 'integer' },
            durationMs: { type: 'integer' },
            summary: { type: 'string' },
            details: { type: 'object' },
          },
        },
      },
      outcome: { type: 'object' },
      report: { type: 'object', properties: { file: { type: 'string' }, components: { type: 'integer' }, problems: { type: 'integer' } } },
    },
  },
  async run(ctx) {
    const { runSetup } = await import('../setup/run.ts');
    return runSetup(ctx);
  },
  render(result, ui) {
    for (const line of formatSetup(result)) ui.log(line);
    if (result.report) ui.log(`Routing report: ${result.report.file} (${result.report.components} components, ${result.report.problems} problem${result.report.problems === 1 ? '' : 's'}).`);
  },
});
