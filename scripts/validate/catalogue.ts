/**
 * The rule catalogue, as data: every diagnostic the validator (or the parse layer beneath it) can emit,
 * with its default severity, the rule number(s) of §10 of the reference spec it enforces and a doc link.
 * `omni validate --list-rules` prints it and the SARIF output publishes it as `tool.driver.rules`. The
 * summaries are the headings of messages/rule-summaries.md (one per rule id), read when first asked for:
 * a validate run that prints neither the list nor SARIF never loads that bundle.
 */
import { rangeOf, rangeText } from '../metadata/registry.ts';
import type { Severity } from '../lib/diagnostic.ts';
import { commandPrefix } from '../lib/io.ts';
import { ruleSummary } from '../lib/messages.ts';

/** A registry range as rule summaries write it (`10–3600`, `≥ 1`). */
const range = (type: string, path: string) => rangeText(rangeOf(type, path));

export interface RuleInfo {
  id: string;
  severity: Severity;
  /** One sentence: what the rule checks (messages/rule-summaries.md). */
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

/** A rule; `tokens` fills the `%s` of its summary (registry ranges, the command prefix) when it is read. */
const rule = (id: string, severity: Severity, specRules: number[], docs: string, source: RuleInfo['source'] = 'validator', tokens: () => Array<string | number> = () => []): RuleInfo => ({
  id,
  severity,
  get summary() {
    return ruleSummary(id, tokens());
  },
  specRules,
  docs,
  source,
});

export const RULES: readonly RuleInfo[] = [
  // Structural checks done while parsing (scripts/metadata); listed so SARIF and --list-rules know them.
  rule('XML-MALFORMED', 'error', [1], DOCS.files, 'parser'),
  rule('XML-ROOT', 'error', [1], DOCS.files, 'parser'),
  rule('XML-TYPE-UNKNOWN', 'error', [1], DOCS.files, 'parser'),
  rule('XML-UNKNOWN-ELEMENT', 'warning', [3], DOCS.files, 'parser'),
  rule('XML-DUPLICATE-ELEMENT', 'error', [3], DOCS.files, 'parser'),
  rule('XML-VALUE-TYPE', 'error', [4, 21, 22, 24], DOCS.files, 'parser'),
  rule('XML-REQUIRED', 'error', [5, 18, 22], DOCS.files, 'parser'),
  rule('XML-NIL', 'error', [4, 18], DOCS.files, 'parser'),
  rule('XML-ORDER', 'error', [3], DOCS.files, 'parser'),
  rule('FILE-READ', 'error', [1], DOCS.files),
  rule('SPEC-READ', 'error', [], DOCS.files, 'spec'),
  rule('SPEC-YAML', 'error', [], DOCS.files, 'spec'),
  rule('SPEC-SCHEMA', 'error', [2, 4, 5], DOCS.files, 'spec'),
  rule('SPEC-EMPTY', 'error', [], DOCS.files, 'spec'),
  rule('SPEC-VERSION', 'error', [3, 29], DOCS.versions, 'spec'),
  rule('SPEC-STATIC-RESOURCE', 'info', [], 'https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_presenceuserconfig.htm', 'spec', () => [commandPrefix()]),
  rule('SPEC-USER-ASSIGNMENT', 'error', [13], DOCS.pucUser, 'spec'),

  // §10 structural (all types)
  rule('FILE-LOCATION', 'warning', [1], DOCS.files),
  rule('NAME-DEVELOPER-NAME', 'error', [2], DOCS.puc),
  rule('NAME-LABEL', 'error', [2], DOCS.puc),
  rule('VALUE-EMPTY', 'error', [4, 18], DOCS.files),
  rule('NAME-DUPLICATE', 'error', [2], DOCS.files),
  rule('API-VERSION-ELEMENT', 'error', [3, 29], DOCS.versions),

  // PresenceUserConfig
  rule('PUC-CAPACITY', 'error', [5], DOCS.puc),
  rule('PUC-AUTOACCEPT-DECLINE', 'error', [6], DOCS.puc),
  rule('PUC-DECLINE-REASON-NEEDS-DECLINE', 'error', [7], DOCS.puc),
  rule('PUC-DECLINE-REASON-EMPTY', 'error', [7], DOCS.puc),
  rule('PUC-STATUS-ON-DECLINE-NEEDS-DECLINE', 'error', [8], DOCS.puc),
  rule('PUC-ACW-MAXTIME', 'error', [9], DOCS.puc, 'validator', () => [range('PresenceUserConfig', 'afterConvoWorkMaxTime')]),
  rule('PUC-ACW-MAXTIME-UNUSED', 'warning', [9], DOCS.puc),
  rule('PUC-ACW-EXTENSION', 'error', [10], DOCS.puc, 'validator', () => [range('PresenceUserConfig', 'acwExtensionDuration'), String(rangeOf('PresenceUserConfig', 'maxExtensions').min), String(rangeOf('PresenceUserConfig', 'maxExtensions').max)]),
  rule('PUC-INTERRUPTIBLE-CAPACITY', 'error', [11], DOCS.puc, 'validator', () => [range('PresenceUserConfig', 'interruptibleCapacity')]),
  rule('PUC-STATUS-NOT-AWAY', 'warning', [12, 16], DOCS.puc),
  rule('PUC-USER-DISPLAY-NAME', 'warning', [15], DOCS.puc),
  rule('ASSIGN-USER-TWICE', 'error', [14], DOCS.pucUser),
  rule('ASSIGN-PROFILE-TWICE', 'error', [14], DOCS.pucProfile),
  rule('ASSIGN-USERS-IN-SOURCE', 'warning', [13], DOCS.pucUser),

  // References (driven by the registry's references table)
  rule('REF-UNRESOLVED', 'warning', [12, 16, 25, 27], DOCS.files),
  rule('SPS-CHANNEL-UNRESOLVED', 'warning', [16], DOCS.sps),
  rule('REF-UNRESOLVED-LOCALLY', 'info', [12, 13, 16, 25, 27], DOCS.files),
  rule('REF-DUPLICATE', 'error', [13, 16], DOCS.files),
  rule('REF-NAME', 'error', [2, 12, 16, 25, 27], DOCS.files),

  // ServicePresenceStatus / access
  rule('SPS-NOT-GRANTED', 'warning', [17], DOCS.permset),

  // ServiceChannel
  rule('SC-ENTITY-DUPLICATE', 'error', [18], DOCS.sc),
  rule('SC-ACW-ENTITY', 'error', [19], DOCS.sc),
  rule('SC-ACW-MAXTIME', 'error', [19], DOCS.sc, 'validator', () => [range('ServiceChannel', 'afterConvoWorkMaxTime')]),
  rule('SC-ACW-MAXTIME-UNUSED', 'warning', [19], DOCS.sc),
  rule('SC-ACW-EXTENSION', 'error', [19], DOCS.sc, 'validator', () => [range('ServiceChannel', 'acwExtensionDuration'), String(rangeOf('ServiceChannel', 'maxExtensions').min), String(rangeOf('ServiceChannel', 'maxExtensions').max)]),
  rule('SC-PRIORITY-FIELD', 'error', [20], DOCS.sc),
  rule('SC-PRIORITY-VALUE-DUPLICATE', 'error', [20], DOCS.sc),
  rule('SC-STATUS-BASED', 'error', [21], DOCS.sc),
  rule('SC-STATUS-VALUE-DUPLICATE', 'error', [21], DOCS.sc),

  // QueueRoutingConfig / Queue
  rule('QRC-ROUTING-PRIORITY', 'error', [22], DOCS.qrc),
  rule('QRC-CAPACITY-ONE-OF', 'error', [23], DOCS.qrc),
  rule('QRC-CAPACITY-RANGE', 'error', [23], DOCS.qrc),
  rule('QRC-VOICE-FULL-CAPACITY', 'warning', [23], DOCS.qrc),
  rule('QRC-PUSH-TIMEOUT', 'error', [24], DOCS.qrc),
  rule('QRC-SKILLS-TIMEOUT', 'error', [24], DOCS.qrc),
  rule('QRC-OVERFLOW-ONE-OF', 'error', [25], DOCS.qrc),
  rule('QRC-CAPACITY-EXCEEDS-AGENT', 'warning', [26], DOCS.qrc),
  rule('QRC-UNUSED', 'info', [], DOCS.qrc, 'validator', () => [commandPrefix()]),
  rule('QRC-OVERFLOW-LOOP', 'warning', [25], DOCS.qrc),
  rule('QUEUE-NO-MEMBERS', 'info', [], DOCS.queue),
  rule('PUC-NOT-HELD', 'info', [], DOCS.puc),
  rule('SPS-NO-CHANNELS', 'info', [16], DOCS.sps),
  rule('SPS-UNREACHED', 'info', [16, 27], DOCS.sps),
  rule('QUEUE-SOBJECT-CHANNEL', 'warning', [27], DOCS.queue),

  // Org/environment, as far as the project shows it
  rule('SETTINGS-OMNI-DISABLED', 'warning', [28], DOCS.settings),
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function getRule(id: string): RuleInfo | undefined {
  return BY_ID.get(id);
}

/** Element-path-specific ids for unresolved references; everything else uses `REF-UNRESOLVED`. */
export const UNRESOLVED_RULE_BY_REFERENCE: Readonly<Record<string, string>> = {
  'ServicePresenceStatus:channels.channel': 'SPS-CHANNEL-UNRESOLVED',
};
