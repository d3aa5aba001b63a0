/**
 * The platform facts the local org emulates, in one table each, with the FIDELITY.md row they follow
 * (`[F-xx]`). Structure (element names, order, occurrence, value types) comes from the Metadata API XSD
 * (metadata-api/xsd-types.generated.ts); this file holds what the XSD doesn't say.
 */

/** [F-01] API versions the org serves: /services/data lists MIN..MAX; SOAP and REST refuse others. */
export const MIN_API_VERSION = 31;
export const MAX_API_VERSION = 67;

/**
 * [F-10] Metadata API version each element first exists in (absent: from the type's first version).
 * Sources: the metadata type pages and their field tables (PresenceUserConfig, ServiceChannel,
 * QueueRoutingConfig, Queue, PermissionSet/Profile, OmniChannelSettings) per salesforce-omni-spec.md.
 */
export const ELEMENT_SINCE: Readonly<Record<string, number>> = {
  'PresenceUserConfig.acwExtensionDuration': 65,
  'PresenceUserConfig.afterConvoWorkMaxTime': 65,
  'PresenceUserConfig.hasAcwExtensionEnabled': 65,
  'PresenceUserConfig.hasAfterConvoWorkTimer': 65,
  'PresenceUserConfig.interruptibleCapacity': 57,
  'PresenceUserConfig.maxExtensions': 65,
  // [F-11] assumed: undocumented in the field table; the earliest version real retrieves carry it.
  'PresenceUserConfig.userDisplayName': 64,
  'ServiceChannel.acwExtensionDuration': 56,
  'ServiceChannel.afterConvoWorkMaxTime': 52,
  'ServiceChannel.capacityModel': 65,
  'ServiceChannel.doesCheckCapOnOwnerChange': 65,
  'ServiceChannel.doesCheckCapOnStatusChange': 65,
  'ServiceChannel.doesMinimizeWidgetOnAccept': 48,
  'ServiceChannel.hasAcwExtensionEnabled': 56,
  'ServiceChannel.hasAfterConvoWorkTimer': 52,
  'ServiceChannel.isInterruptible': 57,
  'ServiceChannel.maxExtensions': 56,
  'ServiceChannel.secondaryRoutingPriorityField': 47,
  'ServiceChannel.serviceChannelFieldPriorities': 47,
  'ServiceChannel.serviceChannelStatusFieldMappings': 65,
  'ServiceChannel.statusField': 65,
  'QueueRoutingConfig.pausedCapacityPercentage': 64,
  'QueueRoutingConfig.pausedCapacityWeight': 64,
  'Queue.doesIncludeBosses': 67,
  'Queue.queueMembers': 42,
  'Queue.queueRoutingConfig': 42,
  'PermissionSet.servicePresenceStatusAccesses': 64,
  'Profile.servicePresenceStatusAccesses': 64,
  'OmniChannelSettings.enableOmniAutoLoginPrompt': 47,
  'OmniChannelSettings.enableOmniSecondaryRoutingPriority': 47,
};

/**
 * [F-12] Elements the XSD marks required that a real org accepts without: a status access without
 * `<enabled>` deploys and grants nothing (field reports; see FIDELITY.md).
 */
export const OPTIONAL_DESPITE_XSD: ReadonlySet<string> = new Set([
  'PermissionSet.servicePresenceStatusAccesses.enabled',
  'Profile.servicePresenceStatusAccesses.enabled',
]);

/** Packaging of each type the org stores: package.xml name, folder, suffix, whether Omni must be on. [F-13] */
export const TYPE_PACKAGING: ReadonlyArray<{
  name: string;
  packageTypeName: string;
  directoryName: string;
  suffix: string;
  requiresOmni: boolean;
  fixedFullName?: string;
  /** Only the Omni part is modelled; the rest is kept as deployed. */
  modelled?: readonly string[];
}> = [
  { name: 'OmniChannelSettings', packageTypeName: 'Settings', directoryName: 'settings', suffix: 'settings', requiresOmni: false, fixedFullName: 'OmniChannel' },
  { name: 'ServiceChannel', packageTypeName: 'ServiceChannel', directoryName: 'serviceChannels', suffix: 'serviceChannel', requiresOmni: true },
  { name: 'ServicePresenceStatus', packageTypeName: 'ServicePresenceStatus', directoryName: 'servicePresenceStatuses', suffix: 'servicePresenceStatus', requiresOmni: true },
  { name: 'PresenceDeclineReason', packageTypeName: 'PresenceDeclineReason', directoryName: 'presenceDeclineReasons', suffix: 'presenceDeclineReason', requiresOmni: true },
  { name: 'PresenceUserConfig', packageTypeName: 'PresenceUserConfig', directoryName: 'presenceUserConfigs', suffix: 'presenceUserConfig', requiresOmni: true },
  { name: 'QueueRoutingConfig', packageTypeName: 'QueueRoutingConfig', directoryName: 'queueRoutingConfigs', suffix: 'queueRoutingConfig', requiresOmni: true },
  { name: 'Queue', packageTypeName: 'Queue', directoryName: 'queues', suffix: 'queue', requiresOmni: false },
  { name: 'PermissionSet', packageTypeName: 'PermissionSet', directoryName: 'permissionsets', suffix: 'permissionset', requiresOmni: false, modelled: ['description', 'label', 'servicePresenceStatusAccesses'] },
  { name: 'Profile', packageTypeName: 'Profile', directoryName: 'profiles', suffix: 'profile', requiresOmni: false, modelled: ['description', 'servicePresenceStatusAccesses'] },
];

/**
 * [F-20] Standard profiles: metadata fullName → Profile.Name (Profile metadata page: standard profiles
 * are retrieved under their short names; fullNames compare case-insensitively).
 */
export const STANDARD_PROFILES: Readonly<Record<string, string>> = {
  admin: 'System Administrator',
  standard: 'Standard User',
  'read only': 'Read Only',
  readonly: 'Read Only',
  solutionmanager: 'Solution Manager',
  marketingprofile: 'Marketing User',
  contractmanager: 'Contract Manager',
  standardaul: 'Standard Platform User',
  'minimum access - salesforce': 'Minimum Access - Salesforce',
};

/** Features that bring a built-in service channel with them. */
export type OrgFeature = 'Voice' | 'Messaging' | 'Chat';
export const ORG_FEATURES: readonly OrgFeature[] = ['Voice', 'Messaging', 'Chat'];

/**
 * [F-21] Built-in service channels, present while Omni-Channel and their feature are on (ServiceChannel
 * Object Reference: RelatedEntity values; developer names as real orgs and retrieves show them).
 */
export const BUILT_IN_CHANNELS: ReadonlyArray<{ developerName: string; label: string; relatedEntity: string; feature: OrgFeature }> = [
  { developerName: 'sfdc_phone', label: 'Phone', relatedEntity: 'VoiceCall', feature: 'Voice' },
  { developerName: 'sfdc_livemessage', label: 'Messaging', relatedEntity: 'MessagingSession', feature: 'Messaging' },
  { developerName: 'sfdc_liveagent', label: 'Chat', relatedEntity: 'LiveChatTranscript', feature: 'Chat' },
];

/** [F-22] The presence configuration every Omni org has (both options off, capacity 5). */
export const DEFAULT_PRESENCE_CONFIG = { developerName: 'default_presence_config', label: 'Default Presence Configuration', capacity: 5 };
