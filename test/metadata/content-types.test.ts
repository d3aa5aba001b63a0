/**
 * Content types (StaticResource) are registry facts like every other type's (registry-overlay.ts
 * CONTENT_TYPE_FACTS): their source layout agrees with SDR's own registry, the one the deploy resolves
 * source with, and callers find them by lookup.
 */
import { RegistryAccess } from '@salesforce/source-deploy-retrieve';
import { describe, expect, it } from 'vitest';
import { CONTENT_TYPES, findContentType, getContentType } from '../../scripts/metadata/registry.ts';

describe('content types in the registry', () => {
  it('each one’s folder, suffix and folder content are what SDR’s registry says', () => {
    const sdr = new RegistryAccess();
    expect(CONTENT_TYPES.map((t) => t.name)).toContain('StaticResource');
    for (const type of CONTENT_TYPES) {
      const def = sdr.getTypeByName(type.name);
      expect(type.content.directoryName).toBe(def.directoryName);
      expect(type.content.suffix).toBe(def.suffix);
      // SDR's mixedContent adapter takes a file or a folder beside the meta file.
      expect(type.content.folder).toBe(def.strategies?.adapter === 'mixedContent');
    }
  });

  it('StaticResource compares the meta elements the Metadata API stores for it, and other types are not content types', () => {
    // Metadata API Developer Guide, "StaticResource": cacheControl, contentType, description (content is the bytes).
    expect([...getContentType('StaticResource').comparedElements].sort()).toEqual(['cacheControl', 'contentType', 'description']);
    expect(findContentType('PresenceUserConfig')).toBeUndefined();
    expect(() => getContentType('ApexClass')).toThrow(/ApexClass/);
  });
});
