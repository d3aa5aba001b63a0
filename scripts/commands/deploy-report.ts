/** `omni deploy report`: show the status and results of a deploy (the last one by default). */
import { COMMON_EXIT_CODES, defineCommand } from '../cli/command.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { DeployCommandResult } from '../deploy/pipeline.ts';
import { renderDeploy } from '../deploy/render.ts';
import { DEPLOY_RESULT_SCHEMA, explicitFlags } from '../deploy/schemas.ts';

export default defineCommand<DeployCommandResult>({
  id: 'deploy report',
  summary: 'Show the status and results of a deploy (default: the last deploy from this project).',
  args: [{ name: 'job_id', summary: 'Deploy job id (0Af…); default: the last deploy started from this project (.omni/deploys/).' }],
  flags: explicitFlags({
    ...ORG_FLAGS,
    wait: { type: 'string', short: 'w', valueName: 'MINUTES', default: '0', summary: 'Minutes to wait for the deploy to finish (0: check once).' },
  }),
  exitCodes: {
    ...COMMON_EXIT_CODES,
    1: 'The deploy failed or was canceled (failures mapped to file:line), or it could not be found.',
    68: 'The deploy finished with partial success (--ignore-errors).',
    69: 'The deploy is still running.',
  },
  resultSchema: DEPLOY_RESULT_SCHEMA,
  examples: ['omni deploy report', 'omni deploy report 0Af5g00000AbCdEFGH --target-org my-sandbox --json'],
  async run(ctx) {
    const { runDeployReport } = await import('../deploy/report.ts');
    return runDeployReport(ctx, 'report');
  },
  render(result, ui) {
    renderDeploy(result, ui);
  },
});
