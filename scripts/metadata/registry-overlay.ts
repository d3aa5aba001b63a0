/**
 * The hand-kept facts of the metadata registry: what neither the XSD nor source-deploy-retrieve says.
 * `registry.generated.ts` (from the XSD and SDR, `npm run registry`) gives element names, order, kinds,
 * occurrence, enum values and file layout; `registry.ts` merges both into the `MetadataTypeDef`s every
 * other module reads. Sources: since-versions from the reference spec §1–§7 and §10 rule 3, ranges from
 * the field tables (§1.2, §4), references from the field descriptions, org lookups from the Object Reference.
 * No import of anything but types, so the generator can read `SDR_TYPE_OVERRIDES` before the generated file exists.
 */
import type { XSD_TYPES } from './registry.generated.ts';

/** A metadata type of the XSD. */
export type TypeName = keyof typeof XSD_TYPES;

/**
 * Root types SDR lists under another name: OmniChannelSettings is SDR's `Settings`
 * (`settings/OmniChannel.settings-meta.xml`). Every other type's layout is SDR's own.
 */
export const SDR_TYPE_OVERRIDES: Readonly<Partial<Record<TypeName, string>>> = { OmniChannelSettings: 'Settings' };

/** What a reference value names: a metadata type of this registry, or an org-only thing (Profile, User, Skill, Group). */
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

export interface ReferenceDef {
  /** Dotted element path from the root, e.g. `assignments.profiles.profile`. */
  path: string;
  target: ReferenceTarget;
  caseInsensitive?: boolean;
}

/** Where the names of a reference target live in an org (Object Reference), for the org-aware reference check. */
export interface ReferenceTargetDef {
  sobject: string;
  /** The field a reference value matches (SOQL compares case-insensitively). */
  field: string;
  /** Extra filter, already valid SOQL. */
  where?: string;
  /** What the user calls it in messages. */
  noun: string;
  /** Needs Omni-Channel on in the org (its sObject does not exist otherwise). */
  omni: boolean;
  /** Standard profiles go by an API name in metadata (`admin`) and a label in the org (`System Administrator`). */
  standardProfileNames?: boolean;
  /** Built into every org, so never looked up (lower case). */
  builtIn?: readonly string[];
}

/** Target → where its names live in the org. */
export const REFERENCE_TARGETS: Readonly<Record<ReferenceTarget, ReferenceTargetDef>> = {
  ServicePresenceStatus: { sobject: 'ServicePresenceStatus', field: 'DeveloperName', noun: 'presence status', omni: true },
  PresenceDeclineReason: { sobject: 'PresenceDeclineReason', field: 'DeveloperName', noun: 'decline reason', omni: true },
  ServiceChannel: { sobject: 'ServiceChannel', field: 'DeveloperName', noun: 'service channel', omni: true },
  QueueRoutingConfig: { sobject: 'QueueRoutingConfig', field: 'DeveloperName', noun: 'routing configuration', omni: true },
  Skill: { sobject: 'Skill', field: 'DeveloperName', noun: 'skill', omni: true },
  Queue: { sobject: 'Group', field: 'DeveloperName', where: "Type = 'Queue'", noun: 'queue', omni: false },
  // The Group of Type Organization every org has.
  Group: { sobject: 'Group', field: 'DeveloperName', noun: 'public group', omni: false, builtIn: ['allinternalusers'] },
  Profile: { sobject: 'Profile', field: 'Name', noun: 'profile', omni: false, standardProfileNames: true },
  User: { sobject: 'User', field: 'Username', noun: 'username', omni: false },
};

/** Facts about one element, by dotted path from the type's root. */
export interface ElementFacts {
  /** Minimum API version in which the element exists. */
  since?: number;
  /** Inclusive bounds of the number it holds (a string element such as maxExtensions holds a number too). */
  range?: ElementRange;
  /** What Salesforce applies when the element is absent: a value, or the value of a sibling element. */
  platformDefault?: string | { readonly sameAs: string };
  /**
   * Holds a developer name (spec §0.3, §10 rule 2): the name of a component it references, which exists only
   * under such a name, or a managed package's component under its namespace prefix (`acme__Away`). The spec's
   * schema and the XML check both hold it to DEVELOPER_NAME_REFERENCE_PATTERN (registry.ts).
   */
  developerName?: true;
}

export interface ElementRange {
  readonly min: number;
  readonly max?: number;
  /** The lower bound itself is out of range (capacityWeight > 0). */
  readonly minExclusive?: true;
}

/** After-conversation work (reference spec §1.2, §4): wrap-up and extension seconds, and how many extensions. */
const ACW_SECONDS: ElementRange = { min: 10, max: 3600 };
const ACW_EXTENSIONS: ElementRange = { min: 1, max: 10 };
/**
 * The after-conversation work (wrap-up) elements PresenceUserConfig and ServiceChannel share (spec §1.2,
 * §4), in the order the spec's `afterConversationWork` block names them: the timer, its seconds, extensions
 * on, their seconds, how many. Validation (rules 9, 10, 19) and the spec mapping read this one list.
 */
export const AFTER_CONVERSATION_WORK_ELEMENTS = ['hasAfterConvoWorkTimer', 'afterConvoWorkMaxTime', 'hasAcwExtensionEnabled', 'acwExtensionDuration', 'maxExtensions'] as const;

export interface TypeFacts {
  /** Minimum API version of the type. */
  since: number;
  /** The prefix of the rule ids of its after-conversation work elements (messages/rules.md): PUC-ACW-MAXTIME, SC-ACW-MAXTIME. */
  rulePrefix?: string;
  /** Is this one of the Omni types that exist only when Omni-Channel is enabled? */
  requiresOmni: boolean;
  /** The only allowed fullName (OmniChannelSettings lives in `OmniChannel.settings-meta.xml`). */
  fixedFullName?: string;
  /** File names are not developer names (a profile's name has spaces, colons, …). */
  freeFormNames?: boolean;
  /**
   * Only part of the type is managed here (PermissionSet, Profile): its simple elements and the complex
   * ones listed are modelled; every other complex element is kept verbatim, never validated (opaque).
   */
  partial?: { modelled: readonly string[] };
  elements?: Readonly<Record<string, ElementFacts>>;
  references: readonly ReferenceDef[];
  /**
   * Gives agents a configuration: the element paths of its user and profile assignments. An agent has
   * at most one component of such a type (one presence configuration per user, spec §1.3).
   */
  agentAssignments?: { readonly users: string; readonly profiles: string };
  /**
   * The usernames this type lists. They differ per org: `omni import`/`retrieve --extract-assignments` move
   * them to assignment files, and deploy merges the org's current list in (a deploy REPLACES the list).
   */
  userMembers?: UserMemberList;
  /** A component is part of the Omni setup only when it has this element (a queue without one is an email or case queue). */
  omniOnlyWith?: string;
  /** Can be given to a user besides the ones they hold (PermissionSetAssignment); a profile cannot. */
  userAssignable?: boolean;
  /** The element of this (settings) type that turns Omni-Channel on. */
  omniSwitch?: string;
  /** Elements that only deploy when an OmniChannelSettings flag is on (spec §10); `equals` narrows to one value. */
  needsSetting?: readonly SettingUse[];
  /** Components every Omni org has without them being in source, by developer name: a reference to one resolves at deploy. */
  builtIns?: Readonly<Record<string, BuiltInComponent>>;
}

/** A built-in component (spec §4 "built-in developer names", §1.7 default configuration). */
export interface BuiltInComponent {
  /** A built-in channel's routed object. */
  relatedEntityType?: string;
  /** The org feature that brings it: an org without the feature lacks it. */
  feature?: 'Voice' | 'Messaging' | 'Chat';
  /** Held by every user who has no other presence configuration (the org's default). */
  orgDefault?: boolean;
}

/** A member list of usernames the org holds per record and the project keeps out of source (scripts/metadata/org-held.ts). */
export interface UserMemberList {
  /** Dotted element path of one member, `wrapper.list.item` (`assignments.users.user`). */
  path: string;
  /** For messages: what one member is. */
  noun: string;
  /**
   * How the org's members are read: `SELECT <parent>, <member> FROM <object> WHERE <parent> IN (…)`, where
   * `parent` is a relationship path to the record's developer name — or, with `parentLookup`, an Id
   * field whose records are first found by `SELECT Id, <nameField> FROM <parentLookup.object> WHERE
   * <nameField> IN (…) [AND <where>]`. `member` is the member's name as the XML spells it (a relationship
   * path); with `memberIdPrefix`, `member` is an Id field, kept only when it starts with that key prefix
   * and turned into a name by `SELECT Id, <name.field> FROM <name.object> WHERE Id IN (…)`.
   */
  read: {
    object: string;
    parent: string;
    parentLookup?: { object: string; nameField: string; where?: string };
    member: string;
    memberIdPrefix?: string;
    name?: { object: string; field: string };
  };
}

/** One use of a feature that an OmniChannelSettings flag gates. */
export interface SettingUse {
  /** Dotted element path whose presence (or value `equals`) is the use. */
  path: string;
  equals?: string;
  /** The OmniChannelSettings element that must be true. */
  setting: string;
}

const NAME: ElementFacts = { developerName: true };
const STATUS_ACCESS: Readonly<Record<string, ElementFacts>> = { servicePresenceStatusAccesses: { since: 64 }, 'servicePresenceStatusAccesses.servicePresenceStatus': NAME };
const STATUS_ACCESS_REFERENCE: ReferenceDef = { path: 'servicePresenceStatusAccesses.servicePresenceStatus', target: 'ServicePresenceStatus' };

/** Every type of the XSD, in dependency order (spec §7.4): a deployment or a generator can walk it front to back. */
export const TYPE_FACTS: { readonly [T in TypeName]: TypeFacts } = {
  OmniChannelSettings: {
    since: 44,
    fixedFullName: 'OmniChannel',
    requiresOmni: false,
    omniSwitch: 'enableOmniChannel',
    elements: { enableOmniAutoLoginPrompt: { since: 47 }, enableOmniSecondaryRoutingPriority: { since: 47 } },
    references: [],
  },
  ServiceChannel: {
    since: 44,
    rulePrefix: 'SC',
    requiresOmni: true,
    elements: {
      acwExtensionDuration: { since: 56, range: ACW_SECONDS },
      // Voice ACW came in 52.0, Messaging ACW in 56.0 (spec §4): the element itself exists from 52.
      afterConvoWorkMaxTime: { since: 52, range: ACW_SECONDS },
      // Capacity is released on tab close unless the channel says otherwise (spec §4: capacityModel 0..1;
      // status-based capacity needs the element). Built-in channels come back from the org with TAB_BASED.
      capacityModel: { since: 65, platformDefault: 'TAB_BASED' },
      doesCheckCapOnOwnerChange: { since: 65 },
      doesCheckCapOnStatusChange: { since: 65 },
      doesMinimizeWidgetOnAccept: { since: 48 },
      hasAcwExtensionEnabled: { since: 56 },
      hasAfterConvoWorkTimer: { since: 52 },
      isInterruptible: { since: 57 },
      maxExtensions: { since: 56, range: ACW_EXTENSIONS },
      secondaryRoutingPriorityField: { since: 47 },
      serviceChannelFieldPriorities: { since: 47 },
      serviceChannelStatusFieldMappings: { since: 65 },
      statusField: { since: 65 },
    },
    needsSetting: [{ path: 'capacityModel', equals: 'STATUS_BASED', setting: 'enableOmniStatusCapModel' }],
    builtIns: {
      sfdc_phone: { relatedEntityType: 'VoiceCall', feature: 'Voice' },
      sfdc_livemessage: { relatedEntityType: 'MessagingSession', feature: 'Messaging' },
      sfdc_liveagent: { relatedEntityType: 'LiveChatTranscript', feature: 'Chat' },
    },
    references: [],
  },
  ServicePresenceStatus: {
    since: 44,
    requiresOmni: true,
    elements: { 'channels.channel': NAME },
    references: [{ path: 'channels.channel', target: 'ServiceChannel' }],
  },
  PresenceDeclineReason: { since: 44, requiresOmni: true, references: [] },
  PresenceUserConfig: {
    since: 44,
    rulePrefix: 'PUC',
    requiresOmni: true,
    elements: {
      acwExtensionDuration: { since: 65, range: ACW_SECONDS },
      afterConvoWorkMaxTime: { since: 65, range: ACW_SECONDS },
      // At least 1 (spec §10 rule 5); no maximum is documented (§1.2 row 4), so none beyond xsd:int's.
      capacity: { range: { min: 1 } },
      declineReasons: NAME,
      // Documented default true (spec §1.2 row 10); other booleans default to false.
      enableRequestSound: { platformDefault: 'true' },
      hasAcwExtensionEnabled: { since: 65 },
      hasAfterConvoWorkTimer: { since: 65 },
      // Empty ⇒ capacity; at least 1, not bounded by capacity (spec §1.2 row 13, §10 rule 11).
      interruptibleCapacity: { since: 57, range: { min: 1 }, platformDefault: { sameAs: 'capacity' } },
      maxExtensions: { since: 65, range: ACW_EXTENSIONS },
      presenceStatusOnDecline: NAME,
      presenceStatusOnPushTimeout: NAME,
      // In the 67.0 WSDL but in no field table; retrieves from API 64.0 projects carry it (spec §1.2, §9),
      // so 64 is the earliest version with evidence.
      userDisplayName: { since: 64 },
    },
    agentAssignments: { users: 'assignments.users.user', profiles: 'assignments.profiles.profile' },
    userMembers: {
      path: 'assignments.users.user',
      noun: 'user assignment',
      read: { object: 'PresenceUserConfigUser', parent: 'PresenceUserConfig.DeveloperName', member: 'User.Username' },
    },
    builtIns: { default_presence_config: { orgDefault: true } },
    references: [
      { path: 'assignments.profiles.profile', target: 'Profile', caseInsensitive: true },
      { path: 'assignments.users.user', target: 'User' },
      { path: 'declineReasons', target: 'PresenceDeclineReason' },
      { path: 'presenceStatusOnDecline', target: 'ServicePresenceStatus' },
      { path: 'presenceStatusOnPushTimeout', target: 'ServicePresenceStatus' },
    ],
  },
  QueueRoutingConfig: {
    since: 44,
    requiresOmni: true,
    elements: {
      // Seconds and priorities are never negative (spec §10 rules 22, 24). The documents give dropAdditionalSkillsTimeout
      // and the paused capacities no range (§5.1): seconds and capacity used are at least 0, as for pushTimeout, and a
      // percentage of capacity at most 100, as for capacityPercentage (rule 23); 0 is allowed (paused work may use none).
      routingPriority: { range: { min: 0 } },
      // Rule 23: a work item uses more than no capacity, and at most all of it.
      capacityWeight: { range: { min: 0, minExclusive: true } },
      capacityPercentage: { range: { min: 0, minExclusive: true, max: 100 } },
      pushTimeout: { range: { min: 0 } },
      dropAdditionalSkillsTimeout: { range: { min: 0 } },
      pausedCapacityPercentage: { since: 64, range: { min: 0, max: 100 } },
      pausedCapacityWeight: { since: 64, range: { min: 0 } },
      queueOverflowAssignee: NAME,
      'skills.skill': NAME,
    },
    needsSetting: [{ path: 'skills.skill', setting: 'enableOmniSkillsRouting' }],
    references: [
      { path: 'queueOverflowAssignee', target: 'Queue' },
      { path: 'userOverflowAssignee', target: 'User' },
      { path: 'skills.skill', target: 'Skill' },
    ],
  },
  Queue: {
    since: 24,
    requiresOmni: false,
    elements: {
      doesIncludeBosses: { since: 67 },
      queueMembers: { since: 42 },
      // Groups and roles by developer name (Group and UserRole DeveloperName, spec §0.3).
      'queueMembers.publicGroups.publicGroup': NAME,
      'queueMembers.roles.role': NAME,
      'queueMembers.roleAndSubordinates.roleAndSubordinate': NAME,
      'queueMembers.roleAndSubordinatesInternal.roleAndSubordinateInternal': NAME,
      queueRoutingConfig: { since: 42, developerName: true },
    },
    // Queue members that are users; groups and roles stay as the file says.
    userMembers: {
      path: 'queueMembers.users.user',
      noun: 'queue user member',
      read: {
        object: 'GroupMember',
        parent: 'GroupId',
        parentLookup: { object: 'Group', nameField: 'DeveloperName', where: "Type = 'Queue'" },
        member: 'UserOrGroupId',
        memberIdPrefix: '005',
        name: { object: 'User', field: 'Username' },
      },
    },
    omniOnlyWith: 'queueRoutingConfig',
    references: [
      { path: 'queueRoutingConfig', target: 'QueueRoutingConfig' },
      { path: 'queueMembers.users.user', target: 'User' },
      { path: 'queueMembers.publicGroups.publicGroup', target: 'Group' },
    ],
  },
  PermissionSet: {
    since: 6,
    requiresOmni: false,
    userAssignable: true,
    partial: { modelled: ['servicePresenceStatusAccesses'] },
    elements: STATUS_ACCESS,
    references: [STATUS_ACCESS_REFERENCE],
  },
  Profile: {
    since: 6,
    requiresOmni: false,
    freeFormNames: true,
    partial: { modelled: ['servicePresenceStatusAccesses'] },
    elements: STATUS_ACCESS,
    references: [STATUS_ACCESS_REFERENCE],
  },
};

/**
 * A content type: metadata the deploy sends beside the Omni types whose source is a `-meta.xml` next to
 * its content, a file or (an archive expanded in source) a folder. Not a type of the XSD, so it has no
 * elements to model: `omni plan` compares it by its content's bytes and the meta elements the org stores,
 * so plan and deploy count the same components (issue #10).
 */
export interface ContentTypeFacts {
  /** Meta elements the org stores: a difference in any is a change a deploy makes. */
  comparedElements: readonly string[];
  /**
   * Where the content sits in source format (SDR's registry: `directoryName`, `suffix`, the mixedContent
   * strategy): `<directoryName>/<name>.<suffix>-meta.xml` beside `<name>.<suffix>`, `<name>.<extension>`,
   * or, when `folder` is true, a folder `<name>/` (an expanded archive).
   */
  content: { directoryName: string; suffix: string; folder: boolean };
}

/**
 * Content types by metadata type name (SDR's and package.xml's). StaticResource: Metadata API Developer
 * Guide, "StaticResource" (`meta_staticresources.htm`): `content` (the bytes), `cacheControl` and
 * `contentType` (required), `description`; SDR's registry: folder `staticresources`, suffix `resource`,
 * adapter `mixedContent` (a zip content type may be a folder in source).
 */
export const CONTENT_TYPE_FACTS: Readonly<Record<string, ContentTypeFacts>> = {
  StaticResource: { comparedElements: ['cacheControl', 'contentType', 'description'], content: { directoryName: 'staticresources', suffix: 'resource', folder: true } },
};
