/**
 * Names a newcomer mistypes in an assignment file (issue #12 item 11): an unknown presence configuration or
 * profile is a conflict that names the org's closest name; a name nothing resembles gets no guess.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omni, tempDir } from './helpers.ts';

let org: LocalOrg;
const work = tempDir();
beforeAll(async () => {
  org = await startTestOrg();
  writeFileSync(join(work.dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
});
afterAll(async () => {
  await org.stop();
  work.cleanup();
});

describe('did you mean, in assignment files', () => {
  it('an unknown configuration or profile names the org’s closest one', async () => {
    const f = join(work.dir, 'typos.yaml');
    writeFileSync(
      f,
      [
        'presenceConfigurations:',
        '  default_presence_confg:',
        "    profiles: ['Custom: Suport Agent']",
        '  zzz_nothing_like_it:',
        '    users: { usernames: [agent01@omni.local] }',
        '',
      ].join('\n'),
    );
    const r = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--json']);
    expect(r.code).toBe(1);
    const messages = r.json.result.conflicts.map((c: { code: string; message: string }) => `${c.code}: ${c.message}`).sort();
    expect(messages).toEqual([
      'UNKNOWN_CONFIGURATION: Presence configuration "default_presence_confg" does not exist in the org. Did you mean "default_presence_config"?',
      'UNKNOWN_CONFIGURATION: Presence configuration "zzz_nothing_like_it" does not exist in the org.',
      'UNKNOWN_PROFILE: No profile "Custom: Suport Agent" in the org (names compare case-insensitively). Did you mean "Custom: Support Agent"?',
    ]);
  });
});
