/**
 * The warning catalogue: every warning an engine or command prints, as the heading of
 * `messages/warnings.md` that holds its text (`Key` or `Key.variant`, `%s` for its tokens). `warningText`
 * takes only these keys (a misspelt key fails the typecheck); test/cli/messages.test.ts checks this list
 * against the bundle's headings both ways and that every key is used.
 */
export const WARNINGS = [
  'AssignmentFileSkipped',
  'AssignmentFileSkipped.one',
  'ImportRefusedWithoutForce',
  'RecordSettingsNotInOrg',
  'RecordSettingsKept',
  'RecordSettingsAfterDeploy',
  'AssignmentsKept',
  'AssignmentsKept.queueMembers',
  'AssignmentsRemoved',
  'DeployStillRunning',
  'DeployNotFinished',
  'DeployCheckInPlan',
  'DeployCheckInPlan.noFix',
  'InactiveUserSkipped',
  'ExtraComponent',
  'ExtraComponent.wrongFolder',
  'ExtraComponent.otherPackage',
  'SetupReportNotWritten',
  'LockTakenOver',
  'LockTakenOver.unreadable',
  'SelectorMatchesSeveral.email',
  'SelectorMatchesSeveral.federationId',
  'ImportTypeSkipped',
  'ImportNeedsNewerApi',
  'ImportNoSpecKey',
  'ImportNil',
  'ImportUnknownRefused',
  'ImportUnknownNestedRefused',
  'ImportUnknownKept',
  'ImportUnknownInPartial',
  'ImportNotRoundTrip',
  'ImportFileRefused',
  'LocalOrgFlagsIgnored',
  'AliasNotRegistered',
  'AliasReplaced',
] as const;

/** A heading of messages/warnings.md. */
export type WarningKey = (typeof WARNINGS)[number];
