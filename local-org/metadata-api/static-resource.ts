/**
 * StaticResource through the Metadata API: a content file (`staticresources/<name>.resource`, any bytes)
 * beside its `<name>.resource-meta.xml` (cacheControl, contentType, description). Deploy makes or updates
 * the org's StaticResource record (key prefix 081, what PresenceUserConfig.CustomSoundId and
 * ServiceChannel.CustomSoundId point at) and keeps the bytes in the org's metadata state; retrieve writes
 * both files back. Facts (Metadata API Developer Guide, "StaticResource"): the type extends
 * MetadataWithContent (`content`, base64), then `cacheControl` (Private | Public, required),
 * `contentType` (required), `description`; suffix `.resource`, folder `staticresources`. [F-53]
 */
import type { LocalOrgContext } from '../context.ts';
import { PlatformError, type Row } from '../store.ts';
import type { MetadataTypeDef } from './types.ts';
import type { XmlNode } from './xml.ts';
// Types only: components.ts lists this binding, so a runtime import back would be a cycle.
import type { ApplyContext, Binding, ComponentRef } from './components.ts';
import { branch, leaf, textAt } from './nodes.ts';

/** The local org's own description of the type (not the product's registry: StaticResource is not an Omni type). */
export const STATIC_RESOURCE_TYPE: MetadataTypeDef = {
  name: 'StaticResource',
  packageTypeName: 'StaticResource',
  directoryName: 'staticresources',
  suffix: 'resource',
  // Not in ../shared/reference/omni-metadata.xsd (an Omni-only schema): these few elements are written
  // here from the Metadata API Developer Guide's StaticResource page (FIDELITY.md).
  elements: [
    { name: 'content', kind: 'string', required: false, repeated: false, typeName: 'xsd:base64Binary' },
    { name: 'cacheControl', kind: 'enum', enumValues: ['Private', 'Public'], required: true, repeated: false, typeName: 'StaticResourceCacheControl' },
    { name: 'contentType', kind: 'string', required: true, repeated: false, typeName: 'xsd:string' },
    { name: 'description', kind: 'string', required: false, repeated: false, typeName: 'xsd:string' },
  ],
  requiresOmni: false,
};

/** Content a resource may hold at most: 5 MB (Salesforce Help, "Defining Static Resources"). */
export const STATIC_RESOURCE_MAX_BYTES = 5 * 1024 * 1024;

const SYSTEM = { system: true };

function byName(org: LocalOrgContext, name: string): Row | undefined {
  return org.store.findBy('StaticResource', 'Name', name)[0];
}

/**
 * The bytes (base64) by lower-case name, kept inside the Metadata API state (`meta.metadataApi`, what
 * components.ts's metadataState() holds), so a check-only or failed deploy rolls them back with the rest.
 */
function contents(org: LocalOrgContext): Record<string, string> {
  const meta = org.store.meta as Record<string, unknown>;
  const state = (meta.metadataApi ??= { components: {}, settings: {} }) as { staticResourceContent?: Record<string, string> };
  state.staticResourceContent ??= {};
  return state.staticResourceContent;
}

/** Sets (undefined: deletes) a resource's bytes; undone with the component's transaction. */
function setContent(org: LocalOrgContext, name: string, base64: string | undefined): void {
  const table = contents(org);
  const key = name.toLowerCase();
  const had = Object.hasOwn(table, key);
  const previous = table[key];
  if (base64 === undefined) delete table[key];
  else table[key] = base64;
  org.store.onRollback(() => {
    if (had) table[key] = previous;
    else delete table[key];
  });
}

function refOf(row: Row): ComponentRef {
  return {
    fullName: String(row.Name),
    id: row.Id,
    createdDate: String(row.CreatedDate),
    lastModifiedDate: String(row.LastModifiedDate),
    createdById: String(row.CreatedById ?? ''),
    lastModifiedById: String(row.LastModifiedById ?? ''),
  };
}

export const staticResource: Binding & { contentFile: true } = {
  type: STATIC_RESOURCE_TYPE,
  contentFile: true,
  list(org) {
    return [...org.store.all('StaticResource')].map(refOf);
  },
  find(org, fullName) {
    const row = byName(org, fullName);
    return row ? refOf(row) : undefined;
  },
  apply(ctx: ApplyContext, fullName: string, root: XmlNode) {
    const content = textAt(root, 'content') ?? '';
    const bytes = Buffer.from(content, 'base64');
    if (bytes.length > STATIC_RESOURCE_MAX_BYTES) {
      throw new PlatformError('STORAGE_LIMIT_EXCEEDED', `Static resource cannot exceed ${STATIC_RESOURCE_MAX_BYTES / (1024 * 1024)}MB`);
    }
    const fields = {
      Name: fullName,
      ContentType: textAt(root, 'contentType'),
      CacheControl: textAt(root, 'cacheControl') ?? 'Private',
      Description: textAt(root, 'description') ?? null,
      BodyLength: bytes.length,
    };
    const existing = byName(ctx.org, fullName);
    const row = existing ? ctx.org.store.update(existing.Id, fields, SYSTEM) : ctx.org.store.insert('StaticResource', fields, SYSTEM);
    setContent(ctx.org, String(row.Name), bytes.toString('base64'));
    return row.Id;
  },
  render(org, fullName) {
    const row = byName(org, fullName);
    if (!row) return undefined;
    const children: XmlNode[] = [leaf('content', contents(org)[String(row.Name).toLowerCase()] ?? '')];
    children.push(leaf('cacheControl', String(row.CacheControl ?? 'Private')));
    children.push(leaf('contentType', String(row.ContentType)));
    if (row.Description) children.push(leaf('description', String(row.Description)));
    return branch('StaticResource', children);
  },
  remove(ctx, fullName) {
    const row = byName(ctx.org, fullName);
    if (!row) return undefined;
    const users = [...ctx.org.store.findBy('PresenceUserConfig', 'CustomSoundId', row.Id), ...ctx.org.store.findBy('ServiceChannel', 'CustomSoundId', row.Id)];
    if (users.length) {
      const names = users.map((u) => String(u.DeveloperName)).sort();
      throw new PlatformError('DELETE_FAILED', `This static resource is referenced elsewhere in salesforce.com. Remove the usage and try again.: ${names.join(', ')}`);
    }
    ctx.org.store.delete(row.Id, SYSTEM);
    setContent(ctx.org, fullName, undefined);
    return row.Id;
  },
};

/** Splits a rendered resource into its content bytes and its meta document (retrieve writes both). */
export function splitContent(root: XmlNode): { bytes: Buffer; meta: XmlNode } {
  return { bytes: Buffer.from(textAt(root, 'content') ?? '', 'base64'), meta: { ...root, children: root.children.filter((c) => c.name !== 'content') } };
}
