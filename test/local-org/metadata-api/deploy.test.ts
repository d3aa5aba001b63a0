/**
 * The local org's SOAP Metadata API driven by the real clients (SDR ComponentSet, jsforce) over HTTP:
 * deploys materialize records, retrieves give back identical bytes, and the platform rules hold.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import type { Connection } from '@salesforce/core';
import { startTestOrg } from '../../helpers/local-org.ts';
import type { LocalOrg } from '../../../local-org/server.ts';
import { OMNI_PROJECT, asArray, connect, deployZip, mdapiZip, orgSnapshot, writeProject, xml, type TempProject } from './helpers.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('Metadata API deploy and retrieve through SDR', () => {
  let org: LocalOrg;
  let connection: Connection;
  let project: TempProject;
  let firstDeploy: any;

  beforeAll(async () => {
    org = await startTestOrg();
    connection = await connect(org);
    project = writeProject(OMNI_PROJECT);
    const operation = await ComponentSet.fromSource(project.packageDir).deploy({ usernameOrConnection: connection });
    firstDeploy = (await operation.pollStatus(50, 30)).response;
  }, 60_000);

  afterAll(async () => {
    project?.cleanup();
    await org?.stop();
  });

  it('deploys the project: every component created, the package.xml entry listed', () => {
    expect(firstDeploy.status).toBe('Succeeded');
    expect(firstDeploy.id).toMatch(/^0Af[A-Za-z0-9]{15}$/);
    const successes = asArray(firstDeploy.details.componentSuccesses);
    expect(successes.find((s: any) => s.fullName === 'package.xml')).toBeTruthy();
    const components = successes.filter((s: any) => s.fullName !== 'package.xml');
    expect(components.map((s: any) => `${s.componentType}:${s.fullName}`).sort()).toEqual([
      'PermissionSet:Omni_Agent',
      'PresenceDeclineReason:Busy_Elsewhere',
      'PresenceUserConfig:Tier1',
      'Queue:Case_Queue',
      'QueueRoutingConfig:Cases_Routing',
      'ServiceChannel:Case_Channel',
      'ServicePresenceStatus:Available',
      'ServicePresenceStatus:Away',
    ]);
    // The seeded permission set already existed: changed, not created.
    const permissionSet = components.find((s: any) => s.fullName === 'Omni_Agent');
    expect([permissionSet.created, permissionSet.changed]).toEqual([false, true]);
    const config = components.find((s: any) => s.fullName === 'Tier1');
    expect([config.created, config.changed]).toEqual([true, false]);
    expect(config.fileName).toBe('presenceUserConfigs/Tier1.presenceUserConfig');
    expect(firstDeploy.numberComponentsDeployed).toBe(8);
    expect(firstDeploy.numberComponentErrors).toBe(0);
  });

  it('materializes the records, queryable with SOQL through jsforce', async () => {
    const config = (await connection.query<any>("SELECT Id, Capacity, MasterLabel, OptionsIsDeclineEnabled, OptionsIsAutoAcceptEnabled, PresenceStatusOnDecline.DeveloperName FROM PresenceUserConfig WHERE DeveloperName = 'Tier1'")).records[0];
    expect(config).toMatchObject({ Capacity: 4, MasterLabel: 'Tier 1 Agents', OptionsIsDeclineEnabled: true, OptionsIsAutoAcceptEnabled: false });
    expect(config.PresenceStatusOnDecline.DeveloperName).toBe('Away');
    const users = await connection.query<any>(`SELECT User.Username FROM PresenceUserConfigUser WHERE PresenceUserConfigId = '${config.Id}'`);
    expect(users.records.map((r: any) => r.User.Username).sort()).toEqual(['agent01@omni.local', 'agent02@omni.local']);
    const profiles = await connection.query<any>(`SELECT Profile.Name FROM PresenceUserConfigProfile WHERE PresenceUserConfigId = '${config.Id}'`);
    expect(profiles.records.map((r: any) => r.Profile.Name)).toEqual(['Standard User']);
    const reasons = await connection.query<any>(`SELECT PresenceDeclineReason.DeveloperName FROM PresenceConfigDeclineReason WHERE PresenceUserConfigId = '${config.Id}'`);
    expect(reasons.records.map((r: any) => r.PresenceDeclineReason.DeveloperName)).toEqual(['Busy_Elsewhere']);
    const channels = await connection.query<any>("SELECT ServiceChannel.DeveloperName FROM ServiceChannelStatus WHERE ServicePresenceStatus.DeveloperName = 'Available'");
    expect(channels.records.map((r: any) => r.ServiceChannel.DeveloperName).sort()).toEqual(['Case_Channel', 'sfdc_phone']);
    const channel = (await connection.query<any>("SELECT RelatedEntity, MasterLabel FROM ServiceChannel WHERE DeveloperName = 'Case_Channel'")).records[0];
    expect(channel).toMatchObject({ RelatedEntity: 'Case', MasterLabel: 'Case Channel' });
    const queue = (await connection.query<any>("SELECT Name, Type, QueueRoutingConfig.DeveloperName FROM Group WHERE DeveloperName = 'Case_Queue'")).records[0];
    expect(queue).toMatchObject({ Name: 'Case Queue', Type: 'Queue' });
    expect(queue.QueueRoutingConfig.DeveloperName).toBe('Cases_Routing');
    const routing = (await connection.query<any>("SELECT RoutingModel, CapacityWeight, PushTimeout FROM QueueRoutingConfig WHERE DeveloperName = 'Cases_Routing'")).records[0];
    expect(routing).toMatchObject({ RoutingModel: 'MostAvailable', CapacityWeight: 1, PushTimeout: 30 });
    const grants = await connection.query<any>("SELECT SetupEntityType, SetupEntityId FROM SetupEntityAccess WHERE Parent.Name = 'Omni_Agent'");
    expect(grants.records).toHaveLength(2);
    expect(grants.records.every((r: any) => r.SetupEntityType === 'ServicePresenceStatus')).toBe(true);
  });

  it('retrieves the same bytes it was deployed with (SDR retrieve into a fresh project)', async () => {
    const target = writeProject({});
    try {
      const members = ComponentSet.fromSource(project.packageDir);
      const operation = await members.retrieve({ usernameOrConnection: connection, output: target.packageDir, merge: false });
      const result = await operation.pollStatus(50, 30);
      expect(result.response.status).toBe('Succeeded');
      const retrieved = filesUnder(target.packageDir);
      // SDR writes an unpackaged retrieve under <output>/metadataPackage_<time>/main/default/.
      const byPath = new Map(retrieved.map((f) => [relative(target.packageDir, f).replace(/^.*main\/default\//, ''), readFileSync(f, 'utf8')]));
      for (const [path, content] of Object.entries(OMNI_PROJECT)) expect(byPath.get(path), path).toBe(content);
      expect(byPath.size).toBe(Object.keys(OMNI_PROJECT).length);
    } finally {
      target.cleanup();
    }
  });

  it('redeploying the same files reports every component unchanged (created=false, changed=false)', async () => {
    const operation = await ComponentSet.fromSource(project.packageDir).deploy({ usernameOrConnection: connection });
    const response = (await operation.pollStatus(50, 30)).response;
    expect(response.status).toBe('Succeeded');
    const components = asArray(response.details.componentSuccesses).filter((s: any) => s.fullName !== 'package.xml');
    expect(components).toHaveLength(8);
    for (const c of components) expect([c.fullName, c.created, c.changed]).toEqual([c.fullName, false, false]);
  });

  it('a configuration deployed without <assignments> loses its assignment rows (the deploy replaces them)', async () => {
    const without = OMNI_PROJECT['presenceUserConfigs/Tier1.presenceUserConfig-meta.xml'].replace(/ {4}<assignments>[\s\S]*<\/assignments>\n/, '');
    const zip = await mdapiZip({ 'presenceUserConfigs/Tier1.presenceUserConfig': without }, { PresenceUserConfig: ['Tier1'] });
    const result = await deployZip(connection, zip);
    expect(result.status).toBe('Succeeded');
    const success = asArray(result.details.componentSuccesses).find((s: any) => s.fullName === 'Tier1');
    expect([success.created, success.changed]).toEqual([false, true]);
    const rows = await connection.query("SELECT Id FROM PresenceUserConfigUser WHERE PresenceUserConfig.DeveloperName = 'Tier1'");
    expect(rows.totalSize).toBe(0);
    const profileRows = await connection.query("SELECT Id FROM PresenceUserConfigProfile WHERE PresenceUserConfig.DeveloperName = 'Tier1'");
    expect(profileRows.totalSize).toBe(0);
    // Put them back for the tests that follow.
    const again = await deployZip(connection, await mdapiZip({ 'presenceUserConfigs/Tier1.presenceUserConfig': OMNI_PROJECT['presenceUserConfigs/Tier1.presenceUserConfig-meta.xml'] }, { PresenceUserConfig: ['Tier1'] }));
    expect(again.status).toBe('Succeeded');
  });

  it('rejects an unknown element with the file, line, column and the platform problem; the org is unchanged', async () => {
    const before = orgSnapshot(org);
    const broken = xml('PresenceUserConfig', '    <capacity>3</capacity>\n    <colour>blue</colour>\n    <label>Broken</label>');
    const zip = await mdapiZip(
      { 'presenceUserConfigs/Broken.presenceUserConfig': broken, 'presenceDeclineReasons/Lunch.presenceDeclineReason': xml('PresenceDeclineReason', '    <label>Lunch</label>') },
      { PresenceUserConfig: ['Broken'], PresenceDeclineReason: ['Lunch'] },
      { root: 'unpackaged' },
    );
    const result = await deployZip(connection, zip, { singlePackage: false });
    expect(result.status).toBe('Failed');
    expect(result.success).toBe(false);
    const failure = asArray(result.details.componentFailures)[0];
    expect(failure).toMatchObject({
      fileName: 'unpackaged/presenceUserConfigs/Broken.presenceUserConfig',
      fullName: 'Broken',
      componentType: 'PresenceUserConfig',
      lineNumber: 4,
      columnNumber: 5,
      problemType: 'Error',
      problem: 'Element {http://soap.sforce.com/2006/04/metadata}colour invalid at this location in type PresenceUserConfig',
    });
    expect(result.numberComponentErrors).toBe(1);
    expect(orgSnapshot(org)).toBe(before);
  });

  it('rejects out-of-order and missing required elements, bad values and elements newer than the API version', async () => {
    const cases: Array<[string, string, string]> = [
      ['Order', '    <label>Order</label>\n    <capacity>3</capacity>', 'Element {http://soap.sforce.com/2006/04/metadata}capacity invalid at this location in type PresenceUserConfig'],
      ['NoCapacity', '    <label>No capacity</label>', 'Required field is missing: capacity'],
      ['BadInt', '    <capacity>lots</capacity>\n    <label>Bad</label>', "'lots' is not a valid value for the type xsd:int"],
      ['TooNew', '    <afterConvoWorkMaxTime>60</afterConvoWorkMaxTime>\n    <capacity>3</capacity>\n    <label>New</label>', 'Element {http://soap.sforce.com/2006/04/metadata}afterConvoWorkMaxTime invalid at this location in type PresenceUserConfig'],
    ];
    for (const [name, body, problem] of cases) {
      const zip = await mdapiZip({ [`presenceUserConfigs/${name}.presenceUserConfig`]: xml('PresenceUserConfig', body) }, { PresenceUserConfig: [name] });
      const result = await deployZip(connection, zip);
      expect(result.status, name).toBe('Failed');
      expect(asArray(result.details.componentFailures)[0].problem, name).toBe(problem);
    }
  });

  it('fails a configuration whose status does not exist, naming the field', async () => {
    const before = orgSnapshot(org);
    const body = '    <capacity>3</capacity>\n    <enableDecline>true</enableDecline>\n    <label>Missing status</label>\n    <presenceStatusOnDecline>Nope</presenceStatusOnDecline>';
    const zip = await mdapiZip({ 'presenceUserConfigs/Missing.presenceUserConfig': xml('PresenceUserConfig', body) }, { PresenceUserConfig: ['Missing'] });
    const result = await deployZip(connection, zip);
    expect(result.status).toBe('Failed');
    expect(asArray(result.details.componentFailures)[0]).toMatchObject({
      fullName: 'Missing',
      problem: 'In field: presenceStatusOnDecline - no ServicePresenceStatus named Nope found',
      lineNumber: 6,
    });
    expect(orgSnapshot(org)).toBe(before);
  });

  it('fails an unknown username with the platform text', async () => {
    const body = '    <assignments>\n        <users>\n            <user>ghost@nowhere.invalid</user>\n        </users>\n    </assignments>\n    <capacity>2</capacity>\n    <label>Ghost</label>';
    const zip = await mdapiZip({ 'presenceUserConfigs/Ghost.presenceUserConfig': xml('PresenceUserConfig', body) }, { PresenceUserConfig: ['Ghost'] });
    const result = await deployZip(connection, zip);
    expect(asArray(result.details.componentFailures)[0].problem).toBe('In field: userName - no User named ghost@nowhere.invalid found');
  });

  it('refuses to give a user or a profile a second presence configuration', async () => {
    const before = orgSnapshot(org);
    const user = '    <assignments>\n        <users>\n            <user>agent01@omni.local</user>\n        </users>\n    </assignments>\n    <capacity>2</capacity>\n    <label>Second</label>';
    const profile = '    <assignments>\n        <profiles>\n            <profile>standard user</profile>\n        </profiles>\n    </assignments>\n    <capacity>2</capacity>\n    <label>Third</label>';
    const zip = await mdapiZip(
      { 'presenceUserConfigs/Second.presenceUserConfig': xml('PresenceUserConfig', user), 'presenceUserConfigs/Third.presenceUserConfig': xml('PresenceUserConfig', profile) },
      { PresenceUserConfig: ['Second', 'Third'] },
    );
    const result = await deployZip(connection, zip);
    expect(result.status).toBe('Failed');
    const failures = asArray(result.details.componentFailures);
    expect(failures.map((f: any) => f.fullName).sort()).toEqual(['Second', 'Third']);
    for (const f of failures) expect(f.problem).toMatch(/^duplicate value found: (userName|profile) duplicates value on record with id: 0Nd/);
    expect(orgSnapshot(org)).toBe(before);
  });

  it('moves a user between two configurations deployed together', async () => {
    const tier1 = OMNI_PROJECT['presenceUserConfigs/Tier1.presenceUserConfig-meta.xml'].replace('            <user>agent02@omni.local</user>\n', '');
    const tier2 = xml('PresenceUserConfig', '    <assignments>\n        <users>\n            <user>agent02@omni.local</user>\n        </users>\n    </assignments>\n    <capacity>2</capacity>\n    <label>Tier 2</label>');
    // Tier2 sorts after Tier1, but the user is freed by Tier1 in the same deployment either way.
    const zip = await mdapiZip({ 'presenceUserConfigs/Tier1.presenceUserConfig': tier1, 'presenceUserConfigs/Tier2.presenceUserConfig': tier2 }, { PresenceUserConfig: ['Tier2', 'Tier1'] });
    const result = await deployZip(connection, zip);
    expect(result.status).toBe('Succeeded');
    const rows = await connection.query<any>("SELECT PresenceUserConfig.DeveloperName FROM PresenceUserConfigUser WHERE User.Username = 'agent02@omni.local'");
    expect(rows.records.map((r: any) => r.PresenceUserConfig.DeveloperName)).toEqual(['Tier2']);
  });

  it('checkOnly validates without changing anything', async () => {
    const before = orgSnapshot(org);
    const zip = await mdapiZip({ 'presenceDeclineReasons/Checked.presenceDeclineReason': xml('PresenceDeclineReason', '    <label>Checked</label>') }, { PresenceDeclineReason: ['Checked'] });
    const result = await deployZip(connection, zip, { checkOnly: true });
    expect(result.status).toBe('Succeeded');
    expect(result.checkOnly).toBe(true);
    expect(asArray(result.details.componentSuccesses).find((s: any) => s.fullName === 'Checked').created).toBe(true);
    expect(orgSnapshot(org)).toBe(before);
    expect((await connection.query("SELECT Id FROM PresenceDeclineReason WHERE DeveloperName = 'Checked'")).totalSize).toBe(0);
  });

  it('rollbackOnError=false deploys the valid components: SucceededPartial', async () => {
    const zip = await mdapiZip(
      {
        'presenceDeclineReasons/Partial_Ok.presenceDeclineReason': xml('PresenceDeclineReason', '    <label>Partial ok</label>'),
        'serviceChannels/Dup_Case.serviceChannel': xml('ServiceChannel', '    <label>Another case channel</label>\n    <relatedEntityType>Case</relatedEntityType>'),
      },
      { PresenceDeclineReason: ['Partial_Ok'], ServiceChannel: ['Dup_Case'] },
    );
    const result = await deployZip(connection, zip, { rollbackOnError: false });
    expect(result.status).toBe('SucceededPartial');
    expect(result.success).toBe(true);
    const failure = asArray(result.details.componentFailures)[0];
    expect(failure.fullName).toBe('Dup_Case');
    expect(failure.problem).toMatch(/^duplicate value found: RelatedEntity duplicates value on record with id: 0N9/);
    expect((await connection.query("SELECT Id FROM PresenceDeclineReason WHERE DeveloperName = 'Partial_Ok'")).totalSize).toBe(1);
    expect((await connection.query("SELECT Id FROM ServiceChannel WHERE DeveloperName = 'Dup_Case'")).totalSize).toBe(0);
  });
});

describe('Metadata API with Omni-Channel disabled', () => {
  let org: LocalOrg;
  let connection: Connection;

  beforeAll(async () => {
    org = await startTestOrg({ omniDisabled: true });
    connection = await connect(org);
  });
  afterAll(async () => {
    await org?.stop();
  });

  const reason = xml('PresenceDeclineReason', '    <label>Lunch</label>');

  it('fails the Omni types with "Not available for deploy for this organization"', async () => {
    const before = orgSnapshot(org);
    const result = await deployZip(connection, await mdapiZip({ 'presenceDeclineReasons/Lunch.presenceDeclineReason': reason }, { PresenceDeclineReason: ['Lunch'] }));
    expect(result.status).toBe('Failed');
    expect(asArray(result.details.componentFailures)[0]).toMatchObject({ fullName: 'Lunch', problem: 'Not available for deploy for this organization' });
    expect(orgSnapshot(org)).toBe(before);
  });

  it('enables Omni-Channel through OmniChannelSettings in the same deployment, which applies first', async () => {
    const { OMNI_SETTINGS } = await import('./helpers.ts');
    const zip = await mdapiZip(
      { 'presenceDeclineReasons/Lunch.presenceDeclineReason': reason, 'settings/OmniChannel.settings': OMNI_SETTINGS },
      { PresenceDeclineReason: ['Lunch'], Settings: ['OmniChannel'] },
    );
    const result = await deployZip(connection, zip);
    expect(result.status).toBe('Succeeded');
    // Messages name the package type, as SDR matches them: Settings, not OmniChannelSettings.
    expect(asArray(result.details.componentSuccesses).find((s: any) => s.fullName === 'OmniChannel')).toMatchObject({ componentType: 'Settings', fileName: 'settings/OmniChannel.settings' });
    expect(org.context.omniEnabled).toBe(true);
    expect((await connection.query("SELECT MasterLabel FROM PresenceDeclineReason WHERE DeveloperName = 'Lunch'")).records[0]).toMatchObject({ MasterLabel: 'Lunch' });
  });
});
