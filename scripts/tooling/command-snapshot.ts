/**
 * `npm run snapshot`: writes `command-snapshot.json`, the flags (names, short chars, aliases) of every
 * `sf omni …` command, in the shape of the sf plugins' command-snapshot.json (plugin-deploy-retrieve,
 * https://github.com/salesforcecli/plugin-command-snapshot). `--check` writes nothing and exits 1 on drift.
 * The test suite compares it too, so a renamed or dropped flag (which breaks users' scripts) is a
 * deliberate, reviewed change of this file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Plugin } from '@oclif/core';
import { writeFileAtomic } from '../metadata/write.ts';

const ROOT = join(import.meta.dirname, '..', '..');
export const SNAPSHOT_FILE = join(ROOT, 'command-snapshot.json');

export interface CommandSnapshot {
  alias: string[];
  command: string;
  flagAliases: string[];
  flagChars: string[];
  flags: string[];
  plugin: string;
}

/**
 * The snapshot of the plugin's commands as oclif loads them from package.json's `oclif` section — from the
 * command classes themselves, never from a (possibly stale) oclif.manifest.json.
 */
export async function renderCommandSnapshot(): Promise<CommandSnapshot[]> {
  const plugin = new Plugin({ root: ROOT, isRoot: true, ignoreManifest: true });
  await plugin.load();
  return plugin.commands
    .map((c) => {
      const flags = Object.values(c.flags);
      return {
        alias: [...(c.aliases ?? [])].sort(),
        command: c.id,
        flagAliases: flags.flatMap((f) => f.aliases ?? []).sort(),
        flagChars: flags.flatMap((f) => (f.char ? [f.char] : [])).sort(),
        flags: flags.map((f) => f.name).sort(),
        plugin: plugin.name,
      };
    })
    .sort((a, b) => a.command.localeCompare(b.command));
}

export function snapshotText(snapshot: CommandSnapshot[]): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

if (import.meta.main) {
  const text = snapshotText(await renderCommandSnapshot());
  let current = '';
  try {
    current = readFileSync(SNAPSHOT_FILE, 'utf8');
  } catch {
    // first run
  }
  if (process.argv.includes('--check')) {
    if (current !== text) {
      process.stderr.write('command-snapshot.json differs from the commands: run "npm run snapshot" and review the diff.\n');
      process.exitCode = 1;
    }
  } else if (current !== text) {
    writeFileAtomic(SNAPSHOT_FILE, text);
    process.stdout.write('written: command-snapshot.json\n');
  }
}
