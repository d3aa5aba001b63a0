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
    async cleanup(_target, configs) {
      if (!org) return;
      // The local org's Metadata API has no destructiveChanges support: delete through the Data API
      // (PresenceUserConfig supports delete()), and prove nothing named E2E_ is left.
      for (const name of configs) {
        const q = await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent(`SELECT Id FROM PresenceUserConfig WHERE DeveloperName = '${name}'`)}`));
        for (const r of q.body.records) await api(org, 'DELETE', dataPath(`/sobjects/PresenceUserConfig/${r.Id}`));
      }
      const left = await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent("SELECT Id FROM PresenceUserConfig WHERE DeveloperName LIKE 'E2E_%'")}`));
      if (left.body.totalSize !== 0) throw new Error(`E2E configurations left behind: ${left.text}`);
    },
  },
);
