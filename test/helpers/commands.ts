/**
 * Every omni command, as oclif finds it: one class per file under scripts/sf/commands/omni/ (`assign/plan.ts`
 * is `omni assign plan`), each carrying the definition it was built from (scripts/sf/adapter.ts). The tests
 * iterate these, so a command exists in exactly one place besides its definition and its help bundle.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { CommandDefinition } from '../../scripts/cli/command.ts';
import { REPO_ROOT } from './paths.ts';

export interface CommandEntry {
  /** Space-separated id, e.g. `assign plan`. */
  id: string;
  load(): Promise<{ default: CommandDefinition<any> }>;
}

const DIR = path.join(REPO_ROOT, 'scripts', 'sf', 'commands', 'omni');

export const COMMANDS: CommandEntry[] = (readdirSync(DIR, { recursive: true }) as string[])
  .filter((file) => file.endsWith('.ts'))
  .sort()
  .map((file) => ({
    id: file.slice(0, -'.ts'.length).split(path.sep).join(' '),
    load: async () => ({ default: ((await import(path.join(DIR, file))) as { default: { definition: CommandDefinition } }).default.definition }),
  }));
