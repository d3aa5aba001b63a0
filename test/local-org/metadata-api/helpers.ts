/**
 * Helpers for the Metadata API tests: a small canonical Omni project (source format), temp project
 * folders, an @salesforce/core Connection to a local org, raw mdapi zips for jsforce, and an org
 * snapshot to prove "unchanged".
 */
import { join } from 'node:path';
import JSZip from 'jszip';
import { AuthInfo, Connection } from '@salesforce/core';
import type { LocalOrg } from '../../../local-org/server.ts';
import { makeProject } from '../../helpers/project.ts';

export const NS = 'http://soap.sforce.com/2006/04/metadata';

export function xml(type: string, body: string): string {
  const lines = body.replace(/^\n+|\s+$/g, '');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="${NS}">\n${lines}\n</${type}>\n`;
}

/** Source-format path (under force-app/main/default) → file content; every file is canonical (retrieve bytes). */
export const OMNI_PROJECT: Record<string, string> = {
  'serviceChannels/Case_Channel.serviceChannel-meta.xml': xml(
    'ServiceChannel',
    `
    <doesMinimizeWidgetOnAccept>false</doesMinimizeWidgetOnAccept>
    <hasAutoAcceptEnabled>false</hasAutoAcceptEnabled>
    <isInterruptible>false</isInterruptible>
    <label>Case Channel</label>
    <relatedEntityType>Case</relatedEntityType>`,
  ),
  'servicePresenceStatuses/Available.servicePresenceStatus-meta.xml': xml(
    'ServicePresenceStatus',
    `
    <channels>
        <channel>Case_Channel</channel>
        <channel>sfdc_phone</channel>
    </channels>
    <label>Available</label>`,
  ),
  'servicePresenceStatuses/Away.servicePresenceStatus-meta.xml': xml('ServicePresenceStatus', '    <label>Away</label>'),
  'presenceDeclineReasons/Busy_Elsewhere.presenceDeclineReason-meta.xml': xml('PresenceDeclineReason', '    <label>Busy elsewhere</label>'),
  'presenceUserConfigs/Tier1.presenceUserConfig-meta.xml': xml(
    'PresenceUserConfig',
    `
    <assignments>
        <profiles>
            <profile>Standard User</profile>
        </profiles>
        <users>
            <user>agent01@omni.local</user>
            <user>agent02@omni.local</user>
        </users>
    </assignments>
    <capacity>4</capacity>
    <declineReasons>Busy_Elsewhere</declineReasons>
    <enableAutoAccept>false</enableAutoAccept>
    <enableDecline>true</enableDecline>
    <enableDeclineReason>true</enableDeclineReason>
    <enableDisconnectSound>false</enableDisconnectSound>
    <enableRequestSound>true</enableRequestSound>
    <label>Tier 1 Agents</label>
    <presenceStatusOnDecline>Away</presenceStatusOnDecline>
    <presenceStatusOnPushTimeout>Away</presenceStatusOnPushTimeout>`,
  ),
  'queueRoutingConfigs/Cases_Routing.queueRoutingConfig-meta.xml': xml(
    'QueueRoutingConfig',
    `
    <capacityType>INHERITED</capacityType>
    <capacityWeight>1.0</capacityWeight>
    <label>Cases Routing</label>
    <pushTimeout>30</pushTimeout>
    <routingModel>MOST_AVAILABLE</routingModel>
    <routingPriority>1</routingPriority>`,
  ),
  'queues/Case_Queue.queue-meta.xml': xml(
    'Queue',
    `
    <doesSendEmailToMembers>false</doesSendEmailToMembers>
    <name>Case Queue</name>
    <queueMembers>
        <users>
            <user>agent01@omni.local</user>
        </users>
    </queueMembers>
    <queueRoutingConfig>Cases_Routing</queueRoutingConfig>
    <queueSobject>
        <sobjectType>Case</sobjectType>
    </queueSobject>`,
  ),
  'permissionsets/Omni_Agent.permissionset-meta.xml': xml(
    'PermissionSet',
    `
    <description>Omni-Channel agent access</description>
    <hasActivationRequired>false</hasActivationRequired>
    <label>Omni-Channel Agent</label>
    <servicePresenceStatusAccesses>
        <enabled>true</enabled>
        <servicePresenceStatus>Available</servicePresenceStatus>
    </servicePresenceStatusAccesses>
    <servicePresenceStatusAccesses>
        <enabled>true</enabled>
        <servicePresenceStatus>Away</servicePresenceStatus>
    </servicePresenceStatusAccesses>
    <userPermissions>
        <enabled>true</enabled>
        <name>ViewSetup</name>
    </userPermissions>`,
  ),
};

export const OMNI_SETTINGS = xml(
  'OmniChannelSettings',
  `
    <enableOmniAutoLoginPrompt>false</enableOmniAutoLoginPrompt>
    <enableOmniChannel>true</enableOmniChannel>
    <enableOmniSecondaryRoutingPriority>false</enableOmniSecondaryRoutingPriority>
    <enableOmniSkillsRouting>false</enableOmniSkillsRouting>
    <enableOmniStatusCapModel>false</enableOmniStatusCapModel>`,
);

export interface TempProject {
  root: string;
  /** The package directory (force-app). */
  packageDir: string;
  cleanup(): void;
}

/** An sfdx project in a temp folder with `files` under force-app/main/default. */
export function writeProject(files: Record<string, string>, apiVersion = '66.0'): TempProject {
  const project = makeProject({
    apiVersion,
    files: Object.fromEntries(Object.entries(files).map(([path, content]) => [`force-app/main/default/${path}`, content])),
    prefix: 'omni-mdapi-',
  });
  return { root: project.dir, packageDir: join(project.dir, 'force-app'), cleanup: project.cleanup };
}

export async function connect(org: LocalOrg, version = '66.0'): Promise<Connection> {
  const authInfo = await AuthInfo.create({ accessTokenOptions: { accessToken: org.accessToken, instanceUrl: org.instanceUrl, loginUrl: org.instanceUrl } });
  const connection = await Connection.create({ authInfo });
  connection.setApiVersion(version);
  return connection;
}

/** An mdapi-format zip: package.xml plus `<dir>/<name>.<suffix>` files, optionally under a root folder. */
export async function mdapiZip(files: Record<string, string>, types: Record<string, string[]>, options: { root?: string; version?: string } = {}): Promise<Buffer> {
  const zip = new JSZip();
  const prefix = options.root ? `${options.root}/` : '';
  const typesXml = Object.entries(types)
    .map(([name, members]) => `    <types>\n${members.map((m) => `        <members>${m}</members>\n`).join('')}        <name>${name}</name>\n    </types>\n`)
    .join('');
  zip.file(`${prefix}package.xml`, `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="${NS}">\n${typesXml}    <version>${options.version ?? '62.0'}</version>\n</Package>\n`);
  for (const [path, content] of Object.entries(files)) zip.file(`${prefix}${path}`, content);
  return zip.generateAsync({ type: 'nodebuffer' });
}

/** Deploys a zip with jsforce's SOAP client and polls until done. */
export async function deployZip(connection: Connection, zip: Buffer, options: Record<string, unknown> = {}): Promise<any> {
  const started = await connection.metadata.deploy(zip, { rollbackOnError: true, singlePackage: true, ...options } as never).check();
  return waitDeploy(connection, started.id);
}

export async function waitDeploy(connection: Connection, id: string): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const result = await connection.metadata.checkDeployStatus(id, true);
    if (result.done) return result;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`deploy ${id} did not finish`);
}

/** Everything a deploy could change: the records and the Omni switch. */
export function orgSnapshot(org: LocalOrg): string {
  return JSON.stringify({ records: org.store.toState().records, omni: org.context.omniEnabled, meta: org.store.meta.metadataApi ?? { components: {}, settings: {} } });
}

export function asArray<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
