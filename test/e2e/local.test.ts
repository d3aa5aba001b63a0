/** The end-to-end scenarios against the local org (part of npm test). */
import { afterAll } from 'vitest';
import type { LocalOrg } from '../../scripts/local-org/server.ts';
import { startTestOrg, api, dataPath } from '../helpers/local-org.ts';
import { defineScenarios } from './scenarios.ts';

let org: LocalOrg | undefined;
afterAll(async () => org?.stop());

defineScenarios(
  'local org',
  async () => {
    org = await startTestOrg({});
    return { orgArgs: ['--instance-url', org.instanceUrl], env: { ...process.env, SF_ACCESS_TOKEN: org.accessToken }, username: 'agent01@omni.local' };
  },
  {
    async cleanup(target, configs) {
      if (!org) return;
      // The same path as the real-org run (test/e2e/org.e2e.ts): a destructive deploy through SDR
      // (destructiveChangesPost.xml), connected the way omni connects with --instance-url.
      const { connectOrg } = await import('../../scripts/org/connection.ts');
      const { ComponentSet, DestructiveChangesType, RegistryAccess, SourceComponent } = await import('@salesforce/source-deploy-retrieve');
      const session = await connectOrg({ instanceUrl: org.instanceUrl, env: target.env });
      const cs = new ComponentSet([]);
      const type = new RegistryAccess().getTypeByName('PresenceUserConfig');
      for (const name of configs) cs.add(new SourceComponent({ name, type }), DestructiveChangesType.POST);
      const deploy = await cs.deploy({ usernameOrConnection: session.connection, apiOptions: { rollbackOnError: true, singlePackage: true } });
      const result = await deploy.pollStatus(100, 60);
      if (!result.response.success) throw new Error(`Destructive deploy of ${configs.join(', ')} failed: ${JSON.stringify(result.response.details)}`);
      const deleted = [result.response.details.componentSuccesses ?? []].flat().filter((m) => m.deleted === true || m.deleted === 'true').map((m) => m.fullName);
      if (deleted.sort().join() !== [...configs].sort().join()) throw new Error(`Expected ${configs.join(', ')} deleted; the deploy deleted ${deleted.join(', ') || 'nothing'}`);
      // Prove nothing named E2E_ is left, over the Data API.
      const left = await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent("SELECT Id FROM PresenceUserConfig WHERE DeveloperName LIKE 'E2E_%'")}`));
      if (left.body.totalSize !== 0) throw new Error(`E2E configurations left behind: ${left.text}`);
    },
  },
);
