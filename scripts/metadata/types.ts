/** Typed models of the managed metadata types; field names are the element names (see registry.ts). */
export interface PresenceConfigAssignments {
  profiles?: { profile?: string[] };
  users?: { user?: string[] };
}

export interface PresenceUserConfig {
  acwExtensionDuration?: number;
  afterConvoWorkMaxTime?: number;
  assignments?: PresenceConfigAssignments;
  capacity: number;
  declineReasons?: string[];
  enableAutoAccept?: boolean;
  enableDecline?: boolean;
  enableDeclineReason?: boolean;
  enableDisconnectSound?: boolean;
  enableRequestSound?: boolean;
  hasAcwExtensionEnabled?: boolean;
  hasAfterConvoWorkTimer?: boolean;
  interruptibleCapacity?: number;
  label: string;
  maxExtensions?: string;
  presenceStatusOnDecline?: string;
  presenceStatusOnPushTimeout?: string;
  userDisplayName?: string;
}

export interface ServicePresenceStatus {
  channels?: { channel?: string[] };
  label: string;
}

export interface PresenceDeclineReason {
  label: string;
}

export interface ServiceChannel {
  acwExtensionDuration?: number;
  afterConvoWorkMaxTime?: number;
  capacityModel?: 'TAB_BASED' | 'STATUS_BASED';
  doesCheckCapOnOwnerChange?: boolean;
  doesCheckCapOnStatusChange?: boolean;
  doesMinimizeWidgetOnAccept?: boolean;
  hasAcwExtensionEnabled?: boolean;
  hasAfterConvoWorkTimer?: boolean;
  hasAutoAcceptEnabled?: boolean;
  interactionComponent?: string;
  isInterruptible?: boolean;
  label: string;
  maxExtensions?: string;
  relatedEntityType: string;
  secondaryRoutingPriorityField?: string;
  serviceChannelFieldPriorities?: { priority: number; value: string }[];
  serviceChannelStatusFieldMappings?: { type: 'IN_PROGRESS' | 'PAUSED' | 'COMPLETED'; value: string }[];
  statusField?: string;
}

export interface QueueRoutingConfig {
  capacityPercentage?: number;
  capacityType?: 'INHERITED' | 'INTERRUPTIBLE' | 'NOT_INTERRUPTIBLE';
  capacityWeight?: number;
  dropAdditionalSkillsTimeout?: number;
  isAttributeBased?: boolean;
  label: string;
  pausedCapacityPercentage?: number;
  pausedCapacityWeight?: number;
  pushTimeout?: number;
  queueOverflowAssignee?: string;
  routingModel: 'LEAST_ACTIVE' | 'MOST_AVAILABLE' | 'EXTERNAL_ROUTING';
  routingPriority: number;
  skills?: { skill?: string }[];
  userOverflowAssignee?: string;
}

export interface Queue {
  description?: string;
  doesIncludeBosses?: boolean;
  doesSendEmailToMembers?: boolean;
  email?: string;
  name: string;
  queueMembers?: {
    publicGroups?: { publicGroup?: string[] };
    roleAndSubordinates?: { roleAndSubordinate?: string[] };
    roleAndSubordinatesInternal?: { roleAndSubordinateInternal?: string[] };
    roles?: { role?: string[] };
    users?: { user?: string[] };
  };
  queueRoutingConfig?: string;
  queueSobject?: { sobjectType: string }[];
}

export interface OmniChannelSettings {
  enableOmniAutoLoginPrompt?: boolean;
  enableOmniChannel?: boolean;
  enableOmniSecondaryRoutingPriority?: boolean;
  enableOmniSkillsRouting?: boolean;
  enableOmniStatusCapModel?: boolean;
}

export interface ServicePresenceStatusAccess {
  enabled: boolean;
  servicePresenceStatus: string;
}
