/**
 * The range of API versions the product knows is one constant (metadata/api-versions.ts), kept apart from the
 * registry so flags need not load it: it must say what the registry says (the Omni types' first version, the XSD's
 * WSDL version), and what the reference documents say (salesforce-omni-spec.md §0.2: 44.0; omni-metadata.xsd: 67.0).
 */
import { describe, expect, it } from 'vitest';
import { SUPPORTED_API_VERSIONS } from '../../scripts/metadata/api-versions.ts';
import { METADATA_TYPES } from '../../scripts/metadata/registry.ts';
import { XSD_API_VERSION } from '../../scripts/metadata/registry.ts';

describe('SUPPORTED_API_VERSIONS', () => {
  it('is 44–67 and agrees with the registry (re-check after npm run registry)', () => {
    expect(SUPPORTED_API_VERSIONS).toEqual({ min: 44, max: 67 });
    expect(SUPPORTED_API_VERSIONS.min).toBe(Math.min(...METADATA_TYPES.filter((t) => t.requiresOmni).map((t) => t.since)));
    expect(SUPPORTED_API_VERSIONS.max).toBe(XSD_API_VERSION);
  });
});
