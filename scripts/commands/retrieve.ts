/** `omni retrieve`: fetch the Omni metadata from an org and write it in the project's canonical form. */
import { COMMON_EXIT_CODES, defineCommand } from '../cli/command.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { RetrieveCommandResult } from '../deploy/retrieve.ts';

export default defineCommand<RetrieveCommandResult>({
  id: 'retrieve',
  summary: 'Retrieve the Omni-Channel metadata from an org into the project (canonical format; reports created/updated/unchanged).',
  description: [
    'Without --types, retrieves the components the project already has (or, in a project without any, every',
    'Omni type). Files are rewritten with the project serializer, so retrieving what was just deployed changes',
    'no byte. PermissionSets and Profiles only get their servicePresenceStatusAccesses replaced.',
    '--extract-assignments FILE moves the <users> of presence configurations out of the XML into a per-org',
    'assignment file in the format of config/assignments/*.yaml (presenceConfigurations.<name>.users.usernames),',
    'ready for "omni assign plan --file FILE". An existing file keeps everything but those usernames.',
  ].join('\n'),
  flags: {
    ...ORG_FLAGS,
    types: {
      type: 'string',
      short: 'm',
      multiple: true,
      valueName: 'TYPE',
      summary: 'Metadata type to retrieve in full (e.g. PresenceUserConfig); PermissionSet/Profile only for files the project has.',
    },
    'output-dir': { type: 'string', short: 'r', valueName: 'DIR', summary: 'Package directory to write to (default: the default package directory).' },
    'extract-assignments': { type: 'string', valueName: 'FILE', summary: 'Move presence-configuration user assignments into this YAML file (mode 0600).' },
  },
  exitCodes: { ...COMMON_EXIT_CODES, 1: 'Failed: not connected, Omni-Channel off, or the retrieve failed.' },
  resultSchema: {
    type: 'object',
    required: ['files', 'summary'],
    properties: {
      org: { type: 'object', properties: { username: { type: 'string' }, instanceUrl: { type: 'string' } } },
      outputDir: { type: 'string' },
      files: {
        type: 'array',
        items: {
          type: 'object',
          properties: { type: { type: 'string' }, fullName: { type: 'string' }, file: { type: 'string' }, action: { enum: ['created', 'updated', 'unchanged'] } },
        },
      },
      summary: { type: 'object', properties: { created: { type: 'integer' }, updated: { type: 'integer' }, unchanged: { type: 'integer' } } },
      assignmentsFile: { type: ['string', 'null'] },
      messages: { type: 'array', items: { type: 'string' } },
    },
  },
  examples: [
    'omni retrieve --target-org my-sandbox',
    'omni retrieve --types PresenceUserConfig --types ServicePresenceStatus --output-dir force-app',
    'omni retrieve --target-org prod --extract-assignments config/assignments/prod.yaml',
  ],
  async run(ctx) {
    const { runRetrieve } = await import('../deploy/retrieve.ts');
    const { connectOptionsFromFlags } = await import('../org/connection.ts');
    const f = ctx.flags;
    return runRetrieve(
      ctx,
      { outputDir: f['output-dir'] as string | undefined, types: (f.types as string[] | undefined) ?? [], extractAssignments: f['extract-assignments'] as string | undefined },
      { connect: connectOptionsFromFlags(f, ctx.env) },
    );
  },
  render(result, ui) {
    ui.table(result.files.filter((f) => f.action !== 'unchanged').map((f) => ({ action: f.action, type: f.type, name: f.fullName, file: f.file })));
    for (const m of result.messages) ui.info(`Note: ${m}`);
    if (result.assignmentsFile) ui.log(`User assignments written to ${result.assignmentsFile}.`);
    ui.log(`Retrieved ${result.files.length} component(s): ${result.summary.created} created, ${result.summary.updated} updated, ${result.summary.unchanged} unchanged.`);
  },
});
