/**
 * The metadata types the local org stores, assembled from its own sources: element structure from the
 * XSD (xsd-types.generated.ts), versions, packaging and exceptions from local-org/platform.ts.
 */
import { XSD_TYPES } from './xsd-types.generated.ts';
import type { XsdElement, XsdValueKind } from './xsd.ts';
import { ELEMENT_SINCE, OPTIONAL_DESPITE_XSD, TYPE_PACKAGING } from '../platform.ts';

export interface ElementDef {
  name: string;
  kind: XsdValueKind;
  required: boolean;
  repeated: boolean;
  /** The XSD type name (`xsd:int`, `RoutingModel` …). */
  typeName: string;
  enumValues?: readonly string[];
  children?: readonly ElementDef[];
  /** First API version with the element. */
  since?: number;
  /** Kept as deployed, not validated below this element (the non-Omni parts of PermissionSet/Profile). */
  opaque?: boolean;
}

export interface MetadataTypeDef {
  name: string;
  packageTypeName: string;
  directoryName: string;
  suffix: string;
  requiresOmni: boolean;
  fixedFullName?: string;
  elements: readonly ElementDef[];
}

function elementDefs(path: string, elements: readonly XsdElement[], modelled?: readonly string[]): ElementDef[] {
  return elements.map((e) => {
    const key = `${path}.${e.name}`;
    const def: ElementDef = {
      name: e.name,
      kind: e.kind,
      required: e.required && !OPTIONAL_DESPITE_XSD.has(key),
      repeated: e.repeated,
      typeName: e.typeName,
    };
    if (e.enumValues) def.enumValues = e.enumValues;
    if (ELEMENT_SINCE[key] !== undefined) def.since = ELEMENT_SINCE[key];
    if (modelled && !modelled.includes(e.name)) def.opaque = true;
    if (e.children && !def.opaque) def.children = elementDefs(key, e.children);
    return def;
  });
}

export const METADATA_TYPES: readonly MetadataTypeDef[] = TYPE_PACKAGING.map((p) => {
  const xsd = XSD_TYPES[p.name];
  if (!xsd) throw new Error(`xsd-types.generated.ts has no ${p.name}; regenerate it (local-org/tools/generate-xsd-types.ts)`);
  return {
    name: p.name,
    packageTypeName: p.packageTypeName,
    directoryName: p.directoryName,
    suffix: p.suffix,
    requiresOmni: p.requiresOmni,
    ...(p.fixedFullName ? { fixedFullName: p.fixedFullName } : {}),
    elements: elementDefs(p.name, xsd, p.modelled),
  };
});

/** The type named `name`. Throws Error for a type the org doesn't store. */
export function getType(name: string): MetadataTypeDef {
  const type = METADATA_TYPES.find((t) => t.name === name);
  if (!type) throw new Error(`The local org stores no metadata type ${name}`);
  return type;
}
