/**
 * The run's read cache (scripts/org/read-cache.ts) against the local org: a query asked again is answered
 * without a request — also under another API version — until a write passes through the connection or the
 * caller invalidates it; every hit is a copy of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/index.ts';
import { connectOrg, type OrgSession } from '../../scripts/org/connection.ts';
import { cacheReads } from '../../scripts/org/read-cache.ts';
import { compositeReader } from '../../scripts/org/composite-query.ts';
import { startTestOrg } from '../helpers/local-org.ts';

let org: LocalOrg;
let session: OrgSession;
beforeAll(async () => {
  org = await startTestOrg();
  session = await connectOrg({ instanceUrl: org.instanceUrl, env: { SF_ACCESS_TOKEN: org.accessToken } });
  cacheReads(session.connection);
});
afterAll(async () => {
  await org.stop();
});

const REASONS = "SELECT DeveloperName FROM PresenceDeclineReason WHERE DeveloperName LIKE 'Cache_%'";

describe('cacheReads', () => {
  it('the same query twice: one request; a write through the connection: read again', async () => {
    org.resetStats();
    const first = await session.connection.query(REASONS);
    const again = await session.connection.query(REASONS);
    expect(again.records).toEqual(first.records);
    expect(org.stats().byEndpoint).toEqual({ query: 1 });
    await session.connection.sobject('PresenceDeclineReason').create({ DeveloperName: 'Cache_One', MasterLabel: 'Cache one' });
    const after = await session.connection.query<{ DeveloperName: string }>(REASONS);
    expect(after.records.map((r) => r.DeveloperName)).toEqual(['Cache_One']);
    expect(org.stats().byEndpoint.query).toBe(2);
  });

  it('a write the connection does not see (another client): invalidate() makes the next read fresh', async () => {
    const cache = cacheReads(session.connection);
    await session.connection.query(REASONS);
    org.store.insert('PresenceDeclineReason', { DeveloperName: 'Cache_Two', MasterLabel: 'Cache two' });
    expect((await session.connection.query(REASONS)).records).toHaveLength(1);
    cache.invalidate();
    expect((await session.connection.query(REASONS)).records).toHaveLength(2);
  });

  it('queries asked together share one composite request; each caller gets its own answer, errors included', async () => {
    cacheReads(session.connection).invalidate();
    org.resetStats();
    const [reasons, profiles, bad] = await Promise.allSettled([
      session.connection.query<{ DeveloperName: string }>(REASONS),
      session.connection.query<{ Name: string }>("SELECT Name FROM Profile WHERE Name = 'System Administrator'"),
      session.connection.query('SELECT Id FROM NoSuchObject__x'),
    ]);
    expect(reasons.status === 'fulfilled' && reasons.value.records.map((r) => r.DeveloperName)).toEqual(['Cache_One', 'Cache_Two']);
    expect(profiles.status === 'fulfilled' && profiles.value.records.map((r) => r.Name)).toEqual(['System Administrator']);
    expect(bad).toMatchObject({ status: 'rejected', reason: { errorCode: 'INVALID_TYPE' } });
    expect(org.stats().byEndpoint).toEqual({ composite: 1 });
  });

  it('a composite of queries shares the facts of plain queries: read ones answered from the cache, the rest sent, errors per subrequest', async () => {
    const cache = cacheReads(session.connection);
    cache.invalidate();
    org.resetStats();
    await session.connection.query(REASONS);
    const hits = cache.hits;
    const reader = compositeReader(session.connection);
    const ask = () =>
      Promise.allSettled([
        reader.query<{ DeveloperName: string }>(REASONS),
        reader.query<{ Name: string }>("SELECT Name FROM Profile WHERE Name = 'System Administrator'"),
        reader.query('SELECT Id FROM NoSuchObject__y'),
      ]);
    const [reasons, profiles, bad] = await ask();
    expect(reasons.status === 'fulfilled' && reasons.value.map((r) => r.DeveloperName)).toEqual(['Cache_One', 'Cache_Two']);
    expect(profiles.status === 'fulfilled' && profiles.value.map((r) => r.Name)).toEqual(['System Administrator']);
    expect(bad).toMatchObject({ status: 'rejected', reason: { errorCode: 'INVALID_TYPE' } });
    // The reasons were read by the plain query: the composite carried only the two others.
    expect(cache.hits).toBe(hits + 1);
    expect(org.stats().byEndpoint).toEqual({ query: 1, composite: 1 });
    // Asked again: the profile answer is known; the failed query is asked again (failures are not kept).
    const [, again] = await ask();
    expect(again.status === 'fulfilled' && again.value.map((r) => r.Name)).toEqual(['System Administrator']);
    expect(org.stats().byEndpoint).toEqual({ query: 1, composite: 2 });
  });

  it('keyed without the API version; each hit its own copy', async () => {
    const cache = cacheReads(session.connection);
    const version = session.connection.getApiVersion();
    cache.invalidate();
    org.resetStats();
    const a = await session.connection.query<{ DeveloperName: string }>(REASONS);
    a.records[0].DeveloperName = 'changed by a caller';
    session.connection.setApiVersion('66.0');
    try {
      const b = await session.connection.query<{ DeveloperName: string }>(REASONS);
      expect(b.records.map((r) => r.DeveloperName)).toEqual(['Cache_One', 'Cache_Two']);
    } finally {
      session.connection.setApiVersion(version);
    }
    expect(org.stats().byEndpoint).toEqual({ query: 1 });
    expect(cache.hits).toBeGreaterThanOrEqual(1);
  });
});

describe('cacheReads over a slow link (100 ms a request)', () => {
  let slow: LocalOrg;
  let conn: OrgSession['connection'];
  beforeAll(async () => {
    slow = await startTestOrg({ latencyMs: 100 });
    conn = (await connectOrg({ instanceUrl: slow.instanceUrl, env: { SF_ACCESS_TOKEN: slow.accessToken } })).connection;
    cacheReads(conn);
  });
  afterAll(async () => {
    await slow.stop();
  });

  it('a query asked while a gathered request is on its way waits for its answer and travels with the query that answer starts', async () => {
    slow.resetStats();
    // A chain: the second query is asked when the first one's answer is in.
    const chain = conn.query("SELECT Id FROM Profile WHERE Name = 'System Administrator'").then(() => conn.query('SELECT Id FROM User'));
    // Well after the first request left (gathering window 15 ms), well before its answer (100 ms).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const other = conn.query('SELECT Id FROM ServicePresenceStatus');
    await other;
    const users = (await chain) as { records: unknown[] };
    expect(users.records.length).toBeGreaterThan(0);
    // Without waiting: three GETs. With it: the first GET, then one composite for the two others.
    expect(slow.stats().byEndpoint).toEqual({ query: 1, composite: 1 });
  });
});
