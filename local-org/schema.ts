/**
 * The local org's sObject table, as data: one entry per object with its real key prefix and fields.
 * The store validates writes against it, REST describe renders it, and the SOQL engine resolves
 * fields and relationships through it. Facts come from ../shared/reference/salesforce-omni-spec.md §6
 * and the Object Reference; key prefixes are the real ones (public key-prefix tables).
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'boolean'
  | 'int'
  | 'double'
  | 'date'
  | 'datetime'
  | 'reference'
  | 'picklist'
  | 'email';

export interface FieldSchema {
  name: string;
  type: FieldType;
  label?: string;
  /** For `reference` fields: the objects an id may point at (polymorphic when more than one). */
  referenceTo?: string[];
  /** For `reference` fields: the parent relationship name used in SOQL (`PresenceUserConfig.DeveloperName`). */
  relationshipName?: string;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  unique?: boolean;
  /** Unique ignoring case (Username, DeveloperName). */
  caseInsensitiveUnique?: boolean;
  length?: number;
  picklistValues?: string[];
  /** Restricted picklist: other values are rejected. */
  restrictedPicklist?: boolean;
  /** The platform fills a value on create when none is given. */
  defaultedOnCreate?: boolean;
  defaultValue?: string | number | boolean | null;
  /** Master-detail: deleting the parent deletes this row. */
  cascadeDelete?: boolean;
  /**
   * For `int` fields the platform checks on save: values outside are FIELD_INTEGRITY_EXCEPTION with
   * `message` (e.g. SoundLength 1–30, the limit Setup states for Sound Length).
   */
  range?: { min: number; max: number; message: string };
}

export interface SObjectSchema {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  /** Only present while Omni-Channel is enabled in the org. */
  omni?: boolean;
  /** Groups of fields whose combined value must be unique (junction objects). */
  uniqueTogether?: string[][];
  fields: FieldSchema[];
}

type FieldOptions = Partial<Omit<FieldSchema, 'name' | 'type'>>;

function field(name: string, type: FieldType, options: FieldOptions = {}): FieldSchema {
  return { name, type, createable: true, updateable: true, nillable: true, ...options };
}
const str = (name: string, length: number, o: FieldOptions = {}) => field(name, 'string', { length, ...o });
const bool = (name: string, o: FieldOptions = {}) =>
  field(name, 'boolean', { nillable: false, defaultedOnCreate: true, defaultValue: false, ...o });
const int = (name: string, o: FieldOptions = {}) => field(name, 'int', o);
const dbl = (name: string, o: FieldOptions = {}) => field(name, 'double', o);
const ref = (name: string, to: string[], relationshipName: string, o: FieldOptions = {}) =>
  field(name, 'reference', { referenceTo: to, relationshipName, ...o });
const pick = (name: string, values: string[], o: FieldOptions = {}) =>
  field(name, 'picklist', { picklistValues: values, restrictedPicklist: true, length: 255, ...o });
const readOnly: FieldOptions = { createable: false, updateable: false };
const createOnly: FieldOptions = { updateable: false };
const required: FieldOptions = { nillable: false };

const LANGUAGES = ['en_US', 'de', 'es', 'fr', 'it', 'ja', 'sv', 'ko', 'zh_TW', 'zh_CN', 'pt_BR', 'nl_NL', 'da', 'th', 'fi', 'ru', 'es_MX', 'no'];
const language = (o: FieldOptions = {}) => pick('Language', LANGUAGES, { length: 40, defaultedOnCreate: true, ...o });
const developerName = (o: FieldOptions = {}) => str('DeveloperName', 80, { ...required, unique: true, caseInsensitiveUnique: true, ...o });
const masterLabel = (o: FieldOptions = {}) => str('MasterLabel', 80, { ...required, ...o });

/** Fields every object carries; Id and audit fields are maintained by the store. */
function systemFields(): FieldSchema[] {
  return [
    field('Id', 'id', { ...readOnly, nillable: false, unique: true, length: 18 }),
    bool('IsDeleted', readOnly),
    field('CreatedDate', 'datetime', { ...readOnly, nillable: false }),
    ref('CreatedById', ['User'], 'CreatedBy', { ...readOnly, nillable: false }),
    field('LastModifiedDate', 'datetime', { ...readOnly, nillable: false }),
    ref('LastModifiedById', ['User'], 'LastModifiedBy', { ...readOnly, nillable: false }),
    field('SystemModstamp', 'datetime', { ...readOnly, nillable: false }),
  ];
}

function sobject(
  name: string,
  keyPrefix: string,
  label: string,
  fields: FieldSchema[],
  options: Partial<Omit<SObjectSchema, 'name' | 'keyPrefix' | 'label' | 'fields'>> = {},
): SObjectSchema {
  return {
    name,
    label,
    labelPlural: options.labelPlural ?? `${label}s`,
    keyPrefix,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    ...options,
    fields: [...systemFields(), ...fields],
  };
}

const ACW_FIELDS = (o: FieldOptions = {}): FieldSchema[] => [
  int('AcwExtensionDuration', o),
  int('AfterConvoWorkMaxTime', o),
  bool('HasAcwExtensionEnabled', o),
  bool('HasAfterConvoWorkTimer', o),
  pick('MaxExtensions', ['1', '2', '3', '4', '5'], o),
];

export const SOBJECTS: readonly SObjectSchema[] = [
  sobject(
    'Organization',
    '00D',
    'Organization',
    [
      str('Name', 80, readOnly),
      str('InstanceName', 5, readOnly),
      field('IsSandbox', 'boolean', { ...readOnly, nillable: false }),
      field('TrialExpirationDate', 'datetime', readOnly),
      pick('OrganizationType', ['Developer Edition', 'Enterprise Edition', 'Unlimited Edition', 'Professional Edition', 'Base Edition'], readOnly),
      str('NamespacePrefix', 15, readOnly),
      str('LanguageLocaleKey', 40, readOnly),
      str('DefaultLocaleSidKey', 40, readOnly),
      str('TimeZoneSidKey', 40, readOnly),
    ],
    { createable: false, updateable: false, deletable: false },
  ),
  sobject(
    'Profile',
    '00e',
    'Profile',
    [str('Name', 255, { ...required, unique: true, caseInsensitiveUnique: true }), pick('UserType', ['Standard', 'PowerPartner', 'CsnOnly', 'Guest'], { defaultedOnCreate: true, defaultValue: 'Standard' }), str('Description', 255)],
    { deletable: false },
  ),
  sobject(
    'User',
    '005',
    'User',
    [
      str('Username', 80, { ...required, unique: true, caseInsensitiveUnique: true }),
      field('Email', 'email', { ...required, length: 128 }),
      str('Name', 121, readOnly),
      str('FirstName', 40),
      str('LastName', 80, required),
      str('Alias', 8, required),
      ref('ProfileId', ['Profile'], 'Profile', required),
      bool('IsActive', { defaultValue: true }),
      str('Department', 80),
      // Standard profile fields an assignment's `where:` filters on ([F-63]).
      str('Title', 80),
      str('CompanyName', 80),
      str('Division', 80),
      str('EmployeeNumber', 20),
      str('City', 40),
      str('State', 80),
      str('Country', 80),
      str('PostalCode', 20),
      str('FederationIdentifier', 512),
      // The Service Cloud User feature license (Object Reference, User): agents need it for Omni-Channel.
      bool('UserPermissionsSupportUser', { label: 'Service Cloud User' }),
      pick('UserType', ['Standard', 'PowerPartner', 'CsnOnly', 'Guest', 'AutomatedProcess'], { ...readOnly, defaultedOnCreate: true, defaultValue: 'Standard' }),
      str('TimeZoneSidKey', 40, required),
      str('LocaleSidKey', 40, required),
      str('LanguageLocaleKey', 40, required),
      str('EmailEncodingKey', 40, required),
    ],
    { deletable: false },
  ),
  sobject('PermissionSet', '0PS', 'Permission Set', [
    str('Name', 80, { ...required, unique: true, caseInsensitiveUnique: true }),
    str('Label', 80, required),
    field('IsOwnedByProfile', 'boolean', { ...readOnly, nillable: false, defaultValue: false }),
    ref('ProfileId', ['Profile'], 'Profile', readOnly),
    str('Description', 255),
  ]),
  sobject(
    'PermissionSetAssignment',
    '0Pa',
    'Permission Set Assignment',
    [
      ref('AssigneeId', ['User'], 'Assignee', { ...required, ...createOnly }),
      ref('PermissionSetId', ['PermissionSet'], 'PermissionSet', { ...required, ...createOnly, cascadeDelete: true }),
    ],
    { uniqueTogether: [['AssigneeId', 'PermissionSetId']] },
  ),
  sobject('Group', '00G', 'Group', [
    str('Name', 40, required),
    str('DeveloperName', 80, { unique: true, caseInsensitiveUnique: true, defaultedOnCreate: true }),
    pick('Type', ['Queue', 'Regular', 'Role', 'Organization'], { ...required, ...createOnly }),
    field('Email', 'email', { length: 255 }),
    bool('DoesSendEmailToMembers'),
    ref('QueueRoutingConfigId', ['QueueRoutingConfig'], 'QueueRoutingConfig'),
  ]),
  // Queue and public group members (Object Reference, GroupMember): create and delete only, one row per
  // group and member (a duplicate insert is refused here, DUPLICATE_VALUE; see FIDELITY.md).
  sobject(
    'GroupMember',
    '011',
    'Group Member',
    [
      ref('GroupId', ['Group'], 'Group', { ...required, ...createOnly, cascadeDelete: true }),
      ref('UserOrGroupId', ['User', 'Group'], 'UserOrGroup', { ...required, ...createOnly, cascadeDelete: true }),
    ],
    { updateable: false, uniqueTogether: [['GroupId', 'UserOrGroupId']] },
  ),
  // The objects a queue holds (Object Reference, QueueSobject): written by a Queue deploy's queueSobject.
  sobject(
    'QueueSobject',
    '03g',
    'Queue Sobject',
    [ref('QueueId', ['Group'], 'Queue', { ...required, ...createOnly, cascadeDelete: true }), str('SobjectType', 40, { ...required, ...createOnly })],
    { updateable: false, uniqueTogether: [['QueueId', 'SobjectType']] },
  ),
  // Static resources (key prefix 081) as the Data API shows them; the Metadata API (StaticResource,
  // local-org/metadata-api/static-resource.ts) creates them. Body is not modelled. [F-48]
  sobject(
    'StaticResource',
    '081',
    'Static Resource',
    [
      str('Name', 255, { ...required, unique: true, caseInsensitiveUnique: true }),
      str('NamespacePrefix', 15, readOnly),
      str('ContentType', 120, required),
      int('BodyLength', readOnly),
      pick('CacheControl', ['Private', 'Public'], { defaultedOnCreate: true, defaultValue: 'Private' }),
      str('Description', 255),
    ],
    { createable: false, updateable: false, deletable: false },
  ),
  sobject('Skill', '0C5', 'Skill', [developerName(), masterLabel(), language(), str('Description', 255)], { omni: true }),
  // Skills-based routing (Object Reference, ServiceResource / ServiceResourceSkill): an agent is a
  // ServiceResource of ResourceType A linked to the user (RelatedRecordId, one resource per user);
  // resources cannot be deleted (no delete() call: deactivate instead). A skill row needs
  // EffectiveStartDate; SkillLevel is 0–99.99, defaulted on create.
  sobject(
    'ServiceResource',
    '0Hn',
    'Service Resource',
    [
      str('Name', 80, required),
      ref('RelatedRecordId', ['User'], 'RelatedRecord', { unique: true }),
      pick('ResourceType', ['T', 'D', 'A', 'S'], { ...required, length: 40 }),
      bool('IsActive', { defaultValue: true }),
      str('Description', 4000),
    ],
    { deletable: false },
  ),
  // A routing configuration's default skills (Object Reference, QueueRoutingConfigSkill): written by a
  // QueueRoutingConfig deploy's skills.
  sobject(
    'QueueRoutingConfigSkill',
    '0Lx',
    'Queue Routing Config Skill',
    [ref('QueueRoutingConfigId', ['QueueRoutingConfig'], 'QueueRoutingConfig', { ...required, ...createOnly, cascadeDelete: true }), ref('SkillId', ['Skill'], 'Skill', { ...required, ...createOnly, cascadeDelete: true })],
    { omni: true, updateable: false, uniqueTogether: [['QueueRoutingConfigId', 'SkillId']] },
  ),
  sobject('ServiceResourceSkill', '0Hr', 'Service Resource Skill', [
    ref('ServiceResourceId', ['ServiceResource'], 'ServiceResource', { ...required, ...createOnly, cascadeDelete: true }),
    ref('SkillId', ['Skill'], 'Skill', required),
    dbl('SkillLevel', { defaultedOnCreate: true, defaultValue: 0 }),
    field('EffectiveStartDate', 'datetime', required),
    field('EffectiveEndDate', 'datetime'),
  ]),
  sobject(
    'ServiceChannel',
    '0N9',
    'Service Channel',
    [
      developerName(),
      masterLabel(),
      language(),
      str('RelatedEntity', 255, { ...required, unique: true }),
      str('SecRoutingPriorityField', 255),
      pick('CapacityModel', ['StatusBased', 'TabBased'], { defaultedOnCreate: true, defaultValue: 'TabBased' }),
      str('StatusField', 255),
      bool('DoesOverridePresenceAudio'),
      bool('IsInterruptible'),
      ref('CustomSoundId', ['StaticResource'], 'CustomSound'), // [F-49]
      // Sound Length (seconds): Setup allows at most 30 [F-51].
      int('SoundLength', { range: { min: 1, max: 30, message: 'Sound Length (seconds): enter a value between 1 and 30' } }),
      ...ACW_FIELDS(),
    ],
    { omni: true },
  ),
  sobject(
    'ServicePresenceStatus',
    '0N5',
    'Presence Status',
    [developerName(createOnly), masterLabel(), language(), bool('IsAway', readOnly)],
    { omni: true, deletable: false, labelPlural: 'Presence Statuses' },
  ),
  sobject(
    'ServiceChannelStatus',
    '0NC',
    'Service Channel Status',
    [
      ref('ServiceChannelId', ['ServiceChannel'], 'ServiceChannel', { ...required, ...createOnly, cascadeDelete: true }),
      ref('ServicePresenceStatusId', ['ServicePresenceStatus'], 'ServicePresenceStatus', { ...createOnly, cascadeDelete: true }),
    ],
    { omni: true, labelPlural: 'Service Channel Statuses', uniqueTogether: [['ServiceChannelId', 'ServicePresenceStatusId']] },
  ),
  sobject('PresenceDeclineReason', '0KR', 'Presence Decline Reason', [developerName(), masterLabel(), language()], { omni: true }),
  sobject(
    'PresenceUserConfig',
    '0Nd',
    'Presence Configuration',
    [
      // Data API: these are Create-only (spec §6.1); change a configuration through metadata instead.
      developerName(createOnly),
      masterLabel(createOnly),
      language(createOnly),
      int('Capacity', { ...required, ...createOnly }),
      int('InterruptibleCapacity'),
      bool('OptionsIsAutoAcceptEnabled', createOnly),
      bool('OptionsIsDeclineEnabled', createOnly),
      bool('OptionsIsDeclineReasonEnabled', createOnly),
      bool('OptionsIsDisconnectSoundEnabled', createOnly),
      bool('OptionsIsRequestSoundEnabled', { ...createOnly, defaultValue: true }),
      // Transfer destinations (API 61.0): a new configuration allows every destination [F-52].
      bool('OptionsIsAllowAnyDestinationQueueForTransferEnabled', { defaultValue: true }),
      bool('OptionsIsAllowAnyDestinationFlowForTransferEnabled', { defaultValue: true }),
      bool('OptionsIsAllowAnyDestinationProfileForTransferEnabled', { defaultValue: true }),
      ref('PresenceStatusOnDeclineId', ['ServicePresenceStatus'], 'PresenceStatusOnDecline', createOnly),
      ref('PresenceStatusOnPushTimeoutId', ['ServicePresenceStatus'], 'PresenceStatusOnPushTimeout', createOnly),
      ref('CustomSoundId', ['StaticResource'], 'CustomSound'), // [F-49]
      // Sound Length (seconds): Setup allows at most 30 [F-51].
      int('SoundLength', { range: { min: 1, max: 30, message: 'Sound Length (seconds): enter a value between 1 and 30' } }),
      ...ACW_FIELDS(),
    ],
    { omni: true },
  ),
  sobject(
    'PresenceConfigDeclineReason',
    '0KP',
    'Presence Config Decline Reason',
    [
      ref('PresenceDeclineReasonId', ['PresenceDeclineReason'], 'PresenceDeclineReason', { ...createOnly, cascadeDelete: true }),
      ref('PresenceUserConfigId', ['PresenceUserConfig'], 'PresenceUserConfig', { ...required, ...createOnly, cascadeDelete: true }),
    ],
    { omni: true, uniqueTogether: [['PresenceUserConfigId', 'PresenceDeclineReasonId']] },
  ),
  sobject(
    'PresenceUserConfigUser',
    '0Ne',
    'Presence User Config User',
    [
      ref('PresenceUserConfigId', ['PresenceUserConfig'], 'PresenceUserConfig', { ...required, ...createOnly, cascadeDelete: true }),
      // A user holds at most one presence configuration.
      ref('UserId', ['User'], 'User', { ...required, ...createOnly, unique: true, cascadeDelete: true }),
    ],
    { omni: true },
  ),
  sobject(
    'PresenceUserConfigProfile',
    '0Nf',
    'Presence User Config Profile',
    [
      ref('PresenceUserConfigId', ['PresenceUserConfig'], 'PresenceUserConfig', { ...required, ...createOnly, cascadeDelete: true }),
      ref('ProfileId', ['Profile'], 'Profile', { ...required, ...createOnly, unique: true, cascadeDelete: true }),
    ],
    { omni: true },
  ),
  sobject(
    'QueueRoutingConfig',
    '0K9',
    'Routing Configuration',
    [
      developerName(),
      masterLabel(),
      language(),
      dbl('CapacityPercentage'),
      dbl('CapacityWeight'),
      int('DropAdditionalSkillsTimeout'),
      bool('IsAttributeBased'),
      ref('OverflowAssigneeId', ['User', 'Group'], 'OverflowAssignee'),
      dbl('PausedCapacityPercentage'),
      dbl('PausedCapacityWeight'),
      int('PushTimeout'),
      pick('RoutingModel', ['ExternalRouting', 'LeastActive', 'MostAvailable'], required),
      int('RoutingPriority', required),
    ],
    { omni: true },
  ),
  // ---- added for the Metadata API (local-org/metadata-api): presence-status grants ----------
  // PermissionSet/Profile `servicePresenceStatusAccesses` materialize as SetupEntityAccess rows
  // (ParentId = the permission set, for a Profile its profile-owned one). The documented
  // SetupEntityType list lacks ServicePresenceStatus (spec §5.3); the local org models only these grants.
  sobject(
    'SetupEntityAccess',
    '0J0',
    'Setup Entity Access',
    [
      ref('ParentId', ['PermissionSet'], 'Parent', { ...required, ...createOnly, cascadeDelete: true }),
      ref('SetupEntityId', ['ServicePresenceStatus'], 'SetupEntity', { ...required, ...createOnly, cascadeDelete: true }),
      pick('SetupEntityType', ['ServicePresenceStatus'], { ...readOnly, defaultedOnCreate: true, defaultValue: 'ServicePresenceStatus' }),
    ],
    { updateable: false, labelPlural: 'Setup Entity Access', uniqueTogether: [['ParentId', 'SetupEntityId']] },
  ),
];

const BY_NAME = new Map(SOBJECTS.map((s) => [s.name.toLowerCase(), s]));
const BY_PREFIX = new Map(SOBJECTS.map((s) => [s.keyPrefix, s]));
const FIELD_MAPS = new Map(SOBJECTS.map((s) => [s.name, new Map(s.fields.map((f) => [f.name.toLowerCase(), f]))]));

/** Case-insensitive, as the platform resolves object names. */
export function findSObject(name: string): SObjectSchema | undefined {
  return BY_NAME.get(name.toLowerCase());
}

export function sobjectOfId(id: string): SObjectSchema | undefined {
  return BY_PREFIX.get(id.slice(0, 3));
}

/** Case-insensitive field lookup. */
export function findField(sobjectName: string, fieldName: string): FieldSchema | undefined {
  return FIELD_MAPS.get(sobjectName)?.get(fieldName.toLowerCase());
}

/** A field the caller must supply on create. */
export function isRequiredOnCreate(f: FieldSchema): boolean {
  return f.createable && !f.nillable && !f.defaultedOnCreate && f.type !== 'boolean';
}
