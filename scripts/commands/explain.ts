/** `omni explain`: why an agent does (not) get work — the chain walked link by link, the first broken one with its fix. */
import { defineCommand } from '../cli/command.ts';
import { catalogueError, messageText } from '../lib/messages.ts';
import { connectOptionsFromFlags, ORG_FLAGS } from './shared/org.ts';
import type { ExplainReport } from '../explain/explain.ts';
import { commandPrefix } from '../lib/io.ts';

export default defineCommand<ExplainReport>({
  id: 'explain',
  args: [{ name: 'username', required: true }],
  flags: {
    queue: { type: 'string', short: 'q', valueName: 'QUEUE' },
    offline: { type: 'boolean', default: false },
    file: { type: 'string', short: 'f', multiple: true, valueName: 'FILE', path: 'file' },
    ...ORG_FLAGS,
  },
  async run(ctx) {
    const username = ctx.args[0];
    if (!username) throw catalogueError('UsageError', { variant: 'noUsername', tokens: [commandPrefix(ctx)] });
    const { runExplain } = await import('../explain/engine.ts');
    const queue = ctx.flags.queue as string | undefined;
    if (ctx.flags.offline) return runExplain({}, { username, queue, offline: { assignments: ctx.flags.file as string[] | undefined } }, ctx);
    return runExplain({ connect: connectOptionsFromFlags(ctx.flags, ctx.env) }, { username, queue }, ctx);
  },
  render(report, ui) {
    const mark = (ok: boolean | null) => (ok === true ? 'ok  ' : ok === false ? 'FAIL' : '?   ');
    for (const l of report.links) {
      ui.log(`${mark(l.ok)} ${l.queue ? `[${l.queue}] ` : ''}${l.check}: ${l.detail}`);
      if (l.ok === false && l.fix) ui.log(`     ${messageText('command-output', 'explain.fix', [l.fix])}`);
    }
    const queues = report.queues.map((q) => `${q.name} ${q.canReceiveWork ? messageText('command-output', 'explain.yes') : messageText('command-output', 'explain.no')}`).join(', ');
    const offline = report.mode === 'offline';
    if (report.canReceiveWork) {
      if (queues) ui.log(offline ? messageText('command-output', 'explain.canReceive.queues.offline', [report.user, queues]) : messageText('command-output', 'explain.canReceive.queues', [report.user, queues]));
      else ui.log(offline ? messageText('command-output', 'explain.canReceive.offline', [report.user]) : messageText('command-output', 'explain.canReceive', [report.user]));
    } else if (report.firstBroken) {
      const broken = `${report.firstBroken.check}${report.firstBroken.queue ? ` [${report.firstBroken.queue}]` : ''}`;
      const fix = report.firstBroken.fix ?? report.firstBroken.detail;
      ui.log(queues ? messageText('command-output', 'explain.cannotReceive.queues', [report.user, queues, broken, fix]) : messageText('command-output', 'explain.cannotReceive', [report.user, broken, fix]));
    } else if (report.canReceiveWork === null) ui.log(messageText('command-output', 'explain.noQueue.offline', [report.user, commandPrefix()]));
    else ui.log(messageText('command-output', 'explain.noQueue', [report.user]));
  },
});
