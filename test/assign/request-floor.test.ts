/**
 * Requests at the floor, counted by the local org's own request log: a Bulk 2.0 insert whose job reports
 * no failed and no unprocessed record costs create, upload, close, its polls and successfulResults — never
 * failedResults or unprocessedrecords.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedUsername } from '../../local-org/index.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omni, tempDir } from './helpers.ts';

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('Bulk 2.0 insert requests', () => {
  it('2,500 creates: one job, and no request for result sets the job reports empty', async () => {
    const log: string[] = [];
    const org = await startTestOrg({ seedUsers: 2500, log: (line) => log.push(line) });
    const work = tempDir();
    cleanups.push(() => org.stop(), work.cleanup);
    org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg', MasterLabel: 'cfg', Capacity: 3 }, { system: true });
    writeFileSync(join(work.dir, 'u.csv'), ['username,presenceConfig', ...Array.from({ length: 2500 }, (_, i) => `${seedUsername(i + 1)},cfg`)].join('\n') + '\n');
    log.length = 0;
    const r = await omni(org, work.dir, ['assign', 'apply', '--csv', 'u.csv', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.summary).toMatchObject({ done: 2500, failed: 0 });
    const ingest = log.filter((l) => l.includes('/jobs/ingest')).map((l) => l.replace(/\/jobs\/ingest\/\w+/, '/jobs/ingest/ID').split(' ').slice(0, 2).join(' '));
    const count = (request: string) => ingest.filter((l) => l === request).length;
    expect(count('POST /services/data/v67.0/jobs/ingest')).toBe(1);
    expect(ingest.filter((l) => l.startsWith('PUT ')).length).toBe(1);
    expect(ingest.filter((l) => l.startsWith('PATCH ')).length).toBe(1);
    expect(ingest.filter((l) => l.endsWith('/successfulResults')).length).toBe(1);
    expect(ingest.filter((l) => l.endsWith('/failedResults') || l.endsWith('/unprocessedrecords'))).toEqual([]);
    expect([...org.store.all('PresenceUserConfigUser')].length).toBe(2500);
  }, 60_000);
});
