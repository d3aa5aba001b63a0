/**
 * Rendering: the layout never overlaps two components (property, and at 200 components), the SVG and the
 * Mermaid name every component, the HTML is self-contained (no script, no external URL), and the
 * README's Mermaid block is what `omni graph --format mermaid` prints for the sample (drift check).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { analyzeRouting } from '../../scripts/graph/analyze.ts';
import { buildRoutingGraph } from '../../scripts/graph/build.ts';
import { layoutGraph, renderHtml, renderMermaid, renderSvg } from '../../scripts/graph/render.ts';
import type { MetadataDocument } from '../../scripts/metadata/document.ts';
import { REPO_ROOT } from '../helpers/local-org.ts';
import { channel, config, doc, queue, routing, status } from './helpers.ts';

/** A random but valid project: n of each kind, random links between them. */
function project(seed: { channels: number; statuses: number; configs: number; routings: number; queues: number; links: number[] }): MetadataDocument[] {
  const pick = (i: number, n: number) => seed.links[i % seed.links.length] % n;
  const entities = ['Case', 'Lead', 'MessagingSession', 'VoiceCall', 'Order__c', 'Claim__c'];
  const docs: MetadataDocument[] = [];
  for (let i = 0; i < seed.channels; i++) docs.push(channel(`Channel_${i}`, entities[i % entities.length]));
  for (let i = 0; i < seed.statuses; i++) docs.push(status(`Status_${i}`, i % 3 === 2 || !seed.channels ? [] : [`Channel_${pick(i, seed.channels)}`]));
  for (let i = 0; i < seed.configs; i++) docs.push(config(`Config_${i}`, 1 + (i % 9), seed.statuses ? [`<presenceStatusOnPushTimeout>Status_${pick(i + 1, seed.statuses)}</presenceStatusOnPushTimeout>`] : []));
  for (let i = 0; i < seed.routings; i++) docs.push(routing(`Routing_${i}`));
  for (let i = 0; i < seed.queues; i++) {
    docs.push(queue(`Queue_${i}`, { routing: seed.routings ? `Routing_${pick(i + 2, seed.routings)}` : undefined, objects: [entities[pick(i + 3, entities.length)]] }));
  }
  return docs;
}

const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('graph rendering', () => {
  it('no two components overlap and every name is drawn, for any project (property)', () => {
    const seed = fc.record({
      channels: fc.integer({ min: 0, max: 5 }),
      statuses: fc.integer({ min: 0, max: 6 }),
      configs: fc.integer({ min: 0, max: 5 }),
      routings: fc.integer({ min: 0, max: 4 }),
      queues: fc.integer({ min: 0, max: 6 }),
      links: fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
    });
    fc.assert(
      fc.property(seed, (s) => {
        const { graph } = analyzeRouting(project(s));
        const laid = layoutGraph(graph);
        expect(laid.boxes).toHaveLength(graph.nodes.length);
        for (let i = 0; i < laid.boxes.length; i++) for (let j = i + 1; j < laid.boxes.length; j++) expect(overlaps(laid.boxes[i], laid.boxes[j])).toBe(false);
        for (const box of laid.boxes) {
          expect(box.x).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width).toBeLessThanOrEqual(laid.width + 0.5);
        }
        const svg = renderSvg(graph, laid);
        const mermaid = renderMermaid(graph);
        for (const node of graph.nodes) {
          expect(svg).toContain(`>${node.name}</text>`);
          expect(mermaid).toContain(`"${node.name}`);
        }
        expect(mermaid.split('\n').filter((l) => /-->|-\.|==/.test(l))).toHaveLength(graph.edges.length);
      }),
      { numRuns: 40 },
    );
  });

  it('200 components lay out in columns by kind (queues left, decline reasons right) without overlap', () => {
    const docs = project({ channels: 6, statuses: 40, configs: 50, routings: 44, queues: 60, links: [1, 7, 3, 11, 5, 2, 9] });
    const { graph } = analyzeRouting(docs);
    expect(graph.nodes.length).toBeGreaterThanOrEqual(200);
    const started = Date.now();
    const laid = layoutGraph(graph);
    const took = Date.now() - started;
    expect(took).toBeLessThan(30_000);
    const xs = (kind: string) => laid.boxes.filter((b) => b.node.kind === kind).map((b) => b.x);
    expect(Math.max(...xs('queue'))).toBeLessThan(Math.min(...xs('routingConfig')));
    expect(Math.max(...xs('channel'))).toBeLessThan(Math.min(...xs('status')));
    expect(Math.max(...xs('status'))).toBeLessThan(Math.min(...xs('presenceConfig')));
    const sorted = [...laid.boxes].sort((a, b) => a.x - b.x || a.y - b.y);
    for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length && sorted[j].x < sorted[i].x + sorted[i].width; j++) expect(overlaps(sorted[i], sorted[j])).toBe(false);
  });

  it('the HTML is one self-contained page: inline SVG and CSS, no script, no external resource; problems listed and numbered', () => {
    const docs = [...project({ channels: 2, statuses: 2, configs: 1, routings: 2, queues: 1, links: [0] }), doc('ServicePresenceStatus', 'Tier_2', ['<label>Tier &lt;2&gt; &amp; co</label>'])];
    const { graph } = analyzeRouting(docs);
    const html = renderHtml(graph, { title: 'Routing & <friends>' });
    expect(html).not.toMatch(/<script|<link|<img|@import|url\((?!#)/i);
    expect(html).not.toMatch(/(src|href)=/i);
    expect(html).toContain('<title>Routing &amp; &lt;friends&gt;</title>');
    expect(html).toContain('>Tier &lt;2&gt; &amp; co</text>');
    expect(graph.problems.length).toBeGreaterThan(0);
    expect((html.match(/<li data-code=/g) ?? []).length).toBe(graph.problems.length);
    for (const p of graph.problems) expect(html).toContain(`data-code="${p.code}"`);
    // The counts line: each noun agrees with its number ("1 problem", "2 problems").
    const noun = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
    expect(html).toContain(`${noun(graph.nodes.length, 'component')}, ${noun(graph.edges.length, 'link')}, ${noun(graph.problems.length, 'problem')}. Dashed arrows`);
  });

  it('the README shows the sample’s Mermaid exactly as omni graph renders it (drift check)', async () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const block = /<!-- graph:start[^>]*-->\n```mermaid\n([\s\S]*?)```\n<!-- graph:end -->/.exec(readme);
    expect(block, 'README.md has a ```mermaid block between <!-- graph:start --> and <!-- graph:end -->').not.toBeNull();
    const built = await buildRoutingGraph({ cwd: REPO_ROOT });
    expect(block![1]).toBe(renderMermaid(built.graph));
    // The sample's two unused routing configurations are what the picture points out.
    expect(built.graph.problems.map((p) => `${p.code} ${p.nodes[0]}`)).toEqual(['UNUSED_ROUTING_CONFIG routingConfig:Messaging_Routing', 'UNUSED_ROUTING_CONFIG routingConfig:Voice_Routing']);
  });
});
