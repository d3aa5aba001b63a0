/**
 * Names a newcomer mistypes in an assignment file (issue #12 item 11): an unknown presence configuration or
 * profile is a conflict that names the org's closest name; a name nothing resembles gets no guess.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { createUser, omni, tempDir } from './helpers.ts';

let org: LocalOrg;
const work = tempDir();
const log: string[] = [];
beforeAll(async () => {
  org = await startTestOrg({ log: (line) => log.push(line) });
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

  it('an unknown username or email names the sandbox’s user or the typo’s; one read, only on that path, every value escaped', async () => {
    await createUser(org, 'jane.doe@acme.example.uat', { Email: 'jane.doe@acme.example.invalid' });
    await createUser(org, 'john.smith@acme.example');
    await createUser(org, "o'hara%_x@acme.example.uat");
    const f = join(work.dir, 'users.yaml');
    writeFileSync(
      f,
      [
        'presenceConfigurations:',
        '  default_presence_config:',
        '    users:',
        "      usernames: ['jane.doe@acme.example', 'john.smith@acme.exmaple', \"o'hara%_x@acme.example\", 'o_hara@acme.example', 'nobody.like.it@else.example']",
        "      emails: ['jane.doe@acme.example']",
        '',
      ].join('\n'),
    );
    for (const command of ['plan', 'apply']) {
      const r = await omni(org, work.dir, ['assign', command, '--file', f, '--json']);
      expect(r.code, r.stdout).toBe(1);
      const messages = r.json.data?.conflicts ?? r.json.result?.conflicts ?? [];
      expect(messages.map((c: { code: string; message: string }) => `${c.code}: ${c.message}`).sort(), r.stdout).toEqual([
        'UNKNOWN_USER: No user with email "jane.doe@acme.example" in the org. Did you mean "jane.doe@acme.example.invalid"?',
        'UNKNOWN_USER: No user with username "jane.doe@acme.example" in the org. Did you mean "jane.doe@acme.example.uat"?',
        'UNKNOWN_USER: No user with username "john.smith@acme.exmaple" in the org. Did you mean "john.smith@acme.example"?',
        'UNKNOWN_USER: No user with username "nobody.like.it@else.example" in the org.',
        'UNKNOWN_USER: No user with username "o\'hara%_x@acme.example" in the org. Did you mean "o\'hara%_x@acme.example.uat"?',
        // `_` is no wildcard: "o'hara…" does not start with "o_hara@".
        'UNKNOWN_USER: No user with username "o_hara@acme.example" in the org.',
      ]);
    }
    // The happy path makes no suggestion read.
    log.length = 0;
    const ok = join(work.dir, 'known.yaml');
    writeFileSync(ok, ['presenceConfigurations:', '  default_presence_config:', "    users: { usernames: ['john.smith@acme.example'] }", ''].join('\n'));
    const r = await omni(org, work.dir, ['assign', 'plan', '--file', ok, '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(log.filter((l) => /LIKE/.test(decodeURIComponent(l.replace(/\+/g, ' '))))).toEqual([]);
  });

  it('an inactive user is never the suggestion: assign selects only active users, so it would not be accepted', async () => {
    // README (assignment files): "Only active users are selected; inactive ones are reported."
    await createUser(org, 'kim.lee@acme.example.uat', { IsActive: false });
    await createUser(org, 'max.mustermann@acme.example.uat', { IsActive: false });
    await createUser(org, 'max.mustermann@acme.example.uat2');
    const f = join(work.dir, 'inactive.yaml');
    writeFileSync(f, ['presenceConfigurations:', '  default_presence_config:', "    users: { usernames: ['kim.lee@acme.example', 'max.mustermann@acme.example'] }", ''].join('\n'));
    const r = await omni(org, work.dir, ['assign', 'plan', '--file', f, '--json']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.json.result.conflicts.map((c: { message: string }) => c.message).sort()).toEqual([
      'No user with username "kim.lee@acme.example" in the org.',
      'No user with username "max.mustermann@acme.example" in the org. Did you mean "max.mustermann@acme.example.uat2"?',
    ]);
  });

  it('5,000 unknown usernames: the suggestions take a handful of requests, not one each', async () => {
    await createUser(org, 'not.here.7@prod.example.uat');
    const csv = join(work.dir, 'unknown.csv');
    writeFileSync(csv, ['username,presenceConfig', ...Array.from({ length: 5000 }, (_, i) => `not.here.${i}@prod.example,default_presence_config`)].join('\n') + '\n');
    org.resetStats();
    log.length = 0;
    const r = await omni(org, work.dir, ['assign', 'plan', '--csv', csv, '--json']);
    expect(r.code).toBe(1);
    const conflicts = r.json.data?.conflicts ?? r.json.result?.conflicts;
    expect(conflicts).toHaveLength(5000);
    expect(conflicts.filter((c: { message: string }) => c.message.includes('Did you mean')).map((c: { message: string }) => c.message)).toEqual([
      'No user with username "not.here.7@prod.example" in the org. Did you mean "not.here.7@prod.example.uat"?',
    ]);
    const likeReads = log.filter((l) => /LIKE/.test(decodeURIComponent(l.replace(/\+/g, ' '))));
    // The first 1,000 get a suggestion read: at most 200 LIKE conditions to a query (each under the URI
    // limit), 5 queries to a Composite request.
    expect(likeReads.length).toBeGreaterThan(1);
    expect(likeReads.length).toBeLessThanOrEqual(5);
    expect(org.stats().total, JSON.stringify(org.stats().byEndpoint)).toBeLessThanOrEqual(12);
  }, 60_000);
});
