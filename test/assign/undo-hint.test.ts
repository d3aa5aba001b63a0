/**
 * `omni assign apply` ends its human output with the command that undoes the run, named as the user runs
 * omni; running that very line restores the org. Under --json the envelope carries it (`result.undo`) and
 * nothing else is printed.
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
  org = await startTestOrg();
  dir = mkdtempSync(join(tmpdir(), 'omni-undo-hint-'));
});
afterAll(async () => {
  await org?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const rows = () => [...org.store.all('PresenceUserConfigUser')].length;

describe('assign apply prints its undo command', () => {
  it('the printed "omni assign undo RUN_ID" line restores the org', async () => {
    const before = rows();
    const r = await omniInProcess(org, dir, ['assign', 'apply', '--config', 'default_presence_config', '--user', 'agent04@omni.local']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(rows()).toBe(before + 1);
    const line = /^Undo it: (omni assign undo \S+)$/m.exec(r.stdout)?.[1];
    expect(line, r.stdout).toBeDefined();
    const undo = await omniInProcess(org, dir, [...(line as string).split(' ').slice(1), '--json']);
    expect(undo.code, undo.stdout).toBe(0);
    expect(rows()).toBe(before);
  });

  it('under --json only the envelope is printed, with the undo command in the result', async () => {
    const r = await omniInProcess(org, dir, ['assign', 'apply', '--config', 'default_presence_config', '--user', 'agent05@omni.local', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.json.result.undo).toBe(`omni assign undo ${r.json.result.runId}`);
    expect(r.stdout).not.toContain('Undo it:');
  });
});
