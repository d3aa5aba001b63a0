/**
 * An in-memory SoqlDataSource over the real sObject schema, with an equality index that behaves like
 * the store's (ids, references, case-insensitive unique text) and counts the work the executor asks
 * for: table scans, index lookups, rows it visits (through either) and parent fetches by id.
 */
import { makeId } from '../../../local-org/ids.ts';
import { findSObject, sobjectOfId, type SObjectSchema } from '../../../local-org/schema.ts';
import type { SoqlDataSource } from '../../../local-org/soql/index.ts';

export type Row = Record<string, unknown> & { Id: string };

export class MemorySource implements SoqlDataSource {
  readonly tables = new Map<string, Row[]>();
  readonly byId = new Map<string, Row>();
  lookups = 0;
  scans = 0;
  /** Rows the executor pulled out of rows() and lookup() iterables. */
  visited = 0;
  /** get(id) calls (relationship paths resolve parents this way). */
  gets = 0;
  indexed: boolean;
  private readonly counters = new Map<string, number>();
  private readonly indexes = new Map<string, Map<unknown, Row[]>>();

  constructor(options: { indexed?: boolean } = {}) {
    this.indexed = options.indexed ?? true;
  }

  insert(sobject: string, fields: Record<string, unknown>): Row {
    const schema = findSObject(sobject);
    if (!schema) throw new Error(`no such object ${sobject}`);
    const n = (this.counters.get(schema.name) ?? 0) + 1;
    this.counters.set(schema.name, n);
    const row: Row = { Id: makeId(schema.keyPrefix, n), ...fields };
    const list = this.tables.get(schema.name) ?? [];
    list.push(row);
    this.tables.set(schema.name, list);
    this.byId.set(row.Id, row);
    this.indexes.clear();
    return row;
  }

  describe(sobject: string): SObjectSchema | undefined {
    return findSObject(sobject);
  }

  rows(sobject: string): Iterable<Row> {
    this.scans++;
    return this.counted(this.tables.get(findSObject(sobject)!.name) ?? []);
  }

  /** Resets every work counter. */
  resetCounters(): void {
    this.lookups = 0;
    this.scans = 0;
    this.visited = 0;
    this.gets = 0;
  }

  private *counted(rows: Iterable<Row>): Generator<Row> {
    for (const row of rows) {
      this.visited++;
      yield row;
    }
  }

  get(id: string): Row | undefined {
    this.gets++;
    return this.byId.get(id);
  }

  objectOfId(id: string): string | undefined {
    return sobjectOfId(id)?.name;
  }

  lookup(sobject: string, field: string, value: unknown): Iterable<Row> | undefined {
    if (!this.indexed) return undefined;
    const schema = findSObject(sobject)!;
    const f = schema.fields.find((x) => x.name === field);
    if (!f || !(f.type === 'id' || f.type === 'reference' || f.caseInsensitiveUnique)) return undefined;
    this.lookups++;
    const key = `${schema.name}.${f.name}`;
    let index = this.indexes.get(key);
    if (!index) {
      index = new Map();
      for (const row of this.tables.get(schema.name) ?? []) {
        const v = f.caseInsensitiveUnique ? String(row[f.name]).toLowerCase() : row[f.name];
        const list = index.get(v) ?? [];
        list.push(row);
        index.set(v, list);
      }
      this.indexes.set(key, index);
    }
    return this.counted(index.get(f.caseInsensitiveUnique ? String(value).toLowerCase() : value) ?? []);
  }
}
