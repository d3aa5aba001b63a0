/**
 * Hostile and sloppy input (issue "every bad input is refused at its location"): each kind of failure with
 * its example as input, the exact error, exit code, and that nothing was written / nothing was sent.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { loadAssignmentFile, loadAssignmentText } from '../../scripts/assign/assignment-file.ts';
import { desiredFromFlags } from '../../scripts/assign/config.ts';
import { decodeInput, readInputTextSync } from '../../scripts/lib/input-file.ts';
import { loadSpecText } from '../../scripts/yaml-spec/load.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess, omniOffline } from '../helpers/omni.ts';

const SPEC = (label: string) => `apiVersion: '66.0'
channels:
  Cases:
    label: Cases
    relatedEntityType: Case
statuses:
  Online:
    label: ${label}
    channels: [Cases]
presenceConfigurations:
  Support:
    label: Support
    capacity: 5
`;

function project(spec?: string | Buffer): string {
  const root = mkdtempSync(path.join(tmpdir(), 'omni-hostile-'));
  writeFileSync(path.join(root, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
  mkdirSync(path.join(root, 'config'));
  mkdirSync(path.join(root, 'force-app/main/default/presenceUserConfigs'), { recursive: true });
  if (spec !== undefined) writeFileSync(path.join(root, 'config/omni-channel.yaml'), spec);
  return root;
}

/** Offline omni in-process, never with a token; a run that does not end within `timeoutMs` fails (never a hang). */
function omni(cwd: string, args: string[], timeoutMs = 20_000) {
  return omniOffline(cwd, args, { SF_ACCESS_TOKEN: undefined }, timeoutMs);
}

/** Every file below `dir` (relative), to show that nothing was written. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

const PUC = (capacity: number) => `<?xml version="1.0" encoding="UTF-8"?>
<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">
    <capacity>${capacity}</capacity>
    <label>Linked</label>
</PresenceUserConfig>
`;

describe('1. encodings: decoded as declared or refused, located; U+FFFD is never written', () => {
  it('a Latin-1 spec (é as the byte 0xE9) is refused at its line and column by validate and generate, exit 1, nothing written', async () => {
    const text = SPEC('Caf\u00e9');
    const latin1 = Buffer.from(text, 'latin1');
    const root = project(latin1);
    const before = tree(root);
    const line = text.split('\n').findIndex((l) => l.includes('Caf')) + 1;
    const column = text.split('\n')[line - 1].indexOf('Caf') + 4;

    const generate = await omni(root, ['generate', '--json']);
    expect(generate.code).toBe(1);
    const diagnostic = generate.json.result.diagnostics.find((d: { ruleId: string }) => d.ruleId === 'SPEC-READ');
    expect(diagnostic).toMatchObject({ file: 'config/omni-channel.yaml', line, column });
    expect(diagnostic.message).toBe(`The spec file is not valid UTF-8: byte 0xE9 at line ${line}, column ${column} (saved as Latin-1 / Windows-1252?).`);
    expect(tree(root)).toEqual(before);

    const validate = await omni(root, ['validate', '--json']);
    expect(validate.code).toBe(1);
    expect(JSON.stringify(validate.json)).toContain(`line ${line}, column ${column}`);
  });

  it('an assignment file and a CSV with stray bytes are refused at file:line:col', () => {
    const yaml = Buffer.from('presenceConfigurations:\n  Support:\n    users:\n      usernames: [ren\xe9@x.com]\n', 'latin1');
    expect(() => decodeInput(yaml)).toThrow('is not valid UTF-8: byte 0xE9 at line 4, column 22 (saved as Latin-1 / Windows-1252?)');
    const dir = mkdtempSync(path.join(tmpdir(), 'omni-hostile-csv-'));
    writeFileSync(path.join(dir, 'sfdx-project.json'), '{"packageDirectories":[{"path":"force-app"}]}');
    writeFileSync(path.join(dir, 'a.csv'), Buffer.from('username,presenceConfig\nren\xe9@x.com,Support\n', 'latin1'));
    const loaded = loadAssignmentText('csv: [a.csv]\n', { file: 'a.yaml', baseDir: dir, projectRoot: dir });
    expect(loaded.problems).toEqual([
      {
        message: 'CSV file a.csv is not valid UTF-8: byte 0xE9 at line 2, column 4 (saved as Latin-1 / Windows-1252?).',
        hint: expect.stringContaining('UTF-8'),
        origin: { file: 'a.csv', line: 2, column: 4 },
      },
    ]);
  });

  it('a CSV holding U+FFFD (already mis-decoded) or a control character is refused at its line and column', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'omni-hostile-csv-'));
    writeFileSync(path.join(dir, 'a.csv'), 'username,presenceConfig\nren\uFFFD@x.com,Support\n');
    writeFileSync(path.join(dir, 'b.csv'), 'username,presenceConfig\nbob@x.com,Supp\u0001ort\n');
    const loaded = loadAssignmentText('csv: [a.csv, b.csv]\n', { file: 'a.yaml', baseDir: dir, projectRoot: dir });
    expect(loaded.problems.map((p) => [p.message, p.origin])).toEqual([
      ['CSV file a.csv holds the character U+FFFD at line 2, column 4 (the replacement character a wrong decoding leaves).', { file: 'a.csv', line: 2, column: 4 }],
      ['CSV file b.csv holds the character U+0001 at line 2, column 15.', { file: 'b.csv', line: 2, column: 15 }],
    ]);
  });

  it('metadata XML declaring ISO-8859-1 is decoded as declared; a UTF-8 file with a Latin-1 byte is refused', async () => {
    const root = project();
    const dir = path.join(root, 'force-app/main/default/presenceUserConfigs');
    writeFileSync(path.join(dir, 'Latin.presenceUserConfig-meta.xml'), Buffer.from(PUC(5).replace('UTF-8', 'ISO-8859-1').replace('Linked', 'Caf\xe9'), 'latin1'));
    writeFileSync(path.join(dir, 'Broken.presenceUserConfig-meta.xml'), Buffer.from(PUC(5).replace('Linked', 'Caf\xe9'), 'latin1'));
    const result = await omni(root, ['validate', '--json']);
    expect(result.code).toBe(1);
    const errors = result.json.result.diagnostics.filter((d: { severity: string }) => d.severity === 'error');
    expect(errors).toEqual([
      expect.objectContaining({ ruleId: 'FILE-ENCODING', file: 'force-app/main/default/presenceUserConfigs/Broken.presenceUserConfig-meta.xml', line: 4, column: 15 }),
    ]);
  });
});

describe('2. characters XML 1.0 forbids', () => {
  it.each([
    ['U+0001', '"A\\x01B"'],
    ['U+0000', '"A\\0B"'],
    ['U+FFFE', '"A\\uFFFEB"'],
    ['U+FFFD', '"Caf\\uFFFD"'],
  ])('a label holding %s is refused at its YAML location; generate exits 1 and writes nothing', async (char, label) => {
    const spec = SPEC(label);
    const root = project(spec);
    const before = tree(root);
    const result = await omni(root, ['generate', '--json']);
    expect(result.code).toBe(1);
    const line = spec.split('\n').findIndex((l) => l.includes(label)) + 1;
    const diagnostic = result.json.result.diagnostics.find((d: { ruleId: string }) => d.ruleId === 'SPEC-YAML');
    expect(diagnostic).toMatchObject({ file: 'config/omni-channel.yaml', line, column: 12 });
    expect(diagnostic.message).toContain(char);
    expect(tree(root)).toEqual(before);
  });

  it('the last line of defence: generate refuses to write a file that is not well-formed (target untouched)', async () => {
    const { writeFileAtomic } = await import('../../scripts/metadata/write.ts');
    const { wellFormedProblem } = await import('../../scripts/yaml-spec/generate.ts');
    const dir = mkdtempSync(path.join(tmpdir(), 'omni-hostile-write-'));
    const target = path.join(dir, 'X.presenceUserConfig-meta.xml');
    writeFileSync(target, PUC(5));
    const bad = PUC(5).replace('Linked', 'A\u0001B');
    expect(wellFormedProblem(target, bad)).toBe('character U+0001 on line 4');
    await expect(writeFileAtomic(target, bad, undefined, (bytes) => wellFormedProblem(target, bytes.toString('utf8')))).rejects.toMatchObject({ name: 'IllFormedOutput' });
    expect(readFileSync(target, 'utf8')).toBe(PUC(5));
    expect(readdirSync(dir)).toEqual(['X.presenceUserConfig-meta.xml']);
  });
});

describe('3. keys from user data: an entry exactly once, or a located error', () => {
  it('a spec entry and an assignment configuration named __proto__ are refused at the key', () => {
    const spec = SPEC('Online').replace('  Support:', '  __proto__:');
    const loaded = loadSpecText(spec, { file: 'spec.yaml' });
    const line = spec.split('\n').indexOf('  __proto__:') + 1;
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([
      expect.objectContaining({ ruleId: 'SPEC-YAML', message: '"__proto__" is not a valid name.', line, column: 3 }),
    ]);
    const assignment = loadAssignmentText('presenceConfigurations:\n  "__proto__":\n    profiles: [Agents]\n', { file: 'a.yaml', baseDir: tmpdir() });
    expect(assignment.problems).toEqual([expect.objectContaining({ message: '"__proto__" is not a valid name.', origin: { file: 'a.yaml', line: 2, column: 3 } })]);
  });

  it.each([
    ['1 and "1"', 'presenceConfigurations:\n  1: { profiles: [A] }\n  "1": { profiles: [B] }\n', 3],
    ['a key and an alias to the same name', 'presenceConfigurations:\n  Support: { profiles: [A] }\n  ? &k Other\n  : { profiles: [B] }\n  *k : { profiles: [C] }\n', 5],
  ])('keys that become the same string (%s) are a duplicate, located', (_, text, line) => {
    const result = loadAssignmentText(text, { file: 'a.yaml', baseDir: tmpdir() });
    expect(result.problems[0].message).toMatch(/^Duplicate key|^Map keys must be unique/);
    expect(result.problems[0].origin.line).toBe(line);
  });

  it('names like constructor and toString are ordinary entries', () => {
    const result = loadAssignmentText('presenceConfigurations:\n  constructor: { profiles: [A] }\n  toString: { profiles: [B] }\n', { file: 'a.yaml', baseDir: tmpdir() });
    expect(result.problems).toEqual([]);
    expect(result.desired!.configs.map((c) => c.name)).toEqual(['constructor', 'toString']);
    expect(result.desired!.profiles.map((p) => `${p.config}:${p.profile}`)).toEqual(['constructor:A', 'toString:B']);
  });
});

describe('3. (the org side) names from the org are entries like any other', () => {
  it('assign export writes configurations named constructor and toString (they used to reach Object.prototype)', async () => {
    const { toYaml } = await import('../../scripts/assign/export.ts');
    const yaml = toYaml(
      { profiles: [{ presenceConfig: 'constructor', profile: 'Agents' }], users: [{ presenceConfig: 'toString', username: 'a@x.com', active: true }], queueMembers: [] } as never,
      './assignments.schema.json',
      'uat',
    );
    const back = loadAssignmentText(yaml, { file: 'a.yaml', baseDir: tmpdir() });
    expect(back.problems).toEqual([]);
    expect(back.desired!.profiles.map((p) => `${p.config}:${p.profile}`)).toEqual(['constructor:Agents']);
    expect(back.desired!.users.map((u) => `${u.config}:${u.value}`)).toEqual(['toString:a@x.com']);
  });
});

describe('4. alias bombs', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)];
  it('a billion-laughs assignment file is a located error, not a ReferenceError', async () => {
    const text = `presenceConfigurations:\n  Support:\n    users:\n      usernames: [u@x.com]\nx-bomb:\n${bomb.map((l) => `  ${l}`).join('\n')}\n`;
    const started = Date.now();
    const result = loadAssignmentText(text, { file: 'a.yaml', baseDir: tmpdir() });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.problems).toEqual([expect.objectContaining({ message: 'Aliases expand to more than 100,000 values (a "billion laughs" pattern).', origin: expect.objectContaining({ file: 'a.yaml', line: expect.any(Number), column: expect.any(Number) }) })]);
    expect(result.problems[0].origin.line).toBeGreaterThan(5);
  });

  it('the same bomb in the spec is located the same way', () => {
    const text = `${SPEC('Online')}x:\n${bomb.map((l) => `  ${l}`).join('\n')}\n`;
    const loaded = loadSpecText(text, { file: 'spec.yaml' });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({ message: 'Aliases expand to more than 100,000 values (a "billion laughs" pattern).', file: 'spec.yaml' })]);
  });

  it('one small alias used 200 times is fine (it is not an attack)', () => {
    const uses = Array.from({ length: 200 }, (_, i) => `  cfg_${i}: *who`).join('\n');
    const result = loadAssignmentText(`x-defs:\n  who: &who { profiles: [Agents] }\npresenceConfigurations:\n${uses}\n`, { file: 'a.yaml', baseDir: tmpdir() });
    // x-defs is not a known key: the only problem is that one, located; the aliases themselves expand.
    expect(result.problems.map((p) => p.message)).toEqual(['Unknown key "x-defs".']);
  });
});

describe('5. CSV paths stay inside the project and file content is never echoed', () => {
  it('an assignment file naming ../../../../etc/passwd is refused at the csv entry; nothing is read', () => {
    const root = project();
    mkdirSync(path.join(root, 'config/assignments'), { recursive: true });
    writeFileSync(path.join(root, 'config/assignments/uat.yaml'), 'csv:\n  - ../../../../../../../../etc/passwd\n');
    const result = loadAssignmentFile(path.join(root, 'config/assignments/uat.yaml'), 'config/assignments/uat.yaml');
    expect(result.problems).toEqual([
      {
        message: 'CSV path "../../../../../../../../etc/passwd" leaves the project folder.',
        hint: expect.stringContaining('must stay inside the project'),
        origin: { file: 'config/assignments/uat.yaml', line: 2, column: 5 },
      },
    ]);
  });

  it('a link inside the project to a file outside it is refused too; --csv outside the project is refused', () => {
    const root = project();
    const outside = mkdtempSync(path.join(tmpdir(), 'omni-hostile-outside-'));
    writeFileSync(path.join(outside, 'secret.csv'), 'root:x:0:0:root:/root:/bin/bash\n');
    symlinkSync(path.join(outside, 'secret.csv'), path.join(root, 'config/link.csv'));
    const viaLink = loadAssignmentText('csv: [link.csv]\n', { file: 'config/a.yaml', baseDir: path.join(root, 'config'), projectRoot: root });
    expect(viaLink.problems.map((p) => p.message)).toEqual(['CSV path "link.csv" is a link to a file outside the project folder.']);
    const flags = desiredFromFlags({ csv: [path.join(outside, 'secret.csv')], cwd: root });
    expect(flags.problems.map((p) => p.message)).toEqual([`CSV path "${path.join(outside, 'secret.csv')}" leaves the project folder.`]);
    expect(JSON.stringify([viaLink, flags])).not.toContain('root:x');
  });

  it('a file that is not a CSV gets a header error that does not quote its first line', () => {
    const root = project();
    writeFileSync(path.join(root, 'config/not.csv'), 'root:x:0:0:root:/root:/bin/bash\n');
    const result = loadAssignmentText('csv: [not.csv]\n', { file: 'config/a.yaml', baseDir: path.join(root, 'config'), projectRoot: root });
    expect(result.problems.map((p) => p.message)).toEqual(['CSV header must name the columns username and presenceConfig; the first line has 1 field, none named username or presenceconfig.']);
    expect(JSON.stringify(result)).not.toContain('root:x');
  });
});

describe('6. anything not a regular file is refused at once; inputs over 50 MB are refused', () => {
  it('a named pipe and /dev/zero as a CSV are refused at once (assign plan never blocks)', () => {
    const root = project();
    execFileSync('mkfifo', [path.join(root, 'config/pipe.csv')]);
    const started = Date.now();
    const pipe = desiredFromFlags({ csv: ['config/pipe.csv'], cwd: root });
    expect(pipe.problems.map((p) => p.message)).toEqual(['CSV file config/pipe.csv is a named pipe, not a regular file.']);
    symlinkSync('/dev/zero', path.join(root, 'config/zero.csv'));
    const zero = loadAssignmentText('csv: [zero.csv]\n', { file: 'config/a.yaml', baseDir: path.join(root, 'config'), projectRoot: '/' });
    expect(zero.problems.map((p) => p.message)).toEqual(['CSV file config/zero.csv is a device, not a regular file.']);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a CSV over 50 MB is refused with the limit', () => {
    const root = project();
    const big = path.join(root, 'config/big.csv');
    execFileSync('truncate', ['-s', `${50 * 1024 * 1024 + 1}`, big]);
    const result = loadAssignmentText('csv: [big.csv]\n', { file: 'config/a.yaml', baseDir: path.join(root, 'config'), projectRoot: root });
    expect(result.problems.map((p) => p.message)).toEqual(['CSV file config/big.csv is larger than 50 MB.']);
  });

  it('a named pipe and a folder with metadata file names: validate and generate --check refuse them at once, generate writes nothing', async () => {
    const root = project(SPEC('Online'));
    const dir = path.join(root, 'force-app/main/default/presenceUserConfigs');
    execFileSync('mkfifo', [path.join(dir, 'Pipe.presenceUserConfig-meta.xml')]);
    mkdirSync(path.join(dir, 'Folder.presenceUserConfig-meta.xml'));
    mkdirSync(path.join(root, 'force-app/main/default/presenceUserConfigs/Support.presenceUserConfig-meta.xml'));
    const before = tree(root);
    const validate = await omni(root, ['validate', '--json']);
    expect(validate.code).toBe(1);
    const messages = validate.json.result.diagnostics.filter((d: { severity: string }) => d.severity === 'error').map((d: { file: string; message: string }) => d.message);
    expect(messages).toEqual([
      'force-app/main/default/presenceUserConfigs/Folder.presenceUserConfig-meta.xml is a folder with a metadata file name.',
      'force-app/main/default/presenceUserConfigs/Pipe.presenceUserConfig-meta.xml is not a regular file (a named pipe, socket or device).',
      'force-app/main/default/presenceUserConfigs/Support.presenceUserConfig-meta.xml is a folder with a metadata file name.',
    ]);
    const check = await omni(root, ['generate', '--check', '--json']);
    expect(check.code).toBe(1);
    expect(check.json.result.diagnostics.map((d: { message: string }) => d.message)).toContain('force-app/main/default/presenceUserConfigs/Support.presenceUserConfig-meta.xml is a directory, not a regular file.');
    const generate = await omni(root, ['generate', '--json']);
    expect(generate.code).toBe(1);
    expect(tree(root)).toEqual(before);
  });
});

describe('6. (listed files) a file a listing saw as regular is read without asking its kind, yet anything else is still refused', () => {
  // validate reads listed files without an fstat each (`listedFile`): what is found at the path when it is read
  // must give the text, or the refusal, that the read with fstat gives.
  const outcome = (file: string, listedFile: boolean) => {
    try {
      return { text: readInputTextSync(file, { xml: true, listedFile }) };
    } catch (error) {
      return { error: (error as Error).message, kind: (error as { kind?: string }).kind };
    }
  };
  it('regular files of every size around the first read, a named pipe, a folder, a device, a missing file: the same outcome', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'omni-listed-'));
    const paths: string[] = [];
    for (const size of [0, 1, 100, 65_535, 65_536, 65_537, 200_000]) {
      const file = path.join(dir, `size-${size}.xml`);
      writeFileSync(file, 'x'.repeat(size));
      paths.push(file);
    }
    const xml = path.join(dir, 'declared.xml');
    writeFileSync(xml, '<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>caf\xe9</a>', 'latin1');
    const pipe = path.join(dir, 'pipe.xml');
    execFileSync('mkfifo', [pipe]);
    const folder = path.join(dir, 'folder.xml');
    mkdirSync(folder);
    paths.push(xml, pipe, folder, '/dev/zero', path.join(dir, 'missing.xml'));
    const started = Date.now();
    for (const file of paths) expect(outcome(file, true), file).toEqual(outcome(file, false));
    expect(outcome(paths[3], true)).toEqual({ text: 'x'.repeat(65_535) });
    expect(outcome(xml, true)).toEqual({ text: '<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>café</a>' });
    expect(outcome(pipe, true)).toMatchObject({ kind: 'not-regular', error: 'is a named pipe, not a regular file' });
    expect(outcome('/dev/zero', true)).toMatchObject({ kind: 'not-regular' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('7. symbolic links: validate checks exactly what deploy would send', () => {
  it('a linked metadata file (capacity -5) is refused by validate and by deploy before anything is sent', async () => {
    const root = project();
    const outside = mkdtempSync(path.join(tmpdir(), 'omni-hostile-link-'));
    writeFileSync(path.join(outside, 'real.xml'), PUC(-5));
    symlinkSync(path.join(outside, 'real.xml'), path.join(root, 'force-app/main/default/presenceUserConfigs/Linked.presenceUserConfig-meta.xml'));
    const expected = 'force-app/main/default/presenceUserConfigs/Linked.presenceUserConfig-meta.xml is a symbolic link: the sf CLI would deploy whatever it points to.';
    const validate = await omni(root, ['validate', '--json']);
    expect(validate.code).toBe(1);
    expect(validate.json.result.diagnostics.map((d: { message: string }) => d.message)).toEqual([expected]);

    const org = await startTestOrg();
    try {
      org.resetStats();
      const deploy = await omniInProcess(org, root, ['deploy', '--json']);
      expect(deploy.code).toBe(1);
      expect(JSON.stringify(deploy.json)).toContain(expected);
      // Nothing sent: no Metadata API deploy call, no write, and no such configuration in the org.
      expect(org.stats().writes).toBe(0);
      expect(Object.keys(org.stats().byEndpoint).filter((e) => /deploy/i.test(e))).toEqual([]);
      expect(org.store.findBy('PresenceUserConfig', 'DeveloperName', 'Linked')).toEqual([]);
    } finally {
      await org.stop();
    }
  });
});

describe('10. a value too long for any request is located before any request', () => {
  let org: LocalOrg;
  beforeAll(async () => {
    org = await startTestOrg();
  });
  afterAll(async () => {
    await org.stop();
  });

  it('a 20,000-character username: located "value too long", exit 1, no HTTP request with it', async () => {
    const root = project();
    const long = `${'a'.repeat(20_000)}@x.com`;
    mkdirSync(path.join(root, 'config/assignments'), { recursive: true });
    writeFileSync(path.join(root, 'config/assignments/uat.yaml'), `presenceConfigurations:\n  Support:\n    users:\n      usernames:\n        - ${long}\n`);
    org.resetStats();
    const result = await omniInProcess(org, root, ['assign', 'plan', '--file', 'config/assignments/uat.yaml', '--json']);
    expect(result.code).toBe(1);
    expect(org.stats().total).toBe(0);
    expect(result.json.name).toBe('InvalidAssignments');
    expect(result.json.result.problems).toEqual([
      { location: 'config/assignments/uat.yaml:5:11', message: 'Value too long: this username has 20,006 characters; Salesforce allows at most 80.', hint: expect.any(String) },
    ]);
  });
});
