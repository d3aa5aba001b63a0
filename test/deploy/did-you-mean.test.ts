/**
 * A name the deployment points at that the org does not have (issue #12 item 11): the org check names
 * the org's closest one, e.g. a mistyped profile in a presence configuration.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { makeProject } from '../helpers/project.ts';

const CASE = 'force-app/main/default/presenceUserConfigs/Case_Agents.presenceUserConfig-meta.xml';
let org: LocalOrg;
beforeAll(async () => {
  org = await startTestOrg();
});
afterAll(async () => {
  await org?.stop();
});

it('a mistyped profile: OrgCheckFailed at file:line with "did you mean" the org profile; nothing written', async () => {
  const p = makeProject();
  try {
    const file = join(p.dir, CASE);
    const text = readFileSync(file, 'utf8').replace('<profile>Custom: Support Agent</profile>', '<profile>Custom: Suport Agent</profile>');
    writeFileSync(file, text);
    const line = text.split('\n').findIndex((l) => l.includes('Suport')) + 1;
    org.resetStats();
    const r = await omniInProcess(org, p.dir, ['deploy', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.name).toBe('OrgCheckFailed');
    expect(r.json.message).toContain(`${CASE}:${line}:13  profile "Custom: Suport Agent" is neither in this deployment nor in the org; did you mean "Custom: Support Agent"?`);
    expect(org.stats().writes).toBe(0);
  } finally {
    p.cleanup();
  }
});
