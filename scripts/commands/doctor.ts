/** `omni doctor`: preflight and health of an org against the project, each check with its fix. */
import { defineCommand } from '../cli/command.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { DoctorReport } from '../setup/doctor.ts';
import { formatDoctor } from '../setup/format.ts';

export default defineCommand<DoctorReport>({
  id: 'doctor',
  flags: {
    ...ORG_FLAGS,
    file: { type: 'string', short: 'f', aliases: ['assignments'], valueName: 'FILE' },
  },
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

