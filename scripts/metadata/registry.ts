/**
 * The registry of the metadata types this project manages — the single table that drives parsing,
 * serialization (WSDL element order), file paths, API-version checks and reference resolution.
 * Two parts merged here: the structure (element names, WSDL order, kinds, occurrence, enum values,
 * children; directory, suffix and package type from source-deploy-retrieve) is generated from the API 67.0
 * WSDL (../shared/reference/omni-metadata.xsd) into `registry.generated.ts` by `npm run registry`; the hand
 * facts (since-versions, ranges, platform defaults, references, partial types, built-in components, the
 * per-type behaviour flags callers read instead of comparing type names, dependency order) are
 * `registry-overlay.ts`.
 */
import { CONTENT_TYPE_FACTS, TYPE_FACTS, type ContentTypeFacts, type ElementFacts, type ReferenceDef, type BuiltInComponent, type ElementRange, type SettingUse, type TypeFacts, type TypeName, type UserMemberList } from './registry-overlay.ts';
import { XSD_ENUMS, XSD_TYPES, type XsdElementDef, type XsdKind, type XsdTypeDef } from './registry.generated.ts';
export { XSD_API_VERSION } from './registry.generated.ts';

export { AFTER_CONVERSATION_WORK_ELEMENTS, REFERENCE_TARGETS } from './registry-overlay.ts';

/** A content type (registry-overlay.ts `ContentTypeFacts`) with its name: StaticResource. */
export interface ContentTypeDef extends ContentTypeFacts {
  /** Metadata type name (SDR's and package.xml's). */
  name: string;
}

/** Every content type of the registry. */
export const CONTENT_TYPES: readonly ContentTypeDef[] = Object.entries(CONTENT_TYPE_FACTS).map(([name, facts]) => ({ name, ...facts }));

/** The content type of that name; throws (a programming error) when the registry has none. */
export function getContentType(name: string): ContentTypeDef {
  const type = findContentType(name);
  if (!type) throw new Error(`No content type ${name} in the registry`);
  return type;
}

/** The content type of that name (SDR's type name), or undefined for any other type: callers look a type up here instead of comparing its name. */
export function findContentType(name: string): ContentTypeDef | undefined {
  return CONTENT_TYPES.find((t) => t.name === name);
}
export type { ElementRange, ReferenceDef, ReferenceTarget, TypeName, UserMemberList } from './registry-overlay.ts';

export type ValueKind = XsdKind;

export interface ElementDef {
  name: string;
  kind: ValueKind;
  /** WSDL minOccurs=1. */
  required?: boolean;
  /** WSDL maxOccurs=unbounded: the element repeats without a wrapper. */
  repeated?: boolean;
  /** Minimum API version in which the element exists. */
  since?: number;
  enumValues?: readonly string[];
  /** Child elements in WSDL order (kind `complex`). */
  children?: readonly ElementDef[];
  /** Not modelled (parts of PermissionSet/Profile we don't manage): kept verbatim, never validated. */
  opaque?: boolean;
  /** Inclusive bounds of the number it holds (registry-overlay.ts). */
  range?: ElementRange;
  /** What Salesforce applies when the element is absent: a value, or a sibling element's value. */
  platformDefault?: string | { readonly sameAs: string };
  /** Holds a developer name (registry-overlay.ts): DEVELOPER_NAME_PATTERN, at most DEVELOPER_NAME_MAX_LENGTH characters. */
  developerName?: true;
}

export interface MetadataTypeDef {
  /** Metadata type and root element name. */
  name: string;
  /** `<name>` in package.xml (`Settings` for OmniChannelSettings). */
  packageTypeName: string;
  directoryName: string;
  suffix: string;
  since: number;
  /** The only allowed fullName (OmniChannelSettings lives in `OmniChannel.settings-meta.xml`). */
  fixedFullName?: string;
  /** The prefix of its after-conversation work rule ids (PUC, SC). */
  rulePrefix?: string;
  elements: readonly ElementDef[];
  /** Only part of the type is managed here; everything else survives untouched. */
  partial?: boolean;
  references: readonly ReferenceDef[];
  /** Is this one of the Omni types that exist only when Omni-Channel is enabled? */
  requiresOmni: boolean;
  /** Has `servicePresenceStatusAccesses`: grants presence statuses to the users holding it (PermissionSet, Profile). */
  grantsStatusAccess: boolean;
  // The behaviour facts below are documented on `TypeFacts` (registry-overlay.ts).
  /** Gives agents a configuration: paths of its user and profile assignments (PresenceUserConfig). */
  agentAssignments?: TypeFacts['agentAssignments'];
  /** The usernames it lists (assignment files, not the spec; merged from the org on deploy). */
  userMembers?: UserMemberList;
  /** Part of the Omni setup only with this element (a Queue with a queueRoutingConfig). */
  omniOnlyWith?: string;
  /** Assignable to a user besides what they hold (PermissionSet). */
  userAssignable?: boolean;
  /** The element turning Omni-Channel on (OmniChannelSettings). */
  omniSwitch?: string;
  /** Uses of features an OmniChannelSettings flag gates. */
  needsSetting?: readonly SettingUse[];
  /** File names are not developer names (Profile). */
  freeFormNames?: boolean;
  /** Components every Omni org has, by developer name. */
  builtIns?: Readonly<Record<string, BuiltInComponent>>;
}

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

/**
 * The values an element of kind `int` (xsd:int) can hold: a signed 32-bit whole number (XML Schema Part 2,
 * §3.3.17). The XML check and the spec's schema both bound every int element by it, so the spec cannot pass a
 * value its generated XML would fail.
 */
export const XSD_INT_RANGE: { readonly min: number; readonly max: number } = { min: -2147483648, max: 2147483647 };

/** Enum values of the XSD, for zod schemas and checks that name a literal (values in XSD order). */
export const CAPACITY_MODELS = XSD_ENUMS.CapacityModel;
export const STATUS_FIELD_MAPPING_TYPES = XSD_ENUMS.StatusFieldMappingType;
export const CAPACITY_TYPES = XSD_ENUMS.CapacityType;
export const ROUTING_MODELS = XSD_ENUMS.RoutingModel;

/**
 * One generated element with its overlay facts. `path` is the dotted path from the root; facts of nested
 * paths apply too. Elements of a partial type's unmodelled complex parts become opaque (no children).
 */
function mergeElement(def: XsdElementDef, path: string, facts: TypeFacts, used: Set<string>): ElementDef {
  const own: ElementFacts | undefined = facts.elements?.[path];
  if (own) used.add(path);
  const opaque = facts.partial !== undefined && def.kind === 'complex' && !path.includes('.') && !facts.partial.modelled.includes(def.name);
  const out: ElementDef = { name: def.name, kind: def.kind };
  if (def.required) out.required = true;
  if (def.repeated) out.repeated = true;
  if (own?.since !== undefined) out.since = own.since;
  if (own?.range) out.range = own.range;
  if (own?.platformDefault !== undefined) out.platformDefault = own.platformDefault;
  if (own?.developerName) out.developerName = true;
  if (def.enumValues) out.enumValues = def.enumValues;
  if (opaque) out.opaque = true;
  else if (def.children) out.children = def.children.map((c) => mergeElement(c, `${path}.${c.name}`, facts, used));
  return out;
}

/**
 * The registry entry of one type: its generated structure with its overlay facts. Throws Error when the
 * overlay names an element the XSD lacks (a stale fact after an XSD change), so no import of the registry succeeds.
 */
export function mergeType(name: string, generated: XsdTypeDef, facts: TypeFacts): MetadataTypeDef {
  const used = new Set<string>();
  const elements = generated.elements.map((e: XsdElementDef) => mergeElement(e, e.name, facts, used));
  const stale = Object.keys(facts.elements ?? {}).filter((p) => !used.has(p));
  for (const modelled of facts.partial?.modelled ?? []) if (!elements.some((e) => e.name === modelled)) stale.push(modelled);
  const type: MetadataTypeDef = {
    name,
    packageTypeName: generated.packageTypeName,
    directoryName: generated.directoryName,
    suffix: generated.suffix,
    since: facts.since,
    requiresOmni: facts.requiresOmni,
    elements,
    references: facts.references,
    grantsStatusAccess: elements.some((e) => e.name === 'servicePresenceStatusAccesses'),
  };
  if (facts.fixedFullName) type.fixedFullName = facts.fixedFullName;
  if (facts.rulePrefix) type.rulePrefix = facts.rulePrefix;
  if (facts.partial) type.partial = true;
  const { agentAssignments, userMembers, omniOnlyWith, userAssignable, omniSwitch, needsSetting, freeFormNames, builtIns } = facts;
  Object.assign(type, { agentAssignments, userMembers, omniOnlyWith, userAssignable, omniSwitch, needsSetting, freeFormNames, builtIns });
  for (const key of Object.keys(type) as Array<keyof MetadataTypeDef>) if (type[key] === undefined) delete type[key];
  const paths = [
    ...facts.references.map((r) => r.path),
    ...Object.values(agentAssignments ?? {}),
    ...[userMembers?.path, omniOnlyWith, omniSwitch].filter((p) => p !== undefined),
    ...(needsSetting ?? []).map((u) => u.path),
  ];
  stale.push(...paths.filter((p) => !elementAt(type, p)));
  if (stale.length) throw new Error(`registry-overlay.ts: ${name} has facts for ${stale.join(', ')}, which the XSD does not declare`);
  return type;
}

/** In dependency order (spec §7.4): a deployment or a generator can walk it front to back. */
export const METADATA_TYPES: readonly MetadataTypeDef[] = (Object.keys(TYPE_FACTS) as TypeName[]).map((name) => mergeType(name, XSD_TYPES[name], TYPE_FACTS[name]));


const byName = new Map(METADATA_TYPES.map((t) => [t.name, t]));
const bySuffix = new Map(METADATA_TYPES.map((t) => [t.suffix.toLowerCase(), t]));

export function getType(name: string): MetadataTypeDef {
  const type = byName.get(name) ?? METADATA_TYPES.find((t) => t.packageTypeName === name && !t.fixedFullName);
  if (!type) throw new Error(`Unknown metadata type "${name}". Known: ${METADATA_TYPES.map((t) => t.name).join(', ')}.`);
  return type;
}

export function findType(name: string): MetadataTypeDef | undefined {
  return byName.get(name);
}

export function findTypeBySuffix(suffix: string): MetadataTypeDef | undefined {
  // The suffix as the registry spells it (every file omni writes) is found without a lower-cased copy.
  return byExactSuffix.get(suffix) ?? bySuffix.get(suffix.toLowerCase());
}
const byExactSuffix = new Map(METADATA_TYPES.map((t) => [t.suffix, t]));

const META_XML = '-meta.xml';

/** Whether `text` holds only ASCII letters from `start` to `end` (at least one). */
function lettersOnly(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
  }
  return true;
}
/** Metadata API format (a retrieve with --target-metadata-dir, or an mdapi `src/`): `<directory>/<fullName>.<suffix>`. */
const MDAPI_FILE_PATTERN = /(?:^|[/\\])([A-Za-z]+)[/\\]([^/\\]+)\.([A-Za-z]+)$/;

/**
 * Type and fullName of a metadata file, or undefined if not ours: source format
 * (`<fullName>.<suffix>-meta.xml`), or Metadata API format (`<directoryName>/<fullName>.<suffix>`, e.g.
 * `presenceUserConfigs/Tier1.presenceUserConfig`; the folder must be the type's, as in a package.xml tree).
 */
export function typeForFile(filePath: string): { type: MetadataTypeDef; fullName: string } | undefined {
  const segment = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1;
  const type = sourceFormatType(filePath, segment);
  if (type === null) return typeForMdapiFile(filePath);
  return type && { type, fullName: sourceFormatFullName(filePath, segment) };
}

/**
 * Whether a component's file text belongs to the Omni setup. A type shared with non-Omni use says by which
 * element (`omniOnlyWith`: a Queue is Omni's only with a queueRoutingConfig; email, case and lead queues have
 * none), every other type is always Omni's. One fact for retrieve, `generate --check`/`--prune` and import's advice.
 */
export function isOmniComponent(type: MetadataTypeDef, text: string): boolean {
  return type.omniOnlyWith === undefined || text.includes(`<${type.omniOnlyWith}>`);
}

/** `typeForFile(filePath) !== undefined`, without the answer's object or a copy of the fullName. */
export function isMetadataFile(filePath: string): boolean {
  const segment = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1;
  const type = sourceFormatType(filePath, segment);
  return type === null ? typeForMdapiFile(filePath) !== undefined : type !== undefined;
}

/**
 * `typeForFile` of a file called `name` in any folder, for a listing, which has the names apart from their
 * folder: the same answer without the path built or read (undefined: no type's). Null for a name with a
 * separator in it, or one that is not `<fullName>.<suffix>-meta.xml`: ask `typeForFile` with the path (a
 * Metadata API format file is known by its folder).
 */
export function typeForSourceFileName(name: string): { type: MetadataTypeDef; fullName: string } | null | undefined {
  if (name.includes('/') || name.includes('\\')) return null;
  const type = sourceFormatType(name, 0);
  return type && { type, fullName: sourceFormatFullName(name, 0) };
}

/**
 * The type of `<fullName>.<suffix>-meta.xml` from `segment` (where the last path segment starts) to the end: the
 * suffix is the ASCII letters between the last dot and `-meta.xml`, the fullName (one character or more) all
 * before that dot, and a type with a fixed fullName matches only that one. Read in place, without a pattern's
 * match array or a copy of the segment: every listed file and every parsed one asks (10,000 files). Null when
 * the text is not of that form; undefined when it is no type's file.
 */
function sourceFormatType(text: string, segment: number): MetadataTypeDef | null | undefined {
  const end = text.length - META_XML.length;
  const dot = end > segment ? text.lastIndexOf('.', end - 1) : -1;
  if (!text.endsWith(META_XML) || dot <= segment) return null;
  let type: MetadataTypeDef | undefined;
  // A folder's files share one suffix: the last one looked up is compared in place (no copy of it, no hash).
  if (lastSuffix !== '' && end - dot - 1 === lastSuffix.length && text.startsWith(lastSuffix, dot + 1)) type = lastSuffixType;
  else {
    if (!lettersOnly(text, dot + 1, end)) return null;
    lastSuffix = text.slice(dot + 1, end);
    type = lastSuffixType = findTypeBySuffix(lastSuffix);
  }
  if (type?.fixedFullName && !(dot - segment === type.fixedFullName.length && text.startsWith(type.fixedFullName, segment))) return undefined;
  return type;
}

/** The fullName of a text `sourceFormatType` found a type for. */
function sourceFormatFullName(text: string, segment: number): string {
  return text.slice(segment, text.lastIndexOf('.', text.length - META_XML.length - 1));
}
/** The suffix `sourceFormatType` looked up last (one ASCII letter or more; '' before the first), and its type. */
let lastSuffix = '';
let lastSuffixType: MetadataTypeDef | undefined;

/** Type and fullName of a Metadata API format file (`settings/OmniChannel.settings`), or undefined. */
export function typeForMdapiFile(filePath: string): { type: MetadataTypeDef; fullName: string } | undefined {
  const match = MDAPI_FILE_PATTERN.exec(filePath);
  if (!match) return undefined;
  const [, directory, fullName, suffix] = match;
  const type = findTypeBySuffix(suffix);
  if (!type || type.directoryName !== directory) return undefined;
  if (type.fixedFullName && type.fixedFullName !== fullName) return undefined;
  return { type, fullName };
}

/** Source-format path of a component relative to its package directory. */
export function sourceFilePath(type: MetadataTypeDef, fullName: string): string {
  // OmniChannelSettings has one file name whatever the caller passes; any other is not read back by typeForFile.
  return `main/default/${type.directoryName}/${type.fixedFullName ?? fullName}.${type.suffix}-meta.xml`;
}

/** The element definition at a dotted path (`assignments.users.user`). */
export function elementAt(type: MetadataTypeDef, path: string): ElementDef | undefined {
  let elements: readonly ElementDef[] | undefined = type.elements;
  let found: ElementDef | undefined;
  for (const segment of path.split('.')) {
    found = elements?.find((e) => e.name === segment);
    if (!found) return undefined;
    elements = found.children;
  }
  return found;
}

/** The range of an element (`rangeOf('PresenceUserConfig', 'afterConvoWorkMaxTime')` → 10–3600). Throws Error when it has none. */
export function rangeOf(typeName: string, path: string): ElementRange {
  const range = elementAt(getType(typeName), path)?.range;
  if (!range) throw new Error(`registry: ${typeName}.${path} has no range`);
  return range;
}

/** `10–3600` (or `≥ 1`) for messages, from a registry range. */
export function rangeText(range: ElementRange): string {
  if (range.minExclusive) return range.max === undefined ? `> ${range.min}` : `> ${range.min} and ≤ ${range.max}`;
  return range.max === undefined ? `≥ ${range.min}` : `${range.min}–${range.max}`;
}

/**
 * Developer names (spec §0.3, §10 rule 2): a letter first, then letters, digits and single underscores,
 * not ending in `_`; at most `DEVELOPER_NAME_MAX_LENGTH` characters.
 */
export const DEVELOPER_NAME_PATTERN = /^[A-Za-z](?!.*__)[A-Za-z0-9_]*(?<!_)$/;
export const DEVELOPER_NAME_MAX_LENGTH = 80;

/**
 * A reference by developer name (an element the registry marks `developerName`, a spec key that writes one): a
 * developer name, optionally after a managed package's namespace prefix and `__` (`acme__Away`). Metadata
 * retrieved from a subscriber org names a packaged component so (Metadata API Developer Guide, "Metadata",
 * fullName: "To reference a component in a package, prepend the package's namespace prefix to the component
 * name … namespacePrefix__ComponentName"; "A namespace prefix is a 1-character to 15-character alphanumeric
 * identifier", https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/metadata.htm). The
 * prefix starts with a letter; the developer name after it is DEVELOPER_NAME_PATTERN, at most
 * DEVELOPER_NAME_MAX_LENGTH characters (the lookahead), so the whole is at most
 * DEVELOPER_NAME_REFERENCE_MAX_LENGTH. A component's own name (a file's fullName, a spec entry's key) stays a
 * plain developer name: the project defines no packaged component.
 */
export const DEVELOPER_NAME_REFERENCE_PATTERN = /^(?:[A-Za-z][A-Za-z0-9]{0,14}__)?(?=[A-Za-z0-9_]{1,80}$)[A-Za-z](?!.*__)[A-Za-z0-9_]*(?<!_)$/;
/** The longest reference by developer name: a 15-character namespace prefix, `__` and a developer name. */
export const DEVELOPER_NAME_REFERENCE_MAX_LENGTH = 15 + 2 + DEVELOPER_NAME_MAX_LENGTH;

/** Built-in components of every type, flattened: developer name → its facts and its type's name. */
export const BUILT_IN_COMPONENTS: ReadonlyArray<BuiltInComponent & { type: string; developerName: string }> = METADATA_TYPES.flatMap((t) =>
  Object.entries(t.builtIns ?? {}).map(([developerName, facts]) => ({ ...facts, type: t.name, developerName })),
);
