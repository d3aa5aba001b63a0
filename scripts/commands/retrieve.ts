/** `omni retrieve`: fetch the Omni metadata from an org and write it in the project's canonical form. */
import { defineCommand } from '../cli/command.ts';
import { connectOptionsFromFlags, ORG_FLAGS } from './shared/org.ts';
import type { RetrieveCommandResult } from '../deploy/retrieve.ts';
import { countText, messageText } from '../lib/messages.ts';

export default defineCommand<RetrieveCommandResult>({
  id: 'retrieve',
  stages: true,
  tables: true,
  flags: {
    ...ORG_FLAGS,
    // -m/--metadata TYPE[:NAME] as sf project retrieve start (and omni deploy); --types is its former name.
    metadata: { type: 'string', short: 'm', multiple: true, valueName: 'TYPE[:NAME]', aliases: ['types'] },
    'output-dir': { type: 'string', short: 'r', valueName: 'DIR' },
    'extract-assignments': { type: 'string', valueName: 'FILE' },
  },
  async run(ctx) {
    const { runRetrieve } = await import('../deploy/retrieve.ts');
    const f = ctx.flags;
    return runRetrieve(
      { connect: connectOptionsFromFlags(f, ctx.env) },
      { outputDir: f['output-dir'] as string | undefined, metadata: (f.metadata as string[] | undefined) ?? [], extractAssignments: f['extract-assignments'] as string | undefined },
      ctx,
    );
  },
  render(result, ui) {
    ui.table(result.files.filter((f) => f.action !== 'unchanged').map((f) => ({ action: f.action, type: f.type, name: f.fullName, file: f.file })));
    for (const m of result.messages) ui.info(messageText('deploy-output', 'note', [m]));
    if (result.assignmentsFile) ui.log(messageText('deploy-output', 'retrieve.assignmentsWritten', [result.assignmentsFile]));
    ui.log(countText('deploy-output', 'retrieve.summary', result.files.length, [result.files.length, result.summary.created, result.summary.updated, result.summary.unchanged]));
  },
});
