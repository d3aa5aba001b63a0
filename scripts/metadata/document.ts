/**
 * A metadata document: type, full name, and the full ordered element tree (unknown elements included).
 */
import type { Diagnostic } from '../validate/diagnostic.ts';
import type { MetadataTypeDef } from './registry.ts';
import type { XmlNode } from './xml.ts';

export interface MetadataDocument {
  type: MetadataTypeDef;
  fullName: string;
  /** Path relative to the project root (forward slashes) when read from disk. */
  path?: string;
  root: XmlNode;
}

/** Never throws; type/fullName come from the path when not given. */
export function parseMetadata(
  source: string,
  options: { path?: string; type?: MetadataTypeDef; fullName?: string },
): { document?: MetadataDocument; diagnostics: Diagnostic[] } {
  void source;
  void options;
  return { diagnostics: [{ ruleId: 'XML-MALFORMED', severity: 'error', message: 'parseMetadata: not implemented yet' }] };
}
