/** `omni doctor`: preflight and health of an org against the project, each check with its fix. */
import { COMMON_EXIT_CODES, defineCommand } from '../cli/command.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { DoctorReport } from '../setup/doctor.ts';
import { formatDoctor } from '../setup/format.ts';

export default defineCommand<DoctorReport>({
  id: 'doctor',
  summary: 'Check an org against the project: API version, Omni-Channel, limits, assignments, status access, capacity vs routing weight.',
  description: [
    'Each check reports ok, warn, fail or skip, with the fix. Nothing is changed in the org.',
    'Checks: API reachable and ≥ sourceApiVersion; org type; Omni-Channel enabled (and skills routing /',
    'status-based capacity when the source uses them); daily API requests left vs what a setup spends;',
    'users the assignment file selects without a presence configuration; agents who cannot go online;',
    'queues whose routing weight exceeds the capacity of agents serving them (queue members from the',
    'project\'s Queue files: users, AllInternalUsers; other groups and roles are reported as unknown links).',
  ].join('\n'),
  examples: ['omni doctor --target-org my-sandbox --file config/assignments/uat.yaml', 'omni doctor --target-org omni-scratch --json'],
  flags: {
    ...ORG_FLAGS,
    file: { type: 'string', short: 'f', aliases: ['assignments'], valueName: 'FILE', summary: 'Assignment file whose users to check (config/assignments/<org>.yaml).' },
  },
  exitCodes: { ...COMMON_EXIT_CODES, 1: 'At least one check failed (each failure lists its fix), or the assignment file is invalid.' },
  resultSchema: {
    type: 'object',
    required: ['checks', 'summary', 'failed'],
    properties: {
      org: { type: ['object', 'null'] },
      assignments: { type: ['string', 'null'] },
      checks: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'title', 'status', 'message'],
          properties: {
            id: { type: 'string' },
            title: { type: 'string' },
            status: { enum: ['ok', 'warn', 'fail', 'skip'] },
            message: { type: 'string' },
            fix: { type: 'string' },
            repairedBySetup: { enum: ['deploy', 'assign', 'grant'] },
            durationMs: { type: 'integer' },
            details: {},
          },
        },
      },
      summary: { type: 'object' },
      failed: { type: 'boolean' },
    },
  },
  async run(ctx) {
    const { runDoctor } = await import('../setup/doctor.ts');
    const report = await runDoctor({ cwd: ctx.cwd, env: ctx.env, flags: ctx.flags, assignments: ctx.flags.file as string | undefined });
    return { status: report.failed ? 1 : 0, result: report };
  },
  render(report, ui) {
    for (const line of formatDoctor(report)) ui.log(line);
  },
});

