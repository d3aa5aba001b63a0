import { defineCommand } from '../cli/command.ts';
import type { ExportResult } from '../assign/engines.ts';
import { countText, messageText } from '../lib/messages.ts';
import { connectOptionsFromFlags, ORG_FLAGS } from './shared/org.ts';

export default defineCommand<ExportResult>({
  id: 'assign export',
  tables: true,
  flags: {
    ...ORG_FLAGS,
    csv: { type: 'string', valueName: 'FILE' },
    yaml: { type: 'string', valueName: 'FILE' },
  },
  async run(ctx) {
    const { catalogueError } = await import('../lib/messages.ts');
    const { connectOrg } = await import('../org/connection.ts');
    const { assignExport } = await import('../assign/engines.ts');
    if (ctx.flags.csv && ctx.flags.yaml) throw catalogueError('UsageError', { variant: 'csvAndYaml' });
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    const file = (ctx.flags.csv ?? ctx.flags.yaml) as string | undefined;
    return assignExport(session, { write: file ? { format: ctx.flags.csv ? 'csv' : 'yaml', file } : undefined }, ctx);
  },
  render(result, ui) {
    if (!result.written) {
      ui.table(result.profiles.map((p) => ({ kind: 'profile', name: p.profile, configuration: p.presenceConfig })), ['kind', 'name', 'configuration']);
      ui.table(result.users.slice(0, 500).map((u) => ({ kind: 'user', name: u.username, configuration: u.presenceConfig, active: u.active })), ['kind', 'name', 'configuration', 'active']);
    }
    if (!result.written) ui.table(result.queueMembers.slice(0, 500).map((m) => ({ kind: 'queue member', name: m.username, queue: m.queue, active: m.active })), ['kind', 'name', 'queue', 'active']);
    const { profiles, users, queueMembers } = result.counts;
    const p = countText('command-output', 'export.count.profile', profiles, [profiles]);
    const u = countText('command-output', 'export.count.user', users, [users]);
    const q = countText('command-output', 'export.count.queueMember', queueMembers, [queueMembers]);
    ui.log(result.written ? messageText('command-output', 'export.summary.written', [p, u, q, result.written]) : messageText('command-output', 'export.summary', [p, u, q]));
  },
});
