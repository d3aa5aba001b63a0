/**
 * compositeReader against the local org: queries asked together share composite requests (5 query
 * subrequests each, the documented limit), later pages come as Query More subrequests, the same query
 * asked twice is sent once, and a failing subrequest rejects only its own query, with jsforce's error shape;
 * sendQueryChains (the wire every batched read shares): chained pages, the fallback below API 42.0, the limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/index.ts';
import { compositeReader, sendQueryChains, type PageResult, type RestRequest } from '../../scripts/org/composite-query.ts';
import { connectOrg, type OrgSession } from '../../scripts/org/connection.ts';
import { startTestOrg } from '../helpers/local-org.ts';

let org: LocalOrg;
let session: OrgSession;
beforeAll(async () => {
  org = await startTestOrg({ seedUsers: 4500 });
  session = await connectOrg({ instanceUrl: org.instanceUrl, env: { SF_ACCESS_TOKEN: org.accessToken } });
});
afterAll(async () => {
  await org.stop();
});

describe('compositeReader', () => {
  it('seven queries asked together: two composite requests, each query answered with its own rows', async () => {
    const reader = compositeReader(session.connection);
    org.resetStats();
    const names = ['agent01', 'agent02', 'agent03', 'agent04', 'agent05', 'agent06', 'agent07'];
    const rows = await Promise.all(names.map((n) => reader.query<{ Username: string }>(`SELECT Username FROM User WHERE Username = '${n}@omni.local'`)));
    expect(rows.map((r) => r.map((u) => u.Username))).toEqual(names.map((n) => [`${n}@omni.local`]));
    expect(org.stats().byEndpoint).toEqual({ composite: 2 });
    expect(org.stats().writes).toBe(0);
  });

  it('a query of more than one page: every row, the later pages as Query More subrequests', async () => {
    const reader = compositeReader(session.connection);
    const expected = [...org.store.all('User')].length;
    org.resetStats();
    const users = await reader.query<{ Id: string }>('SELECT Id FROM User');
    expect(users).toHaveLength(expected);
    expect(new Set(users.map((u) => u.Id)).size).toBe(expected);
    // 2,000 rows a page (the org's default batch size): one composite per page, no plain query request.
    expect(org.stats().byEndpoint).toEqual({ composite: Math.ceil(expected / 2000) });
  });

  it('a session below API 42.0 (no Composite resource) queries one by one', async () => {
    const version = session.connection.getApiVersion();
    session.connection.setApiVersion('41.0');
    try {
      const reader = compositeReader(session.connection);
      org.resetStats();
      const rows = await Promise.all(['agent01', 'agent02', 'agent03'].map((n) => reader.query<{ Username: string }>(`SELECT Username FROM User WHERE Username = '${n}@omni.local'`)));
      expect(rows.map((r) => r.length)).toEqual([1, 1, 1]);
      expect(org.stats().byEndpoint).toEqual({ query: 3 });
    } finally {
      session.connection.setApiVersion(version);
    }
  });

  it('the same query asked twice in one turn is sent once; a failing one rejects alone, as jsforce names it', async () => {
    const reader = compositeReader(session.connection);
    org.resetStats();
    const [a, b, bad] = await Promise.allSettled([
      reader.query('SELECT Id FROM Profile'),
      reader.query('SELECT Id FROM Profile'),
      reader.query('SELECT Id FROM NoSuchObject__x'),
    ]);
    expect(a.status).toBe('fulfilled');
    expect(b).toEqual(a);
    expect(bad.status).toBe('rejected');
    expect((bad as PromiseRejectedResult).reason).toMatchObject({ name: 'INVALID_TYPE', errorCode: 'INVALID_TYPE' });
    expect(org.stats().byEndpoint).toEqual({ composite: 1 });
  });
});

describe('sendQueryChains (the one wire of batched reads: deploy checks, read cache, assign)', () => {
  const send = (request: RestRequest) => session.connection.request(request as never) as Promise<unknown>;
  const ids = (results: PageResult[]) => results.flatMap((r) => (r.page?.records ?? []).map((u) => (u as { Id: string }).Id));
  const codes = (results: PageResult[]) => results.map((r) => (r.error ? r.error.name : 'page'));

  it('later pages chained in the same request; a page past the last answers PROCESSING_HALTED', async () => {
    const expected = [...org.store.all('User')].length;
    const pages = Math.ceil(expected / 2000);
    org.resetStats();
    const version = session.connection.getApiVersion();
    const [users, one] = await sendQueryChains(send, version, [
      { url: `/services/data/v${version}/query?q=${encodeURIComponent('SELECT Id FROM User')}`, pages: pages + 1 },
      { url: `/services/data/v${version}/query?q=${encodeURIComponent("SELECT Id FROM User WHERE Username = 'agent01@omni.local'")}` },
    ]);
    expect(org.stats().byEndpoint).toEqual({ composite: 1 });
    expect(new Set(ids(users)).size).toBe(expected);
    expect(codes(users)).toEqual([...Array(pages).fill('page'), 'PROCESSING_HALTED']);
    expect(ids(one)).toHaveLength(1);
  });

  it('below API 42.0: one GET per page, the same answers', async () => {
    const expected = [...org.store.all('User')].length;
    const pages = Math.ceil(expected / 2000);
    org.resetStats();
    const [users] = await sendQueryChains(send, '41.0', [{ url: `/services/data/v41.0/query?q=${encodeURIComponent('SELECT Id FROM User')}`, pages: pages + 1 }]);
    expect(org.stats().byEndpoint).toEqual({ query: pages });
    expect(new Set(ids(users)).size).toBe(expected);
    expect(codes(users)).toEqual([...Array(pages).fill('page'), 'PROCESSING_HALTED']);
  });

  it('refuses more than 5 query operations in one request, before sending anything', async () => {
    org.resetStats();
    await expect(sendQueryChains(send, '62.0', [{ url: '/services/data/v62.0/query?q=x', pages: 3 }, { url: '/services/data/v62.0/query?q=y', pages: 3 }])).rejects.toThrow(RangeError);
    expect(org.stats().total).toBe(0);
  });
});
