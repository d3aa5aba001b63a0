/** `omni deploy report` and `omni deploy resume` differ only in how long they wait: one definition serves both. */
import { defineCommand } from '../../cli/command.ts';
import { catalogueError } from '../../lib/messages.ts';
import { connectOptionsFromFlags, ORG_FLAGS } from './org.ts';
import type { DeployCommandResult } from '../../deploy/pipeline.ts';
import { renderDeploy } from './deploy-render.ts';

export function deployStatusCommand(mode: 'report' | 'resume', defaultWaitMinutes: string) {
  return defineCommand<DeployCommandResult>({
    id: `deploy ${mode}`,
    stages: mode === 'resume',
    tables: true,
    args: [{ name: 'job_id' }],
    flags: {
      ...ORG_FLAGS,
      wait: { type: 'string', short: 'w', valueName: 'MINUTES', default: defaultWaitMinutes },
    },
    async run(ctx) {
      const { runDeployReport } = await import('../../deploy/report.ts');
      const waitMinutes = Number(ctx.flags.wait ?? defaultWaitMinutes);
      if (!Number.isFinite(waitMinutes) || waitMinutes < 0) {
        throw catalogueError('UsageError', { variant: 'waitMinutes', tokens: [String(ctx.flags.wait)] });
      }
      return runDeployReport({ connect: connectOptionsFromFlags(ctx.flags, ctx.env) }, { jobId: ctx.args[0], waitMinutes, mode }, ctx);
    },
    render(result, ui) {
      renderDeploy(result, ui);
    },
  });
}
