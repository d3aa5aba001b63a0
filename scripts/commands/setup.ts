/** `omni setup`: from nothing to a working Omni-Channel org, re-runnably. */
import { COMMON_EXIT_CODES, defineCommand } from '../cli/command.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { SetupResult } from '../setup/run.ts';
import { formatSetup } from '../setup/format.ts';

export default defineCommand<SetupResult>({
  id: 'setup',
  summary: 'From nothing to a working Omni-Channel org: doctor, validate, deploy, assign, grant status access, verify; re-runnable.',
  description: [
    'Stages, stopping at the first that fails (later ones are reported as skipped):',
    '  doctor    preflight checks (what later stages repair is a warning here)',
    '  validate  the offline rules of "omni validate"',
    '  deploy    skipped when "omni plan" shows no changes; otherwise only the changed files are deployed',
    '  record-settings  the spec\'s notificationSound and transferDestinations set on the records (one PATCH for',
    '            what differs, none otherwise; journalled in .omni/records/; a failed record is exit 68)',
    '  assign    "omni assign apply --file ASSIGNMENTS" (journalled; writes only differences)',
    '  grant     agents of the file who cannot go online get the project\'s permission set granting an online status',
    '  verify    plan shows no changes, the assignments equal the file, every agent can go online',
    'A second run changes nothing: no deploy request, no assignment or permission set writes.',
    'Production orgs need one yes on a terminal (asked before the first change) or --no-prompt.',
  ].join('\n'),
  examples: [
    'omni setup --target-org my-sandbox --file config/assignments/uat.yaml',
    'omni setup --target-org omni-scratch --file config/assignments/scratch.yaml --no-prompt --json',
  ],
  flags: {
    ...ORG_FLAGS,
    file: { type: 'string', short: 'f', aliases: ['assignments'], valueName: 'FILE', summary: 'Assignment file (config/assignments/<org>.yaml); without it assign and grant are skipped.' },
    'no-prompt': { type: 'boolean', default: false, summary: 'Do not ask before changing a production org (scripts and CI).' },
    report: { type: 'string', valueName: 'FILE', summary: 'Write the routing graph of the org after setup (agents per configuration, members per queue) as a self-contained HTML file.' },
    'replace-assignments': { type: 'boolean', default: false, summary: "Deploy with --replace-assignments: the org's user assignments the files don't list are removed (default: kept)." },
    wait: { type: 'boolean', default: false, summary: 'If another run is changing assignments in the same org, wait for it to finish instead of stopping.' },
    'grant-access': { type: 'boolean', default: true, summary: 'Assign the project\'s status permission set to agents who cannot go online (--no-grant-access: only report them).' },
  },
  exitCodes: {
    ...COMMON_EXIT_CODES,
    1: 'A stage failed (its message, fix and the skipped stages are listed).',
    68: 'Partial: some assignments or permission set grants failed (listed; resume or undo with the printed commands).',
    69: 'The deploy is still running in the org: follow it with "omni deploy report", then run setup again.',
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
