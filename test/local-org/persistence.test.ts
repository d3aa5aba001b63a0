import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateFileError } from '../../local-org/store.ts';
import { startLocalOrg, StateFileInUse } from '../../local-org/index.ts';
import { SOBJECTS } from '../../local-org/schema.ts';
import { api, dataPath, startTestOrg } from '../helpers/local-org.ts';

function stateFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'omni-state-')), 'nested', 'state.json');
}

describe('persistence', () => {
  it('writes the state after a mutating request and keeps every record across a restart', async () => {
    const file = stateFile();
    const org = await startTestOrg({ stateFile: file, seedUsers: 25 });
    const created = await api(org, 'POST', dataPath('/sobjects/PresenceDeclineReason'), { DeveloperName: 'Kept', MasterLabel: 'Kept' });
    expect(created.status).toBe(201);
    await new Promise((r) => setTimeout(r, 400));
    // Flushed by the debounce while still running (a crash now would lose nothing).
    expect(readFileSync(file, 'utf8')).toContain(created.body.id);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
    const counts = Object.fromEntries(SOBJECTS.map((s) => [s.name, org.store.count(s.name)]));
    const { orgId, accessToken, username } = org;
    await org.stop();

    const again = await startTestOrg({ stateFile: file });
    try {
      expect(Object.fromEntries(SOBJECTS.map((s) => [s.name, again.store.count(s.name)]))).toEqual(counts);
      expect(again.orgId).toBe(orgId);
      expect(again.username).toBe(username);
      // The saved token still works, so an sf CLI alias survives restarts.
      expect(again.accessToken).toBe(accessToken);
      const read = await api(again, 'GET', dataPath(`/sobjects/PresenceDeclineReason/${created.body.id}`));
      expect(read.body.DeveloperName).toBe('Kept');
    } finally {
      await again.stop();
    }
  });

  it('refuses a corrupt or foreign state file with an error naming it', async () => {
    const file = stateFile();
    const org = await startTestOrg({ stateFile: file });
    await org.stop();
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.slice(0, good.length / 2));
    await expect(startTestOrg({ stateFile: file })).rejects.toThrow(StateFileError);
    await expect(startTestOrg({ stateFile: file })).rejects.toThrow(file);
    writeFileSync(file, JSON.stringify({ hello: 'world' }));
    await expect(startTestOrg({ stateFile: file })).rejects.toThrow(/not a local org state file/);
    // Never silently reset: the bad file is left as it was.
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify({ hello: 'world' }));
  });

  it('hides the Omni objects while Omni-Channel is off and shows them once enabled', async () => {
    const org = await startTestOrg({ omniDisabled: true });
    try {
      expect((await api(org, 'GET', dataPath('/sobjects/PresenceUserConfig/describe'))).status).toBe(404);
      const q = await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent('SELECT Id FROM PresenceUserConfig')}`));
      expect(q.status).toBe(400);
      expect(q.body[0].errorCode).toBe('INVALID_TYPE');
      org.context.omniEnabled = true;
      expect((await api(org, 'GET', dataPath('/sobjects/PresenceUserConfig/describe'))).status).toBe(200);
    } finally {
      await org.stop();
    }
  });

  it('keeps the Omni-Channel switch across a restart, whatever the flag says then', async () => {
    const file = stateFile();
    const org = await startTestOrg({ stateFile: file, omniDisabled: true });
    expect(org.context.omniEnabled).toBe(false);
    await org.stop();
    const still = await startTestOrg({ stateFile: file });
    expect(still.context.omniEnabled).toBe(false);
    // What a deploy of OmniChannelSettings.enableOmniChannel does to the switch.
    still.context.omniEnabled = true;
    await still.stop();
    const enabled = await startTestOrg({ stateFile: file, omniDisabled: true });
    try {
      expect(enabled.context.omniEnabled).toBe(true);
      expect((await api(enabled, 'GET', dataPath('/sobjects/PresenceUserConfig/describe'))).status).toBe(200);
    } finally {
      await enabled.stop();
    }
  });
});

describe('one server per state file [F-50]', () => {
  it('a second start on the same state file is refused with StateFileInUse naming the running port; after stop it starts', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'omni-lock-')), 'state.json');
    const first = await startLocalOrg({ stateFile });
    try {
      const port = new URL(first.instanceUrl).port;
      const refused = await startLocalOrg({ stateFile }).then(
        async (second) => {
          await second.stop();
          return undefined;
        },
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(StateFileInUse);
      expect((refused as Error).message).toContain(`running on port ${port}`);
      // The refused start changed nothing: the first still serves the same org.
      expect(first.store.count('User')).toBe(11);
    } finally {
      await first.stop();
    }
    const again = await startLocalOrg({ stateFile });
    expect(again.orgId).toBe(first.orgId);
    await again.stop();
  });
});
