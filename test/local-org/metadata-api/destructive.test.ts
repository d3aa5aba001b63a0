/**
 * Destructive changes in the local org's Metadata API, driven by the real clients over HTTP: SDR
 * (a ComponentSet with a component marked for post-deploy delete, as `sf project delete source` builds
 * it) and jsforce with raw zips carrying destructiveChanges.xml / Pre / Post beside package.xml.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ComponentSet, DestructiveChangesType, RegistryAccess, SourceComponent } from '@salesforce/source-deploy-retrieve';
import type { Connection } from '@salesforce/core';
import { startTestOrg } from '../../helpers/local-org.ts';
import type { LocalOrg } from '../../../local-org/server.ts';
import { NS, OMNI_PROJECT, asArray, connect, deployZip, mdapiZip, orgSnapshot, writeProject, xml, type TempProject } from './helpers.ts';

const registry = new RegistryAccess();

/** A destructive manifest (package.xml format, no version). */
function manifest(types: Record<string, string[]>): string {
  const body = Object.entries(types)
    .map(([name, members]) => `    <types>\n${members.map((m) => `        <members>${m}</members>\n`).join('')}        <name>${name}</name>\n    </types>\n`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="${NS}">\n${body}</Package>\n`;
}

describe('Metadata API destructive changes', () => {
  let org: LocalOrg;
  let connection: Connection;
  let project: TempProject;

  const count = (sobject: string, field: string, value: string) => (org.store.lookup(sobject, field, value) ?? []).length;
  const row = (sobject: string, name: string) => org.store.lookup(sobject, 'DeveloperName', name)?.[0];
  /** Puts the whole project back (what earlier tests deleted), then proves it is there. */
  const redeploy = async () => {
    const operation = await ComponentSet.fromSource(project.packageDir).deploy({ usernameOrConnection: connection });
    const result = await operation.pollStatus(50, 30);
    expect(result.response.status).toBe('Succeeded');
    expect(row('PresenceUserConfig', 'Tier1')).toBeTruthy();
  };
  /** SDR deploy of remote-only deletes, as `sf project delete source --metadata Type:Name` builds it. */
  const sdrDelete = async (type: string, names: string[], options: { checkOnly?: boolean } = {}) => {
    const cs = new ComponentSet([]);
    for (const name of names) cs.add(new SourceComponent({ name, type: registry.getTypeByName(type) }), DestructiveChangesType.POST);
    const operation = await cs.deploy({ usernameOrConnection: connection, apiOptions: { rollbackOnError: true, singlePackage: true, checkOnly: options.checkOnly ?? false } });
    return operation.pollStatus(50, 30);
  };

  beforeAll(async () => {
    org = await startTestOrg();
    connection = await connect(org);
    project = writeProject(OMNI_PROJECT);
    await redeploy();
  }, 60_000);

  // Each test starts from the whole project deployed, whatever the one before deleted.
  afterEach(redeploy);

  afterAll(async () => {
    project?.cleanup();
    await org?.stop();
  });

  it('SDR post-deploy delete removes the configuration and its junction rows; a retrieve no longer returns it', async () => {
    const tier1 = row('PresenceUserConfig', 'Tier1')!;
    expect([count('PresenceUserConfigUser', 'PresenceUserConfigId', tier1.Id), count('PresenceUserConfigProfile', 'PresenceUserConfigId', tier1.Id), count('PresenceConfigDeclineReason', 'PresenceUserConfigId', tier1.Id)]).toEqual([2, 1, 1]);

    const result = await sdrDelete('PresenceUserConfig', ['Tier1']);
    expect(result.response.status).toBe('Succeeded');
    const deleted = asArray(result.response.details.componentSuccesses).find((m: any) => m.fullName === 'Tier1');
    expect(deleted).toMatchObject({ componentType: 'PresenceUserConfig', deleted: true, created: false, changed: false, success: true, id: tier1.Id });

    expect(row('PresenceUserConfig', 'Tier1')).toBeUndefined();
    const left = await connection.query<any>(`SELECT Id FROM PresenceUserConfigUser WHERE PresenceUserConfigId = '${tier1.Id}'`);
    expect(left.totalSize).toBe(0);
    for (const junction of ['PresenceUserConfigUser', 'PresenceUserConfigProfile', 'PresenceConfigDeclineReason']) expect(count(junction, 'PresenceUserConfigId', tier1.Id)).toBe(0);
    // The user and the decline reason themselves stay.
    expect(org.store.lookup('User', 'Username', 'agent01@omni.local')).toHaveLength(1);
    expect(row('PresenceDeclineReason', 'Busy_Elsewhere')).toBeTruthy();

    const retrieve = await new ComponentSet([{ fullName: '*', type: 'PresenceUserConfig' }]).retrieve({ usernameOrConnection: connection, output: project.root, merge: false });
    const retrieved = await retrieve.pollStatus(50, 30);
    const names = asArray(retrieved.response.fileProperties).filter((p: any) => p.type === 'PresenceUserConfig').map((p: any) => p.fullName);
    expect(names).toContain('default_presence_config');
    expect(names).not.toContain('Tier1');
  });

  it('checkOnly reports the deletion and deletes nothing', async () => {
    const before = orgSnapshot(org);
    const result = await sdrDelete('PresenceUserConfig', ['Tier1'], { checkOnly: true });
    expect(result.response.status).toBe('Succeeded');
    expect(result.response.checkOnly).toBe(true);
    expect(asArray(result.response.details.componentSuccesses).find((m: any) => m.fullName === 'Tier1')).toMatchObject({ deleted: true });
    expect(orgSnapshot(org)).toBe(before);
  });

  it('a failing component rolls the deletions back (all or none)', async () => {
    const before = orgSnapshot(org);
    const broken = xml('PresenceUserConfig', '    <capacity>3</capacity>\n    <label>Broken</label>\n    <presenceStatusOnPushTimeout>No_Such_Status</presenceStatusOnPushTimeout>');
    const zip = await mdapiZip(
      { 'presenceUserConfigs/Broken.presenceUserConfig': broken, 'destructiveChangesPre.xml': manifest({ PresenceUserConfig: ['Tier1'], PresenceDeclineReason: ['Busy_Elsewhere'] }) },
      { PresenceUserConfig: ['Broken'] },
    );
    const result = await deployZip(connection, zip);
    expect(result.status).toBe('Failed');
    expect(asArray(result.details.componentFailures).map((f: any) => `${f.fullName}: ${f.problem}`)).toEqual(['Broken: In field: presenceStatusOnPushTimeout - no ServicePresenceStatus named No_Such_Status found']);
    // The two deletions had succeeded before the failure; rollbackOnError undid them.
    expect(asArray(result.details.componentSuccesses).filter((m: any) => m.deleted === true).map((m: any) => m.fullName).sort()).toEqual(['Busy_Elsewhere', 'Tier1']);
    expect(orgSnapshot(org)).toBe(before);
  });

  it('a member the org lacks succeeds with the "No <type> named: <name> found" warning; the others are still deleted', async () => {
    const zip = await mdapiZip(
      { 'presenceDeclineReasons/Temp.presenceDeclineReason': xml('PresenceDeclineReason', '    <label>Temp</label>'), 'destructiveChanges.xml': manifest({ PresenceUserConfig: ['No_Such_Config'] }) },
      { PresenceDeclineReason: ['Temp'] },
    );
    expect((await deployZip(connection, zip)).status).toBe('Succeeded');
    const result = await deployZip(connection, await mdapiZip({ 'destructiveChanges.xml': manifest({ PresenceUserConfig: ['No_Such_Config'], PresenceDeclineReason: ['Temp'] }) }, {}));
    expect(result.status).toBe('Succeeded');
    expect(asArray(result.details.componentFailures)).toEqual([]);
    const successes = asArray(result.details.componentSuccesses);
    expect(successes.find((m: any) => m.problemType === 'Warning')).toMatchObject({
      fullName: 'destructiveChanges.xml',
      fileName: 'destructiveChanges.xml',
      componentType: 'PresenceUserConfig',
      problem: 'No PresenceUserConfig named: No_Such_Config found',
      success: true,
      deleted: false,
    });
    expect(successes.find((m: any) => m.fullName === 'Temp')).toMatchObject({ deleted: true, componentType: 'PresenceDeclineReason' });
    expect(row('PresenceDeclineReason', 'Temp')).toBeUndefined();
  });

  it('refuses what the platform refuses: a channel or status still referenced, a decline reason in use, the default configuration, Settings', async () => {
    const before = orgSnapshot(org);
    const cases: Array<[string, string, string]> = [
      ['ServiceChannel', 'Case_Channel', 'Your attempt to delete Case_Channel could not be completed because it is associated with the following Presence Statuses: Available'],
      ['ServicePresenceStatus', 'Away', 'Your attempt to delete Away could not be completed because it is associated with the following Presence Configurations: Tier1'],
      ['PresenceDeclineReason', 'Busy_Elsewhere', 'Your attempt to delete Busy_Elsewhere could not be completed because it is associated with the following Presence Configurations: Tier1'],
      ['QueueRoutingConfig', 'Cases_Routing', 'Your attempt to delete Cases_Routing could not be completed because it is associated with the following Queues: Case_Queue'],
      ['PresenceUserConfig', 'default_presence_config', "You can't delete the default presence configuration."],
    ];
    for (const [type, name, problem] of cases) {
      const result = await deployZip(connection, await mdapiZip({ 'destructiveChangesPost.xml': manifest({ [type]: [name] }) }, {}));
      expect(result.status, `${type}:${name}`).toBe('Failed');
      expect(asArray(result.details.componentFailures).map((f: any) => [f.componentType, f.fullName, f.problem])).toEqual([[type, name, problem]]);
    }
    const settings = await deployZip(connection, await mdapiZip({ 'destructiveChangesPost.xml': manifest({ Settings: ['OmniChannel'] }) }, {}));
    expect(asArray(settings.details.componentFailures).map((f: any) => f.problem)).toEqual(["Settings can't be deleted; deploy OmniChannelSettings with the values you want instead."]);
    expect(orgSnapshot(org)).toBe(before);
  });

  it('post deletes run after the other components (the update frees the channel), pre deletes before them (still referenced)', async () => {
    const availableWithoutCase = xml('ServicePresenceStatus', '    <channels>\n        <channel>sfdc_phone</channel>\n    </channels>\n    <label>Available</label>');
    const files = { 'servicePresenceStatuses/Available.servicePresenceStatus': availableWithoutCase };
    const before = orgSnapshot(org);
    const pre = await deployZip(connection, await mdapiZip({ ...files, 'destructiveChangesPre.xml': manifest({ ServiceChannel: ['Case_Channel'] }) }, { ServicePresenceStatus: ['Available'] }));
    expect(pre.status).toBe('Failed');
    expect(asArray(pre.details.componentFailures).map((f: any) => f.fullName)).toEqual(['Case_Channel']);
    expect(orgSnapshot(org)).toBe(before);

    // Plain destructiveChanges.xml is applied after the additive part too.
    for (const manifestFile of ['destructiveChangesPost.xml', 'destructiveChanges.xml']) {
      const post = await deployZip(connection, await mdapiZip({ ...files, [manifestFile]: manifest({ ServiceChannel: ['Case_Channel'] }) }, { ServicePresenceStatus: ['Available'] }));
      expect(post.status, manifestFile).toBe('Succeeded');
      expect(post.numberComponentsDeployed).toBe(2);
      expect(asArray(post.details.componentSuccesses).find((m: any) => m.fullName === 'Case_Channel')).toMatchObject({ deleted: true, componentType: 'ServiceChannel' });
      expect(row('ServiceChannel', 'Case_Channel')).toBeUndefined();
      await redeploy();
    }
  });

  it('deleting a status removes its channel rows and permission-set grants, which frees its channels to be deleted', async () => {
    const available = row('ServicePresenceStatus', 'Available')!;
    expect(count('ServiceChannelStatus', 'ServicePresenceStatusId', available.Id)).toBe(2);
    expect(count('SetupEntityAccess', 'SetupEntityId', available.Id)).toBe(1);
    const result = await sdrDelete('ServicePresenceStatus', ['Available']);
    expect(result.response.status).toBe('Succeeded');
    expect(row('ServicePresenceStatus', 'Available')).toBeUndefined();
    expect(count('ServiceChannelStatus', 'ServicePresenceStatusId', available.Id)).toBe(0);
    expect(count('SetupEntityAccess', 'SetupEntityId', available.Id)).toBe(0);
    // The channels stay, now free to delete.
    expect(row('ServiceChannel', 'Case_Channel')).toBeTruthy();
    const channel = await sdrDelete('ServiceChannel', ['Case_Channel']);
    expect(channel.response.status).toBe('Succeeded');
    expect(row('ServiceChannel', 'Case_Channel')).toBeUndefined();
  });
});
