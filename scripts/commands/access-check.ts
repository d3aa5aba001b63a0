import { COMMON_EXIT_CODES, defineCommand } from '../cli/command.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { AccessReport } from '../assign/access.ts';

export default defineCommand<AccessReport>({
  id: 'access check',
  summary: 'Check that assigned agents can go online: presence statuses granted through their profile and permission sets.',
  description:
    'For every user the assignment file assigns (or, without --file, every user holding a configuration in the org): the presence statuses they can use ' +
    '(profile or permission set servicePresenceStatusAccesses, API 64.0+), whether any of them is an online status (has channels), and whether the ' +
    'statuses their configuration switches to (on decline, on push timeout) are granted.',
  examples: ['omni access check --target-org uat --file config/assignments/uat.yaml', 'omni access check --json'],
  flags: { ...ORG_FLAGS, file: { type: 'string', short: 'f', valueName: 'FILE', summary: 'Assignment file whose users to check.' } },
  exitCodes: { ...COMMON_EXIT_CODES, 1: 'At least one agent cannot go online (no granted status with a channel), or the file is invalid.' },
  resultSchema: { type: 'object', properties: { agents: { type: 'array' }, summary: { type: 'object' }, problems: { type: 'array' } } },
  async run(ctx) {
    const { loadDesired } = await import('../assign/run.ts');
    const { connectOrg, connectOptionsFromFlags } = await import('../org/connection.ts');
    const { OrgApi } = await import('../assign/api.ts');
    const { checkAccess } = await import('../assign/access.ts');
    const desired = ctx.flags.file ? loadDesired({ file: ctx.flags.file as string }, ctx.cwd).desired : undefined;
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    const report = await checkAccess(new OrgApi(session.connection), desired);
    for (const p of report.problems) ctx.warn(p);
    return { status: report.summary.cannotGoOnline ? 1 : 0, result: report };
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
