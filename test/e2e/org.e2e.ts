/**
 * The end-to-end scenarios against a real org: `npm run test:org` with OMNI_E2E_TARGET_ORG set to an sf
 * alias (CI: the scratch org). Not part of `npm test` (vitest.org.config.ts includes only this file).
 * OMNI_E2E_USERNAME picks the user whose assignment is moved and restored (default: the org's user).
 */
import { defineScenarios, deleteConfigurations } from './scenarios.ts';

const alias = process.env.OMNI_E2E_TARGET_ORG;
if (!alias) throw new Error('OMNI_E2E_TARGET_ORG is not set; run through "npm run test:org", which explains and exits 0.');

defineScenarios(
  `org ${alias}`,
  async () => {
    const { connectOrg } = await import('../../scripts/org/connection.ts');
    const session = await connectOrg({ targetOrg: alias, env: process.env });
    return { orgArgs: ['--target-org', alias], env: process.env, username: process.env.OMNI_E2E_USERNAME ?? session.username };
  },
  { cleanup: (_target, configs) => deleteConfigurations({ targetOrg: alias, env: process.env }, configs) },
);
