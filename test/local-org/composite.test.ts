/**
 * The local org's REST Composite resource, as "allOrNone Parameters in Composite and Collections Requests"
 * documents it: with allOrNone true the whole request is one transaction (a failing record of a
 * Collections subrequest rolls back every subrequest; the others report PROCESSING_HALTED); with false each
 * subrequest stands alone. Also the invariant counter (fewest configured users between requests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { api, dataPath, startTestOrg } from '../helpers/local-org.ts';

let org: LocalOrg;
let cfgA: string;
let cfgB: string;
let agents: string[];

beforeAll(async () => {
  org = await startTestOrg({ seedUsers: 20 });
  cfgA = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_a', MasterLabel: 'A', Capacity: 3 }, { system: true }).Id;
  cfgB = org.store.insert('PresenceUserConfig', { DeveloperName: 'cfg_b', MasterLabel: 'B', Capacity: 3 }, { system: true }).Id;
  agents = [...org.store.all('User')].filter((u) => String(u.Username).startsWith('seed.')).map((u) => String(u.Id));
});
afterAll(async () => {
  await org?.stop();
});

function rowsOf(userIds: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>(userIds.map((id) => [id, []]));
  for (const r of org.store.all('PresenceUserConfigUser')) out.get(String(r.UserId))?.push(String(r.PresenceUserConfigId));
  return out;
}

function assign(userIds: string[], config: string): string[] {
  return userIds.map((id) => org.store.insert('PresenceUserConfigUser', { UserId: id, PresenceUserConfigId: config }, { system: true }).Id);
}

/** The move the assign engine sends: delete the old rows and create the new ones in one request. */
function moveRequest(allOrNone: boolean, oldRowIds: string[], userIds: string[], config: string) {
  return {
    allOrNone,
    compositeRequest: [
      { method: 'DELETE', url: dataPath(`/composite/sobjects?ids=${oldRowIds.join(',')}&allOrNone=false`), referenceId: 'oldRows' },
      {
        method: 'POST',
        url: dataPath('/composite/sobjects'),
        referenceId: 'newRows',
        body: { allOrNone: false, records: userIds.map((id) => ({ attributes: { type: 'PresenceUserConfigUser' }, UserId: id, PresenceUserConfigId: config })) },
      },
    ],
  };
}

describe('POST /composite', () => {
  it('moves users atomically: delete and create in one transaction, the invariant never drops', async () => {
    const users = agents.slice(0, 5);
    const old = assign(users, cfgA);
    const before = await api(org, 'POST', '/__local/invariant/reset');
    expect(before.body.minConfiguredUsers).toBe(5);
    const r = await api(org, 'POST', dataPath('/composite'), moveRequest(true, old, users, cfgB));
    expect(r.status).toBe(200);
    const [del, create] = r.body.compositeResponse;
    expect(del).toMatchObject({ referenceId: 'oldRows', httpStatusCode: 200 });
    expect(del.body).toHaveLength(5);
    expect(del.body.every((x: any) => x.success)).toBe(true);
    expect(create).toMatchObject({ referenceId: 'newRows', httpStatusCode: 200 });
    expect(create.body.every((x: any) => x.success && /^0Ne/.test(x.id))).toBe(true);
    expect([...rowsOf(users).values()]).toEqual(users.map(() => [cfgB]));
    const inv = await api(org, 'GET', '/__local/invariant');
    expect(inv.body).toEqual({ configuredUsers: 5, minConfiguredUsers: 5 });
  });

  it('allOrNone true: one failing record rolls back every subrequest (the others PROCESSING_HALTED), nothing changes', async () => {
    const users = agents.slice(5, 9);
    const old = assign(users, cfgA);
    // The last record names a user that does not exist: the create fails for that record only.
    const request = moveRequest(true, old, users, cfgB);
    (request.compositeRequest[1].body as any).records[3].UserId = '005000000000000AAA';
    const r = await api(org, 'POST', dataPath('/composite'), request);
    expect(r.status).toBe(200);
    const [del, create] = r.body.compositeResponse;
    expect(del.httpStatusCode).toBe(400);
    expect(del.body).toEqual([{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }]);
    expect(create.httpStatusCode).toBe(400);
    expect(create.body[3].success).toBe(false);
    expect(create.body[3].errors[0].statusCode).not.toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    for (const i of [0, 1, 2]) expect(create.body[i]).toMatchObject({ success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }] });
    // The deletes were undone: everybody still holds cfg_a, with the same row ids.
    expect([...rowsOf(users).values()]).toEqual(users.map(() => [cfgA]));
    expect(old.every((id) => org.store.get(id))).toBe(true);
  });

  it('allOrNone false: each subrequest stands alone (Collections per their own flag)', async () => {
    const users = agents.slice(9, 12);
    const old = assign(users, cfgA);
    const request = moveRequest(false, old, users, cfgB);
    (request.compositeRequest[1].body as any).records[2].UserId = '005000000000000AAA';
    const r = await api(org, 'POST', dataPath('/composite'), request);
    const [del, create] = r.body.compositeResponse;
    expect(del.httpStatusCode).toBe(200);
    expect(create.body.filter((x: any) => x.success)).toHaveLength(2);
    const now = rowsOf(users);
    expect(now.get(users[0])).toEqual([cfgB]);
    expect(now.get(users[2])).toEqual([]);
  });

  it('resolves @{reference} values from earlier subrequests and halts dependents of a failed one', async () => {
    const user = agents[12];
    const r = await api(org, 'POST', dataPath('/composite'), {
      allOrNone: false,
      compositeRequest: [
        { method: 'POST', url: dataPath('/sobjects/PresenceUserConfigUser'), referenceId: 'row', body: { UserId: user, PresenceUserConfigId: cfgA } },
        { method: 'GET', url: dataPath('/sobjects/PresenceUserConfigUser/@{row.id}?fields=UserId'), referenceId: 'readBack' },
        { method: 'POST', url: dataPath('/sobjects/PresenceUserConfigUser'), referenceId: 'dup', body: { UserId: user, PresenceUserConfigId: cfgB } },
        { method: 'GET', url: dataPath('/sobjects/PresenceUserConfigUser/@{dup.id}'), referenceId: 'afterDup' },
      ],
    });
    const [row, readBack, dup, afterDup] = r.body.compositeResponse;
    expect(row.httpStatusCode).toBe(201);
    expect(readBack).toMatchObject({ httpStatusCode: 200, body: { UserId: user } });
    expect(dup.httpStatusCode).toBe(400);
    expect(afterDup.httpStatusCode).toBe(400);
    expect(afterDup.body[0].errorCode).toBe('PROCESSING_HALTED');
  });

  it('enforces the documented limits: 25 subrequests, 5 Collections', async () => {
    const many = Array.from({ length: 26 }, (_, i) => ({ method: 'GET', url: dataPath(`/sobjects/User/${agents[0]}`), referenceId: `r${i}` }));
    const tooMany = await api(org, 'POST', dataPath('/composite'), { allOrNone: false, compositeRequest: many });
    expect(tooMany.status).toBe(400);
    const collections = Array.from({ length: 6 }, (_, i) => ({ method: 'DELETE', url: dataPath(`/composite/sobjects?ids=${agents[0]}`), referenceId: `c${i}` }));
    const tooManyCollections = await api(org, 'POST', dataPath('/composite'), { allOrNone: false, compositeRequest: collections });
    expect(tooManyCollections.status).toBe(400);
    expect(tooManyCollections.body[0].errorCode).toBe('LIMIT_EXCEEDED');
  });

  it('[F-60] query and Query More subrequests: 5 pages of one query in one call (@{ref.nextRecordsUrl}), a done query halts its follower', async () => {
    const soql = encodeURIComponent('SELECT Id, Username FROM User ORDER BY Username');
    const pages = [
      { method: 'GET', url: dataPath(`/query?q=${soql}`), referenceId: 'p0', httpHeaders: { 'Sforce-Query-Options': 'batchSize=200' } },
      ...[1, 2, 3, 4].map((i) => ({ method: 'GET', url: `@{p${i - 1}.nextRecordsUrl}`, referenceId: `p${i}` })),
    ];
    org.resetStats();
    const before = (await api(org, 'GET', dataPath('/limits'))).body.DailyApiRequests.Remaining;
    // 31 users (11 seeded + 20): pages of 200 end after the first, so p1 has no nextRecordsUrl to follow.
    const small = await api(org, 'POST', dataPath('/composite'), { allOrNone: false, compositeRequest: pages });
    expect(small.status).toBe(200);
    const [first, second] = small.body.compositeResponse;
    expect(first).toMatchObject({ httpStatusCode: 200, body: { totalSize: org.store.count('User'), done: true } });
    expect(first.body.records.map((r: any) => r.Username)).toEqual([...org.store.all('User')].map((u) => String(u.Username)).sort());
    expect(second.httpStatusCode).toBe(400);
    expect(second.body[0]).toMatchObject({ errorCode: 'PROCESSING_HALTED' });
    expect(second.body[0].message).toContain('Invalid reference specified');
    // One API call whatever the subrequests (the /limits read is not counted by itself on Salesforce either way).
    const after = (await api(org, 'GET', dataPath('/limits'))).body.DailyApiRequests.Remaining;
    expect(before - after).toBe(2);
    expect(org.stats().byEndpoint.composite).toBe(1);
  });

  it('[F-60] Query More by a literal nextRecordsUrl and queryAll; a sixth query operation is refused', async () => {
    const big = await startTestOrg({ seedUsers: 4500 });
    try {
      const soql = encodeURIComponent('SELECT Id FROM User');
      const chain = [{ method: 'GET', url: dataPath(`/query?q=${soql}`), referenceId: 'u0' }, { method: 'GET', url: '@{u0.nextRecordsUrl}', referenceId: 'u1' }];
      const r = await api(big, 'POST', dataPath('/composite'), { allOrNone: false, compositeRequest: chain });
      const [u0, u1] = r.body.compositeResponse;
      expect(u0.body).toMatchObject({ totalSize: 4511, done: false });
      expect(u0.body.records).toHaveLength(2000);
      expect(u1.body).toMatchObject({ done: false });
      expect(u1.body.records).toHaveLength(2000);
      // The third page by its literal locator, beside a queryAll.
      const rest = await api(big, 'POST', dataPath('/composite'), {
        allOrNone: false,
        compositeRequest: [
          { method: 'GET', url: u1.body.nextRecordsUrl, referenceId: 'u2' },
          { method: 'GET', url: dataPath(`/queryAll?q=${encodeURIComponent('SELECT Id FROM PresenceUserConfig')}`), referenceId: 'all' },
        ],
      });
      const [u2, all] = rest.body.compositeResponse;
      expect(u2.body).toMatchObject({ done: true });
      expect(u2.body.records).toHaveLength(511);
      const ids = new Set([...u0.body.records, ...u1.body.records, ...u2.body.records].map((x: any) => x.Id));
      expect(ids.size).toBe(4511);
      expect(all).toMatchObject({ httpStatusCode: 200, body: { done: true } });
      // Five query operations at most, Query More written as a reference included.
      const six = [{ method: 'GET', url: dataPath(`/query?q=${soql}`), referenceId: 'q0', httpHeaders: { 'Sforce-Query-Options': 'batchSize=200' } }, ...[1, 2, 3, 4, 5].map((i) => ({ method: 'GET', url: `@{q${i - 1}.nextRecordsUrl}`, referenceId: `q${i}` }))];
      const refused = await api(big, 'POST', dataPath('/composite'), { allOrNone: false, compositeRequest: six });
      const answers = refused.body.compositeResponse;
      expect(answers.slice(0, 5).map((a: any) => a.httpStatusCode)).toEqual([200, 200, 200, 200, 200]);
      expect(answers[4].body.records).toHaveLength(200);
      expect(answers[5].httpStatusCode).toBe(400);
      expect(answers[5].body[0].errorCode).toBe('LIMIT_EXCEEDED');
    } finally {
      await big.stop();
    }
  }, 60_000);

  it('the invariant counter sees a two-request move (delete, then create) drop to zero between the requests', async () => {
    const users = agents.slice(13, 18);
    const old = assign(users, cfgA);
    await api(org, 'POST', '/__local/invariant/reset');
    const start = org.invariant().configuredUsers;
    await api(org, 'DELETE', dataPath(`/composite/sobjects?ids=${old.join(',')}&allOrNone=false`));
    await api(org, 'POST', dataPath('/composite/sobjects'), { allOrNone: false, records: users.map((id) => ({ attributes: { type: 'PresenceUserConfigUser' }, UserId: id, PresenceUserConfigId: cfgB })) });
    expect(org.invariant()).toEqual({ configuredUsers: start, minConfiguredUsers: start - 5 });
  });
});
