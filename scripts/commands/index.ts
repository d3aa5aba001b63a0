/**
 * The command table: id, one-line summary (for `omni --help` without loading anything) and a lazy
 * import of the command's own file. Add a command here and in `scripts/commands/<id>.ts`.
 */
import type { CommandDefinition } from '../cli/command.ts';

export interface CommandEntry {
  id: string;
  summary: string;
  // biome-ignore lint/suspicious/noExplicitAny: each command has its own result type; the table erases it (render is contravariant in R)
  load(): Promise<{ default: CommandDefinition<any> }>;
}

export const COMMANDS: CommandEntry[] = [
  { id: 'generate', summary: 'Write the Omni-Channel metadata XML described by config/omni-channel.yaml.', load: () => import('./generate.ts') },
  { id: 'import', summary: 'Build the Omni-Channel spec (config/omni-channel.yaml) from existing metadata XML.', load: () => import('./import.ts') },
  { id: 'validate', summary: 'Check Omni-Channel metadata and the spec offline (spec §10 rules); text, JSON or SARIF.', load: () => import('./validate.ts') },
  { id: 'deploy', summary: 'Deploy the Omni-Channel metadata to an org (validated offline and against the org first).', load: () => import('./deploy.ts') },
  { id: 'deploy report', summary: 'Show the status and results of a deploy (default: the last deploy from this project).', load: () => import('./deploy-report.ts') },
  { id: 'deploy resume', summary: 'Wait for a running deploy to finish and show its results (default: the last deploy from this project).', load: () => import('./deploy-resume.ts') },
  { id: 'retrieve', summary: 'Retrieve the Omni-Channel metadata from an org into the project (canonical format; reports created/updated/unchanged).', load: () => import('./retrieve.ts') },
  { id: 'plan', summary: 'Compare the source with the org: components to create or update (field old → new), unchanged, only in the org.', load: () => import('./plan.ts') },
  { id: 'assign plan', summary: 'Show what "omni assign apply" would change: per user and profile create, move, remove, unchanged.', load: () => import('./assign-plan.ts') },
  { id: 'assign apply', summary: 'Assign presence configurations to users and profiles in bulk, re-runnably and journalled.', load: () => import('./assign-apply.ts') },
  { id: 'assign export', summary: "Export the org's current presence configuration assignments and queue user members (backup, or a starting assignment file).", load: () => import('./assign-export.ts') },
  { id: 'assign resume', summary: 'Continue an interrupted or partial assignment run from its journal.', load: () => import('./assign-resume.ts') },
  { id: 'assign undo', summary: 'Restore every user and profile a run touched to the configuration it had before the run.', load: () => import('./assign-undo.ts') },
  { id: 'access check', summary: 'Check that assigned agents can go online: presence statuses granted through their profile and permission sets.', load: () => import('./access-check.ts') },
  { id: 'graph', summary: 'Draw the Omni-Channel routing (channels, statuses, configurations, routing, queues) with its problems marked: HTML, Mermaid or JSON.', load: () => import('./graph.ts') },
  { id: 'explain', summary: 'Explain why an agent does (not) get work: user, license, presence configuration, statuses, queue membership, routing, capacity, skills.', load: () => import('./explain.ts') },
  { id: 'doctor', summary: 'Check an org against the project: API version, Omni-Channel, limits, assignments, status access, capacity vs routing weight.', load: () => import('./doctor.ts') },
  { id: 'setup', summary: 'From nothing to a working Omni-Channel org: doctor, validate, deploy, assign, grant status access, verify; re-runnable.', load: () => import('./setup.ts') },
  { id: 'org local', summary: 'Run a local org (OAuth, REST, Bulk 2.0, Metadata API) on 127.0.0.1 until interrupted.', load: () => import('./org-local.ts') },
];
