/**
 * The plan's batched reads (scripts/assign/batch-query.ts) against the local org: independent queries share
 * Composite requests of ≤ 5 query operations, a query's later pages are chained Query More subrequests in one
 * request, a query the org refuses reports its error without failing the others, a page limit stops a scan
 * after its first page, and a Bulk API 2.0 query job reads the same rows in create + poll + results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/index.ts';
import { OrgApi } from '../../scripts/assign/api.ts';
import { runQueries } from '../../scripts/assign/batch-query.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { sessionFor } from './helpers.ts';

let org: LocalOrg;
let api: OrgApi;
const log: string[] = [];

beforeAll(async () => {
  // 11 seeded users + 8,989 = 9,000: five pages of 2,000.
  org = await startTestOrg({ seedUsers: 8989, log: (line) => log.push(line) });
  api = new OrgApi((await sessionFor(org)).connection);
}, 60_000);
afterAll(async () => {
  await org?.stop();
});

const allUsernames = () => [...org.store.all('User')].map((u) => String(u.Username)).sort();

describe('runQueries', () => {
  it('five pages of one query and two other queries: two Composite requests, every row once, the bad query reports its error', async () => {
    org.resetStats();
    log.length = 0;
    const [users, configs, bad] = await runQueries<[{ Username: string }, { Id: string }, unknown]>(api, [
      { soql: 'SELECT Id, Username FROM User', pages: 5 },
      { soql: 'SELECT Id FROM PresenceUserConfig' },
      { soql: 'SELECT NoSuchField__c FROM User' },
    ]);
    expect(users.error).toBeUndefined();
    expect(users.totalSize).toBe(9000);
    expect(users.rows.map((u) => u.Username).sort()).toEqual(allUsernames());
    expect(configs.error).toBeUndefined();
    expect(bad.error?.code).toBe('INVALID_FIELD');
    const s = org.stats();
    expect(s.total).toBe(2);
    expect(s.byEndpoint.composite).toBe(2);
    // The pages after the first are Query More subrequests written as references to the page before.
    expect(log.filter((l) => /^ {2}composite GET @\{q\d+p\d+\.nextRecordsUrl\}/.test(l))).toHaveLength(4);
  });

  it('streams pages through onRows (nothing kept in rows) and stops a scan over its page limit after the first page', async () => {
    const seen: string[] = [];
    const [streamed, limited] = await runQueries<[{ Username: string }, unknown]>(api, [
      { soql: 'SELECT Username FROM User', pages: 5, onRows: (rows) => seen.push(...rows.map((r) => r.Username)) },
      { soql: 'SELECT Id FROM User', maxPages: 2 },
    ]);
    expect(streamed.rows).toEqual([]);
    expect(seen.sort()).toEqual(allUsernames());
    expect(limited.tooLarge).toBe(true);
    expect(limited.totalSize).toBe(9000);
    expect(limited.rows).toEqual([]);
  });

  it('a page limit asked as a question: once, with the pages the first page announces; yes stops the scan, no reads it all', async () => {
    const asked: number[] = [];
    const [refused, allowed] = await runQueries<[unknown, { Id: string }]>(api, [
      { soql: 'SELECT Id FROM User', tooLarge: (pages) => (asked.push(pages), true) },
      { soql: 'SELECT Id, Username FROM User', tooLarge: (pages) => (asked.push(pages), false) },
    ]);
    expect(asked).toEqual([5, 5]);
    expect(refused).toMatchObject({ tooLarge: true, totalSize: 9000, rows: [] });
    expect(allowed.tooLarge).toBeUndefined();
    expect(allowed.rows).toHaveLength(9000);
  });

  it('a Bulk API 2.0 query job reads the same rows: create, poll, one CSV page', async () => {
    org.resetStats();
    const [users] = await runQueries<[{ Id: string; Username: string; IsActive: boolean }]>(api, [
      { soql: 'SELECT Id, Username, IsActive FROM User', bulk: { fromCsv: (value) => ({ Id: value('Id'), Username: value('Username'), IsActive: value('IsActive') === 'true' }) } },
    ]);
    expect(users.error).toBeUndefined();
    expect(users.totalSize).toBe(9000);
    expect(users.rows.map((u) => u.Username).sort()).toEqual(allUsernames());
    expect(users.rows.every((u) => typeof u.IsActive === 'boolean')).toBe(true);
    const s = org.stats();
    expect(s.byEndpoint['bulk2/query']).toBeGreaterThanOrEqual(3);
    expect(s.byEndpoint['bulk2/query']).toBeLessThanOrEqual(5);
    expect(s.byEndpoint.composite).toBeUndefined();
  });
});
