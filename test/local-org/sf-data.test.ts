/**
 * sf's data commands against the local org with the unmodified sf CLI: `sf data export bulk` of
 * 10,000 users (Bulk API 2.0 query jobs, paged results), `sf data import bulk` of 250 junction rows,
 * `sf data delete bulk`, and `sf org list metadata` (FIDELITY.md F-40…F-46). The first export is a spawned sf
 * process; the other commands run through the same sf entry in the worker's sf runner (test/helpers/sf-runner.ts),
 * which loads sf's modules once.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { authorizeSf, api, dataPath, makeSfHome, runSf, sfInRunner, startTestOrg, type SfHome } from '../helpers/local-org.ts';
import type { LocalOrg } from '../../local-org/index.ts';

describe('sf data commands and sf org list metadata', () => {
  let org: LocalOrg;
  let home: SfHome;
  let dir: string;
  const sf = (args: string[]) => sfInRunner(home, [...args, '--target-org', 'local', '--json']);
  const sfSpawned = (args: string[]) => runSf(home, [...args, '--target-org', 'local', '--json']);

  beforeAll(async () => {
    // 11 seeded users + 9,989 = 10,000
    org = await startTestOrg({ seedUsers: 9989 });
    home = makeSfHome();
    await authorizeSf(home, org, 'local');
    dir = mkdtempSync(join(tmpdir(), 'omni-sf-data-'));
  }, 60_000);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await home?.cleanup();
    await org?.stop();
  });

  it('[F-40] [F-41] sf data export bulk of 10,000 users: one query job, every page followed by its Sforce-Locator, CSV and JSON', async () => {
    expect(org.store.count('User')).toBe(10_000);
    org.resetStats();
    const out = join(dir, 'users.csv');
    const result = await sfSpawned(['data', 'export', 'bulk', '-q', 'SELECT Id, Username, Profile.Name FROM User ORDER BY Username', '--output-file', out, '--result-format', 'csv', '--wait', '5']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.json.result.totalSize).toBe(10_000);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(10_000);
    expect(Object.keys(rows[0])).toEqual(['Id', 'Username', 'Profile.Name']);
    const expected = [...org.store.all('User')].map((u) => String(u.Username)).sort();
    expect(rows.map((r) => r.Username)).toEqual(expected);
    expect(new Set(rows.map((r) => r.Id)).size).toBe(10_000);
    expect(rows.find((r) => r.Username === org.username)!['Profile.Name']).toBe('System Administrator');
    // One job created, its 2,000-row pages fetched one after another (5 result requests at least).
    const stats = org.stats();
    expect(stats.byMethod.POST).toBe(1);
    expect(stats.byEndpoint['bulk2/query']).toBeGreaterThanOrEqual(1 + 1 + 5);

    const json = join(dir, 'users.json');
    const asJson = await sf(['data', 'export', 'bulk', '-q', "SELECT Username FROM User WHERE Username LIKE 'agent%'", '--output-file', json, '--result-format', 'json', '--wait', '5']);
    expect(asJson.code, asJson.stdout + asJson.stderr).toBe(0);
    expect((JSON.parse(readFileSync(json, 'utf8')) as Array<{ Username: string }>).map((r) => r.Username).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `agent${String(i + 1).padStart(2, '0')}@omni.local`),
    );
  }, 150_000);

  it('[F-46] sf data import bulk of 250 PresenceUserConfigUser rows, then sf data export bulk + sf data delete bulk removes them', async () => {
    const config = await api(org, 'POST', dataPath('/sobjects/PresenceUserConfig'), { DeveloperName: 'Bulk_Tier', MasterLabel: 'Bulk Tier', Capacity: 3 });
    expect(config.status).toBe(201);
    const users = [...org.store.all('User')].filter((u) => String(u.Username).startsWith('seed.agent')).slice(0, 250);
    const file = join(dir, 'assign.csv');
    writeFileSync(file, `PresenceUserConfigId,UserId\n${users.map((u) => `${config.body.id},${u.Id}`).join('\n')}\n`);
    const imported = await sf(['data', 'import', 'bulk', '--file', file, '--sobject', 'PresenceUserConfigUser', '--wait', '5']);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.json.result).toMatchObject({ processedRecords: 250, successfulRecords: 250, failedRecords: 0 });
    const rows = org.store.lookup('PresenceUserConfigUser', 'PresenceUserConfigId', config.body.id)!;
    expect(rows.map((r) => r.UserId).sort()).toEqual(users.map((u) => u.Id).sort());

    const ids = join(dir, 'ids.csv');
    const exported = await sf(['data', 'export', 'bulk', '-q', `SELECT Id FROM PresenceUserConfigUser WHERE PresenceUserConfig.DeveloperName = 'Bulk_Tier'`, '--output-file', ids, '--result-format', 'csv', '--wait', '5']);
    expect(exported.code, exported.stdout + exported.stderr).toBe(0);
    expect(exported.json.result.totalSize).toBe(250);
    const deleted = await sf(['data', 'delete', 'bulk', '--file', ids, '--sobject', 'PresenceUserConfigUser', '--wait', '5']);
    expect(deleted.code, deleted.stdout + deleted.stderr).toBe(0);
    expect(deleted.json.result.jobInfo).toMatchObject({ operation: 'delete', state: 'JobComplete', numberRecordsProcessed: 250, numberRecordsFailed: 0 });
    expect(org.store.lookup('PresenceUserConfigUser', 'PresenceUserConfigId', config.body.id)).toEqual([]);
  }, 150_000);

  it('[F-46] sf data upsert bulk on Id: rows with an Id update, rows without one insert', async () => {
    const created = await api(org, 'POST', dataPath('/sobjects/PresenceDeclineReason'), { DeveloperName: 'Upsert_Me', MasterLabel: 'Before' });
    expect(created.status).toBe(201);
    const file = join(dir, 'reasons.csv');
    writeFileSync(file, `Id,DeveloperName,MasterLabel\n${created.body.id},Upsert_Me,After\n,Upsert_New,New one\n`);
    const upserted = await sf(['data', 'upsert', 'bulk', '--file', file, '--sobject', 'PresenceDeclineReason', '--external-id', 'Id', '--wait', '5']);
    expect(upserted.code, upserted.stdout + upserted.stderr).toBe(0);
    expect(upserted.json.result.jobInfo).toMatchObject({ operation: 'upsert', externalIdFieldName: 'Id', state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 });
    expect(org.store.get(created.body.id)!.MasterLabel).toBe('After');
    expect(org.store.lookup('PresenceDeclineReason', 'DeveloperName', 'Upsert_New')![0].MasterLabel).toBe('New one');
  }, 90_000);

  it('sf org list metadata lists the Omni components and the Settings', async () => {
    const channels = await sf(['org', 'list', 'metadata', '--metadata-type', 'ServiceChannel']);
    expect(channels.code, channels.stdout + channels.stderr).toBe(0);
    expect(channels.json.result.map((r: { fullName: string }) => r.fullName).sort()).toEqual(['sfdc_liveagent', 'sfdc_livemessage', 'sfdc_phone']);
    expect(channels.json.result[0]).toMatchObject({ type: 'ServiceChannel', manageableState: 'unmanaged', fileName: expect.stringMatching(/^serviceChannels\/sfdc_\w+\.serviceChannel$/) });
    const configs = await sf(['org', 'list', 'metadata', '--metadata-type', 'PresenceUserConfig']);
    expect(configs.code).toBe(0);
    expect(configs.json.result.map((r: { fullName: string }) => r.fullName).sort()).toEqual(['Bulk_Tier', 'default_presence_config']);
    const settings = await sf(['org', 'list', 'metadata', '--metadata-type', 'Settings']);
    expect(settings.json.result.map((r: { fullName: string }) => r.fullName)).toEqual(['OmniChannel']);
  }, 90_000);
});

describe('Bulk API 2.0 query jobs over HTTP [F-40…F-44]', () => {
  let org: LocalOrg;
  beforeAll(async () => {
    org = await startTestOrg({ seedUsers: 40 });
  });
  afterAll(async () => {
    await org?.stop();
  });

  async function complete(id: string): Promise<any> {
    for (let i = 0; i < 100; i++) {
      const job = await api(org, 'GET', dataPath(`/jobs/query/${id}`));
      if (job.body.state === 'JobComplete') return job.body;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('query job did not complete');
  }
  const results = (path: string) => fetch(org.instanceUrl + dataPath(path), { headers: { authorization: `Bearer ${org.accessToken}` } });

  it('pages by maxRecords: Sforce-Locator until "null", Sforce-NumberOfRecords per page, every row once, a locator reusable', async () => {
    const created = await api(org, 'POST', dataPath('/jobs/query'), { operation: 'query', query: 'SELECT Id, Username FROM User ORDER BY Username' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ operation: 'query', object: 'User', state: 'UploadComplete', jobType: 'V2Query', contentType: 'CSV', lineEnding: 'LF', columnDelimiter: 'COMMA' });
    expect(created.body.id).toMatch(/^750[A-Za-z0-9]{15}$/);
    const done = await complete(created.body.id);
    expect(done.numberRecordsProcessed).toBe(51);
    const seen: string[] = [];
    const locators: string[] = [];
    let locator: string | null = '';
    while (locator !== 'null') {
      const page = await results(`/jobs/query/${created.body.id}/results?maxRecords=20${locator ? `&locator=${locator}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/csv');
      const rows = parse(await page.text(), { columns: true }) as Array<{ Username: string }>;
      expect(Number(page.headers.get('sforce-numberofrecords'))).toBe(rows.length);
      seen.push(...rows.map((r) => r.Username));
      locator = page.headers.get('sforce-locator');
      locators.push(locator!);
    }
    expect(locators).toHaveLength(3);
    expect(seen).toEqual([...org.store.all('User')].map((u) => String(u.Username)).sort());
    // A locator stays valid while the job exists.
    const again = await results(`/jobs/query/${created.body.id}/results?maxRecords=20&locator=${locators[0]}`);
    expect((parse(await again.text(), { columns: true }) as Array<{ Username: string }>).map((r) => r.Username)).toEqual(seen.slice(20, 40));
  });

  it('checks the query when the job is created and refuses what Bulk query does not support; results only once complete; abort and delete', async () => {
    const bad = await api(org, 'POST', dataPath('/jobs/query'), { operation: 'query', query: 'SELECT NoSuchField FROM User' });
    expect(bad.status).toBe(400);
    expect(bad.body[0].errorCode).toBe('INVALIDJOB');
    expect(bad.body[0].message).toContain('NoSuchField');
    const aggregate = await api(org, 'POST', dataPath('/jobs/query'), { operation: 'query', query: 'SELECT COUNT() FROM User' });
    expect(aggregate.status).toBe(400);
    const op = await api(org, 'POST', dataPath('/jobs/query'), { operation: 'insert', query: 'SELECT Id FROM User' });
    expect(op.body[0]).toMatchObject({ errorCode: 'INVALIDJOB', message: 'InvalidJob : Invalid operation: insert' });
    const job = await api(org, 'POST', dataPath('/jobs/query'), { operation: 'query', query: 'SELECT Id FROM User', columnDelimiter: 'PIPE', lineEnding: 'CRLF' });
    const early = await results(`/jobs/query/${job.body.id}/results`);
    expect(early.status).toBe(400);
    const aborted = await api(org, 'PATCH', dataPath(`/jobs/query/${job.body.id}`), { state: 'Aborted' });
    expect(aborted.body.state).toBe('Aborted');
    expect((await api(org, 'DELETE', dataPath(`/jobs/query/${job.body.id}`))).status).toBe(204);
    expect((await api(org, 'GET', dataPath(`/jobs/query/${job.body.id}`))).status).toBe(404);
    // Delimiter and line ending as asked; another API version than the job's is a 409.
    const piped = await api(org, 'POST', dataPath('/jobs/query'), { operation: 'query', query: "SELECT Username, IsActive FROM User WHERE Username = 'agent01@omni.local'", columnDelimiter: 'PIPE', lineEnding: 'CRLF' });
    await complete(piped.body.id);
    expect(await (await results(`/jobs/query/${piped.body.id}/results`)).text()).toBe('"Username"|"IsActive"\r\n"agent01@omni.local"|"true"\r\n');
    const other = await fetch(`${org.instanceUrl}/services/data/v61.0/jobs/query/${piped.body.id}/results`, { headers: { authorization: `Bearer ${org.accessToken}` } });
    expect(other.status).toBe(409);
  });
});
