/**
 * Project discovery on temporary projects: sfdx-project.json, package directories, .forceignore,
 * reading files into documents with project-relative paths, atomic writes. (Parse speed is measured in
 * bench/validate.)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { OmniError } from '../../scripts/lib/errors.ts';
import {
  apiVersionNumber,
  findProjectRoot,
  isIgnored,
  listMetadataFiles,
  parseForceIgnore,
  readMetadataFile,
  readSfdxProject,
} from '../../scripts/metadata/project.ts';
import { writeFileAtomic } from '../../scripts/metadata/write.ts';
import { makeProject } from '../helpers/project.ts';

const temp = mkdtempSync(path.join(tmpdir(), 'omni-metadata-project-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const PUC = (label: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n    <capacity>2</capacity>\n    <label>${label}</label>\n</PresenceUserConfig>\n`;

function write(root: string, rel: string, content: string) {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

const projects: Array<() => void> = [];
afterAll(() => {
  for (const cleanup of projects) cleanup();
});

/** A temp project whose sfdx-project.json is `project` verbatim, with a .forceignore when given. */
function projectOf(project: object, forceignore?: string): string {
  const created = makeProject({ sfdxProject: project, files: forceignore === undefined ? {} : { '.forceignore': forceignore }, prefix: 'omni-metadata-project-' });
  projects.push(created.cleanup);
  return created.dir;
}

describe('sfdx project', () => {
  const root = projectOf({
    packageDirectories: [{ path: 'force-app', default: true }, { path: 'extra' }],
    sourceApiVersion: '66.0',
  });

  test('findProjectRoot walks up from a nested folder; OmniError with an action when there is none', () => {
    mkdirSync(path.join(root, 'force-app/main/default/presenceUserConfigs'), { recursive: true });
    expect(findProjectRoot(path.join(root, 'force-app/main/default/presenceUserConfigs'))).toBe(root);
    const outside = mkdtempSync(path.join(tmpdir(), 'omni-no-project-'));
    try {
      expect(() => findProjectRoot(outside)).toThrow(OmniError);
      try {
        findProjectRoot(outside);
      } catch (error) {
        expect((error as OmniError).message).toContain('sfdx-project.json');
        expect((error as OmniError).actions.length).toBeGreaterThan(0);
      }
    } finally {
      rmSync(outside, { recursive: true });
    }
  });

  test('readSfdxProject: package directories with the default flag, sourceApiVersion', () => {
    expect(readSfdxProject(root)).toEqual({
      root,
      packageDirectories: [
        { path: 'force-app', default: true },
        { path: 'extra', default: false },
      ],
      sourceApiVersion: '66.0',
    });
    const broken = projectOf({});
    writeFileSync(path.join(broken, 'sfdx-project.json'), '{ "packageDirectories": [');
    expect(() => readSfdxProject(broken)).toThrow(OmniError);
    expect(() => readSfdxProject(projectOf({ packageDirectories: [] }))).toThrow(/packageDirectories/);
  });

  test('apiVersionNumber', () => {
    expect(apiVersionNumber('66.0')).toBe(66);
    expect(apiVersionNumber('64.0')).toBe(64);
    expect(() => apiVersionNumber('latest')).toThrow(OmniError);
  });
});

describe('listMetadataFiles and readMetadataFile', () => {
  const root = projectOf({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' },
    '# comments and blank lines are ignored\n\n**/drafts/**\nold/\n*.bak-meta.xml\n/force-app/main/default/presenceUserConfigs/Ignored.presenceUserConfig-meta.xml\n',
  );
  const base = 'force-app/main/default';
  write(root, `${base}/presenceUserConfigs/B.presenceUserConfig-meta.xml`, PUC('B'));
  write(root, `${base}/presenceUserConfigs/A.presenceUserConfig-meta.xml`, PUC('A'));
  write(root, `${base}/presenceUserConfigs/Ignored.presenceUserConfig-meta.xml`, PUC('I'));
  write(root, `${base}/presenceUserConfigs/drafts/D.presenceUserConfig-meta.xml`, PUC('D'));
  write(root, `${base}/old/O.presenceUserConfig-meta.xml`, PUC('O'));
  write(root, `${base}/settings/OmniChannel.settings-meta.xml`, '<OmniChannelSettings xmlns="http://soap.sforce.com/2006/04/metadata"/>');
  write(root, `${base}/settings/Case.settings-meta.xml`, '<CaseSettings/>');
  write(root, `${base}/classes/Foo.cls-meta.xml`, '<ApexClass/>');
  write(root, `${base}/node_modules/x/N.presenceUserConfig-meta.xml`, PUC('N'));
  write(root, `${base}/.hidden/H.presenceUserConfig-meta.xml`, PUC('H'));
  // Searched by suffix anywhere in the package, like SDR (no strictDirectoryName for these types).
  write(root, 'force-app/elsewhere/E.serviceChannel-meta.xml', '<ServiceChannel/>');

  test('finds registry types recursively, sorted, honouring .forceignore, skipping node_modules and dot-folders', async () => {
    const found = await listMetadataFiles([path.join(root, 'force-app')]);
    expect(found.map((f) => [path.relative(root, f.path).split(path.sep).join('/'), f.type.name, f.fullName])).toEqual([
      ['force-app/elsewhere/E.serviceChannel-meta.xml', 'ServiceChannel', 'E'],
      [`${base}/presenceUserConfigs/A.presenceUserConfig-meta.xml`, 'PresenceUserConfig', 'A'],
      [`${base}/presenceUserConfigs/B.presenceUserConfig-meta.xml`, 'PresenceUserConfig', 'B'],
      [`${base}/settings/OmniChannel.settings-meta.xml`, 'OmniChannelSettings', 'OmniChannel'],
    ]);
  });

  test('.forceignore matching: unanchored names, anchored paths, dir/, **, negation', () => {
    const rules = parseForceIgnore('*.tmp\n/top.txt\nbuild/\n**/drafts/**\nkeep/*\n!keep/this.txt\n');
    expect(isIgnored(rules, 'a/b/c.tmp', false)).toBe(true);
    expect(isIgnored(rules, 'top.txt', false)).toBe(true);
    expect(isIgnored(rules, 'sub/top.txt', false)).toBe(false);
    expect(isIgnored(rules, 'x/build', true)).toBe(true);
    expect(isIgnored(rules, 'x/build', false)).toBe(false);
    expect(isIgnored(rules, 'x/build/y.xml', false)).toBe(true);
    expect(isIgnored(rules, 'a/drafts/b/c.xml', false)).toBe(true);
    expect(isIgnored(rules, 'keep/that.txt', false)).toBe(true);
    expect(isIgnored(rules, 'keep/this.txt', false)).toBe(false);
    expect(isIgnored(rules, 'src/file.xml', false)).toBe(false);
  });

  test('readMetadataFile: document with a project-relative path; diagnostics carry it', async () => {
    const file = write(root, `${base}/presenceUserConfigs/Bad.presenceUserConfig-meta.xml`, PUC('x').replace('<capacity>2</capacity>', '<capacity>two</capacity>'));
    const read = await readMetadataFile(file, root);
    const rel = `${base}/presenceUserConfigs/Bad.presenceUserConfig-meta.xml`;
    expect(read.source).toBe(readFileSync(file, 'utf8'));
    expect(read.document?.path).toBe(rel);
    expect(read.document?.fullName).toBe('Bad');
    expect(read.diagnostics.map((d) => [d.ruleId, d.file, d.line, d.column])).toEqual([['XML-VALUE-TYPE', rel, 3, 5]]);
    rmSync(file);
  });
});

describe('writeFileAtomic', () => {
  test('creates folders, replaces content, applies the mode, leaves no temp file', async () => {
    const dir = path.join(temp, 'atomic/a/b');
    const file = path.join(dir, 'state.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two', 0o600);
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  test('a failed write leaves the old file intact and no temp file', async () => {
    const dir = path.join(temp, 'atomic2');
    const file = path.join(dir, 'x.txt');
    await writeFileAtomic(file, 'old');
    mkdirSync(path.join(dir, 'blocker'));
    // Renaming a file over a non-empty directory fails.
    writeFileSync(path.join(dir, 'blocker', 'inside'), '');
    await expect(writeFileAtomic(path.join(dir, 'blocker'), 'new')).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir).sort()).toEqual(['blocker', 'x.txt']);
  });
});
