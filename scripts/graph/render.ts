/**
 * The routing graph as a picture: a self-contained HTML page (inline SVG and CSS, no script, no network)
 * laid out in Node with @dagrejs/dagre, Mermaid `flowchart LR` text for READMEs and PR comments, and JSON.
 *
 * Layout reads left to right as work flows: queue → routing configuration, queue → object → channel →
 * status → presence configuration → decline reasons. Edges that point against that flow (status →
 * channel, configuration → status) are laid out reversed and drawn with their arrow at the real target.
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { EdgeKind, GraphNode, NodeKind, RoutingGraph } from './analyze.ts';
import { countText, messageText } from '../lib/messages.ts';

/** A node kind as the picture names it (messages/graph-output.md). */
function kindLabel(kind: NodeKind): string {
  switch (kind) {
    case 'queue':
      return messageText('graph-output', 'kind.queue');
    case 'routingConfig':
      return messageText('graph-output', 'kind.routingConfig');
    case 'object':
      return messageText('graph-output', 'kind.object');
    case 'channel':
      return messageText('graph-output', 'kind.channel');
    case 'status':
      return messageText('graph-output', 'kind.status');
    case 'presenceConfig':
      return messageText('graph-output', 'kind.presenceConfig');
    default:
      return messageText('graph-output', 'kind.declineReason');
  }
}

/** An edge kind as the picture reads it between its two names. */
function edgeLabel(kind: EdgeKind): string {
  switch (kind) {
    case 'status-channel':
      return messageText('graph-output', 'edge.status-channel');
    case 'queue-routingConfig':
      return messageText('graph-output', 'edge.queue-routingConfig');
    case 'queue-object':
      return messageText('graph-output', 'edge.queue-object');
    case 'object-channel':
      return messageText('graph-output', 'edge.object-channel');
    case 'config-statusOnDecline':
      return messageText('graph-output', 'edge.config-statusOnDecline');
    case 'config-statusOnPushTimeout':
      return messageText('graph-output', 'edge.config-statusOnPushTimeout');
    case 'config-declineReason':
      return messageText('graph-output', 'edge.config-declineReason');
    default:
      return messageText('graph-output', 'edge.routingConfig-overflowQueue');
  }
}

/** The node kinds in legend order. */
const KINDS: NodeKind[] = ['queue', 'routingConfig', 'object', 'channel', 'status', 'presenceConfig', 'declineReason'];

/** Edges laid out from target to source, so that every kind flows left to right. */
const REVERSED_IN_LAYOUT = new Set<EdgeKind>(['status-channel', 'config-statusOnDecline', 'config-statusOnPushTimeout']);

/** Column of each kind, left to right: one column per kind keeps 200 components readable. */
const COLUMN: Record<NodeKind, number> = { queue: 0, routingConfig: 1, object: 1, channel: 2, status: 3, presenceConfig: 4, declineReason: 5 };

const COLORS: Record<NodeKind, { fill: string; stroke: string }> = {
  queue: { fill: '#e3f2fd', stroke: '#1565c0' },
  routingConfig: { fill: '#ede7f6', stroke: '#5e35b1' },
  object: { fill: '#f5f5f5', stroke: '#757575' },
  channel: { fill: '#e0f2f1', stroke: '#00796b' },
  status: { fill: '#f1f8e9', stroke: '#558b2f' },
  presenceConfig: { fill: '#fff8e1', stroke: '#ef6c00' },
  declineReason: { fill: '#fce4ec', stroke: '#ad1457' },
};

const NAME_CHAR = 8; // px per character of the 12px bold name (a generous estimate for system fonts)
const DETAIL_CHAR = 6.9; // px per character of the 11px details
const LINE = 15;

export interface NodeBox {
  node: GraphNode;
  x: number;
  y: number;
  width: number;
  height: number;
  lines: string[];
}

export interface EdgePath {
  from: string;
  to: string;
  kind: EdgeKind;
  /** In drawing order: from the semantic source to the semantic target. */
  points: Array<{ x: number; y: number }>;
}

export interface Layout {
  width: number;
  height: number;
  boxes: NodeBox[];
  edges: EdgePath[];
}

/** Sizes every node from its text and lets dagre place nodes and route edges (units: SVG px). */
export function layoutGraph(graph: RoutingGraph): Layout {
  const g = new Graph({ multigraph: true });
  // Ranks come in pairs: column c is rank 2c+1 and every edge spans twice its column distance. Nodes no
  // edge leads into (an unused routing configuration, an Away status) hang from a hidden anchor at rank 2c,
  // so they sit in their own column instead of drifting to the left edge.
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 34, edgesep: 8, marginx: 16, marginy: 16 });
  const columns = Math.max(...Object.values(COLUMN)) + 1;
  const anchor = (c: number) => `\u0000column${c}`;
  for (let c = 0; c < columns; c++) {
    g.setNode(anchor(c), { width: 0, height: 0 });
    if (c > 0) g.setEdge(anchor(c - 1), anchor(c), { minlen: 2, weight: 100 }, 'column');
  }
  const boxes = new Map<string, NodeBox>();
  for (const node of graph.nodes) {
    const lines = nodeDetails(node);
    const width = Math.ceil(Math.max(node.name.length * NAME_CHAR, ...lines.map((l) => l.length * DETAIL_CHAR), 60) + 20 + (node.problems.length ? 26 : 0));
    const height = 14 + LINE * (1 + lines.length);
    boxes.set(node.id, { node, x: 0, y: 0, width, height, lines });
    g.setNode(node.id, { width, height });
  }
  const kindOf = new Map(graph.nodes.map((n) => [n.id, n.kind]));
  const hasIncoming = new Set<string>();
  graph.edges.forEach((e, i) => {
    const reversed = REVERSED_IN_LAYOUT.has(e.kind);
    const [v, w] = reversed ? [e.to, e.from] : [e.from, e.to];
    const span = COLUMN[kindOf.get(w)!] - COLUMN[kindOf.get(v)!];
    if (span > 0) hasIncoming.add(w);
    g.setEdge(v, w, { minlen: span > 0 ? 2 * span : 2, weight: span > 0 ? 1 : 0 }, String(i));
  });
  for (const node of graph.nodes) if (!hasIncoming.has(node.id)) g.setEdge(anchor(COLUMN[node.kind]), node.id, { minlen: 1, weight: 0 }, 'column');
  layout(g);
  for (const box of boxes.values()) {
    const placed = g.node(box.node.id);
    box.x = placed.x - box.width / 2;
    box.y = placed.y - box.height / 2;
  }
  const edges: EdgePath[] = graph.edges.map((e, i) => {
    const reversed = REVERSED_IN_LAYOUT.has(e.kind);
    const laid = g.edge({ v: reversed ? e.to : e.from, w: reversed ? e.from : e.to, name: String(i) });
    const points = (laid?.points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y }));
    return { from: e.from, to: e.to, kind: e.kind, points: reversed ? points.reverse() : points };
  });
  const label = g.graph();
  return { width: Math.ceil(label.width ?? 0), height: Math.ceil(label.height ?? 0), boxes: [...boxes.values()], edges };
}

function nodeDetails(node: GraphNode): string[] {
  const lines = [...node.details];
  if (node.agents !== undefined) lines.push(node.kind === 'queue' ? countText('graph-output', 'count.member', node.agents, [node.agents]) : countText('graph-output', 'count.agent', node.agents, [node.agents]));
  if (node.label !== node.name) lines.unshift(node.label);
  return lines.map((l) => (l.length > 48 ? `${l.slice(0, 47)}…` : l));
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A smooth SVG path through dagre's points (quadratic segments between midpoints). */
function pathData(points: Array<{ x: number; y: number }>): string {
  if (points.length === 0) return '';
  const f = (n: number) => Math.round(n * 10) / 10;
  let d = `M${f(points[0].x)},${f(points[0].y)}`;
  if (points.length === 2) return `${d} L${f(points[1].x)},${f(points[1].y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const mid = { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
    const end = i === points.length - 2 ? points[i + 1] : mid;
    d += ` Q${f(points[i].x)},${f(points[i].y)} ${f(end.x)},${f(end.y)}`;
  }
  return d;
}

/** The graph as an inline SVG element (no external references). */
export function renderSvg(graph: RoutingGraph, laid: Layout = layoutGraph(graph)): string {
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="routing" viewBox="0 0 ${laid.width} ${laid.height}" width="${laid.width}" height="${laid.height}" role="img" aria-label="Omni-Channel routing: ${graph.nodes.length} components, ${graph.problems.length} problems">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#546e7a"/></marker></defs>',
    '<g class="edges">',
  );
  for (const e of laid.edges) {
    out.push(`<path class="edge ${e.kind}" d="${pathData(e.points)}" marker-end="url(#arrow)"><title>${escapeXml(`${nameOf(graph, e.from)} ${edgeLabel(e.kind)} ${nameOf(graph, e.to)}`)}</title></path>`);
  }
  out.push('</g>', '<g class="nodes">');
  for (const box of laid.boxes) {
    const { node } = box;
    const color = COLORS[node.kind];
    const classes = ['node', node.kind, node.problems.length ? 'problem' : '', node.builtIn ? 'builtin' : ''].filter(Boolean).join(' ');
    out.push(`<g class="${classes}" data-id="${escapeXml(node.id)}" transform="translate(${Math.round(box.x)},${Math.round(box.y)})">`);
    const where = node.location ? ` — ${node.location.file}${node.location.line ? `:${node.location.line}` : ''}` : '';
    out.push(`<title>${escapeXml(`${kindLabel(node.kind)} ${node.name}${where}`)}</title>`);
    out.push(`<rect width="${box.width}" height="${box.height}" rx="6" fill="${color.fill}" stroke="${node.problems.length ? '#c62828' : color.stroke}" stroke-width="${node.problems.length ? 2.5 : 1.2}"${node.builtIn ? ' stroke-dasharray="4 3"' : ''}/>`);
    out.push(`<text class="name" x="10" y="${7 + LINE}">${escapeXml(node.name)}</text>`);
    box.lines.forEach((line, i) => {
      out.push(`<text class="detail" x="10" y="${7 + LINE * (i + 2)}">${escapeXml(line)}</text>`);
    });
    if (node.problems.length) {
      const label = node.problems.map((p) => p + 1).join(',');
      out.push(`<g class="badge" transform="translate(${box.width - 14},${box.height / 2})"><circle r="10" fill="#c62828"/><text text-anchor="middle" y="4">${escapeXml(label.length > 3 ? '!' : label)}</text></g>`);
    }
    out.push('</g>');
  }
  out.push('</g>', '</svg>');
  return out.join('\n');
}

const nameOf = (graph: RoutingGraph, id: string) => graph.nodes.find((n) => n.id === id)?.name ?? id;

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px; color: #212121; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } p.meta { color: #616161; margin: 0 0 16px; }
.canvas { overflow: auto; border: 1px solid #e0e0e0; border-radius: 8px; background: #fafafa; max-height: 85vh; }
svg.routing text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; fill: #212121; }
svg.routing text.name { font-size: 12px; font-weight: 600; } svg.routing text.detail { font-size: 11px; fill: #555; }
svg.routing .badge text { fill: #fff; font-size: 11px; font-weight: 700; }
svg.routing path.edge { fill: none; stroke: #78909c; stroke-width: 1.3; }
svg.routing path.config-statusOnDecline, svg.routing path.config-statusOnPushTimeout { stroke-dasharray: 5 4; }
svg.routing path.config-declineReason { stroke: #c48b9f; }
svg.routing path.routingConfig-overflowQueue { stroke: #5e35b1; stroke-width: 2; stroke-dasharray: 2 3; }
svg.routing g.node:hover rect { stroke-width: 3; }
ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 8px 0 12px; font-size: 13px; }
ul.legend span.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -1px; margin-right: 5px; border: 1px solid; }
ol.problems li { margin: 6px 0; } .sev { font-size: 11px; font-weight: 700; text-transform: uppercase; border-radius: 3px; padding: 0 4px; margin-right: 6px; }
.sev.warning { background: #ffebee; color: #b71c1c; } .sev.info { background: #e3f2fd; color: #0d47a1; }
.hint, .where { color: #616161; font-size: 13px; } code { font-size: 12px; }
`;

/**
 * One self-contained HTML page: the picture, a legend, and the problems listed under it (numbered as the
 * badges on the picture). No script, no external resource: it opens offline and attaches to a PR as is.
 */
export function renderHtml(graph: RoutingGraph, options: { title: string; subtitle?: string }): string {
  const laid = layoutGraph(graph);
  const counts = KINDS.map((k) => [k, graph.nodes.filter((n) => n.kind === k).length] as const).filter(([, n]) => n > 0);
  const legend = counts.map(([k, n]) => `<li><span class="swatch" style="background:${COLORS[k].fill};border-color:${COLORS[k].stroke}"></span>${kindLabel(k)} (${n})</li>`).join('');
  const problems = graph.problems.length
    ? `<ol class="problems">${graph.problems
        .map((p) => {
          const where = p.location ? ` <span class="where">${escapeXml(p.location.file)}${p.location.line ? `:${p.location.line}:${p.location.column ?? 1}` : ''}</span>` : '';
          return `<li data-code="${p.code}"><span class="sev ${p.severity}">${p.severity}</span>${escapeXml(p.message)}${where}<div class="hint">${escapeXml(p.hint)}</div></li>`;
        })
        .join('\n')}</ol>`
    : `<p>${escapeXml(messageText('graph-output', 'noProblems'))}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(options.title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeXml(options.title)}</h1>
<p class="meta">${escapeXml(options.subtitle ?? '')}${options.subtitle ? ' · ' : ''}${escapeXml(graphCounts(graph))}. Dashed arrows: status on decline / push timeout; dashed box: built-in component not in the project; red: a problem (numbered below).</p>
<ul class="legend">${legend}</ul>
<div class="canvas">
${renderSvg(graph, laid)}
</div>
<h2>Problems (${graph.problems.length})</h2>
${problems}
</body>
</html>
`;
}

const MERMAID_SHAPE: Record<NodeKind, [string, string]> = {
  queue: ['[(', ')]'],
  routingConfig: ['{{', '}}'],
  object: ['>', ']'],
  channel: ['([', '])'],
  status: ['[', ']'],
  presenceConfig: ['[[', ']]'],
  declineReason: ['(', ')'],
};

const MERMAID_PREFIX: Record<NodeKind, string> = { queue: 'q', routingConfig: 'rc', object: 'obj', channel: 'ch', status: 'st', presenceConfig: 'pc', declineReason: 'dr' };

/** Mermaid `flowchart LR`; problem nodes carry the `problem` class and the problems follow as `%%` comments. */
export function renderMermaid(graph: RoutingGraph): string {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const node of graph.nodes) {
    let id = `${MERMAID_PREFIX[node.kind]}_${node.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    while (used.has(id)) id += '_';
    used.add(id);
    ids.set(node.id, id);
  }
  const text = (s: string) => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) {
    const [open, close] = MERMAID_SHAPE[node.kind];
    const label = [node.name, ...nodeDetails(node)].map(text).join('<br/>');
    lines.push(`  ${ids.get(node.id)}${open}"${label}"${close}`);
  }
  for (const e of graph.edges) {
    const from = ids.get(e.from)!;
    const to = ids.get(e.to)!;
    if (e.kind === 'config-statusOnDecline') lines.push(`  ${from} -. ${messageText('graph-output', 'mermaid.onDecline')} .-> ${to}`);
    else if (e.kind === 'config-statusOnPushTimeout') lines.push(`  ${from} -. ${messageText('graph-output', 'mermaid.onPushTimeout')} .-> ${to}`);
    else if (e.kind === 'routingConfig-overflowQueue') lines.push(`  ${from} == ${messageText('graph-output', 'mermaid.overflow')} ==> ${to}`);
    else lines.push(`  ${from} --> ${to}`);
  }
  for (const kind of Object.keys(MERMAID_PREFIX) as NodeKind[]) {
    const members = graph.nodes.filter((n) => n.kind === kind).map((n) => ids.get(n.id));
    if (!members.length) continue;
    lines.push(`  classDef ${kind} fill:${COLORS[kind].fill},stroke:${COLORS[kind].stroke}`);
    lines.push(`  class ${members.join(',')} ${kind}`);
  }
  const problemNodes = graph.nodes.filter((n) => n.problems.length).map((n) => ids.get(n.id));
  if (problemNodes.length) {
    lines.push('  classDef problem stroke:#c62828,stroke-width:3px');
    lines.push(`  class ${problemNodes.join(',')} problem`);
  }
  graph.problems.forEach((p, i) => {
    lines.push(`  %% problem ${i + 1} (${p.severity}): ${p.message.replace(/[\r\n]+/g, ' ')}`);
  });
  return lines.join('\n') + '\n';
}

/** "12 components, 20 links, 1 problem": the graph's counts, each noun agreeing with its number. */
function graphCounts(graph: RoutingGraph): string {
  const components = countText('graph-output', 'count.component', graph.nodes.length, [graph.nodes.length]);
  const links = countText('graph-output', 'count.link', graph.edges.length, [graph.edges.length]);
  const problems = countText('graph-output', 'count.problem', graph.problems.length, [graph.problems.length]);
  return messageText('graph-output', 'counts', [components, links, problems]);
}
