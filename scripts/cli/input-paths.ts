/**
 * The files and folders a command is given on its command line, checked before `run`: one that does not
 * exist, or a folder where a file is read, is a usage error (exit 2) naming the flag and the path — never
 * a finding at a made-up line and column of a file that is not there.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { catalogueError } from '../lib/messages.ts';
import type { CommandDefinition, FlagValues } from './command.ts';

/**
 * Throws PathNotFound.flag for a path flag (`path: 'file' | 'exists'`) whose value does not exist under
 * `cwd`, UsageError.notAFile for a `file` flag given a folder. Flags not given are skipped.
 */
export function checkInputPaths(definition: Pick<CommandDefinition, 'flags'>, flags: FlagValues, cwd: string): void {
  for (const [name, def] of Object.entries(definition.flags)) {
    if (!def.path) continue;
    const given = flags[name];
    const values = Array.isArray(given) ? given : typeof given === 'string' ? [given] : [];
    for (const value of values) {
      const info = statSync(path.resolve(cwd, value), { throwIfNoEntry: false });
      if (!info) throw catalogueError('PathNotFound', { variant: 'flag', tokens: [`--${name}`, value] });
      if (def.path === 'file' && info.isDirectory()) throw catalogueError('UsageError', { variant: 'notAFile', tokens: [`--${name}`, value], actionTokens: [`--${name}`] });
    }
  }
}
