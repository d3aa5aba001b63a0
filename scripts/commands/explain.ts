/** `omni explain`: why an agent does (not) get work — the chain walked link by link, the first broken one with its fix. */
import path from 'node:path';
import { defineCommand } from '../cli/command.ts';
import { catalogueError } from '../lib/messages.ts';
import { connectOptionsFromFlags, ORG_FLAGS } from './shared/org.ts';
import type { ExplainReport } from '../explain/explain.ts';

export default defineCommand<ExplainReport>({
  id: 'explain',
  args: [{ name: 'username', required: true }],
  flags: {
    queue: { type: 'string', short: 'q', valueName: 'QUEUE' },
    offline: { type: 'boolean', default: false },
    file: { type: 'string', short: 'f', multiple: true, valueName: 'FILE' },
    ...ORG_FLAGS,
  },
  async run(ctx) {
    const username = ctx.args[0];
    if (!username) throw catalogueError('UsageError', { variant: 'noUsername' });
    const queue = ctx.flags.queue as string | undefined;
    let report: ExplainReport;
    if (ctx.flags.offline) {
      const { loadProjectDocuments } = await import('../deploy/project-docs.ts');
      const { defaultAssignmentFiles } = await import('../graph/build.ts');
      const { explainOffline } = await import('../explain/offline.ts');
      const project = await loadProjectDocuments(ctx.cwd, []);
      const given = ctx.flags.file as string[] | undefined;
      const files = (given?.length ? given.map((f) => path.resolve(ctx.cwd, f)) : defaultAssignmentFiles(project.projectRoot)).map((file) => ({ file, shown: path.relative(ctx.cwd, file) || file }));
      const out = explainOffline(project.documents, files, username, { queue });
      for (const w of out.warnings) ctx.warn(w);
      report = out.report;
    } else {
      const { connectOrg, isOmniEnabled } = await import('../org/connection.ts');
      const { OrgApi } = await import('../assign/api.ts');
      const { explainInOrg } = await import('../explain/explain.ts');
      const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
      report = await explainInOrg(new OrgApi(session.connection), username, { queue, omniEnabled: await isOmniEnabled(session) });
    }
    return { status: report.canReceiveWork ? 0 : 1, result: report };
  },
  render(report, ui) {
    const mark = (ok: boolean | null) => (ok === true ? 'ok  ' : ok === false ? 'FAIL' : '?   ');
    for (const l of report.links) {
      ui.log(`${mark(l.ok)} ${l.queue ? `[${l.queue}] ` : ''}${l.check}: ${l.detail}`);
      if (l.ok === false && l.fix) ui.log(`     fix: ${l.fix}`);
    }
    const queues = report.queues.map((q) => `${q.name} ${q.canReceiveWork ? 'yes' : 'no'}`).join(', ');
    if (report.canReceiveWork) ui.log(`${report.user} can receive work${queues ? ` (${queues})` : ''}${report.mode === 'offline' ? ' as far as the source tells (? = checked in the org)' : ''}.`);
    else if (report.firstBroken) ui.log(`${report.user} cannot receive work${queues ? ` (${queues})` : ''}. First broken link: ${report.firstBroken.check}${report.firstBroken.queue ? ` [${report.firstBroken.queue}]` : ''} — ${report.firstBroken.fix ?? report.firstBroken.detail}`);
    else ui.log(`${report.user} cannot receive work: no queue to receive it from.`);
  },
});
