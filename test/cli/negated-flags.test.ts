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
import { COMMANDS } from '../helpers/commands.ts';

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

/** The commands that change a production org and so ask first (their engines call confirmOrgChange). */
const PROMPTING = ['assign apply', 'assign undo', 'deploy', 'setup'];

describe('one skip-confirmation flag: --no-prompt, with -y/--yes as aliases', () => {
  it('every command that asks has --no-prompt with -y and --yes; none has a separate --yes', async () => {
    const withFlag: string[] = [];
    for (const c of COMMANDS) {
      const { flags } = (await c.load()).default;
      expect(flags.yes, `${c.id} --yes`).toBeUndefined();
      if (!flags['no-prompt']) continue;
      withFlag.push(c.id);
      expect(flags['no-prompt'], c.id).toMatchObject({ type: 'boolean', short: 'y', aliases: ['yes'] });
    }
    expect(withFlag.sort()).toEqual(PROMPTING);
  });

  it('assign apply takes -y and --yes, and assign undo takes --no-prompt, on a production org', async () => {
    const users = ['agent02@omni.local', 'agent03@omni.local'];
    const count = () => [...org.store.all('PresenceUserConfigUser')].length;
    const before = count();
    for (const [i, flag] of ['-y', '--yes'].entries()) {
      const r = await omniInProcess(org, dir, ['assign', 'apply', '--config', 'default_presence_config', '--user', users[i] as string, '--json', flag]);
      expect(r.code, `${flag}: ${r.stdout}`).toBe(0);
      expect(count()).toBe(before + 1);
      const undo = await omniInProcess(org, dir, ['assign', 'undo', r.json.result.runId, '--json', '--no-prompt']);
      expect(undo.code, undo.stdout).toBe(0);
      expect(count()).toBe(before);
    }
  });
});
