/**
 * The SOAP surface of the local org's Metadata API over real HTTP: faults, async ids, cancelDeploy,
 * the deploy status timeline, retrieve messages and zips, listMetadata / readMetadata / describeMetadata.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import JSZip from 'jszip';
import type { Connection } from '@salesforce/core';
import { startTestOrg } from '../../helpers/local-org.ts';
import type { LocalOrg } from '../../../local-org/server.ts';
import { DEPLOY_TIMING } from '../../../local-org/metadata-api/deploy.ts';
import { OMNI_PROJECT, NS, asArray, connect, deployZip, mdapiZip, orgSnapshot, waitDeploy, xml } from './helpers.ts';

/** Source-format project → mdapi file names and package types. */
function asMdapi(files: Record<string, string>): { files: Record<string, string>; types: Record<string, string[]> } {
  const out: Record<string, string> = {};
  const types: Record<string, string[]> = {};
  const typeOf: Record<string, string> = {
    serviceChannels: 'ServiceChannel',
    servicePresenceStatuses: 'ServicePresenceStatus',
    presenceDeclineReasons: 'PresenceDeclineReason',
    presenceUserConfigs: 'PresenceUserConfig',
    queueRoutingConfigs: 'QueueRoutingConfig',
    queues: 'Queue',
    permissionsets: 'PermissionSet',
  };
  for (const [path, content] of Object.entries(files)) {
    const [dir, file] = path.split('/');
    out[`${dir}/${file.replace(/-meta\.xml$/, '')}`] = content;
    (types[typeOf[dir]] ??= []).push(file.slice(0, file.indexOf('.')));
  }
  return { files: out, types };
}

async function soap(org: LocalOrg, body: string, token: string = org.accessToken): Promise<{ status: number; text: string }> {
  const envelope =
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Header xmlns="${NS}"><SessionHeader><sessionId>${token}</sessionId></SessionHeader></soapenv:Header>` +
    `<soapenv:Body xmlns="${NS}">${body}</soapenv:Body></soapenv:Envelope>`;
  const response = await fetch(`${org.instanceUrl}/services/Soap/m/66.0`, { method: 'POST', headers: { 'content-type': 'text/xml', soapaction: '""' }, body: envelope });
  return { status: response.status, text: await response.text() };
}

describe('Metadata API protocol', () => {
  let org: LocalOrg;
  let connection: Connection;

  beforeAll(async () => {
    org = await startTestOrg();
    connection = await connect(org);
    const project = asMdapi(OMNI_PROJECT);
    const result = await deployZip(connection, await mdapiZip(project.files, project.types, { version: '66.0' }));
    expect(result.status).toBe('Succeeded');
  }, 30_000);
  afterAll(async () => {
    await org?.stop();
  });

  it('answers a bad session with sf:INVALID_SESSION_ID', async () => {
    const reply = await soap(org, '<describeMetadata><asOfVersion>66.0</asOfVersion></describeMetadata>', '00Dbogus!token');
    expect(reply.status).toBe(500);
    expect(reply.text).toContain('<faultcode>sf:INVALID_SESSION_ID</faultcode>');
    // The Metadata API's own fault namespace and detail, as the real service sends it — not the
    // partner API's urn:fault.partner.soap.sforce.com.
    expect(reply.text).toContain(`xmlns:sf="${NS}"`);
    expect(reply.text).not.toContain('urn:fault.partner');
    expect(reply.text).toContain(
      '<detail><sf:UnexpectedErrorFault><sf:exceptionCode>INVALID_SESSION_ID</sf:exceptionCode>' +
        '<sf:exceptionMessage>Invalid Session ID found in SessionHeader: Illegal Session</sf:exceptionMessage></sf:UnexpectedErrorFault></detail>',
    );
    expect(reply.text).toContain('<faultstring>INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session</faultstring>');
  });

  it('answers unknown async ids with INVALID_ID_FIELD (malformed) or INVALID_CROSS_REFERENCE_KEY (no such job)', async () => {
    const malformed = await soap(org, '<checkDeployStatus><asyncProcessId>nope</asyncProcessId><includeDetails>true</includeDetails></checkDeployStatus>');
    expect(malformed.status).toBe(500);
    expect(malformed.text).toContain('<faultcode>sf:INVALID_ID_FIELD</faultcode>');
    const unknown = await soap(org, '<checkDeployStatus><asyncProcessId>0Af8d000000ZZZZCAA</asyncProcessId></checkDeployStatus>');
    expect(unknown.text).toContain('<faultcode>sf:INVALID_CROSS_REFERENCE_KEY</faultcode>');
    await expect(connection.metadata.checkRetrieveStatus('09S8d000000ZZZZCAA')).rejects.toThrow(/INVALID_CROSS_REFERENCE_KEY/);
  });

  it('rejects a testLevel outside the enum the way the SOAP layer does (jsforce writes an undefined option as "undefined")', async () => {
    const zip = await mdapiZip({ 'presenceDeclineReasons/T.presenceDeclineReason': xml('PresenceDeclineReason', '    <label>T</label>') }, { PresenceDeclineReason: ['T'] });
    const reply = await soap(org, `<deploy><ZipFile>${zip.toString('base64')}</ZipFile><DeployOptions><testLevel></testLevel></DeployOptions></deploy>`);
    expect(reply.status).toBe(500);
    expect(reply.text).toContain("<faultstring>'' is not a valid value for the enum 'TestLevel'</faultstring>");
    await expect(connection.metadata.deploy(zip, { testLevel: undefined } as never)).rejects.toThrow("'undefined' is not a valid value for the enum 'TestLevel'");
  });

  it('runs a deploy asynchronously: Pending, then InProgress, then done', async () => {
    // Long phases, so a loaded machine's first poll still lands in Pending.
    const timing = { ...DEPLOY_TIMING };
    Object.assign(DEPLOY_TIMING, { pendingMs: 600, inProgressMs: 600 });
    onTestFinished(() => {
      Object.assign(DEPLOY_TIMING, timing);
    });
    const zip = await mdapiZip({ 'presenceDeclineReasons/Timeline.presenceDeclineReason': xml('PresenceDeclineReason', '    <label>Timeline</label>') }, { PresenceDeclineReason: ['Timeline'] });
    const reply = await soap(org, `<deploy><ZipFile>${zip.toString('base64')}</ZipFile><DeployOptions><rollbackOnError>true</rollbackOnError><singlePackage>true</singlePackage></DeployOptions></deploy>`);
    expect(reply.status).toBe(200);
    expect(reply.text).toMatch(/<deployResponse><result><done>false<\/done><id>0Af[A-Za-z0-9]{15}<\/id><state>Queued<\/state><\/result><\/deployResponse>/);
    const id = /<id>([^<]+)<\/id>/.exec(reply.text)![1];
    const seen = new Set<string>();
    let final: any;
    for (let i = 0; i < 400 && !final; i++) {
      const status = await connection.metadata.checkDeployStatus(id, false);
      seen.add(status.status);
      if (status.done) final = status;
      else await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen.has('Pending')).toBe(true);
    expect(seen.has('InProgress')).toBe(true);
    expect(final).toMatchObject({ status: 'Succeeded', success: true, numberComponentsTotal: 1, numberComponentsDeployed: 1, rollbackOnError: true, checkOnly: false, runTestsEnabled: false });
    expect(final.startDate).toBeTruthy();
    expect(final.completedDate).toBeTruthy();
  });

  it('cancelDeploy stops a pending deploy: Canceled, nothing written', async () => {
    const before = orgSnapshot(org);
    const zip = await mdapiZip({ 'presenceDeclineReasons/Canceled.presenceDeclineReason': xml('PresenceDeclineReason', '    <label>Canceled</label>') }, { PresenceDeclineReason: ['Canceled'] });
    const started: any = await connection.metadata.deploy(zip, { singlePackage: true } as never);
    const id: string = started.id;
    const cancel: any = await connection.metadata.cancelDeploy(id);
    // cancelDeploy has no result schema in jsforce: the raw CancelDeployResult text.
    expect([cancel.id, String(cancel.done)]).toEqual([id, 'false']);
    const result = await waitDeploy(connection, id);
    expect(result.status).toBe('Canceled');
    expect(result.canceledBy).toBe(org.userId);
    expect(orgSnapshot(org)).toBe(before);
    // A finished deploy can no longer be canceled.
    await expect(connection.metadata.cancelDeploy(id)).rejects.toThrow(/INVALID_ID_FIELD/);
  });

  it('retrieves with wildcards, reports missing members, and zips package.xml plus the rendered files', async () => {
    const started = await connection.metadata.retrieve({
      apiVersion: 66,
      singlePackage: false,
      unpackaged: { types: [{ name: 'PresenceUserConfig', members: ['*'] }, { name: 'ServicePresenceStatus', members: ['Available', 'Ghost'] }], version: '66.0' },
    } as never);
    expect(started.id).toMatch(/^09S/);
    let result: any;
    for (let i = 0; i < 100; i++) {
      result = await connection.metadata.checkRetrieveStatus(started.id);
      if (String(result.done) === 'true') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(result.status).toBe('Succeeded');
    expect(asArray(result.messages)).toEqual([
      { fileName: 'unpackaged/servicePresenceStatuses/Ghost.servicePresenceStatus', problem: "Entity of type 'ServicePresenceStatus' named 'Ghost' cannot be found" },
    ]);
    const names = asArray(result.fileProperties).map((p: any) => p.fileName).sort();
    expect(names).toEqual([
      'unpackaged/package.xml',
      'unpackaged/presenceUserConfigs/Tier1.presenceUserConfig',
      'unpackaged/presenceUserConfigs/default_presence_config.presenceUserConfig',
      'unpackaged/servicePresenceStatuses/Available.servicePresenceStatus',
    ]);
    const zip = await JSZip.loadAsync(Buffer.from(result.zipFile, 'base64'));
    expect(await zip.file('unpackaged/presenceUserConfigs/Tier1.presenceUserConfig')!.async('string')).toBe(OMNI_PROJECT['presenceUserConfigs/Tier1.presenceUserConfig-meta.xml']);
    expect(await zip.file('unpackaged/package.xml')!.async('string')).toContain('<members>*</members>');
    // The built-in configuration was never deployed: rendered from its record.
    expect(await zip.file('unpackaged/presenceUserConfigs/default_presence_config.presenceUserConfig')!.async('string')).toContain('<label>Default Presence Configuration</label>');
  });

  it('renders from the records: a label changed through the data API shows on the next read', async () => {
    const row = (await connection.query<any>("SELECT Id FROM ServiceChannel WHERE DeveloperName = 'Case_Channel'")).records[0];
    await connection.sobject('ServiceChannel').update({ Id: row.Id, MasterLabel: 'Cases (renamed)' });
    try {
      const [record] = asArray<any>(await connection.metadata.read('ServiceChannel', ['Case_Channel']));
      expect(record.label).toBe('Cases (renamed)');
      expect(record.relatedEntityType).toBe('Case');
    } finally {
      await connection.sobject('ServiceChannel').update({ Id: row.Id, MasterLabel: 'Case Channel' });
    }
  });

  it('listMetadata gives FileProperties per component', async () => {
    const list = asArray(await connection.metadata.list([{ type: 'ServicePresenceStatus' }, { type: 'Settings' }]));
    const statuses = list.filter((p: any) => p.type === 'ServicePresenceStatus');
    expect(statuses.map((p: any) => p.fullName).sort()).toEqual(['Available', 'Away']);
    const available = statuses.find((p: any) => p.fullName === 'Available')!;
    expect(available).toMatchObject({ fileName: 'servicePresenceStatuses/Available.servicePresenceStatus', manageableState: 'unmanaged' });
    expect(available.id).toMatch(/^0N5/);
    expect(list.find((p: any) => p.type === 'Settings')).toMatchObject({ fullName: 'OmniChannel', fileName: 'settings/OmniChannel.settings' });
  });

  it('readMetadata renders records as typed Metadata', async () => {
    const reply = await soap(org, '<readMetadata><type>PresenceUserConfig</type><fullNames>Tier1</fullNames><fullNames>Nope</fullNames></readMetadata>');
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('<records xsi:type="PresenceUserConfig"><fullName>Tier1</fullName><assignments><profiles><profile>Standard User</profile></profiles>');
    expect(reply.text.match(/<records /g)).toHaveLength(1);
    const [read] = asArray<any>(await connection.metadata.read('ServicePresenceStatus', ['Available']));
    expect(read.fullName).toBe('Available');
    expect(read.label).toBe('Available');
  });

  it('describeMetadata lists the Omni types and the common ones', async () => {
    const describe: any = await connection.metadata.describe('66.0');
    const byName = new Map(asArray(describe.metadataObjects).map((o: any) => [o.xmlName, o]));
    expect(byName.get('PresenceUserConfig')).toMatchObject({ directoryName: 'presenceUserConfigs', suffix: 'presenceUserConfig', inFolder: false, metaFile: false });
    expect(byName.get('Settings')).toMatchObject({ directoryName: 'settings', suffix: 'settings' });
    expect(byName.get('ApexClass')).toMatchObject({ directoryName: 'classes', suffix: 'cls', metaFile: true });
    expect(byName.get('CustomObject')!.childXmlNames).toContain('CustomField');
    expect(describe.partialSaveAllowed).toBe(true);
    expect(describe.testRequired).toBe(false);
  });

  it('grants presence statuses on a Profile through its profile-owned permission set, and retrieves the profile as deployed', async () => {
    const profile = xml(
      'Profile',
      `    <custom>true</custom>
    <servicePresenceStatusAccesses>
        <enabled>true</enabled>
        <servicePresenceStatus>Available</servicePresenceStatus>
    </servicePresenceStatusAccesses>
    <userLicense>Salesforce</userLicense>
    <userPermissions>
        <enabled>true</enabled>
        <name>ApiEnabled</name>
    </userPermissions>`,
    );
    const fullName = 'Custom%3A Support Agent';
    const result = await deployZip(connection, await mdapiZip({ [`profiles/${fullName}.profile`]: profile }, { Profile: [fullName] }, { version: '66.0' }));
    expect(result.status).toBe('Succeeded');
    const success = asArray(result.details.componentSuccesses).find((s: any) => s.fullName === fullName);
    expect([success.componentType, success.created, success.changed, success.id.slice(0, 3)]).toEqual(['Profile', false, true, '00e']);
    const grants = await connection.query<any>("SELECT Parent.IsOwnedByProfile, Parent.Profile.Name, SetupEntity.DeveloperName FROM SetupEntityAccess WHERE Parent.Profile.Name = 'Custom: Support Agent'");
    expect(grants.records).toHaveLength(1);
    expect(grants.records[0].Parent).toMatchObject({ IsOwnedByProfile: true });
    expect(grants.records[0].SetupEntity.DeveloperName).toBe('Available');
    const started: any = await connection.metadata.retrieve({ apiVersion: 66, singlePackage: true, unpackaged: { types: [{ name: 'Profile', members: [fullName] }], version: '66.0' } } as never);
    let retrieved: any;
    for (let i = 0; i < 100 && String(retrieved?.done) !== 'true'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      retrieved = await connection.metadata.checkRetrieveStatus(started.id);
    }
    const zip = await JSZip.loadAsync(Buffer.from(retrieved.zipFile, 'base64'));
    expect(await zip.file(`profiles/${fullName}.profile`)!.async('string')).toBe(profile);
  });

  it('rejects a zip without package.xml', async () => {
    const zip = new JSZip();
    zip.file('presenceDeclineReasons/X.presenceDeclineReason', xml('PresenceDeclineReason', '    <label>X</label>'));
    const result = await deployZip(connection, await zip.generateAsync({ type: 'nodebuffer' }));
    expect(result.status).toBe('Failed');
    expect(asArray(result.details.componentFailures)[0]).toMatchObject({ fileName: 'package.xml', problem: 'No package.xml found' });
  });
});
