/**
 * Typed models of the Omni metadata types as produced by `toModel` (field names = element names).
 * Optional fields are absent when the element is absent; repeated elements are arrays; unknown elements
 * (not in the registry, e.g. from a newer API) are kept under `_unknown`.
 */
import type { XmlNode } from './xml.ts';

interface Unknowns {
  _unknown?: XmlNode[];
}

export interface PresenceConfigAssignments {
  profiles?: { profile?: string[] };
  users?: { user?: string[] };
}

export interface PresenceUserConfig extends Unknowns {
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
  /** "1"–"10" (a string in the WSDL). */
  maxExtensions?: string;
  presenceStatusOnDecline?: string;
  presenceStatusOnPushTimeout?: string;
  userDisplayName?: string;
}

export interface ServicePresenceStatus extends Unknowns {
  channels?: { channel?: string[] };
  label: string;
}

export interface PresenceDeclineReason extends Unknowns {
  label: string;
}

export type CapacityModel = 'TAB_BASED' | 'STATUS_BASED';
export type StatusFieldMappingType = 'IN_PROGRESS' | 'PAUSED' | 'COMPLETED';

export interface ServiceChannelFieldPriority {
  priority: number;
  value: string;
}

export interface ServiceChannelStatusFieldMapping {
  type: StatusFieldMappingType;
  value: string;
}

export interface ServiceChannel extends Unknowns {
  acwExtensionDuration?: number;
  afterConvoWorkMaxTime?: number;
  capacityModel?: CapacityModel;
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
  serviceChannelFieldPriorities?: ServiceChannelFieldPriority[];
  serviceChannelStatusFieldMappings?: ServiceChannelStatusFieldMapping[];
  statusField?: string;
}

export type CapacityType = 'INHERITED' | 'INTERRUPTIBLE' | 'NOT_INTERRUPTIBLE';
export type RoutingModel = 'LEAST_ACTIVE' | 'MOST_AVAILABLE' | 'EXTERNAL_ROUTING';

export interface QueueRoutingConfig extends Unknowns {
  capacityPercentage?: number;
  capacityType?: CapacityType;
  capacityWeight?: number;
  dropAdditionalSkillsTimeout?: number;
  isAttributeBased?: boolean;
  label: string;
  pausedCapacityPercentage?: number;
  pausedCapacityWeight?: number;
  pushTimeout?: number;
  queueOverflowAssignee?: string;
  routingModel: RoutingModel;
  routingPriority: number;
  skills?: { skill?: string }[];
  userOverflowAssignee?: string;
}

export interface QueueMembers {
  publicGroups?: { publicGroup?: string[] };
  roleAndSubordinates?: { roleAndSubordinate?: string[] };
  roleAndSubordinatesInternal?: { roleAndSubordinateInternal?: string[] };
  roles?: { role?: string[] };
  users?: { user?: string[] };
}

export interface Queue extends Unknowns {
  description?: string;
  doesIncludeBosses?: boolean;
  doesSendEmailToMembers?: boolean;
  email?: string;
  name: string;
  queueMembers?: QueueMembers;
  queueRoutingConfig?: string;
  queueSobject?: { sobjectType: string }[];
}

export interface OmniChannelSettings extends Unknowns {
  enableOmniAutoLoginPrompt?: boolean;
  enableOmniChannel?: boolean;
  enableOmniSecondaryRoutingPriority?: boolean;
  enableOmniSkillsRouting?: boolean;
  enableOmniStatusCapModel?: boolean;
}

/** PermissionSet/Profile `servicePresenceStatusAccesses` entry. */
export interface ServicePresenceStatusAccess {
  enabled: boolean;
  servicePresenceStatus: string;
}
