/**
 * The org is resolved once per command (DESIGN.md, issue #10 item 1): every org-facing command, run
 * in-process against the local org, asks the token's identity (oauth/userinfo, counted by the local org)
 * exactly once — however many engines and stages it runs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';
import { omni } from '../setup/helpers.ts';

describe('one org session per command', () => {
  let org: LocalOrg;
  let project: ReturnType<typeof makeProject>;
  beforeAll(async () => {
    org = await startTestOrg({});
    project = makeProject({ copy: SAMPLE_WITH_CONFIG });
    writeFileSync(join(project.dir, 'agents.yaml'), 'presenceConfigurations:\n  miaw:\n    users:\n      usernames: [agent03@omni.local]\n');
  });
  afterAll(async () => {
    await org?.stop();
    project?.cleanup();
  });

  // In the order a user would run them; each must end as stated first (so the count is of a real run).
  const runs: Array<[string[], number[]]> = [
    [['doctor', '--file', 'agents.yaml'], [0, 1]],
    [['deploy'], [0]],
    [['deploy', 'report'], [0]],
    [['plan'], [0]],
    [['retrieve', '--output-dir', 'retrieved'], [0]],
    [['assign', 'plan', '--file', 'agents.yaml'], [0]],
    [['assign', 'apply', '--file', 'agents.yaml'], [0]],
    [['assign', 'export'], [0]],
    [['access', 'check', '--file', 'agents.yaml'], [0, 1]],
    [['explain', 'agent03@omni.local'], [0, 1]],
    [['graph', '--format', 'json'], [0]],
    [['setup', '--file', 'agents.yaml'], [0]],
  ];
  for (const [args, codes] of runs) {
    it(`omni ${args.join(' ')}: one oauth/userinfo`, async () => {
      org.resetStats();
      const r = await omni(org, project.dir, [...args, '--json']);
      expect(codes, `exit ${r.code}: ${r.stdout.slice(0, 400)}`).toContain(r.code);
      expect(org.stats().byEndpoint['oauth/userinfo']).toBe(1);
    });
  }
});
