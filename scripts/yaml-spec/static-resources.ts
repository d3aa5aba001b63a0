/**
 * The StaticResources a spec's record settings name (notificationSound.staticResource) against the
 * project's own: `staticresources/<name>.resource-meta.xml` beside its content file (source format:
 * `<name>.<extension from the content type>` or `<name>.resource`). Offline a name the project lacks is
 * info (it may be in the org: `omni deploy` checks and refuses it when it is in neither).
 */
import { readdir } from 'node:fs/promises';
import { ruleText } from '../lib/messages.ts';
import path from 'node:path';
import type { Diagnostic } from '../lib/diagnostic.ts';
import { TYPE_MAPPINGS } from './mapping.ts';
import { getContentType } from '../metadata/registry.ts';
import type { Locate } from './load.ts';
import { commandPrefix } from '../lib/io.ts';

/**
 * The project's static resources: lower-case name → its content (a file, or the folder of an expanded
 * archive; the meta path when neither exists). Layout from the registry's content facts.
 */
export async function findProjectStaticResources(packageDirs: readonly string[]): Promise<Map<string, string>> {
  const { content } = getContentType('StaticResource');
  const META = `.${content.suffix}-meta.xml`;
  const names = new Map<string, string>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 8) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const files = entries.filter((e) => e.isFile()).map((e) => e.name);
    const resources = path.basename(dir) === content.directoryName;
    // An expanded archive's folder (`Name/` beside `Name.resource-meta.xml`) is content, not more source to walk.
    const folders = new Set(resources && content.folder ? entries.filter((e) => e.isDirectory()).map((e) => e.name) : []);
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!(folders.has(e.name) && files.includes(`${e.name}${META}`))) await walk(p, depth + 1);
      } else if (resources && e.name.endsWith(META)) {
        const base = e.name.slice(0, -META.length);
        const file = files.find((f) => f !== e.name && (f === `${base}.${content.suffix}` || (f.startsWith(`${base}.`) && !f.endsWith('-meta.xml'))));
        names.set(base.toLowerCase(), path.join(dir, file ?? (folders.has(base) ? base : e.name)));
      }
    }
  };
  for (const dir of packageDirs) await walk(dir, 0);
  return names;
}

/** Every `staticResource` name in the spec with its YAML path. */
export function staticResourceNames(spec: Record<string, unknown>): Array<{ name: string; path: (string | number)[] }> {
  const out: Array<{ name: string; path: (string | number)[] }> = [];
  for (const mapping of TYPE_MAPPINGS) {
    const section = spec[mapping.specKey] as Record<string, Record<string, unknown>> | undefined;
    if (!mapping.keyed || !section) continue;
    for (const row of mapping.records ?? []) {
      if (!row.references) continue;
      // Names, not [name, entry] pairs: one array for 10,000 entries, not one per entry.
      const fullNames: string[] = Object.keys(section);
      for (let i = 0; i < fullNames.length; i++) {
        const fullName = fullNames[i];
        const entry = section[fullName];
        const name = (entry?.[row.key] as { staticResource?: unknown } | undefined)?.staticResource;
        if (typeof name === 'string') out.push({ name, path: [mapping.specKey, fullName, row.key, 'staticResource'] });
      }
    }
  }
  return out;
}

/** Info diagnostics for names the project does not hold (deploy checks the org). */
export function staticResourceDiagnostics(spec: Record<string, unknown>, projectResources: ReadonlyMap<string, string>, file: string, locate: Locate): Diagnostic[] {
  return staticResourceNames(spec)
    .filter((u) => !projectResources.has(u.name.toLowerCase()))
    .map((u) => {
      const pos = locate(u.path);
      return {
        ruleId: 'SPEC-STATIC-RESOURCE',
        severity: 'info' as const,
        message: ruleText('SPEC-STATIC-RESOURCE', [u.name, u.path.join('.'), commandPrefix()]),
        hint: ruleText('SPEC-STATIC-RESOURCE.hint'),
        file,
        line: pos.line,
        column: pos.column,
      };
    });
}
