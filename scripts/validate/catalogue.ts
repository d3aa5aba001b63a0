/**
 * The rule catalogue, as data: every diagnostic the validator (or the parse layer beneath it) can emit,
 * with its default severity, the rule number(s) of §10 of the reference spec it enforces and a doc link.
 * `omni validate --list-rules` prints it and the SARIF output publishes it as `tool.driver.rules`.
 */
import { rangeOf, rangeText } from '../metadata/registry.ts';
import type { Severity } from '../lib/diagnostic.ts';

/** A registry range as rule summaries write it (`10–3600`, `≥ 1`). */
const range = (type: string, path: string) => rangeText(rangeOf(type, path));
const acwExtensionSummary = (type: string) => {
  const max = rangeOf(type, 'maxExtensions');
  return `hasAcwExtensionEnabled = true requires the ACW timer, acwExtensionDuration ${range(type, 'acwExtensionDuration')} and maxExtensions "${max.min}"–"${max.max}".`;
};

export interface RuleInfo {
  id: string;
  severity: Severity;
  summary: string;
  /** Rule numbers of §10 of salesforce-omni-spec.md. */
  specRules: number[];
  /** Salesforce documentation page the rule is based on. */
  docs: string;
  /** Where the rule is implemented: the parse layer (scripts/metadata), the spec loader or this validator. */
  source: 'parser' | 'spec' | 'validator';
}

const META = 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta';
const DOCS = {
  puc: `${META}/meta_presenceuserconfig.htm`,
  sps: `${META}/meta_servicepresencestatus.htm`,
  pdr: `${META}/meta_presencedeclinereason.htm`,
  sc: `${META}/meta_servicechannel.htm`,
  qrc: `${META}/meta_queueroutingconfig.htm`,
  queue: `${META}/meta_queue.htm`,
  settings: `${META}/meta_omnichannelsettings.htm`,
  permset: `${META}/meta_permissionset.htm`,
  files: `${META}/file_based.htm`,
  versions: `${META}/meta_coverage_report.htm`,
  pucUser: 'https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_presenceuserconfiguser.htm',
  pucProfile:
    'https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_presenceuserconfigprofile.htm',
};

const rule = (
  id: string,
  severity: Severity,
  specRules: number[],
  docs: string,
  summary: string,
  source: RuleInfo['source'] = 'validator',
): RuleInfo => ({ id, severity, summary, specRules, docs, source });

export const RULES: readonly RuleInfo[] = [
  // Structural checks done while parsing (scripts/metadata); listed so SARIF and --list-rules know them.
  rule('XML-MALFORMED', 'error', [1], DOCS.files, 'The file is not well-formed XML.', 'parser'),
  rule('XML-ROOT', 'error', [1], DOCS.files, 'Root element must be the type name in the metadata namespace.', 'parser'),
  rule('XML-TYPE-UNKNOWN', 'error', [1], DOCS.files, 'The file name does not tell a supported metadata type.', 'parser'),
  rule('XML-UNKNOWN-ELEMENT', 'warning', [3], DOCS.files, 'Only WSDL elements of the type are allowed (unknown ones are kept as is).', 'parser'),
  rule('XML-DUPLICATE-ELEMENT', 'error', [3], DOCS.files, 'A non-repeating element appears more than once.', 'parser'),
  rule('XML-VALUE-TYPE', 'error', [4, 21, 22, 24], DOCS.files, 'Booleans, integers, doubles and enum values must match their WSDL type.', 'parser'),
  rule('XML-REQUIRED', 'error', [5, 18, 22], DOCS.files, 'A required element is missing or nil.', 'parser'),
  rule('XML-NIL', 'error', [4, 18], DOCS.files, 'xsi:nil without the xsi namespace declared (nil itself is accepted on optional elements; on required ones it is XML-REQUIRED).', 'parser'),
  rule('XML-ORDER', 'error', [3], DOCS.files, 'Elements must be in WSDL order: the Metadata API rejects other orders (retrieves and generate use it).', 'parser'),
  rule('FILE-READ', 'error', [1], DOCS.files, 'A metadata file or directory given on the command line cannot be read.'),
  rule('SPEC-READ', 'error', [], DOCS.files, 'The spec file cannot be read.', 'spec'),
  rule('SPEC-YAML', 'error', [], DOCS.files, 'The spec file is not valid YAML.', 'spec'),
  rule('SPEC-SCHEMA', 'error', [2, 4, 5], DOCS.files, 'The spec does not match its schema.', 'spec'),
  rule('SPEC-VERSION', 'error', [3, 29], DOCS.versions, 'A spec key needs a newer API version than the project uses.', 'spec'),
  rule(
    'SPEC-STATIC-RESOURCE',
    'info',
    [],
    'https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_presenceuserconfig.htm',
    'A notificationSound names a StaticResource the project does not hold (omni deploy refuses it unless the org has it).',
    'spec',
  ),
  rule('SPEC-USER-ASSIGNMENT', 'error', [13], DOCS.pucUser, 'User assignments do not belong in the spec (usernames differ per org).', 'spec'),

  // §10 structural (all types)
  rule('FILE-LOCATION', 'warning', [1], DOCS.files, 'Source file must be <directory>/<DeveloperName>.<suffix>-meta.xml with the directory of its type.'),
  rule('NAME-DEVELOPER-NAME', 'error', [2], DOCS.puc, 'Developer name: letter first, letters/digits/single underscores, no trailing underscore, at most 80 characters.'),
  rule('NAME-LABEL', 'error', [2], DOCS.puc, 'label must be non-empty and at most 80 characters.'),
  rule('API-VERSION-ELEMENT', 'error', [3, 29], DOCS.versions, "Element or type newer than the project's sourceApiVersion."),

  // PresenceUserConfig
  rule('PUC-CAPACITY', 'error', [5], DOCS.puc, 'capacity must be an integer ≥ 1.'),
  rule('PUC-AUTOACCEPT-DECLINE', 'error', [6], DOCS.puc, 'enableAutoAccept and enableDecline cannot both be true.'),
  rule('PUC-DECLINE-REASON-NEEDS-DECLINE', 'error', [7], DOCS.puc, 'enableDeclineReason = true requires enableDecline = true.'),
  rule('PUC-DECLINE-REASON-EMPTY', 'error', [7], DOCS.puc, 'enableDeclineReason = true requires at least one declineReasons.'),
  rule('PUC-STATUS-ON-DECLINE-NEEDS-DECLINE', 'error', [8], DOCS.puc, 'presenceStatusOnDecline requires enableDecline = true.'),
  rule('PUC-ACW-MAXTIME', 'error', [9], DOCS.puc, `hasAfterConvoWorkTimer = true requires afterConvoWorkMaxTime in ${range('PresenceUserConfig', 'afterConvoWorkMaxTime')}.`),
  rule('PUC-ACW-MAXTIME-UNUSED', 'warning', [9], DOCS.puc, 'afterConvoWorkMaxTime has no effect while hasAfterConvoWorkTimer is not true.'),
  rule('PUC-ACW-EXTENSION', 'error', [10], DOCS.puc, acwExtensionSummary('PresenceUserConfig')),
  rule('PUC-INTERRUPTIBLE-CAPACITY', 'error', [11], DOCS.puc, `interruptibleCapacity, if present, must be an integer ${range('PresenceUserConfig', 'interruptibleCapacity')}.`),
  rule('PUC-STATUS-NOT-AWAY', 'warning', [12, 16], DOCS.puc, 'Status on decline / push timeout should be an Away status (one without channels).'),
  rule('PUC-USER-DISPLAY-NAME', 'warning', [15], DOCS.puc, 'userDisplayName uses a merge field other than {!User_Alias} / {!User_FullName}.'),
  rule('ASSIGN-USER-TWICE', 'error', [14], DOCS.pucUser, 'A user may be assigned to only one presence configuration.'),
  rule('ASSIGN-PROFILE-TWICE', 'error', [14], DOCS.pucProfile, 'A profile may be assigned to only one presence configuration (names compared case-insensitively).'),
  rule('ASSIGN-USERS-IN-SOURCE', 'warning', [13], DOCS.pucUser, 'User assignments in source are org-specific and put personal data into Git.'),

  // References (driven by the registry's references table)
  rule('REF-UNRESOLVED', 'warning', [12, 16, 25, 27], DOCS.files, 'A reference is not in the project but a name the project defines is one typo away ("did you mean"); deploy checks it against the org.'),
  rule('SPS-CHANNEL-UNRESOLVED', 'warning', [16], DOCS.sps, 'A status channel is not in the project but a channel the project defines is one typo away ("did you mean"); deploy checks it against the org.'),
  rule('REF-UNRESOLVED-LOCALLY', 'info', [12, 13, 16, 25, 27], DOCS.files, 'A reference to something that is not in the project (it may exist only in the org: profiles, users, skills, built-in channels, components deployed before): checked against the org by deploy.'),
  rule('REF-DUPLICATE', 'error', [13, 16], DOCS.files, 'The same value is listed twice in one file.'),

  // ServicePresenceStatus / access
  rule('SPS-NOT-GRANTED', 'warning', [17], DOCS.permset, 'A status is granted by no servicePresenceStatusAccesses (enabled = true) in the project.'),

  // ServiceChannel
  rule('SC-ENTITY-DUPLICATE', 'error', [18], DOCS.sc, 'relatedEntityType must be unique across service channels.'),
  rule('SC-ACW-ENTITY', 'error', [19], DOCS.sc, 'ACW elements are only allowed on VoiceCall and MessagingSession channels.'),
  rule('SC-ACW-MAXTIME', 'error', [19], DOCS.sc, `hasAfterConvoWorkTimer = true requires afterConvoWorkMaxTime in ${range('ServiceChannel', 'afterConvoWorkMaxTime')}.`),
  rule('SC-ACW-MAXTIME-UNUSED', 'warning', [19], DOCS.sc, 'afterConvoWorkMaxTime has no effect while hasAfterConvoWorkTimer is not true.'),
  rule('SC-ACW-EXTENSION', 'error', [19], DOCS.sc, acwExtensionSummary('ServiceChannel')),
  rule('SC-PRIORITY-FIELD', 'error', [20], DOCS.sc, 'serviceChannelFieldPriorities require secondaryRoutingPriorityField.'),
  rule('SC-PRIORITY-VALUE-DUPLICATE', 'error', [20], DOCS.sc, 'Each serviceChannelFieldPriorities value must be unique.'),
  rule('SC-STATUS-BASED', 'error', [21], DOCS.sc, 'statusField / serviceChannelStatusFieldMappings require capacityModel = STATUS_BASED.'),
  rule('SC-STATUS-VALUE-DUPLICATE', 'error', [21], DOCS.sc, 'Each serviceChannelStatusFieldMappings value must be unique.'),

  // QueueRoutingConfig / Queue
  rule('QRC-ROUTING-PRIORITY', 'error', [22], DOCS.qrc, 'routingPriority must be an integer ≥ 0.'),
  rule('QRC-CAPACITY-ONE-OF', 'error', [23], DOCS.qrc, 'Exactly one of capacityWeight / capacityPercentage is required.'),
  rule('QRC-CAPACITY-RANGE', 'error', [23], DOCS.qrc, 'capacityWeight must be > 0; capacityPercentage must be in (0, 100].'),
  rule('QRC-VOICE-FULL-CAPACITY', 'warning', [23], DOCS.qrc, 'A routing configuration used for VoiceCall work must take the full capacity (capacityPercentage 100).'),
  rule('QRC-PUSH-TIMEOUT', 'error', [24], DOCS.qrc, 'pushTimeout must be ≥ 0.'),
  rule('QRC-OVERFLOW-ONE-OF', 'error', [25], DOCS.qrc, 'Only one of queueOverflowAssignee / userOverflowAssignee may be set.'),
  rule('QRC-CAPACITY-EXCEEDS-AGENT', 'warning', [26], DOCS.qrc, "capacityWeight is larger than the capacity of an agent who serves the queue: the work is never routed to them."),
  rule('QRC-UNUSED', 'info', [], DOCS.qrc, 'A routing configuration no queue of the project uses (omni graph marks it too).'),
  rule('QRC-OVERFLOW-LOOP', 'warning', [25], DOCS.qrc, 'Overflow assignees form a loop of queues: overflowing work goes round without reaching an agent.'),
  rule('QUEUE-NO-MEMBERS', 'info', [], DOCS.queue, 'A queue has no members in the source (groups, roles) and no assignment file lists users for it.'),
  rule('PUC-NOT-HELD', 'info', [], DOCS.puc, 'A presence configuration is given to no profile in the source and to no one in an assignment file.'),
  rule('SPS-NO-CHANNELS', 'info', [16], DOCS.sps, 'A status without channels (an Away/Busy status) that is neither named nor used as one.'),
  rule('SPS-UNREACHED', 'info', [16, 27], DOCS.sps, "A status with no channel in any routing configuration's reach: no Omni-routed queue holds its channels' objects."),
  rule('QUEUE-SOBJECT-CHANNEL', 'warning', [27], DOCS.queue, 'An Omni-routed queue should support an object that is the relatedEntityType of a service channel.'),

  // Org/environment, as far as the project shows it
  rule('SETTINGS-OMNI-DISABLED', 'warning', [28], DOCS.settings, 'The project turns Omni-Channel (or a feature its metadata uses) off in OmniChannelSettings.'),
];

/**
 * What of §10 only the org can answer, by rule number: checked by deploy/doctor, not here. Rules listed with
 * an offline part are also in `specRules` above; rule 30 is about how a deploy runs, not about the source.
 */
export const ORG_ONLY_SPEC_RULES: Readonly<Record<number, string>> = {
  12: 'decline reasons and statuses that exist only in the org (REF-UNRESOLVED-LOCALLY here)',
  13: 'profiles and usernames exist in the target org (REF-UNRESOLVED-LOCALLY here)',
  14: 'existing PresenceUserConfigUser/PresenceUserConfigProfile rows of configurations not in the project',
  25: 'skills and overflow users exist in the org (REF-UNRESOLVED-LOCALLY here)',
  28: "the target org's own OmniChannelSettings (here only the project's settings file)",
  30: 'deploy order and never updating PresenceUserConfig through the Data API: how deploy works, not a source check',
};

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function getRule(id: string): RuleInfo | undefined {
  return BY_ID.get(id);
}

/** Element-path-specific ids for unresolved references; everything else uses `REF-UNRESOLVED`. */
export const UNRESOLVED_RULE_BY_REFERENCE: Readonly<Record<string, string>> = {
  'ServicePresenceStatus:channels.channel': 'SPS-CHANNEL-UNRESOLVED',
};
