import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadAssignmentFile, loadAssignmentText } from '../../scripts/assign/assignment-file.ts';
import { csvField, parseUsernameCsv } from '../../scripts/assign/csv.ts';
import { REPO_ROOT } from '../helpers/local-org.ts';

const load = (text: string) => loadAssignmentText(text, { file: 'x.yaml', baseDir: join(REPO_ROOT, 'config/assignments') });

describe('assignment file: queues and skills sections', () => {
  it('the committed example names queue members and skills with every selector located', () => {
    const { desired, problems } = loadAssignmentFile(join(REPO_ROOT, 'config/assignments/example.yaml'), 'config/assignments/example.yaml');
    expect(problems).toEqual([]);
    expect(desired!.queues!.targets.map((t) => t.name)).toEqual(['Support_Cases', 'Priority_Cases']);
    expect(desired!.queues!.users.map((u) => [u.config, u.kind, u.value])).toEqual([
      ['Support_Cases', 'permissionSet', 'Omni_Agent'],
      ['Support_Cases', 'username', 'jane.doe@acme.example.uat'],
      ['Support_Cases', 'username', "o'brien@acme.example.uat"],
      ['Priority_Cases', 'username', 'jane.doe@acme.example.uat'],
    ]);
    // CSV members are located at their CSV line, YAML selectors at their YAML position.
    expect(desired!.queues!.users[2].origin).toEqual({ file: 'config/assignments/example-queue-members.csv', line: 3, column: 1 });
    expect(desired!.queues!.users[0].origin.file).toBe('config/assignments/example.yaml');
    expect(desired!.queues!.users[0].origin.line).toBeGreaterThan(10);
    expect(desired!.skills!.targets).toEqual([expect.objectContaining({ name: 'Spanish', level: 7 })]);
    expect(desired!.skills!.users.map((u) => [u.config, u.kind, u.value])).toEqual([['Spanish', 'email', 'support-lead@acme.example']]);
    // Presence configuration selectors are untouched by the new sections.
    expect(desired!.users.every((u) => u.config.toLowerCase().endsWith('_agents'))).toBe(true);
  });

  it('every selector kind is read for queues, a missing users key is an empty membership, no section = undefined', () => {
    const r = load(
      [
        'queues:',
        '  Q1:',
        '    users:',
        '      usernames: [a@x.com]',
        '      emails: [b@x.com]',
        '      federationIds: [F1]',
        '      permissionSets: [PS]',
        '      profiles: [P]',
        "      where: \"Department = 'Support'\"",
        '  Q2:',
        '  Q3: {}',
      ].join('\n'),
    );
    expect(r.problems).toEqual([]);
    expect(r.desired!.queues!.users.map((u) => u.kind)).toEqual(['username', 'email', 'federationId', 'permissionSet', 'profileUsers', 'where']);
    expect(r.desired!.queues!.targets.map((t) => t.name)).toEqual(['Q1', 'Q2', 'Q3']);
    expect(r.desired!.queues!.targets[1].origin).toEqual({ file: 'x.yaml', line: 10, column: 3 });
    expect(r.desired!.skills).toBeUndefined();
    expect(load('presenceConfigurations: {}\n').desired!.queues).toBeUndefined();
  });

  it('skill levels: default 0, outside 0–10 refused at the value', () => {
    expect(load('skills:\n  S:\n    users: { usernames: [a@x.com] }\n').desired!.skills!.targets[0].level).toBe(0);
    const bad = load('skills:\n  S:\n    level: 11\n');
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0].origin).toEqual({ file: 'x.yaml', line: 3, column: 12 });
    expect(bad.problems[0].message).toContain('skills.S.level');
    expect(load('skills:\n  S:\n    level: -1\n').problems).toHaveLength(1);
    expect(load('skills:\n  S:\n    level: seven\n').problems).toHaveLength(1);
  });

  it('unknown keys in the new sections are located with a suggestion', () => {
    const typo = load('queues:\n  Q:\n    users:\n      usernmes: [a@x.com]\n');
    expect(typo.problems).toHaveLength(1);
    expect(typo.problems[0]).toMatchObject({ message: 'Unknown key "usernmes" in queues.Q.users.', hint: 'Did you mean "usernames"?', origin: { file: 'x.yaml', line: 4, column: 7 } });
    const levl = load('skills:\n  S:\n    levl: 3\n');
    expect(levl.problems[0]).toMatchObject({ hint: 'Did you mean "level"?', origin: { line: 3, column: 5 } });
    const member = load('queues:\n  Q:\n    members: [a@x.com]\n');
    expect(member.problems[0].hint).toContain('users');
    // csv: is a selector of every users: block (a username column), as the README shows; a missing file is located.
    const csvUnderUsers = load('presenceConfigurations:\n  c:\n    users:\n      csv: [a.csv]\n').problems;
    expect(csvUnderUsers).toHaveLength(1);
    expect(csvUnderUsers[0].message).toContain('a.csv does not exist');
    expect(csvUnderUsers[0].origin).toMatchObject({ line: 4, column: 13 });
  });

  it('a bad SOQL condition and an unreadable CSV are reported at the selector', () => {
    const r = load("queues:\n  Q:\n    users:\n      where: \"Department = 'x') OR (Id != null\"\n      csv: [missing.csv]\n");
    expect(r.desired).toBeUndefined();
    expect(r.problems.map((p) => [p.origin.line, p.origin.column])).toEqual([
      [4, 14],
      [5, 13],
    ]);
    expect(r.problems[1].message).toContain('missing.csv');
  });

  it('username CSVs: header with a username column, other columns ignored, bad rows at file:line', () => {
    const { rows, problems } = parseUsernameCsv('Name,UserName\nAna,a@x.com\nBob\n"C D","c d@x.com"\nAna again,A@X.COM\nEve,\n', 'm.csv');
    expect(rows).toEqual([{ username: 'a@x.com', origin: { file: 'm.csv', line: 2, column: 1 } }]);
    expect(problems.map((p) => p.origin.line)).toEqual([3, 4, 6]);
    expect(parseUsernameCsv('user\nx\n', 'h.csv').problems[0].message).toContain('username column');
    expect(parseUsernameCsv('', 'e.csv').problems[0].message).toContain('empty');
  });

  it('username CSVs round-trip any username without spaces (property)', () => {
    const username = fc.stringMatching(/^[^\s]{1,20}$/).filter((s) => !/^[=+\-@]/.test(s));
    fc.assert(
      fc.property(fc.uniqueArray(username, { maxLength: 8, selector: (s) => s.toLowerCase() }), (names) => {
        const text = ['username', ...names.map(csvField)].join('\r\n');
        const parsed = parseUsernameCsv(text, 'p.csv');
        expect(parsed.problems).toEqual([]);
        expect(parsed.rows.map((r) => r.username)).toEqual(names);
      }),
    );
  });
});
