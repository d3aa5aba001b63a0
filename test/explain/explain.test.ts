/**
 * `omni explain` against the local org over real HTTP: an agent who can get work (exit 0), the same agent
 * after the queue membership is removed (exit 1 naming the queue), a status not granted (the permission set
 * to assign is named), capacity below the routing weight (both numbers named), membership via a public
 * group, and the offline mode from the source and an assignment file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/server.ts';
import { api, dataPath, startTestOrg } from '../helpers/local-org.ts';
import { createConfig, createRecord, omni, tempDir, userId } from '../assign/helpers.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';

let org: LocalOrg;
let work: ReturnType<typeof tempDir>;
let queue: string;
let membership: string;

beforeAll(async () => {
  org = await startTestOrg({});
  work = tempDir();
  const channel = await createRecord(org, 'ServiceChannel', { DeveloperName: 'Case_Channel', MasterLabel: 'Cases', RelatedEntity: 'Case' });
  const online = await createRecord(org, 'ServicePresenceStatus', { DeveloperName: 'Cases_Online', MasterLabel: 'Online' });
  await createRecord(org, 'ServiceChannelStatus', { ServiceChannelId: channel, ServicePresenceStatusId: online });
  const statuses = await createRecord(org, 'PermissionSet', { Name: 'Case_Statuses', Label: 'Case statuses' });
  await createRecord(org, 'SetupEntityAccess', { ParentId: statuses, SetupEntityId: online });
  const tier1 = await createConfig(org, 'Tier1', { Capacity: 5 });
  const tiny = await createConfig(org, 'Tiny', { Capacity: 1 });
  const routing = await createRecord(org, 'QueueRoutingConfig', { DeveloperName: 'Case_Routing', MasterLabel: 'Case Routing', CapacityWeight: 2, RoutingModel: 'MostAvailable', RoutingPriority: 1 });
  queue = await createRecord(org, 'Group', { Name: 'Support Cases', DeveloperName: 'Support_Cases', Type: 'Queue', QueueRoutingConfigId: routing });
  await createRecord(org, 'QueueSobject', { QueueId: queue, SobjectType: 'Case' });
  const team = await createRecord(org, 'Group', { Name: 'Team', DeveloperName: 'Team', Type: 'Regular' });
  await createRecord(org, 'GroupMember', { GroupId: queue, UserOrGroupId: team });
  // agent01: everything in place. agent02: no status granted. agent03: capacity 1 < weight 2. agent04: via the group Team.
  const setup: Array<[string, string, boolean, 'direct' | 'team']> = [
    ['agent01@omni.local', tier1, true, 'direct'],
    ['agent02@omni.local', tier1, false, 'direct'],
    ['agent03@omni.local', tiny, true, 'direct'],
    ['agent04@omni.local', tier1, true, 'team'],
  ];
  for (const [username, config, granted, how] of setup) {
    const id = userId(org, username);
    await createRecord(org, 'PresenceUserConfigUser', { UserId: id, PresenceUserConfigId: config });
    if (granted) await createRecord(org, 'PermissionSetAssignment', { AssigneeId: id, PermissionSetId: statuses });
    const row = await createRecord(org, 'GroupMember', { GroupId: how === 'direct' ? queue : team, UserOrGroupId: id });
    if (username === 'agent01@omni.local') membership = row;
  }
});
afterAll(async () => {
  await org?.stop();
  work?.cleanup();
});

const explain = (args: string[]) => omni(org, work.dir, ['explain', ...args, '--json']);
const broken = (r: Awaited<ReturnType<typeof explain>>) => r.json.result.links.filter((l: any) => l.ok === false);

describe('omni explain (org)', () => {
  it('an agent who can get work: exit 0, every link ok, the chain in the details', async () => {
    const r = await explain(['agent01@omni.local', '--queue', 'Support_Cases']);
    expect(r.code, r.stdout).toBe(0);
    const result = r.json.result;
    expect(result).toMatchObject({ user: 'agent01@omni.local', canReceiveWork: true, queues: [{ name: 'Support_Cases', membership: 'directly', canReceiveWork: true }] });
    expect(result.links.map((l: any) => l.check)).toEqual(['user-active', 'service-user', 'omni-enabled', 'presence-configuration', 'online-status', 'queue-member', 'routing-configuration', 'queue-objects', 'status-channel', 'capacity']);
    expect(broken(r)).toEqual([]);
    expect(result.links.find((l: any) => l.check === 'capacity').detail).toBe('Capacity weight 2 of Case_Routing fits the capacity 5 of Tier1.');
    // Without --queue: every queue the agent is in.
    const all = await explain(['agent01@omni.local']);
    expect(all.json.result.queues.map((q: any) => q.name)).toEqual(['Support_Cases']);
  });

  it('after the membership is removed: exit 1, the first broken link names the queue', async () => {
    const del = await api(org, 'DELETE', dataPath(`/sobjects/GroupMember/${membership}`));
    expect(del.status).toBe(204);
    const r = await explain(['agent01@omni.local', '--queue', 'Support_Cases']);
    expect(r.code).toBe(1);
    expect(r.json.result.canReceiveWork).toBe(false);
    expect(r.json.result.firstBroken).toMatchObject({ check: 'queue-member', queue: 'Support_Cases', ok: false });
    expect(r.json.result.firstBroken.detail).toBe('agent01@omni.local is not a member of Support_Cases.');
    expect(r.json.result.firstBroken.fix).toContain('queues.Support_Cases.users.usernames: [agent01@omni.local]');
    // Without --queue the agent is in no queue at all.
    const any = await explain(['agent01@omni.local']);
    expect(any.code).toBe(1);
    expect(any.json.result.firstBroken.detail).toBe('agent01@omni.local is a member of no queue.');
  });

  it('a status not granted: the fix names the permission set to assign', async () => {
    const r = await explain(['agent02@omni.local', '--queue', 'Support_Cases']);
    expect(r.code).toBe(1);
    expect(r.json.result.firstBroken.check).toBe('online-status');
    expect(r.json.result.firstBroken.fix).toBe('Assign the permission set Case_Statuses (grants Cases_Online) to agent02@omni.local: sf org assign permset --name Case_Statuses --on-behalf-of agent02@omni.local.');
    const statusLink = r.json.result.links.find((l: any) => l.check === 'status-channel');
    expect(statusLink).toMatchObject({ ok: false, queue: 'Support_Cases' });
    expect(statusLink.fix).toContain('Case_Statuses');
  });

  it('capacity below the routing weight: both numbers named', async () => {
    const r = await explain(['agent03@omni.local', '--queue', 'Support_Cases']);
    expect(r.code).toBe(1);
    expect(r.json.result.firstBroken).toMatchObject({ check: 'capacity', queue: 'Support_Cases' });
    expect(r.json.result.firstBroken.detail).toBe('The capacity 1 of Tiny is below the capacity weight 2 of Case_Routing: a work item never fits.');
    expect(r.json.result.firstBroken.fix).toBe('Raise capacity of Tiny to at least 2, or lower capacityWeight of Case_Routing to at most 1.');
  });

  it('membership through a public group is said so; an unknown user or queue is a broken link, not a crash', async () => {
    const r = await explain(['agent04@omni.local']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.queues).toEqual([{ name: 'Support_Cases', membership: 'via public group Team', canReceiveWork: true }]);
    const nobody = await explain(["o'nobody@omni.local"]);
    expect(nobody.code).toBe(1);
    expect(nobody.json.result.firstBroken).toMatchObject({ check: 'user-active', detail: "No user with username o'nobody@omni.local in the org." });
    // The production username in a sandbox copy (usernames end in .<sandbox>): the org's user is named.
    const sandboxed = await explain(['agent04@omni']);
    expect(sandboxed.code).toBe(1);
    expect(sandboxed.json.result.firstBroken).toMatchObject({ check: 'user-active', detail: 'No user with username agent04@omni in the org. Did you mean agent04@omni.local?' });
    const noQueue = await explain(['agent04@omni.local', '--queue', 'Nope']);
    expect(noQueue.code).toBe(1);
    expect(noQueue.json.result.firstBroken.detail).toBe('No queue Nope in the org.');
  });

  it('skills: a routing configuration that needs a skill the agent lacks is broken; omni assign apply of the skills: section fixes it', async () => {
    const spanish = await createRecord(org, 'Skill', { DeveloperName: 'Spanish', MasterLabel: 'Spanish' });
    const routing = [...org.store.all('QueueRoutingConfig')].find((r) => r.DeveloperName === 'Case_Routing')!.Id;
    await createRecord(org, 'QueueRoutingConfigSkill', { QueueRoutingConfigId: routing, SkillId: spanish });
    const before = await explain(['agent04@omni.local', '--queue', 'Support_Cases']);
    expect(before.code).toBe(1);
    expect(before.json.result.firstBroken).toMatchObject({ check: 'skills', queue: 'Support_Cases', detail: 'Case_Routing routes by skills Spanish; the agent lacks Spanish.' });
    expect(before.json.result.firstBroken.fix).toContain('skills.Spanish.users.usernames: [agent04@omni.local]');
    writeFileSync(join(work.dir, 'skills.yaml'), 'skills:\n  Spanish:\n    level: 4\n    users: { usernames: [agent04@omni.local] }\n');
    const applied = await omni(org, work.dir, ['assign', 'apply', '--file', 'skills.yaml', '--json']);
    expect(applied.code, applied.stdout).toBe(0);
    const after = await explain(['agent04@omni.local', '--queue', 'Support_Cases']);
    expect(after.code, after.stdout).toBe(0);
    expect(after.json.result.links.find((l: any) => l.check === 'skills')).toMatchObject({ ok: true, detail: 'Has the skills Spanish.' });
    await api(org, 'DELETE', dataPath(`/sobjects/Skill/${spanish}`));
  });

  it('text output: each link, the fix under a broken one, then the verdict', async () => {
    const r = await omni(org, work.dir, ['explain', 'agent03@omni.local']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL [Support_Cases] capacity: The capacity 1 of Tiny is below the capacity weight 2 of Case_Routing');
    expect(r.stdout).toContain('     fix: Raise capacity of Tiny to at least 2');
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^agent03@omni\.local cannot receive work \(Support_Cases no\)\. First broken link: capacity \[Support_Cases\]/);
  });
});

describe('omni explain --offline', () => {
  it('answers from the source and an assignment file; org-only links are unknown (null)', async () => {
    const dir = join(work.dir, 'project');
    mkdirSync(join(dir, 'config/assignments'), { recursive: true });
    writeFileSync(join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
    const ns = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
    const put = (rel: string, xml: string) => {
      mkdirSync(join(dir, 'force-app/main/default', rel, '..'), { recursive: true });
      writeFileSync(join(dir, 'force-app/main/default', rel), `<?xml version="1.0" encoding="UTF-8"?>\n${xml}\n`);
    };
    put('serviceChannels/Cases.serviceChannel-meta.xml', `<ServiceChannel ${ns}><label>Cases</label><relatedEntityType>Case</relatedEntityType></ServiceChannel>`);
    put('servicePresenceStatuses/Online.servicePresenceStatus-meta.xml', `<ServicePresenceStatus ${ns}><channels><channel>Cases</channel></channels><label>Online</label></ServicePresenceStatus>`);
    put('presenceUserConfigs/Small.presenceUserConfig-meta.xml', `<PresenceUserConfig ${ns}><capacity>1</capacity><label>Small</label></PresenceUserConfig>`);
    put('queueRoutingConfigs/R.queueRoutingConfig-meta.xml', `<QueueRoutingConfig ${ns}><capacityWeight>3</capacityWeight><label>R</label><routingModel>MOST_AVAILABLE</routingModel><routingPriority>1</routingPriority></QueueRoutingConfig>`);
    put('queues/Q.queue-meta.xml', `<Queue ${ns}><name>Q</name><queueRoutingConfig>R</queueRoutingConfig><queueSobject><sobjectType>Case</sobjectType></queueSobject></Queue>`);
    writeFileSync(join(dir, 'config/assignments/uat.yaml'), 'presenceConfigurations:\n  Small:\n    users: { usernames: [ana@x.com] }\nqueues:\n  Q:\n    users: { usernames: [ana@x.com] }\n');
    const r = await omni(org, dir, ['explain', 'ana@x.com', '--offline', '--json']);
    expect(r.code, r.stdout).toBe(1);
    const links = Object.fromEntries(r.json.result.links.map((l: any) => [`${l.queue ?? ''}${l.check}`, l.ok]));
    expect(links).toEqual({ 'user-active': null, 'presence-configuration': true, 'online-status': null, 'Qqueue-member': true, 'Qrouting-configuration': true, 'Qqueue-objects': true, 'Qstatus-channel': null, Qcapacity: false });
    expect(r.json.result.firstBroken.detail).toBe('The capacity 1 of Small is below the capacity weight 3 of R: a work item never fits.');
    expect(r.json.result.mode).toBe('offline');
  });

  it('counts a queue\'s AllInternalUsers member (every internal user): the sample project\'s agent can receive work in both queues, exit 0', async () => {
    const p = makeProject({ copy: SAMPLE_WITH_CONFIG });
    try {
      const r = await omni(org, p.dir, ['explain', 'agent01@omni.local', '--offline', '--json']);
      expect(r.code, r.stdout).toBe(0);
      expect(r.json.result.canReceiveWork).toBe(true);
      // Both queues' XML list the public group AllInternalUsers (queueMembers/publicGroups).
      expect(r.json.result.queues).toEqual([
        { name: 'Priority_Cases', membership: 'via AllInternalUsers (all internal users)', canReceiveWork: true },
        { name: 'Support_Cases', membership: 'via AllInternalUsers (all internal users)', canReceiveWork: true },
      ]);
      const human = await omni(org, p.dir, ['explain', 'agent01@omni.local', '--offline']);
      expect(human.code).toBe(0);
      expect(human.stdout).not.toContain('cannot receive work');
    } finally {
      p.cleanup();
    }
  });

  it('a queue whose members are another group or a role, or no queue at all: unknown offline (exit 0), never a definite "cannot"', async () => {
    const p = makeProject({ copy: SAMPLE_WITH_CONFIG });
    try {
      const queues = join(p.dir, 'force-app/main/default/queues');
      const ns = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
      const queue = (name: string, members: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<Queue ${ns}><name>${name}</name>${members}<queueRoutingConfig>Case_Routing</queueRoutingConfig><queueSobject><sobjectType>Case</sobjectType></queueSobject></Queue>\n`;
      writeFileSync(join(queues, 'Priority_Cases.queue-meta.xml'), queue('Priority Cases', '<queueMembers><publicGroups><publicGroup>Tier2</publicGroup></publicGroups></queueMembers>'));
      writeFileSync(join(queues, 'Support_Cases.queue-meta.xml'), queue('Support Cases', '<queueMembers><roles><role>Support_Lead</role></roles></queueMembers>'));
      const r = await omni(org, p.dir, ['explain', 'agent01@omni.local', '--offline', '--json']);
      expect(r.code, r.stdout).toBe(0);
      const members = r.json.result.links.filter((l: any) => l.check === 'queue-member').map((l: any) => [l.queue, l.ok]);
      expect(members).toEqual([['Priority_Cases', null], ['Support_Cases', null]]);

      rmSync(queues, { recursive: true });
      const none = await omni(org, p.dir, ['explain', 'agent01@omni.local', '--offline', '--json']);
      expect(none.code, none.stdout).toBe(0);
      expect(none.json.result.canReceiveWork).toBeNull();
      const human = await omni(org, p.dir, ['explain', 'agent01@omni.local', '--offline']);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain('Unknown offline');
      expect(human.stdout).not.toContain('cannot receive work');
    } finally {
      p.cleanup();
    }
  });
});
