import { describe, expect, it } from 'vitest';
import { parseSoql, SoqlError, type Condition, type SoqlQuery } from '../../../local-org/soql/index.ts';

function where(text: string): Condition {
  const q = parseSoql(`SELECT Id FROM User WHERE ${text}`);
  if (!q.where) throw new Error('no WHERE parsed');
  return q.where;
}

/** A compact rendering of a condition tree, so precedence is visible in one string. */
function show(c: Condition): string {
  switch (c.kind) {
    case 'and':
      return `(${c.items.map(show).join(' AND ')})`;
    case 'or':
      return `(${c.items.map(show).join(' OR ')})`;
    case 'not':
      return `NOT ${show(c.item)}`;
    case 'compare':
      return `${c.field.path.join('.')}${c.op}`;
    case 'in':
      return `${c.field.path.join('.')}${c.negated ? ' NOT' : ''} IN[${c.values.length}]`;
    case 'inQuery':
      return `${c.field.path.join('.')}${c.negated ? ' NOT' : ''} IN(SELECT FROM ${c.query.from.name})`;
    case 'like':
      return `${c.field.path.join('.')} LIKE`;
  }
}

function literalOf(text: string): unknown {
  const c = where(`Name = ${text}`);
  if (c.kind !== 'compare') throw new Error(c.kind);
  return c.value;
}

function parseError(text: string): SoqlError {
  try {
    parseSoql(text);
  } catch (e) {
    if (e instanceof SoqlError) return e;
    throw e;
  }
  throw new Error(`parsed without error: ${text}`);
}

describe('parseSoql: SELECT and FROM', () => {
  it('reads field lists with relationship paths up to two levels', () => {
    const q = parseSoql('SELECT Id, PresenceUserConfig.DeveloperName, User.Profile.Name FROM PresenceUserConfigUser');
    expect(q.select.map((s) => s.field.path)).toEqual([['Id'], ['PresenceUserConfig', 'DeveloperName'], ['User', 'Profile', 'Name']]);
    expect(q.from.name).toBe('PresenceUserConfigUser');
    expect(q.countOnly).toBe(false);
  });

  it('is case-insensitive in keywords and keeps names as written', () => {
    const q = parseSoql('select id, NAME from user where name = \'x\' order by name desc limit 5');
    expect(q.select[1].field.path).toEqual(['NAME']);
    expect(q.from.name).toBe('user');
    expect(q.limit).toBe(5);
    expect(q.orderBy[0].descending).toBe(true);
  });

  it('reads COUNT() as a count-only query', () => {
    const q = parseSoql('SELECT COUNT() FROM User WHERE IsActive = true');
    expect(q.countOnly).toBe(true);
    expect(q.select).toEqual([]);
  });

  it('reads aggregate functions with optional aliases and GROUP BY', () => {
    const q = parseSoql('SELECT ProfileId, COUNT(Id) total, MAX(Name) FROM User GROUP BY ProfileId');
    expect(q.select.map((s) => (s.kind === 'aggregate' ? `${s.fn}:${s.alias ?? ''}` : 'field'))).toEqual(['field', 'COUNT:total', 'MAX:']);
    expect(q.groupBy.map((g) => g.path)).toEqual([['ProfileId']]);
  });

  it('strips a FROM alias from paths', () => {
    const q = parseSoql("SELECT u.Name, u.Profile.Name FROM User u WHERE u.Name = 'a' ORDER BY u.Name");
    expect(q.select.map((s) => s.field.path)).toEqual([['Name'], ['Profile', 'Name']]);
    expect(q.orderBy[0].field.path).toEqual(['Name']);
    expect(q.where?.kind === 'compare' && q.where.field.path).toEqual(['Name']);
  });

  it('accepts and ignores WITH security modes and FOR VIEW / REFERENCE / UPDATE', () => {
    for (const tail of ['WITH SECURITY_ENFORCED', 'WITH USER_MODE', 'WITH SYSTEM_MODE', 'FOR VIEW', 'FOR REFERENCE', 'FOR UPDATE', 'LIMIT 1 FOR VIEW']) {
      expect(parseSoql(`SELECT Id FROM User WHERE Name = 'a' ${tail}`).from.name).toBe('User');
    }
    expect(parseError('SELECT Id FROM User WITH NOBODY').errorCode).toBe('MALFORMED_QUERY');
  });

  it('reads ORDER BY with direction and null placement, LIMIT and OFFSET', () => {
    const q: SoqlQuery = parseSoql('SELECT Id FROM User ORDER BY Profile.Name DESC NULLS LAST, Name ASC, Alias NULLS FIRST LIMIT 10 OFFSET 20');
    expect(q.orderBy.map((o) => [o.field.path.join('.'), o.descending, o.nullsLast])).toEqual([
      ['Profile.Name', true, true],
      ['Name', false, false],
      ['Alias', false, false],
    ]);
    expect([q.limit, q.offset]).toEqual([10, 20]);
  });
});

describe('parseSoql: WHERE', () => {
  it('reads every comparison operator, with <> meaning !=', () => {
    for (const op of ['=', '!=', '<', '>', '<=', '>=']) {
      const c = where(`Name ${op} 'a'`);
      expect(c.kind === 'compare' && c.op).toBe(op);
    }
    const c = where("Name <> 'a'");
    expect(c.kind === 'compare' && c.op).toBe('!=');
  });

  it('chains AND and OR, binds NOT to the next expression, honours parentheses', () => {
    expect(show(where("A = 1 AND B = 2 AND C = 3"))).toBe('(A= AND B= AND C=)');
    expect(show(where("A = 1 OR B = 2 OR C = 3"))).toBe('(A= OR B= OR C=)');
    expect(show(where("A = 1 AND (B = 2 OR C = 3)"))).toBe('(A= AND (B= OR C=))');
    expect(show(where("(A = 1 AND B = 2) OR C = 3"))).toBe('((A= AND B=) OR C=)');
    expect(show(where("NOT A = 1 AND B = 2"))).toBe('(NOT A= AND B=)');
    expect(show(where("NOT (A = 1 OR B = 2)"))).toBe('NOT (A= OR B=)');
    expect(show(where("A = 1 AND NOT NOT B = 2"))).toBe('(A= AND NOT NOT B=)');
    expect(show(where("((A = 1))"))).toBe('A=');
  });

  it('rejects AND and OR mixed without parentheses, as Salesforce does', () => {
    const e = parseError('SELECT Id FROM User WHERE A = 1 AND B = 2 OR C = 3');
    expect(e.errorCode).toBe('MALFORMED_QUERY');
    expect(e.detail).toBe("unexpected token: 'OR'");
    expect(parseError('SELECT Id FROM User WHERE A = 1 OR B = 2 AND C = 3').detail).toBe("unexpected token: 'AND'");
  });

  it('reads IN and NOT IN lists and semi-joins', () => {
    expect(show(where("Id IN ('a', 'b', 'c')"))).toBe('Id IN[3]');
    expect(show(where("Id NOT IN ('a')"))).toBe('Id NOT IN[1]');
    expect(show(where("UserId IN (SELECT Id FROM User WHERE IsActive = true)"))).toBe('UserId IN(SELECT FROM User)');
    expect(show(where("UserId NOT IN (SELECT AssigneeId FROM PermissionSetAssignment)"))).toBe('UserId NOT IN(SELECT FROM PermissionSetAssignment)');
    expect(show(where("PresenceUserConfig.DeveloperName IN ('a','b')"))).toBe('PresenceUserConfig.DeveloperName IN[2]');
  });

  it('reads LIKE patterns, keeping escaped wildcards literal', () => {
    const c = where("Name LIKE 'a\\%b%c_\\_'");
    if (c.kind !== 'like') throw new Error(c.kind);
    expect(c.pattern.like).toEqual([{ text: 'a%b' }, '%', { text: 'c' }, '_', { text: '_' }]);
    expect(parseError("SELECT Id FROM User WHERE Name LIKE 5").errorCode).toBe('MALFORMED_QUERY');
  });

  it('reads literals: null, booleans, numbers, dates, datetimes and date literals', () => {
    expect(literalOf('null')).toMatchObject({ kind: 'null' });
    expect(literalOf('NULL')).toMatchObject({ kind: 'null' });
    expect(literalOf('TRUE')).toMatchObject({ kind: 'boolean', value: true });
    expect(literalOf('false')).toMatchObject({ kind: 'boolean', value: false });
    expect(literalOf('42')).toMatchObject({ kind: 'number', value: 42 });
    expect(literalOf('-3.5')).toMatchObject({ kind: 'number', value: -3.5 });
    expect(literalOf('2024-01-31')).toMatchObject({ kind: 'date', value: '2024-01-31' });
    expect(literalOf('2024-01-01T00:00:00Z')).toMatchObject({ kind: 'datetime', epochMs: Date.UTC(2024, 0, 1) });
    expect(literalOf('2024-01-01T10:00:00.250+02:00')).toMatchObject({ kind: 'datetime', epochMs: Date.UTC(2024, 0, 1, 8, 0, 0, 250) });
    expect(literalOf('2024-01-01T10:00:00-0800')).toMatchObject({ kind: 'datetime', epochMs: Date.UTC(2024, 0, 1, 18) });
    expect(literalOf('TODAY')).toMatchObject({ kind: 'dateLiteral', name: 'TODAY' });
    expect(literalOf('yesterday')).toMatchObject({ kind: 'dateLiteral', name: 'YESTERDAY' });
    expect(literalOf('LAST_N_DAYS:30')).toMatchObject({ kind: 'dateLiteral', name: 'LAST_N_DAYS', n: 30 });
    expect(parseError("SELECT Id FROM User WHERE Name = 2024-02-30").errorCode).toBe('MALFORMED_QUERY');
    expect(parseError("SELECT Id FROM User WHERE Name = LAST_N_DAYS").errorCode).toBe('MALFORMED_QUERY');
    expect(parseError("SELECT Id FROM User WHERE Name = Bob").detail).toBe("unexpected token: 'Bob'");
  });

  it('decodes every SOQL string escape', () => {
    expect(literalOf(String.raw`'O\'Brien'`)).toMatchObject({ value: "O'Brien" });
    expect(literalOf(String.raw`'a\\b'`)).toMatchObject({ value: 'a\\b' });
    expect(literalOf(String.raw`'\n\r\t\b\f\"'`)).toMatchObject({ value: '\n\r\t\b\f"' });
    expect(literalOf(String.raw`'\u00e9\u4E2D'`)).toMatchObject({ value: 'é中' });
    // Outside LIKE, \% and \_ keep the backslash (they only mean something in a pattern).
    expect(literalOf(String.raw`'50\% a\_b'`)).toMatchObject({ value: '50\\% a\\_b' });
    expect(literalOf("'raw\nnewline ünïcödé 🎉'")).toMatchObject({ value: 'raw\nnewline ünïcödé 🎉' });
  });

  it('rejects unknown escapes and unterminated strings', () => {
    const bad = parseError(String.raw`SELECT Id FROM User WHERE Name = 'a\qb'`);
    expect(bad.errorCode).toBe('MALFORMED_QUERY');
    expect(bad.detail).toContain("Illegal character sequence '\\q'");
    expect(parseError(String.raw`SELECT Id FROM User WHERE Name = 'a\u12'`).errorCode).toBe('MALFORMED_QUERY');
    expect(parseError("SELECT Id FROM User WHERE Name = 'abc").errorCode).toBe('MALFORMED_QUERY');
  });
});

describe('parseSoql: errors', () => {
  it('reports the unexpected token with row and column like the real service', () => {
    const e = parseError('SELECT Id FROM User WHERE');
    expect(e.errorCode).toBe('MALFORMED_QUERY');
    expect(e.detail).toBe('unexpected token: <EOF>');
    expect([e.row, e.column]).toEqual([1, 26]);
    expect(e.message).toBe('\nSELECT Id FROM User WHERE\n                         ^\nERROR at Row:1:Column:26\nunexpected token: <EOF>');
  });

  it('counts rows and columns across lines', () => {
    const e = parseError('SELECT Id\nFROM User\nWHERE Name = = 1');
    expect([e.row, e.column]).toEqual([3, 14]);
    expect(e.detail).toBe("unexpected token: '='");
  });

  it('rejects malformed statements with MALFORMED_QUERY', () => {
    for (const text of [
      '',
      'SELECT',
      'SELECT FROM User',
      'SELECT Id User',
      'SELECT Id, FROM User',
      'SELECT Id FROM',
      'SELECT Id FROM User WHERE Name',
      "SELECT Id FROM User WHERE Name = 'a' extra",
      'SELECT Id FROM User LIMIT -1',
      'SELECT Id FROM User LIMIT 1.5',
      'SELECT Id FROM User ORDER Name',
      'SELECT Id FROM User WHERE (Name = 1',
      'SELECT Id FROM User WHERE Name IN ()',
      'SELECT Id, COUNT() FROM User',
      'SELECT FOO(Id) FROM User',
      'SELECT Id FROM User WHERE Name = #',
      'SELECT Id FROM User WHERE Name.= 1',
      'SELECT Select FROM User',
    ]) {
      expect(parseError(text).errorCode, text).toBe('MALFORMED_QUERY');
    }
  });
});

describe('parseSoql: lexical errors', () => {
  it('names the bad character and its line', () => {
    const e = parseError('SELECT Id\nFROM User WHERE Name = #');
    expect(e.errorCode).toBe('MALFORMED_QUERY');
    expect(e.detail).toBe("line 2:23 no viable alternative at character '#'");
    expect([e.row, e.column]).toEqual([2, 24]);
  });
});

describe('FROM Group', () => {
  it('accepts the reserved word Group as the object name, as Salesforce does', async () => {
    const { parseSoql } = await import('../../../local-org/soql/index.ts');
    const query = parseSoql("SELECT Id, DeveloperName FROM Group WHERE Type = 'Queue'");
    expect(query.from.name).toBe('Group');
    expect(() => parseSoql('SELECT Id FROM Account GROUP')).toThrow();
  });
});

describe('Group as a relationship name [F-45]', () => {
  it('GroupMember.Group.* is a field path in SELECT, WHERE and ORDER BY', () => {
    const q = parseSoql("SELECT UserOrGroupId, Group.Name FROM GroupMember WHERE Group.DeveloperName = 'Support' ORDER BY Group.Name");
    expect(q.select.map((s) => (s.kind === 'field' ? s.field.path.join('.') : ''))).toEqual(['UserOrGroupId', 'Group.Name']);
    expect(q.where).toMatchObject({ kind: 'compare', field: { path: ['Group', 'DeveloperName'] } });
    expect(q.orderBy[0].field.path).toEqual(['Group', 'Name']);
  });

  it('GROUP alone is still the keyword: GROUP BY parses, a bare Group field does not', () => {
    expect(parseSoql('SELECT Type, COUNT(Id) FROM Group GROUP BY Type').groupBy[0].path).toEqual(['Type']);
    expect(parseError('SELECT Group FROM GroupMember').errorCode).toBe('MALFORMED_QUERY');
  });
});
