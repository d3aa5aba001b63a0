/**
 * The org's state, not the last deployed file, is what a retrieve returns (FIDELITY.md F-30): a user
 * assigned over the Data API to a configuration whose source has no <assignments> comes back in the
 * retrieve and in `omni retrieve --extract-assignments`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { api, dataPath, startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { makeProject } from '../helpers/project.ts';

const MIAW = 'force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('retrieve after a Data API assignment [F-30]', () => {
  it('the user is in the retrieved file and in --extract-assignments; the source XML is left without users', async () => {
    const org = await startTestOrg();
    const p = makeProject();
    cleanups.push(() => org.stop(), () => p.cleanup());
    const source = readFileSync(join(p.dir, MIAW), 'utf8');
    expect(source).not.toContain('<assignments>');
    expect((await omniInProcess(org, p.dir, ['deploy', '--json'])).code).toBe(0);
    const config = org.store.lookup('PresenceUserConfig', 'DeveloperName', 'miaw')![0];
    const agent = org.store.lookup('User', 'Username', 'agent07@omni.local')![0];
    const assigned = await api(org, 'POST', dataPath('/sobjects/PresenceUserConfigUser'), { PresenceUserConfigId: config.Id, UserId: agent.Id });
    expect(assigned.status).toBe(201);

    // The retrieved file lists the user the org holds (a real retrieve lists the configuration's users).
    const connectionFree = await omniInProcess(org, p.dir, ['retrieve', '--output-dir', 'retrieved', '--metadata', 'PresenceUserConfig', '--json']);
    expect(connectionFree.code, connectionFree.stdout).toBe(0);
    const retrieved = readFileSync(join(p.dir, 'retrieved', MIAW.replace('force-app/', '')), 'utf8');
    expect(retrieved).toContain('    <assignments>\n        <users>\n            <user>agent07@omni.local</user>\n        </users>\n    </assignments>\n');

    // --extract-assignments lists the user in the assignment file; the source XML stays without users.
    mkdirSync(join(p.dir, 'config/assignments'), { recursive: true });
    const file = 'config/assignments/local.yaml';
    const r = await omniInProcess(org, p.dir, ['retrieve', '--extract-assignments', file, '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(YAML.parse(readFileSync(join(p.dir, file), 'utf8')).presenceConfigurations).toEqual({ miaw: { users: { usernames: ['agent07@omni.local'] } } });
    expect(readFileSync(join(p.dir, MIAW), 'utf8')).toBe(source);

  });
});
