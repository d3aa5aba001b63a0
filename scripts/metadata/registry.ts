/**
 * The registry of the metadata types this project manages — the single table that drives parsing,
 * serialization (WSDL element order), file paths, API-version checks and reference resolution.
 * Element names, order, occurrence and types come from the API 67.0 WSDL (../shared/reference/omni-metadata.xsd;
 * a test keeps this table and the XSD in step); `since` values from the reference spec §1–§7 and §10 rule 3.
 */
export type ValueKind = 'string' | 'int' | 'double' | 'boolean' | 'enum' | 'complex';

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
}

export interface ReferenceDef {
  /** Dotted element path from the root, e.g. `assignments.profiles.profile`. */
  path: string;
  /** What the value names: a metadata type of this registry, or an org-only thing (Profile, User, Skill, Group). */
  target: ReferenceTarget;
  caseInsensitive?: boolean;
}

export type ReferenceTarget =
  | 'ServicePresenceStatus'
  | 'PresenceDeclineReason'
  | 'ServiceChannel'
  | 'QueueRoutingConfig'
  | 'Queue'
  | 'Profile'
  | 'User'
  | 'Skill'
  | 'Group';

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
  elements: readonly ElementDef[];
  /** Only part of the type is managed here; everything else survives untouched. */
  partial?: boolean;
  references: readonly ReferenceDef[];
  /** Is this one of the Omni types that exist only when Omni-Channel is enabled? */
  requiresOmni: boolean;
}

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

const str = (name: string, extra: Partial<ElementDef> = {}): ElementDef => ({ name, kind: 'string', ...extra });
const int = (name: string, extra: Partial<ElementDef> = {}): ElementDef => ({ name, kind: 'int', ...extra });
const dbl = (name: string, extra: Partial<ElementDef> = {}): ElementDef => ({ name, kind: 'double', ...extra });
const bool = (name: string, extra: Partial<ElementDef> = {}): ElementDef => ({ name, kind: 'boolean', ...extra });
const oneOf = (name: string, values: readonly string[], extra: Partial<ElementDef> = {}): ElementDef => ({
  name,
  kind: 'enum',
  enumValues: values,
  ...extra,
});
const complex = (name: string, children: readonly ElementDef[], extra: Partial<ElementDef> = {}): ElementDef => ({
  name,
  kind: 'complex',
  children,
  ...extra,
});
/** An element of a partially managed type that we keep but don't model. */
const opaque = (name: string, extra: Partial<ElementDef> = {}): ElementDef => ({ name, kind: 'complex', opaque: true, ...extra });

export const CAPACITY_MODELS = ['TAB_BASED', 'STATUS_BASED'] as const;
export const STATUS_FIELD_MAPPING_TYPES = ['IN_PROGRESS', 'PAUSED', 'COMPLETED'] as const;
export const CAPACITY_TYPES = ['INHERITED', 'INTERRUPTIBLE', 'NOT_INTERRUPTIBLE'] as const;
export const ROUTING_MODELS = ['LEAST_ACTIVE', 'MOST_AVAILABLE', 'EXTERNAL_ROUTING'] as const;

const statusAccess = complex(
  'servicePresenceStatusAccesses',
  [bool('enabled', { required: true }), str('servicePresenceStatus', { required: true })],
  { repeated: true, since: 64 },
);

const PRESENCE_USER_CONFIG: MetadataTypeDef = {
  name: 'PresenceUserConfig',
  packageTypeName: 'PresenceUserConfig',
  directoryName: 'presenceUserConfigs',
  suffix: 'presenceUserConfig',
  since: 44,
  requiresOmni: true,
  elements: [
    int('acwExtensionDuration', { since: 65 }),
    int('afterConvoWorkMaxTime', { since: 65 }),
    complex('assignments', [
      complex('profiles', [str('profile', { repeated: true })]),
      complex('users', [str('user', { repeated: true })]),
    ]),
    int('capacity', { required: true }),
    str('declineReasons', { repeated: true }),
    bool('enableAutoAccept'),
    bool('enableDecline'),
    bool('enableDeclineReason'),
    bool('enableDisconnectSound'),
    bool('enableRequestSound'),
    bool('hasAcwExtensionEnabled', { since: 65 }),
    bool('hasAfterConvoWorkTimer', { since: 65 }),
    int('interruptibleCapacity', { since: 57 }),
    str('label', { required: true }),
    str('maxExtensions', { since: 65 }),
    str('presenceStatusOnDecline'),
    str('presenceStatusOnPushTimeout'),
    // In the 67.0 WSDL but in no field table; retrieves from API 64.0 projects carry it (spec §1.2, §9),
    // so 64 is the earliest version with evidence.
    str('userDisplayName', { since: 64 }),
  ],
  references: [
    { path: 'assignments.profiles.profile', target: 'Profile', caseInsensitive: true },
    { path: 'assignments.users.user', target: 'User' },
    { path: 'declineReasons', target: 'PresenceDeclineReason' },
    { path: 'presenceStatusOnDecline', target: 'ServicePresenceStatus' },
    { path: 'presenceStatusOnPushTimeout', target: 'ServicePresenceStatus' },
  ],
};

const SERVICE_PRESENCE_STATUS: MetadataTypeDef = {
  name: 'ServicePresenceStatus',
  packageTypeName: 'ServicePresenceStatus',
  directoryName: 'servicePresenceStatuses',
  suffix: 'servicePresenceStatus',
  since: 44,
  requiresOmni: true,
  elements: [complex('channels', [str('channel', { repeated: true })]), str('label', { required: true })],
  references: [{ path: 'channels.channel', target: 'ServiceChannel' }],
};

const PRESENCE_DECLINE_REASON: MetadataTypeDef = {
  name: 'PresenceDeclineReason',
  packageTypeName: 'PresenceDeclineReason',
  directoryName: 'presenceDeclineReasons',
  suffix: 'presenceDeclineReason',
  since: 44,
  requiresOmni: true,
  elements: [str('label', { required: true })],
  references: [],
};

const SERVICE_CHANNEL: MetadataTypeDef = {
  name: 'ServiceChannel',
  packageTypeName: 'ServiceChannel',
  directoryName: 'serviceChannels',
  suffix: 'serviceChannel',
  since: 44,
  requiresOmni: true,
  elements: [
    int('acwExtensionDuration', { since: 56 }),
    // Voice ACW came in 52.0, Messaging ACW in 56.0 (spec §4): the element itself exists from 52.
    int('afterConvoWorkMaxTime', { since: 52 }),
    oneOf('capacityModel', CAPACITY_MODELS, { since: 65 }),
    bool('doesCheckCapOnOwnerChange', { since: 65 }),
    bool('doesCheckCapOnStatusChange', { since: 65 }),
    bool('doesMinimizeWidgetOnAccept', { since: 48 }),
    bool('hasAcwExtensionEnabled', { since: 56 }),
    bool('hasAfterConvoWorkTimer', { since: 52 }),
    bool('hasAutoAcceptEnabled'),
    str('interactionComponent'),
    bool('isInterruptible', { since: 57 }),
    str('label', { required: true }),
    str('maxExtensions', { since: 56 }),
    str('relatedEntityType', { required: true }),
    str('secondaryRoutingPriorityField', { since: 47 }),
    complex('serviceChannelFieldPriorities', [int('priority', { required: true }), str('value', { required: true })], {
      repeated: true,
      since: 47,
    }),
    complex(
      'serviceChannelStatusFieldMappings',
      [oneOf('type', STATUS_FIELD_MAPPING_TYPES, { required: true }), str('value', { required: true })],
      { repeated: true, since: 65 },
    ),
    str('statusField', { since: 65 }),
  ],
  references: [],
};

const QUEUE_ROUTING_CONFIG: MetadataTypeDef = {
  name: 'QueueRoutingConfig',
  packageTypeName: 'QueueRoutingConfig',
  directoryName: 'queueRoutingConfigs',
  suffix: 'queueRoutingConfig',
  since: 44,
  requiresOmni: true,
  elements: [
    dbl('capacityPercentage'),
    oneOf('capacityType', CAPACITY_TYPES),
    dbl('capacityWeight'),
    int('dropAdditionalSkillsTimeout'),
    bool('isAttributeBased'),
    str('label', { required: true }),
    dbl('pausedCapacityPercentage', { since: 64 }),
    dbl('pausedCapacityWeight', { since: 64 }),
    int('pushTimeout'),
    str('queueOverflowAssignee'),
    oneOf('routingModel', ROUTING_MODELS, { required: true }),
    int('routingPriority', { required: true }),
    complex('skills', [str('skill')], { repeated: true }),
    str('userOverflowAssignee'),
  ],
  references: [
    { path: 'queueOverflowAssignee', target: 'Queue' },
    { path: 'userOverflowAssignee', target: 'User' },
    { path: 'skills.skill', target: 'Skill' },
  ],
};

const QUEUE: MetadataTypeDef = {
  name: 'Queue',
  packageTypeName: 'Queue',
  directoryName: 'queues',
  suffix: 'queue',
  since: 24,
  requiresOmni: false,
  elements: [
    str('description'),
    bool('doesIncludeBosses', { since: 67 }),
    bool('doesSendEmailToMembers'),
    str('email'),
    str('name', { required: true }),
    complex(
      'queueMembers',
      [
        complex('publicGroups', [str('publicGroup', { repeated: true })]),
        complex('roleAndSubordinates', [str('roleAndSubordinate', { repeated: true })]),
        complex('roleAndSubordinatesInternal', [str('roleAndSubordinateInternal', { repeated: true })]),
        complex('roles', [str('role', { repeated: true })]),
        complex('users', [str('user', { repeated: true })]),
      ],
      { since: 42 },
    ),
    str('queueRoutingConfig', { since: 42 }),
    complex('queueSobject', [str('sobjectType', { required: true })], { repeated: true }),
  ],
  references: [
    { path: 'queueRoutingConfig', target: 'QueueRoutingConfig' },
    { path: 'queueMembers.users.user', target: 'User' },
    { path: 'queueMembers.publicGroups.publicGroup', target: 'Group' },
  ],
};

const OMNI_CHANNEL_SETTINGS: MetadataTypeDef = {
  name: 'OmniChannelSettings',
  packageTypeName: 'Settings',
  directoryName: 'settings',
  suffix: 'settings',
  since: 44,
  fixedFullName: 'OmniChannel',
  requiresOmni: false,
  elements: [
    bool('enableOmniAutoLoginPrompt', { since: 47 }),
    bool('enableOmniChannel'),
    bool('enableOmniSecondaryRoutingPriority', { since: 47 }),
    bool('enableOmniSkillsRouting'),
    bool('enableOmniStatusCapModel'),
  ],
  references: [],
};

const PERMISSION_SET: MetadataTypeDef = {
  name: 'PermissionSet',
  packageTypeName: 'PermissionSet',
  directoryName: 'permissionsets',
  suffix: 'permissionset',
  since: 6,
  partial: true,
  requiresOmni: false,
  elements: [
    opaque('agentAccesses', { repeated: true }),
    opaque('applicationVisibilities', { repeated: true }),
    opaque('classAccesses', { repeated: true }),
    opaque('customMetadataTypeAccesses', { repeated: true }),
    opaque('customPermissions', { repeated: true }),
    opaque('customSettingAccesses', { repeated: true }),
    str('description'),
    opaque('emailRoutingAddressAccesses', { repeated: true }),
    opaque('externalCredentialPrincipalAccesses', { repeated: true }),
    opaque('externalDataSourceAccesses', { repeated: true }),
    opaque('fieldPermissions', { repeated: true }),
    opaque('flowAccesses', { repeated: true }),
    opaque('genComputingSummaryDefAccesses', { repeated: true }),
    bool('hasActivationRequired'),
    str('label', { required: true }),
    str('license'),
    opaque('objectPermissions', { repeated: true }),
    opaque('pageAccesses', { repeated: true }),
    opaque('recordTypeVisibilities', { repeated: true }),
    statusAccess,
    opaque('tabSettings', { repeated: true }),
    opaque('userPermissions', { repeated: true }),
  ],
  references: [{ path: 'servicePresenceStatusAccesses.servicePresenceStatus', target: 'ServicePresenceStatus' }],
};

const PROFILE: MetadataTypeDef = {
  name: 'Profile',
  packageTypeName: 'Profile',
  directoryName: 'profiles',
  suffix: 'profile',
  since: 6,
  partial: true,
  requiresOmni: false,
  elements: [
    opaque('agentAccesses', { repeated: true }),
    opaque('applicationVisibilities', { repeated: true }),
    opaque('categoryGroupVisibilities', { repeated: true }),
    opaque('classAccesses', { repeated: true }),
    bool('custom'),
    opaque('customMetadataTypeAccesses', { repeated: true }),
    opaque('customPermissions', { repeated: true }),
    opaque('customSettingAccesses', { repeated: true }),
    str('description'),
    opaque('externalDataSourceAccesses', { repeated: true }),
    opaque('fieldPermissions', { repeated: true }),
    opaque('flowAccesses', { repeated: true }),
    opaque('genComputingSummaryDefAccesses', { repeated: true }),
    opaque('layoutAssignments', { repeated: true }),
    opaque('loginFlows', { repeated: true }),
    opaque('loginHours'),
    opaque('loginIpRanges', { repeated: true }),
    opaque('objectPermissions', { repeated: true }),
    opaque('pageAccesses', { repeated: true }),
    opaque('profileActionOverrides', { repeated: true }),
    opaque('recordTypeVisibilities', { repeated: true }),
    statusAccess,
    opaque('tabVisibilities', { repeated: true }),
    str('userLicense'),
    opaque('userPermissions', { repeated: true }),
  ],
  references: [{ path: 'servicePresenceStatusAccesses.servicePresenceStatus', target: 'ServicePresenceStatus' }],
};

/** In dependency order (spec §7.4): a deployment or a generator can walk it front to back. */
export const METADATA_TYPES: readonly MetadataTypeDef[] = [
  OMNI_CHANNEL_SETTINGS,
  SERVICE_CHANNEL,
  SERVICE_PRESENCE_STATUS,
  PRESENCE_DECLINE_REASON,
  PRESENCE_USER_CONFIG,
  QUEUE_ROUTING_CONFIG,
  QUEUE,
  PERMISSION_SET,
  PROFILE,
];

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
  return bySuffix.get(suffix.toLowerCase());
}

const FILE_PATTERN = /([^/\\]+)\.([A-Za-z]+)-meta\.xml$/;
/** Metadata API format (a retrieve with --target-metadata-dir, or an mdapi `src/`): `<directory>/<fullName>.<suffix>`. */
const MDAPI_FILE_PATTERN = /(?:^|[/\\])([A-Za-z]+)[/\\]([^/\\]+)\.([A-Za-z]+)$/;

/**
 * Type and fullName of a metadata file, or undefined if not ours: source format
 * (`<fullName>.<suffix>-meta.xml`), or Metadata API format (`<directoryName>/<fullName>.<suffix>`, e.g.
 * `presenceUserConfigs/Tier1.presenceUserConfig`; the folder must be the type's, as in a package.xml tree).
 */
export function typeForFile(filePath: string): { type: MetadataTypeDef; fullName: string } | undefined {
  const match = FILE_PATTERN.exec(filePath);
  if (!match) return typeForMdapiFile(filePath);
  const [, fullName, suffix] = match;
  const type = findTypeBySuffix(suffix);
  if (!type) return undefined;
  if (type.fixedFullName && type.fixedFullName !== fullName) return undefined;
  return { type, fullName };
}

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
