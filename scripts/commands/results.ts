/**
 * The `result` type of every command's `--json` envelope, by command id. `schemas/<id>.json` (ids with
 * spaces become dashes: `schemas/assign-plan.json`) is generated from these types by
 * `npm run schemas` (ts-json-schema-generator) and checked for drift by test/cli/schemas.test.ts.
 */
import type { AccessReport } from '../assign/access.ts';
import type { Plan } from '../assign/plan.ts';
import type { RunReport } from '../assign/run.ts';
import type { DeployCommandResult } from '../deploy/pipeline.ts';
import type { PlanCommandResult } from '../deploy/plan.ts';
import type { RetrieveCommandResult } from '../deploy/retrieve.ts';
import type { ExplainReport } from '../explain/explain.ts';
import type { DoctorReport } from '../setup/doctor.ts';
import type { SetupResult } from '../setup/run.ts';
import type { ApplyResult, ExportResult } from '../assign/engines.ts';
import type { GenerateResult } from '../yaml-spec/generate-engine.ts';
import type { GraphResult } from '../graph/engine.ts';
import type { ImportCommandResult } from '../deploy/import-spec.ts';
import type { OrgLocalResult } from './org-local.ts';
import type { ValidateResult } from './validate.ts';

export type AccessCheckCommandResult = AccessReport;
export type AssignApplyCommandResult = ApplyResult;
export type AssignExportCommandResult = ExportResult;
export type AssignPlanCommandResult = Plan;
export type AssignResumeCommandResult = RunReport;
export type AssignUndoCommandResult = RunReport;
export type DeployResult = DeployCommandResult;
export type DeployReportCommandResult = DeployCommandResult;
export type DeployResumeCommandResult = DeployCommandResult;
export type DoctorCommandResult = DoctorReport;
export type ExplainCommandResult = ExplainReport;
export type GenerateCommandResult = GenerateResult;
export type GraphCommandResult = GraphResult;
export type ImportResult = ImportCommandResult;
export type OrgLocalCommandResult = OrgLocalResult;
export type PlanResult = PlanCommandResult;
export type RetrieveResult = RetrieveCommandResult;
export type SetupCommandResult = SetupResult;
export type ValidateCommandResult = ValidateResult;

/** Command id → the exported type above that is its `result`. */
export const RESULT_TYPES: Readonly<Record<string, string>> = {
  'access check': 'AccessCheckCommandResult',
  'assign apply': 'AssignApplyCommandResult',
  'assign export': 'AssignExportCommandResult',
  'assign plan': 'AssignPlanCommandResult',
  'assign resume': 'AssignResumeCommandResult',
  'assign undo': 'AssignUndoCommandResult',
  deploy: 'DeployResult',
  'deploy report': 'DeployReportCommandResult',
  'deploy resume': 'DeployResumeCommandResult',
  doctor: 'DoctorCommandResult',
  explain: 'ExplainCommandResult',
  generate: 'GenerateCommandResult',
  graph: 'GraphCommandResult',
  import: 'ImportResult',
  'org local': 'OrgLocalCommandResult',
  plan: 'PlanResult',
  retrieve: 'RetrieveResult',
  setup: 'SetupCommandResult',
  validate: 'ValidateCommandResult',
};

/** `schemas/<file>` of a command id. */
export const schemaFileName = (id: string): string => `${id.replace(/ /g, '-')}.json`;
