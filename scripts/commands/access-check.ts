import { defineCommand } from '../cli/command.ts';
import { connectOptionsFromFlags, ORG_FLAGS } from './shared/org.ts';
import type { AccessReport } from '../assign/access.ts';

export default defineCommand<AccessReport>({
  id: 'access check',
  flags: { ...ORG_FLAGS, file: { type: 'string', short: 'f', valueName: 'FILE' } },
  async run(ctx) {
    const { loadDesired } = await import('../assign/run.ts');
    const { connectOrg } = await import('../org/connection.ts');
    const { accessCheck } = await import('../assign/engines.ts');
    const desired = ctx.flags.file ? loadDesired({ file: ctx.flags.file as string }, ctx.cwd).desired : undefined;
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
        problem: [!a.canGoOnline ? 'no granted status with a channel' : '', ...a.unusableReferenced.map((u) => `${u.field} ${u.status} not granted`)].filter(Boolean).join('; '),
      })),
      ['user', 'configuration', 'online', 'statuses', 'problem'],
    );
    const s = report.summary;
    ui.log(`${s.agents} agent(s) checked: ${s.cannotGoOnline} cannot go online, ${s.unusableReferenced} with a configuration status they cannot use.`);
    if (s.cannotGoOnline) ui.log('Grant an online status: add servicePresenceStatusAccesses (enabled true) to their profile or a permission set they hold, and deploy.');
  },
});
