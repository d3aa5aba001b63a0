/**
 * Failure paths of project discovery and file writing: every bad sfdx-project.json is an OmniError with an
 * action (never a TypeError), overlapping paths list a file once, and writeFileAtomic's mode is exact.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { OmniError } from '../../scripts/lib/errors.ts';
import { listMetadataFiles, readSfdxProject } from '../../scripts/metadata/project.ts';
import { sourceFilePath, getType } from '../../scripts/metadata/registry.ts';
import { writeFileAtomic } from '../../scripts/metadata/write.ts';

const temp = mkdtempSync(path.join(tmpdir(), 'omni-metadata-errors-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let counter = 0;
function projectWith(content: string | undefined): string {
  const root = path.join(temp, `p${counter++}`);
  mkdirSync(root, { recursive: true });
  if (content !== undefined) writeFileSync(path.join(root, 'sfdx-project.json'), content);
  return root;
}

function omniErrorOf(fn: () => unknown): OmniError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OmniError);
    return error as OmniError;
  }
  throw new Error('expected an OmniError');
}

describe('readSfdxProject errors', () => {
  test('a missing sfdx-project.json says so and tells where to run, not "fix the JSON"', () => {
    const error = omniErrorOf(() => readSfdxProject(projectWith(undefined)));
    expect(error.message).toContain('sfdx-project.json');
    expect(error.actions.join(' ')).toMatch(/Salesforce DX project/);
    expect(error.actions.join(' ')).not.toMatch(/JSON syntax/);
  });

  test('broken JSON: an action to fix the syntax', () => {
    const error = omniErrorOf(() => readSfdxProject(projectWith('{ "packageDirectories": [')));
    expect(error.actions.join(' ')).toMatch(/JSON syntax/);
  });

  test.each(['null', '[]', '"force-app"', '42', '{"packageDirectories": {"path": "force-app"}}', '{"packageDirectories": [null, 3, {"path": 7}]}'])(
    'valid JSON of the wrong shape %s: OmniError with an action, no TypeError',
    (json) => {
      const error = omniErrorOf(() => readSfdxProject(projectWith(json)));
      expect(error.actions.length).toBeGreaterThan(0);
    },
  );

  test('sourceApiVersion written as a number comes back as the version string', () => {
    const root = projectWith('{"packageDirectories": [{"path": "force-app"}], "sourceApiVersion": 64}');
    expect(readSfdxProject(root)).toEqual({ root, packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '64.0' });
  });
});

describe('listMetadataFiles', () => {
  test('a folder and a file inside it, or the same folder twice, list each file once', async () => {
    const root = projectWith('{"packageDirectories": [{"path": "force-app", "default": true}]}');
    const type = getType('ServicePresenceStatus');
    const file = path.join(root, 'force-app', sourceFilePath(type, 'Online'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '<ServicePresenceStatus xmlns="http://soap.sforce.com/2006/04/metadata"><label>Online</label></ServicePresenceStatus>');
    const pkg = path.join(root, 'force-app');
    for (const args of [[pkg, file], [pkg, pkg], [file, pkg]]) {
      const found = await listMetadataFiles(args);
      expect(found.map((f) => [f.path, f.type.name, f.fullName])).toEqual([[file, 'ServicePresenceStatus', 'Online']]);
    }
  });

  test('a path that does not exist is an OmniError', async () => {
    await expect(listMetadataFiles([path.join(temp, 'nowhere')])).rejects.toBeInstanceOf(OmniError);
  });
});

describe('writeFileAtomic modes', () => {
  test('the mode is applied exactly, whatever the umask', async () => {
    const old = process.umask(0o077);
    try {
      const file = path.join(temp, 'modes', 'shared.txt');
      await writeFileAtomic(file, 'x', 0o644);
      expect(statSync(file).mode & 0o777).toBe(0o644);
      await writeFileAtomic(file, 'y', 0o600);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toBe('y');
    } finally {
      process.umask(old);
    }
  });

  test('rewriting without a mode keeps the file’s own mode (a 0600 file never becomes readable to others)', async () => {
    const file = path.join(temp, 'modes', 'journal.json');
    await writeFileAtomic(file, '{}', 0o600);
    await writeFileAtomic(file, '{"a":1}');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    chmodSync(file, 0o640);
    await writeFileAtomic(file, '{"a":2}');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readFileSync(file, 'utf8')).toBe('{"a":2}');
    expect(readdirSync(path.dirname(file)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('sourceFilePath', () => {
  test('OmniChannelSettings always lands in OmniChannel.settings-meta.xml, which typeForFile reads back', () => {
    const settings = getType('OmniChannelSettings');
    expect(sourceFilePath(settings, 'Anything')).toBe('main/default/settings/OmniChannel.settings-meta.xml');
    expect(sourceFilePath(getType('Queue'), 'Support')).toBe('main/default/queues/Support.queue-meta.xml');
  });
});
