import { afterEach, describe, expect, it } from 'vitest';
import jsforce from 'jsforce';
import type { LocalOrg } from '../../local-org/server.ts';
import { FaultPlan, type FaultKind } from '../../local-org/faults.ts';
import { API_VERSION, dataPath, startTestOrg } from '../helpers/local-org.ts';

const orgs: LocalOrg[] = [];
afterEach(async () => {
  while (orgs.length) await orgs.pop()!.stop();
});

async function started(options: Parameters<typeof startTestOrg>[0]): Promise<LocalOrg> {
  const org = await startTestOrg(options);
  orgs.push(org);
  return org;
}

/** One request; a dropped connection shows up as 'dropped'. */
async function outcome(org: LocalOrg, method: string, path: string, body?: unknown, token = org.accessToken): Promise<string> {
  try {
    const response = await fetch(org.instanceUrl + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', connection: 'close' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const code = response.status >= 400 ? (JSON.parse(text)[0]?.errorCode ?? '') : '';
    return `${response.status}${code ? ' ' + code : ''}`;
  } catch {
    return 'dropped';
  }
}

async function traffic(org: LocalOrg): Promise<string[]> {
  const results: string[] = [];
  for (let i = 0; i < 40; i++) {
    if (i % 2 === 0) results.push(await outcome(org, 'GET', dataPath('/sobjects/Profile/describe')));
    else results.push(await outcome(org, 'POST', dataPath('/sobjects/PresenceDeclineReason'), { DeveloperName: `R_${i}`, MasterLabel: `R ${i}` }));
  }
  return results;
}

describe('fault injection', () => {
  it('replays the same fault sequence for the same seed, and another for another seed', async () => {
    const a = await traffic(await started({ faultRate: 0.35, faultSeed: 42 }));
    const b = await traffic(await started({ faultRate: 0.35, faultSeed: 42 }));
    const c = await traffic(await started({ faultRate: 0.35, faultSeed: 7 }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const faults = a.filter((o) => !/^20[01]$/.test(o));
    expect(faults.length).toBeGreaterThan(3);
    for (const f of faults) expect(f).toMatch(/^(503 SERVER_UNAVAILABLE|500 UNKNOWN_EXCEPTION|400 UNABLE_TO_LOCK_ROW|401 INVALID_SESSION_ID|dropped)$/);
  });

  it('changes nothing on a faulted write', async () => {
    const org = await started({ faultRate: 0.5, faultSeed: 3 });
    const results = await traffic(org);
    let faultedWrites = 0;
    results.forEach((result, i) => {
      if (i % 2 === 0) return;
      const rows = org.store.findBy('PresenceDeclineReason', 'DeveloperName', `R_${i}`);
      if (result === '201') expect(rows).toHaveLength(1);
      else {
        faultedWrites++;
        expect(rows).toHaveLength(0);
      }
    });
    expect(faultedWrites).toBeGreaterThan(0);
    expect(org.stats().faults).not.toEqual({});
  });

  it('answers every request with the fault the seed predicts; a refresh cures the 401; faulted writes change nothing', async () => {
    const rate = 0.4;
    const seed = 5; // 40 requests of this seed draw all five fault kinds
    const org = await started({ faultRate: rate, faultSeed: seed });
    const plan = new FaultPlan(rate, seed);
    const expected: Record<FaultKind, string> = {
      unavailable: '503 SERVER_UNAVAILABLE',
      'unknown-exception': '500 UNKNOWN_EXCEPTION',
      'lock-row': '400 UNABLE_TO_LOCK_ROW',
      drop: 'dropped',
      session: '401 INVALID_SESSION_ID',
    };
    let token = org.accessToken;
    const predicted: string[] = [];
    const actual: string[] = [];
    let refreshes = 0;
    for (let i = 0; i < 40; i++) {
      const write = i % 2 === 1;
      const fault = plan.next(write);
      predicted.push(fault ? expected[fault] : write ? '201' : '200');
      const result = write
        ? await outcome(org, 'POST', dataPath('/sobjects/PresenceDeclineReason'), { DeveloperName: `P_${i}`, MasterLabel: `P ${i}` }, token)
        : await outcome(org, 'GET', dataPath('/sobjects/Profile/describe'), undefined, token);
      actual.push(result);
      if (result.startsWith('401')) {
        // The injected 401 revoked this token; the refresh_token grant (never faulted) cures it.
        const grant = await fetch(`${org.instanceUrl}/services/oauth2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: org.refreshToken }),
        });
        expect(grant.status).toBe(200);
        token = ((await grant.json()) as { access_token: string }).access_token;
        refreshes++;
      }
    }
    expect(actual).toEqual(predicted);
    expect(new Set(actual.filter((o) => !/^20[01]$/.test(o)))).toEqual(new Set(Object.values(expected)));
    expect(refreshes).toBe(actual.filter((o) => o.startsWith('401')).length);
    // A write exists exactly when it was not faulted: faults are decided before any write.
    actual.forEach((result, i) => {
      if (i % 2 === 1) expect(org.store.findBy('PresenceDeclineReason', 'DeveloperName', `P_${i}`)).toHaveLength(result === '201' ? 1 : 0);
    });
    const faults = org.stats().faults;
    expect(faults.drop).toBe(actual.filter((o) => o === 'dropped').length);
    expect(faults.session).toBe(refreshes);
  });

  it('draws the same decisions from FaultPlan for the same seed', () => {
    const seq = (seed: number) => {
      const plan = new FaultPlan(0.5, seed);
      return Array.from({ length: 50 }, (_, i) => plan.next(i % 3 === 0) ?? '-');
    };
    expect(seq(9)).toEqual(seq(9));
    expect(seq(9)).not.toEqual(seq(10));
    expect(new FaultPlan(0, 1).next(true)).toBeUndefined();
  });
});

describe('token expiry', () => {
  it('expires access tokens and jsforce refreshes them with the refresh token', async () => {
    const org = await started({ tokenTtlSeconds: 1 });
    const conn = new jsforce.Connection({
      oauth2: { loginUrl: org.instanceUrl, clientId: 'omni-local', redirectUri: 'http://localhost:1717/OauthRedirect' },
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      refreshToken: org.refreshToken,
      version: API_VERSION,
    });
    let refreshed = 0;
    conn.on('refresh', () => refreshed++);
    expect((await conn.query('SELECT Id FROM Profile')).totalSize).toBe(3);
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await fetch(org.instanceUrl + dataPath('/limits'), { headers: { authorization: `Bearer ${org.accessToken}` } });
    expect(expired.status).toBe(401);
    expect((await conn.query('SELECT Id FROM Profile')).totalSize).toBe(3);
    expect(refreshed).toBe(1);
    expect(conn.accessToken).not.toBe(org.accessToken);
  });
});

/** The first seed whose fault plan starts with `kinds` (undefined = no fault) for reads. */
function seedStartingWith(rate: number, kinds: Array<FaultKind | undefined>): number {
  for (let seed = 1; seed < 100_000; seed++) {
    const plan = new FaultPlan(rate, seed);
    if (kinds.every((kind) => plan.next(false) === kind)) return seed;
  }
  throw new Error('no such seed');
}

describe('the injected 401 is cured by a token refresh', () => {
  const jsforceFor = (org: LocalOrg) =>
    new jsforce.Connection({
      oauth2: { loginUrl: org.instanceUrl, clientId: 'omni-local', redirectUri: 'http://localhost:1717/OauthRedirect' },
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      refreshToken: org.refreshToken,
      version: API_VERSION,
    });

  it('for REST: jsforce refreshes once and the retried query succeeds', async () => {
    const rate = 0.5;
    const org = await started({ faultRate: rate, faultSeed: seedStartingWith(rate, ['session', undefined, undefined]) });
    const conn = jsforceFor(org);
    let refreshed = 0;
    conn.on('refresh', () => refreshed++);
    expect((await conn.query('SELECT Id FROM Profile')).totalSize).toBe(3);
    expect(refreshed).toBe(1);
    expect(org.stats().faults).toEqual({ session: 1 });
    expect((await conn.query('SELECT Id FROM Profile')).totalSize).toBe(3);
  });

  it('for the SOAP Metadata API: the metadata-namespace fault makes jsforce refresh and retry', async () => {
    const rate = 0.5;
    const org = await started({ faultRate: rate, faultSeed: seedStartingWith(rate, ['session', undefined]) });
    const conn = jsforceFor(org);
    let refreshed = 0;
    conn.on('refresh', () => refreshed++);
    const described = await conn.metadata.describe('66.0');
    expect(described.metadataObjects.map((o) => o.xmlName)).toContain('PresenceUserConfig');
    expect(refreshed).toBe(1);
    expect(org.stats().faults).toEqual({ session: 1 });
  });
});

describe('latency', () => {
  it('delays every request by latencyMs', async () => {
    const org = await started({ latencyMs: 120 });
    const start = performance.now();
    const response = await fetch(org.instanceUrl + dataPath('/limits'), { headers: { authorization: `Bearer ${org.accessToken}` } });
    expect(response.status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(115);
  });
});
