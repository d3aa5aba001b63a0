/**
 * `omni validate` through the real bin (node scripts/omni.ts, the pinned Node): exit codes 0/1/2, the text
 * format, the JSON envelope and the SARIF log shape.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { RULES } from '../../scripts/validate/catalogue.ts';
import { makeProject, puc, sps, xml } from './helpers.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repoRoot, 'scripts/omni.ts');
const node = path.join(repoRoot, 'node_modules/.bin/node');

function omni(args: string[], cwd: string) {
  const run = spawnSync(node, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const clean = {
  [sps('Away')]: xml('ServicePresenceStatus', ['<label>Away</label>']),
  [puc('Agents')]: xml('PresenceUserConfig', ['<capacity>5</capacity>', '<label>Agents</label>', '<presenceStatusOnPushTimeout>Away</presenceStatusOnPushTimeout>']),
};
const broken = {
  ...clean,
  [puc('miaw')]: xml('PresenceUserConfig', [
    '<assignments>',
    '    <users>',
    '        <user>jane@acme.example</user>',
    '    </users>',
    '</assignments>',
    '<capacity>5</capacity>',
    '<enableAutoAccept>true</enableAutoAccept>',
    '<enableDecline>true</enableDecline>',
    '<label>miaw</label>',
  ]),
};

test('node is the pinned 22', () => {
  expect(spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^v22\./);
});

describe('exit codes', () => {
  test('0 when there are no errors', () => {
    const run = omni(['validate'], makeProject(clean));
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('0 errors, 0 warnings in 2 files');
  });

  test('1 with errors, compiler-style lines with a hint, then the summary', () => {
    const run = omni(['validate'], makeProject(broken));
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toContain(`${puc('miaw')}:10:5: error PUC-AUTOACCEPT-DECLINE: enableAutoAccept and enableDecline are both true; auto-accepted work cannot be declined.`);
    expect(lines[lines.indexOf(`${puc('miaw')}:10:5: error PUC-AUTOACCEPT-DECLINE: enableAutoAccept and enableDecline are both true; auto-accepted work cannot be declined.`) + 1]).toBe(
      '    hint: Set enableDecline to false, or enableAutoAccept to false.',
    );
    expect(lines).toContain(`${puc('miaw')}:4:9: warning ASSIGN-USERS-IN-SOURCE: 1 user assignment in source: usernames are org-specific and personal data.`);
    expect(lines.at(-1)).toMatch(/^1 error, 1 warning in 3 files \(1 info not shown/);
    expect(run.stderr).toBe('');
  });

  test('2 for usage errors: unknown flag, bad format, missing path', () => {
    const root = makeProject(clean);
    expect(omni(['validate', '--bogus'], root).code).toBe(2);
    expect(omni(['validate', '--format', 'xml'], root).code).toBe(2);
    const missing = omni(['validate', 'force-app/nope'], root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Path not found');
    expect(missing.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('malformed XML exits 1 with the parser location, not a stack trace', () => {
    const root = makeProject({ [puc('Bad')]: '<?xml version="1.0"?>\n<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n  <capacity>5</capacity\n</PresenceUserConfig>\n' });
    const run = omni(['validate'], root);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^${puc('Bad').replace(/\./g, '\\.')}:\\d+:\\d+: error XML-MALFORMED: `, 'm'));
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('formats', () => {
  test('--json prints the standard envelope with diagnostics and summary', () => {
    const run = omni(['validate', '--json'], makeProject(broken));
    expect(run.code).toBe(1);
    const envelope = JSON.parse(run.stdout);
    expect(Object.keys(envelope).sort()).toEqual(['result', 'status', 'warnings']);
    expect(envelope.status).toBe(1);
    expect(envelope.result.summary).toEqual({ errors: 1, warnings: 1, infos: 1, filesChecked: 3, filesWithDiagnostics: 1 });
    expect(envelope.result.diagnostics.find((d: { ruleId: string }) => d.ruleId === 'PUC-AUTOACCEPT-DECLINE')).toMatchObject({
      severity: 'error',
      file: puc('miaw'),
      line: 10,
      column: 5,
    });
  });

  test('--format json prints the same envelope as --json', () => {
    const root = makeProject(broken);
    expect(JSON.parse(omni(['validate', '--format', 'json'], root).stdout)).toEqual(JSON.parse(omni(['validate', '--json'], root).stdout));
  });

  test('--format sarif is a SARIF 2.1.0 log with the catalogue as rules', () => {
    const run = omni(['validate', '--format', 'sarif'], makeProject(broken));
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const [runLog] = sarif.runs;
    const rules = runLog.tool.driver.rules as Array<{ id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }>;
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const r of rules) expect(['error', 'warning', 'note']).toContain(r.defaultConfiguration.level);
    const result = runLog.results.find((r: { ruleId: string }) => r.ruleId === 'PUC-AUTOACCEPT-DECLINE');
    expect(result.level).toBe('error');
    expect(rules[result.ruleIndex].id).toBe('PUC-AUTOACCEPT-DECLINE');
    expect(result.message.text).toContain('auto-accepted work cannot be declined');
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: puc('miaw'), uriBaseId: '%SRCROOT%' },
      region: { startLine: 10, startColumn: 5 },
    });
    const info = runLog.results.find((r: { ruleId: string }) => r.ruleId === 'REF-UNRESOLVED-LOCALLY');
    expect(info.level).toBe('note');
  });

  test('--list-rules prints the catalogue and exits 0', () => {
    const run = omni(['validate', '--list-rules'], makeProject(clean));
    expect(run.code).toBe(0);
    for (const rule of RULES) expect(run.stdout).toContain(rule.id);
    expect(run.stdout).toMatch(/PUC-AUTOACCEPT-DECLINE\s+error\s+§10\.6\s+enableAutoAccept and enableDecline cannot both be true\./);
    const json = JSON.parse(omni(['validate', '--list-rules', '--json'], makeProject(clean)).stdout);
    expect(json.result.rules.length).toBe(RULES.length);
  });
});
