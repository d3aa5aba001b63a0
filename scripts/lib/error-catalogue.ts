/**
 * The error catalogue: every error the product raises, as the heading of `messages/errors.md` that holds
 * its text (`Name`, or `Name.variant` for another wording of the same condition; `<heading>.actions` holds
 * its "Try this" list) with its exit code. The error's `name` in the `--json` envelope is the part before
 * the dot, so one condition has one name whatever the wording. `catalogueError` takes only these keys (a
 * misspelt name fails the typecheck); test/cli/messages.test.ts checks this table against the bundle's
 * headings both ways and that every key is raised somewhere.
 *
 * Exit codes are sf's (https://developer.salesforce.com/docs/atlas.en-us.sfdx_cli_reference.meta/sfdx_cli_reference/cli_reference_exit_codes.htm):
 * 1 failed, 2 usage (a flag, argument or path given is wrong); 130 interrupted by SIGINT.
 */
import { ExitCode } from './errors.ts';

const { Failed, Usage } = ExitCode;

export const ERROR_CATALOGUE = {
  // project
  NoProjectFound: Failed,
  'NoProjectFound.missingFile': Failed,
  InvalidProject: Failed,
  'InvalidProject.forceIgnore': Failed,
  'InvalidProject.syntax': Failed,
  'InvalidProject.notObject': Failed,
  'InvalidProject.noPackageDirectories': Failed,
  InvalidApiVersion: Usage,
  'InvalidApiVersion.flag': Usage,
  PathNotFound: Usage,
  'PathNotFound.sourceDir': Usage,
  'PathNotFound.validate': Usage,
  'PathNotFound.spec': Usage,
  'PathNotFound.flag': Usage,
  IllFormedOutput: Failed,
  // org connection
  NoAccessToken: Usage,
  // sf's two conditions, as sf names and exits them: a --target-org value the auth store lacks is refused while the
  // flags are parsed (NamedOrgNotFoundError, exit 2: the host's failedFlagParsing); no org named and no usable
  // default target-org is sf-plugins-core's NoDefaultEnvError (exit 1).
  NoOrgFound: Usage,
  NoDefaultEnv: Failed,
  'NoDefaultEnv.staleDefault': Failed,
  ExpiredSession: Failed,
  'ExpiredSession.local': Failed,
  'ExpiredSession.run': Failed,
  'ExpiredSession.runUnsaved': Failed,
  ConnectionFailed: Failed,
  'ConnectionFailed.local': Failed,
  OrgUnreachable: Failed,
  // an API version outside what the org serves: by where it was asked for (doctor's check: the project's)
  'ApiVersionNotServed.flag': Failed,
  'ApiVersionNotServed.env': Failed,
  'ApiVersionNotServed.globalConfig': Failed,
  'ApiVersionNotServed.localConfig': Failed,
  'ApiVersionNotServed.sourceApiVersion': Failed,
  NotSalesforceOrg: Failed,
  OrgDescribeFailed: Failed,
  ProductionConfirmationRequired: Failed,
  OmniChannelDisabled: Failed,
  'OmniChannelDisabled.assign': Failed,
  'OmniChannelDisabled.doctor': Failed,
  // deploy, retrieve, plan
  DeployNotFound: Failed,
  'DeployNotFound.noneRemembered': Failed,
  'DeployNotFound.noId': Failed,
  InvalidJobId: Usage,
  'OrgCheckFailed.doctor': Failed,
  'OrgCheckFailed.references': Failed,
  'OrgCheckFailed.conflicts': Failed,
  'OrgCheckFailed.referencesAndConflicts': Failed,
  OrgCheckQueryFailed: Failed,
  ValidationFailed: Failed,
  'ValidationFailed.plan': Failed,
  SpecInvalid: Failed,
  'SpecInvalid.plan': Failed,
  DeployRequestFailed: Failed,
  RetrieveFailed: Failed,
  RetrieveParseFailed: Failed,
  'RetrieveParseFailed.plan': Failed,
  // assignments
  InvalidAssignments: Failed,
  'InvalidAssignments.extract': Failed,
  AssignmentConflicts: Failed,
  InvalidWhereCondition: Failed,
  RunFailed: Failed,
  WrongOrg: Failed,
  RunInProgress: Failed,
  Interrupted: 130,
  'Interrupted.waiting': 130,
  InvalidRunId: Usage,
  RunNotFound: Failed,
  'RunNotFound.noRuns': Failed,
  JournalCorrupt: Failed,
  StateWriteFailed: Failed,
  'StateWriteFailed.snapshot': Failed,
  'StateWriteFailed.midRun': Failed,
  'StateWriteFailed.midRunStale': Failed,
  'StateWriteFailed.deploySent': Failed,
  'StateWriteFailed.checkOnlySent': Failed,
  'StateWriteFailed.recordSettings': Failed,
  'StateWriteFailed.recordSettingsSent': Failed,
  OutputWriteFailed: Failed,
  // import
  SourceDirUnreadable: Failed,
  ImportFailed: Failed,
  NothingToImport: Failed,
  SpecNotMergeable: Failed,
  ImportWouldRemove: Failed,
  'ImportWouldRemove.one': Failed,
  // local org
  PortInUse: Failed,
  StateFileUnusable: Failed,
  'StateFileUnusable.unwritable': Failed,
  StateFileInUse: Failed,
  'StateFileInUse.starting': Failed,
  // flags and arguments
  'UsageError.unknownCommand': Usage,
  'UsageError.unknownCommandSuggestion': Usage,
  'UsageError.unknownFlag': Usage,
  'UsageError.unknownFlagSuggestion': Usage,
  'UsageError.integerRange': Usage,
  'UsageError.instanceUrl': Usage,
  'UsageError.apiVersionRange': Usage,
  'UsageError.fileAndQuickFlags': Usage,
  'UsageError.nothingToAssign': Usage,
  'UsageError.deploySelection': Usage,
  'UsageError.noComponentMatch': Usage,
  'UsageError.testsWithoutLevel': Usage,
  'UsageError.specifiedTestsWithoutTests': Usage,
  'UsageError.waitMinutes': Usage,
  'UsageError.unknownType': Usage,
  'UsageError.nothingChecked': Usage,
  'UsageError.noUsername': Usage,
  'UsageError.outNotDirectory': Usage,
  'UsageError.outIsDirectory': Usage,
  'UsageError.sourceDirNotDirectory': Usage,
  'UsageError.notAFile': Usage,
  'UsageError.notMetadata': Usage,
  'UsageError.invalidManifest': Usage,
  'UsageError.graphFormat': Usage,
  'UsageError.csvAndYaml': Usage,
  'UsageError.faultRate': Usage,
  'UsageError.features': Usage,
} as const satisfies Record<string, number>;

/** A heading of messages/errors.md that holds an error's text. */
export type ErrorKey = keyof typeof ERROR_CATALOGUE;

/** The name of an error (its condition): a key without its variant. */
export type ErrorName = ErrorKey extends infer K ? (K extends `${infer N}.${string}` ? N : K) : never;

/** The variants (`Name.variant` headings) of one error name. */
export type ErrorVariant<N extends ErrorName> = ErrorKey extends infer K ? (K extends `${N}.${infer V}` ? V : never) : never;
