/**
 * Issue #15, "Deploy at scale": `omni deploy` sends at most 6 requests besides the deployment and its
 * status polls, and that number does not grow with the number of components (the checks share composite
 * requests). Counted by the local org, the CI way (--instance-url + SF_ACCESS_TOKEN).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/index.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { makeProject } from '../helpers/project.ts';

const DEPLOY_AND_POLLS = new Set(['soap/metadata:deploy', 'soap/metadata:checkDeployStatus']);

/** Requests other than the deployment and its polls, by endpoint (as the org counted them). */
function besidesDeploy(org: LocalOrg): Record<string, number> {
  return Object.fromEntries(Object.entries(org.stats().byEndpoint).filter(([endpoint]) => !DEPLOY_AND_POLLS.has(endpoint)));
}
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** The sample project plus `n` generated presence configurations. */
function projectWith(n: number) {
  const project = makeProject();
  const dir = path.join(project.dir, 'force-app/main/default/presenceUserConfigs');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) {
    const name = `Generated_Config_${String(i).padStart(4, '0')}`;
    writeFileSync(
      path.join(dir, `${name}.presenceUserConfig-meta.xml`),
      `<?xml version="1.0" encoding="UTF-8"?>\n<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n    <capacity>${(i % 20) + 1}</capacity>\n    <label>${name}</label>\n</PresenceUserConfig>\n`,
    );
  }
  return project;
}

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('omni deploy: requests besides the deployment and its polls', () => {
  const counted: Record<string, Record<string, number>> = {};

  for (const [label, n] of [
    ['the sample', 0],
    ['the sample + 500 configurations', 500],
  ] as const) {
    it(`${label}: at most 6 — the session, the org description, the checks, the after-snapshot — and no plain query`, async () => {
      const org = await startTestOrg();
      const project = projectWith(n);
      cleanups.push(() => org.stop(), () => project.cleanup());
      // First deploy (everything created), then again with the org holding it all: the guard reads the most.
      for (const round of ['first', 'again']) {
        org.resetStats();
        const r = await omniInProcess(org, project.dir, ['deploy', '--json', '--wait', '10']);
        expect(r.code, r.stdout.slice(0, 2000)).toBe(0);
        expect(org.stats().byEndpoint['soap/metadata:deploy']).toBe(1);
        const counts = besidesDeploy(org);
        expect(total(counts), `${round}: ${JSON.stringify(counts)}`).toBeLessThanOrEqual(6);
        // Every SOQL read went out inside composite requests.
        expect(counts.query ?? 0).toBe(0);
        expect(org.stats().writes).toBe(1);
        counted[`${label} ${round}`] = counts;
      }
      expect([...org.store.all('PresenceUserConfig')].filter((c) => String(c.DeveloperName).startsWith('Generated_Config_'))).toHaveLength(n);
    }, 240_000);
  }

  it('the same requests for 500 more configurations as for the sample: O(1) in the number of components', () => {
    expect(counted['the sample + 500 configurations first']).toEqual(counted['the sample first']);
    expect(counted['the sample + 500 configurations again']).toEqual(counted['the sample again']);
  });
});
