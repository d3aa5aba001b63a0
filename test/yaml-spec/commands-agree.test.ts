/**
 * Commands agree on a value: whatever one value of a spec key is, the spec (load, as generate and validate
 * read config/omni-channel.yaml), the XML check (`omni validate` of the file that key writes) and import
 * (XML → spec, as `omni import` refuses or takes the file) give it one verdict, and the XML generate writes
 * for a value the spec accepts passes the XML check. Deploy runs the same offline
 * checks first, so it agrees with them.
 *
 * Where both refuse a value of the element's kind, they say it with the same rule id and message.
 *
 * The expected verdict of each value comes from the reference documents, never from the code under test:
 * ../shared/reference/salesforce-omni-spec.md (§0.3 developer names and labels, §1.2, §4, §5.1, §10 rules) and
 * the XSD's types (xsd:int is a signed 32-bit whole number, XML Schema Part 2 §3.3.17; xsd:double a finite
 * number here). Where the documents give no range (the paused capacities and dropAdditionalSkillsTimeout,
 * §5.1), the product's decision is written here: at least 0, a percentage at most 100.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMetadata } from '../../scripts/metadata/document.ts';
import { fromModel } from '../../scripts/metadata/model.ts';
import { getType, sourceFilePath } from '../../scripts/metadata/registry.ts';
import { serializeMetadata } from '../../scripts/metadata/serialize.ts';
import { validateDocuments } from '../../scripts/validate/index.ts';
import { importDocuments } from '../../scripts/yaml-spec/import.ts';
import { specToDocuments } from '../../scripts/yaml-spec/compile.ts';
import { loadSpecText } from '../../scripts/yaml-spec/load.ts';

// ── what the documents say a value may be ─────────────────────────────────────────────────────────────

/** §0.3 / §10 rule 2: a letter first, letters, digits and single underscores, no trailing `_`, ≤ 80 characters. */
const DEVELOPER_NAME = /^[A-Za-z](?!.*__)[A-Za-z0-9_]*(?<!_)$/;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

interface Kind {
  values: fc.Arbitrary<unknown>;
  /** The expected verdict (reference documents). */
  ok: (value: unknown) => boolean;
  /**
   * The expected verdict on the value as XML text (and import, which reads it), where it differs from `ok`: an
   * xsd:boolean's whiteSpace is "collapse" (XML Schema Part 2 §3.2.2, §4.3.6), so the text ` true` is the boolean
   * true there, while the YAML string " true" is no boolean. Padded numbers: test/metadata/xsd-whitespace.test.ts.
   */
  xmlOk?: (value: unknown) => boolean;
  /** The value as the XML element's text. */
  xml: (value: unknown) => string;
  /** A whole number's kind (xsd:int in XML, except maxExtensions' xsd:string). */
  whole?: true;
}

// Text pieces: XML-special characters, spaces of several kinds (a value of only spaces reads back empty),
// astral characters. No character XML 1.0 forbids (neither side can carry one: test/lib/input-file tests).
const piece = fc.constantFrom('a', 'Z', '9', '_', ' ', '\t', '\u00A0', '&', '<', '"', "'", 'é', '𝄞', '{!User_Alias}', '-', '.', '@');
const anyText = fc.oneof(
  fc.constantFrom('', ' ', '\t ', '\u00A0'),
  fc.string({ unit: piece, maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('a', ' ', 'é'), minLength: 78, maxLength: 83 }),
);
const blank = (v: string) => !/\S/.test(v);

/** Text of at least one non-space character (an empty element sets nothing), at most `max` characters when given (§0.3 labels: 80). */
const text = (max?: number): Kind => ({
  values: anyText,
  ok: (v) => typeof v === 'string' && !blank(v) && (max === undefined || v.length <= max),
  xml: (v) => String(v),
});

const developerName: Kind = {
  values: fc.oneof(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,84}$/), fc.constantFrom('Wrong Queue', 'A__B', 'Agents_', '1st_Line', 'Ünïcode', ''), anyText),
  ok: (v) => typeof v === 'string' && v.length <= 80 && DEVELOPER_NAME.test(v),
  xml: (v) => String(v),
};

/**
 * A reference to a component by developer name: a developer name, or a managed package's component as a
 * subscriber org's metadata names it, `namespacePrefix__ComponentName` (Metadata API Developer Guide, "Metadata",
 * fullName: the prefix is "a 1-character to 15-character alphanumeric identifier"; a letter first). The
 * developer name after the prefix is held to §0.3 as any other. A component's own name takes no prefix.
 */
const NAMESPACED = /^[A-Za-z][A-Za-z0-9]{0,14}__(.*)$/s;
const isDeveloperName = (v: string) => v.length <= 80 && DEVELOPER_NAME.test(v);
const reference: Kind = {
  values: fc.oneof(
    developerName.values,
    fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,16}$/), developerName.values).map(([ns, name]) => `${ns}__${name}`),
    fc.constantFrom('acme__Away', 'ns1__Tier_1_Agents', `abcdefghijklmno__${'B'.repeat(80)}`, 'abcdefghijklmnop__Away', '1ns__Away', '__Away', 'acme__', 'acme__B__C', 'acme_x__Away', 'ac me__Away'),
  ),
  ok: (v) => typeof v === 'string' && (isDeveloperName(v) || isDeveloperName(NAMESPACED.exec(v)?.[1] ?? '')),
  xml: (v) => String(v),
};

/**
 * A component's name, as a file name can hold it (no path separator) and as YAML takes a key (`__proto__` is
 * refused by the YAML reader before any rule: test/lib/yaml-input tests).
 */
const componentName: Kind = {
  values: developerName.values.filter((v) => typeof v === 'string' && !/[/\\]/.test(v) && v !== '__proto__'),
  ok: developerName.ok,
  xml: developerName.xml,
};

/** A whole number in [min, max] and in xsd:int. */
const int = (min = INT_MIN, max = INT_MAX): Kind => ({
  values: fc.oneof(
    fc.integer({ min: -20, max: 4000 }),
    fc.integer(),
    fc.constantFrom(min - 1, min, min + 1, max - 1, max, max + 1, INT_MAX, INT_MAX + 1, INT_MIN - 1, 100000, 1.5, 2 ** 53),
  ),
  ok: (v) => typeof v === 'number' && Number.isInteger(v) && v >= Math.max(min, INT_MIN) && v <= Math.min(max, INT_MAX),
  xml: (v) => String(v),
  whole: true,
});

/** A finite number above `above` (exclusive) or from `min`, at most `max`. */
const number = (bounds: { above?: number; min?: number; max?: number }): Kind => ({
  values: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 200 }), fc.constantFrom(-1, -0.5, 0, 0.5, 1, 99.99, 100, 100.01, 1e6)),
  ok: (v) =>
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (bounds.above === undefined || v > bounds.above) &&
    (bounds.min === undefined || v >= bounds.min) &&
    (bounds.max === undefined || v <= bounds.max),
  xml: (v) => String(v),
});

/** xsd:boolean as §10 rule 4 writes it: true or false (a YAML boolean; in XML the text `true` or `false`). */
const bool: Kind = {
  // Text that reads as a boolean elsewhere ("TRUE", "1", "yes"); the strings "true"/"false" are left out: as
  // YAML text they are a string, as XML text the boolean itself — two values, not one.
  values: fc.oneof(fc.boolean(), fc.constantFrom('TRUE', 'False', '1', '0', 'yes', '', ' true', '\tfalse\n', ' tru e', '\u00A0true')),
  ok: (v) => typeof v === 'boolean',
  xmlOk: (v) => typeof v === 'boolean' || (typeof v === 'string' && /^[ \t\r\n]*(true|false)[ \t\r\n]*$/.test(v)),
  xml: (v) => String(v),
};

/** One of the XSD enumeration's values (omni-metadata.xsd). */
const oneOf = (...values: string[]): Kind => ({
  values: fc.oneof(fc.constantFrom(...values), fc.constantFrom('', values[0].toLowerCase(), values[0].replace('_', ' ')), anyText),
  ok: (v) => typeof v === 'string' && values.includes(v),
  xml: (v) => String(v),
});

// ── one case per spec key and element ────────────────────────────────────────────────────────────────

type Json = Record<string, unknown>;

interface Case {
  name: string;
  type: string;
  specKey: string;
  kind: Kind;
  /** The element model of a valid file and the spec entry that writes it, with `value` in place. */
  xmlModel: (value: unknown) => Json;
  entry: (value: unknown) => Json;
  /** The value is the component's name: the entry's key in the spec, the file's name in XML. */
  named?: true;
  /**
   * What a spec finding names: the key's path inside its entry, list positions left out (README's spec
   * reference), as the author wrote it — not the element it becomes, which an XML finding names.
   */
  specName?: string;
}

const PUC_BASE = { capacity: 5, label: 'Agents' };
const ACW_ON = { hasAfterConvoWorkTimer: true, afterConvoWorkMaxTime: 60, hasAcwExtensionEnabled: true, acwExtensionDuration: 30, maxExtensions: '2' };
const SC_BASE = { label: 'Phone', relatedEntityType: 'VoiceCall' };
const QRC_BASE = { capacityWeight: 1, label: 'Routing', routingModel: 'LEAST_ACTIVE', routingPriority: 1 };
const QRC_SPEC = { label: 'Routing', routingModel: 'LEAST_ACTIVE', routingPriority: 1, capacityWeight: 1 };

/** A case whose spec key writes one element of the same name shape. */
const simple = (type: string, specKey: string, key: string, element: string, kind: Kind, xmlBase: Json, specBase: Json): Case => ({
  name: `${type}.${element} ⇄ ${specKey}.${key}`,
  type,
  specKey,
  kind,
  xmlModel: (v) => ({ ...xmlBase, [element]: kind.xml(v) }),
  entry: (v) => ({ ...specBase, [key]: v }),
  specName: key,
});

const acw = (type: string, specKey: string, base: Json, specBase: Json): Case[] => [
  {
    name: `${type}.afterConvoWorkMaxTime ⇄ afterConversationWork.seconds`,
    type,
    specKey,
    kind: int(10, 3600),
    xmlModel: (v) => ({ ...base, ...ACW_ON, afterConvoWorkMaxTime: String(v) }),
    specName: 'afterConversationWork.seconds',
    entry: (v) => ({ ...specBase, afterConversationWork: { seconds: v, extensions: { seconds: 30, max: 2 } } }),
  },
  {
    name: `${type}.acwExtensionDuration ⇄ afterConversationWork.extensions.seconds`,
    type,
    specKey,
    kind: int(10, 3600),
    xmlModel: (v) => ({ ...base, ...ACW_ON, acwExtensionDuration: String(v) }),
    specName: 'afterConversationWork.extensions.seconds',
    entry: (v) => ({ ...specBase, afterConversationWork: { seconds: 60, extensions: { seconds: v, max: 2 } } }),
  },
  {
    // maxExtensions is xsd:string in metadata, a picklist "1"–"10" on the sObject (§1.2 row 15): a whole number in the spec.
    name: `${type}.maxExtensions ⇄ afterConversationWork.extensions.max`,
    type,
    specKey,
    kind: int(1, 10),
    xmlModel: (v) => ({ ...base, ...ACW_ON, maxExtensions: String(v) }),
    specName: 'afterConversationWork.extensions.max',
    entry: (v) => ({ ...specBase, afterConversationWork: { seconds: 60, extensions: { seconds: 30, max: v } } }),
  },
];

const P = 'PresenceUserConfig';
const C = 'ServiceChannel';
const R = 'QueueRoutingConfig';
const Q = 'Queue';
const CASES: Case[] = [
  // PresenceUserConfig (§1.2, §10 rules 2, 5, 11, 12, 13)
  simple(P, 'presenceConfigurations', 'label', 'label', text(80), PUC_BASE, PUC_BASE),
  simple(P, 'presenceConfigurations', 'capacity', 'capacity', int(1), PUC_BASE, PUC_BASE),
  simple(P, 'presenceConfigurations', 'interruptibleCapacity', 'interruptibleCapacity', int(1), PUC_BASE, PUC_BASE),
  simple(P, 'presenceConfigurations', 'statusOnDecline', 'presenceStatusOnDecline', reference, { ...PUC_BASE, enableDecline: true }, { ...PUC_BASE, allowDecline: true }),
  simple(P, 'presenceConfigurations', 'statusOnPushTimeout', 'presenceStatusOnPushTimeout', reference, PUC_BASE, PUC_BASE),
  simple(P, 'presenceConfigurations', 'agentDisplayName', 'userDisplayName', text(), PUC_BASE, PUC_BASE),
  simple(P, 'presenceConfigurations', 'requestSound', 'enableRequestSound', bool, PUC_BASE, PUC_BASE),
  {
    name: 'PresenceUserConfig.declineReasons ⇄ declineReasons[0]',
    type: P,
    specKey: 'presenceConfigurations',
    kind: reference,
    xmlModel: (v) => ({ ...PUC_BASE, declineReasons: [String(v)], enableDecline: true, enableDeclineReason: true }),
    specName: 'declineReasons',
    entry: (v) => ({ ...PUC_BASE, declineReasons: [v] }),
  },
  {
    name: 'PresenceUserConfig.assignments.profiles.profile ⇄ profiles[0]',
    type: P,
    specKey: 'presenceConfigurations',
    kind: text(),
    xmlModel: (v) => ({ ...PUC_BASE, assignments: { profiles: { profile: [String(v)] } } }),
    specName: 'profiles',
    entry: (v) => ({ ...PUC_BASE, profiles: [v] }),
  },
  ...acw(P, 'presenceConfigurations', PUC_BASE, PUC_BASE),
  // ServiceChannel (§4, §10 rules 18–21)
  simple(C, 'channels', 'label', 'label', text(80), SC_BASE, SC_BASE),
  simple(C, 'channels', 'relatedEntityType', 'relatedEntityType', text(), { label: 'Phone' }, { label: 'Phone' }),
  simple(C, 'channels', 'interactionComponent', 'interactionComponent', text(), SC_BASE, SC_BASE),
  simple(C, 'channels', 'secondaryPriorityField', 'secondaryRoutingPriorityField', text(), SC_BASE, SC_BASE),
  simple(C, 'channels', 'statusField', 'statusField', text(), { ...SC_BASE, capacityModel: 'STATUS_BASED' }, { ...SC_BASE, capacityModel: 'STATUS_BASED' }),
  simple(C, 'channels', 'capacityModel', 'capacityModel', oneOf('TAB_BASED', 'STATUS_BASED'), SC_BASE, SC_BASE),
  {
    name: 'ServiceChannel.serviceChannelFieldPriorities.priority ⇄ fieldPriorities[0].priority',
    type: C,
    specKey: 'channels',
    kind: int(),
    xmlModel: (v) => ({ ...SC_BASE, secondaryRoutingPriorityField: 'Priority', serviceChannelFieldPriorities: [{ priority: String(v), value: 'High' }] }),
    specName: 'fieldPriorities.priority',
    entry: (v) => ({ ...SC_BASE, secondaryPriorityField: 'Priority', fieldPriorities: [{ priority: v, value: 'High' }] }),
  },
  {
    name: 'ServiceChannel.serviceChannelFieldPriorities.value ⇄ fieldPriorities[0].value',
    type: C,
    specKey: 'channels',
    kind: text(),
    xmlModel: (v) => ({ ...SC_BASE, secondaryRoutingPriorityField: 'Priority', serviceChannelFieldPriorities: [{ priority: '1', value: String(v) }] }),
    specName: 'fieldPriorities.value',
    entry: (v) => ({ ...SC_BASE, secondaryPriorityField: 'Priority', fieldPriorities: [{ priority: 1, value: v }] }),
  },
  {
    name: 'ServiceChannel.serviceChannelStatusFieldMappings.type ⇄ statusMappings[0].type',
    type: C,
    specKey: 'channels',
    kind: oneOf('IN_PROGRESS', 'PAUSED', 'COMPLETED'),
    xmlModel: (v) => ({ ...SC_BASE, capacityModel: 'STATUS_BASED', serviceChannelStatusFieldMappings: [{ type: String(v), value: 'Open' }], statusField: 'Status' }),
    specName: 'statusMappings.type',
    entry: (v) => ({ ...SC_BASE, capacityModel: 'STATUS_BASED', statusField: 'Status', statusMappings: [{ type: v, value: 'Open' }] }),
  },
  {
    name: 'ServiceChannel.serviceChannelStatusFieldMappings.value ⇄ statusMappings[0].value',
    type: C,
    specKey: 'channels',
    kind: text(),
    xmlModel: (v) => ({ ...SC_BASE, capacityModel: 'STATUS_BASED', serviceChannelStatusFieldMappings: [{ type: 'IN_PROGRESS', value: String(v) }], statusField: 'Status' }),
    specName: 'statusMappings.value',
    entry: (v) => ({ ...SC_BASE, capacityModel: 'STATUS_BASED', statusField: 'Status', statusMappings: [{ type: 'IN_PROGRESS', value: v }] }),
  },
  ...acw(C, 'channels', SC_BASE, SC_BASE),
  // ServicePresenceStatus, PresenceDeclineReason (§2, §3, §10 rule 16)
  simple('ServicePresenceStatus', 'statuses', 'label', 'label', text(80), { label: 'Online' }, { label: 'Online' }),
  {
    name: 'ServicePresenceStatus.channels.channel ⇄ channels[0]',
    type: 'ServicePresenceStatus',
    specKey: 'statuses',
    kind: reference,
    xmlModel: (v) => ({ channels: { channel: [String(v)] }, label: 'Online' }),
    specName: 'channels',
    entry: (v) => ({ label: 'Online', channels: [v] }),
  },
  simple('PresenceDeclineReason', 'declineReasons', 'label', 'label', text(80), {}, {}),
  // A component's own name (§0.3, §10 rule 2): an entry's key, a file's name.
  {
    name: 'PresenceDeclineReason file name ⇄ declineReasons key',
    type: 'PresenceDeclineReason',
    specKey: 'declineReasons',
    kind: componentName,
    xmlModel: () => ({ label: 'Reason' }),
    entry: () => ({ label: 'Reason' }),
    named: true,
  },
  {
    name: 'QueueRoutingConfig file name ⇄ routingConfigs key',
    type: R,
    specKey: 'routingConfigs',
    kind: componentName,
    xmlModel: () => QRC_BASE,
    entry: () => QRC_SPEC,
    named: true,
  },
  // QueueRoutingConfig (§5.1, §10 rules 22–25)
  simple(R, 'routingConfigs', 'label', 'label', text(80), QRC_BASE, QRC_SPEC),
  simple(R, 'routingConfigs', 'routingModel', 'routingModel', oneOf('LEAST_ACTIVE', 'MOST_AVAILABLE', 'EXTERNAL_ROUTING'), QRC_BASE, QRC_SPEC),
  simple(R, 'routingConfigs', 'routingPriority', 'routingPriority', int(0), QRC_BASE, QRC_SPEC),
  simple(R, 'routingConfigs', 'capacityWeight', 'capacityWeight', number({ above: 0 }), QRC_BASE, QRC_SPEC),
  simple(R, 'routingConfigs', 'capacityPercentage', 'capacityPercentage', number({ above: 0, max: 100 }), { label: 'Routing', routingModel: 'LEAST_ACTIVE', routingPriority: 1 }, { label: 'Routing', routingModel: 'LEAST_ACTIVE', routingPriority: 1 }),
  simple(R, 'routingConfigs', 'capacityType', 'capacityType', oneOf('INHERITED', 'INTERRUPTIBLE', 'NOT_INTERRUPTIBLE'), QRC_BASE, QRC_SPEC),
  simple(R, 'routingConfigs', 'pushTimeout', 'pushTimeout', int(0), QRC_BASE, QRC_SPEC),
  simple(R, 'routingConfigs', 'pausedCapacityWeight', 'pausedCapacityWeight', number({ min: 0 }), QRC_BASE, QRC_SPEC),
  simple(R, 'routingConfigs', 'pausedCapacityPercentage', 'pausedCapacityPercentage', number({ min: 0, max: 100 }), QRC_BASE, QRC_SPEC),
  simple(R, 'routingConfigs', 'dropAdditionalSkillsTimeout', 'dropAdditionalSkillsTimeout', int(0), QRC_BASE, QRC_SPEC),
  simple(R, 'routingConfigs', 'overflowQueue', 'queueOverflowAssignee', reference, QRC_BASE, QRC_SPEC),
  simple(R, 'routingConfigs', 'overflowUser', 'userOverflowAssignee', text(), QRC_BASE, QRC_SPEC),
  {
    name: 'QueueRoutingConfig.skills.skill ⇄ skills[0]',
    type: R,
    specKey: 'routingConfigs',
    kind: reference,
    xmlModel: (v) => ({ ...QRC_BASE, skills: [{ skill: String(v) }] }),
    specName: 'skills',
    entry: (v) => ({ ...QRC_SPEC, skills: [v] }),
  },
  // Queue (§5.2; its label is the name element, held to §10 rule 2 as every label)
  simple(Q, 'queues', 'label', 'name', text(80), { doesSendEmailToMembers: false }, {}),
  simple(Q, 'queues', 'description', 'description', text(), { doesSendEmailToMembers: false, name: 'Cases' }, { label: 'Cases' }),
  simple(Q, 'queues', 'sendEmailToMembers', 'doesSendEmailToMembers', bool, { name: 'Cases' }, { label: 'Cases' }),
  simple(Q, 'queues', 'email', 'email', text(), { doesSendEmailToMembers: false, name: 'Cases' }, { label: 'Cases' }),
  simple(Q, 'queues', 'routingConfig', 'queueRoutingConfig', reference, { doesSendEmailToMembers: false, name: 'Cases' }, { label: 'Cases' }),
  ...(['publicGroups/publicGroup', 'roles/role', 'roleAndSubordinates/roleAndSubordinate', 'roleAndSubordinatesInternal/roleAndSubordinateInternal'] as const).map((pair): Case => {
    const [plural, single] = pair.split('/');
    return {
      name: `Queue.queueMembers.${plural}.${single} ⇄ members.${plural}[0]`,
      type: Q,
      specKey: 'queues',
      kind: reference,
      xmlModel: (v) => ({ doesSendEmailToMembers: false, name: 'Cases', queueMembers: { [plural]: { [single]: [String(v)] } } }),
      specName: `members.${plural}`,
      entry: (v) => ({ label: 'Cases', members: { [plural]: [v] } }),
    };
  }),
  {
    name: 'Queue.queueSobject.sobjectType ⇄ sobjects[0]',
    type: Q,
    specKey: 'queues',
    kind: text(),
    xmlModel: (v) => ({ doesSendEmailToMembers: false, name: 'Cases', queueSobject: [{ sobjectType: String(v) }] }),
    specName: 'sobjects',
    entry: (v) => ({ label: 'Cases', sobjects: [v] }),
  },
  // PermissionSet: only the status accesses (§5.3) and the label/description it is created with
  simple('PermissionSet', 'permissionSets', 'label', 'label', text(80), { label: 'Agents', servicePresenceStatusAccesses: [{ enabled: true, servicePresenceStatus: 'Online' }] }, { statuses: ['Online'] }),
  {
    name: 'PermissionSet.servicePresenceStatusAccesses.servicePresenceStatus ⇄ statuses[0]',
    type: 'PermissionSet',
    specKey: 'permissionSets',
    kind: reference,
    xmlModel: (v) => ({ label: 'Agents', servicePresenceStatusAccesses: [{ enabled: true, servicePresenceStatus: String(v) }] }),
    specName: 'statuses',
    entry: (v) => ({ statuses: [v] }),
  },
];

// ── the three readings of one value ──────────────────────────────────────────────────────────────────

interface Verdicts {
  spec: boolean;
  xml: boolean;
  import: boolean;
  /** The XML generate writes from the spec passes the XML check (true when the spec refuses the value: nothing is written). */
  generated: boolean;
}

function verdicts(c: Case, value: unknown): Verdicts & { specFindings: string[]; xmlFindings: string[]; parseLevel: boolean } {
  const name = c.named ? String(value) : 'Name1';
  const spec = { [c.specKey]: { [name]: c.entry(value) } };
  // JSON is YAML: the loader reads it as it reads any spec (load → schema → versions), at the sample's API version.
  const loaded = loadSpecText(JSON.stringify(spec), { file: 'config/omni-channel.yaml', projectApiVersion: '66.0' });
  const specErrors = loaded.diagnostics.filter((d) => d.severity === 'error');
  // What generate writes from an accepted spec, read back by the XML check.
  let generatedErrors: string[] = [];
  if (loaded.spec && specErrors.length === 0) {
    for (const doc of specToDocuments(loaded.spec, { apiVersion: '66.0' })) {
      // A permission set is written into its file in place (generate.ts setStatusAccesses), not from the document.
      if (doc.type.partial) continue;
      const written = serializeMetadata(doc);
      const back = parseMetadata(written, { path: `force-app/${sourceFilePath(doc.type, doc.fullName)}`, apiVersion: 66 });
      const found = [...back.diagnostics, ...(back.document ? validateDocuments([back.document], { apiVersion: 66 }) : [])];
      generatedErrors = generatedErrors.concat(found.filter((d) => d.severity === 'error').map((d) => `${d.ruleId}: ${d.message}`));
    }
  }

  const type = getType(c.type);
  const file = `force-app/${sourceFilePath(type, name)}`;
  const source = serializeMetadata(fromModel(type, name, c.xmlModel(value)));
  const parsed = parseMetadata(source, { path: file, apiVersion: 66 });
  const parseErrors = parsed.diagnostics.filter((d) => d.severity === 'error');
  const ruleErrors = parsed.document ? validateDocuments([parsed.document], { apiVersion: 66 }).filter((d) => d.severity === 'error') : [];
  // omni import refuses a file with a parse error, and one whose values the spec cannot hold.
  const imported = parsed.document && !parseErrors.length ? importDocuments([parsed.document], { apiVersion: '66.0', leaveOutUnrepresentable: true }) : undefined;
  return {
    spec: specErrors.length === 0,
    xml: parseErrors.length + ruleErrors.length === 0,
    import: imported !== undefined && imported.unrepresentable.length === 0,
    generated: generatedErrors.length === 0,
    specFindings: specErrors.map((d) => `${d.ruleId}: ${d.message}`),
    xmlFindings: [...parseErrors, ...ruleErrors].map((d) => `${d.ruleId}: ${d.message}`),
    parseLevel: parseErrors.length > 0,
  };
}

describe('one value, one verdict: spec, XML check and import agree with the reference documents', () => {
  it('covers every element of the spec types that has a range, enumeration, pattern, length or type', () => {
    // The registry's facts, as a floor: each element with a range or a developer-name fact has a case here.
    const covered = new Set(CASES.map((c) => c.name.split(' ⇄ ')[0]));
    for (const typeName of [P, C, 'ServicePresenceStatus', R, Q, 'PermissionSet']) {
      const walk = (elements: ReturnType<typeof getType>['elements'], at: string) => {
        for (const e of elements) {
          const dotted = at ? `${at}.${e.name}` : e.name;
          if (e.range || e.developerName) expect(covered, dotted).toContain(`${typeName}.${dotted}`);
          if (e.children && !e.opaque) walk(e.children, dotted);
        }
      };
      walk(getType(typeName).elements, '');
    }
  });

  for (const c of CASES) {
    it(c.name, () => {
      fc.assert(
        fc.property(c.kind.values, (value) => {
          const expected = c.kind.ok(value);
          const xmlExpected = (c.kind.xmlOk ?? c.kind.ok)(value);
          const got = verdicts(c, value);
          const why = `${JSON.stringify(value)}: expected ${expected ? 'accepted' : 'refused'}; spec [${got.specFindings.join(' | ')}], XML [${got.xmlFindings.join(' | ')}], import ${got.import}, generated XML passes ${got.generated}`;
          expect({ spec: got.spec, xml: got.xml, import: got.import, generated: got.generated }, why).toEqual({ spec: expected, xml: xmlExpected, import: xmlExpected, generated: true });
          // Where both report it, with one rule id and message: a value of the element's kind out of its bounds.
          // (A value of another kind, "1.5" for an int, is the XML's XML-VALUE-TYPE and the spec's SPEC-SCHEMA type
          // message: what was written differs there, a YAML number or string against XML text.) The spec's finding
          // names its key, the XML's its element; maxExtensions' XML text is quoted, the spec's number is not.
          if (!expected && !xmlExpected && !got.parseLevel) {
            const xmlName = c.name.split(' ⇄ ')[0].slice(c.type.length + 1);
            const same = (findings: string[], name: string | undefined) =>
              [...new Set(findings.map((f) => (name ? f.replace(`: ${name} `, ': ‹name› ') : f).replace(/^(\S+-ACW-EXTENSION: ‹name› is )"(.*)";/, '$1$2;')))].sort();
            // NAME-LABEL says "label" both ways (a Queue's label is its name element).
            const label = c.specName === 'label';
            expect(same(got.specFindings, label ? undefined : c.specName), why).toEqual(same(got.xmlFindings, label ? undefined : xmlName));
          }
        }),
        { numRuns: 25 },
      );
    });
  }
});

describe('the trial examples, each on every case of its kind', () => {
  const references = CASES.filter((c) => c.kind === reference);

  it('a managed package component by namespace prefix (acme__Away) is accepted by spec, XML check and import', () => {
    expect(references.length).toBeGreaterThan(8);
    for (const c of references) {
      const got = verdicts(c, 'acme__Away');
      expect({ spec: got.spec, xml: got.xml, import: got.import, generated: got.generated }, `${c.name}: ${got.specFindings} ${got.xmlFindings}`).toEqual({ spec: true, xml: true, import: true, generated: true });
    }
  });

  it('a name that is not a developer name after the prefix either (acme__B__C, 1ns__Away) is refused everywhere', () => {
    for (const c of references) {
      for (const value of ['acme__B__C', '1ns__Away', 'acme__']) {
        const got = verdicts(c, value);
        expect({ spec: got.spec, xml: got.xml, import: got.import }, `${c.name} ${value}`).toEqual({ spec: false, xml: false, import: false });
      }
    }
  });

  it('a number of another type where a whole number goes (1.5, beyond 32 bits) gets one finding: the type error, not a range rule', () => {
    // XML Schema Part 2 §3.3.17: xsd:int is a whole number from -2147483648 to 2147483647; 1.5 and 2147483648 are
    // not xsd:int at all, so a range rule ("1.5; it must be ≥ 0", "must be a whole number") has nothing to say.
    // maxExtensions is an xsd:string read as a number (§1.2 row 15): its own rule, ACW-EXTENSION, both ways.
    const wholes = CASES.filter((c) => c.kind.whole);
    expect(wholes.length).toBeGreaterThan(10);
    for (const c of wholes) {
      const string = c.name.includes('maxExtensions');
      for (const value of [1.5, 20.5, 2147483648, -2147483649]) {
        const got = verdicts(c, value);
        const ids = (findings: string[]) => findings.map((f) => f.slice(0, f.indexOf(':')));
        expect(ids(got.xmlFindings), `${c.name} XML ${value}: ${got.xmlFindings}`).toEqual([string ? 'PUC-ACW-EXTENSION'.replace('PUC', c.type === 'ServiceChannel' ? 'SC' : 'PUC') : 'XML-VALUE-TYPE']);
        expect(ids(got.specFindings), `${c.name} spec ${value}: ${got.specFindings}`).toEqual([string ? ids(got.xmlFindings)[0] : 'SPEC-SCHEMA']);
      }
    }
  });

  it('a spec finding names the spec key at its line, and a number as written', () => {
    // §1.2: afterConvoWorkMaxTime and acwExtensionDuration 10–3600 seconds, maxExtensions 1–10; the spec's keys
    // for them are afterConversationWork.seconds, .extensions.seconds and .extensions.max (README, spec reference).
    const yaml = [
      'presenceConfigurations:',
      '  Agents:',
      '    label: Agents',
      '    capacity: 5',
      '    afterConversationWork:',
      '      seconds: 5',
      '      extensions:',
      '        seconds: 0x10000',
      '        max: 100.0',
      'queues:',
      '  Cases:',
      '    label: Cases',
      '    routingConfig: x y',
    ].join('\n');
    const found = loadSpecText(yaml, { file: 'config/omni-channel.yaml', projectApiVersion: '66.0' }).diagnostics.map((d) => `${d.line} ${d.ruleId}: ${d.message}`);
    expect(found).toEqual([
      '6 PUC-ACW-MAXTIME: afterConversationWork.seconds is 5; it must be an integer from 10 to 3600 seconds.',
      '8 PUC-ACW-EXTENSION: afterConversationWork.extensions.seconds is 0x10000; it must be an integer from 10 to 3600 seconds.',
      '9 PUC-ACW-EXTENSION: afterConversationWork.extensions.max is 100.0; it must be one of "1" … "10".',
      expect.stringMatching(/^13 REF-NAME: routingConfig "x y" is not a developer name/),
    ]);
  });
});
