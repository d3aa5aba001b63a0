/**
 * locateProject (metadata/project.ts): where `omni validate` runs — the project at or above cwd, the
 * project holding a given path, or a Metadata API format folder outside any project at its package.xml
 * <version>; otherwise NoProjectFound.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateProject } from '../../scripts/metadata/project.ts';
import { omniOffline } from '../helpers/omni.ts';

const base = mkdtempSync(join(tmpdir(), 'omni-locate-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function write(file: string, text: string): string {
  const full = join(base, file);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  return full;
}

const project = JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '64.0' });
const config = (name: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">\n    <capacity>5</capacity>\n    <label>${name}</label>\n</PresenceUserConfig>\n`;

describe('locateProject', () => {
  write('proj/sfdx-project.json', project);
  const inProject = write('proj/force-app/main/default/presenceUserConfigs/a.presenceUserConfig-meta.xml', config('a'));
  write('mdapi/package.xml', '<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n    <version>62.0</version>\n</Package>\n');
  const mdapiFile = write('mdapi/presenceUserConfigs/b.presenceUserConfig', config('b'));
  mkdirSync(join(base, 'elsewhere'), { recursive: true });

  it('the project at or above cwd', () => {
    expect(locateProject(join(base, 'proj', 'force-app'), [])).toEqual({ root: join(base, 'proj') });
  });

  it('from outside: the project holding a given path', () => {
    expect(locateProject(join(base, 'elsewhere'), [inProject])).toEqual({ root: join(base, 'proj') });
  });

  it('a Metadata API format folder outside any project: its package.xml version, validated on its own', () => {
    expect(locateProject(join(base, 'elsewhere'), [join(base, 'mdapi')])).toEqual({ root: join(base, 'elsewhere'), withoutProject: true, apiVersion: '62.0' });
    expect(locateProject(join(base, 'elsewhere'), [mdapiFile])).toMatchObject({ withoutProject: true, apiVersion: '62.0' });
  });

  it('none of these: NoProjectFound', () => {
    expect(() => locateProject(join(base, 'elsewhere'), [join(base, 'elsewhere')])).toThrow(expect.objectContaining({ name: 'NoProjectFound' }));
  });

  it('omni validate of the Metadata API folder from outside any project checks its file (exit 0)', async () => {
    const r = await omniOffline(join(base, 'elsewhere'), ['validate', join(base, 'mdapi'), '--json']);
    expect(r.code, r.stdout.slice(0, 400)).toBe(0);
    expect(r.json.result.summary.filesChecked).toBe(1);
  });
});
