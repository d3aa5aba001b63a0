/**
 * `omni deploy --metadata` / `--manifest` (sf project deploy start's -m/-x): which source files of the
 * package directories a metadata list or a package.xml selects, resolved by SDR as sf resolves them
 * (`Type`, `Type:Name`, `Type:Prefix*`; a manifest's members, `*` included).
 * https://developer.salesforce.com/docs/atlas.en-us.sfdx_cli_reference.meta/sfdx_cli_reference/cli_reference_project_commands_unified.htm
 */
import { resolve } from 'node:path';
import { readProject } from './project-docs.ts';
import { catalogueError } from '../lib/messages.ts';

/**
 * The files (metadata XML and content) of the selected components, absolute paths; usable as deploy
 * source paths. Throws (via `noMatch`) when nothing in the project matches: a deploy of nothing is a mistake.
 */
export async function selectSourcePaths(cwd: string, selection: { metadata?: string[]; manifest?: string }, noMatch: (what: string) => Error): Promise<string[]> {
  const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
  const project = await readProject(cwd);
  let set;
  if (selection.manifest) {
    try {
      set = await ComponentSet.fromManifest({ manifestPath: resolve(cwd, selection.manifest), resolveSourcePaths: project.packageDirs, forceAddWildcards: true });
    } catch (error) {
      throw invalidManifest(selection.manifest, error);
    }
  } else {
    const wanted = (selection.metadata ?? []).map((entry) => {
      const [type, ...rest] = entry.split(':');
      return { type, fullName: rest.length ? rest.join(':') : '*' };
    });
    const all = ComponentSet.fromSource({ fsPaths: project.packageDirs });
    const matches = (type: string, fullName: string) =>
      wanted.some((w) => w.type.toLowerCase() === type.toLowerCase() && (w.fullName === '*' || (w.fullName.endsWith('*') ? fullName.startsWith(w.fullName.slice(0, -1)) : fullName === w.fullName)));
    set = all.getSourceComponents().toArray().filter((c) => matches(c.type.name, c.fullName));
  }
  const components = Array.isArray(set) ? set : set.getSourceComponents().toArray();
  const paths = [...new Set(components.flatMap((c) => [c.xml, c.content].filter((p): p is string => Boolean(p))))];
  if (!paths.length) throw noMatch(selection.manifest ? `the manifest ${selection.manifest}` : `--metadata ${(selection.metadata ?? []).join(' ')}`);
  return paths;
}

/**
 * SDR's InvalidManifest (a file that is not package.xml XML) as the usage error it is (exit 2), located at
 * the line and column SDR's XML parser reports; any other failure is passed on.
 */
function invalidManifest(manifest: string, error: unknown): unknown {
  const e = error as { name?: string; code?: string; message?: string; data?: { msg?: string; line?: number; col?: number } };
  if (e?.name !== 'InvalidManifest' && e?.code !== 'InvalidManifest') return error;
  const where = e.data?.line ? `${manifest}:${e.data.line}:${e.data.col ?? 1}` : manifest;
  return catalogueError('UsageError', { variant: 'invalidManifest', tokens: [where, e.data?.msg ?? String(e.message)], cause: error });
}
