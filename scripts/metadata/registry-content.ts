/**
 * Content types: metadata the deploy sends beside the Omni types whose source is a `-meta.xml` next to a
 * content file (a directory for an expanded archive). `omni plan` compares them by their bytes and the
 * meta elements the org stores, so plan and deploy count the same components (issue #10). Data, not
 * code: a caller looks a type up here instead of comparing its name.
 *
 * StaticResource (Metadata API Developer Guide, "StaticResource", `meta_staticresources.htm`): folder
 * `staticresources`, suffix `.resource`; `content` (the bytes), `cacheControl` and `contentType`
 * (required), `description`.
 */
export interface ContentTypeDef {
  /** Metadata type name (SDR's and package.xml's). */
  name: string;
  /** Meta elements the org stores: a difference in any is a change a deploy makes. */
  comparedElements: readonly string[];
}

export const CONTENT_TYPES: readonly ContentTypeDef[] = [{ name: 'StaticResource', comparedElements: ['cacheControl', 'contentType', 'description'] }];

const byName = new Map(CONTENT_TYPES.map((t) => [t.name, t]));

/** The content type of that name (SDR's type name), or undefined for any other type. */
export function findContentType(name: string): ContentTypeDef | undefined {
  return byName.get(name);
}
