/**
 * `omni validate` through the CLI entry (in-process; the pinned Node is checked once): exit codes 0/1/2, the text
 * format, the JSON envelope and the SARIF log shape.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { RULES } from '../../scripts/validate/catalogue.ts';
import { omniOffline } from '../helpers/omni.ts';
import { filesProject, puc, sps, xml } from './helpers.ts';
import { REPO_ROOT } from '../helpers/paths.ts';

const repoRoot = REPO_ROOT;
const node = path.join(repoRoot, 'node_modules/.bin/node');

/** The CLI entry in-process (the bin's code path without a process per call; test/cli/ covers the process boundary). */
async function omni(args: string[], cwd: string) {
  const run = await omniOffline(cwd, args, { NO_COLOR: '1' });
  return { code: run.code, stdout: run.stdout, stderr: run.stderr };
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
  test('0 when there are no errors', async () => {
    const run = await omni(['validate'], filesProject(clean));
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('0 errors, 0 warnings in 2 files');
  });

  test('1 with errors, compiler-style lines with a hint, then the summary', async () => {
    const run = await omni(['validate'], filesProject(broken));
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

  test('--level marks every level it hides in the summary, with its count and the flag that lists it', async () => {
    const root = filesProject(broken); // 1 error, 1 warning, 1 info
    const last = async (level: string) => (await omni(['validate', '--level', level], root)).stdout.trim().split('\n').at(-1);
    expect(await last('error')).toBe(
      '1 error, 1 warning in 3 files (1 warning not shown: --level warning lists it; 1 info not shown: references checked at deploy, --level info lists it)',
    );
    expect(await last('warning')).toBe('1 error, 1 warning in 3 files (1 info not shown: references checked at deploy, --level info lists it)');
    expect(await last('info')).toBe('1 error, 1 warning in 3 files, 1 info');
    const errorOnly = (await omni(['validate', '--level', 'error'], root)).stdout;
    expect(errorOnly).not.toMatch(/: warning |: info /);
  });

  test('--level info with hundreds of findings (printed in pieces): every finding as its JSON says, one after another, a blank line, the summary', async () => {
    const files: Record<string, string> = { [sps('Away')]: xml('ServicePresenceStatus', ['<label>Away</label>']) };
    for (let i = 0; i < 250; i++) {
      files[puc(`C${String(i).padStart(3, '0')}`)] = xml('PresenceUserConfig', ['<assignments>', '    <profiles>', `        <profile>Profile ${i}</profile>`, '    </profiles>', '</assignments>', '<capacity>5</capacity>', `<label>C${i}</label>`]);
    }
    const root = filesProject(files);
    const text = (await omni(['validate', '--level', 'info'], root)).stdout;
    const listed = JSON.parse((await omni(['validate', '--json'], root)).stdout).result.diagnostics as Array<{ ruleId: string; severity: string; message: string; hint?: string; file: string; line: number; column: number }>;
    expect(listed.length).toBe(250);
    const expected = listed.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.ruleId}: ${d.message}${d.hint ? `\n    hint: ${d.hint}` : ''}`);
    expect(text).toBe(`${expected.join('\n')}\n\n0 errors, 0 warnings in 251 files, 250 info\n`);
  });

  test('a spec that declares nothing fails validate and generate alike (SPEC-EMPTY, exit 1, nothing written); import fills it', async () => {
    const root = filesProject({ 'empty.yaml': '', [sps('Away')]: xml('ServicePresenceStatus', ['<label>Away</label>']) });
    const validated = await omni(['validate', '--spec', 'empty.yaml'], root);
    expect(validated.code).toBe(1);
    expect(validated.stdout).toMatch(/^empty\.yaml:1:1: error SPEC-EMPTY: empty\.yaml declares no Omni-Channel component/m);
    expect(validated.stdout).toContain('hint: Describe the components it should hold');
    const generated = await omni(['generate', '--spec', 'empty.yaml', '--json'], root);
    expect(generated.code).toBe(1);
    expect(JSON.stringify(JSON.parse(generated.stdout))).toContain('SPEC-EMPTY');
    expect(readFileSync(path.join(root, 'empty.yaml'), 'utf8')).toBe('');
    const imported = await omni(['import', '--out', 'empty.yaml'], root);
    expect(imported.code).toBe(0);
    expect(readFileSync(path.join(root, 'empty.yaml'), 'utf8')).toBe('statuses:\n  Away:\n    label: Away\n');
    expect((await omni(['validate', '--spec', 'empty.yaml'], root)).code).toBe(0);
  });

  test('2 for usage errors: unknown flag, bad format, missing path', async () => {
    const root = filesProject(clean);
    expect((await omni(['validate', '--bogus'], root)).code).toBe(2);
    expect((await omni(['validate', '--format', 'xml'], root)).code).toBe(2);
    const missing = await omni(['validate', 'force-app/nope'], root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Path not found');
    expect(missing.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('a path that is no metadata file is a usage error (exit 2); an unreadable sfdx-project.json is a located FILE-READ error with a hint (exit 1)', async () => {
    const root = filesProject(clean);
    const notMetadata = await omni(['validate', 'sfdx-project.json', '--json'], root);
    expect(notMetadata.code).toBe(2);
    expect(JSON.parse(notMetadata.stdout)).toMatchObject({ name: 'UsageError', exitCode: 2, message: 'sfdx-project.json is not an Omni-Channel metadata file.' });
    writeFileSync(path.join(root, 'sfdx-project.json'), '{broken');
    const broken = await omni(['validate'], root);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^sfdx-project\.json: error FILE-READ: Cannot read sfdx-project\.json: .*JSON/m);
    expect(broken.stdout).toContain('hint: Run inside a Salesforce DX project with a valid sfdx-project.json.');
    expect(broken.stdout + broken.stderr).not.toMatch(/\n\s+at /);
  });

  test('malformed XML exits 1 with the parser location, not a stack trace', async () => {
    const root = filesProject({ [puc('Bad')]: '<?xml version="1.0"?>\n<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n  <capacity>5</capacity\n</PresenceUserConfig>\n' });
    const run = await omni(['validate'], root);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^${puc('Bad').replace(/\./g, '\\.')}:\\d+:\\d+: error XML-MALFORMED: `, 'm'));
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('formats', () => {
  test('--json prints the standard envelope with diagnostics and summary', async () => {
    const run = await omni(['validate', '--json'], filesProject(broken));
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

  test('--format json prints the same envelope as --json', async () => {
    const root = filesProject(broken);
    expect(JSON.parse((await omni(['validate', '--format', 'json'], root)).stdout)).toEqual(JSON.parse((await omni(['validate', '--json'], root)).stdout));
  });

  test('--format sarif is a SARIF 2.1.0 log with the catalogue as rules', async () => {
    const run = await omni(['validate', '--format', 'sarif'], filesProject(broken));
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

  test('--format sarif satisfies the SARIF 2.1.0 required properties, for XML, YAML, related and file-less findings', async () => {
    const root = filesProject({
      ...broken,
      // malformed XML, a cross-file finding with a related location, a YAML finding
      [puc('Bad')]: '<?xml version="1.0"?>\n<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n  <capacity>5</capacity\n</PresenceUserConfig>\n',
      [puc('Twin')]: xml('PresenceUserConfig', ['<assignments>', '    <users>', '        <user>jane@acme.example</user>', '    </users>', '</assignments>', '<capacity>5</capacity>', '<label>Twin</label>']),
      'config/omni-channel.yaml': 'presenceConfigurations:\n  Spec_Config:\n    label: S\n    capacity: zero\n',
      'force-app/main/default/presenceUserConfigs/notes.txt': 'not metadata',
    });
    const run = await omni(['validate', '--format', 'sarif'], root);
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout);
    const problems = sarifProblems(sarif);
    expect(problems).toEqual([]);
    const results = sarif.runs[0].results as Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>; relatedLocations?: unknown[] }>;
    const ids = new Set(results.map((r) => r.ruleId));
    for (const id of ['XML-MALFORMED', 'ASSIGN-USER-TWICE', 'SPEC-SCHEMA']) expect(ids, id).toContain(id);
    expect(results.find((r) => r.ruleId === 'ASSIGN-USER-TWICE')!.relatedLocations).toHaveLength(1);
    expect(results.find((r) => r.ruleId === 'SPEC-SCHEMA')!.locations[0].physicalLocation.artifactLocation.uri).toBe('config/omni-channel.yaml');
    // A finding without line (unreadable sfdx-project.json) is a location without region.
    const noProject = filesProject({});
    writeFileSync(path.join(noProject, 'sfdx-project.json'), '{broken');
    const unreadable = JSON.parse((await omni(['validate', '--format', 'sarif'], noProject)).stdout);
    expect(unreadable.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['FILE-READ']);
    expect(sarifProblems(unreadable)).toEqual([]);
    // The checker itself notices a broken log.
    const broken2 = JSON.parse(run.stdout);
    delete broken2.runs[0].tool.driver.name;
    broken2.runs[0].results[0].message = {};
    broken2.runs[0].results[0].ruleIndex = 9999;
    expect(sarifProblems(broken2)).toHaveLength(3);
  });

  test('--json: every finding has its keys in one order (ruleId, severity, message, hint, file, line, column, related), spec, parser and rules alike', async () => {
    const root = filesProject({ ...broken, [puc('Odd')]: xml('PresenceUserConfig', ['<capacity>5</capacity>', '<capacityz>1</capacityz>', '<label>Odd</label>']) });
    writeFileSync(path.join(root, 'config-spec.yaml'), 'presenceConfigurations:\n  Spec_Agents:\n    label: Spec agents\n    capacity: zero\n');
    const run = await omni(['validate', '--spec', 'config-spec.yaml', '--json'], root);
    const diagnostics: Array<Record<string, unknown>> = JSON.parse(run.stdout).result.diagnostics;
    const ORDER = ['ruleId', 'severity', 'message', 'hint', 'file', 'line', 'column', 'related'];
    // Findings of each producer: the spec loader, the XML parser and a validation rule, all with a hint.
    for (const rule of ['SPEC-SCHEMA', 'XML-UNKNOWN-ELEMENT', 'PUC-AUTOACCEPT-DECLINE']) expect(diagnostics.find((d) => d.ruleId === rule && d.hint), rule).toBeDefined();
    for (const d of diagnostics) {
      const keys = Object.keys(d);
      expect(keys, String(d.ruleId)).toEqual(ORDER.filter((k) => keys.includes(k)));
    }
  });

  test('--list-rules prints the catalogue (rule id, level, summary, the documentation page) and exits 0', async () => {
    const run = await omni(['validate', '--list-rules'], filesProject(clean));
    expect(run.code).toBe(0);
    for (const rule of RULES) expect(run.stdout).toContain(rule.id);
    expect(run.stdout).toMatch(/^RULE\s+LEVEL\s+SUMMARY$/m);
    expect(run.stdout).toMatch(
      /^PUC-AUTOACCEPT-DECLINE\s+error\s+enableAutoAccept and enableDecline cannot both be true\.\n\s+https:\/\/developer\.salesforce\.com\/docs\/atlas\.en-us\.api_meta\.meta\/api_meta\/meta_presenceuserconfig\.htm$/m,
    );
    // No reference to the project's internal spec sections: a user cannot look them up.
    expect(run.stdout).not.toMatch(/§|SPEC /);
    // Summaries that name a range take it from the registry: the ACW maximum is 10–3600 seconds (Metadata API docs).
    expect(run.stdout).toMatch(/PUC-ACW-MAXTIME\s+error\s+hasAfterConvoWorkTimer = true requires afterConvoWorkMaxTime in 10–3600\./);
    expect(run.stdout).toMatch(/\n\d+ rules\.\n?$/);
    const json = JSON.parse((await omni(['validate', '--list-rules', '--json'], filesProject(clean))).stdout);
    expect(json.result.rules.length).toBe(RULES.length);
    expect(json.result.rules.find((r: { id: string }) => r.id === 'PUC-CAPACITY')).toMatchObject({ severity: 'error', summary: 'capacity must be an integer ≥ 1.' });
    expect(json.result.rules.find((r: { id: string }) => r.id === 'XML-MALFORMED')).toMatchObject({ specRules: [1] });
    // The help promises what the text prints (no spec rule column there) and says where specRules are.
    const help = (await omni(['validate', '--help'], filesProject(clean))).stdout.replace(/\s+/g, ' ');
    const flag = /--list-rules (Print the rule catalogue .*?) and exit; with --json each rule also has its source and specRules\./.exec(help);
    expect(flag?.[1]).toBe('Print the rule catalogue (id, severity, summary, the Salesforce documentation page)');
  });
});

/**
 * The SARIF 2.1.0 constraints a code-scanning upload enforces (OASIS SARIF 2.1.0 §3.13–§3.49): required
 * properties, enum values, 1-based regions and consistent rule indexes. Returns one line per violation.
 */
function sarifProblems(log: any): string[] {
  const problems: string[] = [];
  const need = (ok: unknown, what: string) => {
    if (!ok) problems.push(what);
  };
  const isMessage = (m: any) => m && typeof m === 'object' && (typeof m.text === 'string' && m.text.length > 0 || typeof m.id === 'string');
  const LEVELS = ['none', 'note', 'warning', 'error'];
  need(log.version === '2.1.0', 'sarifLog.version must be "2.1.0"');
  need(Array.isArray(log.runs), 'sarifLog.runs must be an array');
  for (const [r, run] of (log.runs ?? []).entries()) {
    const driver = run?.tool?.driver;
    need(driver && typeof driver.name === 'string' && driver.name.length > 0, `runs[${r}].tool.driver.name is required`);
    const rules = (driver?.rules ?? []) as any[];
    const ruleIds = new Set<string>();
    for (const [i, rule] of rules.entries()) {
      need(typeof rule.id === 'string' && rule.id.length > 0, `rules[${i}].id is required`);
      need(!ruleIds.has(rule.id), `rules[${i}].id "${rule.id}" is not unique`);
      ruleIds.add(rule.id);
      for (const key of ['shortDescription', 'fullDescription', 'help']) if (rule[key] !== undefined) need(isMessage(rule[key]), `rules[${i}].${key} needs text`);
      if (rule.defaultConfiguration?.level !== undefined) need(LEVELS.includes(rule.defaultConfiguration.level), `rules[${i}].defaultConfiguration.level`);
      if (rule.helpUri !== undefined) need(/^https?:\/\//.test(rule.helpUri), `rules[${i}].helpUri must be an absolute URI`);
    }
    for (const [key, base] of Object.entries(run.originalUriBaseIds ?? {})) need(base && typeof base === 'object', `originalUriBaseIds.${key}`);
    const checkLocation = (loc: any, where: string) => {
      const physical = loc?.physicalLocation;
      if (!physical) return;
      need(typeof physical.artifactLocation?.uri === 'string' && physical.artifactLocation.uri.length > 0, `${where}.artifactLocation.uri`);
      need(!/^[a-z]:|^\//i.test(physical.artifactLocation?.uri ?? ''), `${where}.artifactLocation.uri must be relative to its uriBaseId`);
      if (physical.artifactLocation?.uriBaseId !== undefined) need(Object.hasOwn(run.originalUriBaseIds ?? {}, physical.artifactLocation.uriBaseId), `${where}.uriBaseId is declared`);
      const region = physical.region;
      if (region) {
        need(Number.isInteger(region.startLine) && region.startLine >= 1, `${where}.region.startLine ≥ 1`);
        if (region.startColumn !== undefined) need(Number.isInteger(region.startColumn) && region.startColumn >= 1, `${where}.region.startColumn ≥ 1`);
      }
    };
    need(Array.isArray(run.results), `runs[${r}].results must be an array`);
    for (const [i, result] of (run.results ?? []).entries()) {
      need(isMessage(result.message), `results[${i}].message needs text`);
      need(typeof result.ruleId === 'string', `results[${i}].ruleId`);
      if (result.level !== undefined) need(LEVELS.includes(result.level), `results[${i}].level`);
      if (result.ruleIndex !== undefined) need(Number.isInteger(result.ruleIndex) && rules[result.ruleIndex]?.id === result.ruleId, `results[${i}].ruleIndex points at its rule`);
      for (const [j, loc] of (result.locations ?? []).entries()) checkLocation(loc, `results[${i}].locations[${j}]`);
      const relatedIds = new Set<number>();
      for (const [j, loc] of (result.relatedLocations ?? []).entries()) {
        checkLocation(loc, `results[${i}].relatedLocations[${j}]`);
        if (loc.id !== undefined) {
          need(Number.isInteger(loc.id) && loc.id >= 0 && !relatedIds.has(loc.id), `results[${i}].relatedLocations[${j}].id unique, ≥ 0`);
          relatedIds.add(loc.id);
        }
      }
    }
  }
  return problems;
}
