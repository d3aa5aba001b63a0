/**
 * Metadata components ⇄ the org's records (spec §6). Each binding knows, for one metadata type, how a
 * deployed document becomes rows (the main record plus junction rows) and how rows render back into
 * a document. Elements the sObject side has no field for (e.g. ServiceChannel.hasAutoAcceptEnabled,
 * the non-Omni parts of a PermissionSet) are kept as deployed in the org's metadata state, and the
 * set of elements a file carried is remembered so a retrieve writes the same shape back.
 */
import type { LocalOrgContext } from '../context.ts';
import { sfNow, type Row } from '../store.ts';
import { findField } from '../schema.ts';
import { seedOmniBuiltins } from '../seed.ts';
import { getType, type ElementDef, type MetadataTypeDef } from './types.ts';
import { DEFAULT_PRESENCE_CONFIG, STANDARD_PROFILES } from '../platform.ts';
import type { XmlNode } from './xml.ts';
import { branch, childrenNamed, leaf, nodesAt, stripPositions, textAt, textsAt } from './nodes.ts';
import { localName } from './xml.ts';
import { staticResource } from './static-resource.ts';

/** A component-level deploy failure with the platform's problem text. */
export class ComponentError extends Error {
  readonly line?: number;
  readonly column?: number;
  constructor(problem: string, at?: { line: number; column: number }) {
    super(problem);
    this.name = 'ComponentError';
    this.line = at && at.line > 0 ? at.line : undefined;
    this.column = at && at.column > 0 ? at.column : undefined;
  }
}

/** What the org remembers per component beyond its records. */
export interface ComponentMemory {
  fullName: string;
  /** Element names the last deployed file carried (the shape a retrieve writes back). */
  present: string[];
  /** Elements without an sObject field, as deployed (position-free nodes). */
  extras: Record<string, XmlNode[]>;
  /** How reference values were spelled in the file (lower case → as written). */
  spelling: Record<string, string>;
  createdDate?: string;
  lastModifiedDate?: string;
}

export interface MetadataState {
  components: Record<string, Record<string, ComponentMemory>>;
  /** OmniChannelSettings values (element → text; null for xsi:nil). */
  settings: Record<string, string | null>;
}

export function metadataState(org: LocalOrgContext): MetadataState {
  const meta = org.store.meta as Record<string, unknown>;
  let state = meta.metadataApi as MetadataState | undefined;
  if (!state || typeof state !== 'object' || !state.components) {
    state = { components: {}, settings: {} };
    meta.metadataApi = state;
  }
  return state;
}

export interface ApplyContext {
  org: LocalOrgContext;
  state: MetadataState;
  apiVersion: number;
  /** fullNames (lower case) per type being deployed in this deployment. */
  deploying: Map<string, Set<string>>;
  /** `user:<id>` / `profile:<id>` → the PresenceUserConfig of this deployment that claimed it first. */
  claims: Map<string, string>;
  /**
   * Work that needs components applied later in the same deployment (a routing configuration's overflow
   * queue deployed beside it): run after every component, failures reported against `typeName`/`fullName`.
   */
  deferred: Array<{ typeName: string; fullName: string; run(): void }>;
}

export interface ComponentRef {
  fullName: string;
  id?: string;
  createdDate?: string;
  lastModifiedDate?: string;
  createdById?: string;
  lastModifiedById?: string;
}

export interface Binding {
  type: MetadataTypeDef;
  /** Omni types disappear from an org without Omni-Channel. */
  list(org: LocalOrgContext): ComponentRef[];
  find(org: LocalOrgContext, fullName: string): ComponentRef | undefined;
  /** Writes the component's records; returns the main record's id. Throws ComponentError/PlatformError. */
  apply(ctx: ApplyContext, fullName: string, root: XmlNode): string | undefined;
  /**
   * The component as a document root, or undefined when it doesn't exist. `full`: every element with a
   * value, whatever shape the last deployed file had (what the org stores, for a deploy's `changed`).
   */
  render(org: LocalOrgContext, fullName: string, apiVersion: number, full?: boolean): XmlNode | undefined;
  /**
   * Deletes an existing component (destructiveChanges): its records, its junction rows and what the org
   * remembers of its file; returns the main record's id. Throws ComponentError where the platform
   * refuses (still referenced, built-in). Callers check `find` first.
   */
  remove(ctx: ApplyContext, fullName: string): string | undefined;
}

const SYSTEM = { system: true };

/** Forgets what the org remembers of a deleted component's file. */
function forget(ctx: ApplyContext, type: MetadataTypeDef, fullName: string): void {
  if (ctx.state.components[type.name]) setMemory(ctx, type.name, fullName, undefined);
}

/**
 * Sets (undefined: deletes) what the org remembers of one component's file. The change is undone with
 * the component's transaction, so a component that fails leaves the memory as it was — at the cost of
 * one undo step, not a copy of the whole state per component (which made a deploy quadratic in its size).
 */
function setMemory(ctx: ApplyContext, typeName: string, fullName: string, memory: ComponentMemory | undefined): void {
  const components = ctx.state.components;
  const created = !components[typeName];
  const table = (components[typeName] ??= {});
  const key = fullName.toLowerCase();
  const had = Object.hasOwn(table, key);
  const previous = table[key];
  if (memory) table[key] = memory;
  else delete table[key];
  ctx.org.store.onRollback(() => {
    if (had) table[key] = previous;
    else delete table[key];
    if (created && components[typeName] === table) delete components[typeName];
  });
}

/** Sets a value of the org beside its records (settings, the Omni switch), undone with the transaction. */
export function setUndoable<T extends object, K extends keyof T>(ctx: Pick<ApplyContext, 'org'>, target: T, key: K, value: T[K]): void {
  const previous = target[key];
  target[key] = value;
  ctx.org.store.onRollback(() => {
    target[key] = previous;
  });
}

/**
 * The platform's refusal to delete what other records still point at (the Data API's DELETE_FAILED
 * wording, naming the referrers): `Your attempt to delete X could not be completed because it is
 * associated with the following <plural>: a, b`.
 */
function stillReferenced(fullName: string, referrers: string, names: string[]): ComponentError {
  return new ComponentError(`Your attempt to delete ${fullName} could not be completed because it is associated with the following ${referrers}: ${names.join(', ')}`);
}

/** DeveloperNames of the records `ids` point at (sorted, de-duplicated). */
function namesOf(org: LocalOrgContext, ids: unknown[], field = 'DeveloperName'): string[] {
  const names = new Set<string>();
  for (const id of ids) {
    const row = typeof id === 'string' ? org.store.get(id) : undefined;
    if (row) names.add(String(row[field] ?? row.Id));
  }
  return [...names].sort((a, b) => a.localeCompare(b));
}

// ---- generic field mapping ------------------------------------------------------------------------

type Conversion = 'text' | 'int' | 'double' | 'bool' | Record<string, string>;

interface FieldMap {
  field: string;
  conversion?: Conversion;
}

function conversionOf(def: ElementDef, map: FieldMap): Conversion {
  if (map.conversion) return map.conversion;
  if (def.kind === 'int') return 'int';
  if (def.kind === 'double') return 'double';
  if (def.kind === 'boolean') return 'bool';
  return 'text';
}

function toField(conversion: Conversion, text: string): unknown {
  if (conversion === 'int') return Number.parseInt(text, 10);
  if (conversion === 'double') return Number(text);
  if (conversion === 'bool') return text === 'true' || text === '1';
  if (typeof conversion === 'object') return conversion[text] ?? text;
  return text;
}

function fromField(conversion: Conversion, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (conversion === 'double') {
    const n = Number(value);
    return Number.isInteger(n) ? `${n}.0` : String(n);
  }
  if (conversion === 'bool') return value ? 'true' : 'false';
  if (typeof conversion === 'object') {
    const back = Object.entries(conversion).find(([, v]) => v === value);
    return back ? back[0] : String(value);
  }
  return String(value);
}

function memoryOf(state: MetadataState, type: string, fullName: string): ComponentMemory | undefined {
  return state.components[type]?.[fullName.toLowerCase()];
}

function remember(ctx: ApplyContext, type: MetadataTypeDef, fullName: string, root: XmlNode, extraNames: readonly string[], spelled: string[]): void {
  const previous = ctx.state.components[type.name]?.[fullName.toLowerCase()];
  const extras: Record<string, XmlNode[]> = {};
  for (const name of extraNames) {
    const nodes = childrenNamed(root, name);
    if (nodes.length) extras[name] = nodes.map(stripPositions);
  }
  const spelling: Record<string, string> = {};
  for (const value of spelled) spelling[value.toLowerCase()] = value;
  const now = sfNow();
  setMemory(ctx, type.name, fullName, {
    fullName,
    present: [...new Set(root.children.map((c) => localName(c.name)))],
    extras,
    spelling,
    createdDate: previous?.createdDate ?? now,
    lastModifiedDate: now,
  });
}

/** Elements to write for a component: those its last deployed file had, or every one with a value. */
function renderElements(
  type: MetadataTypeDef,
  memory: ComponentMemory | undefined,
  apiVersion: number,
  produce: (def: ElementDef) => XmlNode[],
  live: ReadonlySet<string> = new Set(),
  full = false,
): XmlNode {
  const out: XmlNode[] = [];
  for (const def of type.elements) {
    if (def.since !== undefined && apiVersion < def.since) continue;
    // [F-30] Elements that mirror the org's records (assignments, queue members) are rendered from the
    // records whatever the last deployed file held: a retrieve returns the org's current state.
    if (!full && memory && !memory.present.includes(def.name) && !live.has(def.name)) continue;
    const extras = live.has(def.name) ? undefined : memory?.extras[def.name];
    const nodes = extras ?? produce(def);
    out.push(...nodes);
  }
  return branch(type.name, out);
}

function spell(memory: ComponentMemory | undefined, value: string): string {
  return memory?.spelling[value.toLowerCase()] ?? value;
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function refOf(row: Row, fullName: string, memory?: ComponentMemory): ComponentRef {
  return {
    fullName,
    id: row.Id,
    createdDate: String(row.CreatedDate ?? memory?.createdDate ?? sfNow()),
    lastModifiedDate: String(row.LastModifiedDate ?? memory?.lastModifiedDate ?? sfNow()),
    createdById: String(row.CreatedById ?? ''),
    lastModifiedById: String(row.LastModifiedById ?? ''),
  };
}

/** `In field: <field> - no <Target> named <value> found`, the platform's unresolved-reference problem. */
function unresolved(field: string, target: string, value: string, at?: XmlNode): ComponentError {
  return new ComponentError(`In field: ${field} - no ${target} named ${value} found`, at);
}

function byDeveloperName(org: LocalOrgContext, sobject: string, name: string): Row | undefined {
  return org.store.lookup(sobject, 'DeveloperName', name)?.[0];
}

function userByName(org: LocalOrgContext, username: string): Row | undefined {
  return org.store.lookup('User', 'Username', username)?.[0];
}

function queueByName(org: LocalOrgContext, name: string): Row | undefined {
  const row = org.store.lookup('Group', 'DeveloperName', name)?.[0];
  return row && row.Type === 'Queue' ? row : undefined;
}

/** Standard profiles' metadata fullNames differ from their names ([F-20]: `admin`, `standard`, …). */
const STANDARD_PROFILE_NAMES = STANDARD_PROFILES;

function profileByName(org: LocalOrgContext, name: string): Row | undefined {
  const decoded = safeDecode(name);
  for (const candidate of [name, decoded, STANDARD_PROFILE_NAMES[name.toLowerCase()], STANDARD_PROFILE_NAMES[decoded.toLowerCase()]]) {
    if (!candidate) continue;
    const row = org.store.lookup('Profile', 'Name', candidate)?.[0];
    if (row) return row;
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A profile's metadata fullName: standard ones by their short name, custom ones percent-encoded. */
export function profileFullName(row: Row): string {
  const name = String(row.Name);
  const standard = Object.entries(STANDARD_PROFILE_NAMES).find(([, v]) => v === name);
  if (standard) return standard[0] === 'admin' ? 'Admin' : standard[0] === 'standard' ? 'Standard' : name;
  return name.replace(/[^A-Za-z0-9 _.-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Inserts or updates the main record; returns it. */
function upsert(org: LocalOrgContext, sobject: string, existing: Row | undefined, fields: Record<string, unknown>): Row {
  if (!existing) return org.store.insert(sobject, fields, SYSTEM);
  const changed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (existing[k] !== v) changed[k] = v;
  return Object.keys(changed).length ? org.store.update(existing.Id, changed, SYSTEM) : existing;
}

/**
 * Makes the junction rows of `parentId` exactly `targetIds`, in that order: unchanged when they already
 * are, otherwise rewritten (the deploy REPLACES the list — spec §6.2).
 */
function replaceJunction(org: LocalOrgContext, sobject: string, parentField: string, parentId: string, targetField: string, targetIds: string[]): void {
  const current = (org.store.lookup(sobject, parentField, parentId) ?? []).slice();
  const currentTargets = current.map((r) => String(r[targetField]));
  if (sameOrder(currentTargets, targetIds)) return;
  for (const row of current) org.store.delete(row.Id, SYSTEM);
  for (const id of targetIds) org.store.insert(sobject, { [parentField]: parentId, [targetField]: id }, SYSTEM);
}

/** Field values of the mapped elements (absent → the field's default, so removing an element resets it). */
function mappedFields(type: MetadataTypeDef, sobject: string, root: XmlNode, maps: Record<string, FieldMap>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of type.elements) {
    const map = maps[def.name];
    if (!map) continue;
    const text = textAt(root, def.name);
    if (text === undefined) {
      const f = findField(sobject, map.field);
      out[map.field] = f?.defaultValue ?? null;
    } else out[map.field] = toField(conversionOf(def, map), text);
  }
  return out;
}

function mappedNodes(def: ElementDef, map: FieldMap | undefined, row: Row): XmlNode[] {
  if (!map) return [];
  const text = fromField(conversionOf(def, map), row[map.field]);
  return text === undefined ? [] : [leaf(def.name, text)];
}

interface RecordBindingSpec {
  typeName: string;
  sobject: string;
  fields: Record<string, FieldMap>;
  /** Elements handled by `applyMore`/`renderMore` (references, junction rows). */
  custom?: readonly string[];
  /** Custom elements rendered from the records even when the last deployed file lacked them [F-30]. */
  live?: readonly string[];
  /** Extra fields (references) and junction writes; runs before/after the main upsert. */
  before?(ctx: ApplyContext, fullName: string, root: XmlNode): { fields: Record<string, unknown>; spelled: string[] };
  after?(ctx: ApplyContext, fullName: string, root: XmlNode, row: Row): string[];
  renderCustom?(org: LocalOrgContext, def: ElementDef, row: Row, memory: ComponentMemory | undefined): XmlNode[];
  extraFields?: Record<string, unknown>;
  findRow?(org: LocalOrgContext, fullName: string): Row | undefined;
  listRows?(org: LocalOrgContext): Row[];
  nameOf?(row: Row): string;
  /** Throws ComponentError when the platform refuses to delete this component (destructiveChanges). */
  refuseDelete?(ctx: ApplyContext, fullName: string, row: Row): void;
}

function recordBinding(spec: RecordBindingSpec): Binding {
  const type = getType(spec.typeName);
  const custom = new Set(spec.custom ?? []);
  const live = new Set(spec.live ?? []);
  // Live custom elements are kept as deployed too: their renderers merge the deployed parts the org
  // has no records for (a queue's role members) with the records (its user members).
  const extraNames = type.elements.filter((e) => !spec.fields[e.name] && (!custom.has(e.name) || live.has(e.name))).map((e) => e.name);
  const findRow = spec.findRow ?? ((org, fullName) => byDeveloperName(org, spec.sobject, fullName));
  const listRows = spec.listRows ?? ((org) => [...org.store.all(spec.sobject)]);
  const nameOf = spec.nameOf ?? ((row) => String(row.DeveloperName));
  const visible = (org: LocalOrgContext) => !type.requiresOmni || org.omniEnabled;
  return {
    type,
    list(org) {
      if (!visible(org)) return [];
      const state = metadataState(org);
      return listRows(org).map((row) => refOf(row, nameOf(row), memoryOf(state, type.name, nameOf(row))));
    },
    find(org, fullName) {
      if (!visible(org)) return undefined;
      const row = findRow(org, fullName);
      return row ? refOf(row, nameOf(row), memoryOf(metadataState(org), type.name, fullName)) : undefined;
    },
    apply(ctx, fullName, root) {
      const existing = findRow(ctx.org, fullName);
      const more = spec.before?.(ctx, fullName, root) ?? { fields: {}, spelled: [] };
      const fields = { ...mappedFields(type, spec.sobject, root, spec.fields), ...more.fields, ...(spec.extraFields ?? {}) };
      if (!existing && spec.sobject !== 'Group' && spec.sobject !== 'PermissionSet') fields.DeveloperName = fullName;
      const row = upsert(ctx.org, spec.sobject, existing, fields);
      const spelledAfter = spec.after?.(ctx, fullName, root, row) ?? [];
      remember(ctx, type, fullName, root, extraNames, [...more.spelled, ...spelledAfter]);
      return row.Id;
    },
    render(org, fullName, apiVersion, full) {
      if (!visible(org)) return undefined;
      const row = findRow(org, fullName);
      if (!row) return undefined;
      const memory = memoryOf(metadataState(org), type.name, nameOf(row));
      return renderElements(
        type,
        memory,
        apiVersion,
        (def) => {
          // A component never deployed through metadata (a built-in) renders as retrieves show it: the ACW
          // extension elements only with the ACW timer on (no retrieved corpus file writes them with it off).
          if (!memory && ACW_EXTENSION_ELEMENTS.has(def.name) && row.HasAfterConvoWorkTimer !== true) return [];
          return custom.has(def.name) ? (spec.renderCustom?.(org, def, row, memory) ?? []) : mappedNodes(def, spec.fields[def.name], row);
        },
        live,
        full,
      );
    },
    remove(ctx, fullName) {
      const row = findRow(ctx.org, fullName);
      if (!row) return undefined;
      spec.refuseDelete?.(ctx, fullName, row);
      // Junction rows (master-detail children) go with the record: the store cascades them.
      ctx.org.store.delete(row.Id, SYSTEM);
      forget(ctx, type, fullName);
      return row.Id;
    },
  };
}

// ---- the types ------------------------------------------------------------------------------------

const ACW_EXTENSION_ELEMENTS = new Set(['hasAcwExtensionEnabled', 'acwExtensionDuration', 'maxExtensions']);

const ACW_MAPS: Record<string, FieldMap> = {
  acwExtensionDuration: { field: 'AcwExtensionDuration' },
  afterConvoWorkMaxTime: { field: 'AfterConvoWorkMaxTime' },
  hasAcwExtensionEnabled: { field: 'HasAcwExtensionEnabled' },
  hasAfterConvoWorkTimer: { field: 'HasAfterConvoWorkTimer' },
  maxExtensions: { field: 'MaxExtensions' },
};

const serviceChannel = recordBinding({
  typeName: 'ServiceChannel',
  sobject: 'ServiceChannel',
  fields: {
    ...ACW_MAPS,
    capacityModel: { field: 'CapacityModel', conversion: { TAB_BASED: 'TabBased', STATUS_BASED: 'StatusBased' } },
    isInterruptible: { field: 'IsInterruptible' },
    label: { field: 'MasterLabel' },
    relatedEntityType: { field: 'RelatedEntity' },
    secondaryRoutingPriorityField: { field: 'SecRoutingPriorityField' },
    statusField: { field: 'StatusField' },
  },
  before(ctx, _fullName, root) {
    // [F-31] Status-based capacity exists only while OmniChannelSettings.enableOmniStatusCapModel is on.
    const model = nodesAt(root, 'capacityModel').find((n) => (n.text ?? '').trim() === 'STATUS_BASED');
    const mapping = nodesAt(root, 'serviceChannelStatusFieldMappings')[0];
    const at = model ?? mapping;
    if (at && !settingOn(ctx, 'enableOmniStatusCapModel')) {
      throw new ComponentError(
        `${model ? 'capacityModel STATUS_BASED' : 'serviceChannelStatusFieldMappings'}: Status-based capacity isn't enabled in this org. Turn on enableOmniStatusCapModel in OmniChannelSettings first.`,
        at,
      );
    }
    return { fields: {}, spelled: [] };
  },
  refuseDelete(ctx, fullName, row) {
    // A presence status that still lists the channel keeps it.
    const statuses = (ctx.org.store.lookup('ServiceChannelStatus', 'ServiceChannelId', row.Id) ?? []).map((r) => r.ServicePresenceStatusId);
    if (statuses.length) throw stillReferenced(fullName, 'Presence Statuses', namesOf(ctx.org, statuses));
  },
});

function statusId(ctx: ApplyContext, root: XmlNode, element: string): string | null {
  const value = textAt(root, element);
  if (value === undefined || value === '') return null;
  const row = byDeveloperName(ctx.org, 'ServicePresenceStatus', value);
  if (!row) throw unresolved(element, 'ServicePresenceStatus', value, nodesAt(root, element)[0]);
  return row.Id;
}

const servicePresenceStatus = recordBinding({
  typeName: 'ServicePresenceStatus',
  sobject: 'ServicePresenceStatus',
  fields: { label: { field: 'MasterLabel' } },
  custom: ['channels'],
  before(_ctx, _fullName, root) {
    // A status without channels is an Away status (spec §2).
    return { fields: { IsAway: nodesAt(root, 'channels.channel').length === 0 }, spelled: [] };
  },
  after(ctx, _fullName, root, row) {
    const ids: string[] = [];
    const names = nodesAt(root, 'channels.channel');
    for (const node of names) {
      const name = (node.text ?? '').trim();
      const channel = byDeveloperName(ctx.org, 'ServiceChannel', name);
      if (!channel) throw unresolved('channel', 'ServiceChannel', name, node);
      if (ids.includes(channel.Id)) throw new ComponentError(`duplicate value found: channel duplicates value ${name}`, node);
      ids.push(channel.Id);
    }
    replaceJunction(ctx.org, 'ServiceChannelStatus', 'ServicePresenceStatusId', row.Id, 'ServiceChannelId', ids);
    return textsAt(root, 'channels.channel');
  },
  renderCustom(org, def, row, memory) {
    const channels = (org.store.lookup('ServiceChannelStatus', 'ServicePresenceStatusId', row.Id) ?? [])
      .map((r) => org.store.get(String(r.ServiceChannelId)))
      .filter((r): r is Row => Boolean(r))
      .map((r) => leaf('channel', spell(memory, String(r.DeveloperName))));
    return channels.length ? [branch(def.name, channels)] : [];
  },
  refuseDelete(ctx, fullName, row) {
    // Presence configurations that switch agents to this status on decline / push timeout keep it;
    // its channel rows (ServiceChannelStatus) and permission-set grants go with it.
    const configs = [
      ...(ctx.org.store.lookup('PresenceUserConfig', 'PresenceStatusOnDeclineId', row.Id) ?? []),
      ...(ctx.org.store.lookup('PresenceUserConfig', 'PresenceStatusOnPushTimeoutId', row.Id) ?? []),
    ].map((r) => r.Id);
    if (configs.length) throw stillReferenced(fullName, 'Presence Configurations', namesOf(ctx.org, configs));
  },
});

const presenceDeclineReason = recordBinding({
  typeName: 'PresenceDeclineReason',
  sobject: 'PresenceDeclineReason',
  fields: { label: { field: 'MasterLabel' } },
  refuseDelete(ctx, fullName, row) {
    const configs = (ctx.org.store.lookup('PresenceConfigDeclineReason', 'PresenceDeclineReasonId', row.Id) ?? []).map((r) => r.PresenceUserConfigId);
    if (configs.length) throw stillReferenced(fullName, 'Presence Configurations', namesOf(ctx.org, configs));
  },
});

/** The configuration Omni-Channel creates when it is enabled (seedOmniBuiltins); the org keeps it. */
const DEFAULT_CONFIG_NAME = DEFAULT_PRESENCE_CONFIG.developerName;

const presenceUserConfig = recordBinding({
  typeName: 'PresenceUserConfig',
  sobject: 'PresenceUserConfig',
  fields: {
    ...ACW_MAPS,
    capacity: { field: 'Capacity' },
    enableAutoAccept: { field: 'OptionsIsAutoAcceptEnabled' },
    enableDecline: { field: 'OptionsIsDeclineEnabled' },
    enableDeclineReason: { field: 'OptionsIsDeclineReasonEnabled' },
    enableDisconnectSound: { field: 'OptionsIsDisconnectSoundEnabled' },
    enableRequestSound: { field: 'OptionsIsRequestSoundEnabled' },
    interruptibleCapacity: { field: 'InterruptibleCapacity' },
    label: { field: 'MasterLabel' },
  },
  custom: ['assignments', 'declineReasons', 'presenceStatusOnDecline', 'presenceStatusOnPushTimeout'],
  live: ['assignments'],
  refuseDelete(_ctx, fullName) {
    if (fullName.toLowerCase() === DEFAULT_CONFIG_NAME) throw new ComponentError("You can't delete the default presence configuration.");
  },
  before(ctx, _fullName, root) {
    // [F-32] enableAutoAccept and enableDecline are each "available only if the other is false".
    if (textAt(root, 'enableAutoAccept') === 'true' && textAt(root, 'enableDecline') === 'true') {
      throw new ComponentError('enableDecline: Agents can decline work only when auto-accept is off. Set enableAutoAccept or enableDecline to false.', nodesAt(root, 'enableDecline')[0]);
    }
    return {
      fields: {
        PresenceStatusOnDeclineId: statusId(ctx, root, 'presenceStatusOnDecline'),
        PresenceStatusOnPushTimeoutId: statusId(ctx, root, 'presenceStatusOnPushTimeout'),
      },
      spelled: [...textsAt(root, 'presenceStatusOnDecline'), ...textsAt(root, 'presenceStatusOnPushTimeout')],
    };
  },
  after(ctx, fullName, root, row) {
    const reasonIds: string[] = [];
    for (const node of nodesAt(root, 'declineReasons')) {
      const name = (node.text ?? '').trim();
      const reason = byDeveloperName(ctx.org, 'PresenceDeclineReason', name);
      if (!reason) throw unresolved('declineReasons', 'PresenceDeclineReason', name, node);
      if (!reasonIds.includes(reason.Id)) reasonIds.push(reason.Id);
    }
    replaceJunction(ctx.org, 'PresenceConfigDeclineReason', 'PresenceUserConfigId', row.Id, 'PresenceDeclineReasonId', reasonIds);

    const userIds = assignmentTargets(ctx, fullName, root, row, 'user');
    const profileIds = assignmentTargets(ctx, fullName, root, row, 'profile');
    replaceJunction(ctx.org, 'PresenceUserConfigUser', 'PresenceUserConfigId', row.Id, 'UserId', userIds);
    replaceJunction(ctx.org, 'PresenceUserConfigProfile', 'PresenceUserConfigId', row.Id, 'ProfileId', profileIds);
    return [...textsAt(root, 'declineReasons'), ...textsAt(root, 'assignments.users.user'), ...textsAt(root, 'assignments.profiles.profile')];
  },
  renderCustom(org, def, row, memory) {
    const name = (id: unknown) => {
      const target = id ? org.store.get(String(id)) : undefined;
      return target ? spell(memory, String(target.DeveloperName)) : undefined;
    };
    if (def.name === 'presenceStatusOnDecline' || def.name === 'presenceStatusOnPushTimeout') {
      const value = name(row[def.name === 'presenceStatusOnDecline' ? 'PresenceStatusOnDeclineId' : 'PresenceStatusOnPushTimeoutId']);
      return value ? [leaf(def.name, value)] : [];
    }
    if (def.name === 'declineReasons') {
      return (org.store.lookup('PresenceConfigDeclineReason', 'PresenceUserConfigId', row.Id) ?? [])
        .map((r) => name(r.PresenceDeclineReasonId))
        .filter((v): v is string => Boolean(v))
        .map((v) => leaf('declineReasons', v));
    }
    // assignments: profiles before users (WSDL order).
    const profiles = (org.store.lookup('PresenceUserConfigProfile', 'PresenceUserConfigId', row.Id) ?? [])
      .map((r) => org.store.get(String(r.ProfileId)))
      .filter((r): r is Row => Boolean(r))
      .map((p) => leaf('profile', spellProfile(memory, p)));
    const users = (org.store.lookup('PresenceUserConfigUser', 'PresenceUserConfigId', row.Id) ?? [])
      .map((r) => org.store.get(String(r.UserId)))
      .filter((r): r is Row => Boolean(r))
      .map((u) => leaf('user', spell(memory, String(u.Username))));
    const parts: XmlNode[] = [];
    if (profiles.length) parts.push(branch('profiles', profiles));
    if (users.length) parts.push(branch('users', users));
    return parts.length ? [branch('assignments', parts)] : [];
  },
});

/** A profile as the file named it (any of its accepted spellings), else its metadata fullName. */
function spellProfile(memory: ComponentMemory | undefined, profile: Row): string {
  const fullName = profileFullName(profile);
  for (const written of Object.values(memory?.spelling ?? {})) {
    const lower = written.toLowerCase();
    if (lower === String(profile.Name).toLowerCase() || lower === fullName.toLowerCase() || STANDARD_PROFILE_NAMES[lower] === profile.Name) return written;
  }
  return fullName;
}

/**
 * Resolves `assignments/users/user` or `assignments/profiles/profile` and enforces "one presence
 * configuration per user and per profile" against the org and the rest of the deployment.
 */
function assignmentTargets(ctx: ApplyContext, fullName: string, root: XmlNode, row: Row, kind: 'user' | 'profile'): string[] {
  const junction = kind === 'user' ? 'PresenceUserConfigUser' : 'PresenceUserConfigProfile';
  const targetField = kind === 'user' ? 'UserId' : 'ProfileId';
  const deploying = ctx.deploying.get('PresenceUserConfig') ?? new Set<string>();
  const ids: string[] = [];
  for (const node of nodesAt(root, kind === 'user' ? 'assignments.users.user' : 'assignments.profiles.profile')) {
    const value = (node.text ?? '').trim();
    const target = kind === 'user' ? userByName(ctx.org, value) : profileByName(ctx.org, value);
    if (!target) throw kind === 'user' ? unresolved('userName', 'User', value, node) : unresolved('profile', 'Profile', value, node);
    if (ids.includes(target.Id)) throw new ComponentError(`duplicate value found: ${kind === 'user' ? 'userName' : 'profile'} duplicates value ${value}`, node);
    // The first configuration of the deployment (in apply order) to list a user or profile keeps it.
    const claimant = ctx.claims.get(`${kind}:${target.Id}`);
    if (claimant && claimant.toLowerCase() !== fullName.toLowerCase()) {
      throw new ComponentError(`duplicate value found: ${kind === 'user' ? 'userName' : 'profile'} ${value} is also assigned by presence configuration ${claimant} in this deployment`, node);
    }
    ctx.claims.set(`${kind}:${target.Id}`, fullName);
    for (const held of ctx.org.store.lookup(junction, targetField, target.Id) ?? []) {
      if (held.PresenceUserConfigId === row.Id) continue;
      const holder = ctx.org.store.get(String(held.PresenceUserConfigId));
      const holderName = String(holder?.DeveloperName ?? '').toLowerCase();
      // The other configuration is in this deployment and no longer lists it: it moves here.
      if (holder && deploying.has(holderName)) ctx.org.store.delete(held.Id, SYSTEM);
      else throw new ComponentError(`duplicate value found: ${kind === 'user' ? 'userName' : 'profile'} duplicates value on record with id: ${String(held.PresenceUserConfigId)}`, node);
    }
    ids.push(target.Id);
  }
  return ids;
}

/** An OmniChannelSettings switch as the org holds it now (deployed earlier or earlier in this deployment). */
function settingOn(ctx: ApplyContext, name: string): boolean {
  return ctx.state.settings[name] === 'true';
}

/**
 * [F-35] The overflow assignee is a user or a queue without a routing configuration of its own
 * (Salesforce Help, "Create Routing Configurations": overflow assignee).
 */
function overflowQueueAllowed(ctx: ApplyContext, queue: Row, queueName: string, at: XmlNode | undefined): void {
  if (!queue.QueueRoutingConfigId) return;
  const config = ctx.org.store.get(String(queue.QueueRoutingConfigId));
  throw new ComponentError(
    `In field: queueOverflowAssignee - the queue ${queueName} has the routing configuration ${String(config?.DeveloperName ?? queue.QueueRoutingConfigId)}; an overflow queue must be a queue without a routing configuration`,
    at,
  );
}

const ROUTING_MODELS = { LEAST_ACTIVE: 'LeastActive', MOST_AVAILABLE: 'MostAvailable', EXTERNAL_ROUTING: 'ExternalRouting' };

const queueRoutingConfig = recordBinding({
  typeName: 'QueueRoutingConfig',
  sobject: 'QueueRoutingConfig',
  fields: {
    capacityPercentage: { field: 'CapacityPercentage' },
    capacityWeight: { field: 'CapacityWeight' },
    dropAdditionalSkillsTimeout: { field: 'DropAdditionalSkillsTimeout' },
    isAttributeBased: { field: 'IsAttributeBased' },
    label: { field: 'MasterLabel' },
    pausedCapacityPercentage: { field: 'PausedCapacityPercentage' },
    pausedCapacityWeight: { field: 'PausedCapacityWeight' },
    pushTimeout: { field: 'PushTimeout' },
    routingModel: { field: 'RoutingModel', conversion: ROUTING_MODELS },
    routingPriority: { field: 'RoutingPriority' },
  },
  custom: ['queueOverflowAssignee', 'userOverflowAssignee'],
  before(ctx, fullName, root) {
    const queueName = textAt(root, 'queueOverflowAssignee');
    const username = textAt(root, 'userOverflowAssignee');
    if (queueName && username) {
      throw new ComponentError('You can specify either a queue or a user as the overflow assignee, not both.', nodesAt(root, 'userOverflowAssignee')[0]);
    }
    let overflow: string | null = null;
    if (queueName) {
      const at = nodesAt(root, 'queueOverflowAssignee')[0];
      const queue = queueByName(ctx.org, queueName);
      const deployedHere = ctx.deploying.get('Queue')?.has(queueName.toLowerCase()) ?? false;
      if (deployedHere) {
        // [F-33] Components of one deployment resolve against each other: the queue (which may itself
        // name this configuration) is applied later, so the overflow is set once every component is in.
        ctx.deferred.push({
          typeName: 'QueueRoutingConfig',
          fullName,
          run: () => {
            const target = queueByName(ctx.org, queueName);
            if (!target) throw unresolved('queueOverflowAssignee', 'Queue', queueName, at);
            overflowQueueAllowed(ctx, target, queueName, at);
            const row = byDeveloperName(ctx.org, 'QueueRoutingConfig', fullName)!;
            if (row.OverflowAssigneeId !== target.Id) ctx.org.store.update(row.Id, { OverflowAssigneeId: target.Id }, SYSTEM);
          },
        });
        overflow = queue?.Id ?? null;
      } else {
        if (!queue) throw unresolved('queueOverflowAssignee', 'Queue', queueName, at);
        overflowQueueAllowed(ctx, queue, queueName, at);
        overflow = queue.Id;
      }
    } else if (username) {
      const user = userByName(ctx.org, username);
      if (!user) throw unresolved('userOverflowAssignee', 'User', username, nodesAt(root, 'userOverflowAssignee')[0]);
      overflow = user.Id;
    }
    const skills = nodesAt(root, 'skills');
    // [F-34] Skills-based routing exists only while OmniChannelSettings.enableOmniSkillsRouting is on.
    if (skills.length && !settingOn(ctx, 'enableOmniSkillsRouting')) {
      throw new ComponentError("skills: Skills-based routing isn't enabled in this org. Turn on enableOmniSkillsRouting in OmniChannelSettings first.", skills[0]);
    }
    for (const node of nodesAt(root, 'skills.skill')) {
      const skill = (node.text ?? '').trim();
      if (!byDeveloperName(ctx.org, 'Skill', skill)) throw unresolved('skill', 'Skill', skill, node);
    }
    return { fields: { OverflowAssigneeId: overflow }, spelled: [...(queueName ? [queueName] : []), ...(username ? [username] : [])] };
  },
  after(ctx, _fullName, root, row) {
    // [F-59] skills become QueueRoutingConfigSkill rows, exactly those listed.
    const listed = nodesAt(root, 'skills.skill').map((n) => byDeveloperName(ctx.org, 'Skill', (n.text ?? '').trim())?.Id).filter((id): id is string => Boolean(id));
    const existing = ctx.org.store.lookup('QueueRoutingConfigSkill', 'QueueRoutingConfigId', row.Id) ?? [];
    for (const r of existing) if (!listed.includes(String(r.SkillId))) ctx.org.store.delete(r.Id, SYSTEM);
    for (const id of listed) if (!existing.some((r) => r.SkillId === id)) ctx.org.store.insert('QueueRoutingConfigSkill', { QueueRoutingConfigId: row.Id, SkillId: id }, SYSTEM);
    return [];
  },
  renderCustom(org, def, row, memory) {
    const target = row.OverflowAssigneeId ? org.store.get(String(row.OverflowAssigneeId)) : undefined;
    if (!target) return [];
    const isUser = String(target.Id).startsWith('005');
    if (def.name === 'userOverflowAssignee' && isUser) return [leaf(def.name, spell(memory, String(target.Username)))];
    if (def.name === 'queueOverflowAssignee' && !isUser) return [leaf(def.name, spell(memory, String(target.DeveloperName)))];
    return [];
  },
  refuseDelete(ctx, fullName, row) {
    const queues = (ctx.org.store.lookup('Group', 'QueueRoutingConfigId', row.Id) ?? []).map((r) => r.Id);
    if (queues.length) throw stillReferenced(fullName, 'Queues', namesOf(ctx.org, queues));
  },
});

const queue = recordBinding({
  typeName: 'Queue',
  sobject: 'Group',
  fields: {
    doesSendEmailToMembers: { field: 'DoesSendEmailToMembers' },
    email: { field: 'Email' },
    name: { field: 'Name' },
  },
  custom: ['queueMembers', 'queueRoutingConfig'],
  live: ['queueMembers'],
  findRow: (org, fullName) => queueByName(org, fullName),
  listRows: (org) => org.store.findBy('Group', 'Type', 'Queue'),
  before(ctx, fullName, root) {
    const configName = textAt(root, 'queueRoutingConfig');
    let configId: string | null = null;
    if (configName) {
      const config = ctx.org.omniEnabled ? byDeveloperName(ctx.org, 'QueueRoutingConfig', configName) : undefined;
      if (!config) throw unresolved('queueRoutingConfig', 'QueueRoutingConfig', configName, nodesAt(root, 'queueRoutingConfig')[0]);
      configId = config.Id;
    }
    for (const node of nodesAt(root, 'queueMembers.users.user')) {
      const username = (node.text ?? '').trim();
      if (!userByName(ctx.org, username)) throw unresolved('user', 'User', username, node);
    }
    const existing = queueByName(ctx.org, fullName);
    return {
      fields: { QueueRoutingConfigId: configId, ...(existing ? {} : { DeveloperName: fullName, Type: 'Queue' }) },
      spelled: configName ? [configName] : [],
    };
  },
  after(ctx, _fullName, root, row) {
    // queueSobject becomes QueueSobject rows (exactly those listed); user and public group members
    // become GroupMember rows (added; members added in the org are kept).
    const listed = nodesAt(root, 'queueSobject.sobjectType').map((n) => (n.text ?? '').trim()).filter(Boolean);
    const existing = ctx.org.store.lookup('QueueSobject', 'QueueId', row.Id) ?? [];
    for (const r of existing) if (!listed.includes(String(r.SobjectType))) ctx.org.store.delete(r.Id, SYSTEM);
    for (const type of listed) if (!existing.some((r) => r.SobjectType === type)) ctx.org.store.insert('QueueSobject', { QueueId: row.Id, SobjectType: type }, SYSTEM);
    const members = new Set((ctx.org.store.lookup('GroupMember', 'GroupId', row.Id) ?? []).map((r) => String(r.UserOrGroupId)));
    const add = (id: string | undefined) => {
      if (id && !members.has(id)) ctx.org.store.insert('GroupMember', { GroupId: row.Id, UserOrGroupId: id }, SYSTEM);
      if (id) members.add(id);
    };
    for (const node of nodesAt(root, 'queueMembers.users.user')) add(userByName(ctx.org, (node.text ?? '').trim())?.Id);
    for (const node of nodesAt(root, 'queueMembers.publicGroups.publicGroup')) add(byDeveloperName(ctx.org, 'Group', (node.text ?? '').trim())?.Id);
    // [F-37] retrieve renders the members the org holds now (renderCustom below).
    return textsAt(root, 'queueMembers.users.user');
  },
  renderCustom(org, def, row, memory) {
    if (def.name === 'queueMembers') {
      // The deployed non-user members (public groups, roles) as deployed, then the users the org has now.
      const deployed = (memory?.extras.queueMembers?.[0]?.children ?? []).filter((c) => localName(c.name) !== 'users');
      const users = (org.store.lookup('GroupMember', 'GroupId', row.Id) ?? [])
        .map((m) => org.store.get(String(m.UserOrGroupId)))
        .filter((u): u is Row => Boolean(u) && String(u!.Id).startsWith('005'))
        .map((u) => leaf('user', spell(memory, String(u.Username))));
      const children = [...deployed, ...(users.length ? [branch('users', users)] : [])];
      return children.length ? [branch('queueMembers', children)] : [];
    }
    const config = row.QueueRoutingConfigId ? org.store.get(String(row.QueueRoutingConfigId)) : undefined;
    return config ? [leaf(def.name, spell(memory, String(config.DeveloperName)))] : [];
  },
  refuseDelete(ctx, fullName, row) {
    const configs = (ctx.org.store.lookup('QueueRoutingConfig', 'OverflowAssigneeId', row.Id) ?? []).map((r) => r.Id);
    if (configs.length) throw stillReferenced(fullName, 'Routing Configurations', namesOf(ctx.org, configs));
  },
});

// ---- PermissionSet / Profile: the Omni part as SetupEntityAccess rows, the rest as deployed ----------

function grantsFrom(ctx: ApplyContext, root: XmlNode): { granted: string[]; spelled: string[] } {
  const granted: string[] = [];
  const spelled: string[] = [];
  for (const access of nodesAt(root, 'servicePresenceStatusAccesses')) {
    const nameNode = childrenNamed(access, 'servicePresenceStatus')[0];
    const name = (nameNode?.text ?? '').trim();
    const enabled = (childrenNamed(access, 'enabled')[0]?.text ?? '').trim() === 'true';
    const status = ctx.org.omniEnabled ? byDeveloperName(ctx.org, 'ServicePresenceStatus', name) : undefined;
    if (!status) throw unresolved('servicePresenceStatus', 'ServicePresenceStatus', name, nameNode ?? access);
    spelled.push(name);
    if (enabled && !granted.includes(status.Id)) granted.push(status.Id);
  }
  return { granted, spelled };
}

/** The grant rows of a permission set become exactly `statusIds` (kept rows keep their ids). */
function replaceGrants(org: LocalOrgContext, permissionSetId: string, statusIds: string[]): void {
  const current = org.store.lookup('SetupEntityAccess', 'ParentId', permissionSetId) ?? [];
  for (const row of current) if (!statusIds.includes(String(row.SetupEntityId))) org.store.delete(row.Id, SYSTEM);
  const kept = new Set(current.map((r) => String(r.SetupEntityId)));
  for (const id of statusIds) if (!kept.has(id)) org.store.insert('SetupEntityAccess', { ParentId: permissionSetId, SetupEntityId: id }, SYSTEM);
}

/**
 * Status accesses as rendered: the deployed entries in their order with `enabled` from the grant rows,
 * then grants made outside metadata, sorted by status name.
 */
function renderGrants(org: LocalOrgContext, permissionSetId: string | undefined, memory: ComponentMemory | undefined): XmlNode[] {
  const rows = permissionSetId ? (org.store.lookup('SetupEntityAccess', 'ParentId', permissionSetId) ?? []) : [];
  const grantedNames = new Map<string, string>();
  for (const r of rows) {
    const status = org.store.get(String(r.SetupEntityId));
    if (status) grantedNames.set(String(status.DeveloperName).toLowerCase(), String(status.DeveloperName));
  }
  const out: XmlNode[] = [];
  const seen = new Set<string>();
  const entry = (name: string, enabled: boolean) =>
    branch('servicePresenceStatusAccesses', [leaf('enabled', enabled ? 'true' : 'false'), leaf('servicePresenceStatus', name)]);
  for (const node of memory?.extras.__statusAccesses ?? []) {
    const name = (childrenNamed(node, 'servicePresenceStatus')[0]?.text ?? '').trim();
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const status = org.omniEnabled ? byDeveloperName(org, 'ServicePresenceStatus', name) : undefined;
    if (!status) continue;
    out.push(entry(name, grantedNames.has(key)));
  }
  for (const [key, name] of [...grantedNames].sort((a, b) => a[0].localeCompare(b[0]))) if (!seen.has(key)) out.push(entry(name, true));
  return out;
}

function accessBinding(typeName: 'PermissionSet' | 'Profile'): Binding {
  const type = getType(typeName);
  const mapped = typeName === 'PermissionSet' ? ['label', 'description'] : ['description'];
  const extraNames = type.elements.filter((e) => !mapped.includes(e.name) && e.name !== 'servicePresenceStatusAccesses').map((e) => e.name);
  const ownedSet = (org: LocalOrgContext, profileId: string) =>
    (org.store.lookup('PermissionSet', 'ProfileId', profileId) ?? []).find((p) => p.IsOwnedByProfile === true);
  const rowOf = (org: LocalOrgContext, fullName: string): Row | undefined => {
    if (typeName === 'Profile') return profileByName(org, fullName);
    const row = org.store.lookup('PermissionSet', 'Name', fullName)?.[0];
    return row && row.IsOwnedByProfile !== true ? row : undefined;
  };
  const nameOf = (org: LocalOrgContext, row: Row): string => {
    if (typeName === 'PermissionSet') return String(row.Name);
    // A profile deployed under some spelling keeps that fullName.
    const table = metadataState(org).components.Profile ?? {};
    const remembered = Object.values(table).find((m) => profileByName(org, m.fullName)?.Id === row.Id);
    return remembered?.fullName ?? profileFullName(row);
  };
  const permissionSetIdOf = (org: LocalOrgContext, row: Row) => (typeName === 'Profile' ? ownedSet(org, row.Id)?.Id : row.Id);
  return {
    type,
    list(org) {
      const rows = typeName === 'Profile' ? [...org.store.all('Profile')] : [...org.store.all('PermissionSet')].filter((p) => p.IsOwnedByProfile !== true);
      return rows.map((row) => refOf(row, nameOf(org, row)));
    },
    find(org, fullName) {
      const row = rowOf(org, fullName);
      return row ? refOf(row, nameOf(org, row)) : undefined;
    },
    apply(ctx, fullName, root) {
      const { granted, spelled } = grantsFrom(ctx, root);
      let row = rowOf(ctx.org, fullName);
      const description = textAt(root, 'description') ?? null;
      if (typeName === 'PermissionSet') {
        row = upsert(ctx.org, 'PermissionSet', row, { Name: fullName, Label: textAt(root, 'label') ?? fullName, Description: description });
      } else {
        // Deploying a profile the org lacks creates a custom profile, with its profile-owned permission set.
        row = upsert(ctx.org, 'Profile', row, { ...(row ? {} : { Name: safeDecode(fullName) }), Description: description });
        if (!ownedSet(ctx.org, row.Id)) {
          ctx.org.store.insert('PermissionSet', { Name: `X${row.Id.slice(0, 15)}`, Label: `${String(row.Name)} (profile)`, IsOwnedByProfile: true, ProfileId: row.Id }, SYSTEM);
        }
      }
      replaceGrants(ctx.org, permissionSetIdOf(ctx.org, row)!, granted);
      remember(ctx, type, fullName, root, extraNames, spelled);
      const memory = memoryOf(ctx.state, type.name, fullName)!;
      const accesses = nodesAt(root, 'servicePresenceStatusAccesses');
      if (accesses.length) memory.extras.__statusAccesses = accesses.map(stripPositions);
      return row.Id;
    },
    render(org, fullName, apiVersion) {
      const row = rowOf(org, fullName);
      if (!row) return undefined;
      const memory = memoryOf(metadataState(org), type.name, fullName) ?? memoryOf(metadataState(org), type.name, nameOf(org, row));
      const out: XmlNode[] = [];
      for (const def of type.elements) {
        if (def.since !== undefined && apiVersion < def.since) continue;
        if (def.name === 'servicePresenceStatusAccesses') out.push(...renderGrants(org, permissionSetIdOf(org, row), memory));
        else if (def.name === 'label' && typeName === 'PermissionSet') out.push(leaf('label', String(row.Label)));
        else if (def.name === 'description') {
          if (row.Description !== null && row.Description !== undefined && (!memory || memory.present.includes('description'))) out.push(leaf('description', String(row.Description)));
        } else out.push(...(memory?.extras[def.name] ?? []));
      }
      return branch(type.name, out);
    },
    remove(ctx, fullName) {
      const row = rowOf(ctx.org, fullName);
      if (!row) return undefined;
      const { store } = ctx.org;
      if (typeName === 'PermissionSet') {
        const assignees = (store.lookup('PermissionSetAssignment', 'PermissionSetId', row.Id) ?? []).map((r) => r.AssigneeId);
        if (assignees.length) throw stillReferenced(fullName, 'Permission Set Assignments', namesOf(ctx.org, assignees, 'Username'));
        store.delete(row.Id, SYSTEM);
      } else {
        // Standard profiles come with the org; a profile users still have stays.
        if (Object.values(STANDARD_PROFILE_NAMES).includes(String(row.Name))) throw new ComponentError(`Cannot delete standard profile ${String(row.Name)}.`);
        const users = (store.lookup('User', 'ProfileId', row.Id) ?? []).map((r) => r.Id);
        if (users.length) throw stillReferenced(fullName, 'Users', namesOf(ctx.org, users, 'Username'));
        const owned = ownedSet(ctx.org, row.Id);
        if (owned) store.delete(owned.Id, SYSTEM);
        store.delete(row.Id, SYSTEM);
      }
      forget(ctx, type, fullName);
      return row.Id;
    },
  };
}

// ---- OmniChannelSettings: the Omni switch ------------------------------------------------------------

const omniChannelSettings: Binding = (() => {
  const type = getType('OmniChannelSettings');
  const FULL_NAME = type.fixedFullName ?? 'OmniChannel';
  const ref = (org: LocalOrgContext): ComponentRef => {
    const memory = memoryOf(metadataState(org), type.name, FULL_NAME);
    return { fullName: FULL_NAME, createdDate: memory?.createdDate, lastModifiedDate: memory?.lastModifiedDate, createdById: org.userId, lastModifiedById: org.userId };
  };
  return {
    type,
    list: (org) => [ref(org)],
    find: (org, fullName) => (fullName.toLowerCase() === FULL_NAME.toLowerCase() ? ref(org) : undefined),
    apply(ctx, _fullName, root) {
      const values: Record<string, string | null> = {};
      for (const def of type.elements) {
        // Retrieved settings files carry unset values as xsi:nil; they stay unset (null).
        if (nodesAt(root, def.name)[0]?.nil) values[def.name] = null;
        const text = textAt(root, def.name);
        if (text !== undefined) values[def.name] = text;
      }
      // [F-36] assumed: a settings file updates the fields it names; the others keep their values.
      setUndoable(ctx, ctx.state, 'settings', { ...ctx.state.settings, ...values });
      if (values.enableOmniChannel === 'true' && !ctx.org.omniEnabled) {
        setUndoable(ctx, ctx.org, 'omniEnabled', true);
        // Enabling Omni-Channel gives the org its built-in channels and default configuration.
        seedOmniBuiltins(ctx.org.store);
      } else if (values.enableOmniChannel === 'false') {
        setUndoable(ctx, ctx.org, 'omniEnabled', false);
      }
      remember(ctx, type, FULL_NAME, root, [], []);
      return undefined;
    },
    render(org, _fullName, apiVersion, full) {
      const state = metadataState(org);
      const memory = memoryOf(state, type.name, FULL_NAME);
      return renderElements(type, memory, apiVersion, (def) => {
        if (def.name === 'enableOmniChannel') return [leaf(def.name, String(org.omniEnabled))];
        const value = state.settings[def.name];
        return value === null && memory ? [{ ...leaf(def.name, ''), text: undefined, nil: true }] : [leaf(def.name, value ?? 'false')];
      }, undefined, full);
    },
    remove() {
      // Settings are switched off by deploying them, never deleted.
      throw new ComponentError("Settings can't be deleted; deploy OmniChannelSettings with the values you want instead.");
    },
  };
})();

export const BINDINGS: readonly Binding[] = [
  omniChannelSettings,
  serviceChannel,
  servicePresenceStatus,
  presenceDeclineReason,
  presenceUserConfig,
  queueRoutingConfig,
  queue,
  accessBinding('PermissionSet'),
  accessBinding('Profile'),
  staticResource,
];

export function bindingFor(typeName: string): Binding | undefined {
  return BINDINGS.find((b) => b.type.name === typeName);
}

/** The binding of a package.xml type name (`Settings` → OmniChannelSettings). */
export function bindingForPackageType(packageTypeName: string): Binding | undefined {
  return BINDINGS.find((b) => b.type.packageTypeName === packageTypeName);
}

