/** `omni doctor`: preflight and health of an org against the project, each check with its fix. */
import { defineCommand } from '../cli/command.ts';
import { connectOptionsFromFlags, ORG_FLAGS } from './shared/org.ts';
import type { DoctorReport } from '../setup/doctor.ts';
import { formatDoctor } from './shared/setup-format.ts';

export default defineCommand<DoctorReport>({
  id: 'doctor',
  flags: {
    ...ORG_FLAGS,
    file: { type: 'string', short: 'f', aliases: ['assignments'], valueName: 'FILE', path: 'file' },
  },
  // An org that is down is a finding of the report (its first check fails), which CI reads from result.checks.
  reportsUnreachableOrg: true,
  async run(ctx) {
    const { runDoctor } = await import('../setup/doctor.ts');
    return runDoctor({ connect: connectOptionsFromFlags(ctx.flags, ctx.env) }, { assignments: ctx.flags.file as string | undefined }, ctx);
  },
  render(report, ui) {
    for (const line of formatDoctor(report)) ui.log(line);
  },
});

