/**
 * The doctor's checks that concern a deployment, run by \`omni deploy\` before it sends anything: one
 * catalogue (setup/checks.ts), so doctor, setup and deploy agree on id, message and fix.
 */
import type { OrgInfo, OrgSession } from '../org/connection.ts';
import type { StaticResourceUse } from '../deploy/record-settings.ts';
import { CHECKS, DEPLOY_CHECK_IDS, unknownStaticResourcesResult } from './checks.ts';
import type { DoctorCheckOutcome } from './doctor.ts';

/**
 * Runs the deploy-relevant checks against the org for the files being deployed (`sourceDirs`, default the
 * package directories). Returns the failures a deploy must stop on: a failure the deployment itself
 * repairs (its OmniChannelSettings turns the feature on) is not one.
 */
export async function deployCheckFailures(options: { cwd: string; sourceDirs: string[]; session: OrgSession; info: OrgInfo; env: NodeJS.ProcessEnv }): Promise<DoctorCheckOutcome[]> {
  const { runDoctor } = await import('./doctor.ts');
  const { readProjectSource } = await import('./source.ts');
  const source = await readProjectSource(options.cwd, options.sourceDirs);
  const { result: report } = await runDoctor(
    { session: options.session, info: options.info },
    { source, desired: null, checks: CHECKS.filter((c) => DEPLOY_CHECK_IDS.has(c.id)) },
    { cwd: options.cwd, env: options.env },
  );
  return report.checks.filter((c) => c.status === 'fail' && c.repairedBySetup !== 'deploy');
}

/** The doctor's record-settings failure for these unknown StaticResources, as omni deploy refuses them. */
export function unknownStaticResourcesFailure(unknown: readonly StaticResourceUse[]): { id: string; title: string; message: string; fix: string } {
  const check = CHECKS.find((c) => c.id === 'record-settings')!;
  const { message, fix } = unknownStaticResourcesResult(unknown);
  return { id: check.id, title: check.title, message, fix };
}
