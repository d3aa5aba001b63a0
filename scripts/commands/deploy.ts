/** `omni deploy`: validate offline and against the org, then deploy the Omni metadata in one deployment. */
import { COMMON_EXIT_CODES, defineCommand, type FlagValues, OUTPUT_DETAIL_FLAGS, outputDetail } from '../cli/command.ts';
import { ExitCode } from '../lib/errors.ts';
import { catalogueError } from '../lib/messages.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { DeployCommandResult, DeployRequest } from '../deploy/pipeline.ts';
import type { TestLevel } from '../deploy/sdr-deploy.ts';
import { DEPLOY_RESULT_SCHEMA } from '../deploy/schemas.ts';
import { renderDeploy } from '../deploy/render.ts';

export const DEPLOY_EXIT_CODES: Record<number, string> = {
  ...COMMON_EXIT_CODES,
  0: 'Deployed; or queued with --async (result.id is the job: follow with "omni deploy report JOB_ID"), as sf project deploy start --async.',
  1: 'Failed: validation errors, missing references in the org, or the org rejected the deployment (nothing was changed).',
  68: 'Partial success: some components failed and the rest were deployed (--ignore-errors), or some record settings failed (each listed).',
  69: 'Still running (--wait elapsed): follow with "omni deploy report JOB_ID".',
};

export default defineCommand<DeployCommandResult>({
  id: 'deploy',
  summary: 'Deploy the Omni-Channel metadata to an org (validated offline and against the org first).',
  description: [
    'Runs the offline validator (errors stop before any API call), checks that every user, profile, status,',
    'decline reason, channel, routing configuration, queue and skill the files reference exists in the org,',
    'keeps the user assignments (and queue user members) the org holds on the deployed components by merging',
    'them into the deployment (--replace-assignments removes the ones the files do not list), saves a snapshot',
    'of the assignments under .omni/snapshots/ before sending anything, then deploys everything in one',
    'Metadata API deployment and reports each component (failures at file:line). Assignments the deploy',
    'removed are reported with the snapshot. Production orgs need a yes on a TTY or --no-prompt.',
    'Then the "record settings" stage sets what the Metadata API has no element for (the spec\'s notificationSound',
    'and transferDestinations) on the records: one sObject Collections PATCH for the records that differ, none',
    'when nothing does, journalled in .omni/records/ (a failure is per record, exit 68; re-run to retry).',
  ].join('\n'),
  flags: {
    metadata: { type: 'string', short: 'm', multiple: true, valueName: 'TYPE[:NAME]', summary: 'Deploy only these components of the package directories (as sf: PresenceUserConfig, PresenceUserConfig:miaw, ServiceChannel:sfdc_*).' },
    manifest: { type: 'string', short: 'x', valueName: 'PACKAGE_XML', summary: 'Deploy only the components a package.xml lists (as sf project deploy start --manifest).' },
    'source-dir': { type: 'string', short: 'd', multiple: true, valueName: 'DIR', summary: 'Source directory or file to deploy (default: the package directories of sfdx-project.json).' },
    ...ORG_FLAGS,
    // sf project deploy start's short flags: -a/--api-version, -g/--ignore-warnings, -r/--ignore-errors.
    'api-version': { ...ORG_FLAGS['api-version'], short: 'a' },
    'dry-run': { type: 'boolean', summary: 'Validate the deployment in the org (checkOnly) without changing anything.' },
    'test-level': {
      type: 'string',
      short: 'l',
      valueName: 'LEVEL',
      options: ['NoTestRun', 'RunSpecifiedTests', 'RunLocalTests', 'RunAllTestsInOrg'],
      summary: 'Apex tests to run: NoTestRun, RunSpecifiedTests, RunLocalTests or RunAllTestsInOrg (default: the org default).',
    },
    tests: { type: 'string', short: 't', multiple: true, valueName: 'NAME', summary: 'Apex test class to run with --test-level RunSpecifiedTests.' },
    wait: { type: 'string', short: 'w', valueName: 'MINUTES', default: '33', summary: 'Minutes to wait for the deploy to finish before returning 69.' },
    async: { type: 'boolean', summary: 'Start the deploy and return its job id at once (exit 0, result.id; follow with omni deploy report).' },
    'ignore-warnings': { type: 'boolean', short: 'g', summary: 'Deploy even if the org reports warnings.' },
    'ignore-errors': { type: 'boolean', short: 'r', summary: 'Keep the components that succeed when others fail (rollbackOnError=false; exit 68).' },
    'replace-assignments': {
      type: 'boolean',
      summary: "Replace the org's user assignments (and queue user members) of the deployed components with exactly what the files list. By default the org's are kept (merged into the deployment).",
    },
    ...OUTPUT_DETAIL_FLAGS,
    'no-prompt': { type: 'boolean', summary: 'Do not ask for confirmation before deploying to a production org.' },
    yes: { type: 'boolean', short: 'y', summary: 'Same as --no-prompt.' },
  },
  exitCodes: DEPLOY_EXIT_CODES,
  resultSchema: DEPLOY_RESULT_SCHEMA,
  examples: [
    'omni deploy --target-org my-sandbox',
    'omni deploy --source-dir force-app/main/default/presenceUserConfigs --dry-run',
    'omni deploy --target-org prod --test-level RunLocalTests --no-prompt --json',
    'SF_ACCESS_TOKEN=… omni deploy --instance-url https://acme.my.salesforce.com --async',
  ],
  async run(ctx) {
    const { runDeploy } = await import('../deploy/pipeline.ts');
    const { connectOptionsFromFlags } = await import('../org/connection.ts');
    outputDetail(ctx.flags, 'deploy'); // --concise with --verbose: exit 2 before anything is sent
    const request = deployRequestFromFlags(ctx.flags);
    const metadata = ctx.flags.metadata as string[] | undefined;
    const manifest = ctx.flags.manifest as string | undefined;
    if ([metadata?.length, manifest, request.sourceDirs.length].filter(Boolean).length > 1) {
      throw catalogueError('UsageError', { tokens: ['Choose one of --source-dir, --metadata and --manifest.'], exitCode: ExitCode.Usage });
    }
    if (metadata?.length || manifest) {
      const { selectSourcePaths } = await import('../deploy/selection.ts');
      request.sourceDirs = await selectSourcePaths(ctx.cwd, { metadata, manifest }, (what) =>
        catalogueError('UsageError', { tokens: [`No component in the package directories matches ${what}.`], exitCode: ExitCode.Usage }),
      );
    }
    return runDeploy(ctx, request, { connect: connectOptionsFromFlags(ctx.flags, ctx.env) });
  },
  render(result, ui, flags) {
    renderDeploy(result, ui, outputDetail(flags, 'deploy'));
  },
});

/** omni deploy's flags → the deploy engine's typed request; bad combinations are usage errors (exit 2). */
function deployRequestFromFlags(f: FlagValues): DeployRequest {
  const testLevel = f['test-level'] as TestLevel | undefined;
  const tests = (f.tests as string[] | undefined) ?? [];
  if (tests.length && testLevel !== 'RunSpecifiedTests') {
    throw catalogueError('UsageError', { tokens: ['--tests only applies with --test-level RunSpecifiedTests.'], exitCode: ExitCode.Usage });
  }
  if (testLevel === 'RunSpecifiedTests' && tests.length === 0) {
    throw catalogueError('UsageError', { tokens: ['--test-level RunSpecifiedTests needs at least one --tests NAME.'], exitCode: ExitCode.Usage });
  }
  const waitMinutes = Number(f.wait ?? 33);
  if (!Number.isFinite(waitMinutes) || waitMinutes < 0) {
    throw catalogueError('UsageError', { tokens: [`--wait must be a number of minutes ≥ 0; got "${f.wait}".`], exitCode: ExitCode.Usage });
  }
  return {
    sourceDirs: (f['source-dir'] as string[] | undefined) ?? [],
    options: {
      checkOnly: Boolean(f['dry-run']),
      testLevel,
      runTests: tests.length ? tests : undefined,
      ignoreErrors: Boolean(f['ignore-errors']),
      ignoreWarnings: Boolean(f['ignore-warnings']),
    },
    waitMinutes,
    async: Boolean(f.async),
    // The argv parser (allowNegative) reads --no-prompt as prompt=false and never sets 'no-prompt'.
    noPrompt: Boolean(f['no-prompt'] || f.yes || f.prompt === false),
    apiVersion: f['api-version'] as string | undefined,
    writeRecordSettings: f['record-settings'] !== false,
    replaceAssignments: Boolean(f['replace-assignments']),
  };
}
