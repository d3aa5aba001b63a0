/**
 * The graph with an org (local org over real HTTP): agents per presence configuration and members per
 * queue come from the org's rows; `omni setup --report F` writes the HTML of the org it set up; doctor's
 * routing check reports the same analysis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { check, omni } from '../setup/helpers.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';

let org: LocalOrg;
let project: ReturnType<typeof makeProject>;

beforeAll(async () => {
  org = await startTestOrg({});
  project = makeProject({ copy: SAMPLE_WITH_CONFIG });
});
afterAll(async () => {
  await org?.stop();
  project?.cleanup();
});

describe('omni graph -o / setup --report / doctor routing', () => {
  it('setup --report writes the HTML of the org: agents per configuration and queue members counted there', async () => {
    const r = await omni(org, project.dir, ['setup', '--assignments', 'config/assignments/local.yaml', '--report', 'routing.html', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.report).toMatchObject({ file: 'routing.html', problems: 2 });
    const html = readFileSync(join(project.dir, 'routing.html'), 'utf8');
    // local.yaml: agent01–04 miaw, agent05–07 Voice_Agents, agent08–10 Case_Agents through their profile.
    expect(html).toContain('>4 agents</text>');
    expect(html).toContain('>3 agents</text>');
    expect(html).toMatch(/<title>Omni-Channel routing — /);
  });

  it('graph -o counts from the org; the sample queues have their public group member, so only the unused routing configurations remain', async () => {
    const r = await omni(org, project.dir, ['graph', '--format', 'json', '--json']);
    expect(r.code, r.stdout).toBe(0);
    const nodes = Object.fromEntries(r.json.result.graph.nodes.filter((n: any) => n.agents !== undefined).map((n: any) => [n.id, n.agents]));
    expect(nodes).toEqual({ 'presenceConfig:Case_Agents': 3, 'presenceConfig:miaw': 4, 'presenceConfig:Voice_Agents': 3, 'queue:Priority_Cases': 1, 'queue:Support_Cases': 1 });
    expect(r.json.result.membership).toBe('org');
    expect(r.json.result.graph.problems.map((p: any) => p.code)).toEqual(['UNUSED_ROUTING_CONFIG', 'UNUSED_ROUTING_CONFIG']);
  });

  it('doctor: the routing check warns about a queue without members, from the same analysis', async () => {
    const ok = await omni(org, project.dir, ['doctor', '--json']);
    expect(check(ok, 'routing')).toMatchObject({ status: 'ok' });
    // Remove the public group member of Priority_Cases: its work now reaches no agent.
    const queue = [...org.store.all('Group')].find((g) => g.DeveloperName === 'Priority_Cases')!;
    for (const m of [...org.store.all('GroupMember')].filter((m) => m.GroupId === queue.Id)) org.store.delete(m.Id, { system: true });
    const r = await omni(org, project.dir, ['doctor', '--json']);
    const routing = check(r, 'routing');
    expect(routing.status).toBe('warn');
    expect(routing.message).toContain('Queue Priority_Cases has no members in the org');
    expect(routing.fix).toContain('queues.Priority_Cases.users');
  });
});
