import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jsforce from 'jsforce';
import type { LocalOrg } from '../../local-org/server.ts';
import { api, API_VERSION, dataPath, startTestOrg } from '../helpers/local-org.ts';

let org: LocalOrg;
const logLines: string[] = [];

beforeAll(async () => {
  org = await startTestOrg({ seedUsers: 10_000, log: (line) => logLines.push(line) });
});
afterAll(async () => {
  await org?.stop();
});

function connection(): jsforce.Connection {
  return new jsforce.Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: API_VERSION });
}

async function defaultConfigId(): Promise<string> {
  const r = await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent("SELECT Id FROM PresenceUserConfig WHERE DeveloperName = 'default_presence_config'")}`));
  return r.body.records[0].Id;
}

async function userId(username: string): Promise<string> {
  const r = await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent(`SELECT Id FROM User WHERE Username = '${username}'`)}`));
  return r.body.records[0].Id;
}

describe('OAuth', () => {
  it('answers userinfo and identity for the issued token', async () => {
    const info = await api(org, 'GET', '/services/oauth2/userinfo');
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ user_id: org.userId, organization_id: org.orgId, preferred_username: org.username });
    const id = await api(org, 'GET', `/id/${org.orgId}/${org.userId}`);
    expect(id.body).toMatchObject({ username: org.username, user_id: org.userId });
  });

  it('issues tokens for the password and refresh_token grants and rejects bad ones', async () => {
    const post = (form: Record<string, string>) =>
      fetch(`${org.instanceUrl}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    const password = await post({ grant_type: 'password', username: org.username, password: org.password, client_id: 'x' });
    const granted = (await password.json()) as Record<string, string>;
    expect(password.status).toBe(200);
    expect(granted).toMatchObject({ instance_url: org.instanceUrl, token_type: 'Bearer', refresh_token: org.refreshToken });
    expect((await api(org, 'GET', dataPath('/limits'), undefined, granted.access_token)).status).toBe(200);
    const refreshed = (await (await post({ grant_type: 'refresh_token', refresh_token: org.refreshToken, client_id: 'x' })).json()) as Record<string, string>;
    expect(refreshed.access_token).toBeTruthy();
    expect(refreshed.access_token).not.toBe(granted.access_token);
    const wrong = await post({ grant_type: 'password', username: org.username, password: 'wrong' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' });
  });

  it('answers 401 INVALID_SESSION_ID without a valid bearer token', async () => {
    for (const token of [null, 'bogus']) {
      const r = await api(org, 'GET', dataPath('/sobjects'), undefined, token);
      expect(r.status).toBe(401);
      expect(r.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
  });
});

describe('REST data API', () => {
  it('lists versions, resources and limits that count down', async () => {
    const versions = await api(org, 'GET', '/services/data', undefined, null);
    expect(versions.body.map((v: { version: string }) => v.version)).toContain('66.0');
    const first = (await api(org, 'GET', dataPath('/limits'))).body.DailyApiRequests;
    const second = (await api(org, 'GET', dataPath('/limits'))).body.DailyApiRequests;
    expect(second.Max).toBe(first.Max);
    expect(second.Remaining).toBe(first.Remaining - 1);
  });

  it('[F-61] every REST answer but the versions list carries Sforce-Limit-Info with the usage /limits reports', async () => {
    const headers = { authorization: `Bearer ${org.accessToken}` };
    const versions = await fetch(`${org.instanceUrl}/services/data`);
    expect(versions.headers.get('sforce-limit-info')).toBeNull();
    const limits = await fetch(org.instanceUrl + dataPath('/limits'), { headers });
    const daily = ((await limits.json()) as { DailyApiRequests: { Max: number; Remaining: number } }).DailyApiRequests;
    expect(limits.headers.get('sforce-limit-info')).toBe(`api-usage=${daily.Max - daily.Remaining}/${daily.Max}`);
    const query = await fetch(org.instanceUrl + dataPath(`/query?q=${encodeURIComponent('SELECT Id FROM Profile LIMIT 1')}`), { headers });
    expect(query.headers.get('sforce-limit-info')).toBe(`api-usage=${daily.Max - daily.Remaining + 1}/${daily.Max}`);
  });

  it('starts with the daily API budget LocalOrgOptions.dailyApiRequests asks for, still counting down, never below 0', async () => {
    const low = await startTestOrg({ dailyApiRequests: { max: 5_000, remaining: 3 } });
    try {
      const seen: unknown[] = [];
      for (let i = 0; i < 5; i++) seen.push((await api(low, 'GET', dataPath('/limits'))).body.DailyApiRequests);
      // The /limits request itself counts, as on a real org.
      expect(seen).toEqual([
        { Max: 5_000, Remaining: 2 },
        { Max: 5_000, Remaining: 1 },
        { Max: 5_000, Remaining: 0 },
        { Max: 5_000, Remaining: 0 },
        { Max: 5_000, Remaining: 0 },
      ]);
    } finally {
      await low.stop();
    }
    const onlyMax = await startTestOrg({ dailyApiRequests: { max: 100 } });
    try {
      expect((await api(onlyMax, 'GET', dataPath('/limits'))).body.DailyApiRequests).toEqual({ Max: 100, Remaining: 99 });
    } finally {
      await onlyMax.stop();
    }
  });

  it('describes objects with fields, key prefix and updateability', async () => {
    const global = await api(org, 'GET', dataPath('/sobjects'));
    expect(global.body.sobjects.find((s: { name: string }) => s.name === 'PresenceUserConfigUser')).toMatchObject({ keyPrefix: '0Ne', createable: true });
    const d = await api(org, 'GET', dataPath('/sobjects/PresenceUserConfigUser/describe'));
    const field = d.body.fields.find((f: { name: string }) => f.name === 'UserId');
    expect(field).toMatchObject({ type: 'reference', referenceTo: ['User'], relationshipName: 'User', createable: true, updateable: false });
    const status = await api(org, 'GET', dataPath('/sobjects/ServicePresenceStatus/describe'));
    expect(status.body.deletable).toBe(false);
    expect((await api(org, 'GET', dataPath('/sobjects/NoSuchThing/describe'))).status).toBe(404);
  });

  it('creates, reads, updates and deletes a record', async () => {
    const created = await api(org, 'POST', dataPath('/sobjects/PresenceDeclineReason'), { DeveloperName: 'Lunch', MasterLabel: 'Lunch' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ success: true, errors: [] });
    const id: string = created.body.id;
    expect(id).toMatch(/^0KR[0-9A-Za-z]{15}$/);
    const read = await api(org, 'GET', dataPath(`/sobjects/PresenceDeclineReason/${id}?fields=DeveloperName,MasterLabel`));
    expect(read.body).toEqual({ attributes: { type: 'PresenceDeclineReason', url: `/services/data/v${API_VERSION}/sobjects/PresenceDeclineReason/${id}` }, DeveloperName: 'Lunch', MasterLabel: 'Lunch' });
    expect((await api(org, 'PATCH', dataPath(`/sobjects/PresenceDeclineReason/${id}`), { MasterLabel: 'Lunch break' })).status).toBe(204);
    expect((await api(org, 'GET', dataPath(`/sobjects/PresenceDeclineReason/${id}`))).body.MasterLabel).toBe('Lunch break');
    expect((await api(org, 'DELETE', dataPath(`/sobjects/PresenceDeclineReason/${id}`))).status).toBe(204);
    const again = await api(org, 'DELETE', dataPath(`/sobjects/PresenceDeclineReason/${id}`));
    expect(again.status).toBe(404);
    expect(again.body[0].errorCode).toBe('ENTITY_IS_DELETED');
    // Methods a resource doesn't take: 405 naming the ones it does.
    const notAllowed = async (method: string, path: string) => (await api(org, method, dataPath(path), {})).body;
    expect(await notAllowed('PUT', `/sobjects/PresenceDeclineReason/${id}`)).toEqual([{ message: "HTTP Method 'PUT' not allowed. Allowed are GET,PATCH,DELETE", errorCode: 'METHOD_NOT_ALLOWED' }]);
    expect((await notAllowed('DELETE', '/sobjects/PresenceDeclineReason'))[0].message).toBe("HTTP Method 'DELETE' not allowed. Allowed are GET,POST");
    expect((await notAllowed('POST', '/sobjects/PresenceDeclineReason/describe'))[0].message).toBe("HTTP Method 'POST' not allowed. Allowed are GET");
  });

  it('enforces the Omni platform rules with Salesforce error shapes', async () => {
    const configId = await defaultConfigId();
    const user = await userId('agent06@omni.local');
    const first = await api(org, 'POST', dataPath('/sobjects/PresenceUserConfigUser'), { PresenceUserConfigId: configId, UserId: user });
    expect(first.status).toBe(201);
    const second = await api(org, 'POST', dataPath('/sobjects/PresenceUserConfigUser'), { PresenceUserConfigId: configId, UserId: user });
    expect(second.status).toBe(400);
    expect(second.body).toEqual([{ message: `duplicate value found: UserId duplicates value on record with id: ${first.body.id}`, errorCode: 'DUPLICATE_VALUE', fields: ['UserId'] }]);
    const patch = await api(org, 'PATCH', dataPath(`/sobjects/PresenceUserConfigUser/${first.body.id}`), { UserId: await userId('agent07@omni.local') });
    expect(patch.status).toBe(400);
    expect(patch.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['UserId'] });
    const status = await api(org, 'POST', dataPath('/sobjects/ServicePresenceStatus'), { DeveloperName: 'Available_Chat', MasterLabel: 'Available - Chat' });
    const del = await api(org, 'DELETE', dataPath(`/sobjects/ServicePresenceStatus/${status.body.id}`));
    expect(del.status).toBe(400);
    expect(del.body[0].errorCode).toBe('INVALID_TYPE_FOR_OPERATION');
    expect((await api(org, 'GET', dataPath(`/sobjects/ServicePresenceStatus/${status.body.id}`))).status).toBe(200);
  });

  it('composite create: ≤ 200 records, allOrNone both ways, per-record errors', async () => {
    const configId = await defaultConfigId();
    const records = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => ({ attributes: { type: 'PresenceDeclineReason' }, DeveloperName: `${prefix}_${i}`, MasterLabel: `${prefix} ${i}` }));
    const ok = await api(org, 'POST', dataPath('/composite/sobjects'), { allOrNone: true, records: records(200, 'Bulk') });
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(200);
    expect(ok.body.every((r: { success: boolean }) => r.success)).toBe(true);
    const tooMany = await api(org, 'POST', dataPath('/composite/sobjects'), { allOrNone: false, records: records(201, 'TooMany') });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');

    const mixed = [...records(2, 'Mixed'), { attributes: { type: 'PresenceDeclineReason' }, DeveloperName: 'Bulk_0', MasterLabel: 'dup' }];
    const partial = await api(org, 'POST', dataPath('/composite/sobjects'), { allOrNone: false, records: mixed });
    expect(partial.body.map((r: { success: boolean }) => r.success)).toEqual([true, true, false]);
    expect(partial.body[2].errors[0]).toMatchObject({ statusCode: 'DUPLICATE_VALUE', fields: ['DeveloperName'] });

    const atomic = [...records(2, 'Atomic'), { attributes: { type: 'PresenceUserConfigUser' }, PresenceUserConfigId: configId, UserId: configId }];
    const rolled = await api(org, 'POST', dataPath('/composite/sobjects'), { allOrNone: true, records: atomic });
    expect(rolled.status).toBe(200);
    expect(rolled.body[0]).toEqual({ id: null, success: false, errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })] });
    expect(rolled.body[2].errors[0].statusCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    const left = await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent("SELECT Id FROM PresenceDeclineReason WHERE DeveloperName LIKE 'Atomic%'")}`));
    expect(left.body.totalSize).toBe(0);
  });

  it('composite delete: ?ids= with allOrNone both ways', async () => {
    const created = await api(org, 'POST', dataPath('/composite/sobjects'), {
      allOrNone: true,
      records: Array.from({ length: 3 }, (_, i) => ({ attributes: { type: 'PresenceDeclineReason' }, DeveloperName: `Del_${i}`, MasterLabel: `Del ${i}` })),
    });
    const ids: string[] = created.body.map((r: { id: string }) => r.id);
    const status = await api(org, 'POST', dataPath('/sobjects/ServicePresenceStatus'), { DeveloperName: 'Undeletable', MasterLabel: 'Undeletable' });
    const atomic = await api(org, 'DELETE', dataPath(`/composite/sobjects?ids=${[ids[0], status.body.id].join(',')}&allOrNone=true`));
    expect(atomic.body[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect((await api(org, 'GET', dataPath(`/sobjects/PresenceDeclineReason/${ids[0]}`))).status).toBe(200);
    const partial = await api(org, 'DELETE', dataPath(`/composite/sobjects?ids=${[...ids, status.body.id].join(',')}&allOrNone=false`));
    expect(partial.body.map((r: { success: boolean }) => r.success)).toEqual([true, true, true, false]);
    expect((await api(org, 'GET', dataPath(`/sobjects/PresenceDeclineReason/${ids[0]}`))).status).toBe(404);
    const over = await api(org, 'DELETE', dataPath(`/composite/sobjects?ids=${Array(201).fill(ids[0]).join(',')}`));
    expect(over.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
  });
});

describe('jsforce Connection composite', () => {
  it('creates and deletes many records through /composite/sobjects, allOrNone honoured', async () => {
    const conn = connection();
    const before = org.stats().byEndpoint['composite/sobjects'] ?? 0;
    const records = Array.from({ length: 150 }, (_, i) => ({ DeveloperName: `Jsf_${i}`, MasterLabel: `Jsf ${i}` }));
    const created = await conn.sobject('PresenceDeclineReason').create(records, { allOrNone: true });
    expect(created).toHaveLength(150);
    expect(created.every((r) => r.success && /^0KR/.test(r.id!))).toBe(true);
    const ids = created.map((r) => r.id!);
    const count = async () => (await conn.query("SELECT COUNT() FROM PresenceDeclineReason WHERE DeveloperName LIKE 'Jsf\\_%'")).totalSize;
    expect(await count()).toBe(150);

    // One duplicate among new rows with allOrNone: nothing is created.
    const rejected = await conn.sobject('PresenceDeclineReason').create([{ DeveloperName: 'Jsf_new', MasterLabel: 'n' }, { DeveloperName: 'Jsf_0', MasterLabel: 'dup' }], { allOrNone: true });
    expect(rejected.map((r) => r.success)).toEqual([false, false]);
    expect(await count()).toBe(150);

    const deleted = await conn.sobject('PresenceDeclineReason').destroy(ids, { allOrNone: true });
    expect(deleted.every((r) => r.success)).toBe(true);
    expect(deleted.map((r) => r.id)).toEqual(ids);
    expect(await count()).toBe(0);
    // jsforce sent the arrays as composite calls (create, rejected create, delete), not one request per record.
    expect(org.stats().byEndpoint['composite/sobjects'] - before).toBe(3);
  });
});

describe('queries', () => {
  it('pages 10k+ rows 2,000 at a time through jsforce autoFetch and queryMore', async () => {
    const conn = connection();
    const first = await conn.query<{ Id: string }>('SELECT Id, Username FROM User');
    expect(first.totalSize).toBe(10_011);
    expect(first.records).toHaveLength(2000);
    expect(first.done).toBe(false);
    expect(first.nextRecordsUrl).toMatch(new RegExp(`/services/data/v${API_VERSION}/query/01g[0-9A-Za-z]{15}-2000$`));
    const second = await conn.queryMore<{ Id: string }>(first.nextRecordsUrl!);
    expect(second.records).toHaveLength(2000);
    expect(second.records[0].Id).not.toBe(first.records[0].Id);
    const all: Array<{ Id: string }> = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query<{ Id: string }>('SELECT Id FROM User')
        .on('record', (r) => all.push(r))
        .on('end', () => resolve())
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 20_000 });
    });
    expect(all).toHaveLength(10_011);
    expect(new Set(all.map((r) => r.Id)).size).toBe(10_011);
  });

  it('answers SOQL errors as 400 [{message, errorCode}] and runs relationship queries', async () => {
    const bad = await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent('SELECT Nope FROM User')}`));
    expect(bad.status).toBe(400);
    expect(bad.body[0].errorCode).toBe('INVALID_FIELD');
    const r = await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent("SELECT Username, Profile.Name FROM User WHERE Username = 'agent01@omni.local'")}`));
    expect(r.body.records[0].Profile.Name).toBe('Custom: Support Agent');
    expect(r.body.done).toBe(true);
  });

  it('answers /tooling/query: Omni objects from API 65.0 with tooling URLs, SourceMember unsupported as on a non-tracking org', async () => {
    const q = (soql: string, version = '66.0') => api(org, 'GET', dataPath(`/tooling/query?q=${encodeURIComponent(soql)}`, version));
    const configs = await q("SELECT Id, DeveloperName FROM PresenceUserConfig WHERE DeveloperName = 'default_presence_config'");
    expect(configs.status).toBe(200);
    expect(configs.body).toMatchObject({ totalSize: 1, done: true });
    expect(configs.body.records[0].attributes.url).toBe(`/services/data/v66.0/tooling/sobjects/PresenceUserConfig/${configs.body.records[0].Id}`);
    expect((await q('SELECT Id FROM PresenceUserConfig', '64.0')).body).toEqual([{ message: "sObject type 'PresenceUserConfig' is not supported.", errorCode: 'INVALID_TYPE' }]);
    const members = await q('SELECT MemberName, MemberType, RevisionCounter FROM SourceMember WHERE RevisionCounter > 0');
    expect(members.status).toBe(400);
    expect(members.body[0]).toEqual({ message: "sObject type 'SourceMember' is not supported.", errorCode: 'INVALID_TYPE' });
    expect((await api(org, 'GET', dataPath(`/tooling/query?q=${encodeURIComponent('SELECT Id FROM PresenceUserConfig')}`), undefined, null)).status).toBe(401);
  });

  it('includes deleted rows in queryAll only', async () => {
    const created = await api(org, 'POST', dataPath('/sobjects/PresenceDeclineReason'), { DeveloperName: 'Gone', MasterLabel: 'Gone' });
    await api(org, 'DELETE', dataPath(`/sobjects/PresenceDeclineReason/${created.body.id}`));
    const q = encodeURIComponent("SELECT Id, IsDeleted FROM PresenceDeclineReason WHERE DeveloperName = 'Gone'");
    expect((await api(org, 'GET', dataPath(`/query?q=${q}`))).body.totalSize).toBe(0);
    const all = await api(org, 'GET', dataPath(`/queryAll?q=${q}`));
    expect(all.body.records).toEqual([expect.objectContaining({ Id: created.body.id, IsDeleted: true })]);
  });
});

describe('Bulk API 2.0 ingest', () => {
  it('inserts and deletes assignment junctions with successful and failed results', async () => {
    const conn = connection();
    conn.bulk2.pollInterval = 50;
    conn.bulk2.pollTimeout = 30_000;
    const configId = await defaultConfigId();
    const users = await conn.query<{ Id: string }>("SELECT Id FROM User WHERE Username LIKE 'seed.agent00001%'");
    expect(users.records.length).toBe(10);
    const input = [...users.records.map((u) => ({ PresenceUserConfigId: configId, UserId: u.Id })), { PresenceUserConfigId: configId, UserId: users.records[0].Id }];
    const inserted = await conn.bulk2.loadAndWaitForResults({ object: 'PresenceUserConfigUser', operation: 'insert', input });
    expect(inserted.successfulResults).toHaveLength(10);
    expect(inserted.failedResults).toHaveLength(1);
    expect(inserted.failedResults[0].sf__Error).toMatch(/^DUPLICATE_VALUE:duplicate value found: UserId/);
    expect(inserted.successfulResults[0].sf__Created).toBe('true');
    const ids = inserted.successfulResults.map((r) => r.sf__Id as string);
    expect(ids.every((id) => /^0Ne/.test(id))).toBe(true);

    const deleted = await conn.bulk2.loadAndWaitForResults({ object: 'PresenceUserConfigUser', operation: 'delete', input: [...ids.map((Id) => ({ Id })), { Id: ids[0] }] });
    expect(deleted.successfulResults).toHaveLength(10);
    expect(deleted.failedResults).toHaveLength(1);
    expect(deleted.failedResults[0].sf__Error).toMatch(/^ENTITY_IS_DELETED/);
    const left = await conn.query(`SELECT Id FROM PresenceUserConfigUser WHERE PresenceUserConfigId = '${configId}' AND UserId IN ('${users.records.map((u) => u.Id).join("','")}')`);
    expect(left.totalSize).toBe(0);
  });

  it('reports an unknown object when creating the job', async () => {
    const r = await api(org, 'POST', dataPath('/jobs/ingest'), { object: 'Nope', operation: 'insert', contentType: 'CSV' });
    expect(r.status).toBe(400);
    expect(r.body[0].errorCode).toBe('INVALIDENTITY');
  });
});

describe('stats and logging', () => {
  it('counts requests per endpoint and method without counting itself', async () => {
    const get = async () => (await fetch(`${org.instanceUrl}/__local/stats`)).json() as Promise<any>;
    await fetch(`${org.instanceUrl}/__local/stats/reset`, { method: 'POST' });
    await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent('SELECT Id FROM Profile')}`));
    await api(org, 'POST', dataPath('/composite/sobjects'), { allOrNone: false, records: [{ attributes: { type: 'PresenceDeclineReason' }, DeveloperName: 'StatsOne', MasterLabel: 'S' }] });
    const stats = await get();
    expect(stats).toMatchObject({ total: 2, byMethod: { GET: 1, POST: 1 }, byEndpoint: { query: 1, 'composite/sobjects': 1 }, writes: 1, records: 1 });
    expect((await get()).total).toBe(2);
  });

  it('never logs tokens', async () => {
    const grant = await fetch(`${org.instanceUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: org.refreshToken }),
    });
    const issued = ((await grant.json()) as { access_token: string }).access_token;
    await fetch(`${org.instanceUrl}/services/oauth2/userinfo?access_token=${encodeURIComponent(org.accessToken)}`);
    // A SOAP call carries the session id in its body; a bad bearer token must not be echoed either.
    await fetch(`${org.instanceUrl}/services/Soap/m/66.0`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: '""' },
      body: `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><SessionHeader xmlns="http://soap.sforce.com/2006/04/metadata"><sessionId>${issued}</sessionId></SessionHeader></soapenv:Header><soapenv:Body><describeMetadata xmlns="http://soap.sforce.com/2006/04/metadata"><asOfVersion>66.0</asOfVersion></describeMetadata></soapenv:Body></soapenv:Envelope>`,
    });
    await api(org, 'GET', dataPath('/limits'), undefined, `${issued}x`);
    const text = logLines.join('\n');
    expect(text).toMatch(/POST \/services\/Soap\/m\/66\.0 200/);
    expect(text).not.toContain(issued);
    expect(logLines.length).toBeGreaterThan(10);
    expect(text).toMatch(/GET \/services\/data\/v62\.0\/limits 200 [\d.]+ms/);
    expect(text).not.toContain(org.accessToken);
    expect(text).not.toContain(org.refreshToken);
    expect(text).not.toContain(org.password);
    expect(text).toContain('access_token=***');
  });
});
