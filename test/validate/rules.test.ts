/**
 * One failing and one passing fixture per rule of the validator: the failing project must report exactly
 * that rule id at the element's line and column; the passing project (the same with the problem fixed)
 * must not report it at all.
 */
import { describe, expect, test } from 'vitest';
import { byRule, pdr, puc, qrc, queue, permset, sc, settings, sps, validate, xml, type ProjectOptions } from './helpers.ts';
import { RULES } from '../../scripts/validate/catalogue.ts';
import { validateDocuments } from '../../scripts/validate/index.ts';
import { parseMetadata } from '../../scripts/metadata/document.ts';
import { getType } from '../../scripts/metadata/registry.ts';

/**
 * What of §10 only the org can answer, by rule number: checked by deploy/doctor, not here. Rules listed with
 * an offline part are also in `specRules` above; rule 30 is about how a deploy runs, not about the source.
 */
const ORG_ONLY_SPEC_RULES: Readonly<Record<number, string>> = {
  12: 'decline reasons and statuses that exist only in the org (REF-UNRESOLVED-LOCALLY here)',
  13: 'profiles and usernames exist in the target org (REF-UNRESOLVED-LOCALLY here)',
  14: 'existing PresenceUserConfigUser/PresenceUserConfigProfile rows of configurations not in the project',
  25: 'skills and overflow users exist in the org (REF-UNRESOLVED-LOCALLY here)',
  28: "the target org's own OmniChannelSettings (here only the project's settings file)",
  30: 'deploy order and never updating PresenceUserConfig through the Data API: how deploy works, not a source check',
};


interface Case {
  rule: string;
  failing: Record<string, string>;
  passing: Record<string, string>;
  /** Where the (first) diagnostic of the rule must be. */
  at: { file: string; line: number; column: number };
  /** Text the message must contain. */
  says?: RegExp;
  options?: ProjectOptions;
}

const P = 'PresenceUserConfig';
const base = ['<capacity>5</capacity>'];
const statuses = {
  [sps('Away')]: xml('ServicePresenceStatus', ['<label>Away</label>']),
  [sps('Online')]: xml('ServicePresenceStatus', ['<channels>', '    <channel>Cases</channel>', '</channels>', '<label>Online</label>']),
  [sc('Cases')]: xml('ServiceChannel', ['<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>']),
};

const cases: Case[] = [
  {
    rule: 'FILE-LOCATION',
    failing: { "force-app/main/default/statuses/Away.servicePresenceStatus-meta.xml": xml('ServicePresenceStatus', ['<label>Away</label>']) },
    passing: { [sps('Away')]: xml('ServicePresenceStatus', ['<label>Away</label>']) },
    at: { file: 'force-app/main/default/statuses/Away.servicePresenceStatus-meta.xml', line: 2, column: 1 },
    says: /servicePresenceStatuses\/Away\.servicePresenceStatus-meta\.xml/,
  },
  {
    rule: 'NAME-DEVELOPER-NAME',
    failing: { [pdr('Wrong__Queue')]: xml('PresenceDeclineReason', ['<label>Wrong queue</label>']) },
    passing: { [pdr('Wrong_Queue')]: xml('PresenceDeclineReason', ['<label>Wrong queue</label>']) },
    at: { file: pdr('Wrong__Queue'), line: 2, column: 1 },
    says: /must not contain "__"/,
  },
  {
    rule: 'NAME-DEVELOPER-NAME',
    failing: { [pdr('Wrong_')]: xml('PresenceDeclineReason', ['<label>Wrong</label>']) },
    passing: { [pdr('Wrong')]: xml('PresenceDeclineReason', ['<label>Wrong</label>']) },
    at: { file: pdr('Wrong_'), line: 2, column: 1 },
    says: /must not end with "_"/,
  },
  {
    rule: 'NAME-LABEL',
    failing: { [pdr('Long')]: xml('PresenceDeclineReason', [`<label>${'x'.repeat(81)}</label>`]) },
    passing: { [pdr('Long')]: xml('PresenceDeclineReason', [`<label>${'x'.repeat(80)}</label>`]) },
    at: { file: pdr('Long'), line: 3, column: 5 },
    says: /81 characters/,
  },
  {
    rule: 'API-VERSION-ELEMENT',
    failing: { [puc('acw')]: xml(P, ['<afterConvoWorkMaxTime>60</afterConvoWorkMaxTime>', ...base, '<hasAfterConvoWorkTimer>true</hasAfterConvoWorkTimer>', '<label>a</label>']) },
    passing: { [puc('acw')]: xml(P, [...base, '<label>a</label>']) },
    at: { file: puc('acw'), line: 3, column: 5 },
    says: /afterConvoWorkMaxTime needs API 65\.0; the project's sourceApiVersion is 64\.0/,
    options: { apiVersion: '64.0' },
  },
  {
    rule: 'PUC-CAPACITY',
    failing: { [puc('c')]: xml(P, ['<capacity>0</capacity>', '<label>c</label>']) },
    passing: { [puc('c')]: xml(P, ['<capacity>1</capacity>', '<label>c</label>']) },
    at: { file: puc('c'), line: 3, column: 5 },
  },
  {
    rule: 'PUC-AUTOACCEPT-DECLINE',
    failing: { [puc('miaw')]: xml(P, [...base, '<enableAutoAccept>true</enableAutoAccept>', '<enableDecline>true</enableDecline>', '<label>m</label>']) },
    passing: { [puc('miaw')]: xml(P, [...base, '<enableAutoAccept>true</enableAutoAccept>', '<enableDecline>false</enableDecline>', '<label>m</label>']) },
    at: { file: puc('miaw'), line: 5, column: 5 },
  },
  {
    rule: 'PUC-DECLINE-REASON-NEEDS-DECLINE',
    failing: {
      [pdr('Busy')]: xml('PresenceDeclineReason', ['<label>Busy</label>']),
      [puc('d')]: xml(P, [...base, '<declineReasons>Busy</declineReasons>', '<enableDecline>false</enableDecline>', '<enableDeclineReason>true</enableDeclineReason>', '<label>d</label>']),
    },
    passing: {
      [pdr('Busy')]: xml('PresenceDeclineReason', ['<label>Busy</label>']),
      [puc('d')]: xml(P, [...base, '<declineReasons>Busy</declineReasons>', '<enableDecline>true</enableDecline>', '<enableDeclineReason>true</enableDeclineReason>', '<label>d</label>']),
    },
    at: { file: puc('d'), line: 6, column: 5 },
  },
  {
    rule: 'PUC-DECLINE-REASON-EMPTY',
    failing: { [puc('d')]: xml(P, [...base, '<enableDecline>true</enableDecline>', '<enableDeclineReason>true</enableDeclineReason>', '<label>d</label>']) },
    passing: { [puc('d')]: xml(P, [...base, '<enableDecline>true</enableDecline>', '<enableDeclineReason>false</enableDeclineReason>', '<label>d</label>']) },
    at: { file: puc('d'), line: 5, column: 5 },
  },
  {
    rule: 'PUC-STATUS-ON-DECLINE-NEEDS-DECLINE',
    failing: { ...statuses, [puc('s')]: xml(P, [...base, '<enableDecline>false</enableDecline>', '<label>s</label>', '<presenceStatusOnDecline>Away</presenceStatusOnDecline>']) },
    passing: { ...statuses, [puc('s')]: xml(P, [...base, '<enableDecline>true</enableDecline>', '<label>s</label>', '<presenceStatusOnDecline>Away</presenceStatusOnDecline>']) },
    at: { file: puc('s'), line: 6, column: 5 },
  },
  {
    rule: 'PUC-ACW-MAXTIME',
    failing: { [puc('w')]: xml(P, [...base, '<hasAfterConvoWorkTimer>true</hasAfterConvoWorkTimer>', '<label>w</label>']) },
    passing: { [puc('w')]: xml(P, ['<afterConvoWorkMaxTime>120</afterConvoWorkMaxTime>', ...base, '<hasAfterConvoWorkTimer>true</hasAfterConvoWorkTimer>', '<label>w</label>']) },
    at: { file: puc('w'), line: 4, column: 5 },
    says: /afterConvoWorkMaxTime is missing/,
  },
  {
    rule: 'PUC-ACW-MAXTIME',
    failing: { [puc('w')]: xml(P, ['<afterConvoWorkMaxTime>5</afterConvoWorkMaxTime>', ...base, '<hasAfterConvoWorkTimer>true</hasAfterConvoWorkTimer>', '<label>w</label>']) },
    passing: { [puc('w')]: xml(P, ['<afterConvoWorkMaxTime>3600</afterConvoWorkMaxTime>', ...base, '<hasAfterConvoWorkTimer>true</hasAfterConvoWorkTimer>', '<label>w</label>']) },
    at: { file: puc('w'), line: 3, column: 5 },
    says: /is 5; it must be an integer from 10 to 3600/,
  },
  {
    rule: 'PUC-ACW-MAXTIME-UNUSED',
    failing: { [puc('w')]: xml(P, ['<afterConvoWorkMaxTime>60</afterConvoWorkMaxTime>', ...base, '<hasAfterConvoWorkTimer>false</hasAfterConvoWorkTimer>', '<label>w</label>']) },
    passing: { [puc('w')]: xml(P, [...base, '<hasAfterConvoWorkTimer>false</hasAfterConvoWorkTimer>', '<label>w</label>']) },
    at: { file: puc('w'), line: 3, column: 5 },
  },
  {
    rule: 'PUC-ACW-EXTENSION',
    failing: {
      [puc('x')]: xml(P, ['<acwExtensionDuration>60</acwExtensionDuration>', ...base, '<hasAcwExtensionEnabled>true</hasAcwExtensionEnabled>', '<label>x</label>', '<maxExtensions>2</maxExtensions>']),
    },
    passing: {
      [puc('x')]: xml(P, [
        '<acwExtensionDuration>60</acwExtensionDuration>',
        '<afterConvoWorkMaxTime>60</afterConvoWorkMaxTime>',
        ...base,
        '<hasAcwExtensionEnabled>true</hasAcwExtensionEnabled>',
        '<hasAfterConvoWorkTimer>true</hasAfterConvoWorkTimer>',
        '<label>x</label>',
        '<maxExtensions>2</maxExtensions>',
      ]),
    },
    at: { file: puc('x'), line: 5, column: 5 },
    says: /hasAfterConvoWorkTimer is not/,
  },
  {
    rule: 'PUC-ACW-EXTENSION',
    failing: {
      [puc('x')]: xml(P, ['<acwExtensionDuration>60</acwExtensionDuration>', '<afterConvoWorkMaxTime>60</afterConvoWorkMaxTime>', ...base, '<hasAcwExtensionEnabled>true</hasAcwExtensionEnabled>', '<hasAfterConvoWorkTimer>true</hasAfterConvoWorkTimer>', '<label>x</label>', '<maxExtensions>11</maxExtensions>']),
    },
    passing: {
      [puc('x')]: xml(P, ['<acwExtensionDuration>60</acwExtensionDuration>', '<afterConvoWorkMaxTime>60</afterConvoWorkMaxTime>', ...base, '<hasAcwExtensionEnabled>true</hasAcwExtensionEnabled>', '<hasAfterConvoWorkTimer>true</hasAfterConvoWorkTimer>', '<label>x</label>', '<maxExtensions>10</maxExtensions>']),
    },
    at: { file: puc('x'), line: 9, column: 5 },
    says: /maxExtensions is "11"/,
  },
  {
    rule: 'PUC-INTERRUPTIBLE-CAPACITY',
    failing: { [puc('i')]: xml(P, [...base, '<interruptibleCapacity>0</interruptibleCapacity>', '<label>i</label>']) },
    passing: { [puc('i')]: xml(P, [...base, '<interruptibleCapacity>25</interruptibleCapacity>', '<label>i</label>']) },
    at: { file: puc('i'), line: 4, column: 5 },
  },
  {
    rule: 'PUC-USER-DISPLAY-NAME',
    failing: { [puc('u')]: xml(P, [...base, '<label>u</label>', '<userDisplayName>{!User_Email}</userDisplayName>']) },
    passing: { [puc('u')]: xml(P, [...base, '<label>u</label>', '<userDisplayName>{!User_Alias}</userDisplayName>']) },
    at: { file: puc('u'), line: 5, column: 5 },
  },
  {
    rule: 'ASSIGN-USERS-IN-SOURCE',
    failing: { [puc('a')]: xml(P, ['<assignments>', '    <users>', '        <user>jane@acme.example</user>', '    </users>', '</assignments>', ...base, '<label>a</label>']) },
    passing: { [puc('a')]: xml(P, ['<assignments>', '    <profiles>', '        <profile>Agent</profile>', '    </profiles>', '</assignments>', ...base, '<label>a</label>']) },
    at: { file: puc('a'), line: 4, column: 9 },
  },
  {
    rule: 'REF-UNRESOLVED',
    failing: { ...statuses, [puc('r')]: xml(P, [...base, '<label>r</label>', '<presenceStatusOnPushTimeout>Awy</presenceStatusOnPushTimeout>']) },
    passing: { ...statuses, [puc('r')]: xml(P, [...base, '<label>r</label>', '<presenceStatusOnPushTimeout>Away</presenceStatusOnPushTimeout>']) },
    at: { file: puc('r'), line: 5, column: 5 },
    says: /presenceStatusOnPushTimeout "Awy" is not a ServicePresenceStatus of the project; did you mean "Away"\?/,
  },
  {
    rule: 'REF-UNRESOLVED',
    failing: { [pdr('Busy')]: xml('PresenceDeclineReason', ['<label>Busy</label>']), [puc('r')]: xml(P, [...base, '<declineReasons>Bussy</declineReasons>', '<label>r</label>']) },
    passing: { [pdr('Busy')]: xml('PresenceDeclineReason', ['<label>Busy</label>']), [puc('r')]: xml(P, [...base, '<declineReasons>Busy</declineReasons>', '<label>r</label>']) },
    at: { file: puc('r'), line: 4, column: 5 },
  },
  {
    rule: 'SPS-CHANNEL-UNRESOLVED',
    failing: { [sc('Cases')]: statuses[sc('Cases')], [sps('On')]: xml('ServicePresenceStatus', ['<channels>', '    <channel>Case</channel>', '</channels>', '<label>On</label>']) },
    passing: { [sc('Cases')]: statuses[sc('Cases')], [sps('On')]: xml('ServicePresenceStatus', ['<channels>', '    <channel>Cases</channel>', '</channels>', '<label>On</label>']) },
    at: { file: sps('On'), line: 4, column: 9 },
  },
  {
    rule: 'REF-DUPLICATE',
    failing: { [sc('Cases')]: statuses[sc('Cases')], [sps('On')]: xml('ServicePresenceStatus', ['<channels>', '    <channel>Cases</channel>', '    <channel>Cases</channel>', '</channels>', '<label>On</label>']) },
    passing: { [sc('Cases')]: statuses[sc('Cases')], [sps('On')]: xml('ServicePresenceStatus', ['<channels>', '    <channel>Cases</channel>', '</channels>', '<label>On</label>']) },
    at: { file: sps('On'), line: 5, column: 9 },
  },
  {
    rule: 'REF-DUPLICATE',
    failing: { [puc('p')]: xml(P, ['<assignments>', '    <profiles>', '        <profile>Support Agent</profile>', '        <profile>support agent</profile>', '    </profiles>', '</assignments>', ...base, '<label>p</label>']) },
    passing: { [puc('p')]: xml(P, ['<assignments>', '    <profiles>', '        <profile>Support Agent</profile>', '        <profile>Admin</profile>', '    </profiles>', '</assignments>', ...base, '<label>p</label>']) },
    at: { file: puc('p'), line: 6, column: 13 },
    says: /profile "support agent" is listed twice/,
  },
  {
    rule: 'PUC-STATUS-NOT-AWAY',
    failing: { ...statuses, [puc('o')]: xml(P, [...base, '<label>o</label>', '<presenceStatusOnPushTimeout>Online</presenceStatusOnPushTimeout>']) },
    passing: { ...statuses, [puc('o')]: xml(P, [...base, '<label>o</label>', '<presenceStatusOnPushTimeout>Away</presenceStatusOnPushTimeout>']) },
    at: { file: puc('o'), line: 5, column: 5 },
  },
  {
    rule: 'SPS-NOT-GRANTED',
    failing: {
      ...statuses,
      [permset('Agents')]: xml('PermissionSet', ['<label>Agents</label>', '<servicePresenceStatusAccesses>', '    <enabled>true</enabled>', '    <servicePresenceStatus>Online</servicePresenceStatus>', '</servicePresenceStatusAccesses>']),
    },
    passing: {
      ...statuses,
      [permset('Agents')]: xml('PermissionSet', [
        '<label>Agents</label>',
        '<servicePresenceStatusAccesses>',
        '    <enabled>true</enabled>',
        '    <servicePresenceStatus>Online</servicePresenceStatus>',
        '</servicePresenceStatusAccesses>',
        '<servicePresenceStatusAccesses>',
        '    <enabled>true</enabled>',
        '    <servicePresenceStatus>Away</servicePresenceStatus>',
        '</servicePresenceStatusAccesses>',
      ]),
    },
    at: { file: sps('Away'), line: 2, column: 1 },
  },
  {
    rule: 'SC-ACW-ENTITY',
    failing: { [sc('Cases')]: xml('ServiceChannel', ['<afterConvoWorkMaxTime>60</afterConvoWorkMaxTime>', '<hasAfterConvoWorkTimer>true</hasAfterConvoWorkTimer>', '<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>']) },
    passing: { [sc('Cases')]: xml('ServiceChannel', ['<hasAfterConvoWorkTimer>false</hasAfterConvoWorkTimer>', '<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>']) },
    at: { file: sc('Cases'), line: 3, column: 5 },
  },
  {
    rule: 'SC-ACW-MAXTIME',
    failing: { [sc('Phone')]: xml('ServiceChannel', ['<afterConvoWorkMaxTime>4000</afterConvoWorkMaxTime>', '<hasAfterConvoWorkTimer>true</hasAfterConvoWorkTimer>', '<label>Phone</label>', '<relatedEntityType>VoiceCall</relatedEntityType>']) },
    passing: { [sc('Phone')]: xml('ServiceChannel', ['<afterConvoWorkMaxTime>120</afterConvoWorkMaxTime>', '<hasAfterConvoWorkTimer>true</hasAfterConvoWorkTimer>', '<label>Phone</label>', '<relatedEntityType>VoiceCall</relatedEntityType>']) },
    at: { file: sc('Phone'), line: 3, column: 5 },
  },
  {
    rule: 'SC-ACW-MAXTIME-UNUSED',
    failing: { [sc('Phone')]: xml('ServiceChannel', ['<afterConvoWorkMaxTime>120</afterConvoWorkMaxTime>', '<label>Phone</label>', '<relatedEntityType>VoiceCall</relatedEntityType>']) },
    passing: { [sc('Phone')]: xml('ServiceChannel', ['<label>Phone</label>', '<relatedEntityType>VoiceCall</relatedEntityType>']) },
    at: { file: sc('Phone'), line: 3, column: 5 },
  },
  {
    rule: 'SC-ACW-EXTENSION',
    failing: { [sc('Phone')]: xml('ServiceChannel', ['<afterConvoWorkMaxTime>120</afterConvoWorkMaxTime>', '<hasAcwExtensionEnabled>true</hasAcwExtensionEnabled>', '<hasAfterConvoWorkTimer>true</hasAfterConvoWorkTimer>', '<label>Phone</label>', '<maxExtensions>2</maxExtensions>', '<relatedEntityType>VoiceCall</relatedEntityType>']) },
    passing: { [sc('Phone')]: xml('ServiceChannel', ['<acwExtensionDuration>60</acwExtensionDuration>', '<afterConvoWorkMaxTime>120</afterConvoWorkMaxTime>', '<hasAcwExtensionEnabled>true</hasAcwExtensionEnabled>', '<hasAfterConvoWorkTimer>true</hasAfterConvoWorkTimer>', '<label>Phone</label>', '<maxExtensions>2</maxExtensions>', '<relatedEntityType>VoiceCall</relatedEntityType>']) },
    at: { file: sc('Phone'), line: 4, column: 5 },
    says: /acwExtensionDuration is missing/,
  },
  {
    rule: 'SC-PRIORITY-FIELD',
    failing: { [sc('Cases')]: xml('ServiceChannel', ['<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>', '<serviceChannelFieldPriorities>', '    <priority>1</priority>', '    <value>High</value>', '</serviceChannelFieldPriorities>']) },
    passing: { [sc('Cases')]: xml('ServiceChannel', ['<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>', '<secondaryRoutingPriorityField>Priority</secondaryRoutingPriorityField>', '<serviceChannelFieldPriorities>', '    <priority>1</priority>', '    <value>High</value>', '</serviceChannelFieldPriorities>']) },
    at: { file: sc('Cases'), line: 5, column: 5 },
  },
  {
    rule: 'SC-PRIORITY-VALUE-DUPLICATE',
    failing: {
      [sc('Cases')]: xml('ServiceChannel', ['<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>', '<secondaryRoutingPriorityField>Priority</secondaryRoutingPriorityField>', '<serviceChannelFieldPriorities>', '    <priority>1</priority>', '    <value>High</value>', '</serviceChannelFieldPriorities>', '<serviceChannelFieldPriorities>', '    <priority>2</priority>', '    <value>High</value>', '</serviceChannelFieldPriorities>']),
    },
    passing: {
      [sc('Cases')]: xml('ServiceChannel', ['<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>', '<secondaryRoutingPriorityField>Priority</secondaryRoutingPriorityField>', '<serviceChannelFieldPriorities>', '    <priority>1</priority>', '    <value>High</value>', '</serviceChannelFieldPriorities>', '<serviceChannelFieldPriorities>', '    <priority>2</priority>', '    <value>Low</value>', '</serviceChannelFieldPriorities>']),
    },
    at: { file: sc('Cases'), line: 12, column: 9 },
  },
  {
    rule: 'SC-STATUS-BASED',
    failing: { [sc('Cases')]: xml('ServiceChannel', ['<capacityModel>TAB_BASED</capacityModel>', '<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>', '<statusField>Status</statusField>']) },
    passing: { [sc('Cases')]: xml('ServiceChannel', ['<capacityModel>STATUS_BASED</capacityModel>', '<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>', '<statusField>Status</statusField>']) },
    at: { file: sc('Cases'), line: 6, column: 5 },
  },
  {
    rule: 'SC-STATUS-VALUE-DUPLICATE',
    failing: {
      [sc('Cases')]: xml('ServiceChannel', ['<capacityModel>STATUS_BASED</capacityModel>', '<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>', '<serviceChannelStatusFieldMappings>', '    <type>COMPLETED</type>', '    <value>Closed</value>', '</serviceChannelStatusFieldMappings>', '<serviceChannelStatusFieldMappings>', '    <type>PAUSED</type>', '    <value>Closed</value>', '</serviceChannelStatusFieldMappings>', '<statusField>Status</statusField>']),
    },
    passing: {
      [sc('Cases')]: xml('ServiceChannel', ['<capacityModel>STATUS_BASED</capacityModel>', '<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>', '<serviceChannelStatusFieldMappings>', '    <type>COMPLETED</type>', '    <value>Closed</value>', '</serviceChannelStatusFieldMappings>', '<serviceChannelStatusFieldMappings>', '    <type>PAUSED</type>', '    <value>On Hold</value>', '</serviceChannelStatusFieldMappings>', '<statusField>Status</statusField>']),
    },
    at: { file: sc('Cases'), line: 12, column: 9 },
  },
  {
    rule: 'QRC-ROUTING-PRIORITY',
    failing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>-1</routingPriority>']) },
    passing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>0</routingPriority>']) },
    at: { file: qrc('R'), line: 6, column: 5 },
  },
  {
    rule: 'QRC-CAPACITY-ONE-OF',
    failing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityPercentage>50.0</capacityPercentage>', '<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    passing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityPercentage>50.0</capacityPercentage>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    at: { file: qrc('R'), line: 3, column: 5 },
    says: /Both capacityWeight and capacityPercentage/,
  },
  {
    rule: 'QRC-CAPACITY-ONE-OF',
    failing: { [qrc('R')]: xml('QueueRoutingConfig', ['<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    passing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>2.0</capacityWeight>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    at: { file: qrc('R'), line: 2, column: 1 },
    says: /Neither/,
  },
  {
    rule: 'QRC-CAPACITY-RANGE',
    failing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityPercentage>150.0</capacityPercentage>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    passing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityPercentage>100.0</capacityPercentage>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    at: { file: qrc('R'), line: 3, column: 5 },
  },
  {
    rule: 'QRC-PUSH-TIMEOUT',
    failing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<pushTimeout>-5</pushTimeout>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    passing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<pushTimeout>0</pushTimeout>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    at: { file: qrc('R'), line: 5, column: 5 },
  },
  {
    rule: 'QRC-SKILLS-TIMEOUT',
    failing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<dropAdditionalSkillsTimeout>-1</dropAdditionalSkillsTimeout>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    passing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<dropAdditionalSkillsTimeout>0</dropAdditionalSkillsTimeout>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    at: { file: qrc('R'), line: 4, column: 5 },
  },
  {
    rule: 'QRC-CAPACITY-RANGE',
    failing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<pausedCapacityPercentage>100.5</pausedCapacityPercentage>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    passing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<pausedCapacityPercentage>0.0</pausedCapacityPercentage>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    at: { file: qrc('R'), line: 5, column: 5 },
    says: /pausedCapacityPercentage is 100\.5/,
  },
  {
    rule: 'QRC-CAPACITY-RANGE',
    failing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<pausedCapacityWeight>-0.5</pausedCapacityWeight>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    passing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<pausedCapacityWeight>0.0</pausedCapacityWeight>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    at: { file: qrc('R'), line: 5, column: 5 },
    says: /pausedCapacityWeight is -0\.5/,
  },
  {
    rule: 'VALUE-EMPTY',
    failing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>', '<userOverflowAssignee> </userOverflowAssignee>']) },
    passing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>', '<userOverflowAssignee>boss@acme.example</userOverflowAssignee>']) },
    at: { file: qrc('R'), line: 7, column: 5 },
    says: /userOverflowAssignee is empty/,
  },
  {
    rule: 'REF-NAME',
    failing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>', '<skills>', '    <skill>Spanish Speakers</skill>', '</skills>']) },
    passing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>', '<skills>', '    <skill>Spanish_Speakers</skill>', '</skills>']) },
    at: { file: qrc('R'), line: 8, column: 9 },
    says: /skills\.skill "Spanish Speakers" is not a developer name/,
  },
  {
    rule: 'QRC-OVERFLOW-ONE-OF',
    failing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<queueOverflowAssignee>Overflow</queueOverflowAssignee>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>', '<userOverflowAssignee>boss@acme.example</userOverflowAssignee>']) },
    passing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<queueOverflowAssignee>Overflow</queueOverflowAssignee>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']) },
    at: { file: qrc('R'), line: 8, column: 5 },
  },
  {
    rule: 'SETTINGS-OMNI-DISABLED',
    failing: { ...statuses, [settings()]: xml('OmniChannelSettings', ['<enableOmniChannel>false</enableOmniChannel>']) },
    passing: { ...statuses, [settings()]: xml('OmniChannelSettings', ['<enableOmniChannel>true</enableOmniChannel>']) },
    at: { file: settings(), line: 3, column: 5 },
  },
  {
    rule: 'QUEUE-SOBJECT-CHANNEL',
    failing: {
      ...statuses,
      [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']),
      [queue('Q')]: xml('Queue', ['<name>Q</name>', '<queueRoutingConfig>R</queueRoutingConfig>', '<queueSobject>', '    <sobjectType>Lead</sobjectType>', '</queueSobject>']),
    },
    passing: {
      ...statuses,
      [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']),
      [queue('Q')]: xml('Queue', ['<name>Q</name>', '<queueRoutingConfig>R</queueRoutingConfig>', '<queueSobject>', '    <sobjectType>Case</sobjectType>', '</queueSobject>']),
    },
    at: { file: queue('Q'), line: 6, column: 9 },
  },
  {
    rule: 'QRC-VOICE-FULL-CAPACITY',
    failing: {
      [qrc('Voice')]: xml('QueueRoutingConfig', ['<capacityPercentage>50.0</capacityPercentage>', '<label>Voice</label>', '<routingModel>MOST_AVAILABLE</routingModel>', '<routingPriority>1</routingPriority>']),
      [queue('Calls')]: xml('Queue', ['<name>Calls</name>', '<queueRoutingConfig>Voice</queueRoutingConfig>', '<queueSobject>', '    <sobjectType>VoiceCall</sobjectType>', '</queueSobject>']),
    },
    passing: {
      [qrc('Voice')]: xml('QueueRoutingConfig', ['<capacityPercentage>100.0</capacityPercentage>', '<label>Voice</label>', '<routingModel>MOST_AVAILABLE</routingModel>', '<routingPriority>1</routingPriority>']),
      [queue('Calls')]: xml('Queue', ['<name>Calls</name>', '<queueRoutingConfig>Voice</queueRoutingConfig>', '<queueSobject>', '    <sobjectType>VoiceCall</sobjectType>', '</queueSobject>']),
    },
    at: { file: qrc('Voice'), line: 3, column: 5 },
  },

  // Structural rules enforced by the parse layer (§10 rules 1–5, 18, 21, 22, 24), seen through the validator.
  {
    rule: 'XML-MALFORMED',
    failing: { [pdr('Bad')]: xml('PresenceDeclineReason', ['<label>Bad</label']) },
    passing: { [pdr('Bad')]: xml('PresenceDeclineReason', ['<label>Bad</label>']) },
    // the closing tag that is never closed
    at: { file: pdr('Bad'), line: 3, column: 15 },
  },
  {
    rule: 'XML-ROOT',
    failing: { [pdr('Bad')]: xml('PresenceDeclineReason', ['<label>Bad</label>']).replace('http://soap.sforce.com/2006/04/metadata', 'http://soap.sforce.com/2006/04/metadatas') },
    passing: { [pdr('Bad')]: xml('PresenceDeclineReason', ['<label>Bad</label>']) },
    at: { file: pdr('Bad'), line: 2, column: 1 },
    says: /namespace/,
  },
  {
    rule: 'XML-UNKNOWN-ELEMENT',
    failing: { [pdr('New')]: xml('PresenceDeclineReason', ['<label>New</label>', '<futureElement>1</futureElement>']) },
    passing: { [pdr('New')]: xml('PresenceDeclineReason', ['<label>New</label>']) },
    at: { file: pdr('New'), line: 4, column: 5 },
  },
  {
    rule: 'XML-DUPLICATE-ELEMENT',
    failing: { [puc('d')]: xml(P, [...base, '<capacity>6</capacity>', '<label>d</label>']) },
    passing: { [puc('d')]: xml(P, [...base, '<label>d</label>']) },
    at: { file: puc('d'), line: 4, column: 5 },
  },
  {
    rule: 'XML-VALUE-TYPE',
    failing: { [puc('b')]: xml(P, [...base, '<enableDecline>yes</enableDecline>', '<label>b</label>']) },
    passing: { [puc('b')]: xml(P, [...base, '<enableDecline>true</enableDecline>', '<label>b</label>']) },
    at: { file: puc('b'), line: 4, column: 5 },
  },
  {
    rule: 'XML-VALUE-TYPE',
    failing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<routingModel>ROUND_ROBIN</routingModel>', '<routingPriority>1</routingPriority>']) },
    passing: { [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<routingModel>EXTERNAL_ROUTING</routingModel>', '<routingPriority>1</routingPriority>']) },
    at: { file: qrc('R'), line: 5, column: 5 },
    says: /LEAST_ACTIVE/,
  },
  {
    rule: 'XML-VALUE-TYPE',
    failing: { [sc('S')]: xml('ServiceChannel', ['<capacityModel>STATUS_BASED</capacityModel>', '<label>S</label>', '<relatedEntityType>Case</relatedEntityType>', '<serviceChannelStatusFieldMappings>', '    <type>DONE</type>', '    <value>Closed</value>', '</serviceChannelStatusFieldMappings>', '<statusField>Status</statusField>']) },
    passing: { [sc('S')]: xml('ServiceChannel', ['<capacityModel>STATUS_BASED</capacityModel>', '<label>S</label>', '<relatedEntityType>Case</relatedEntityType>', '<serviceChannelStatusFieldMappings>', '    <type>COMPLETED</type>', '    <value>Closed</value>', '</serviceChannelStatusFieldMappings>', '<statusField>Status</statusField>']) },
    at: { file: sc('S'), line: 7, column: 9 },
    says: /IN_PROGRESS/,
  },
  {
    rule: 'XML-REQUIRED',
    failing: { [puc('l')]: xml(P, [...base]) },
    passing: { [puc('l')]: xml(P, [...base, '<label>l</label>']) },
    at: { file: puc('l'), line: 2, column: 1 },
    says: /<label>/,
  },
  {
    rule: 'XML-NIL',
    // nil on an optional element is accepted (a retrieve writes it); only an undeclared xsi prefix is an error.
    failing: { [puc('n')]: xml(P, [...base, '<enableDecline xsi:nil="true"/>', '<label>n</label>']) },
    passing: { [puc('n')]: xml(P, [...base, '<enableDecline xsi:nil="true"/>', '<label>n</label>']).replace('metadata">', 'metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">') },
    at: { file: puc('n'), line: 4, column: 5 },
  },
  {
    rule: 'XML-ORDER',
    failing: { [puc('o')]: xml(P, ['<label>o</label>', ...base]) },
    passing: { [puc('o')]: xml(P, [...base, '<label>o</label>']) },
    at: { file: puc('o'), line: 4, column: 5 },
  },

  // §10 rule 2 limits, rule 13 duplicates of users, rules 25/27 references of routing configs and queues.
  {
    rule: 'NAME-DEVELOPER-NAME',
    failing: { [pdr(`A${'b'.repeat(80)}`)]: xml('PresenceDeclineReason', ['<label>Long</label>']) },
    passing: { [pdr(`A${'b'.repeat(79)}`)]: xml('PresenceDeclineReason', ['<label>Long</label>']) },
    at: { file: pdr(`A${'b'.repeat(80)}`), line: 2, column: 1 },
    says: /81 characters|at most 80/,
  },
  {
    rule: 'NAME-LABEL',
    failing: { [pdr('Empty')]: xml('PresenceDeclineReason', ['<label></label>']) },
    passing: { [pdr('Empty')]: xml('PresenceDeclineReason', ['<label>Empty</label>']) },
    at: { file: pdr('Empty'), line: 3, column: 5 },
  },
  {
    rule: 'REF-DUPLICATE',
    failing: { [puc('u')]: xml(P, ['<assignments>', '    <users>', '        <user>jane@acme.example</user>', '        <user>jane@acme.example</user>', '    </users>', '</assignments>', ...base, '<label>u</label>']) },
    passing: { [puc('u')]: xml(P, ['<assignments>', '    <users>', '        <user>jane@acme.example</user>', '        <user>joe@acme.example</user>', '    </users>', '</assignments>', ...base, '<label>u</label>']) },
    at: { file: puc('u'), line: 6, column: 13 },
  },
  {
    rule: 'REF-UNRESOLVED',
    failing: {
      [queue('Overflow')]: xml('Queue', ['<name>Overflow</name>']),
      [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<queueOverflowAssignee>Overflw</queueOverflowAssignee>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']),
    },
    passing: {
      [queue('Overflow')]: xml('Queue', ['<name>Overflow</name>']),
      [qrc('R')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>R</label>', '<queueOverflowAssignee>Overflow</queueOverflowAssignee>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']),
    },
    at: { file: qrc('R'), line: 5, column: 5 },
    says: /queueOverflowAssignee "Overflw" is not a Queue of the project; did you mean "Overflow"\?/,
  },
  {
    rule: 'REF-UNRESOLVED',
    failing: {
      [qrc('Cases')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>Cases</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']),
      [queue('Q')]: xml('Queue', ['<name>Q</name>', '<queueRoutingConfig>Case</queueRoutingConfig>']),
    },
    passing: {
      [qrc('Cases')]: xml('QueueRoutingConfig', ['<capacityWeight>1.0</capacityWeight>', '<label>Cases</label>', '<routingModel>LEAST_ACTIVE</routingModel>', '<routingPriority>1</routingPriority>']),
      [queue('Q')]: xml('Queue', ['<name>Q</name>', '<queueRoutingConfig>Cases</queueRoutingConfig>']),
    },
    at: { file: queue('Q'), line: 4, column: 5 },
    says: /queueRoutingConfig "Case" is not a QueueRoutingConfig of the project; did you mean "Cases"\?/,
  },
];

describe('each rule: failing fixture reports it at the element, passing fixture does not', () => {
  test.each(cases.map((c, i) => [`${c.rule} #${i}`, c] as const))('%s', async (_name, c) => {
    const failing = byRule(await validate(c.failing, c.options), c.rule);
    expect(failing.length, `expected ${c.rule}`).toBeGreaterThan(0);
    expect({ file: failing[0].file, line: failing[0].line, column: failing[0].column }).toEqual(c.at);
    expect(failing[0].severity).toBe(RULES.find((r) => r.id === c.rule)!.severity);
    expect(failing[0].hint, 'every finding says what to change').toBeTruthy();
    if (c.says) expect(failing[0].message).toMatch(c.says);

    const passing = await validate(c.passing, c.options);
    expect(byRule(passing, c.rule)).toEqual([]);
  });
});

/** Rules whose failing fixture lives in another file (they need several files, no path, or the spec). */
const TESTED_ELSEWHERE: Record<string, string> = {
  'ASSIGN-USER-TWICE': 'cross-file.test.ts: a user in two configurations is an error naming both files',
  'ASSIGN-PROFILE-TWICE': 'cross-file.test.ts: profiles are compared case-insensitively',
  'NAME-DUPLICATE': 'cross-file.test.ts: NAME-DUPLICATE, for every type: names differing only in case, and the same name in two package directories',
  'SC-ENTITY-DUPLICATE': 'cross-file.test.ts: relatedEntityType unique across channels (rule 18), naming both files',
  'QRC-CAPACITY-EXCEEDS-AGENT': 'cross-file.test.ts: capacity sanity (rule 26)',
  'REF-UNRESOLVED-LOCALLY': 'cross-file.test.ts: profiles, users, skills and built-in channels are REF-UNRESOLVED-LOCALLY',
  'FILE-READ': 'cli.test.ts: FILE-READ: a path that is no metadata file, or an unreadable sfdx-project.json',
  'XML-TYPE-UNKNOWN': 'metadata/parse.test.ts: without a path, the root element names the type',
  'SPEC-READ': 'spec/load.test.ts: reports a missing file as SPEC-READ with a hint',
  'SPEC-YAML': 'spec/load.test.ts: turns YAML syntax errors into located SPEC-YAML diagnostics',
  'SPEC-SCHEMA': 'spec/load.test.ts: suggests the closest key / reports a missing required key / rejects bad developer names',
  'SPEC-EMPTY': 'yaml-spec/load.test.ts: a spec that declares no component is a SPEC-EMPTY error; validate/cli.test.ts: validate and generate fail on it, import fills it',
  'SPEC-VERSION': 'spec/load.test.ts: reports an element newer than the API version, naming element, minimum and current version',
  'SPEC-USER-ASSIGNMENT': 'spec/load.test.ts: rejects user assignments with a hint to assignment files',
  'QRC-UNUSED': 'graph/validator.test.ts: the routing graph problems are validator findings at their component',
  'QRC-OVERFLOW-LOOP': 'graph/validator.test.ts: the routing graph problems are validator findings at their component',
  'QUEUE-NO-MEMBERS': 'graph/validator.test.ts: membership findings come from the assignment files',
  'PUC-NOT-HELD': 'graph/validator.test.ts: membership findings come from the assignment files',
  'SPS-NO-CHANNELS': 'graph/validator.test.ts: the routing graph problems are validator findings at their component',
  'SPS-UNREACHED': 'graph/validator.test.ts: the routing graph problems are validator findings at their component',
  'SPEC-STATIC-RESOURCE': 'deploy/record-settings.test.ts: a static resource neither in the project nor in the org (validate reports it as info at its line)',
};

test('every rule of the catalogue (parser, spec and validator) has a failing fixture above or a named test elsewhere', () => {
  const covered = new Set(cases.map((c) => c.rule));
  const missing = RULES.filter((r) => !covered.has(r.id) && !Object.hasOwn(TESTED_ELSEWHERE, r.id)).map((r) => r.id);
  expect(missing).toEqual([]);
  // and the list above names only real rules
  expect(Object.keys(TESTED_ELSEWHERE).filter((id) => !RULES.some((r) => r.id === id))).toEqual([]);
});

test('every rule 1–30 of §10 has a rule id here, or is listed as org-only with the reason', () => {
  const uncovered: number[] = [];
  for (let n = 1; n <= 30; n++) {
    if (!RULES.some((r) => r.specRules.includes(n)) && !Object.hasOwn(ORG_ONLY_SPEC_RULES, n)) uncovered.push(n);
  }
  expect(uncovered).toEqual([]);
  // Only rule 30 (how a deploy runs) has no offline part at all.
  expect(Array.from({ length: 30 }, (_, i) => i + 1).filter((n) => !RULES.some((r) => r.specRules.includes(n)))).toEqual([30]);
  for (const n of Object.keys(ORG_ONLY_SPEC_RULES).map(Number)) expect(n >= 1 && n <= 30).toBe(true);
});

describe('one reference, one finding', () => {
  const project = (decline: string, pushTimeout: string) => ({
    ...statuses,
    [pdr('Wrong_Queue')]: xml('PresenceDeclineReason', ['<label>Wrong queue</label>']),
    [puc('r')]: xml(P, [...base, `<declineReasons>${decline}</declineReasons>`, '<enableDecline>true</enableDecline>', '<label>r</label>', `<presenceStatusOnPushTimeout>${pushTimeout}</presenceStatusOnPushTimeout>`]),
  });

  test('a reference that is not a developer name is REF-NAME only, not also unresolved ("did you mean")', async () => {
    const found = (await validate(project('Wrong Queue', 'A way'))).filter((d) => d.file === puc('r')).map((d) => `${d.line} ${d.ruleId}`);
    expect(found).toEqual(['4 REF-NAME', '7 REF-NAME']);
  });

  test('a managed package component by namespace prefix is no REF-NAME: it resolves in the org, as any name not in the project', async () => {
    const found = (await validate(project('Wrong_Queue', 'acme__Away'))).filter((d) => d.file === puc('r')).map((d) => `${d.line} ${d.ruleId} ${d.severity}`);
    expect(found).toEqual(['7 REF-UNRESOLVED-LOCALLY info']);
  });
});

test('FILE-LOCATION over paths of every shape: separators of both kinds, no folder, an empty or longer folder name, another name', () => {
  const type = getType('PresenceDeclineReason');
  const source = xml('PresenceDeclineReason', ['<label>Busy</label>']);
  const located = (path: string) => {
    const { document } = parseMetadata(source, { path, type, fullName: 'Busy' });
    return byRule(validateDocuments([{ ...document!, path }]), 'FILE-LOCATION').length > 0;
  };
  const name = 'Busy.presenceDeclineReason-meta.xml';
  const expected: Record<string, boolean> = {
    [`presenceDeclineReasons/${name}`]: false,
    [`force-app/main/default/presenceDeclineReasons/${name}`]: false,
    [`force-app\\main\\default\\presenceDeclineReasons\\${name}`]: false,
    [`force-app/presenceDeclineReasons\\${name}`]: false,
    [name]: true,
    [`/${name}`]: true,
    [`presenceDeclineReasons//${name}`]: true,
    [`force-app/declineReasons/${name}`]: true,
    [`force-app/xpresenceDeclineReasons/${name}`]: true,
    'force-app/presenceDeclineReasons/Other.presenceDeclineReason-meta.xml': true,
    'force-app/presenceDeclineReasons/Busy.presenceUserConfig-meta.xml': true,
  };
  expect(Object.fromEntries(Object.keys(expected).map((path) => [path, located(path)]))).toEqual(expected);
});
