/**
 * The routing graph's problems are `omni validate` findings (same analysis), located at the component:
 * unused routing configuration, overflow loop, statuses without channels or out of reach; the membership
 * findings (queue without members, configuration no one holds) only when the project has assignment files.
 */
import { describe, expect, test } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { validateProject } from '../../scripts/validate/index.ts';
import { filesProject, puc, qrc, queue, sc, sps, xml } from '../validate/helpers.ts';

const routing = (extra: string[] = []) => xml('QueueRoutingConfig', ['<capacityWeight>1</capacityWeight>', '<label>R</label>', ...extra, '<routingModel>MOST_AVAILABLE</routingModel>', '<routingPriority>1</routingPriority>']);
const files = {
  [sc('Cases')]: xml('ServiceChannel', ['<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>']),
  [sc('Chat')]: xml('ServiceChannel', ['<label>Chat</label>', '<relatedEntityType>MessagingSession</relatedEntityType>']),
  [sps('Online')]: xml('ServicePresenceStatus', ['<channels>', '    <channel>Cases</channel>', '</channels>', '<label>Online</label>']),
  [sps('Chat_Only')]: xml('ServicePresenceStatus', ['<channels>', '    <channel>Chat</channel>', '</channels>', '<label>Chat only</label>']),
  [sps('Tier_2')]: xml('ServicePresenceStatus', ['<label>Tier 2</label>']),
  [puc('Agents')]: xml('PresenceUserConfig', ['<capacity>5</capacity>', '<label>Agents</label>']),
  [qrc('Used')]: routing(),
  [qrc('Unused')]: routing(),
  [qrc('Loop_A')]: routing(['<queueOverflowAssignee>Queue_B</queueOverflowAssignee>']),
  [qrc('Loop_B')]: routing(['<queueOverflowAssignee>Queue_A</queueOverflowAssignee>']),
  [queue('Support')]: xml('Queue', ['<name>Support</name>', '<queueRoutingConfig>Used</queueRoutingConfig>', '<queueSobject>', '    <sobjectType>Case</sobjectType>', '</queueSobject>']),
  [queue('Queue_A')]: xml('Queue', ['<name>A</name>', '<queueMembers><publicGroups><publicGroup>G</publicGroup></publicGroups></queueMembers>', '<queueRoutingConfig>Loop_A</queueRoutingConfig>']),
  [queue('Queue_B')]: xml('Queue', ['<name>B</name>', '<queueMembers><publicGroups><publicGroup>G</publicGroup></publicGroups></queueMembers>', '<queueRoutingConfig>Loop_B</queueRoutingConfig>']),
};
const findings = (diagnostics: Awaited<ReturnType<typeof validateProject>>['diagnostics']) =>
  diagnostics.filter((d) => ['QRC-UNUSED', 'QRC-OVERFLOW-LOOP', 'QUEUE-NO-MEMBERS', 'PUC-NOT-HELD', 'SPS-NO-CHANNELS', 'SPS-UNREACHED'].includes(d.ruleId)).map((d) => `${d.ruleId} ${d.severity} ${d.file}:${d.line}`);

describe('routing findings in omni validate', () => {
  test('the routing graph problems are validator findings at their component', async () => {
    const root = filesProject(files);
    const { diagnostics } = await validateProject({ projectRoot: root, specFile: null });
    expect(findings(diagnostics).sort()).toEqual(
      [
        `QRC-UNUSED info ${qrc('Unused')}:2`,
        `QRC-OVERFLOW-LOOP warning ${qrc('Loop_A')}:5`,
        `SPS-NO-CHANNELS info ${sps('Tier_2')}:2`,
        `SPS-UNREACHED info ${sps('Chat_Only')}:3`,
      ].sort(),
    );
    expect(diagnostics.find((d) => d.ruleId === 'QRC-UNUSED')?.hint).toContain('<queueRoutingConfig>Unused</queueRoutingConfig>');
  });

  test('membership findings come from the assignment files', async () => {
    const root = filesProject(files);
    mkdirSync(path.join(root, 'config/assignments'), { recursive: true });
    writeFileSync(path.join(root, 'config/assignments/uat.yaml'), 'presenceConfigurations:\n  Other: { users: { usernames: [a@x.com] } }\n');
    const before = findings((await validateProject({ projectRoot: root, specFile: null })).diagnostics);
    expect(before).toContain(`QUEUE-NO-MEMBERS info ${queue('Support')}:2`);
    expect(before).toContain(`PUC-NOT-HELD info ${puc('Agents')}:2`);
    writeFileSync(path.join(root, 'config/assignments/uat.yaml'), 'presenceConfigurations:\n  Agents: { users: { usernames: [a@x.com] } }\nqueues:\n  Support: { users: { usernames: [a@x.com] } }\n');
    const after = findings((await validateProject({ projectRoot: root, specFile: null })).diagnostics);
    expect(after.filter((f) => f.startsWith('QUEUE-NO-MEMBERS') || f.startsWith('PUC-NOT-HELD'))).toEqual([]);
  });
});

describe('one problem, one location', () => {
  test('each routing graph problem (omni graph) is located where omni validate reports it, membership findings included', async () => {
    const { analyzeRouting } = await import('../../scripts/graph/analyze.ts');
    const { sourceFacts } = await import('../../scripts/graph/build.ts');
    const root = filesProject(files);
    mkdirSync(path.join(root, 'config/assignments'), { recursive: true });
    writeFileSync(path.join(root, 'config/assignments/uat.yaml'), 'presenceConfigurations:\n  Other: { users: { usernames: [a@x.com] } }\n');
    const { diagnostics, documents } = await validateProject({ projectRoot: root, specFile: null });
    const { graph } = analyzeRouting(documents, sourceFacts([path.join(root, 'config/assignments/uat.yaml')], root).facts);
    const codes = new Set(graph.problems.map((p) => p.code));
    for (const code of ['OVERFLOW_LOOP', 'UNUSED_ROUTING_CONFIG', 'STATUS_WITHOUT_CHANNELS', 'STATUS_UNREACHED', 'QUEUE_WITHOUT_MEMBERS', 'CONFIG_NOT_HELD']) expect(codes).toContain(code);
    for (const p of graph.problems) {
      const finding = diagnostics.find((d) => d.message === p.message);
      expect(finding, p.message).toBeDefined();
      expect(p.location, p.message).toEqual({ file: finding!.file, line: finding!.line, column: finding!.column });
    }
    // The overflow loop is where it is made: the routing configuration's <queueOverflowAssignee> (line 5), not the queue.
    expect(graph.problems.find((p) => p.code === 'OVERFLOW_LOOP')?.location).toEqual({ file: qrc('Loop_A'), line: 5, column: 5 });
  });
});
