/**
 * Small inline projects for validator tests: each fixture is written to a fresh temp dir with an
 * sfdx-project.json, so `validateProject` runs exactly as on a real project.
 */
import { afterAll } from 'vitest';
import { validateProject } from '../../scripts/validate/index.ts';
import { makeProject } from '../helpers/project.ts';
import type { Diagnostic } from '../../scripts/lib/diagnostic.ts';

export const NS = 'http://soap.sforce.com/2006/04/metadata';
export const DEFAULT = 'force-app/main/default';

/**
 * A source-format file: declaration on line 1, root on line 2, then one element per line at column 5,
 * so the i-th element given (0-based) sits at line 3 + i (when it is a single line).
 */
export function xml(type: string, elements: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="${NS}">\n${elements.map((e) => `    ${e}`).join('\n')}\n</${type}>\n`;
}

const created: Array<() => void> = [];
afterAll(() => {
  for (const cleanup of created) cleanup();
});

export interface ProjectOptions {
  apiVersion?: string;
  packageDirectories?: string[];
}

/** Writes `files` (path relative to the project root → content) into a new temp project; returns its root. */
export function filesProject(files: Record<string, string>, options: ProjectOptions = {}): string {
  const project = makeProject({ packageDirectories: options.packageDirectories ?? ['force-app'], apiVersion: options.apiVersion ?? '66.0', files, prefix: 'omni-validate-' });
  created.push(project.cleanup);
  return project.dir;
}

/** Convenience paths: `puc('miaw')` → force-app/main/default/presenceUserConfigs/miaw.presenceUserConfig-meta.xml. */
export const puc = (name: string) => `${DEFAULT}/presenceUserConfigs/${name}.presenceUserConfig-meta.xml`;
export const sps = (name: string) => `${DEFAULT}/servicePresenceStatuses/${name}.servicePresenceStatus-meta.xml`;
export const pdr = (name: string) => `${DEFAULT}/presenceDeclineReasons/${name}.presenceDeclineReason-meta.xml`;
export const sc = (name: string) => `${DEFAULT}/serviceChannels/${name}.serviceChannel-meta.xml`;
export const qrc = (name: string) => `${DEFAULT}/queueRoutingConfigs/${name}.queueRoutingConfig-meta.xml`;
export const queue = (name: string) => `${DEFAULT}/queues/${name}.queue-meta.xml`;
export const settings = () => `${DEFAULT}/settings/OmniChannel.settings-meta.xml`;
export const permset = (name: string) => `${DEFAULT}/permissionsets/${name}.permissionset-meta.xml`;

/** Validates a whole temp project (no spec) and returns its diagnostics. */
export async function validate(files: Record<string, string>, options: ProjectOptions = {}): Promise<Diagnostic[]> {
  const root = filesProject(files, options);
  return (await validateProject({ projectRoot: root, specFile: null })).diagnostics;
}

export const byRule = (diagnostics: Diagnostic[], ruleId: string) => diagnostics.filter((d) => d.ruleId === ruleId);
export const errors = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error');

