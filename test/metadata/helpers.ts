/** Shared paths and corpus access for the metadata tests (fixtures are read in place, never copied). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseMetadata, type MetadataDocument } from '../../scripts/metadata/document.ts';
import { typeForFile } from '../../scripts/metadata/registry.ts';
import { SHARED } from '../helpers/paths.ts';

export const referenceDir = path.join(SHARED, 'reference');
export const xsdPath = path.join(referenceDir, 'omni-metadata.xsd');
export const corpusDir = path.join(SHARED, 'omni-presence-corpus');

export interface CorpusFile {
  /** File name in the corpus (`<owner>__<repo>__<original name>`). */
  name: string;
  absolutePath: string;
  /** Path in the upstream repository: gives the real `<fullName>.<suffix>-meta.xml` name. */
  originalPath: string;
  /** Root element recorded in MANIFEST.tsv. */
  rootType: string;
  source: string;
}

let cached: CorpusFile[] | undefined;

/** Every `*-meta.xml` file of the corpus, with its MANIFEST row. */
export function corpusMetadataFiles(): CorpusFile[] {
  if (cached) return cached;
  const rows = new Map(
    readFileSync(path.join(corpusDir, 'MANIFEST.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t'))
      .map(([file, , original, , rootType]) => [file, { original, rootType }] as const),
  );
  cached = readdirSync(corpusDir)
    .filter((name) => name.endsWith('-meta.xml'))
    .sort()
    .map((name) => {
      const row = rows.get(name);
      if (!row) throw new Error(`${name} is not in MANIFEST.tsv`);
      const absolutePath = path.join(corpusDir, name);
      return { name, absolutePath, originalPath: row.original, rootType: row.rootType, source: readFileSync(absolutePath, 'utf8') };
    });
  return cached;
}

/**
 * Every corpus file that parses, as a document at its upstream path under its repository (`owner__repo/<path>`,
 * as the corpus tests lay them out), grouped by repository (`owner__repo`), in file-name order.
 */
export function corpusDocumentsByRepo(): Map<string, MetadataDocument[]> {
  const byRepo = new Map<string, MetadataDocument[]>();
  for (const file of corpusMetadataFiles()) {
    const repo = file.name.split('__').slice(0, 2).join('__');
    const upstream = typeForFile(file.originalPath)!;
    const { document } = parseMetadata(file.source, { path: `${repo}/${file.originalPath}`, type: upstream.type, fullName: upstream.fullName });
    if (document) byRepo.set(repo, [...(byRepo.get(repo) ?? []), document]);
  }
  return byRepo;
}
