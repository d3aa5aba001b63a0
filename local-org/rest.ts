/**
 * REST data API handlers (sObject describe, CRUD, composite sobjects) over the store, answering in
 * Salesforce's shapes: `{ id, success, errors }` for writes, `[{ message, errorCode, fields }]` for errors.
 */
import { PlatformError, type OrgStore, type Row } from './store.ts';
import { findField, findSObject, sobjectOfId, SOBJECTS, type FieldSchema, type SObjectSchema } from './schema.ts';
import { normalizeId } from './ids.ts';

export interface Reply {
  status: number;
  /** JSON-serialised unless it is a string. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** Records written by this request (for stats). */
  written?: number;
}

export interface RestScope {
  store: OrgStore;
  apiVersion: string;
  omniEnabled: boolean;
}

export const COMPOSITE_LIMIT = 200;

export function errorReply(status: number, errorCode: string, message: string, fields?: string[]): Reply {
  return { status, body: [fields ? { message, errorCode, fields } : { message, errorCode }] };
}

export function platformErrorReply(error: PlatformError): Reply {
  return errorReply(error.statusCode, error.errorCode, error.message, error.fields);
}

/** The object as the API caller sees it: Omni objects vanish while Omni-Channel is off. */
export function visibleSObject(name: string, omniEnabled: boolean): SObjectSchema | undefined {
  const schema = findSObject(name);
  if (!schema || (schema.omni && !omniEnabled)) return undefined;
  return schema;
}

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  picklist: 'xsd:string',
  email: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function describeField(f: FieldSchema): Record<string, unknown> {
  const label = f.label ?? f.name.replace(/Id$/, ' ID').replace(/([a-z])([A-Z])/g, '$1 $2');
  const text = f.type === 'string' || f.type === 'picklist' || f.type === 'email';
  return {
    name: f.name,
    label,
    type: f.type,
    soapType: SOAP_TYPES[f.type],
    length: text ? (f.length ?? 255) : 0,
    byteLength: text ? (f.length ?? 255) * 3 : f.type === 'id' || f.type === 'reference' ? 18 : 0,
    digits: f.type === 'int' ? 9 : 0,
    precision: f.type === 'double' ? 18 : 0,
    scale: f.type === 'double' ? 2 : 0,
    createable: f.createable,
    updateable: f.updateable,
    nillable: f.nillable,
    unique: Boolean(f.unique),
    defaultedOnCreate: Boolean(f.defaultedOnCreate) || f.type === 'boolean' || !f.createable,
    defaultValue: f.defaultValue ?? null,
    filterable: true,
    sortable: f.type !== 'id' || true,
    groupable: f.type !== 'double' && f.type !== 'datetime',
    idLookup: f.name === 'Id' || Boolean(f.unique && f.type === 'string'),
    nameField: f.name === 'Name' || (f.name === 'MasterLabel'),
    externalId: false,
    custom: false,
    calculated: false,
    autoNumber: false,
    cascadeDelete: Boolean(f.cascadeDelete),
    restrictedPicklist: Boolean(f.restrictedPicklist),
    polymorphicForeignKey: (f.referenceTo?.length ?? 0) > 1,
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.relationshipName ?? null,
    picklistValues: (f.picklistValues ?? []).map((value) => ({ active: true, defaultValue: value === f.defaultValue, label: value, validFor: null, value })),
  };
}

export function sobjectUrls(apiVersion: string, name: string): Record<string, string> {
  const base = `/services/data/v${apiVersion}/sobjects/${name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function globalEntry(s: SObjectSchema, apiVersion: string): Record<string, unknown> {
  return {
    name: s.name,
    label: s.label,
    labelPlural: s.labelPlural,
    keyPrefix: s.keyPrefix,
    createable: s.createable,
    updateable: s.updateable,
    deletable: s.deletable,
    queryable: s.queryable,
    retrieveable: true,
    searchable: false,
    custom: false,
    customSetting: false,
    layoutable: false,
    triggerable: false,
    undeletable: s.deletable,
    replicateable: true,
    mergeable: false,
    feedEnabled: false,
    activateable: false,
    deprecatedAndHidden: false,
    urls: sobjectUrls(apiVersion, s.name),
  };
}

export function globalDescribe(scope: RestScope): Reply {
  const sobjects = SOBJECTS.filter((s) => !s.omni || scope.omniEnabled).map((s) => globalEntry(s, scope.apiVersion));
  return { status: 200, body: { encoding: 'UTF-8', maxBatchSize: COMPOSITE_LIMIT, sobjects } };
}

export function describeSObject(scope: RestScope, name: string): Reply {
  const s = visibleSObject(name, scope.omniEnabled);
  if (!s) return errorReply(404, 'NOT_FOUND', `The requested resource does not exist`);
  const childRelationships = SOBJECTS.flatMap((child) =>
    child.fields
      .filter((f) => f.type === 'reference' && f.referenceTo?.includes(s.name) && f.name !== 'CreatedById' && f.name !== 'LastModifiedById')
      .map((f) => ({ childSObject: child.name, field: f.name, cascadeDelete: Boolean(f.cascadeDelete), relationshipName: null, deprecatedAndHidden: false })),
  );
  return {
    status: 200,
    body: { ...globalEntry(s, scope.apiVersion), fields: s.fields.map(describeField), childRelationships, recordTypeInfos: [], supportedScopes: [] },
  };
}

export function basicInfo(scope: RestScope, name: string): Reply {
  const s = visibleSObject(name, scope.omniEnabled);
  if (!s) return errorReply(404, 'NOT_FOUND', `The requested resource does not exist`);
  return { status: 200, body: { objectDescribe: globalEntry(s, scope.apiVersion), recentItems: [] } };
}

/** A record as REST returns it: `attributes` first, then the fields (all, or the `fields` asked for). */
export function renderRecord(schema: SObjectSchema, row: Row, apiVersion: string, fields?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: schema.name, url: `/services/data/v${apiVersion}/sobjects/${schema.name}/${row.Id}` } };
  const names = fields ?? schema.fields.map((f) => f.name);
  for (const name of names) {
    const f = findField(schema.name, name);
    if (f) out[f.name] = row[f.name] ?? null;
  }
  return out;
}

function rowOf(scope: RestScope, name: string, id: string): { schema: SObjectSchema; row: Row } {
  const schema = visibleSObject(name, scope.omniEnabled);
  if (!schema) throw new PlatformError('NOT_FOUND', 'The requested resource does not exist', [], 404);
  const id18 = normalizeId(id);
  const row = id18 ? scope.store.get(id18) : undefined;
  if (!row || findSObject(name) !== schema || row.Id.slice(0, 3) !== schema.keyPrefix) {
    if (id18 && scope.store.getDeleted(id18)) throw new PlatformError('ENTITY_IS_DELETED', 'entity is deleted', [], 404);
    throw new PlatformError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${id}`, [], 404);
  }
  return { schema, row };
}

export function getRecord(scope: RestScope, name: string, id: string, fieldsParam: string | null): Reply {
  const { schema, row } = rowOf(scope, name, id);
  let fields: string[] | undefined;
  if (fieldsParam) {
    fields = fieldsParam.split(',').map((f) => f.trim()).filter(Boolean);
    const unknown = fields.filter((f) => !findField(schema.name, f));
    if (unknown.length) {
      return errorReply(400, 'INVALID_FIELD', `No such column '${unknown[0]}' on sobject of type ${schema.name}`);
    }
  }
  return { status: 200, body: renderRecord(schema, row, scope.apiVersion, fields) };
}

function typeOf(scope: RestScope, name: string): SObjectSchema {
  const schema = visibleSObject(name, scope.omniEnabled);
  if (!schema) throw new PlatformError('NOT_FOUND', 'The requested resource does not exist', [], 404);
  return schema;
}

export function createRecord(scope: RestScope, name: string, body: unknown): Reply {
  const schema = typeOf(scope, name);
  if (!isPlainObject(body)) return errorReply(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  const row = scope.store.insert(schema.name, body);
  return { status: 201, body: { id: row.Id, success: true, errors: [] }, written: 1 };
}

export function updateRecord(scope: RestScope, name: string, id: string, body: unknown): Reply {
  rowOf(scope, name, id);
  if (!isPlainObject(body)) return errorReply(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  scope.store.update(id, body);
  return { status: 204, written: 1 };
}

export function deleteRecord(scope: RestScope, name: string, id: string): Reply {
  rowOf(scope, name, id);
  scope.store.delete(id);
  return { status: 204, written: 1 };
}

interface SaveResult {
  id?: string | null;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
}

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [] as string[],
};

function failure(error: unknown, id?: string | null): SaveResult {
  if (error instanceof PlatformError) return { ...(id !== undefined ? { id } : {}), success: false, errors: [{ statusCode: error.errorCode, message: error.message, fields: error.fields }] };
  throw error;
}

/**
 * Runs one operation per item; with allOrNone the whole batch runs in a store transaction and a
 * single failure rolls every write back (the other items then report ALL_OR_NONE_OPERATION_ROLLED_BACK).
 */
function batch<T>(scope: RestScope, items: T[], allOrNone: boolean, op: (item: T) => string, withIdOnError: (item: T) => string | null | undefined): Reply {
  const results: SaveResult[] = [];
  const run = () => {
    let failed = false;
    for (const item of items) {
      try {
        const id = op(item);
        results.push({ id, success: true, errors: [] });
      } catch (error) {
        results.push(failure(error, withIdOnError(item)));
        failed = true;
      }
    }
    if (failed && allOrNone) throw new RolledBack();
  };
  try {
    if (allOrNone) scope.store.transaction(run);
    else run();
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
    const rolled = results.map((r) => (r.success ? { id: null, success: false, errors: [ROLLED_BACK] } : r));
    return { status: 200, body: rolled, written: 0 };
  }
  return { status: 200, body: results, written: results.filter((r) => r.success).length };
}

class RolledBack extends Error {}

function tooMany(): Reply {
  return errorReply(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${COMPOSITE_LIMIT} records into this call`);
}

export function compositeCreate(scope: RestScope, body: unknown): Reply {
  if (!isPlainObject(body) || !Array.isArray(body.records)) return errorReply(400, 'JSON_PARSER_ERROR', 'Expected { allOrNone, records: [...] }');
  const records = body.records as unknown[];
  if (records.length > COMPOSITE_LIMIT) return tooMany();
  return batch(
    scope,
    records,
    body.allOrNone === true,
    (record) => {
      if (!isPlainObject(record)) throw new PlatformError('JSON_PARSER_ERROR', 'Each record must be a JSON object');
      const type = (record.attributes as { type?: string } | undefined)?.type;
      if (!type) throw new PlatformError('INVALID_TYPE', 'No SObject Type defined in attributes');
      const schema = visibleSObject(type, scope.omniEnabled);
      if (!schema) throw new PlatformError('INVALID_TYPE', `sObject type '${type}' is not supported.`);
      return scope.store.insert(schema.name, record).Id;
    },
    () => undefined,
  );
}

export function compositeUpdate(scope: RestScope, body: unknown): Reply {
  if (!isPlainObject(body) || !Array.isArray(body.records)) return errorReply(400, 'JSON_PARSER_ERROR', 'Expected { allOrNone, records: [...] }');
  const records = body.records as Array<Record<string, unknown>>;
  if (records.length > COMPOSITE_LIMIT) return tooMany();
  return batch(
    scope,
    records,
    body.allOrNone === true,
    (record) => {
      const id = String(record?.id ?? record?.Id ?? '');
      const row = scope.store.get(id);
      if (!row) {
        if (scope.store.getDeleted(id)) throw new PlatformError('ENTITY_IS_DELETED', 'entity is deleted');
        throw new PlatformError('MALFORMED_ID', `Record ID: id value of incorrect type: ${id}`, ['Id']);
      }
      const { id: _lower, Id: _upper, ...fields } = record;
      void _lower;
      void _upper;
      return scope.store.update(row.Id, fields).Id;
    },
    (record) => (record?.id ?? record?.Id ?? null) as string | null,
  );
}

export function compositeDelete(scope: RestScope, idsParam: string | null, allOrNoneParam: string | null): Reply {
  const ids = (idsParam ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) return errorReply(400, 'MISSING_ARGUMENT', 'The ids parameter is required');
  if (ids.length > COMPOSITE_LIMIT) return tooMany();
  return batch(
    scope,
    ids,
    allOrNoneParam === 'true',
    (id) => {
      const id18 = normalizeId(id);
      if (!id18) throw new PlatformError('MALFORMED_ID', `malformed id ${id}`);
      const row = scope.store.get(id18);
      if (!row) {
        if (scope.store.getDeleted(id18)) throw new PlatformError('ENTITY_IS_DELETED', 'entity is deleted');
        throw new PlatformError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
      }
      const type = sobjectOfId(id18)!;
      if (type.omni && !scope.omniEnabled) throw new PlatformError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
      scope.store.delete(id18);
      return id18;
    },
    (id) => normalizeId(id) ?? id,
  );
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface ColumnSelect {
  kind: 'field' | 'aggregate';
  field: { path: string[] };
  fn?: string;
  alias?: string;
}

/**
 * The `?columns=true` answer of /query (what `sf data query` asks before printing a table):
 * one entry per selected column, parent fields nested under their relationship in `joinColumns`.
 */
export function queryColumns(query: { select: ColumnSelect[]; from: { name: string }; groupBy: unknown[] }, omniEnabled: boolean): Record<string, unknown> {
  const root = visibleSObject(query.from.name, omniEnabled);
  const column = (name: string, display: string, extra: Record<string, unknown> = {}) => ({
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom: false,
    displayName: display,
    foreignKeyName: null,
    insertable: false,
    joinColumns: [] as unknown[],
    numberType: false,
    textType: false,
    updatable: false,
    ...extra,
  });
  const canonical = (schema: SObjectSchema | undefined, path: string[], prefix: string): Record<string, unknown> => {
    const [head, ...rest] = path;
    if (rest.length === 0) {
      const f = schema ? findField(schema.name, head) : undefined;
      const name = f?.name ?? head;
      return column(name, prefix + name, { textType: f ? ['string', 'picklist', 'email'].includes(f.type) : false, booleanType: f?.type === 'boolean', numberType: f?.type === 'int' || f?.type === 'double' });
    }
    const ref = schema?.fields.find((f) => f.relationshipName?.toLowerCase() === head.toLowerCase());
    const name = ref?.relationshipName ?? head;
    const target = ref?.referenceTo?.length === 1 ? findSObject(ref.referenceTo[0]) : undefined;
    return column(name, prefix + name, { foreignKeyName: ref?.name ?? null, joinColumns: [canonical(target, rest, `${prefix}${name}.`)] });
  };
  const columnMetadata = query.select.map((item, i) => {
    const path = item.field.path;
    if (item.kind === 'aggregate') {
      return column(item.alias ?? `expr${i}`, `${item.fn}(${path.join('.')})`, { aggregate: true, numberType: true });
    }
    return canonical(root, path[0]?.toLowerCase() === root?.name.toLowerCase() && path.length > 1 ? path.slice(1) : path, '');
  });
  return {
    columnMetadata,
    entityName: root?.name ?? query.from.name,
    groupBy: query.groupBy.length > 0,
    idSelected: query.select.some((s) => s.kind === 'field' && s.field.path.length === 1 && s.field.path[0].toLowerCase() === 'id'),
    keyPrefix: root?.keyPrefix ?? null,
  };
}
