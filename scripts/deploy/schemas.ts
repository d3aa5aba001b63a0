
/** JSON Schemas of the deploy/retrieve/plan results (shown in help, published with --json). */
const str = { type: 'string' };
const int = { type: 'integer' };
const nullableStr = { type: ['string', 'null'] };
const location = { file: str, line: int, column: int };

export const COMPONENT_ROW_SCHEMA = {
  type: 'object',
  required: ['type', 'fullName', 'state'],
  properties: {
    type: str,
    fullName: str,
    state: { enum: ['Created', 'Changed', 'Unchanged', 'Deleted', 'Failed'] },
    ...location,
    problem: str,
    problemType: { enum: ['Warning', 'Error'] },
  },
};

export const DEPLOY_RESULT_SCHEMA = {
  type: 'object',
  required: ['id', 'status', 'success', 'checkOnly', 'done', 'summary', 'components', 'removedAssignments'],
  properties: {
    id: nullableStr,
    status: { description: 'Metadata API status: Succeeded, SucceededPartial, Failed, Canceled, InProgress, Pending, Queued', type: 'string' },
    success: { type: 'boolean' },
    checkOnly: { type: 'boolean', description: 'true for --dry-run' },
    done: { type: 'boolean' },
    org: {
      type: ['object', 'null'],
      properties: { username: str, instanceUrl: str, orgType: str, apiVersion: str },
    },
    summary: {
      type: 'object',
      properties: { created: int, changed: int, unchanged: int, deleted: int, failed: int },
    },
    components: { type: 'array', items: COMPONENT_ROW_SCHEMA },
    removedAssignments: {
      type: 'array',
      description: 'Assignments the org had before the deploy and lost (data-loss guard).',
      items: { type: 'object', properties: { config: str, kind: { enum: ['user', 'profile'] }, name: str } },
    },
    assignments: {
      type: 'array',
      description: "Org-held members (user assignments, queue user members) the files don't list: kept (merged into the deployment) or removed (--replace-assignments).",
      items: { type: 'object', properties: { type: str, fullName: str, element: str, action: { enum: ['kept', 'removed'] }, count: int, members: { type: 'array', items: str } } },
    },
    snapshotFile: { ...nullableStr, description: 'Pre-deploy assignment snapshot under .omni/ (mode 0600).' },
    validationWarnings: { type: 'array', items: { type: 'object' } },
    reportCommand: { ...nullableStr, description: 'Set while the deploy is still running (exit 69).' },
    errorMessage: nullableStr,
    recordSettings: {
      description: 'The "record settings" stage (spec keys without a metadata element); null when it did not run.',
      anyOf: [{ type: 'null' }, { $ref: '#/$defs/recordSettings' }],
    },
  },
  $defs: {} as Record<string, unknown>,
};

const fieldValue = { type: ['string', 'number', 'boolean', 'null'] };

/** One record compared by the record settings stage (plan and deploy). */
export const RECORD_CHANGE_SCHEMA = {
  type: 'object',
  required: ['sobject', 'fullName', 'action', 'changes'],
  properties: {
    sobject: { enum: ['PresenceUserConfig', 'ServiceChannel'] },
    fullName: str,
    id: nullableStr,
    action: { enum: ['update', 'unchanged', 'missing'] },
    changes: { type: 'array', items: { type: 'object', properties: { field: str, old: fieldValue, new: fieldValue } } },
    keys: { type: 'array', items: { type: 'object', properties: { key: str, ...location } } },
    notes: { type: 'array', items: str },
  },
};

export const RECORD_SETTINGS_SCHEMA = {
  type: 'object',
  required: ['records', 'summary', 'failures', 'journal', 'requests'],
  properties: {
    records: { type: 'array', items: RECORD_CHANGE_SCHEMA },
    summary: { type: 'object', properties: { updated: int, unchanged: int, failed: int } },
    failures: {
      type: 'array',
      items: { type: 'object', properties: { sobject: str, fullName: str, id: nullableStr, errorCode: str, message: str, fields: { type: 'array', items: str }, file: str, line: int } },
    },
    journal: { ...nullableStr, description: 'Journal of the write under .omni/records/ (mode 0600).' },
    requests: { ...int, description: 'sObject Collections PATCH requests made (0 when nothing differed).' },
    notes: { type: 'array', items: str },
    dryRun: { type: 'boolean', description: 'deploy --dry-run: compared only, nothing written.' },
  },
};
DEPLOY_RESULT_SCHEMA.$defs.recordSettings = RECORD_SETTINGS_SCHEMA;

