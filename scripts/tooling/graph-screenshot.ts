/** `npm run docs:screenshot`: renders the sample's routing graph and writes docs/routing-graph.png with headless Chromium. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildRoutingGraph } from '../graph/build.ts';
import { layoutGraph, renderHtml } from '../graph/render.ts';
import { screenshot } from './chromium.ts';

const built = await buildRoutingGraph({ cwd: process.cwd() });
const html = renderHtml(built.graph, { title: 'Omni-Channel routing — the sample project', subtitle: 'omni graph --output routing.html' });
const dir = mkdtempSync(path.join(tmpdir(), 'omni-graph-'));
try {
  const file = path.join(dir, 'routing.html');
  writeFileSync(file, html);
  const laid = layoutGraph(built.graph);
  mkdirSync('docs', { recursive: true });
  // Wide enough for the picture, tall enough for the problems under it.
  screenshot(file, 'docs/routing-graph.png', { width: Math.max(1000, laid.width + 80), height: laid.height + 360 + 60 * built.graph.problems.length });
  console.log('docs/routing-graph.png written');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
