/** `omni deploy`: validate offline and against the org, then deploy the Omni metadata in one deployment. */
import { defineCommand, type FlagValues, OUTPUT_DETAIL_FLAGS, outputDetail } from '../cli/command.ts';
import { catalogueError } from '../lib/messages.ts';
import { connectOptionsFromFlags, NO_PROMPT_FLAG, ORG_FLAGS, LOCAL_INPUT_FIRST } from './shared/org.ts';
import type { DeployCommandResult, DeployRequest } from '../deploy/pipeline.ts';
import type { TestLevel } from '../deploy/sdr-deploy.ts';
import { renderDeploy } from './shared/deploy-render.ts';

export default defineCommand<DeployCommandResult>({
  id: 'deploy',
  ...LOCAL_INPUT_FIRST,
  stages: true,
  tables: true,
  flags: {
    metadata: { type: 'string', short: 'm', multiple: true, valueName: 'TYPE[:NAME]' },
    manifest: { type: 'string', short: 'x', valueName: 'PACKAGE_XML', path: 'file' },
    'source-dir': { type: 'string', short: 'd', multiple: true, valueName: 'DIR', path: 'exists' },
    ...ORG_FLAGS,
    // sf project deploy start's short flags: -a/--api-version, -g/--ignore-warnings, -r/--ignore-errors.
    'api-version': { ...ORG_FLAGS['api-version'], short: 'a' },
    'dry-run': { type: 'boolean' },
    'test-level': {
      type: 'string',
      short: 'l',
      valueName: 'LEVEL',
      options: ['NoTestRun', 'RunSpecifiedTests', 'RunLocalTests', 'RunAllTestsInOrg'],
    },
    tests: { type: 'string', short: 't', multiple: true, valueName: 'NAME' },
    wait: { type: 'string', short: 'w', valueName: 'MINUTES', default: '33' },
    async: { type: 'boolean' },
    'ignore-warnings': { type: 'boolean', short: 'g' },
    'ignore-errors': { type: 'boolean', short: 'r' },
    'replace-assignments': {
      type: 'boolean',
    },
    ...OUTPUT_DETAIL_FLAGS,
    ...NO_PROMPT_FLAG,
  },
  async run(ctx) {
    const { runDeploy } = await import('../deploy/pipeline.ts');
    const request = deployRequestFromFlags(ctx.flags);
    const metadata = ctx.flags.metadata as string[] | undefined;
    const manifest = ctx.flags.manifest as string | undefined;
    if ([metadata?.length, manifest, request.sourceDirs.length].filter(Boolean).length > 1) {
      throw catalogueError('UsageError', { variant: 'deploySelection' });
    }
    if (metadata?.length || manifest) {
      const { selectSourcePaths } = await import('../deploy/selection.ts');
      request.sourceDirs = await selectSourcePaths(ctx.cwd, { metadata, manifest }, (what) =>
        catalogueError('UsageError', { variant: 'noComponentMatch', tokens: [what] }),
      );
    }
    return runDeploy({ connect: connectOptionsFromFlags(ctx.flags, ctx.env) }, request, ctx);
  },
  render(result, ui, flags) {
    renderDeploy(result, ui, outputDetail(flags));
  },
});

/** omni deploy's flags → the deploy engine's typed request; bad combinations are usage errors (exit 2). */
function deployRequestFromFlags(f: FlagValues): DeployRequest {
  const testLevel = f['test-level'] as TestLevel | undefined;
  const tests = (f.tests as string[] | undefined) ?? [];
  if (tests.length && testLevel !== 'RunSpecifiedTests') {
    throw catalogueError('UsageError', { variant: 'testsWithoutLevel' });
  }
  if (testLevel === 'RunSpecifiedTests' && tests.length === 0) {
    throw catalogueError('UsageError', { variant: 'specifiedTestsWithoutTests' });
  }
  const waitMinutes = Number(f.wait ?? 33);
  if (!Number.isFinite(waitMinutes) || waitMinutes < 0) {
    throw catalogueError('UsageError', { variant: 'waitMinutes', tokens: [String(f.wait)] });
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
    noPrompt: Boolean(f['no-prompt']),
    apiVersion: f['api-version'] as string | undefined,
    writeRecordSettings: f['record-settings'] !== false,
    replaceAssignments: Boolean(f['replace-assignments']),
  };
}
