/**
 * The routing analysis: nodes and edges of the chain, and each problem the graph, the validator and doctor
 * report (unused routing configuration, status without channels, status out of reach, configuration no one
 * holds, queue without members, overflow loop), from the source and from org counts.
 */
import { describe, expect, it } from 'vitest';
import { analyzeRouting, type MembershipFacts } from '../../scripts/graph/analyze.ts';
import { channel, config, queue, routing, status } from './helpers.ts';

const codes = (r: ReturnType<typeof analyzeRouting>) => r.graph.problems.map((p) => `${p.code} ${p.nodes.join(',')}`);
const facts = (kind: 'source' | 'org', configs: Record<string, number>, queues: Record<string, number>): MembershipFacts => ({
  kind,
  configHolders: new Map(Object.entries(configs).map(([k, v]) => [k.toLowerCase(), v])),
  queueMembers: new Map(Object.entries(queues).map(([k, v]) => [k.toLowerCase(), v])),
});

describe('routing graph', () => {
  const healthy = [
    channel('Cases', 'Case'),
    status('Online', ['Cases']),
    status('Away'),
    config('Agents', 5, ['<declineReasons>Wrong</declineReasons>', '<enableDecline>true</enableDecline>', '<presenceStatusOnDecline>Away</presenceStatusOnDecline>']),
    routing('Case_Routing'),
    queue('Support', { routing: 'Case_Routing', objects: ['Case'], members: '<publicGroups><publicGroup>AllInternalUsers</publicGroup></publicGroups>' }),
  ];

  it('has every component and the edges of the chain; a healthy setup has no problems', () => {
    const { graph } = analyzeRouting(healthy, facts('source', { Agents: 1 }, {}));
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(
      ['channel:Cases', 'status:Online', 'status:Away', 'presenceConfig:Agents', 'declineReason:Wrong', 'routingConfig:Case_Routing', 'queue:Support', 'object:Case'].sort(),
    );
    expect(graph.edges.map((e) => `${e.from} ${e.kind} ${e.to}`).sort()).toEqual(
      [
        'status:Online status-channel channel:Cases',
        'presenceConfig:Agents config-statusOnDecline status:Away',
        'presenceConfig:Agents config-declineReason declineReason:Wrong',
        'queue:Support queue-routingConfig routingConfig:Case_Routing',
        'queue:Support queue-object object:Case',
        'object:Case object-channel channel:Cases',
      ].sort(),
    );
    expect(graph.problems).toEqual([]);
    // The decline reason is referenced but not in the project: a node marked so.
    expect(graph.nodes.find((n) => n.id === 'declineReason:Wrong')?.details).toEqual(['not in the project']);
  });

  it('routing configurations no queue uses are info, located at the file; none when the project has no queues', () => {
    const docs = [...healthy, routing('Voice_Routing', ['<capacityPercentage>100</capacityPercentage>'])];
    const r = analyzeRouting(docs, facts('source', { Agents: 1 }, {}));
    expect(codes(r)).toEqual(['UNUSED_ROUTING_CONFIG routingConfig:Voice_Routing']);
    expect(r.graph.problems[0]).toMatchObject({ severity: 'info', location: { file: 'force-app/main/default/queueRoutingConfigs/Voice_Routing.queueRoutingConfig-meta.xml', line: 2 } });
    expect(r.graph.nodes.find((n) => n.id === 'routingConfig:Voice_Routing')?.problems).toEqual([0]);
    expect(codes(analyzeRouting([routing('Lonely')]))).toEqual([]);
  });

  it('a status without channels is flagged unless it is meant as Away/Busy (by role or by name)', () => {
    const docs = [...healthy, status('Lunch_Break'), status('Tier_2'), status('Busy')];
    expect(codes(analyzeRouting(docs, facts('source', { Agents: 1 }, {})))).toEqual(['STATUS_WITHOUT_CHANNELS status:Tier_2']);
  });

  it('an online status whose channels no routed queue feeds is out of every routing configuration’s reach', () => {
    const docs = [...healthy, channel('Chat', 'MessagingSession'), status('Online_Chat', ['Chat'])];
    const r = analyzeRouting(docs, facts('source', { Agents: 1 }, {}));
    expect(codes(r)).toEqual(['STATUS_UNREACHED status:Online_Chat']);
    expect(r.graph.problems[0].message).toContain('Chat');
    // Routed by a queue holding MessagingSession: reached.
    const routed = [...docs, queue('Chat_Queue', { routing: 'Case_Routing', objects: ['MessagingSession'], members: '<users><user>a@x.com</user></users>' })];
    expect(codes(analyzeRouting(routed, facts('source', { Agents: 1 }, {})))).toEqual([]);
  });

  it('a configuration no one holds (info): offline from profiles and assignment files, from the org counts with -o', () => {
    expect(codes(analyzeRouting(healthy))).toEqual(['CONFIG_NOT_HELD presenceConfig:Agents']);
    const withProfile = [...healthy.filter((d) => d.fullName !== 'Agents'), config('Agents', 5, ['<assignments><profiles><profile>Support</profile></profiles></assignments>'])];
    expect(codes(analyzeRouting(withProfile))).toEqual([]);
    const org = analyzeRouting(withProfile, facts('org', { Agents: 0 }, { Support: 3 }));
    expect(codes(org)).toEqual(['CONFIG_NOT_HELD presenceConfig:Agents']);
    expect(org.graph.problems[0].severity).toBe('info');
    expect(org.graph.nodes.find((n) => n.id === 'presenceConfig:Agents')?.agents).toBe(0);
    expect(org.graph.nodes.find((n) => n.id === 'queue:Support')?.agents).toBe(3);
    expect(org.graph.membership).toBe('org');
  });

  it('a queue without members: from the source (no group/role/user, no assignment file) and from the org', () => {
    const docs = [...healthy.filter((d) => d.fullName !== 'Support'), queue('Support', { routing: 'Case_Routing', objects: ['Case'] })];
    const offline = analyzeRouting(docs, facts('source', { Agents: 1 }, {}));
    expect(codes(offline)).toEqual(['QUEUE_WITHOUT_MEMBERS queue:Support']);
    expect(offline.graph.problems[0].hint).toContain('queues.Support.users');
    expect(codes(analyzeRouting(docs, facts('source', { Agents: 1 }, { support: 1 })))).toEqual([]);
    // The org is the truth: members in the source but none in the org is still a problem.
    expect(codes(analyzeRouting(healthy, facts('org', { Agents: 4 }, { Support: 0 })))).toEqual(['QUEUE_WITHOUT_MEMBERS queue:Support']);
  });

  it('a queue the org does not have yet: the deploy creates it with its XML members, so the source tells', () => {
    // Support lists AllInternalUsers and is not in the org: not a problem before its first deploy.
    expect(codes(analyzeRouting(healthy, facts('org', { Agents: 4 }, {})))).toEqual([]);
    const bare = [...healthy.filter((d) => d.fullName !== 'Support'), queue('Support', { routing: 'Case_Routing', objects: ['Case'] })];
    const r = analyzeRouting(bare, facts('org', { Agents: 4 }, {}));
    expect(codes(r)).toEqual(['QUEUE_WITHOUT_MEMBERS queue:Support']);
    expect(r.graph.problems[0]).toMatchObject({ severity: 'warning', message: expect.stringContaining('no members in the source') });
  });

  it('overflow loops are found once, with every queue of the loop marked', () => {
    const members = '<users><user>a@x.com</user></users>';
    const docs = [
      ...healthy,
      routing('R_A', ['<capacityWeight>1</capacityWeight>', '<queueOverflowAssignee>Q_B</queueOverflowAssignee>']),
      routing('R_B', ['<capacityWeight>1</capacityWeight>', '<queueOverflowAssignee>Q_C</queueOverflowAssignee>']),
      routing('R_C', ['<capacityWeight>1</capacityWeight>', '<queueOverflowAssignee>Q_A</queueOverflowAssignee>']),
      routing('R_Self', ['<capacityWeight>1</capacityWeight>', '<queueOverflowAssignee>Q_Self</queueOverflowAssignee>']),
      routing('R_End', ['<capacityWeight>1</capacityWeight>', '<queueOverflowAssignee>Support</queueOverflowAssignee>']),
      queue('Q_A', { routing: 'R_A', objects: ['Case'], members }),
      queue('Q_B', { routing: 'R_B', objects: ['Case'], members }),
      queue('Q_C', { routing: 'R_C', objects: ['Case'], members }),
      queue('Q_Self', { routing: 'R_Self', objects: ['Case'], members }),
      queue('Q_Out', { routing: 'R_End', objects: ['Case'], members }),
    ];
    const r = analyzeRouting(docs, facts('source', { Agents: 1 }, {}));
    const loops = r.graph.problems.filter((p) => p.code === 'OVERFLOW_LOOP');
    expect(loops.map((p) => p.message.split(';')[0]).sort()).toEqual(['Overflow loop: Q_A → Q_B → Q_C → Q_A', 'Overflow loop: Q_Self → Q_Self']);
    for (const q of ['Q_A', 'Q_B', 'Q_C']) expect(r.graph.nodes.find((n) => n.id === `queue:${q}`)!.problems.length).toBe(1);
    expect(r.graph.nodes.find((n) => n.id === 'queue:Q_Out')!.problems).toEqual([]);
    expect(r.graph.edges.filter((e) => e.kind === 'routingConfig-overflowQueue')).toHaveLength(5);
  });

  it('built-in channels referenced by statuses or reached through objects become nodes marked built-in', () => {
    const r = analyzeRouting([status('Phone', ['sfdc_phone']), queue('Calls', { routing: 'X', objects: ['VoiceCall'] })]);
    const phone = r.graph.nodes.find((n) => n.id === 'channel:sfdc_phone');
    expect(phone).toMatchObject({ builtIn: true, details: ['VoiceCall', 'built-in'] });
    expect(r.graph.edges.some((e) => e.from === 'object:VoiceCall' && e.to === 'channel:sfdc_phone')).toBe(true);
  });

  it('the same component twice (spec and XML) is one node', () => {
    const r = analyzeRouting([...healthy, ...healthy], facts('source', { Agents: 1 }, {}));
    expect(r.graph.nodes).toHaveLength(8);
    expect(r.graph.problems).toEqual([]);
  });
});
