import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { LocalOrg } from '../../local-org/server.ts';
import { authorizeSf, makeSfHome, sfInRunner, startTestOrg, api, dataPath, REPO_ROOT, type SfHome } from '../helpers/local-org.ts';
import { omni, stage } from './helpers.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';

// What npm run org:create + org:setup do, against the local org: the profile package deployed by the
// real sf CLI (mdapi format), a user like config/scratch-users/voice-agent.json, then omni setup with scratch.yaml.
describe('scratch org files against the local org', () => {
  let org: LocalOrg;
  let home: SfHome;
  let project: ReturnType<typeof makeProject>;
  beforeAll(async () => {
    org = await startTestOrg({ orgType: 'scratch' });
    home = makeSfHome();
    project = makeProject({ copy: SAMPLE_WITH_CONFIG });
    await authorizeSf(home, org, 'omni-scratch');
  });
  afterAll(async () => {
    await org?.stop();
    home?.cleanup();
    project?.cleanup();
  });

  it('config/scratch-setup deploys with sf project deploy start --metadata-dir', async () => {
    // In the worker's sf runner (test/helpers/sf-runner.ts): the sf CLI's own deploy, not sf as a process.
    const r = await sfInRunner(home, ['project', 'deploy', 'start', '--metadata-dir', 'config/scratch-setup', '--target-org', 'omni-scratch', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.result.status).toBe('Succeeded');
  });

  it('omni setup with config/assignments/scratch.yaml: admin → miaw, the Omni Voice agent → Voice_Agents, all can go online', async () => {
    // The user as `sf org create user --definition-file` makes it (that command needs a Dev Hub-created
    // scratch org and SCIM, which the local org does not have): the file's fields, its profileName as
    // ProfileId, and the username and locale fields sf generates.
    const { profileName, generatePassword: _password, ...fields } = USER_DEFINITION;
    const profile = (await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent(`SELECT Id FROM Profile WHERE Name = '${profileName.replace(/'/g, "\\'")}'`)}`))).body.records[0]?.Id;
    expect(profile, `profile ${profileName} after the scratch-setup deploy`).toBeDefined();
    const created = await api(org, 'POST', dataPath('/sobjects/User'), {
      ...fields, Username: 'omni.voice.agent@scratch.example', ProfileId: profile,
      TimeZoneSidKey: 'America/Los_Angeles', LocaleSidKey: 'en_US', LanguageLocaleKey: 'en_US', EmailEncodingKey: 'UTF-8',
    });
    expect(created.status, created.text).toBe(201);
    const r = await omni(org, project.dir, ['setup', '--assignments', 'config/assignments/scratch.yaml', '--json']);
    expect(r.code, r.stdout).toBe(0);
    const agents = Object.fromEntries(r.json.result.outcome.agents.map((a: any) => [a.username, a.configuration]));
    expect(agents).toEqual({ [org.username]: 'miaw', 'omni.voice.agent@scratch.example': 'Voice_Agents' });
    expect(stage(r, 'verify').details.access).toMatchObject({ agents: 2, cannotGoOnline: 0 });
  });
});

const USER_DEFINITION = JSON.parse(readFileSync(join(REPO_ROOT, 'config/scratch-users/voice-agent.json'), 'utf8')) as Record<string, string> & { profileName: string; generatePassword?: boolean };

describe('scratch org files', () => {
  const setup = join(REPO_ROOT, 'config/scratch-setup');

  it('config/project-scratch-def.json turns Omni-Channel on through settings (there is no Omni scratch feature)', () => {
    const def = JSON.parse(readFileSync(join(REPO_ROOT, 'config/project-scratch-def.json'), 'utf8'));
    expect(def.edition).toBe('Developer');
    expect(def.features).toEqual(expect.arrayContaining(['ServiceCloud', 'ServiceUser', 'LightningServiceConsole']));
    expect(def.features.some((f: string) => /omni/i.test(f))).toBe(false);
    expect(def.settings.omniChannelSettings).toEqual({ enableOmniChannel: true });
  });

  it('the profile package: package.xml names exactly the files (URL-encoded as Salesforce spells them) and each profile is valid against the Metadata XSD', () => {
    const files = readdirSync(join(setup, 'profiles')).filter((f) => f.endsWith('.profile'));
    expect(files.length).toBeGreaterThan(0);
    const manifest = readFileSync(join(setup, 'package.xml'), 'utf8');
    const members = [...manifest.matchAll(/<members>([^<]+)<\/members>/g)].map((m) => m[1]);
    expect(manifest).toMatch(/<name>Profile<\/name>/);
    expect(members.sort()).toEqual(files.map((f) => f.replace(/\.profile$/, '')).sort());
    const xsd = join(REPO_ROOT, '../shared/reference/omni-metadata.xsd');
    const lint = spawnSync('xmllint', ['--noout', '--schema', xsd, ...files.map((f) => join(setup, 'profiles', f))], { encoding: 'utf8' });
    expect(lint.error, 'xmllint must be installed (libxml2-utils)').toBeUndefined();
    expect(lint.status, lint.stderr).toBe(0);
    // The profile is the one force-app assigns Case_Agents to and the user definition uses.
    const names = members.map(decodeURIComponent);
    expect(names).toContain(USER_DEFINITION.profileName);
    expect(readFileSync(join(REPO_ROOT, 'force-app/main/default/presenceUserConfigs/Case_Agents.presenceUserConfig-meta.xml'), 'utf8')).toContain(`<profile>${USER_DEFINITION.profileName}</profile>`);
  });

  it('config/assignments/scratch.yaml selects only users a fresh scratch org has: the admin by profile, the defined user by its Department', () => {
    const file = parseYaml(readFileSync(join(REPO_ROOT, 'config/assignments/scratch.yaml'), 'utf8'));
    const selectors = Object.values(file.presenceConfigurations).flatMap((c: any) => Object.entries(c.users ?? {}).map(([kind, value]) => ({ kind, value })));
    // Usernames differ in every scratch org: never selected by username, email or federation id.
    expect(selectors.filter((s) => ['usernames', 'emails', 'federationIds', 'csv'].includes(s.kind))).toEqual([]);
    expect(file.presenceConfigurations.miaw.users).toEqual({ profiles: ['System Administrator'] });
    expect(file.presenceConfigurations.Voice_Agents.users.where).toBe(`Department = '${USER_DEFINITION.Department}'`);
  });
});
