/** The end-to-end scenarios against the local org (part of npm test). */
import { afterAll } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { defineScenarios, deleteConfigurations } from './scenarios.ts';

let org: LocalOrg | undefined;
afterAll(async () => org?.stop());

defineScenarios(
  'local org',
  async () => {
    org = await startTestOrg({});
    return { orgArgs: ['--instance-url', org.instanceUrl], env: { ...process.env, SF_ACCESS_TOKEN: org.accessToken }, username: 'agent01@omni.local' };
  },
  {
    // The same cleanup as the real-org run, connected the way omni connects with --instance-url.
    cleanup: (target, configs) => deleteConfigurations({ instanceUrl: org!.instanceUrl, env: target.env }, configs),
  },
);
