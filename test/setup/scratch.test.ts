import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../scripts/local-org/server.ts';
import { loginSf, makeSfHome, runSf, startTestOrg, api, dataPath, type SfHome } from '../helpers/local-org.ts';
import { makeProject, omni, stage } from './helpers.ts';

// What npm run org:create + org:setup do, against the local org: the profile package deployed by the
// real sf CLI (mdapi format), a user like config/scratch-users/voice-agent.json, then omni setup with scratch.yaml.
describe('scratch org files against the local org', () => {
  let org: LocalOrg;
  let home: SfHome;
  let project: ReturnType<typeof makeProject>;
  beforeAll(async () => {
    org = await startTestOrg({ orgType: 'scratch' });
    home = makeSfHome();
    project = makeProject();
    await loginSf(home, org, 'omni-scratch');
  });
  afterAll(async () => {
    await org?.stop();
    home?.cleanup();
    project?.cleanup();
  });

  it('config/scratch-setup deploys with sf project deploy start --metadata-dir', async () => {
    const r = await runSf(home, ['project', 'deploy', 'start', '--metadata-dir', 'config/scratch-setup', '--target-org', 'omni-scratch', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.result.status).toBe('Succeeded');
  });

  it('omni setup with config/assignments/scratch.yaml: admin → miaw, the Omni Voice agent → Voice_Agents, all can go online', async () => {
    const profile = (await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent("SELECT Id FROM Profile WHERE Name = 'Custom: Support Agent'")}`))).body.records[0].Id;
    const created = await api(org, 'POST', dataPath('/sobjects/User'), {
      Username: 'omni.voice.agent@scratch.example', Email: 'omni.voice.agent@example.invalid', LastName: 'Voice Agent', FirstName: 'Omni', Alias: 'ovoice', Department: 'Omni Voice', ProfileId: profile,
      TimeZoneSidKey: 'America/Los_Angeles', LocaleSidKey: 'en_US', LanguageLocaleKey: 'en_US', EmailEncodingKey: 'UTF-8',
    });
    expect(created.status, created.text).toBe(201);
    const r = await omni(org, project.dir, ['setup', '--assignments', 'config/assignments/scratch.yaml', '--json']);
    expect(r.code, r.stdout).toBe(0);
    const agents = Object.fromEntries(r.json.result.outcome.agents.map((a: any) => [a.username, a.configuration]));
    expect(agents).toEqual({ 'admin@omni.local': 'miaw', 'omni.voice.agent@scratch.example': 'Voice_Agents' });
    expect(stage(r, 'verify').details.access).toMatchObject({ agents: 2, cannotGoOnline: 0 });
  });
});
