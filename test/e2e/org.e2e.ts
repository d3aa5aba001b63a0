/**
 * The end-to-end scenarios against a real org: `npm run test:org` with OMNI_E2E_TARGET_ORG set to an sf
 * alias (CI: the scratch org). Not part of `npm test` (vitest.org.config.ts includes only this file).
 * OMNI_E2E_USERNAME picks the user whose assignment is moved and restored (default: the org's user).
 */
import { defineScenarios } from './scenarios.ts';

const alias = process.env.OMNI_E2E_TARGET_ORG;
if (!alias) throw new Error('OMNI_E2E_TARGET_ORG is not set; run through "npm run test:org", which explains and exits 0.');

defineScenarios(
  `org ${alias}`,
  async () => {
    const { connectOrg } = await import('../../scripts/org/connection.ts');
    const session = await connectOrg({ targetOrg: alias, env: process.env });
    return { orgArgs: ['--target-org', alias], env: process.env, username: process.env.OMNI_E2E_USERNAME ?? session.username };
  },
  {
    async cleanup(_target, configs) {
      // A destructive deploy through SDR (destructiveChanges.xml), as an admin would remove them.
      const { connectOrg } = await import('../../scripts/org/connection.ts');
      const { ComponentSet, DestructiveChangesType, RegistryAccess, SourceComponent } = await import('@salesforce/source-deploy-retrieve');
      const session = await connectOrg({ targetOrg: alias, env: process.env });
      const cs = new ComponentSet([]);
      // SDR deploys only source-backed components: a remote-only delete is a SourceComponent without
      // files, as `sf project delete source` builds it (a plain {fullName, type} is refused).
      const type = new RegistryAccess().getTypeByName('PresenceUserConfig');
      for (const name of configs) cs.add(new SourceComponent({ name, type }), DestructiveChangesType.POST);
      const deploy = await cs.deploy({ usernameOrConnection: session.connection, apiOptions: { rollbackOnError: true, singlePackage: true } });
      const result = await deploy.pollStatus(2000, 600);
      if (!result.response.success) throw new Error(`Destructive deploy of ${configs.join(', ')} failed: ${JSON.stringify(result.response.details)}`);
      const left = await session.connection.query(`SELECT Id FROM PresenceUserConfig WHERE DeveloperName IN ('${configs.join("','")}')`);
      if (left.totalSize) throw new Error(`E2E configurations left behind: ${configs.join(', ')}`);
    },
  },
);
