/**
 * The local org's records: in-memory tables per sObject with id, unique and reference indexes,
 * the platform's write rules (required fields, types, references, uniqueness, create-only fields,
 * undeletable objects), all-or-none transactions (undo log) and an atomic JSON state file.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeId, normalizeId, isIdLike, to18 } from './ids.ts';
import { SOBJECTS, findField, findSObject, isRequiredOnCreate, sobjectOfId, type FieldSchema, type SObjectSchema } from './schema.ts';

export type Row = Record<string, unknown> & { Id: string };

/** A platform rule violation, shaped like Salesforce's `{ errorCode, message, fields }` plus the HTTP status. */
export class PlatformError extends Error {
  readonly errorCode: string;
  readonly fields: string[];
  readonly statusCode: number;
  constructor(errorCode: string, message: string, fields: string[] = [], statusCode = 400) {
    super(message);
    this.name = 'PlatformError';
    this.errorCode = errorCode;
    this.fields = fields;
    this.statusCode = statusCode;
  }
}

/** The state file can't be used (unreadable, not JSON, another program's file, newer version). */
export class StateFileError extends Error {
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`Local org state file ${file}: ${problem}`);
    this.name = 'StateFileError';
    this.file = file;
  }
}

export const STATE_FORMAT = 'omni-presence/local-org-state';
export const STATE_VERSION = 1;

interface StateFile {
  format: string;
  version: number;
  savedAt: string;
  idCounter: number;
  meta: Record<string, unknown>;
  records: Record<string, Row[]>;
  deleted: Record<string, Row[]>;
}

export interface WriteOptions {
  /** Platform-internal write (seeding, Metadata API): skips the Data API's createable/updateable/deletable checks. */
  system?: boolean;
}

/** Salesforce timestamps as the REST API renders them: `2024-05-01T10:00:00.000+0000`. */
export function sfNow(date?: Date): string {
  if (date) return date.toISOString().replace('Z', '+0000');
  // Many rows are written within one millisecond (seeding, a Bulk job): format each millisecond once.
  const ms = Date.now();
  if (ms !== lastNow.ms) lastNow = { ms, text: new Date(ms).toISOString().replace('Z', '+0000') };
  return lastNow.text;
}
let lastNow = { ms: Number.NaN, text: '' };

/** The fields of an object that each write rule looks at, listed once per object instead of filtered per row. */
interface FieldGroups {
  /** Every field but Id, in schema order (a new row's columns). */
  columns: FieldSchema[];
  /** Fields a create fills when the caller gives no value (a default value, or Language). */
  defaulted: FieldSchema[];
  requiredOnCreate: FieldSchema[];
  /** Unique fields other than Id. */
  unique: FieldSchema[];
  /** Reference fields (all checked on write). */
  references: FieldSchema[];
  /**
   * Reference fields with an index: all but the audit fields. Nearly every row points at the admin through
   * CreatedById and LastModifiedById; an index of them would hold every row under one id, cost each write two
   * entries, and serve no write rule (deletes neither cascade nor block on them). Lookups on them scan.
   */
  indexedReferences: FieldSchema[];
}
const AUDIT_FIELDS = new Set(['CreatedById', 'LastModifiedById']);
const FIELD_GROUPS = new Map<string, FieldGroups>(
  SOBJECTS.map((s) => [
    s.name,
    {
      columns: s.fields.filter((f) => f.name !== 'Id'),
      defaulted: s.fields.filter((f) => f.defaultValue !== undefined || (f.name === 'Language' && f.defaultedOnCreate)),
      requiredOnCreate: s.fields.filter(isRequiredOnCreate),
      unique: s.fields.filter((f) => f.unique && f.name !== 'Id'),
      references: s.fields.filter((f) => f.type === 'reference'),
      indexedReferences: s.fields.filter((f) => f.type === 'reference' && !AUDIT_FIELDS.has(f.name)),
    },
  ]),
);
function groupsOf(schema: SObjectSchema): FieldGroups {
  return FIELD_GROUPS.get(schema.name)!;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class OrgStore {
  private readonly tables = new Map<string, Map<string, Row>>();
  private readonly tombstones = new Map<string, Map<string, Row>>();
  /**
   * sobject → unique field (or `uniqueTogether` group) → normalized value → id. Keyed by the schema's own field
   * and group objects, not by a `${sobject}.${field}` string: every write looks several up, and a string built
   * per lookup is hashed anew each time.
   */
  private readonly uniqueIndexes = new Map<string, Map<FieldSchema | readonly string[], Map<string, string>>>();
  /** sobject → reference field → id value → ids of rows pointing at it. */
  private readonly referenceIndexes = new Map<string, Map<FieldSchema, Map<string, Set<string>>>>();
  /** Reference fields pointing at each object: who to cascade to / block on delete. */
  private readonly referrers = new Map<string, Array<{ sobject: SObjectSchema; field: FieldSchema }>>();
  private idCounter = 0;
  private undoLog: Array<() => void> | null = null;
  /** Insertion sequence per live row id: a table iterates in this order, also after a rollback. */
  private readonly sequence = new Map<string, number>();
  private sequenceCounter = 0;
  /** Tables whose rows an undo re-added (out of order); re-sorted when the rollback ends. */
  private readonly reorder = new Set<string>();
  private mutationCount = 0;
  /** Free-form data persisted with the records (the server keeps its credentials here). */
  meta: Record<string, unknown> = {};
  /** The user recorded as CreatedById/LastModifiedById. */
  actorId = '';
  readonly stateFile: string | undefined;
  /** Called after every committed mutation (the server debounces persistence on it). */
  onMutation: (() => void) | undefined;

  constructor(options: { stateFile?: string } = {}) {
    this.stateFile = options.stateFile;
    for (const s of SOBJECTS) {
      this.tables.set(s.name, new Map());
      this.tombstones.set(s.name, new Map());
      const unique = new Map<FieldSchema | readonly string[], Map<string, string>>();
      const references = new Map<FieldSchema, Map<string, Set<string>>>();
      this.uniqueIndexes.set(s.name, unique);
      this.referenceIndexes.set(s.name, references);
      for (const f of s.fields) {
        if (f.unique && f.name !== 'Id') unique.set(f, new Map());
        if (f.type === 'reference' && !AUDIT_FIELDS.has(f.name)) {
          references.set(f, new Map());
          if (f.createable || f.updateable || f.cascadeDelete) {
            for (const target of f.referenceTo ?? []) {
              const list = this.referrers.get(target) ?? [];
              list.push({ sobject: s, field: f });
              this.referrers.set(target, list);
            }
          }
        }
      }
      for (const group of s.uniqueTogether ?? []) unique.set(group, new Map());
    }
  }

  /** Number of committed mutations so far (persistence and tests use it). */
  get mutations(): number {
    return this.mutationCount;
  }

  /**
   * Starts record ids at `counter` (a new, empty org): ids then differ between orgs, as Salesforce ids are
   * unique across orgs. Throws once a record exists.
   */
  startIdsAt(counter: number): void {
    if (this.idCounter !== 0) throw new Error('startIdsAt: the org already has records');
    this.idCounter = counter;
  }

  newId(sobject: string): string {
    const schema = this.schemaOf(sobject);
    this.idCounter += 1;
    return makeId(schema.keyPrefix, this.idCounter);
  }

  describe(sobject: string): SObjectSchema | undefined {
    return findSObject(sobject);
  }

  get(id: string): Row | undefined {
    const id18 = normalizeId(id);
    if (!id18) return undefined;
    const schema = sobjectOfId(id18);
    return schema ? this.tables.get(schema.name)!.get(id18) : undefined;
  }

  /** A deleted row (IsDeleted = true) kept for queryAll and ENTITY_IS_DELETED answers. */
  getDeleted(id: string): Row | undefined {
    const id18 = normalizeId(id);
    if (!id18) return undefined;
    const schema = sobjectOfId(id18);
    return schema ? this.tombstones.get(schema.name)!.get(id18) : undefined;
  }

  /** The live rows of an object: read them, never mutate them. */
  all(sobject: string): IterableIterator<Row> {
    return this.tables.get(this.schemaOf(sobject).name)!.values();
  }

  allDeleted(sobject: string): IterableIterator<Row> {
    return this.tombstones.get(this.schemaOf(sobject).name)!.values();
  }

  count(sobject: string): number {
    return this.tables.get(this.schemaOf(sobject).name)!.size;
  }

  /**
   * Rows whose `field` equals `value`, answered from an index (Id, unique and reference fields but the audit
   * fields CreatedById and LastModifiedById); undefined when the field has no index, so callers fall back to a scan.
   */
  lookup(sobject: string, field: string, value: unknown): Row[] | undefined {
    const schema = findSObject(sobject);
    const f = schema && findField(schema.name, field);
    if (!schema || !f) return undefined;
    if (f.name === 'Id') {
      const row = typeof value === 'string' ? this.get(value) : undefined;
      return row && sobjectOfId(row.Id) === schema ? [row] : [];
    }
    if (f.unique) {
      const id = this.uniqueIndexes.get(schema.name)!.get(f)!.get(uniqueKey(f, value));
      const row = id ? this.get(id) : undefined;
      return row ? [row] : [];
    }
    if (f.type === 'reference') {
      const index = this.referenceIndexes.get(schema.name)!.get(f);
      if (!index) return undefined;
      const key = normalizeId(value);
      const ids = key ? index.get(key) : undefined;
      return ids ? [...ids].map((id) => this.get(id)!).filter(Boolean) : [];
    }
    return undefined;
  }

  /** How many distinct records the live rows of `sobject` point at through the reference `field` (from its index). */
  referencedCount(sobject: string, field: string): number {
    const schema = this.schemaOf(sobject);
    const f = findField(schema.name, field);
    const index = f ? this.referenceIndexes.get(schema.name)!.get(f) : undefined;
    if (!index) throw new PlatformError('INVALID_FIELD', `${field} is not a reference field of ${schema.name}.`, [field]);
    return index.size;
  }

  /** Rows whose `field` equals `value` (index when there is one, scan otherwise; case-insensitive for strings). */
  findBy(sobject: string, field: string, value: unknown): Row[] {
    const indexed = this.lookup(sobject, field, value);
    if (indexed) return indexed;
    const schema = this.schemaOf(sobject);
    const f = findField(schema.name, field);
    if (!f) throw new PlatformError('INVALID_FIELD', `No such column '${field}' on entity '${schema.name}'.`, [field]);
    const wanted = typeof value === 'string' ? value.toLowerCase() : value;
    const out: Row[] = [];
    for (const row of this.all(schema.name)) {
      const v = row[f.name];
      if ((typeof v === 'string' ? v.toLowerCase() : v) === wanted) out.push(row);
    }
    return out;
  }

  insert(sobject: string, fields: Record<string, unknown>, options: WriteOptions = {}): Row {
    const schema = this.schemaOf(sobject);
    if (!schema.createable && !options.system) {
      throw new PlatformError('INVALID_TYPE_FOR_OPERATION', `entity type ${schema.name} does not support insert`);
    }
    const values = this.coerceAll(schema, fields, 'create', options);
    const groups = groupsOf(schema);
    for (const f of groups.defaulted) {
      if (values[f.name] === undefined && f.defaultValue !== undefined) values[f.name] = f.defaultValue;
      if (values[f.name] === undefined && f.name === 'Language' && f.defaultedOnCreate) values[f.name] = 'en_US';
    }
    this.derive(schema, values);
    const missing = groups.requiredOnCreate.filter((f) => values[f.name] === undefined || values[f.name] === null).map((f) => f.name);
    if (missing.length) throw new PlatformError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
    this.checkReferences(schema, values);
    const id = this.newId(schema.name);
    const now = sfNow();
    const row: Row = { Id: id } as Row;
    for (const f of groups.columns) row[f.name] = values[f.name] ?? null;
    row.IsDeleted = false;
    row.CreatedDate = now;
    row.LastModifiedDate = now;
    row.SystemModstamp = now;
    row.CreatedById = this.actorId || id;
    row.LastModifiedById = this.actorId || id;
    this.checkUnique(schema, row, undefined);
    this.replaceRow(schema, id, row, false);
    return row;
  }

  update(id: string, fields: Record<string, unknown>, options: WriteOptions = {}): Row {
    const { schema, row: current } = this.existing(id);
    if (!schema.updateable && !options.system) {
      throw new PlatformError('INVALID_TYPE_FOR_OPERATION', `entity type ${schema.name} does not support update`);
    }
    const values = this.coerceAll(schema, fields, 'update', options);
    const next: Row = { ...current };
    for (const [name, value] of Object.entries(values)) next[name] = value ?? null;
    this.derive(schema, next);
    const cleared = schema.fields.filter((f) => name(values, f) && isRequiredOnCreate(f) && next[f.name] === null).map((f) => f.name);
    if (cleared.length) throw new PlatformError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${cleared.join(', ')}]`, cleared);
    this.checkReferences(schema, values);
    this.checkUnique(schema, next, current.Id);
    const now = sfNow();
    next.LastModifiedDate = now;
    next.SystemModstamp = now;
    next.LastModifiedById = this.actorId || current.LastModifiedById;
    this.replaceRow(schema, current.Id, next, false);
    return next;
  }

  /** Deletes a row, cascading to master-detail children; blocked when a required lookup still points at it. */
  delete(id: string, options: WriteOptions = {}): void {
    const { schema, row } = this.existing(id);
    if (!schema.deletable && !options.system) {
      // The Data API has no delete() for these objects (e.g. ServicePresenceStatus: spec §6.4).
      throw new PlatformError('INVALID_TYPE_FOR_OPERATION', `entity type cannot be deleted: ${schema.name}`, [], 400);
    }
    this.deleteRow(schema, row, options, new Set());
  }

  /**
   * Records how to undo a change made outside the records (e.g. the Metadata API's memory of deployed
   * files in `meta`): run, newest first, if the open transaction rolls back. Outside a transaction the
   * change is simply kept.
   */
  onRollback(undo: () => void): void {
    this.undoLog?.push(undo);
  }

  /**
   * Runs `fn` all-or-none: if it throws (or its promise rejects) every write it made is undone.
   * Keep async work inside short: writes other requests make meanwhile land in the same undo log.
   */
  transaction<T>(fn: () => T): T {
    const outer = this.undoLog;
    const log: Array<() => void> = [];
    this.undoLog = log;
    const rollback = () => {
      for (let i = log.length - 1; i >= 0; i--) log[i]();
      this.restoreOrder();
    };
    const finish = () => {
      this.undoLog = outer;
      if (outer) for (const undo of log) outer.push(undo);
    };
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.undoLog = outer;
      rollback();
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          finish();
          return value;
        },
        (error) => {
          this.undoLog = outer;
          rollback();
          throw error;
        },
      ) as T;
    }
    finish();
    return result;
  }

  // ---- persistence ----------------------------------------------------------------------------

  toState(): StateFile {
    const records: Record<string, Row[]> = {};
    const deleted: Record<string, Row[]> = {};
    for (const [name, table] of this.tables) records[name] = [...table.values()];
    for (const [name, table] of this.tombstones) if (table.size) deleted[name] = [...table.values()];
    return { format: STATE_FORMAT, version: STATE_VERSION, savedAt: sfNow(), idCounter: this.idCounter, meta: this.meta, records, deleted };
  }

  /**
   * Writes the state file atomically and durably: a temp file in the same folder, fsync'd, renamed over
   * the file, then the folder fsync'd so the rename itself survives a crash. Mode 0600.
   */
  save(file = this.stateFile): void {
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
      const fd = openSync(temp, 'w', 0o600);
      try {
        writeFileSync(fd, JSON.stringify(this.toState()));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, file);
      const dir = openSync(dirname(file), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    } catch (error) {
      if (existsSync(temp)) unlinkSync(temp);
      throw error;
    }
  }

  /** Reads a state file; a missing file gives undefined, anything unusable a StateFileError (never a silent reset). */
  static load(file: string): OrgStore | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StateFileError(file, `cannot be read (${(error as Error).message}).`);
    }
    return OrgStore.fromStateText(text, file, file);
  }

  /**
   * A store from the text of a state file (what `save` writes; `label` names it in errors), persisted to
   * `stateFile` when given, else in memory. Throws StateFileError for anything unusable, as `load`.
   */
  static fromStateText(text: string, label: string, stateFile?: string): OrgStore {
    const file = label;
    let state: StateFile;
    try {
      state = JSON.parse(text) as StateFile;
    } catch (error) {
      throw new StateFileError(file, `is not valid JSON (${(error as Error).message}); it may be truncated or corrupt. Move it away to start a fresh org.`);
    }
    if (!state || typeof state !== 'object' || state.format !== STATE_FORMAT) {
      throw new StateFileError(file, `is not a local org state file (no "format": "${STATE_FORMAT}" marker). Use another --state path.`);
    }
    if (state.version !== STATE_VERSION) {
      throw new StateFileError(file, `has version ${String(state.version)}; this tool reads version ${STATE_VERSION}.`);
    }
    if (typeof state.idCounter !== 'number' || !state.records || typeof state.records !== 'object') {
      throw new StateFileError(file, 'is missing its id counter or records.');
    }
    const store = new OrgStore({ stateFile });
    store.idCounter = state.idCounter;
    store.meta = state.meta && typeof state.meta === 'object' ? state.meta : {};
    const restore = (groups: Record<string, Row[]>, deleted: boolean) => {
      for (const [name, rows] of Object.entries(groups ?? {})) {
        const schema = findSObject(name);
        if (!schema || !Array.isArray(rows)) throw new StateFileError(file, `has an unknown object "${name}".`);
        for (const row of rows) {
          if (!row || !isIdLike(row.Id) || sobjectOfId(row.Id) !== schema) {
            throw new StateFileError(file, `has a ${name} record with a missing or foreign Id (${JSON.stringify(row?.Id)}).`);
          }
          store.replaceRow(schema, row.Id, row, deleted, true);
        }
      }
    };
    restore(state.records, false);
    restore(state.deleted, true);
    store.mutationCount = 0;
    return store;
  }

  // ---- internals ------------------------------------------------------------------------------

  private schemaOf(sobject: string): SObjectSchema {
    const schema = findSObject(sobject);
    if (!schema) throw new PlatformError('NOT_FOUND', `sObject type '${sobject}' is not supported.`, [], 404);
    return schema;
  }

  private existing(id: string): { schema: SObjectSchema; row: Row } {
    const id18 = normalizeId(id);
    const schema = id18 ? sobjectOfId(id18) : undefined;
    if (!id18 || !schema) throw new PlatformError('MALFORMED_ID', `malformed id ${id}`, [], 400);
    const row = this.tables.get(schema.name)!.get(id18);
    if (row) return { schema, row };
    if (this.tombstones.get(schema.name)!.has(id18)) throw new PlatformError('ENTITY_IS_DELETED', 'entity is deleted', [], 404);
    throw new PlatformError('NOT_FOUND', 'The requested resource does not exist', [], 404);
  }

  /** Maps the caller's field names (any case) onto the schema and converts values to their types. */
  private coerceAll(schema: SObjectSchema, fields: Record<string, unknown>, mode: 'create' | 'update', options: WriteOptions): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const notWritable: string[] = [];
    for (const [key, raw] of Object.entries(fields)) {
      if (key === 'attributes') continue;
      const f = findField(schema.name, key);
      if (!f) throw new PlatformError('INVALID_FIELD', `No such column '${key}' on sobject of type ${schema.name}`, [key]);
      if (f.name === 'Id') {
        if (mode === 'create' && raw !== undefined && raw !== null && raw !== '') {
          throw new PlatformError('INVALID_FIELD_FOR_INSERT_UPDATE', 'Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.', ['Id']);
        }
        continue;
      }
      const writable = mode === 'create' ? f.createable : f.updateable;
      if (!writable && !options.system) {
        notWritable.push(f.name);
        continue;
      }
      out[f.name] = coerce(schema, f, raw);
    }
    if (notWritable.length) {
      throw new PlatformError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${notWritable.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        notWritable,
      );
    }
    return out;
  }

  /** Fields the platform computes from others. */
  private derive(schema: SObjectSchema, values: Record<string, unknown>): void {
    if (schema.name === 'User') {
      const first = values.FirstName as string | null | undefined;
      const last = values.LastName as string | null | undefined;
      if (first !== undefined || last !== undefined) values.Name = [first, last].filter(Boolean).join(' ') || null;
    }
    if (schema.name === 'Group' && !values.DeveloperName && typeof values.Name === 'string') {
      values.DeveloperName = values.Name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || null;
    }
  }

  private checkReferences(schema: SObjectSchema, values: Record<string, unknown>): void {
    for (const f of groupsOf(schema).references) {
      const value = values[f.name];
      if (value === null || value === undefined) continue;
      const target = sobjectOfId(value as string);
      if (!target || !(f.referenceTo ?? []).includes(target.name)) {
        throw new PlatformError('FIELD_INTEGRITY_EXCEPTION', `${fieldLabel(f)}: id value of incorrect type: ${String(value)}`, [f.name]);
      }
      if (!this.tables.get(target.name)!.has(value as string)) {
        throw new PlatformError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]);
      }
    }
  }

  private checkUnique(schema: SObjectSchema, row: Row, selfId: string | undefined): void {
    for (const f of groupsOf(schema).unique) {
      if (row[f.name] === null || row[f.name] === undefined) continue;
      const holder = this.uniqueIndexes.get(schema.name)!.get(f)!.get(uniqueKey(f, row[f.name]));
      if (holder && holder !== selfId) {
        throw new PlatformError('DUPLICATE_VALUE', `duplicate value found: ${f.name} duplicates value on record with id: ${holder}`, [f.name]);
      }
    }
    for (const group of schema.uniqueTogether ?? []) {
      const key = compositeKey(row, group);
      if (key === undefined) continue;
      const holder = this.uniqueIndexes.get(schema.name)!.get(group)!.get(key);
      if (holder && holder !== selfId) {
        throw new PlatformError('DUPLICATE_VALUE', `duplicate value found: ${group.join(', ')} duplicates value on record with id: ${holder}`, group);
      }
    }
  }

  private deleteRow(schema: SObjectSchema, row: Row, options: WriteOptions, visiting: Set<string>): void {
    if (visiting.has(row.Id)) return;
    visiting.add(row.Id);
    for (const { sobject: child, field } of this.referrers.get(schema.name) ?? []) {
      const ids = this.referenceIndexes.get(child.name)!.get(field)!.get(row.Id);
      if (!ids || ids.size === 0) continue;
      for (const childId of [...ids]) {
        const childRow = this.tables.get(child.name)!.get(childId);
        if (!childRow) continue;
        if (field.cascadeDelete) this.deleteRow(child, childRow, { system: true }, visiting);
        else if (field.nillable) this.replaceRow(child, childId, { ...childRow, [field.name]: null }, false);
        else {
          throw new PlatformError(
            'DELETE_FAILED',
            `Your attempt to delete ${String(row.DeveloperName ?? row.Name ?? row.Id)} could not be completed because it is associated with the following ${child.labelPlural}: ${childId}`,
            [],
          );
        }
      }
    }
    const gone: Row = { ...row, IsDeleted: true, LastModifiedDate: sfNow(), SystemModstamp: sfNow() };
    this.replaceRow(schema, row.Id, gone, true);
    void options;
  }

  /** Puts rows an undo re-added back where they were (a table iterates in insertion order). */
  private restoreOrder(): void {
    for (const name of this.reorder) {
      const live = this.tables.get(name)!;
      const rows = [...live.values()].sort((a, b) => (this.sequence.get(a.Id) ?? 0) - (this.sequence.get(b.Id) ?? 0));
      live.clear();
      for (const row of rows) live.set(row.Id, row);
    }
    this.reorder.clear();
  }

  /**
   * The one place rows change: unindexes the old version, stores the new one (live or deleted),
   * indexes it and records the undo step when a transaction is open.
   */
  private replaceRow(schema: SObjectSchema, id: string, next: Row | undefined, deleted: boolean, loading = false): void {
    const live = this.tables.get(schema.name)!;
    const dead = this.tombstones.get(schema.name)!;
    const previous = live.get(id);
    const previousDead = dead.get(id);
    if (previous) {
      this.unindex(schema, previous);
      // An update keeps the row's place (Map.set on the same key); only a delete takes it out.
      if (!next || deleted) live.delete(id);
    }
    if (previousDead) dead.delete(id);
    if (next) {
      if (deleted) dead.set(id, next);
      else {
        live.set(id, next);
        if (!this.sequence.has(id)) this.sequence.set(id, ++this.sequenceCounter);
        this.index(schema, next);
      }
    }
    if (loading) return;
    this.mutationCount += 1;
    if (this.undoLog) {
      this.undoLog.push(() => {
        const nowLive = live.get(id);
        if (nowLive) {
          this.unindex(schema, nowLive);
          if (!previous) live.delete(id);
        }
        dead.delete(id);
        if (previous) {
          // Re-added after a delete: at the end of the Map until restoreOrder() puts it back.
          if (!nowLive) this.reorder.add(schema.name);
          live.set(id, previous);
          this.index(schema, previous);
        }
        if (previousDead) dead.set(id, previousDead);
      });
    }
    this.onMutation?.();
  }

  private index(schema: SObjectSchema, row: Row): void {
    const groups = groupsOf(schema);
    for (const f of groups.unique) {
      const value = row[f.name];
      if (value !== null && value !== undefined) this.uniqueIndexes.get(schema.name)!.get(f)!.set(uniqueKey(f, value), row.Id);
    }
    for (const f of groups.indexedReferences) {
      const value = row[f.name];
      if (value === null || value === undefined) continue;
      const index = this.referenceIndexes.get(schema.name)!.get(f)!;
      let ids = index.get(value as string);
      if (!ids) index.set(value as string, (ids = new Set()));
      ids.add(row.Id);
    }
    for (const group of schema.uniqueTogether ?? []) {
      const key = compositeKey(row, group);
      if (key !== undefined) this.uniqueIndexes.get(schema.name)!.get(group)!.set(key, row.Id);
    }
  }

  private unindex(schema: SObjectSchema, row: Row): void {
    const groups = groupsOf(schema);
    for (const f of groups.unique) {
      const value = row[f.name];
      if (value === null || value === undefined) continue;
      const index = this.uniqueIndexes.get(schema.name)!.get(f)!;
      if (index.get(uniqueKey(f, value)) === row.Id) index.delete(uniqueKey(f, value));
    }
    for (const f of groups.indexedReferences) {
      const value = row[f.name];
      if (value === null || value === undefined) continue;
      const index = this.referenceIndexes.get(schema.name)!.get(f)!;
      const ids = index.get(value as string);
      ids?.delete(row.Id);
      if (ids && ids.size === 0) index.delete(value as string);
    }
    for (const group of schema.uniqueTogether ?? []) {
      const key = compositeKey(row, group);
      const index = this.uniqueIndexes.get(schema.name)!.get(group)!;
      if (key !== undefined && index.get(key) === row.Id) index.delete(key);
    }
  }
}

function name(values: Record<string, unknown>, f: FieldSchema): boolean {
  return  Object.hasOwn(values, f.name);
}

function uniqueKey(f: FieldSchema, value: unknown): string {
  const text = String(value);
  return f.caseInsensitiveUnique ? text.toLowerCase() : text;
}

function compositeKey(row: Row, fields: string[]): string | undefined {
  const parts: string[] = [];
  for (const f of fields) {
    const v = row[f];
    if (v === null || v === undefined) return undefined;
    parts.push(String(v));
  }
  return parts.join('\u0000');
}

function fieldLabel(f: FieldSchema): string {
  return f.label ?? f.name.replace(/Id$/, ' ID').replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** Converts one incoming value (JSON or CSV text) to the field's type, with Salesforce's error codes. */
function coerce(schema: SObjectSchema, f: FieldSchema, raw: unknown): unknown {
  if (raw === null || raw === undefined || raw === '') {
    if (f.type === 'boolean') return f.defaultValue ?? false;
    return null;
  }
  const bad = () =>
    new PlatformError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${fieldLabel(f)}: value not of required type: ${String(raw)}`, [f.name]);
  switch (f.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
      throw bad();
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
      if (!Number.isInteger(n)) throw bad();
      if (f.range && (n < f.range.min || n > f.range.max)) throw new PlatformError('FIELD_INTEGRITY_EXCEPTION', `${f.range.message}: ${n}`, [f.name]);
      return n;
    }
    case 'double': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw bad();
      return n;
    }
    case 'reference': {
      const id = normalizeId(raw);
      if (!id) throw new PlatformError('MALFORMED_ID', `${fieldLabel(f)}: id value of incorrect type: ${String(raw)}`, [f.name]);
      return id;
    }
    case 'date':
    case 'datetime': {
      if (typeof raw !== 'string' || Number.isNaN(Date.parse(raw))) throw bad();
      return f.type === 'date' ? raw.slice(0, 10) : sfNow(new Date(raw));
    }
    case 'picklist': {
      const text = String(raw);
      if (f.restrictedPicklist && f.picklistValues && !f.picklistValues.includes(text)) {
        throw new PlatformError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${fieldLabel(f)}: bad value for restricted picklist field: ${text}`, [f.name]);
      }
      return text;
    }
    case 'email': {
      const text = String(raw);
      if (!EMAIL_PATTERN.test(text)) throw new PlatformError('INVALID_EMAIL_ADDRESS', `${fieldLabel(f)}: invalid email address: ${text}`, [f.name]);
      return text;
    }
    case 'id':
      return to18(String(raw));
    default: {
      if (typeof raw === 'object') throw bad();
      const text = String(raw);
      if (f.length && text.length > f.length) {
        throw new PlatformError('STRING_TOO_LONG', `${fieldLabel(f)}: data value too large: ${text.slice(0, 40)} (max length=${f.length})`, [f.name]);
      }
      void schema;
      return text;
    }
  }
}
