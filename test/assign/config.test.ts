import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadAssignmentFile, loadAssignmentText, renderAssignmentsJsonSchema } from '../../scripts/assign/assignment-file.ts';
import { parseAssignmentCsv, parseCsvRecords, csvField } from '../../scripts/assign/csv.ts';
import { desiredFromFlags } from '../../scripts/assign/config.ts';
import { checkWhereCondition, wrapWhereCondition } from '../../scripts/assign/where.ts';
import { soqlQuote } from '../../scripts/org/soql.ts';
import { parseSoql } from '../../local-org/soql/index.ts';
import { chunkInList } from '../../scripts/assign/api.ts';
import { REPO_ROOT } from '../helpers/local-org.ts';
import { binaryString } from '../helpers/arbitraries.ts';

const load = (text: string) => loadAssignmentText(text, { file: 'x.yaml', baseDir: REPO_ROOT });

describe('assignment file', () => {
  it('the committed JSON Schema is the one generated from the zod schema', () => {
    expect(readFileSync(join(REPO_ROOT, 'config/assignments/assignments.schema.json'), 'utf8')).toBe(renderAssignmentsJsonSchema());
  });

  it('the committed files load without problems', () => {
    for (const f of ['local.yaml', 'example.yaml']) {
      const r = loadAssignmentFile(join(REPO_ROOT, 'config/assignments', f), f);
      expect(r.problems).toEqual([]);
    }
    const example = loadAssignmentFile(join(REPO_ROOT, 'config/assignments/example.yaml'), 'config/assignments/example.yaml').desired!;
    expect(example.users.map((u) => u.kind).sort()).toEqual(['email', 'federationId', 'permissionSet', 'profileUsers', 'username', 'username', 'username', 'where']);
    expect(example.users.find((u) => u.value === "o'brien@acme.example.uat")?.origin).toEqual({ file: 'config/assignments/example-agents.csv', line: 3, column: 1 });
  });

  it("the README's assignment-file examples load as written, with the CSV files they name", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Assignment files'), readme.indexOf('\n## ', readme.indexOf('## Assignment files') + 3));
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /^(presenceConfigurations|queues|skills):/m.test(b));
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const dir = mkdtempSync(join(tmpdir(), 'omni-readme-assign-'));
    try {
      for (const [n, block] of blocks.entries()) {
        // Every CSV a block names exists, with a username column, as the README says it must.
        for (const m of block.matchAll(/csv:\s*\[?([\w.-]+\.csv)/g)) writeFileSync(join(dir, m[1]), 'username\nana.csv@acme.example\n');
        const file = join(dir, `readme-${n}.yaml`);
        writeFileSync(file, block);
        const r = loadAssignmentFile(file, `readme-${n}.yaml`);
        expect(r.problems, block).toEqual([]);
        const fromCsv = [...r.desired!.users, ...(r.desired!.queues?.users ?? [])].filter((u) => u.value === 'ana.csv@acme.example');
        if (/csv:/.test(block)) expect(fromCsv.length, block).toBeGreaterThan(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('csv: takes one path or a list, at the top and under users:, each located', () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-csv-forms-'));
    try {
      writeFileSync(join(dir, 'pairs.csv'), 'username,presenceConfig\na@x.com,voice\n');
      writeFileSync(join(dir, 'names.csv'), 'username\nb@x.com\n');
      const opts = { file: 'f.yaml', baseDir: dir };
      const one = loadAssignmentText('csv: pairs.csv\npresenceConfigurations:\n  miaw:\n    users:\n      csv: names.csv\n', opts);
      expect(one.problems).toEqual([]);
      const list = loadAssignmentText('csv: [pairs.csv]\npresenceConfigurations:\n  miaw:\n    users:\n      csv: [names.csv]\n', opts);
      expect(list.problems).toEqual([]);
      const pick = (r: typeof one) => r.desired!.users.map((u) => [u.kind, u.value, u.config]).sort();
      expect(pick(one)).toEqual([['username', 'a@x.com', 'voice'], ['username', 'b@x.com', 'miaw']]);
      expect(pick(list)).toEqual(pick(one));
      const missing = loadAssignmentText('presenceConfigurations:\n  miaw:\n    users:\n      csv: nothere.csv\n', opts);
      expect(missing.problems).toHaveLength(1);
      expect(missing.problems[0].origin).toMatchObject({ file: 'f.yaml', line: 4, column: 12 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('locates YAML syntax errors, unknown keys (with a hint) and type errors at line:col', () => {
    const syntax = load('presenceConfigurations:\n  miaw:\n    profiles: [a\n');
    expect(syntax.problems[0].origin.line).toBeGreaterThanOrEqual(3);
    const typo = load('presenceConfigurations:\n  miaw:\n    users:\n      usernmes: [a@b.c]\n');
    expect(typo.problems).toHaveLength(1);
    expect(typo.problems[0]).toMatchObject({ message: 'Unknown key "usernmes" in presenceConfigurations.miaw.users.', hint: 'Did you mean "usernames"?', origin: { file: 'x.yaml', line: 4, column: 7 } });
    const type = load('presenceConfigurations:\n  miaw:\n    profiles: Support\n');
    expect(type.problems[0].origin).toEqual({ file: 'x.yaml', line: 3, column: 15 });
    const dup = load('presenceConfigurations:\n  miaw: {}\n  miaw: {}\n');
    expect(dup.problems[0].origin.line).toBe(3);
  });

  it('reports every bad CSV row at file:line', () => {
    const { rows, problems } = parseAssignmentCsv('username,presenceConfig\na@x.com,miaw\nb@x.com\n,miaw\n"c d@x.com",miaw\na@x.com,voice\n"e@x.com","mi,aw"\n', 'agents.csv');
    expect(rows.map((r) => r.username)).toEqual(['a@x.com', 'e@x.com']);
    expect(rows[1].presenceConfig).toBe('mi,aw');
    expect(problems.map((p) => p.origin.line)).toEqual([3, 4, 5, 6]);
    expect(problems[3].message).toContain('two configurations');
    expect(parseAssignmentCsv('user,config\n', 'h.csv').problems[0].message).toContain('header');
  });

  it('a short row is told to give every column, a long one to quote its commas', () => {
    const { problems } = parseAssignmentCsv('username,presenceConfig\nb@x.com\nc@x.com,Smith, Jane\n', 'agents.csv');
    expect(problems.map((p) => [p.origin.line, p.message])).toEqual([
      [2, 'CSV row has 1 field, the header has 2.'],
      [3, 'CSV row has 3 fields, the header has 2.'],
    ]);
    expect(problems[0].hint).toMatch(/one value for each of the header's 2 columns/);
    expect(problems[0].hint).not.toMatch(/[Qq]uote/);
    expect(problems[1].hint).toMatch(/Quote a value that contains a comma/);
  });

  it('CSV fields round-trip (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 5 }), (pairs) => {
        const text = pairs.map(([a, b]) => `${csvField(a)},${csvField(b)}`).join('\n');
        const parsed = parseCsvRecords(text).records.map((r) => r.fields);
        const neutralised = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
        expect(parsed).toEqual(pairs.map(([a, b]) => [neutralised(a), neutralised(b)]));
      }),
    );
  });
});

describe("problems of one file are listed in line:column order", () => {
  const where = (problems: Array<{ origin: { file: string; line?: number; column?: number } }>) => problems.map((p) => `${p.origin.file}:${p.origin.line}:${p.origin.column}`);

  it('--csv: the row with 1 field (line 3) comes before the unterminated quote (line 4)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-csv-order-'));
    try {
      writeFileSync(join(dir, 'bad.csv'), 'username,presenceConfig\na@x.com,miaw\nb@x.com\n"c@x.com,miaw\n');
      const { problems } = desiredFromFlags({ csv: ['bad.csv'], cwd: dir });
      expect(where(problems)).toEqual(['bad.csv:3:1', 'bad.csv:4:1']);
      expect(problems[0].message).toBe('CSV row has 1 field, the header has 2.');
      expect(problems[1].message).toMatch(/unterminated quoted field/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a username CSV named by an assignment file: its bad rows, then its syntax error, each file in line order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-csv-order-'));
    try {
      writeFileSync(join(dir, 'names.csv'), 'username\nnot a username\nb@x.com\n"c@x.com\n');
      const r = loadAssignmentText('presenceConfigurations:\n  miaw:\n    users:\n      csv: names.csv\n', { file: 'f.yaml', baseDir: dir });
      expect(where(r.problems)).toEqual(['names.csv:2:1', 'names.csv:4:1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('YAML: a problem at line 3 is listed before one at line 6, whatever order the schema checks its sections in', () => {
    const r = load('queues:\n  Q:\n    users: 5\npresenceConfigurations:\n  miaw:\n    profiles: Support\n');
    expect(where(r.problems)).toEqual(['x.yaml:3:12', 'x.yaml:6:15']);
  });

  it('any CSV of good and bad rows, maybe cut by an unterminated quote: one problem per bad row and the syntax error last, in line order (property)', () => {
    const kinds = ['good', 'short', 'long', 'noConfig', 'noUser'] as const;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...kinds), { maxLength: 12 }), fc.boolean(), (rows, cut) => {
        const text = ['username,presenceConfig']
          .concat(
            rows.map((k, i) => ({ good: `u${i}@x.com,miaw`, short: `u${i}@x.com`, long: `u${i}@x.com,miaw,extra`, noConfig: `u${i}@x.com,`, noUser: ',miaw' })[k]),
            cut ? ['"z@x.com,miaw'] : [],
          )
          .join('\n');
        // The header is line 1, row i is line i + 2; the unterminated quote is the last line.
        const expected = rows.flatMap((k, i) => (k === 'good' ? [] : [i + 2])).concat(cut ? [rows.length + 2] : []);
        const { problems } = parseAssignmentCsv(text, 'a.csv');
        expect(problems.map((p) => p.origin.line)).toEqual(expected);
        if (cut) expect(problems.at(-1)!.message).toMatch(/unterminated/);
      }),
    );
  });
});

describe('SOQL condition on User', () => {
  it('accepts plain conditions', () => {
    for (const ok of ["Department = 'Support'", "Department = 'Sup)port' AND (Title LIKE 'Agent%' OR IsActive = true)", "Name = 'O\\'Brien'"]) {
      expect(checkWhereCondition(ok), ok).toBeUndefined();
    }
  });

  it('refuses anything that could leave the WHERE clause', () => {
    const bad = [
      "Department = 'x') OR (Id != null",
      "Department = 'x'; DELETE",
      "Id IN (SELECT UserId FROM PresenceUserConfigUser)",
      "Department = 'x' LIMIT 1",
      "Department = 'x' ORDER BY Name",
      "Department = 'unterminated",
      "Department = 'x' -- comment",
      'Department = :bind',
      '(Department = \'x\'',
      '',
    ];
    for (const b of bad) expect(checkWhereCondition(b), b).toBeDefined();
  });

  it('a quoted arbitrary string always stays one literal inside the wrapped condition (property)', () => {
    fc.assert(
      fc.property(binaryString(), (value) => {
        const condition = `Username = ${soqlQuote(value)}`;
        expect(checkWhereCondition(condition)).toBeUndefined();
        const query = parseSoql(`SELECT Id FROM User WHERE ${wrapWhereCondition(condition)}`);
        const where = query.where as { kind: string; value: { kind: string; value: string } };
        expect(where.kind).toBe('compare');
        expect(where.value.value).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('IN lists are chunked under the URL limit and each chunk is valid SOQL', () => {
    const values = Array.from({ length: 3000 }, (_, i) => `user${i}.ł'"\\@x.com`);
    const chunks = chunkInList(values, 100);
    expect(chunks.length).toBeGreaterThan(1);
    let n = 0;
    for (const c of chunks) {
      expect(encodeURIComponent(c).length).toBeLessThanOrEqual(12_000);
      const q = parseSoql(`SELECT Id FROM User WHERE Username IN ${c}`);
      n += (q.where as { values: unknown[] }).values.length;
    }
    expect(n).toBe(3000);
  });
});

describe('IN-list call estimate', () => {
  it('equals the number of chunks actually built (property)', async () => {
    const { inListCalls } = await import('../../scripts/assign/api.ts');
    fc.assert(
      fc.property(fc.array(binaryString({ maxLength: 60 }), { maxLength: 400 }), fc.integer({ min: 50, max: 3000 }), (values, limit) => {
        // A value that cannot fit alone makes both refuse (QueryTooLong) rather than build a query ending in HTTP 431.
        const outcome = (f: () => number) => {
          try {
            return f();
          } catch (error) {
            return (error as Error).name;
          }
        };
        expect(outcome(() => inListCalls(values, 100, limit))).toBe(outcome(() => chunkInList(values, 100, limit).length));
      }),
      { numRuns: 200 },
    );
  });

  it('"at least n calls" agrees with the chunks actually built, for every n (property)', async () => {
    const { inListCallsAtLeast } = await import('../../scripts/assign/api.ts');
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme-ascii', maxLength: 40 }), { maxLength: 3000 }), fc.integer({ min: 200, max: 3000 }), fc.integer({ min: 0, max: 40 }), (values, limit, n) => {
        expect(inListCallsAtLeast(values, 100, n, limit)).toBe(chunkInList(values, 100, limit).length >= n);
      }),
      { numRuns: 200 },
    );
  });
});

describe('retry policy', () => {
  it('backoff grows exponentially to a cap with jitter in [cap/2, cap]', async () => {
    const { backoffMs } = await import('../../scripts/assign/api.ts');
    const policy = { attempts: 8, baseMs: 100, maxMs: 1000 };
    for (const [attempt, cap] of [[0, 100], [1, 200], [2, 400], [3, 800], [4, 1000], [9, 1000]]) {
      const samples = Array.from({ length: 200 }, () => backoffMs(attempt, policy));
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(cap / 2);
      expect(Math.max(...samples)).toBeLessThanOrEqual(cap);
      // Jitter: parallel workers do not retry in lockstep.
      expect(new Set(samples).size).toBeGreaterThan(10);
    }
  });

  it('transient: 5xx, UNABLE_TO_LOCK_ROW, dropped connections; INVALID_SESSION_ID (jsforce already refreshed when it could) is a lost session, not transient; the rest is permanent', async () => {
    const { classifyError, withRetry, SessionLost } = await import('../../scripts/assign/api.ts');
    const err = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.message ?? 'x')), fields);
    for (const e of [err({ errorCode: 'UNABLE_TO_LOCK_ROW' }), err({ errorCode: 'ERROR_HTTP_503' }), err({ errorCode: 'ERROR_HTTP_500' }), err({ errorCode: 'SERVER_UNAVAILABLE' }), err({ message: 'fetch failed', cause: { code: 'ECONNRESET' } }), err({ message: 'socket hang up' })]) {
      expect(classifyError(e), e.message + JSON.stringify(e)).toBe('transient');
    }
    for (const e of [err({ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }), err({ errorCode: 'ERROR_HTTP_401' }), err({ name: 'RefreshTokenAuthError', message: 'expired access/refresh token' })]) {
      expect(classifyError(e), JSON.stringify(e)).toBe('session');
    }
    // Never retried: the first one ends the call.
    let sessionCalls = 0;
    await expect(withRetry(() => (++sessionCalls, Promise.reject(err({ errorCode: 'INVALID_SESSION_ID' }))), { attempts: 5, baseMs: 1, maxMs: 2 })).rejects.toBeInstanceOf(SessionLost);
    expect(sessionCalls).toBe(1);
    for (const e of [err({ errorCode: 'INVALID_FIELD' }), err({ errorCode: 'INVALID_CROSS_REFERENCE_KEY' }), err({ errorCode: 'MALFORMED_QUERY' }), err({ errorCode: 'ERROR_HTTP_400' })]) {
      expect(classifyError(e)).toBe('permanent');
    }
    let calls = 0;
    const flaky = () => (++calls < 3 ? Promise.reject(err({ errorCode: 'UNABLE_TO_LOCK_ROW' })) : Promise.resolve('ok'));
    expect(await withRetry(flaky, { attempts: 5, baseMs: 1, maxMs: 2 })).toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    const broken = () => (++calls, Promise.reject(err({ errorCode: 'INVALID_FIELD' })));
    await expect(withRetry(broken, { attempts: 5, baseMs: 1, maxMs: 2 })).rejects.toThrow();
    expect(calls).toBe(1);
  });
});
