/**
 * The committed command-snapshot.json matches the `sf omni …` commands oclif loads (flag names, chars):
 * renaming or dropping a flag breaks users' scripts, so it must show up as a reviewed diff of that file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCommandSnapshot, SNAPSHOT_FILE, snapshotText } from '../../scripts/tooling/command-snapshot.ts';
import { COMMANDS } from '../helpers/commands.ts';

describe('command snapshot', () => {
  it('command-snapshot.json is up to date (run "npm run snapshot" after a deliberate flag change)', async () => {
    const snapshot = await renderCommandSnapshot();
    expect(snapshotText(snapshot)).toBe(readFileSync(SNAPSHOT_FILE, 'utf8'));
  }, 60_000);

  it('every omni command is an sf command with the global --json and --flags-dir and its own flags', async () => {
    const snapshot = await renderCommandSnapshot();
    expect(snapshot.map((c) => c.command).sort()).toEqual(COMMANDS.map((c) => `omni:${c.id.replaceAll(' ', ':')}`).sort());
    for (const c of snapshot) expect(c.flags).toEqual(expect.arrayContaining(['json', 'flags-dir']));
    for (const entry of COMMANDS) {
      const flags = Object.keys((await entry.load()).default.flags);
      expect(snapshot.find((c) => c.command === `omni:${entry.id.replaceAll(' ', ':')}`)?.flags).toEqual(expect.arrayContaining(flags));
    }
  }, 60_000);
});
