/** `omni setup`: from nothing to a working Omni-Channel org, re-runnably. */
import { defineCommand } from '../cli/command.ts';
import { countText, messageText } from '../lib/messages.ts';
import { connectOptionsFromFlags, NO_PROMPT_FLAG, ORG_FLAGS, LOCAL_INPUT_FIRST } from './shared/org.ts';
import type { SetupResult } from '../setup/run.ts';
import { formatSetup } from './shared/setup-format.ts';

export default defineCommand<SetupResult>({
  id: 'setup',
  ...LOCAL_INPUT_FIRST,
  stages: true,
  flags: {
    ...ORG_FLAGS,
    file: { type: 'string', short: 'f', aliases: ['assignments'], valueName: 'FILE', path: 'file' },
    ...NO_PROMPT_FLAG,
    report: { type: 'string', valueName: 'FILE' },
    'replace-assignments': { type: 'boolean', default: false },
    wait: { type: 'boolean', default: false },
    'grant-access': { type: 'boolean', default: true },
  },
  async run(ctx) {
    const { runSetup } = await import('../setup/run.ts');
    const f = ctx.flags;
    return runSetup(
      { connect: connectOptionsFromFlags(f, ctx.env) },
      { assignments: f.file as string | undefined, report: f.report as string | undefined, noPrompt: Boolean(f['no-prompt']), grantAccess: f['grant-access'] !== false, replaceAssignments: Boolean(f['replace-assignments']), wait: Boolean(f.wait) },
      ctx,
    );
  },
  render(result, ui) {
    for (const line of formatSetup(result)) ui.log(line);
    if (result.report) {
      const { file, components, problems } = result.report;
      ui.log(messageText('graph-output', 'routingReport', [file, countText('graph-output', 'count.component', components, [components]), countText('graph-output', 'count.problem', problems, [problems])]));
    }
  },
});
