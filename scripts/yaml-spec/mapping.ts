/**
 * The spec ⇄ metadata mapping, as data: one table per metadata type. Each row names a friendly YAML key,
 * the metadata element(s) it stands for, its zod schema (a thunk: built, and zod loaded, only when the schema
 * is asked for — a valid spec is checked by generated code), the default Salesforce applies and, where the
 * shape differs, a pair of transforms. The zod schema (schema.ts), the generator (compile.ts) and the
 * importer (import.ts) are all driven by these tables, so adding an element is one row here.
 *
 * Where a friendly name would only rename an element (label, capacity, routingModel, …) the element name
 * is kept. Element `since` versions come from the metadata registry, not from here.
 */
import type { z } from 'zod';
import { ruleText } from '../lib/messages.ts';
import { zod } from '../lib/zod.ts';
import { SPEC_REFINEMENTS } from './refinements.ts';
import {
  AFTER_CONVERSATION_WORK_ELEMENTS,
  CAPACITY_MODELS,
  CAPACITY_TYPES,
  DEVELOPER_NAME_MAX_LENGTH,
  DEVELOPER_NAME_PATTERN,
  DEVELOPER_NAME_REFERENCE_MAX_LENGTH,
  DEVELOPER_NAME_REFERENCE_PATTERN,
  ROUTING_MODELS,
  STATUS_FIELD_MAPPING_TYPES,
  XSD_INT_RANGE,
  getType,
  elementAt,
  rangeOf,
  rangeText,
  type ElementRange,
} from '../metadata/registry.ts';

/** A typed metadata model as `toModel`/`fromModel` use it: element name → value (repeated → array). */
export type Model = Record<string, unknown>;
/** One entry of the spec (a channel, a status, …): friendly key → value. */
export type SpecEntry = Record<string, unknown>;

/** One element value produced from a spec key; `at` locates it below the key's own YAML path. */
export interface ElementValue {
  element: string;
  value: unknown;
  at?: (string | number)[];
}

/** A row's one element as its spec value nested in objects (FieldMapping `nested`). */
export interface NestedValue {
  /** The objects' keys, outermost first. */
  path: readonly string[];
  /** The element's value is a list: each item of the spec value (a list) nested so. */
  each?: boolean;
}

export interface FieldMapping {
  /** Friendly key in the YAML. */
  key: string;
  /** Top-level metadata elements this key writes (the first one is the main one). */
  elements: readonly string[];
  description: string;
  /** Its zod schema, built when called (zod is loaded only for a spec that fails its generated check, or by tooling). */
  schema: LazySchema;
  /** The value Salesforce applies when the key is absent (may depend on the rest of the entry). */
  default?: (entry: SpecEntry) => unknown;
  /** Emit the default even when the key is absent, because retrieves always contain the element(s). */
  alwaysEmit?: boolean;
  /**
   * An entry must have the key. Absent: required when the registry says the WSDL requires its first element
   * (partial types aside: the generator fills what their new files need).
   */
  required?: boolean;
  /** Spec value → element values (default: the value as is, on `elements[0]`). */
  toElements?: (value: unknown) => ElementValue[];
  /**
   * What toElements writes, said so that an entry can be compared with an XML file without building it
   * (compile.ts `sameAsEntry`, once per file `omni validate` reads): `elements[0]` only, its value the spec value
   * nested in objects along `path` (`{ channel: value }`), or with `each` a list of each item so nested.
   * toElements is made from it (`nestedElements`).
   */
  nested?: NestedValue;
  /**
   * toElements' value of one of `elements` for a spec value, undefined when it writes no such element: the
   * same comparison for a row that writes several elements (afterConversationWork); test/yaml-spec/spec-documents.test.ts
   * holds it to toElements.
   */
  elementValue?: (value: unknown, element: string) => unknown;
  /** Model → spec value, `undefined` when the element is absent (default: `model[elements[0]]`). */
  fromElements?: (model: Model) => unknown;
  /**
   * The dotted element path a value inside the key's value is written to (`rest` is the spec path below the
   * key: `['extensions', 'seconds']` → `acwExtensionDuration`), so the loader words a value's finding as the
   * XML check does at that element; undefined where no one element holds it. Default, for a row without
   * transforms: the element itself (`[]`, or `[i]` of a repeated one), `[i, name]` its child `name`.
   */
  elementPath?: (rest: readonly (string | number)[]) => string | undefined;
}

/**
 * Field values of a record setting, by sObject field name. Reference fields hold the target's *name*
 * (CustomSoundId → the StaticResource's Name) or null; the deploy stage resolves names to ids.
 */
export type RecordValues = Record<string, string | number | boolean | null>;

/**
 * A spec key kept in sObject fields the Metadata API has no element for (reference spec §1.4, §4):
 * not written to XML, but set on the org's record after the Metadata API deployment ("record
 * settings", scripts/deploy/record-settings.ts) and read back by `omni import --target-org`.
 */
export interface RecordFieldMapping {
  key: string;
  /** The sObject whose record (by DeveloperName) holds the fields. */
  sobject: 'PresenceUserConfig' | 'ServiceChannel';
  /** sObject fields this key sets, in the order plan shows them. */
  fields: readonly string[];
  /** Reference fields among `fields` → the sObject their value names (by Name). */
  references?: Readonly<Record<string, 'StaticResource'>>;
  /** API version the fields need (Object Reference). */
  since?: number;
  description: string;
  /** Its zod schema, built when called (see FieldMapping.schema). */
  schema: LazySchema;
  /** Spec value → the field values it sets (fields it leaves alone are absent). */
  toFields: (value: unknown) => RecordValues;
  /** The record's field values → spec value, `undefined` when the record holds nothing to write. */
  fromFields: (record: RecordValues) => unknown;
  /** One-line notes for plan and doctor (e.g. what only Setup can set). */
  notes?: (value: unknown, fullName: string) => string[];
}

export interface TypeMapping {
  /** Top-level key in the spec. */
  specKey: string;
  /** Metadata type name in the registry. */
  type: string;
  /** How the entries are keyed: by developer name (a map), or a single object (settings). */
  keyed: boolean;
  /** fullName of the single document when not keyed. */
  fixedFullName?: string;
  description: string;
  fields: FieldMapping[];
  /** Keys set on the org's record after the deploy (no metadata element exists). */
  records?: RecordFieldMapping[];
}

/** A zod schema built on first use: the tables load without zod (scripts/lib/zod.ts). */
export type LazySchema = () => z.ZodType;

// ── value schemas ────────────────────────────────────────────────────────────────────────────────────

/** Developer names: the registry's pattern and length (spec §0.3). An entry's own name (its key) is one. */
export const developerName = () =>
  zod().string().max(DEVELOPER_NAME_MAX_LENGTH).regex(DEVELOPER_NAME_PATTERN, { error: () => ruleText('SPEC-SCHEMA.developerName') });
/**
 * A reference by developer name: a developer name, optionally after a managed package's namespace prefix
 * (`acme__Away`), the registry's DEVELOPER_NAME_REFERENCE_PATTERN, which the XML check reads too (REF-NAME).
 */
const developerNameReference = () =>
  zod()
    .string()
    .max(DEVELOPER_NAME_REFERENCE_MAX_LENGTH)
    .regex(DEVELOPER_NAME_REFERENCE_PATTERN, { error: () => ruleText('SPEC-SCHEMA.developerNameReference') });
/**
 * Text of at least one character that is not a space: the XML check reads a value of only spaces as empty
 * (VALUE-EMPTY), so the spec does not accept one either.
 */
const text = (max?: number) => (max ? zod().string().min(1).max(max) : zod().string().min(1)).regex(NOT_BLANK, { error: () => ruleText('SPEC-SCHEMA.blank') });
const NOT_BLANK = /\S/;
/** A whole number written without sign, spaces or leading zeros. */
const WHOLE_NUMBER = /^(0|[1-9]\d*)$/;
const bool = () => zod().boolean();
/**
 * A whole number, always within xsd:int (the registry's XSD_INT_RANGE): every integer key of the spec ends
 * in an int element or field, so a value outside 32 bits would pass here and fail the generated XML.
 */
const int = (min?: number, max?: number) =>
  zod().int().min(Math.max(min ?? XSD_INT_RANGE.min, XSD_INT_RANGE.min)).max(Math.min(max ?? XSD_INT_RANGE.max, XSD_INT_RANGE.max));
/** A whole number within a registry range (ranges, like since-versions, live in the registry). */
const ranged = (range: ElementRange) => int(range.min, range.max);
/** The registry range of an int element, as a whole-number schema. */
const rangedInt = (type: string, path: string) => ranged(rangeOf(type, path));
/** A finite number (xsd:double) within the registry range of an element. */
function rangedNumber(type: string, path: string) {
  const range = rangeOf(type, path);
  const above = range.minExclusive ? zod().number().gt(range.min) : zod().number().min(range.min);
  return range.max === undefined ? above : above.max(range.max);
}
/** `API 57.0+`: the registry's since-version of an element, as descriptions write it. */
function apiSince(type: string, path: string): string {
  const since = elementAt(getType(type), path)?.since;
  if (since === undefined) throw new Error(`registry: ${type}.${path} has no since-version`);
  return `API ${since.toFixed(1)}+`;
}
/** A registry platform default (the value Salesforce applies when the element is absent). */
function platformDefault(type: string, path: string): string | undefined {
  const d = elementAt(getType(type), path)?.platformDefault;
  return typeof d === 'string' ? d : undefined;
}
const names = () => zod().array(developerNameReference()).min(1);
const texts = () => zod().array(text()).min(1);

// ── row builders ─────────────────────────────────────────────────────────────────────────────────────

interface RowOptions {
  default?: (entry: SpecEntry) => unknown;
  alwaysEmit?: boolean;
}

/** A key that maps to one element with the same value shape. */
function field(key: string, element: string, schema: LazySchema, description: string, options: RowOptions = {}): FieldMapping {
  return { key, elements: [element], schema, description, ...options };
}

/** `key: [a, b]` ⇄ `<wrapper><child>a</child><child>b</child></wrapper>`. */
function wrappedList(key: string, wrapper: string, child: string, item: LazySchema, description: string): FieldMapping {
  return {
    key,
    elements: [wrapper],
    schema: () => zod().array(item()).min(1),
    description,
    nested: { path: [child] },
    toElements: nestedElements(wrapper, { path: [child] }),
    fromElements: (model) => nonEmpty((model[wrapper] as Model | undefined)?.[child]),
    elementPath: (rest) => (rest.length === 1 ? `${wrapper}.${child}` : undefined),
  };
}

/** `key: [a, b]` ⇄ `<element><child>a</child></element><element><child>b</child></element>`. */
function objectList(key: string, element: string, child: string, item: LazySchema, description: string): FieldMapping {
  return {
    key,
    elements: [element],
    schema: () => zod().array(item()).min(1),
    description,
    nested: { path: [child], each: true },
    toElements: nestedElements(element, { path: [child], each: true }),
    fromElements: (model) => nonEmpty(asArray(model[element]).map((o) => (o as Model)[child]).filter((v) => v !== undefined)),
    elementPath: (rest) => (rest.length === 1 ? `${element}.${child}` : undefined),
  };
}

/** The toElements of a row that declares `nested` (FieldMapping): `element` alone, its value nested so. */
function nestedElements(element: string, nested: NestedValue): (value: unknown) => ElementValue[] {
  const path = nested.path;
  const nest = (value: unknown): unknown => {
    let out = value;
    for (let i = path.length - 1; i >= 0; i--) out = { [path[i]]: out };
    return out;
  };
  return (value) => [{ element, value: nested.each ? (value as unknown[]).map(nest) : nest(value) }];
}

function asArray(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

function nonEmpty(value: unknown): unknown[] | undefined {
  const list = asArray(value);
  return list.length ? list : undefined;
}

/** The numbers of the `afterConversationWork` block → their elements. */
const ACW_KEY_ELEMENTS: Readonly<Record<string, string>> = { seconds: 'afterConvoWorkMaxTime', 'extensions.seconds': 'acwExtensionDuration', 'extensions.max': 'maxExtensions' };

/**
 * After-conversation work (wrap-up) as one block:
 * `afterConversationWork: { seconds, extensions: { seconds, max } }` ⇄ `hasAfterConvoWorkTimer`,
 * `afterConvoWorkMaxTime`, `hasAcwExtensionEnabled`, `acwExtensionDuration`, `maxExtensions`.
 * `false` means the timer is explicitly off (retrieves at API ≥ 65.0 write `hasAfterConvoWorkTimer` false).
 * When the timer is on, `hasAcwExtensionEnabled` is always written: its documented default differs between
 * the Object Reference (true) and the Metadata API (false), spec §1.6.
 */
function afterConversationWork(type: string, description: string, options: RowOptions): FieldMapping {
  const maxTime = rangeOf(type, 'afterConvoWorkMaxTime');
  const duration = rangeOf(type, 'acwExtensionDuration');
  const extensions = rangeOf(type, 'maxExtensions');
  return {
    key: 'afterConversationWork',
    elements: AFTER_CONVERSATION_WORK_ELEMENTS,
    description,
    schema: () => zod().union([
      zod().literal(false),
      zod().strictObject({
        seconds: ranged(maxTime).describe(`Maximum wrap-up time in seconds (afterConvoWorkMaxTime), ${rangeText(maxTime)}.`),
        extensions: zod()
          .strictObject({
            seconds: ranged(duration).describe(`Seconds granted per extension (acwExtensionDuration), ${rangeText(duration)}.`),
            max: ranged(extensions).describe(`How many extensions an agent may take (maxExtensions), ${rangeText(extensions)}.`),
          })
          .optional()
          .describe('Let agents extend their wrap-up time (hasAcwExtensionEnabled).'),
      }),
    ]),
    ...options,
    elementPath: (rest) => ACW_KEY_ELEMENTS[rest.join('.')],
    elementValue: (value, element) => {
      if (value === false) return element === 'hasAfterConvoWorkTimer' ? false : undefined;
      const acw = value as { seconds: number; extensions?: { seconds: number; max: number } };
      switch (element) {
        case 'hasAfterConvoWorkTimer':
          return true;
        case 'afterConvoWorkMaxTime':
          return acw.seconds;
        case 'hasAcwExtensionEnabled':
          return acw.extensions !== undefined;
        case 'acwExtensionDuration':
          return acw.extensions ? acw.extensions.seconds : undefined;
        case 'maxExtensions':
          return acw.extensions ? String(acw.extensions.max) : undefined;
      }
      return undefined;
    },
    toElements: (value) => {
      if (value === false) return [{ element: 'hasAfterConvoWorkTimer', value: false }];
      const acw = value as { seconds: number; extensions?: { seconds: number; max: number } };
      const out: ElementValue[] = [
        { element: 'hasAfterConvoWorkTimer', value: true },
        { element: 'afterConvoWorkMaxTime', value: acw.seconds, at: ['seconds'] },
        { element: 'hasAcwExtensionEnabled', value: acw.extensions !== undefined, at: acw.extensions ? ['extensions'] : [] },
      ];
      if (acw.extensions) {
        out.push({ element: 'acwExtensionDuration', value: acw.extensions.seconds, at: ['extensions', 'seconds'] });
        out.push({ element: 'maxExtensions', value: String(acw.extensions.max), at: ['extensions', 'max'] });
      }
      return out;
    },
    fromElements: (model) => {
      const timer = model.hasAfterConvoWorkTimer;
      if (timer === undefined || timer === null) return undefined;
      if (timer !== true) return false;
      const acw: Record<string, unknown> = { seconds: model.afterConvoWorkMaxTime };
      if (model.hasAcwExtensionEnabled === true) {
        // A whole number as the XML writes it ("2"); anything else ("02", "+2", "two") stays text, which the
        // schema refuses, as the XML check refuses it (ACW-EXTENSION): import never turns it into another value.
        const max = model.maxExtensions;
        acw.extensions = { seconds: model.acwExtensionDuration, max: typeof max === 'string' && WHOLE_NUMBER.test(max) ? Number(max) : max };
      }
      return acw;
    },
  };
}

// ── record settings (sObject fields without a metadata element) ────────────────────────────────────

/** Static resource names: letter first, letters/digits/underscores (Salesforce Help, "Defining Static Resources"). */
const staticResourceName = () =>
  zod().string().max(255).regex(DEVELOPER_NAME_PATTERN, { error: () => ruleText('SPEC-SCHEMA.staticResourceName') });

/** Sound Length: Setup allows 1–30 seconds (founding description of a presence configuration). */
export const SOUND_SECONDS = { min: 1, max: 30 } as const;

const soundSchema = () =>
  zod().strictObject({
    staticResource: staticResourceName()
      .optional()
      .describe('StaticResource (name) played for new work (CustomSoundId); omit for the default sound. It must be in the project or in the org.'),
    seconds: int(SOUND_SECONDS.min, SOUND_SECONDS.max).optional().describe('Sound Length in seconds (SoundLength), 1–30; omit to play the sound once in full.'),
  });

function soundFromFields(record: RecordValues): { staticResource?: string; seconds?: number } {
  const out: { staticResource?: string; seconds?: number } = {};
  if (record.CustomSoundId !== null && record.CustomSoundId !== undefined) out.staticResource = String(record.CustomSoundId);
  if (record.SoundLength !== null && record.SoundLength !== undefined) out.seconds = Number(record.SoundLength);
  return out;
}

/**
 * `notificationSound: { staticResource, seconds }` ⇄ CustomSoundId (→ StaticResource, API 55.0) and
 * SoundLength. With `overridesPresenceAudio` (a channel) it also sets DoesOverridePresenceAudio: the channel's sound overrides the
 * agents' presence configurations (reference spec §4).
 */
function notificationSound(sobject: RecordFieldMapping['sobject'], description: string, { overridesPresenceAudio }: { overridesPresenceAudio: boolean }): RecordFieldMapping {
  return {
    key: 'notificationSound',
    sobject,
    fields: overridesPresenceAudio ? ['DoesOverridePresenceAudio', 'CustomSoundId', 'SoundLength'] : ['CustomSoundId', 'SoundLength'],
    references: { CustomSoundId: 'StaticResource' },
    since: 55,
    description,
    // A channel may also say `false`: no override (the agents' presence configurations decide).
    schema: () => overridesPresenceAudio ? zod().union([zod().literal(false), soundSchema()]) : soundSchema(),
    toFields: (value) => {
      if (value === false) return { DoesOverridePresenceAudio: false };
      const v = value as { staticResource?: string; seconds?: number };
      const sound: RecordValues = { CustomSoundId: v.staticResource ?? null, SoundLength: v.seconds ?? null };
      return overridesPresenceAudio ? { DoesOverridePresenceAudio: true, ...sound } : sound;
    },
    fromFields: (record) => {
      if (overridesPresenceAudio) return record.DoesOverridePresenceAudio === true ? soundFromFields(record) : undefined;
      const sound = soundFromFields(record);
      return Object.keys(sound).length ? sound : undefined;
    },
  };
}

/** Spec word → OptionsIsAllowAnyDestination…ForTransferEnabled value. */
const DESTINATION_KINDS = [
  ['queues', 'OptionsIsAllowAnyDestinationQueueForTransferEnabled', 'queues'],
  ['flows', 'OptionsIsAllowAnyDestinationFlowForTransferEnabled', 'flows'],
  ['profiles', 'OptionsIsAllowAnyDestinationProfileForTransferEnabled', 'profiles'],
] as const;

/**
 * One line saying where the selected destinations are chosen: no documented object or metadata holds
 * them (reference spec §1.4; the Object Reference documents only the OptionsIsAllowAnyDestination… flags).
 */
export function selectedDestinationsNote(kinds: readonly string[], fullName: string): string {
  return ruleText('SPEC-RECORD.selectedInSetup', [fullName, kinds.join(' and '), fullName]);
}

const transferDestinations: RecordFieldMapping = {
  key: 'transferDestinations',
  sobject: 'PresenceUserConfig',
  fields: DESTINATION_KINDS.map(([, field]) => field),
  since: 61,
  description:
    'Where agents may transfer enhanced Messaging sessions: any queue/flow/profile, or only selected ones (OptionsIsAllowAnyDestination{Queue,Flow,Profile}ForTransferEnabled, API 61.0+). The selected ones are chosen in Setup: no API sets the list.',
  schema: () => zod()
    .strictObject(
      Object.fromEntries(
        DESTINATION_KINDS.map(([kind, field]) => [kind, zod().enum(['any', 'selected']).optional().describe(`any: every ${kind.slice(0, -1)}; selected: only the ${kind} chosen in Setup (${field}).`)]),
      ),
    )
    .refine(SPEC_REFINEMENTS.someValue, { error: () => ruleText('SPEC-SCHEMA.transferDestinations') }),
  toFields: (value) => {
    const v = value as Record<string, 'any' | 'selected' | undefined>;
    const out: RecordValues = {};
    for (const [kind, field] of DESTINATION_KINDS) if (v[kind] !== undefined) out[field] = v[kind] === 'any';
    return out;
  },
  fromFields: (record) => {
    const out: Record<string, string> = {};
    for (const [kind, field] of DESTINATION_KINDS) if (typeof record[field] === 'boolean') out[kind] = record[field] ? 'any' : 'selected';
    // Any destination of every kind is what a configuration allows unless restricted: nothing to write.
    return Object.values(out).some((v) => v === 'selected') ? out : undefined;
  },
  notes: (value, fullName) => {
    const v = value as Record<string, string | undefined>;
    const selected = DESTINATION_KINDS.filter(([kind]) => v[kind] === 'selected').map(([kind]) => kind);
    return selected.length ? [selectedDestinationsNote(selected, fullName)] : [];
  },
};

/** A default that depends on nothing: looked up once, not per entry. */
const constant = (value: unknown) => () => value;
const listed = (entry: SpecEntry, key: string) => Array.isArray(entry[key]) && (entry[key] as unknown[]).length > 0;

// ── the tables ───────────────────────────────────────────────────────────────────────────────────────

export const SETTINGS: TypeMapping = {
  specKey: 'settings',
  type: 'OmniChannelSettings',
  keyed: false,
  fixedFullName: 'OmniChannel',
  description: 'Omni-Channel settings (settings/OmniChannel.settings-meta.xml). enableOmniChannel must be true for any of the rest to deploy.',
  fields: [
    field('enableOmniAutoLoginPrompt', 'enableOmniAutoLoginPrompt', bool, 'Prompt agents to log in to Omni-Channel when they open the console.'),
    field('enableOmniChannel', 'enableOmniChannel', bool, 'Turn Omni-Channel on (required by every other Omni type).'),
    field('enableOmniSecondaryRoutingPriority', 'enableOmniSecondaryRoutingPriority', bool, 'Allow secondary routing priority on service channels.'),
    field('enableOmniSkillsRouting', 'enableOmniSkillsRouting', bool, 'Enable skills-based routing.'),
    field('enableOmniStatusCapModel', 'enableOmniStatusCapModel', bool, 'Enable status-based capacity.'),
  ],
};

export const CHANNELS: TypeMapping = {
  specKey: 'channels',
  type: 'ServiceChannel',
  keyed: true,
  description: 'Service channels by developer name. relatedEntityType is unique per org: reuse the built-in sfdc_phone (VoiceCall) and sfdc_livemessage (MessagingSession).',
  fields: [
    field('label', 'label', () => text(80), 'Channel label.'),
    field('relatedEntityType', 'relatedEntityType', text, 'API name of the routed object: Case, Lead, VoiceCall, MessagingSession, X__c, …'),
    field('autoAccept', 'hasAutoAcceptEnabled', bool, 'Open routed work automatically in the agent workspace (hasAutoAcceptEnabled).'),
    field('minimizeWidgetOnAccept', 'doesMinimizeWidgetOnAccept', bool, 'Minimize the Omni-Channel widget when work is accepted (doesMinimizeWidgetOnAccept).'),
    field('interruptible', 'isInterruptible', bool, `Work uses interruptible capacity (isInterruptible, ${apiSince('ServiceChannel', 'isInterruptible')}).`),
    field('interactionComponent', 'interactionComponent', text, 'Console component opened in the footer when work is accepted.'),
    afterConversationWork('ServiceChannel', 'Wrap-up time for Voice/Messaging channels; overrides the presence configuration. false = explicitly off.', {}),
    field('capacityModel', 'capacityModel', () => zod().enum(CAPACITY_MODELS), 'When capacity is released: on tab close (TAB_BASED) or by work status (STATUS_BASED, needs enableOmniStatusCapModel).'),
    field('statusField', 'statusField', text, 'Status-based capacity: picklist field on the routed object that tracks work status.'),
    field(
      'statusMappings',
      'serviceChannelStatusFieldMappings',
      () => zod().array(zod().strictObject({ type: zod().enum(STATUS_FIELD_MAPPING_TYPES), value: text() })).min(1),
      'Status-based capacity: which statusField values mean in progress, paused or completed (serviceChannelStatusFieldMappings).',
    ),
    field('checkCapacityOnOwnerChange', 'doesCheckCapOnOwnerChange', bool, 'Status-based capacity: check capacity when work is reassigned (doesCheckCapOnOwnerChange).'),
    field('checkCapacityOnStatusChange', 'doesCheckCapOnStatusChange', bool, 'Status-based capacity: check capacity when work is reopened (doesCheckCapOnStatusChange).'),
    field('secondaryPriorityField', 'secondaryRoutingPriorityField', text, 'Field used as secondary routing priority (secondaryRoutingPriorityField).'),
    field(
      'fieldPriorities',
      'serviceChannelFieldPriorities',
      () => zod().array(zod().strictObject({ priority: int(), value: text() })).min(1),
      'Value → priority map for the secondary priority field (serviceChannelFieldPriorities).',
    ),
  ],
  records: [
    notificationSound(
      'ServiceChannel',
      'Sound for work from this channel, overriding the agents\' presence configurations (DoesOverridePresenceAudio, CustomSoundId, SoundLength); false turns the override off. Set on the record after the deploy; omit to leave the org\'s values alone.',
      { overridesPresenceAudio: true },
    ),
  ],
};

export const STATUSES: TypeMapping = {
  specKey: 'statuses',
  type: 'ServicePresenceStatus',
  keyed: true,
  description: 'Presence statuses by developer name. A status with channels is an Online status; without channels it is Away/Busy.',
  fields: [
    field('label', 'label', () => text(80), 'Status label.'),
    wrappedList('channels', 'channels', 'channel', developerNameReference, 'Service channels (developer names) this status takes work from; omit for an Away/Busy status.'),
  ],
};

export const DECLINE_REASONS: TypeMapping = {
  specKey: 'declineReasons',
  type: 'PresenceDeclineReason',
  keyed: true,
  description: 'Reasons an agent can give when declining work, by developer name.',
  fields: [field('label', 'label', () => text(80), 'Reason label shown to agents.')],
};

export const PRESENCE_CONFIGURATIONS: TypeMapping = {
  specKey: 'presenceConfigurations',
  type: 'PresenceUserConfig',
  keyed: true,
  description: 'Presence configurations by developer name. Profile assignments only: user assignments differ per org and go into assignment files.',
  fields: [
    field('label', 'label', () => text(80), 'Configuration label.'),
    field('capacity', 'capacity', () => rangedInt('PresenceUserConfig', 'capacity'), `Work units an agent can hold at once (${rangeText(rangeOf('PresenceUserConfig', 'capacity'))}; Salesforce documents no maximum).`),
    field('interruptibleCapacity', 'interruptibleCapacity', () => rangedInt('PresenceUserConfig', 'interruptibleCapacity'), `Work units of interruptible capacity (${apiSince('PresenceUserConfig', 'interruptibleCapacity')}); defaults to capacity when omitted.`),
    field('autoAccept', 'enableAutoAccept', bool, 'Accept routed work automatically (enableAutoAccept); not with allowDecline.', {
      default: () => false,
      alwaysEmit: true,
    }),
    field('allowDecline', 'enableDecline', bool, 'Agents may decline routed work (enableDecline). Default: true when declineReasons are listed.', {
      default: (entry) => listed(entry, 'declineReasons'),
      alwaysEmit: true,
    }),
    field('declineReasons', 'declineReasons', names, 'Decline reasons (developer names) agents pick from.'),
    field('askDeclineReason', 'enableDeclineReason', bool, 'Ask for a reason when declining (enableDeclineReason). Default: true when declineReasons are listed.', {
      default: (entry) => listed(entry, 'declineReasons'),
      alwaysEmit: true,
    }),
    field('statusOnDecline', 'presenceStatusOnDecline', developerNameReference, 'Presence status (developer name) the agent moves to after declining (presenceStatusOnDecline).'),
    field('statusOnPushTimeout', 'presenceStatusOnPushTimeout', developerNameReference, 'Presence status (developer name) the agent moves to when pushed work times out (presenceStatusOnPushTimeout).'),
    field('requestSound', 'enableRequestSound', bool, 'Play a sound on incoming work (enableRequestSound).', {
      default: constant(platformDefault('PresenceUserConfig', 'enableRequestSound') === 'true'),
      alwaysEmit: true,
    }),
    field('disconnectSound', 'enableDisconnectSound', bool, 'Play a sound when the agent is disconnected (enableDisconnectSound).', {
      // Not the platform's default (an absent boolean is false): omni writes the sound on, as Setup creates
      // configurations and as every retrieve in the reference shows them (spec §1 examples).
      default: () => true,
      alwaysEmit: true,
    }),
    afterConversationWork('PresenceUserConfig', `Wrap-up time (${apiSince('PresenceUserConfig', 'hasAfterConvoWorkTimer')}). Omitted = timer off, written as hasAfterConvoWorkTimer false where the API version has it.`, {
      default: () => false,
      alwaysEmit: true,
    }),
    field('agentDisplayName', 'userDisplayName', text, 'Name shown to customers for the agent: {!User_Alias}, {!User_FullName} or literal text (userDisplayName).'),
    {
      key: 'profiles',
      elements: ['assignments'],
      description: 'Profiles (names, e.g. "Custom: Support Agent") that get this configuration. A profile can have only one configuration.',
      schema: texts,
      nested: { path: ['profiles', 'profile'] },
      toElements: nestedElements('assignments', { path: ['profiles', 'profile'] }),
      fromElements: (model) => nonEmpty(((model.assignments as Model | undefined)?.profiles as Model | undefined)?.profile),
      elementPath: (rest) => (rest.length === 1 ? 'assignments.profiles.profile' : undefined),
    },
  ],
  records: [
    notificationSound(
      'PresenceUserConfig',
      'Notification sound for new work: a StaticResource (CustomSoundId, API 55.0+) or the default, and its length (SoundLength, 1–30 s). Set on the record after the deploy; omit to leave the org\'s values alone.',
      { overridesPresenceAudio: false },
    ),
    transferDestinations,
  ],
};

export const ROUTING_CONFIGS: TypeMapping = {
  specKey: 'routingConfigs',
  type: 'QueueRoutingConfig',
  keyed: true,
  description: 'Routing configurations by developer name; a queue uses one through routingConfig.',
  fields: [
    field('label', 'label', () => text(80), 'Routing configuration label.'),
    field('routingModel', 'routingModel', () => zod().enum(ROUTING_MODELS), 'Push algorithm.'),
    field('routingPriority', 'routingPriority', () => rangedInt('QueueRoutingConfig', 'routingPriority'), 'Lower routes first (0 = highest).'),
    field('capacityWeight', 'capacityWeight', () => rangedNumber('QueueRoutingConfig', 'capacityWeight'), `Units of capacity one work item uses, ${rangeText(rangeOf('QueueRoutingConfig', 'capacityWeight'))} (set this or capacityPercentage).`),
    field('capacityPercentage', 'capacityPercentage', () => rangedNumber('QueueRoutingConfig', 'capacityPercentage'), `Percentage of capacity one work item uses, ${rangeText(rangeOf('QueueRoutingConfig', 'capacityPercentage'))} (set this or capacityWeight).`),
    field('capacityType', 'capacityType', () => zod().enum(CAPACITY_TYPES), 'Interruptible capacity for system-created routing: inherit the channel, force interruptible or not.'),
    field('pushTimeout', 'pushTimeout', () => rangedInt('QueueRoutingConfig', 'pushTimeout'), 'Seconds before a pushed item is re-routed; 0 = off.'),
    field('pausedCapacityWeight', 'pausedCapacityWeight', () => rangedNumber('QueueRoutingConfig', 'pausedCapacityWeight'), `Status-based capacity: units used while paused, ${rangeText(rangeOf('QueueRoutingConfig', 'pausedCapacityWeight'))} (${apiSince('QueueRoutingConfig', 'pausedCapacityWeight')}).`),
    field('pausedCapacityPercentage', 'pausedCapacityPercentage', () => rangedNumber('QueueRoutingConfig', 'pausedCapacityPercentage'), `Status-based capacity: percentage used while paused, ${rangeText(rangeOf('QueueRoutingConfig', 'pausedCapacityPercentage'))} (${apiSince('QueueRoutingConfig', 'pausedCapacityPercentage')}).`),
    objectList('skills', 'skills', 'skill', developerNameReference, 'Default skills (developer names) for skills-based routing (needs enableOmniSkillsRouting).'),
    field('dropAdditionalSkillsTimeout', 'dropAdditionalSkillsTimeout', () => rangedInt('QueueRoutingConfig', 'dropAdditionalSkillsTimeout'), `Seconds before additional skills are dropped (${rangeText(rangeOf('QueueRoutingConfig', 'dropAdditionalSkillsTimeout'))}).`),
    field('isAttributeBased', 'isAttributeBased', bool, 'Skills come from attribute-based routing rules.'),
    field('overflowQueue', 'queueOverflowAssignee', developerNameReference, 'Queue (developer name) that receives overflow work (queueOverflowAssignee).'),
    field('overflowUser', 'userOverflowAssignee', text, 'User that receives overflow work (userOverflowAssignee).'),
  ],
};

const MEMBER_KINDS = [
  ['publicGroups', 'publicGroup'],
  ['roles', 'role'],
  ['roleAndSubordinates', 'roleAndSubordinate'],
  ['roleAndSubordinatesInternal', 'roleAndSubordinateInternal'],
] as const;

export const QUEUES: TypeMapping = {
  specKey: 'queues',
  type: 'Queue',
  keyed: true,
  description: 'Queues by developer name. routingConfig makes a queue Omni-routed.',
  fields: [
    field('label', 'name', () => text(80), 'Queue label (the Queue name element).'),
    field('description', 'description', text, 'Description.'),
    field('email', 'email', text, 'Queue e-mail address.'),
    field('sendEmailToMembers', 'doesSendEmailToMembers', bool, 'E-mail members when work arrives (doesSendEmailToMembers).', {
      default: () => false,
      alwaysEmit: true,
    }),
    field('includeBosses', 'doesIncludeBosses', bool, `Grant access using hierarchies (doesIncludeBosses, ${apiSince('Queue', 'doesIncludeBosses')}).`, {
      default: () => false,
      alwaysEmit: true,
    }),
    {
      key: 'members',
      elements: ['queueMembers'],
      description: 'Queue members by group and role; user members differ per org and go into assignment files.',
      schema: () => zod()
        .strictObject(Object.fromEntries(MEMBER_KINDS.map(([plural]) => [plural, names().optional()])))
        .refine(SPEC_REFINEMENTS.someValue, { error: () => ruleText('SPEC-SCHEMA.queueMembers') }),
      toElements: (value) => {
        const members = value as Record<string, unknown>;
        const out: Model = {};
        for (const [plural, single] of MEMBER_KINDS) if (members[plural]) out[plural] = { [single]: members[plural] };
        return [{ element: 'queueMembers', value: out }];
      },
      fromElements: (model) => {
        const members = model.queueMembers as Model | undefined;
        if (!members) return undefined;
        const out: Record<string, unknown> = {};
        for (const [plural, single] of MEMBER_KINDS) {
          const list = nonEmpty((members[plural] as Model | undefined)?.[single]);
          if (list) out[plural] = list;
        }
        return Object.keys(out).length ? out : undefined;
      },
      elementPath: (rest) => {
        const single = MEMBER_KINDS.find(([plural]) => plural === rest[0])?.[1];
        return single && rest.length === 2 ? `queueMembers.${rest[0]}.${single}` : undefined;
      },
    },
    field('routingConfig', 'queueRoutingConfig', developerNameReference, 'Routing configuration (developer name) that makes the queue Omni-routed (queueRoutingConfig).'),
    objectList('sobjects', 'queueSobject', 'sobjectType', text, 'Objects the queue holds (queueSobject), e.g. Case, MessagingSession.'),
  ],
};

export const PERMISSION_SETS: TypeMapping = {
  specKey: 'permissionSets',
  type: 'PermissionSet',
  keyed: true,
  description:
    'Presence-status access per permission set. Only servicePresenceStatusAccesses is managed: an existing permission set file keeps every other element byte for byte; label/description are used when the file is created.',
  fields: [
    field('label', 'label', () => text(80), 'Permission set label (used when the file is created).'),
    field('description', 'description', text, 'Description (used when the file is created).'),
    {
      key: 'statuses',
      elements: ['servicePresenceStatusAccesses'],
      description: `Presence statuses (developer names) this permission set grants (servicePresenceStatusAccesses, ${apiSince('PermissionSet', 'servicePresenceStatusAccesses')}).`,
      // What a permission set entry is for (the WSDL requires only its label, which generate fills in).
      required: true,
      schema: names,
      // Always enabled=true: omitting <enabled> deploys "Succeeded" but grants nothing (spec §5.3).
      toElements: (value) => [
        { element: 'servicePresenceStatusAccesses', value: (value as string[]).map((s) => ({ enabled: true, servicePresenceStatus: s })) },
      ],
      fromElements: (model) =>
        nonEmpty(
          asArray(model.servicePresenceStatusAccesses)
            .filter((a) => (a as Model).enabled === true)
            .map((a) => (a as Model).servicePresenceStatus),
        ),
      elementPath: (rest) => (rest.length === 1 ? 'servicePresenceStatusAccesses.servicePresenceStatus' : undefined),
    },
  ],
};

// ── elements omni does not model ─────────────────────────────────────────────────────────────────────

/** The spec key that carries elements the registry does not know (e.g. from a newer API version). */
export const OTHER_ELEMENTS_KEY = 'otherElements';

/** Value of an unmodelled element: text, nil (null), a repeated element (list) or child elements (mapping). */
export type OtherElementValue = string | number | boolean | null | OtherElementValue[] | { [element: string]: OtherElementValue };

const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
let otherElementValueSchema: z.ZodType<OtherElementValue> | undefined;
/** One recursive schema for every otherElements value (built once: the lazy refers to itself). */
function otherElementValue(): z.ZodType<OtherElementValue> {
  if (!otherElementValueSchema) {
    const z = zod();
    const value: z.ZodType<OtherElementValue> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(value).min(1), z.record(z.string().regex(ELEMENT_NAME), value)]));
    otherElementValueSchema = value;
  }
  return otherElementValueSchema;
}

/**
 * An `otherElements` key: an element name, or a path to one nested in a modelled element, parent steps
 * separated by `/`, a repeated parent picked by its 1-based position among same-named siblings
 * (`queueMembers/managers`, `skills[2]/weight`; no `[n]` means the first).
 */
export const OTHER_ELEMENT_PATH = /^(?:[A-Za-z_][A-Za-z0-9_.-]*(?:\[[1-9][0-9]*\])?\/)*[A-Za-z_][A-Za-z0-9_.-]*$/;

/** One step of an OTHER_ELEMENT_PATH: element name and 1-based position among same-named siblings. */
export function otherElementSteps(key: string): Array<{ name: string; position: number }> {
  return key.split('/').map((step) => {
    const m = /^(.*?)(?:\[(\d+)\])?$/.exec(step)!;
    return { name: m[1], position: m[2] ? Number(m[2]) : 1 };
  });
}

/**
 * Schema of `otherElements`: element name (or path, see OTHER_ELEMENT_PATH) → value. Import puts here the
 * elements of a file that omni does not model (a newer API version's, like OmniChannelSettings
 * `omniAutoLoginOption` in 68.0), also those nested in a modelled element, and generate writes them back at
 * their alphabetical (WSDL) place among their siblings, so import → generate keeps them byte for byte.
 */
export const otherElementsSchema = (): z.ZodType =>
  zod()
    .record(zod().string().regex(OTHER_ELEMENT_PATH, { error: () => ruleText('SPEC-SCHEMA.otherElementPath') }), otherElementValue())
    .describe(
    'Elements omni does not model (e.g. from a newer API version), written as is at their alphabetical place: element name → text, null (xsi:nil), a list (repeated element) or a mapping (child elements). A key like "queueMembers/managers" or "skills[2]/weight" puts the element inside a modelled one (the second <skills>).',
  );

/** All tables in the order they appear in the spec (and in dependency order, spec §7.4). */
export const TYPE_MAPPINGS: readonly TypeMapping[] = [
  SETTINGS,
  CHANNELS,
  STATUSES,
  DECLINE_REASONS,
  PRESENCE_CONFIGURATIONS,
  ROUTING_CONFIGS,
  QUEUES,
  PERMISSION_SETS,
];

export function mappingForType(type: string): TypeMapping | undefined {
  return TYPE_MAPPINGS.find((m) => m.type === type);
}

/**
 * The metadata type and dotted element path a spec path's value is written to
 * (`['presenceConfigurations', 'miaw', 'afterConversationWork', 'seconds']` → PresenceUserConfig,
 * `afterConvoWorkMaxTime`), or undefined for a path that is no one element's value (a record setting, a
 * whole list, otherElements).
 */
export function elementOfSpecPath(specPath: readonly (string | number)[]): { type: string; path: string } | undefined {
  const mapping = TYPE_MAPPINGS.find((m) => m.specKey === specPath[0]);
  if (!mapping) return undefined;
  const at = mapping.keyed ? 2 : 1;
  const row = mapping.fields.find((r) => r.key === specPath[at]);
  if (!row) return undefined;
  const rest = specPath.slice(at + 1);
  let path: string | undefined;
  if (row.elementPath) path = row.elementPath(rest);
  else if (!row.toElements && row.elements.length === 1) {
    const element = row.elements[0];
    if (rest.length === 0) path = element;
    else if (typeof rest[0] === 'number' && rest.length === 1) path = element;
    else if (typeof rest[0] === 'number' && rest.length === 2 && typeof rest[1] === 'string') path = `${element}.${rest[1]}`;
  }
  return path === undefined ? undefined : { type: mapping.type, path };
}

/** The elements of a row, with the default transform applied. */
export function rowToElements(row: FieldMapping, value: unknown): ElementValue[] {
  return row.toElements ? row.toElements(value) : [{ element: row.elements[0], value }];
}

/**
 * The spec value of a row read from a model. A nil element (`xsi:nil="true"`, null in the model) of a
 * one-element row comes back as null, so the spec keeps it (`key: null`) and generate writes it back.
 */
export function rowFromModel(row: FieldMapping, model: Model): unknown {
  if (row.fromElements) return row.fromElements(model);
  return model[row.elements[0]];
}

/** Rows that can hold a nil value: one element, no transform (a nil inside a transformed row has no spec form). */
export function rowTakesNil(row: FieldMapping): boolean {
  return !row.fromElements && !row.toElements && row.elements.length === 1;
}

/**
 * Keys that look like user assignments. Usernames differ per org, so they never go into the spec
 * (a later issue adds per-org assignment files); the loader reports them with a hint instead of a
 * plain "unknown key".
 */
export const USER_ASSIGNMENT_KEYS: ReadonlyArray<{ specKey: string; inside?: string; key: string }> = [
  { specKey: 'presenceConfigurations', key: 'users' },
  { specKey: 'queues', inside: 'members', key: 'users' },
];

function isRequired(mapping: TypeMapping, row: FieldMapping): boolean {
  if (row.required !== undefined) return row.required;
  const type = getType(mapping.type);
  return !type.partial && elementAt(type, row.elements[0])?.required === true;
}

/** Keys an entry must have, by metadata type: the WSDL-required elements (registry), under their friendly names. */
export const REQUIRED_KEYS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  TYPE_MAPPINGS.map((m) => [m.type, m.fields.filter((row) => isRequired(m, row)).map((row) => row.key)] as const).filter(([, keys]) => keys.length > 0),
);
