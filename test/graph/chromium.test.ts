/**
 * The HTML graph in a real browser: headless Chromium (Debian's chromium; .ci/run installs it) parses the
 * sample's page, every component name is in the rendered DOM, and the screenshot shows a picture (many
 * non-white pixels in several colours), not a blank page. Also the committed docs screenshot is a real PNG
 * linked from the README.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { buildRoutingGraph } from '../../scripts/graph/build.ts';
import { renderHtml } from '../../scripts/graph/render.ts';
import { dumpDom } from '../../scripts/tooling/chromium.ts';
import { REPO_ROOT } from '../helpers/local-org.ts';

const dir = mkdtempSync(join(tmpdir(), 'omni-graph-chromium-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Share of pixels that are not (near) white, and the number of distinct colours (quantised). */
function inkAndColours(png: PNG): { ink: number; colours: number } {
  let ink = 0;
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
    if (r < 235 || g < 235 || b < 235) ink++;
    colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
  }
  return { ink: ink / (png.width * png.height), colours: colours.size };
}

describe('graph in headless Chromium', () => {
  it('renders every component name of the sample and a non-blank picture', async () => {
    const built = await buildRoutingGraph({ cwd: REPO_ROOT });
    const file = join(dir, 'routing.html');
    writeFileSync(file, renderHtml(built.graph, { title: 'Omni-Channel routing' }));

    // One browser run: the DOM it laid out and its screenshot of that page.
    const png = join(dir, 'shot.png');
    const dom = dumpDom(file, { pngFile: png, width: 1400, height: 900 });
    const texts = [...dom.matchAll(/<text class="name"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    // Names the sample defines, written out here rather than taken from the graph under test.
    const sample = [
      'Case_Channel', 'sfdc_livemessage', 'sfdc_phone',
      'Online', 'Online_Cases', 'Away', 'Busy',
      'Wrong_Queue', 'Needs_Specialist', 'End_of_Shift',
      'miaw', 'Voice_Agents', 'Case_Agents',
      'Case_Routing', 'Priority_Case_Routing', 'Messaging_Routing', 'Voice_Routing',
      'Support_Cases', 'Priority_Cases', 'Case',
    ];
    expect(texts.sort()).toEqual([...sample].sort());
    expect(dom).toContain('<h2>Problems (2)</h2>');

    const image = PNG.sync.read(readFileSync(png));
    expect([image.width, image.height]).toEqual([1400, 900]);
    const { ink, colours } = inkAndColours(image);
    expect(ink).toBeGreaterThan(0.05);
    expect(colours).toBeGreaterThan(20);
  }, 180_000);

  it('the committed screenshot of the sample is a real picture, linked from the README', () => {
    const file = join(REPO_ROOT, 'docs/routing-graph.png');
    expect(existsSync(file)).toBe(true);
    const image = PNG.sync.read(readFileSync(file));
    expect(image.width).toBeGreaterThan(800);
    expect(inkAndColours(image).ink).toBeGreaterThan(0.05);
    expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).toContain('](docs/routing-graph.png)');
  });
});
