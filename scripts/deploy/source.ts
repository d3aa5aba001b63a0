/**
 * What is being deployed: the project, its source directories, the parsed documents (with the
 * validator's diagnostics) and, from the registry's `references` table, every name the files point
 * at that the deployment does not contain itself — those must exist in the org.
 */
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { catalogueError } from '../lib/messages.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import type { RefUse } from './org-refs.ts';

export interface DeploymentSource {
  projectRoot: string;
  sourceApiVersion?: string;
  /** Absolute paths handed to SDR. */
  sourcePaths: string[];
  diagnostics: Diagnostic[];
  /** References the deployment does not satisfy itself (checked against the org). */
  unresolved: RefUse[];
  /** DeveloperNames of the presence configurations being deployed. */
  presenceConfigs: string[];
  /** The deployment contains OmniChannelSettings with enableOmniChannel = true. */
  enablesOmni: boolean;
  /** `Type:fullName` of every component in the deployment. */
  components: Array<{ type: string; fullName: string; file: string }>;
}

export async function loadDeploymentSource(cwd: string, sourceDirs: string[]): Promise<DeploymentSource> {
  const { readProject } = await import('./project-docs.ts');
  const project = await readProject(cwd);
  const projectRoot = project.projectRoot;
  const sfdx = { sourceApiVersion: project.sourceApiVersion };
  const sourcePaths = sourceDirs.length ? sourceDirs.map((d) => resolve(cwd, d)) : project.packageDirs;
  for (const p of sourcePaths) {
    try {
      await stat(p);
    } catch {
      throw catalogueError('PathNotFound', { variant: 'sourceDir', tokens: [p] });
    }
  }
  const { validateProject } = await import('../validate/index.ts');
  const validation = await validateProject({ projectRoot, paths: sourcePaths, apiVersion: sfdx.sourceApiVersion });
  const { collectReferences } = await import('./references.ts');
  // The validator also returns the rest of the project (reference context): keep only what is deployed.
  const inDeployment = validation.documents.filter((d) => {
    const abs = d.path ? resolve(projectRoot, d.path) : '';
    return sourcePaths.some((p) => abs === p || abs.startsWith(p.endsWith(sep) ? p : p + sep));
  });
  const refs = collectReferences(inDeployment);
  return {
    projectRoot,
    sourceApiVersion: sfdx.sourceApiVersion,
    sourcePaths,
    diagnostics: validation.diagnostics,
    unresolved: refs.unresolved,
    presenceConfigs: refs.presenceConfigs,
    enablesOmni: refs.enablesOmni,
    components: refs.components,
  };
}
