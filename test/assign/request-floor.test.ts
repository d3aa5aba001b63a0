/**
 * Requests at the floor, counted by the local org's own request log: a Bulk 2.0 insert whose job reports
 * every record processed and none failed costs create, upload, close and its polls — no result set (the
 * journal keeps subjects, not row Ids). A job with failures fetches the sets it needs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedUsername } from '../../local-org/index.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omni, tempDir, userId, userRows } from './helpers.ts';

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('Bulk 2.0 insert requests', () => {
  it('2,500 creates: one job, and no result set fetched when the job reports every record done', async () => {
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
    expect(ingest.filter((l) => /\/(successfulResults|failedResults|unprocessedrecords)$/.test(l))).toEqual([]);
    expect([...org.store.all('PresenceUserConfigUser')].length).toBe(2500);
  }, 60_000);

  it('a job with failed records: the result sets are fetched, the failures re-read and reported, the rest done', async () => {
    const log: string[] = [];
    const holders: Array<[number, string]> = [];
    const org = await startTestOrg({
      seedUsers: 2500,
      log: (line) => {
        log.push(line);
        // Someone else gives three agents a configuration between the upload and the close: their inserts fail.
        if (/^PUT \S+\/batches 201/.test(line)) for (const [n, cfgId] of holders) org.store.insert('PresenceUserConfigUser', { UserId: userId(org, seedUsername(n)), PresenceUserConfigId: cfgId }, { system: true });
      },
    });
    const work = tempDir();
    cleanups.push(() => org.stop(), work.cleanup);
    const cfg = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg', MasterLabel: 'cfg', Capacity: 3 }, { system: true }).Id as string;
    const other = org.store.insert('PresenceUserConfig', { DeveloperName: 'other', MasterLabel: 'other', Capacity: 3 }, { system: true }).Id as string;
    holders.push([10, cfg], [20, cfg], [30, other]);
    writeFileSync(join(work.dir, 'u.csv'), ['username,presenceConfig', ...Array.from({ length: 2500 }, (_, i) => `${seedUsername(i + 1)},cfg`)].join('\n') + '\n');
    log.length = 0;
    const r = await omni(org, work.dir, ['assign', 'apply', '--csv', 'u.csv', '--json']);
    expect(r.code, r.stdout).toBe(68);
    expect(r.json.result.summary).toMatchObject({ done: 2499, failed: 1 });
    expect(r.json.result.failures.map((f: any) => `${f.name} ${f.errorCode}`)).toEqual([`${seedUsername(30)} CONCURRENT_CHANGE`]);
    const ingest = log.filter((l) => l.includes('/jobs/ingest/')).map((l) => l.split(' ')[1].replace(/.*\/jobs\/ingest\/\w+/, ''));
    expect(ingest.filter((l) => l === '/successfulResults')).toHaveLength(1);
    expect(ingest.filter((l) => l === '/failedResults')).toHaveLength(1);
    const rows = userRows(org);
    expect(Array.from({ length: 2500 }, (_, i) => rows.get(userId(org, seedUsername(i + 1)))?.join()).filter((held) => held !== cfg)).toEqual([other]);
  }, 60_000);
});
