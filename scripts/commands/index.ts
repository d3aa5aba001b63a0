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

export const COMMANDS: CommandEntry[] = [
  { id: 'generate', summary: 'Write the Omni-Channel metadata XML described by config/omni-channel.yaml.', load: () => import('./generate.ts') },
  { id: 'import', summary: 'Build the Omni-Channel spec (config/omni-channel.yaml) from existing metadata XML.', load: () => import('./import.ts') },
  { id: 'validate', summary: 'Check Omni-Channel metadata and the spec offline (spec §10 rules); text, JSON or SARIF.', load: () => import('./validate.ts') },
  { id: 'org local', summary: 'Run a local org (OAuth, REST, Bulk 2.0, Metadata API) on 127.0.0.1 until interrupted.', load: () => import('./org-local.ts') },
];
