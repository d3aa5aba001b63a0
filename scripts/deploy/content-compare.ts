/**
 * Content components (the registry's content types, scripts/metadata/registry-overlay.ts: StaticResource) on both sides of a plan:
 * the project's as SDR resolves them for a deploy (so .forceignore and the folder layout are the deploy's),
 * the org's from the plan's retrieve. Compared by content digest and the meta elements the org stores.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { findContentType, type ContentTypeDef } from '../metadata/registry.ts';
import { parseXml } from '../metadata/xml.ts';
import type { FieldChange } from './semantic.ts';

/** One content component: its meta elements (name → text) and a digest of its content. */
export interface ContentComponent {
  type: ContentTypeDef;
  fullName: string;
  /** The `-meta.xml` path (project side: where a plan item points). */
  xml: string;
  elements: Map<string, string>;
  /** `sha256:<hex> (<n> bytes)`; a directory digests its sorted relative paths and bytes. */
  digest: string;
}

/** Minimal shape of an SDR SourceComponent (what `getSourceComponents()` yields). */
interface SdrComponent {
  fullName: string;
  type: { name: string };
  xml?: string;
  content?: string;
}

/** The content components among SDR source components (others are ignored). */
export async function contentComponents(components: Iterable<SdrComponent>): Promise<ContentComponent[]> {
  const out: ContentComponent[] = [];
  for (const c of components) {
    const type = findContentType(c.type.name);
    if (!type || !c.xml) continue;
    out.push({ type, fullName: c.fullName, xml: c.xml, elements: metaElements(await readFile(c.xml, 'utf8')), digest: c.content ? await digestOf(c.content) : 'none' });
  }
  return out;
}

/** The project's content components under `sourcePaths`, resolved as `omni deploy` resolves its source. */
export async function projectContentComponents(sourcePaths: string[]): Promise<ContentComponent[]> {
  if (!sourcePaths.length) return [];
  const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
  return contentComponents(ComponentSet.fromSource({ fsPaths: sourcePaths }).getSourceComponents());
}

/** What a deploy of `source` changes in `org`: content first, then each stored meta element. */
export function contentChanges(org: ContentComponent, source: ContentComponent): FieldChange[] {
  const changes: FieldChange[] = [];
  if (org.digest !== source.digest) changes.push({ field: 'content', old: org.digest, new: source.digest });
  for (const e of source.type.comparedElements) {
    const a = org.elements.get(e) ?? null;
    const b = source.elements.get(e) ?? null;
    if (a !== b) changes.push({ field: e, old: a, new: b });
  }
  return changes;
}

function metaElements(xml: string): Map<string, string> {
  const root = parseXml(xml).root;
  const out = new Map<string, string>();
  for (const child of root?.children ?? []) {
    const name = child.name.slice(child.name.indexOf(':') + 1);
    out.set(name, (child.text ?? '').trim());
  }
  return out;
}

async function digestOf(path: string): Promise<string> {
  const hash = createHash('sha256');
  let bytes = 0;
  const add = async (p: string, rel: string): Promise<void> => {
    if ((await stat(p)).isDirectory()) {
      for (const name of (await readdir(p)).sort()) await add(join(p, name), `${rel}/${name}`);
      return;
    }
    const data = await readFile(p);
    bytes += data.length;
    hash.update(`${rel}\0${data.length}\0`).update(data);
  };
  await add(path, '');
  return `sha256:${hash.digest('hex').slice(0, 12)} (${bytes} bytes)`;
}
