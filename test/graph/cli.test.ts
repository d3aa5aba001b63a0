/** `omni graph` through the CLI framework, offline: formats, file output, JSON envelope, usage errors. */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/local-org.ts';
import { omniOffline } from '../helpers/omni.ts';

const dir = mkdtempSync(join(tmpdir(), 'omni-graph-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function omni(args: string[]) {
  return omniOffline(REPO_ROOT, args);
}

describe('omni graph', () => {
  it('prints Mermaid by default, the same text the README embeds', async () => {
    const r = await omni(['graph']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('flowchart LR\n')).toBe(true);
    expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).toContain('```mermaid\n' + r.stdout + '```');
  });

  it('writes HTML to --output (format from the extension) and lists the problems with their fix', async () => {
    const file = join(dir, 'routing.html');
    const r = await omni(['graph', '--output', file]);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/);
    expect(r.stdout).toContain('2 problems');
    expect(r.stdout).toMatch(/1\. force-app\/main\/default\/queueRoutingConfigs\/Messaging_Routing\.queueRoutingConfig-meta\.xml:2:1: info UNUSED_ROUTING_CONFIG/);
    expect(r.stdout).toContain('fix: Set <queueRoutingConfig>Messaging_Routing</queueRoutingConfig>');
    expect(readdirSync(dir).filter((f) => f !== 'routing.html')).toEqual([]); // no temp file left behind
  });

  it('--json gives the envelope with the graph; --format json alone prints the graph', async () => {
    const r = await omni(['graph', '--format', 'json', '--json']);
    expect(r.code).toBe(0);
    const envelope = JSON.parse(r.stdout);
    expect(envelope.status).toBe(0);
    expect(envelope.result).toMatchObject({ format: 'json', output: null, membership: 'source' });
    expect(envelope.result.assignmentFiles).toContain('config/assignments/local.yaml');
    expect(envelope.result.graph.nodes.some((n: { id: string }) => n.id === 'queue:Support_Cases')).toBe(true);
    const plain = JSON.parse((await omni(['graph', '--format', 'json'])).stdout);
    expect(plain.edges).toEqual(envelope.result.graph.edges);
  });

  it('an output file whose extension names no format, or an unknown --format, is a usage error (exit 2), nothing written', async () => {
    const file = join(dir, 'routing.txt');
    const r = await omni(['graph', '--output', file, '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 2, name: 'UsageError' });
    expect(existsSync(file)).toBe(false);
    expect((await omni(['graph', '--format', 'svg'])).code).toBe(2);
  });

  it('--assignments narrows who holds what: without the local file, the configurations it assigns are held by no one', async () => {
    const r = await omni(['graph', '--format', 'json', '--json', '--assignments', 'config/assignments/example.yaml']);
    const problems = JSON.parse(r.stdout).result.graph.problems.map((p: { code: string; nodes: string[] }) => `${p.code} ${p.nodes[0]}`);
    expect(problems).toContain('CONFIG_NOT_HELD presenceConfig:miaw');
    expect(problems).not.toContain('CONFIG_NOT_HELD presenceConfig:Voice_Agents'); // example-agents.csv gives voice_agents (names ignore case)
    expect(problems).not.toContain('CONFIG_NOT_HELD presenceConfig:Case_Agents'); // assigned to a profile in the source
  });
});
