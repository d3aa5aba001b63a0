/**
 * Flags declared as `no-x` (`--no-prompt`) must reach the command as themselves: node's parseArgs with
 * allowNegative would otherwise read them as `x=false`. Proven on a production local org, where
 * `omni assign apply` refuses to write without --no-prompt / --yes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { startTestOrg } from '../helpers/local-org.ts';
import { omniInProcess } from '../helpers/omni.ts';

let org: LocalOrg;
let dir: string;
beforeAll(async () => {
  org = await startTestOrg({ orgType: 'production' });
  dir = mkdtempSync(join(tmpdir(), 'omni-flags-'));
});
afterAll(async () => {
  await org?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const apply = ['assign', 'apply', '--config', 'default_presence_config', '--user', 'agent01@omni.local', '--json'];

describe('--no-prompt on a production org', () => {
  it('without it, assign apply refuses and writes nothing', async () => {
    const r = await omniInProcess(org, dir, apply);
    expect(r.code).toBe(1);
    expect(r.json.name).toBe('ProductionConfirmationRequired');
    expect([...org.store.all('PresenceUserConfigUser')]).toHaveLength(0);
  });

  it('with it, assign apply goes ahead', async () => {
    const r = await omniInProcess(org, dir, [...apply, '--no-prompt']);
    expect(r.code, r.stdout).toBe(0);
    expect([...org.store.all('PresenceUserConfigUser')]).toHaveLength(1);
  });
});
