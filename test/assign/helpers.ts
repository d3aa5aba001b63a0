/** Local-org fixtures for the assign tests: a refresh-capable session, configurations, users, row snapshots. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthInfo, Connection } from '@salesforce/core';
import type { LocalOrg } from '../../local-org/server.ts';
import type { OrgSession } from '../../scripts/org/connection.ts';
import { api, dataPath } from '../helpers/local-org.ts';
import { omniInProcess } from '../helpers/omni.ts';

/** A session like connectOrg returns, logged in by refresh token so a 401 fault is cured by refreshing. */
export async function sessionFor(org: LocalOrg, label = 'local'): Promise<OrgSession> {
  const authInfo = await AuthInfo.create({ oauth2Options: { loginUrl: org.instanceUrl, refreshToken: org.refreshToken, clientId: 'PlatformCLI' } as never });
  const connection = await Connection.create({ authInfo });
  return { connection, username: org.username, orgId: org.orgId, instanceUrl: org.instanceUrl, apiVersion: connection.getApiVersion(), label };
}

export async function createConfig(org: LocalOrg, developerName: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await api(org, 'POST', dataPath('/sobjects/PresenceUserConfig'), { DeveloperName: developerName, MasterLabel: developerName, Capacity: 3, ...extra });
  if (r.status !== 201) throw new Error(`create config ${developerName}: ${r.text}`);
  return r.body.id;
}

export async function createRecord(org: LocalOrg, object: string, fields: Record<string, unknown>): Promise<string> {
  const r = await api(org, 'POST', dataPath(`/sobjects/${object}`), fields);
  if (r.status !== 201) throw new Error(`create ${object}: ${r.text}`);
  return r.body.id;
}

export async function createUser(org: LocalOrg, username: string, fields: Record<string, unknown> = {}): Promise<string> {
  const profileId = fields.ProfileId ?? (await query(org, "SELECT Id FROM Profile WHERE Name = 'Standard User'"))[0].Id;
  return createRecord(org, 'User', {
    Username: username,
    Email: username,
    LastName: 'Test',
    Alias: 'test',
    ProfileId: profileId,
    TimeZoneSidKey: 'America/Los_Angeles',
    LocaleSidKey: 'en_US',
    LanguageLocaleKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    ...fields,
  });
}

export async function query(org: LocalOrg, soql: string): Promise<any[]> {
  const rows: any[] = [];
  let r = await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent(soql)}`));
  if (r.status !== 200) throw new Error(`query failed: ${r.text}`);
  for (;;) {
    rows.push(...r.body.records);
    if (r.body.done || !r.body.nextRecordsUrl) return rows;
    r = await api(org, 'GET', r.body.nextRecordsUrl);
  }
}

/** userId → configuration Ids (a list, to catch duplicates), straight from the store. */
export function userRows(org: LocalOrg): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const row of org.store.all('PresenceUserConfigUser')) {
    const list = map.get(String(row.UserId)) ?? [];
    list.push(String(row.PresenceUserConfigId));
    map.set(String(row.UserId), list);
  }
  return map;
}

export function profileRows(org: LocalOrg): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const row of org.store.all('PresenceUserConfigProfile')) {
    const list = map.get(String(row.ProfileId)) ?? [];
    list.push(String(row.PresenceUserConfigId));
    map.set(String(row.ProfileId), list);
  }
  return map;
}

/**
 * The id of the org's user `username` (any case, as Username is unique ignoring case), from the local org's
 * unique index: tests look up thousands of users one by one, and a scan per lookup made them quadratic.
 * @throws Error when the org has no such user.
 */
export function userId(org: LocalOrg, username: string): string {
  const found = org.store.lookup('User', 'Username', username)?.[0];
  if (!found) throw new Error(`no user ${username}`);
  return String(found.Id);
}

export function tempDir(prefix = 'omni-assign-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the CLI in-process against the local org (access token in the environment, as CI does). */
export const omni = (org: LocalOrg, cwd: string, args: string[]) => omniInProcess(org, cwd, args);
