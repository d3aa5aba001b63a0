import { beforeEach, describe, expect, it } from 'vitest';
import { executeSoql, parseSoql, SoqlError } from '../../../local-org/soql/index.ts';
import { MemorySource, type Row } from './fixture.ts';

const NOW = new Date(Date.UTC(2024, 4, 15, 12, 0, 0)); // Wednesday 2024-05-15 12:00Z

function run(source: MemorySource, text: string, extra: { tooling?: boolean } = {}) {
  return executeSoql(parseSoql(text), source, { apiVersion: '66.0', now: NOW, ...extra });
}

function ids(source: MemorySource, text: string): string[] {
  return run(source, text).records.map((r) => (r as { Id: string }).Id);
}

function failure(source: MemorySource, text: string): SoqlError {
  try {
    run(source, text);
  } catch (e) {
    if (e instanceof SoqlError) return e;
    throw e;
  }
  throw new Error(`no error for ${text}`);
}

let org: MemorySource;
let admin: Row, agentProfile: Row;
let alice: Row, bob: Row, carol: Row, dave: Row;
let agentsConfig: Row, leadsConfig: Row;
let support: Row;

beforeEach(() => {
  org = new MemorySource();
  admin = org.insert('Profile', { Name: 'System Administrator' });
  agentProfile = org.insert('Profile', { Name: 'Custom: Support Agent' });
  const user = (first: string, profile: Row | null, extra: Record<string, unknown>) =>
    org.insert('User', {
      Username: `${first.toLowerCase()}@omni.test`,
      FirstName: first,
      LastName: 'Tester',
      Name: `${first} Tester`,
      ProfileId: profile?.Id ?? null,
      IsActive: true,
      Department: null,
      CreatedDate: '2024-05-15T08:00:00.000+0000',
      ...extra,
    });
  alice = user('Alice', admin, { Department: 'Support' });
  bob = user('Bob', agentProfile, { CreatedDate: '2024-05-14T23:59:59.000+0000' });
  carol = user('Carol', agentProfile, { IsActive: false, Department: 'sales', CreatedDate: '2024-04-01T00:00:00.000+0000' });
  dave = user('Dave', null, { Department: 'Support' });
  agentsConfig = org.insert('PresenceUserConfig', { DeveloperName: 'Agents_Config', MasterLabel: 'Agents', Capacity: 5 });
  leadsConfig = org.insert('PresenceUserConfig', { DeveloperName: 'Leads', MasterLabel: 'Leads', Capacity: 10 });
  org.insert('PresenceUserConfigUser', { UserId: alice.Id, PresenceUserConfigId: agentsConfig.Id });
  org.insert('PresenceUserConfigUser', { UserId: bob.Id, PresenceUserConfigId: agentsConfig.Id });
  org.insert('PresenceUserConfigUser', { UserId: carol.Id, PresenceUserConfigId: leadsConfig.Id });
  support = org.insert('Group', { Name: 'Support Queue', DeveloperName: 'Support_Queue' });
  org.insert('QueueRoutingConfig', { DeveloperName: 'ToUser', OverflowAssigneeId: alice.Id });
  org.insert('QueueRoutingConfig', { DeveloperName: 'ToGroup', OverflowAssigneeId: support.Id });
  org.insert('QueueRoutingConfig', { DeveloperName: 'ToNobody', OverflowAssigneeId: null });
});

describe('executeSoql: record shape', () => {
  it('returns REST-shaped records: attributes, canonical names, SELECT order, nested parents', () => {
    const result = run(org, `select username, ID, profile.NAME from USER where Username = 'alice@omni.test'`);
    expect(result.totalSize).toBe(1);
    const record = result.records[0];
    expect(record).toEqual({
      attributes: { type: 'User', url: `/services/data/v66.0/sobjects/User/${alice.Id}` },
      Username: 'alice@omni.test',
      Id: alice.Id,
      Profile: {
        attributes: { type: 'Profile', url: `/services/data/v66.0/sobjects/Profile/${admin.Id}` },
        Name: 'System Administrator',
      },
    });
    expect(Object.keys(record)).toEqual(['attributes', 'Username', 'Id', 'Profile']);
  });

  it('renders a missing parent as null and a missing field value as null', () => {
    const [record] = run(org, `SELECT Id, Department, Profile.Name FROM User WHERE Id = '${dave.Id}'`).records as Array<Record<string, unknown>>;
    expect(record.Profile).toBeNull();
    expect(record.Department).toBe('Support');
    const [bobRecord] = run(org, `SELECT Department, Alias FROM User WHERE Id = '${bob.Id}'`).records as Array<Record<string, unknown>>;
    expect(bobRecord).toMatchObject({ Department: null, Alias: null });
  });

  it('follows two-level paths and merges fields of the same relationship into one object', () => {
    const records = run(
      org,
      'SELECT Id, User.Username, PresenceUserConfig.DeveloperName, User.Profile.Name, User.Profile.Id FROM PresenceUserConfigUser ORDER BY User.Username',
    ).records as Array<Record<string, any>>;
    expect(records.map((r) => [r.User.Username, r.PresenceUserConfig.DeveloperName, r.User.Profile.Name])).toEqual([
      ['alice@omni.test', 'Agents_Config', 'System Administrator'],
      ['bob@omni.test', 'Agents_Config', 'Custom: Support Agent'],
      ['carol@omni.test', 'Leads', 'Custom: Support Agent'],
    ]);
    expect(Object.keys(records[0])).toEqual(['attributes', 'Id', 'User', 'PresenceUserConfig']);
    expect(Object.keys(records[0].User)).toEqual(['attributes', 'Username', 'Profile']);
    expect(Object.keys(records[0].User.Profile)).toEqual(['attributes', 'Name', 'Id']);
  });

  it('types polymorphic parents by their id', () => {
    const records = run(org, 'SELECT DeveloperName, OverflowAssignee.Name FROM QueueRoutingConfig ORDER BY DeveloperName').records as Array<Record<string, any>>;
    expect(records.map((r) => r.OverflowAssignee && [r.OverflowAssignee.attributes.type, r.OverflowAssignee.Name])).toEqual([
      ['Group', 'Support Queue'],
      null,
      ['User', 'Alice Tester'],
    ]);
  });

  it('points record URLs at the Tooling API when asked', () => {
    const [record] = run(org, `SELECT Id FROM User WHERE Id = '${bob.Id}'`, { tooling: true }).records as Array<Record<string, any>>;
    expect(record.attributes.url).toBe(`/services/data/v66.0/tooling/sobjects/User/${bob.Id}`);
  });
});

describe('executeSoql: WHERE', () => {
  it('compares text case-insensitively, and != keeps nulls', () => {
    expect(ids(org, "SELECT Id FROM User WHERE Username = 'ALICE@Omni.Test'")).toEqual([alice.Id]);
    expect(ids(org, "SELECT Id FROM User WHERE Department = 'SUPPORT'")).toEqual([alice.Id, dave.Id]);
    expect(ids(org, "SELECT Id FROM User WHERE Department != 'support'")).toEqual([bob.Id, carol.Id]);
    expect(ids(org, 'SELECT Id FROM User WHERE Department = null')).toEqual([bob.Id]);
    expect(ids(org, 'SELECT Id FROM User WHERE Department != null')).toEqual([alice.Id, carol.Id, dave.Id]);
  });

  it('orders text with < and > case-insensitively and never matches null', () => {
    expect(ids(org, "SELECT Id FROM User WHERE Department < 'T'")).toEqual([alice.Id, carol.Id, dave.Id]);
    expect(ids(org, "SELECT Id FROM User WHERE Department >= 'sUp'")).toEqual([alice.Id, dave.Id]);
  });

  it('filters numbers and booleans', () => {
    expect(ids(org, 'SELECT Id FROM PresenceUserConfig WHERE Capacity > 5')).toEqual([leadsConfig.Id]);
    expect(ids(org, 'SELECT Id FROM PresenceUserConfig WHERE Capacity <= 5.0')).toEqual([agentsConfig.Id]);
    expect(ids(org, 'SELECT Id FROM User WHERE IsActive = false')).toEqual([carol.Id]);
    expect(ids(org, 'SELECT Id FROM User WHERE NOT IsActive = true')).toEqual([carol.Id]);
  });

  it('matches ids in 15- and 18-character form', () => {
    expect(ids(org, `SELECT Id FROM User WHERE Id = '${bob.Id.slice(0, 15)}'`)).toEqual([bob.Id]);
    expect(ids(org, `SELECT Id FROM User WHERE Id = '${bob.Id.toLowerCase()}'`)).toEqual([bob.Id]);
    expect(ids(org, `SELECT Id FROM User WHERE ProfileId IN ('${agentProfile.Id.slice(0, 15)}')`)).toEqual([bob.Id, carol.Id]);
  });

  it('filters on parent paths, including through a null parent', () => {
    expect(ids(org, "SELECT Id FROM User WHERE Profile.Name = 'system administrator'")).toEqual([alice.Id]);
    expect(ids(org, 'SELECT Id FROM User WHERE Profile.Name = null')).toEqual([dave.Id]);
    expect(ids(org, "SELECT UserId FROM PresenceUserConfigUser WHERE PresenceUserConfig.DeveloperName IN ('agents_config', 'Nope')").length).toBe(2);
    expect(ids(org, "SELECT Id FROM PresenceUserConfigUser WHERE User.Profile.Name LIKE 'custom:%'").length).toBe(2);
  });

  it('evaluates LIKE with wildcards, escapes and case-insensitivity', () => {
    org.insert('Profile', { Name: '100% agent_x' });
    org.insert('Profile', { Name: '100 agents' });
    const names = (pattern: string) =>
      (run(org, `SELECT Name FROM Profile WHERE Name LIKE '${pattern}' ORDER BY Name`).records as Array<{ Name: string }>).map((r) => r.Name);
    expect(names('%ADMIN%')).toEqual(['System Administrator']);
    expect(names('custom:%')).toEqual(['Custom: Support Agent']);
    expect(names('%agent')).toEqual(['Custom: Support Agent']);
    expect(names('100\\%%')).toEqual(['100% agent_x']);
    expect(names('100% agent\\_x')).toEqual(['100% agent_x']);
    expect(names('100% agent_')).toEqual(['100 agents']);
    expect(names('_ystem%')).toEqual(['System Administrator']);
    expect(names('System')).toEqual([]);
  });

  it('evaluates IN / NOT IN lists with null members', () => {
    expect(ids(org, "SELECT Id FROM User WHERE FirstName IN ('alice', 'CAROL')")).toEqual([alice.Id, carol.Id]);
    expect(ids(org, "SELECT Id FROM User WHERE Department NOT IN ('support')")).toEqual([bob.Id, carol.Id]);
    expect(ids(org, "SELECT Id FROM User WHERE Department IN (null, 'sales')")).toEqual([bob.Id, carol.Id]);
  });

  it('evaluates semi-joins and anti-joins', () => {
    expect(ids(org, "SELECT Id FROM User WHERE Id IN (SELECT UserId FROM PresenceUserConfigUser WHERE PresenceUserConfig.DeveloperName = 'Leads')")).toEqual([carol.Id]);
    expect(ids(org, 'SELECT Id FROM User WHERE Id NOT IN (SELECT UserId FROM PresenceUserConfigUser)')).toEqual([dave.Id]);
    expect(ids(org, 'SELECT Id FROM Profile WHERE Id IN (SELECT ProfileId FROM User WHERE IsActive = false)')).toEqual([agentProfile.Id]);
    expect(failure(org, 'SELECT Id FROM User WHERE Id IN (SELECT Id, Name FROM User)').errorCode).toBe('MALFORMED_QUERY');
    expect(failure(org, 'SELECT Id FROM User WHERE Id IN (SELECT Id FROM Nope)').errorCode).toBe('INVALID_TYPE');
  });

  it('combines AND, OR and NOT as parenthesised', () => {
    expect(ids(org, "SELECT Id FROM User WHERE IsActive = true AND (Department = 'Support' OR Profile.Name LIKE 'Custom%')")).toEqual([alice.Id, bob.Id, dave.Id]);
    expect(ids(org, "SELECT Id FROM User WHERE (IsActive = true AND Department = 'Support') OR FirstName = 'Carol'")).toEqual([alice.Id, carol.Id, dave.Id]);
    expect(ids(org, "SELECT Id FROM User WHERE NOT (Department = 'Support' OR Department = null)")).toEqual([carol.Id]);
  });

  it('compares datetimes with literals and relative date literals', () => {
    expect(ids(org, 'SELECT Id FROM User WHERE CreatedDate = TODAY')).toEqual([alice.Id, dave.Id]);
    expect(ids(org, 'SELECT Id FROM User WHERE CreatedDate = YESTERDAY')).toEqual([bob.Id]);
    expect(ids(org, 'SELECT Id FROM User WHERE CreatedDate < TODAY')).toEqual([bob.Id, carol.Id]);
    expect(ids(org, 'SELECT Id FROM User WHERE CreatedDate > YESTERDAY')).toEqual([alice.Id, dave.Id]);
    expect(ids(org, 'SELECT Id FROM User WHERE CreatedDate = LAST_N_DAYS:1')).toEqual([alice.Id, bob.Id, dave.Id]);
    expect(ids(org, 'SELECT Id FROM User WHERE CreatedDate = LAST_N_DAYS:60')).toEqual([alice.Id, bob.Id, carol.Id, dave.Id]);
    expect(ids(org, 'SELECT Id FROM User WHERE CreatedDate = THIS_MONTH')).toEqual([alice.Id, bob.Id, dave.Id]);
    expect(ids(org, 'SELECT Id FROM User WHERE CreatedDate >= 2024-05-15T00:00:00Z')).toEqual([alice.Id, dave.Id]);
    expect(ids(org, 'SELECT Id FROM User WHERE CreatedDate < 2024-05-15T02:00:00+02:00')).toEqual([bob.Id, carol.Id]);
  });
});

describe('executeSoql: ORDER BY, LIMIT, OFFSET', () => {
  it('sorts by several keys, case-insensitively, nulls first by default', () => {
    expect(ids(org, 'SELECT Id FROM User ORDER BY Department, FirstName DESC')).toEqual([bob.Id, carol.Id, dave.Id, alice.Id]);
    expect(ids(org, 'SELECT Id FROM User ORDER BY Department DESC NULLS LAST, FirstName')).toEqual([alice.Id, dave.Id, carol.Id, bob.Id]);
    expect(ids(org, 'SELECT Id FROM User ORDER BY Department DESC, FirstName')).toEqual([bob.Id, alice.Id, dave.Id, carol.Id]);
  });

  it('sorts by parent fields', () => {
    expect(ids(org, 'SELECT Id FROM User ORDER BY Profile.Name NULLS LAST, FirstName')).toEqual([bob.Id, carol.Id, alice.Id, dave.Id]);
  });

  it('pages after sorting', () => {
    expect(ids(org, 'SELECT Id FROM User ORDER BY FirstName LIMIT 2')).toEqual([alice.Id, bob.Id]);
    expect(ids(org, 'SELECT Id FROM User ORDER BY FirstName LIMIT 2 OFFSET 1')).toEqual([bob.Id, carol.Id]);
    expect(ids(org, 'SELECT Id FROM User ORDER BY FirstName OFFSET 3')).toEqual([dave.Id]);
    expect(ids(org, 'SELECT Id FROM User LIMIT 0')).toEqual([]);
  });
});

describe('executeSoql: counting and aggregates', () => {
  it('answers COUNT() with totalSize and no records', () => {
    expect(run(org, 'SELECT COUNT() FROM User')).toEqual({ totalSize: 4, records: [] });
    expect(run(org, "SELECT COUNT() FROM User WHERE Department = 'support'")).toEqual({ totalSize: 2, records: [] });
    expect(run(org, 'SELECT COUNT() FROM User LIMIT 3')).toEqual({ totalSize: 3, records: [] });
  });

  it('answers COUNT(Id) as an AggregateResult with expr0, even over no rows', () => {
    expect(run(org, 'SELECT COUNT(Id) FROM User')).toEqual({ totalSize: 1, records: [{ attributes: { type: 'AggregateResult' }, expr0: 4 }] });
    expect(run(org, "SELECT COUNT(Id) FROM User WHERE FirstName = 'nobody'").records).toEqual([{ attributes: { type: 'AggregateResult' }, expr0: 0 }]);
    expect(run(org, 'SELECT COUNT(Department) n, COUNT_DISTINCT(Department) FROM User').records).toEqual([
      { attributes: { type: 'AggregateResult' }, n: 3, expr0: 2 },
    ]);
  });

  it('groups by one field', () => {
    const result = run(org, 'SELECT ProfileId, COUNT(Id), MAX(FirstName) FROM User GROUP BY ProfileId ORDER BY ProfileId NULLS LAST');
    expect(result.records).toEqual([
      { attributes: { type: 'AggregateResult' }, ProfileId: admin.Id, expr0: 1, expr1: 'Alice' },
      { attributes: { type: 'AggregateResult' }, ProfileId: agentProfile.Id, expr0: 2, expr1: 'Carol' },
      { attributes: { type: 'AggregateResult' }, ProfileId: null, expr0: 1, expr1: 'Dave' },
    ]);
    expect(failure(org, 'SELECT FirstName, COUNT(Id) FROM User GROUP BY ProfileId').detail).toBe('Field must be grouped or aggregated: FirstName');
  });
});

describe('executeSoql: name errors', () => {
  it('reports unknown objects as INVALID_TYPE in Salesforce wording', () => {
    const e = failure(org, 'SELECT Id FROM Foo');
    expect(e.errorCode).toBe('INVALID_TYPE');
    expect(e.detail).toBe(
      "sObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    expect(e.message).toContain('ERROR at Row:1:Column:16');
  });

  it('reports unknown fields and relationships as INVALID_FIELD wherever they appear', () => {
    const e = failure(org, 'SELECT Id, Bar FROM User');
    expect(e.errorCode).toBe('INVALID_FIELD');
    expect(e.detail).toBe(
      "No such column 'Bar' on entity 'User'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    expect(failure(org, "SELECT Id FROM User WHERE Bar = 'x'").errorCode).toBe('INVALID_FIELD');
    expect(failure(org, 'SELECT Id FROM User ORDER BY Bar').errorCode).toBe('INVALID_FIELD');
    expect(failure(org, 'SELECT Profile.Bar FROM User').detail).toContain("No such column 'Bar' on entity 'Profile'");
    const rel = failure(org, 'SELECT Nope.Name FROM User');
    expect(rel.errorCode).toBe('INVALID_FIELD');
    expect(rel.detail).toContain("Didn't understand relationship 'Nope' in field path");
    // A reference field is not a relationship name.
    expect(failure(org, 'SELECT ProfileId.Name FROM User').errorCode).toBe('INVALID_FIELD');
    expect(failure(org, 'SELECT Profile FROM User').errorCode).toBe('INVALID_FIELD');
  });

  it('rejects literals of the wrong type for the field', () => {
    expect(failure(org, "SELECT Id FROM User WHERE IsActive = 'true'").detail).toBe(
      "value of filter criterion for field 'IsActive' must be of type boolean and should not be enclosed in quotes",
    );
    expect(failure(org, 'SELECT Id FROM User WHERE Username = 5').detail).toBe(
      "value of filter criterion for field 'Username' must be of type string and should be enclosed in quotes",
    );
    expect(failure(org, "SELECT Id FROM PresenceUserConfig WHERE Capacity IN ('5')").errorCode).toBe('INVALID_FIELD');
    expect(failure(org, "SELECT Id FROM User WHERE CreatedDate > '2024-01-01'").errorCode).toBe('INVALID_FIELD');
  });
});

describe('executeSoql: index use and work done', () => {
  it('answers top-level equality and IN from the index without scanning', () => {
    org.scans = 0;
    expect(ids(org, "SELECT Id FROM User WHERE Username = 'BOB@omni.test'")).toEqual([bob.Id]);
    expect(ids(org, `SELECT Id FROM User WHERE Id IN ('${alice.Id}', '${carol.Id.slice(0, 15)}') AND IsActive = true`)).toEqual([alice.Id]);
    expect(ids(org, `SELECT Id FROM PresenceUserConfigUser WHERE UserId = '${bob.Id}'`).length).toBe(1);
    expect(org.scans).toBe(0);
    expect(org.lookups).toBeGreaterThan(0);
    // OR cannot be answered from one index; case-sensitive text fields never are.
    ids(org, `SELECT Id FROM User WHERE Id = '${alice.Id}' OR FirstName = 'Bob'`);
    ids(org, "SELECT Id FROM User WHERE FirstName = 'bob'");
    expect(org.scans).toBe(2);
  });

  it('gives the same answers with and without an index', () => {
    const queries = [
      "SELECT Id FROM User WHERE Username IN ('alice@omni.test', 'CAROL@OMNI.TEST', 'x@y.z')",
      `SELECT Id FROM User WHERE ProfileId = '${agentProfile.Id}' AND Department = null`,
      `SELECT Id FROM PresenceUserConfigUser WHERE PresenceUserConfigId IN ('${agentsConfig.Id}')`,
    ];
    const withIndex = queries.map((q) => ids(org, q));
    org.indexed = false;
    expect(queries.map((q) => ids(org, q))).toEqual(withIndex);
    expect(withIndex.map((r) => r.length)).toEqual([2, 1, 2]);
  });

  it('does work proportional to the answer on 100k rows: an indexed IN list or lookup touches only its rows, a sort scans once', () => {
    // Work is counted through the data source (rows visited, scans, lookups, parent fetches), never timed.
    const big = new MemorySource();
    const profile = big.insert('Profile', { Name: 'P' });
    const users: Row[] = [];
    for (let i = 0; i < 100_000; i++) {
      users.push(big.insert('User', { Username: `u${i}@big.test`, FirstName: `F${(i * 7919) % 100_000}`, ProfileId: profile.Id, IsActive: i % 10 === 0 }));
    }
    const wanted = users.filter((_, i) => i % 500 === 0).map((u) => u.Id);
    const inQuery = parseSoql(`SELECT Id, Username FROM User WHERE Id IN ('${wanted.join("','")}')`);
    big.resetCounters();
    const inResult = executeSoql(inQuery, big, { apiVersion: '66.0' });
    expect(inResult.totalSize).toBe(200);
    expect((inResult.records as Array<{ Id: string }>).map((r) => r.Id).sort()).toEqual([...wanted].sort());
    // One index probe per id and the 200 matching rows — the 100k-row table is never scanned.
    expect(big.scans).toBe(0);
    expect(big.lookups).toBe(200);
    expect(big.visited).toBe(200);

    big.resetCounters();
    const one = executeSoql(parseSoql("SELECT Id FROM User WHERE Username = 'U99999@BIG.TEST'"), big, { apiVersion: '66.0' });
    expect(one.totalSize).toBe(1);
    expect([big.scans, big.lookups, big.visited]).toEqual([0, 1, 1]);

    // Without an index the same IN list is answered by one pass over the table (and gives the same rows).
    big.indexed = false;
    big.resetCounters();
    const scanned = executeSoql(inQuery, big, { apiVersion: '66.0' });
    expect(scanned.records).toEqual(inResult.records);
    expect([big.scans, big.visited]).toEqual([1, 100_000]);
    big.indexed = true;

    // A boolean filter has no index: one scan of the table; the 10k matches are sorted, and each
    // result row's parent (Profile.Name) is fetched once — not once per comparison.
    big.resetCounters();
    const sorted = executeSoql(parseSoql('SELECT Id, FirstName, Profile.Name FROM User WHERE IsActive = true ORDER BY FirstName DESC'), big, { apiVersion: '66.0' });
    expect(sorted.totalSize).toBe(10_000);
    const names = (sorted.records as Array<{ FirstName: string }>).map((r) => r.FirstName.toUpperCase());
    expect(names.every((n, i) => i === 0 || names[i - 1] >= n)).toBe(true);
    expect((sorted.records as Array<{ Profile: { Name: string } }>).every((r) => r.Profile.Name === 'P')).toBe(true);
    expect([big.scans, big.visited]).toEqual([1, 100_000]);
    expect(big.gets).toBeLessThanOrEqual(10_000);
  });
});
