import { defineCommand } from '../cli/command.ts';
import { connectOptionsFromFlags, ORG_FLAGS, LOCAL_INPUT_FIRST } from './shared/org.ts';
import type { AccessReport } from '../assign/access.ts';
import { countText, messageText } from '../lib/messages.ts';

export default defineCommand<AccessReport>({
  id: 'access check',
  ...LOCAL_INPUT_FIRST,
  tables: true,
  flags: { ...ORG_FLAGS, file: { type: 'string', short: 'f', valueName: 'FILE', path: 'file' } },
  async run(ctx) {
    const { loadDesired } = await import('../assign/run.ts');
    const { connectOrg } = await import('../org/connection.ts');
    const { accessCheck } = await import('../assign/engines.ts');
    const desired = ctx.flags.file ? (await loadDesired({ file: ctx.flags.file as string }, ctx.cwd)).desired : undefined;
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    return accessCheck(session, { desired }, ctx);
  },
  render(report, ui) {
    const flagged = report.agents.filter((a) => !a.canGoOnline || a.unusableReferenced.length);
    ui.table(
      flagged.slice(0, 200).map((a) => ({
        user: a.username,
        configuration: a.configuration,
        online: a.canGoOnline ? 'yes' : 'NO',
        statuses: a.statuses.join(', ') || '—',
        problem: [!a.canGoOnline ? messageText('command-output', 'access.noOnlineStatus') : '', ...a.unusableReferenced.map((u) => messageText('command-output', 'access.notGranted', [u.field, u.status]))].filter(Boolean).join('; '),
      })),
      ['user', 'configuration', 'online', 'statuses', 'problem'],
    );
    const s = report.summary;
    ui.log(countText('command-output', 'access.summary', s.agents, [s.agents, s.cannotGoOnline, s.unusableReferenced]));
    if (s.cannotGoOnline) ui.log(messageText('command-output', 'access.grantHint'));
  },
});
