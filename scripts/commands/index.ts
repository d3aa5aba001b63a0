/**
 * The command table: id and a lazy import of the command's own file (its help text is in
 * messages/<id>.md). Add a command here and in `scripts/commands/<id>.ts`.
 */
import type { CommandDefinition } from '../cli/command.ts';

export interface CommandEntry {
  id: string;
  // biome-ignore lint/suspicious/noExplicitAny: each command has its own result type; the table erases it (render is contravariant in R)
  load(): Promise<{ default: CommandDefinition<any> }>;
}

export const COMMANDS: CommandEntry[] = [
  { id: 'generate', load: () => import('./generate.ts') },
  { id: 'import', load: () => import('./import.ts') },
  { id: 'validate', load: () => import('./validate.ts') },
  { id: 'deploy', load: () => import('./deploy.ts') },
  { id: 'deploy report', load: () => import('./deploy-report.ts') },
  { id: 'deploy resume', load: () => import('./deploy-resume.ts') },
  { id: 'retrieve', load: () => import('./retrieve.ts') },
  { id: 'plan', load: () => import('./plan.ts') },
  { id: 'assign plan', load: () => import('./assign-plan.ts') },
  { id: 'assign apply', load: () => import('./assign-apply.ts') },
  { id: 'assign export', load: () => import('./assign-export.ts') },
  { id: 'assign resume', load: () => import('./assign-resume.ts') },
  { id: 'assign undo', load: () => import('./assign-undo.ts') },
  { id: 'access check', load: () => import('./access-check.ts') },
  { id: 'graph', load: () => import('./graph.ts') },
  { id: 'explain', load: () => import('./explain.ts') },
  { id: 'doctor', load: () => import('./doctor.ts') },
  { id: 'setup', load: () => import('./setup.ts') },
  { id: 'org local', load: () => import('./org-local.ts') },
];
