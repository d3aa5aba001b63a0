/**
 * The documented platform rules the local org enforces on deploy, each proven with the unmodified sf
 * CLI (`sf project deploy start`) rejected and accepted (FIDELITY.md rows in brackets). One deploy
 * carries every rejected case (all-or-none: each component fails for its own reason, nothing lands);
 * the next carries the accepted ones. That first deploy is a spawned sf process; the others run through the
 * same sf entry in the worker's sf runner (test/helpers/sf-runner.ts), which loads sf's modules once.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeSf, api, dataPath, makeSfHome, runProcess, SF_BIN, startTestOrg, type SfHome } from '../../helpers/local-org.ts';
import type { LocalOrg } from '../../../local-org/server.ts';
import { sfRun } from '../../helpers/sf-runner.ts';
import { orgSnapshot, writeProject, xml, type TempProject } from './helpers.ts';

const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

const REJECTED: Record<string, string> = {
  // [F-32] both options on
  'presenceUserConfigs/Both_On.presenceUserConfig-meta.xml': xml(
    'PresenceUserConfig',
    '    <capacity>3</capacity>\n    <enableAutoAccept>true</enableAutoAccept>\n    <enableDecline>true</enableDecline>\n    <label>Both On</label>',
  ),
  // [F-31] status-based capacity while enableOmniStatusCapModel is off
  'serviceChannels/Status_Channel.serviceChannel-meta.xml': xml(
    'ServiceChannel',
    '    <capacityModel>STATUS_BASED</capacityModel>\n    <label>Status Channel</label>\n    <relatedEntityType>Case</relatedEntityType>\n    <serviceChannelStatusFieldMappings>\n        <type>COMPLETED</type>\n        <value>Closed</value>\n    </serviceChannelStatusFieldMappings>\n    <statusField>Status</statusField>',
  ),
  // [F-34] skills while enableOmniSkillsRouting is off
  'queueRoutingConfigs/Skilled.queueRoutingConfig-meta.xml': xml(
    'QueueRoutingConfig',
    '    <capacityWeight>1.0</capacityWeight>\n    <label>Skilled</label>\n    <routingModel>MOST_AVAILABLE</routingModel>\n    <routingPriority>1</routingPriority>\n    <skills>\n        <skill>Spanish</skill>\n    </skills>',
  ),
  // [F-35] overflow to a queue that has its own routing configuration (both in this deployment)
  'queueRoutingConfigs/Routed.queueRoutingConfig-meta.xml': xml(
    'QueueRoutingConfig',
    '    <capacityWeight>1.0</capacityWeight>\n    <label>Routed</label>\n    <routingModel>MOST_AVAILABLE</routingModel>\n    <routingPriority>2</routingPriority>',
  ),
  'queues/Routed_Queue.queue-meta.xml': xml('Queue', '    <name>Routed Queue</name>\n    <queueRoutingConfig>Routed</queueRoutingConfig>'),
  'queueRoutingConfigs/Overflows_To_Routed.queueRoutingConfig-meta.xml': xml(
    'QueueRoutingConfig',
    '    <capacityWeight>1.0</capacityWeight>\n    <label>Overflows To Routed</label>\n    <queueOverflowAssignee>Routed_Queue</queueOverflowAssignee>\n    <routingModel>MOST_AVAILABLE</routingModel>\n    <routingPriority>3</routingPriority>',
  ),
  // [F-15] a nil value in a field priority (required element)
  'serviceChannels/Nil_Priority.serviceChannel-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<ServiceChannel xmlns="http://soap.sforce.com/2006/04/metadata" ${XSI}>\n    <label>Nil Priority</label>\n    <relatedEntityType>Lead</relatedEntityType>\n    <secondaryRoutingPriorityField>Rating</secondaryRoutingPriorityField>\n    <serviceChannelFieldPriorities>\n        <priority>1</priority>\n        <value xsi:nil="true"/>\n    </serviceChannelFieldPriorities>\n</ServiceChannel>\n`,
};

const ACCEPTED: Record<string, string> = {
  'settings/OmniChannel.settings-meta.xml': xml(
    'OmniChannelSettings',
    '    <enableOmniChannel>true</enableOmniChannel>\n    <enableOmniSkillsRouting>true</enableOmniSkillsRouting>\n    <enableOmniStatusCapModel>true</enableOmniStatusCapModel>',
  ),
  // [F-31] [F-34] the same status-based channel and skilled routing once the settings are on
  'serviceChannels/Status_Channel.serviceChannel-meta.xml': REJECTED['serviceChannels/Status_Channel.serviceChannel-meta.xml'],
  'queueRoutingConfigs/Skilled.queueRoutingConfig-meta.xml': REJECTED['queueRoutingConfigs/Skilled.queueRoutingConfig-meta.xml'],
  // [F-33] [F-35] a queue without a routing configuration and the configuration that overflows to it, in one deployment
  'queues/Overflow_Queue.queue-meta.xml': xml('Queue', '    <name>Overflow Queue</name>\n    <queueMembers>\n        <users>\n            <user>agent03@omni.local</user>\n        </users>\n    </queueMembers>'),
  'queueRoutingConfigs/Overflows.queueRoutingConfig-meta.xml': xml(
    'QueueRoutingConfig',
    '    <capacityWeight>1.0</capacityWeight>\n    <label>Overflows</label>\n    <queueOverflowAssignee>Overflow_Queue</queueOverflowAssignee>\n    <routingModel>MOST_AVAILABLE</routingModel>\n    <routingPriority>3</routingPriority>',
  ),
  // [F-21] a status on the Chat channel; [F-12] a status access without <enabled>
  'servicePresenceStatuses/Chat_Online.servicePresenceStatus-meta.xml': xml('ServicePresenceStatus', '    <channels>\n        <channel>sfdc_liveagent</channel>\n    </channels>\n    <label>Chat Online</label>'),
  'permissionsets/No_Enabled.permissionset-meta.xml': xml(
    'PermissionSet',
    '    <label>No Enabled</label>\n    <servicePresenceStatusAccesses>\n        <servicePresenceStatus>Chat_Online</servicePresenceStatus>\n    </servicePresenceStatusAccesses>',
  ),
  // [F-32] auto-accept alone; [F-30] a configuration without <assignments>
  'presenceUserConfigs/Auto.presenceUserConfig-meta.xml': xml(
    'PresenceUserConfig',
    '    <capacity>3</capacity>\n    <enableAutoAccept>true</enableAutoAccept>\n    <enableDecline>false</enableDecline>\n    <label>Auto</label>',
  ),
};

type SfFile = { state: string; type: string; fullName: string; error?: string };

describe('documented rules on deploy, with the sf CLI', () => {
  let org: LocalOrg;
  let home: SfHome;
  const projects: TempProject[] = [];
  const sf = (project: TempProject, args: string[], alias = 'local') => sfRun(home.env, [...args, '--target-org', alias, '--json'], { cwd: project.root, timeoutMs: 110_000 });
  const sfSpawned = (project: TempProject, args: string[]) => runProcess(SF_BIN, [...args, '--target-org', 'local', '--json'], { env: home.env, cwd: project.root, timeoutMs: 110_000 });
  const failures = (json: any): Record<string, string> =>
    Object.fromEntries(((json.data?.files ?? json.result?.files ?? []) as SfFile[]).filter((f) => f.state === 'Failed').map((f) => [`${f.type}:${f.fullName}`, f.error ?? '']));

  beforeAll(async () => {
    org = await startTestOrg();
    home = makeSfHome();
    await authorizeSf(home, org, 'local');
  }, 60_000);

  afterAll(async () => {
    for (const p of projects) p.cleanup();
    await home?.cleanup();
    await org?.stop();
  });

  it('rejects each case with a component error at its line; nothing is written', async () => {
    const project = writeProject(REJECTED);
    projects.push(project);
    const before = orgSnapshot(org);
    const result = await sfSpawned(project, ['project', 'deploy', 'start', '--source-dir', 'force-app', '--wait', '3']);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const failed = failures(result.json);
    expect(failed['PresenceUserConfig:Both_On']).toBe('enableDecline: Agents can decline work only when auto-accept is off. Set enableAutoAccept or enableDecline to false. (5:5)');
    expect(failed['ServiceChannel:Status_Channel']).toBe(
      "capacityModel STATUS_BASED: Status-based capacity isn't enabled in this org. Turn on enableOmniStatusCapModel in OmniChannelSettings first. (3:5)",
    );
    expect(failed['QueueRoutingConfig:Skilled']).toBe("skills: Skills-based routing isn't enabled in this org. Turn on enableOmniSkillsRouting in OmniChannelSettings first. (7:5)");
    expect(failed['QueueRoutingConfig:Overflows_To_Routed']).toBe(
      'In field: queueOverflowAssignee - the queue Routed_Queue has the routing configuration Routed; an overflow queue must be a queue without a routing configuration (5:5)',
    );
    expect(failed['ServiceChannel:Nil_Priority']).toBe('Required field is missing: value (6:5)');
    expect(Object.keys(failed).sort()).toEqual(['PresenceUserConfig:Both_On', 'QueueRoutingConfig:Overflows_To_Routed', 'QueueRoutingConfig:Skilled', 'ServiceChannel:Nil_Priority', 'ServiceChannel:Status_Channel']);
    expect(orgSnapshot(org)).toBe(before);
  }, 120_000);

  it('accepts what the documents accept: settings on, references within one deployment, status access without <enabled>, the Chat channel', async () => {
    const skill = await api(org, 'POST', dataPath('/sobjects/Skill'), { DeveloperName: 'Spanish', MasterLabel: 'Spanish' });
    expect(skill.status).toBe(201);
    const project = writeProject(ACCEPTED);
    projects.push(project);
    const result = await sf(project, ['project', 'deploy', 'start', '--source-dir', 'force-app', '--wait', '3']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.json.result.status).toBe('Succeeded');
    const queue = org.store.lookup('Group', 'DeveloperName', 'Overflow_Queue')![0];
    expect(org.store.lookup('QueueRoutingConfig', 'DeveloperName', 'Overflows')![0].OverflowAssigneeId).toBe(queue.Id);
    expect(org.store.lookup('ServiceChannel', 'DeveloperName', 'Status_Channel')![0].CapacityModel).toBe('StatusBased');
    // [F-12] deployed, grants nothing
    const set = org.store.lookup('PermissionSet', 'Name', 'No_Enabled')![0];
    expect(org.store.lookup('SetupEntityAccess', 'ParentId', set.Id)).toEqual([]);
    // [F-37] the queue's user members are GroupMember rows
    const members = await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent("SELECT UserOrGroupId FROM GroupMember WHERE Group.DeveloperName = 'Overflow_Queue'")}`));
    expect(members.status).toBe(200);
    expect(members.body.records.map((r: any) => org.store.get(r.UserOrGroupId)!.Username)).toEqual(['agent03@omni.local']);
  }, 120_000);

  it('[F-30] retrieve renders the org now: users and profiles assigned, queue members added and a status granted over the Data API', async () => {
    const project = projects[1];
    const config = org.store.lookup('PresenceUserConfig', 'DeveloperName', 'Auto')![0];
    const agent05 = org.store.lookup('User', 'Username', 'agent05@omni.local')![0];
    const standard = org.store.lookup('Profile', 'Name', 'Standard User')![0];
    expect((await api(org, 'POST', dataPath('/sobjects/PresenceUserConfigUser'), { PresenceUserConfigId: config.Id, UserId: agent05.Id })).status).toBe(201);
    expect((await api(org, 'POST', dataPath('/sobjects/PresenceUserConfigProfile'), { PresenceUserConfigId: config.Id, ProfileId: standard.Id })).status).toBe(201);
    const queue = org.store.lookup('Group', 'DeveloperName', 'Overflow_Queue')![0];
    const agent04 = org.store.lookup('User', 'Username', 'agent04@omni.local')![0];
    expect((await api(org, 'POST', dataPath('/sobjects/GroupMember'), { GroupId: queue.Id, UserOrGroupId: agent04.Id })).status).toBe(201);
    // A status granted over the Data API to the permission set deployed without <enabled>.
    const set = org.store.lookup('PermissionSet', 'Name', 'No_Enabled')![0];
    const status = org.store.lookup('ServicePresenceStatus', 'DeveloperName', 'Chat_Online')![0];
    expect((await api(org, 'POST', dataPath('/sobjects/SetupEntityAccess'), { ParentId: set.Id, SetupEntityId: status.Id })).status).toBe(201);
    const dir = join(project.packageDir, 'main/default');
    rmSync(join(dir, 'presenceUserConfigs'), { recursive: true });
    rmSync(join(dir, 'queues'), { recursive: true });
    rmSync(join(dir, 'permissionsets'), { recursive: true });
    const result = await sf(project, ['project', 'retrieve', 'start', '-m', 'PresenceUserConfig:Auto', '-m', 'Queue:Overflow_Queue', '-m', 'PermissionSet:No_Enabled']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'presenceUserConfigs/Auto.presenceUserConfig-meta.xml'), 'utf8')).toBe(
      xml(
        'PresenceUserConfig',
        '    <assignments>\n        <profiles>\n            <profile>Standard</profile>\n        </profiles>\n        <users>\n            <user>agent05@omni.local</user>\n        </users>\n    </assignments>\n    <capacity>3</capacity>\n    <enableAutoAccept>true</enableAutoAccept>\n    <enableDecline>false</enableDecline>\n    <label>Auto</label>',
      ),
    );
    expect(readFileSync(join(dir, 'queues/Overflow_Queue.queue-meta.xml'), 'utf8')).toBe(
      xml('Queue', '    <name>Overflow Queue</name>\n    <queueMembers>\n        <users>\n            <user>agent03@omni.local</user>\n            <user>agent04@omni.local</user>\n        </users>\n    </queueMembers>'),
    );
    expect(readFileSync(join(dir, 'permissionsets/No_Enabled.permissionset-meta.xml'), 'utf8')).toBe(
      xml('PermissionSet', '    <label>No Enabled</label>\n    <servicePresenceStatusAccesses>\n        <enabled>true</enabled>\n        <servicePresenceStatus>Chat_Online</servicePresenceStatus>\n    </servicePresenceStatusAccesses>'),
    );
  }, 120_000);

  it('[F-03] a project whose API version is newer than the org serves is refused against package.xml', async () => {
    const project = writeProject({ 'presenceDeclineReasons/Later.presenceDeclineReason-meta.xml': xml('PresenceDeclineReason', '    <label>Later</label>') }, '68.0');
    projects.push(project);
    const before = orgSnapshot(org);
    const result = await sf(project, ['project', 'deploy', 'start', '--source-dir', 'force-app', '--wait', '3']);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('Invalid version specified:68.0');
    expect(orgSnapshot(org)).toBe(before);
    // The same project at the org's maximum deploys.
    const at67 = writeProject({ 'presenceDeclineReasons/Later.presenceDeclineReason-meta.xml': xml('PresenceDeclineReason', '    <label>Later</label>') }, '67.0');
    projects.push(at67);
    const ok = await sf(at67, ['project', 'deploy', 'start', '--source-dir', 'force-app', '--wait', '3']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
  }, 120_000);

  it('[F-21] an org without Chat has no sfdc_liveagent: a status on it fails as an unresolved channel', async () => {
    const noChat = await startTestOrg({ features: ['Voice', 'Messaging'] });
    try {
      await authorizeSf(home, noChat, 'nochat');
      const project = writeProject({ 'servicePresenceStatuses/Chat_Online.servicePresenceStatus-meta.xml': ACCEPTED['servicePresenceStatuses/Chat_Online.servicePresenceStatus-meta.xml'] });
      projects.push(project);
      const result = await sf(project, ['project', 'deploy', 'start', '--source-dir', 'force-app', '--wait', '3'], 'nochat');
      expect(result.code, result.stdout + result.stderr).toBe(1);
      expect(failures(result.json)['ServicePresenceStatus:Chat_Online']).toBe('In field: channel - no ServiceChannel named sfdc_liveagent found (4:9)');
    } finally {
      await noChat.stop();
    }
  }, 120_000);
});
