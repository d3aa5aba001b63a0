/**
 * Typed model <-> document.
 */
import type { MetadataDocument } from './document.ts';
import type { MetadataTypeDef } from './registry.ts';

export function toModel(document: MetadataDocument): Record<string, unknown> {
  void document;
  throw new Error('toModel: not implemented yet');
}

export function fromModel(type: MetadataTypeDef, fullName: string, model: Record<string, unknown>): MetadataDocument {
  void type;
  void fullName;
  void model;
  throw new Error('fromModel: not implemented yet');
}
