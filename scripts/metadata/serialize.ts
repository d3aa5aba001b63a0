/**
 * Canonical serialization: byte-identical to a Salesforce retrieve.
 */
import type { MetadataDocument } from './document.ts';

export function serializeMetadata(document: MetadataDocument): string {
  void document;
  throw new Error('serializeMetadata: not implemented yet');
}
