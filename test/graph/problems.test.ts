/**
 * `routingProblems` (the validator's routing findings, without the graph) against `analyzeRouting` (the graph
 * `omni graph` and doctor draw): the same problems, in the same order, each anchored at the same document and
 * node — over the real corpus and over generated projects whose configurations name statuses in other cases,
 * statuses outside the project and configurations no one holds, with and without membership facts.
 */
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { analyzeRouting, routingProblems, type MembershipFacts } from '../../scripts/graph/analyze.ts';
import type { MetadataDocument } from '../../scripts/metadata/document.ts';
import { corpusDocumentsByRepo } from '../metadata/helpers.ts';
import { channel, config, queue, routing, status } from './helpers.ts';

function expectSameProblems(documents: MetadataDocument[], facts?: MembershipFacts): number {
  const whole = analyzeRouting(documents, facts);
  const only = routingProblems(documents, facts);
  expect(only.problems).toEqual(whole.graph.problems);
  const anchorsOf = (problems: typeof only.problems, anchors: typeof only.anchors) => problems.map((p) => anchors.get(p));
  const wholeAnchors = anchorsOf(whole.graph.problems, whole.anchors);
  const onlyAnchors = anchorsOf(only.problems, only.anchors);
  for (let i = 0; i < wholeAnchors.length; i++) {
    expect(onlyAnchors[i]?.doc).toBe(wholeAnchors[i]?.doc);
    expect(onlyAnchors[i]?.node).toBe(wholeAnchors[i]?.node);
  }
  // Without membership problems (the validator without assignment files): the others, in the same order and places.
  const others = routingProblems(documents, facts, { membership: false });
  const kept = whole.graph.problems.filter((p) => p.code !== 'CONFIG_NOT_HELD' && p.code !== 'QUEUE_WITHOUT_MEMBERS');
  expect(others.problems).toEqual(kept);
  expect(others.problems.map((p) => others.anchors.get(p)?.node)).toEqual(kept.map((p) => whole.anchors.get(p)?.node));
  expect(others.problems.map((p) => others.anchors.get(p)?.doc)).toEqual(kept.map((p) => whole.anchors.get(p)?.doc));
  return whole.graph.problems.length;
}

const facts = (kind: 'source' | 'org', configs: [string, number][], queues: [string, number][]): MembershipFacts => ({
  kind,
  configHolders: new Map(configs.map(([k, v]) => [k.toLowerCase(), v])),
  queueMembers: new Map(queues.map(([k, v]) => [k.toLowerCase(), v])),
});

describe('routingProblems: the problems of the routing graph without the graph', () => {
  test('the corpus as one project, without facts, with source facts and with org counts', () => {
    const documents = [...corpusDocumentsByRepo().values()].flat();
    expect(documents.length).toBeGreaterThan(100);
    const found = expectSameProblems(documents);
    expect(found).toBeGreaterThan(0); // the comparison is not vacuous
    expectSameProblems(documents, facts('source', [], []));
    expectSameProblems(documents, facts('org', [['default_presence_config', 0]], [['Meridian_Support_Fallback', 2]]));
  });

  // Names drawn from a few stems in any case: configurations name statuses (in the project or not) in other
  // cases than the status's own, unknown statuses twice in two spellings, and sort among themselves.
  const stem = fc.constantFrom('Away', 'Online', 'Tier_2', 'Busy_Lunch', 'Zeta', 'alpha', 'Ébène');
  const cased = stem.chain((s) => fc.constantFrom(s, s.toLowerCase(), s.toUpperCase()));
  const project = fc.record({
    statuses: fc.uniqueArray(fc.record({ name: cased, channels: fc.subarray(['Cases', 'Chat', 'sfdc_phone']) }), { selector: (s) => s.name.toLowerCase(), maxLength: 4 }),
    configs: fc.uniqueArray(
      fc.record({ name: fc.tuple(cased, fc.nat(20)).map(([s, n]) => `${s}_${n}`), decline: fc.option(cased), timeout: fc.option(cased), profile: fc.boolean(), users: fc.boolean() }),
      { selector: (c) => c.name, maxLength: 12 },
    ),
    queues: fc.uniqueArray(fc.record({ name: fc.constantFrom('Support', 'Sales', 'Calls'), routing: fc.option(fc.constantFrom('R_A', 'R_B')), objects: fc.subarray(['Case', 'MessagingSession', 'VoiceCall']), members: fc.boolean() }), { selector: (q) => q.name }),
    overflow: fc.option(fc.constantFrom('Support', 'Sales', 'Calls')),
    twice: fc.boolean(),
    facts: fc.constantFrom('none', 'source', 'org'),
    held: fc.array(fc.tuple(cased.map((s) => `${s}_1`), fc.nat(2)), { maxLength: 3 }),
  });

  test('generated projects: the same problems, order and anchors as the graph', () => {
    let withProblems = 0;
    fc.assert(
      fc.property(project, (p) => {
        const docs: MetadataDocument[] = [channel('Cases', 'Case'), channel('Chat', 'MessagingSession')];
        for (const s of p.statuses) docs.push(status(s.name, s.channels));
        for (const c of p.configs) {
          const extra: string[] = [];
          const who = [c.profile ? '<profiles><profile>Support</profile></profiles>' : '', c.users ? '<users><user>a@x.com</user></users>' : ''].join('');
          if (who) extra.push(`<assignments>${who}</assignments>`);
          if (c.decline) extra.push(`<presenceStatusOnDecline>${c.decline}</presenceStatusOnDecline>`);
          if (c.timeout) extra.push(`<presenceStatusOnPushTimeout>${c.timeout}</presenceStatusOnPushTimeout>`);
          docs.push(config(c.name, 3, extra));
        }
        docs.push(routing('R_A'), routing('R_B', ['<capacityWeight>1</capacityWeight>', ...(p.overflow ? [`<queueOverflowAssignee>${p.overflow}</queueOverflowAssignee>`] : [])]));
        for (const q of p.queues) {
          docs.push(queue(q.name, { ...(q.routing ? { routing: q.routing } : {}), objects: q.objects, ...(q.members ? { members: '<users><user>a@x.com</user></users>' } : {}) }));
        }
        const all = p.twice ? [...docs, ...docs] : docs;
        const membership = p.facts === 'none' ? undefined : facts(p.facts as 'source' | 'org', p.held, p.queues.map((q) => [q.name, q.members ? 1 : 0]));
        if (expectSameProblems(all, membership) > 0) withProblems++;
      }),
      { numRuns: 300, seed: 20261130 },
    );
    expect(withProblems).toBeGreaterThan(100);
  });

  // ICU's collation data is ~3 MiB of the validator's peak at 10,000 configurations (bench/RESULTS.md): without
  // queues the order of the project's names decides nothing but the problems' order, and only the documents
  // with a problem are sorted (none here, one there: nothing to compare).
  test('a project without queues sets up no collator; one with queues, or the graph, does', () => {
    const statuses = ['Zeta', 'alpha', 'Ébène', 'Online'].map((name) => status(name, ['Chat']));
    const configs = ['Tier_2', 'Away_1', 'b_3'].map((name) => config(name, 3, ['<assignments><profiles><profile>Support</profile></profiles></assignments>']));
    const documents = [channel('Chat', 'MessagingSession'), ...statuses, status('Lunch_Away'), status('Idle'), ...configs];
    const collators = vi.spyOn(Intl, 'Collator');
    try {
      expect(routingProblems(documents).problems.map((p) => p.code)).toEqual(['STATUS_WITHOUT_CHANNELS']);
      expect(collators).not.toHaveBeenCalled();
      expectSameProblems(documents);
      expect(collators).toHaveBeenCalled(); // the graph sorts its nodes
      collators.mockClear();
      routingProblems([...documents, queue('Support', { routing: 'R_A', objects: ['Case'] }), queue('Sales', { routing: 'R_A', objects: ['Case'] }), routing('R_A')]);
      expect(collators).toHaveBeenCalled();
    } finally {
      collators.mockRestore();
    }
  });
});
