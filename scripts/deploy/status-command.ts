/** `omni deploy report` and `omni deploy resume` differ only in how long they wait: one definition serves both. */
import { COMMON_EXIT_CODES, defineCommand } from '../cli/command.ts';
import { ExitCode } from '../lib/errors.ts';
import { catalogueError } from '../lib/messages.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { DeployCommandResult } from './pipeline.ts';
import { renderDeploy } from './render.ts';
import { DEPLOY_RESULT_SCHEMA } from './schemas.ts';

export function deployStatusCommand(mode: 'report' | 'resume', summary: string, defaultWaitMinutes: string) {
  return defineCommand<DeployCommandResult>({
    id: `deploy ${mode}`,
    summary,
    args: [{ name: 'job_id', summary: 'Deploy job id (0Af…); default: the last deploy started from this project (.omni/deploys/).' }],
    flags: {
      ...ORG_FLAGS,
      wait: { type: 'string', short: 'w', valueName: 'MINUTES', default: defaultWaitMinutes, summary: 'Minutes to wait for the deploy to finish (0: check once).' },
    },
    exitCodes: {
      ...COMMON_EXIT_CODES,
      1: 'The deploy failed or was canceled (failures mapped to file:line), or it could not be found.',
      68: 'The deploy finished with partial success (--ignore-errors).',
      69: 'The deploy is still running.',
    },
    resultSchema: DEPLOY_RESULT_SCHEMA,
    examples: [`omni deploy ${mode}`, `omni deploy ${mode} 0Af5g00000AbCdEFGH --target-org my-sandbox --json`],
    async run(ctx) {
      const { runDeployReport } = await import('./report.ts');
      const { connectOptionsFromFlags } = await import('../org/connection.ts');
      const waitMinutes = Number(ctx.flags.wait ?? defaultWaitMinutes);
      if (!Number.isFinite(waitMinutes) || waitMinutes < 0) {
        throw catalogueError('UsageError', { tokens: [`--wait must be a number of minutes ≥ 0; got "${ctx.flags.wait}".`], exitCode: ExitCode.Usage });
      }
      return runDeployReport(ctx, { jobId: ctx.args[0], waitMinutes, mode }, { connect: connectOptionsFromFlags(ctx.flags, ctx.env) });
    },
    render(result, ui) {
      renderDeploy(result, ui);
    },
  });
}
