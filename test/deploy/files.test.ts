import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePrivateJson } from '../../scripts/deploy/files.ts';

const root = mkdtempSync(join(tmpdir(), 'omni-private-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writePrivateJson (deploy records and assignment snapshots under .omni/)', () => {
  it('creates the folder 0700 and the file 0600, with the JSON in it', async () => {
    const file = join(root, '.omni', 'deploys', '0Af000000000001AAA.json');
    await writePrivateJson(file, { id: '0Af000000000001AAA', username: 'admin@omni.local' });
    expect(statSync(join(root, '.omni', 'deploys')).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ id: '0Af000000000001AAA', username: 'admin@omni.local' });
  });
});
