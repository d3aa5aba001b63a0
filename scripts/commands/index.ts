/**
 * The command table: id, one-line summary (for `omni --help` without loading anything) and a lazy
 * import of the command's own file. Add a command here and in `scripts/commands/<id>.ts`.
 */
import type { CommandDefinition } from '../cli/command.ts';

export interface CommandEntry {
  id: string;
  summary: string;
  load(): Promise<{ default: CommandDefinition<any> }>;
}

export const COMMANDS: CommandEntry[] = [];
