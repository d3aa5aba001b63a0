/**
 * Runs a parsed query against a data source: resolves names against the schema (canonical casing,
 * INVALID_TYPE / INVALID_FIELD), compiles WHERE into closures once, narrows candidates through the
 * source's equality index when the top-level filter allows it, then sorts, pages and shapes records
 * the way the REST API returns them.
 */
import { to18 } from '../ids.ts';
import type { FieldSchema, SObjectSchema } from '../schema.ts';
import type { AggregateFunction, Condition, FieldRef, Literal, SelectItem, SoqlQuery } from './ast.ts';
import { SoqlError, unknownFieldMessage, unknownObjectMessage, unknownRelationshipMessage } from './errors.ts';
import { dateLiteralRange, fold, idKey, isIdShaped, likeMatcher, toEpochMs } from './values.ts';

type Row = Record<string, unknown>;

export interface SoqlDataSource {
  /** Case-insensitive object name. */
  describe(sobject: string): SObjectSchema | undefined;
  /** Field values keyed by API field name; Id always present. */
  rows(sobject: string): Iterable<Row>;
  /** Any record by id, for parent relationships. */
  get(id: string): Row | undefined;
  /** The sObject name of an id, for polymorphic references. */
  objectOfId?(id: string): string | undefined;
  /**
   * Optional equality index: the rows whose `field` equals `value`, or undefined when the field is not
   * indexed. The engine only asks for ids (as 18 characters), references, non-text fields and text
   * fields marked `caseInsensitiveUnique`, and re-applies the full WHERE to what comes back.
   */
  lookup?(sobject: string, field: string, value: unknown): Iterable<Row> | undefined;
}

export interface ExecuteOptions {
  /** `66.0` (a leading `v` is accepted); used in record URLs. */
  apiVersion: string;
  /** Records come from the Tooling API: their URLs point at `/tooling/sobjects/`. */
  tooling?: boolean;
  /** The clock for TODAY, LAST_N_DAYS:n and friends; defaults to now. */
  now?: Date;
}

export interface SoqlResult {
  totalSize: number;
  records: object[];
}

/** How values of a field compare. */
type Category = 'text' | 'id' | 'boolean' | 'number' | 'instant';

function categoryOf(field: FieldSchema): Category {
  switch (field.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'boolean':
      return 'boolean';
    case 'int':
    case 'double':
      return 'number';
    case 'date':
    case 'datetime':
      return 'instant';
    default:
      return 'text';
  }
}

/** A field path resolved against the schema. */
interface ResolvedField {
  /** Canonical terminal field name (output key). */
  name: string;
  field: FieldSchema;
  category: Category;
  /** Canonical path, lower-cased and dot-joined: identity for GROUP BY matching. */
  key: string;
  read(row: Row): unknown;
}

type Predicate = (row: Row) => boolean;

interface Context {
  source: SoqlDataSource;
  text: string;
  now: Date;
  options: ExecuteOptions;
}

const fieldMaps = new WeakMap<SObjectSchema, { byName: Map<string, FieldSchema>; byRelationship: Map<string, FieldSchema> }>();

function fieldMap(schema: SObjectSchema): { byName: Map<string, FieldSchema>; byRelationship: Map<string, FieldSchema> } {
  let maps = fieldMaps.get(schema);
  if (!maps) {
    maps = { byName: new Map(), byRelationship: new Map() };
    for (const f of schema.fields) {
      maps.byName.set(f.name.toLowerCase(), f);
      if (f.relationshipName) maps.byRelationship.set(f.relationshipName.toLowerCase(), f);
    }
    fieldMaps.set(schema, maps);
  }
  return maps;
}

function at(ctx: Context, offset: number): { text: string; offset: number } {
  return { text: ctx.text, offset };
}

function resolveObject(ctx: Context, name: string, offset: number): SObjectSchema {
  const schema = ctx.source.describe(name);
  if (!schema) throw new SoqlError('INVALID_TYPE', unknownObjectMessage(name), at(ctx, offset));
  return schema;
}

/** Resolves `Name`, `Profile.Name`, `User.Profile.Name` (and `User.Name` when selecting from User). */
function resolveField(ctx: Context, root: SObjectSchema, ref: FieldRef): ResolvedField {
  let path = ref.path;
  if (path.length > 1 && path[0].toLowerCase() === root.name.toLowerCase() && !fieldMap(root).byRelationship.has(path[0].toLowerCase())) {
    path = path.slice(1);
  }
  let candidates: SObjectSchema[] = [root];
  const hops: FieldSchema[] = [];
  const canonical: string[] = [];
  for (let i = 0; i < path.length - 1; i++) {
    const rel = candidates.map((s) => fieldMap(s).byRelationship.get(path[i].toLowerCase())).find(Boolean);
    if (!rel) throw new SoqlError('INVALID_FIELD', unknownRelationshipMessage(path[i]), at(ctx, ref.offset));
    hops.push(rel);
    canonical.push(rel.relationshipName!);
    candidates = (rel.referenceTo ?? []).map((t) => ctx.source.describe(t)).filter((s): s is SObjectSchema => !!s);
  }
  const last = path[path.length - 1];
  const field = candidates.map((s) => fieldMap(s).byName.get(last.toLowerCase())).find(Boolean);
  if (!field) {
    const entity = candidates.length === 1 ? candidates[0].name : path.length > 1 ? 'Name' : root.name;
    const shown = path.length > 1 ? path.join('.') : last;
    throw new SoqlError('INVALID_FIELD', unknownFieldMessage(path.length > 1 ? last : shown, entity), at(ctx, ref.offset));
  }
  canonical.push(field.name);
  const name = field.name;
  const source = ctx.source;
  let read: (row: Row) => unknown;
  if (hops.length === 0) {
    read = (row) => row[name];
  } else if (hops.length === 1) {
    const hop = hops[0].name;
    read = (row) => {
      const id = row[hop];
      const parent = typeof id === 'string' ? source.get(id) : undefined;
      return parent ? parent[name] : null;
    };
  } else {
    const hopNames = hops.map((h) => h.name);
    read = (row) => {
      let current: Row | undefined = row;
      for (const hop of hopNames) {
        const id: unknown = current[hop];
        current = typeof id === 'string' ? source.get(id) : undefined;
        if (!current) return null;
      }
      return current[name];
    };
  }
  return { name, field, category: categoryOf(field), key: canonical.join('.').toLowerCase(), read };
}

// ---------------------------------------------------------------------------------------------
// WHERE

const EXPECTED_TYPE: Record<Category, string> = {
  text: 'string',
  id: 'id',
  boolean: 'boolean',
  number: 'double',
  instant: 'date',
};

function literalMismatch(ctx: Context, f: ResolvedField, literal: Literal): SoqlError {
  const quoted = f.category === 'text' || f.category === 'id';
  const expected = f.field.type === 'datetime' ? 'dateTime' : f.field.type === 'int' ? 'int' : EXPECTED_TYPE[f.category];
  const detail =
    `value of filter criterion for field '${f.name}' must be of type ${expected} and should ` +
    `${quoted ? '' : 'not '}be enclosed in quotes`;
  return new SoqlError('INVALID_FIELD', detail, at(ctx, literal.offset));
}

/** A comparable form of a non-null literal: a key for equality/sets, or a [start, end) range for date literals. */
type LiteralValue = { kind: 'value'; key: string | number | boolean; order: string | number } | { kind: 'range'; start: number; end: number };

function literalValue(ctx: Context, f: ResolvedField, literal: Literal): LiteralValue {
  switch (f.category) {
    case 'text':
      if (literal.kind !== 'string') throw literalMismatch(ctx, f, literal);
      return { kind: 'value', key: fold(literal.value), order: literal.value.toUpperCase() };
    case 'id':
      if (literal.kind !== 'string') throw literalMismatch(ctx, f, literal);
      return { kind: 'value', key: idKey(literal.value), order: literal.value };
    case 'boolean':
      if (literal.kind !== 'boolean') throw literalMismatch(ctx, f, literal);
      return { kind: 'value', key: literal.value, order: literal.value ? 1 : 0 };
    case 'number':
      if (literal.kind !== 'number') throw literalMismatch(ctx, f, literal);
      return { kind: 'value', key: literal.value, order: literal.value };
    case 'instant': {
      const isDateField = f.field.type === 'date';
      if (literal.kind === 'dateLiteral') {
        const [start, end] = dateLiteralRange(literal.name, literal.n, ctx.now);
        return { kind: 'range', start, end };
      }
      if (literal.kind === 'date' && isDateField) {
        const ms = toEpochMs(literal.value);
        return { kind: 'value', key: ms, order: ms };
      }
      if (literal.kind === 'datetime' && !isDateField) return { kind: 'value', key: literal.epochMs, order: literal.epochMs };
      throw literalMismatch(ctx, f, literal);
    }
  }
}

/** The key of a stored value for equality (same shape as a literal's key); undefined for null. */
function valueKeyFn(category: Category): (v: unknown) => string | number | boolean | undefined {
  switch (category) {
    case 'text':
      return (v) => (v === null || v === undefined ? undefined : fold(String(v)));
    case 'id':
      return (v) => (v === null || v === undefined ? undefined : idKey(String(v)));
    case 'boolean':
      return (v) => (v === null || v === undefined ? undefined : v === true || v === 'true');
    case 'number':
      return (v) => (v === null || v === undefined || v === '' ? undefined : Number(v));
    case 'instant':
      return (v) => {
        if (v === null || v === undefined) return undefined;
        const ms = toEpochMs(v);
        return Number.isNaN(ms) ? undefined : ms;
      };
  }
}

/** The sort form of a stored value (also used for < and >); undefined for null. */
function sortKeyFn(category: Category): (v: unknown) => string | number | undefined {
  switch (category) {
    case 'text':
      // Salesforce sorts text case-insensitively by its upper-case form.
      return (v) => (v === null || v === undefined ? undefined : String(v).toUpperCase());
    case 'id':
      return (v) => (v === null || v === undefined ? undefined : String(v));
    case 'boolean':
      return (v) => (v === null || v === undefined ? undefined : v === true || v === 'true' ? 1 : 0);
    case 'number':
    case 'instant': {
      const key = valueKeyFn(category);
      return (v) => key(v) as number | undefined;
    }
  }
}

function compileCondition(ctx: Context, root: SObjectSchema, c: Condition): Predicate {
  switch (c.kind) {
    case 'and': {
      const items = c.items.map((i) => compileCondition(ctx, root, i));
      return (row) => {
        for (const p of items) if (!p(row)) return false;
        return true;
      };
    }
    case 'or': {
      const items = c.items.map((i) => compileCondition(ctx, root, i));
      return (row) => {
        for (const p of items) if (p(row)) return true;
        return false;
      };
    }
    case 'not': {
      const inner = compileCondition(ctx, root, c.item);
      return (row) => !inner(row);
    }
    case 'compare':
      return compileCompare(ctx, resolveField(ctx, root, c.field), c.op, c.value);
    case 'like': {
      const f = resolveField(ctx, root, c.field);
      const matches = likeMatcher(c.pattern.like);
      const read = f.read;
      return (row) => {
        const v = read(row);
        return v !== null && v !== undefined && matches(String(v));
      };
    }
    case 'in':
      return compileIn(ctx, resolveField(ctx, root, c.field), c.negated, c.values);
    case 'inQuery':
      return compileSemiJoin(ctx, resolveField(ctx, root, c.field), c.negated, c.query);
  }
}

function compileCompare(ctx: Context, f: ResolvedField, op: string, literal: Literal): Predicate {
  const read = f.read;
  if (literal.kind === 'null') {
    if (op === '=') return (row) => read(row) == null;
    if (op === '!=') return (row) => read(row) != null;
    return () => false;
  }
  const value = literalValue(ctx, f, literal);
  if (value.kind === 'range') {
    const { start, end } = value;
    const key = valueKeyFn('instant');
    const inRange = (ms: number): boolean => ms >= start && ms < end;
    const test: Record<string, (ms: number) => boolean> = {
      '=': inRange,
      '!=': (ms) => !inRange(ms),
      '<': (ms) => ms < start,
      '<=': (ms) => ms < end,
      '>': (ms) => ms >= end,
      '>=': (ms) => ms >= start,
    };
    const t = test[op];
    return (row) => {
      const ms = key(read(row)) as number | undefined;
      return ms === undefined ? op === '!=' : t(ms);
    };
  }
  if (op === '=' || op === '!=') {
    const key = valueKeyFn(f.category);
    const wanted = value.key;
    const equal = op === '=';
    return (row) => {
      const k = key(read(row));
      return k === undefined ? !equal : (k === wanted) === equal;
    };
  }
  const sortKey = sortKeyFn(f.category);
  const bound = value.order;
  const cmp: Record<string, (a: string | number) => boolean> = {
    '<': (a) => a < bound,
    '<=': (a) => a <= bound,
    '>': (a) => a > bound,
    '>=': (a) => a >= bound,
  };
  const t = cmp[op];
  return (row) => {
    const k = sortKey(read(row));
    return k !== undefined && t(k);
  };
}

function compileIn(ctx: Context, f: ResolvedField, negated: boolean, literals: Literal[]): Predicate {
  const keys = new Set<string | number | boolean>();
  const ranges: Array<[number, number]> = [];
  let matchesNull = false;
  for (const literal of literals) {
    if (literal.kind === 'null') {
      matchesNull = true;
      continue;
    }
    const v = literalValue(ctx, f, literal);
    if (v.kind === 'range') ranges.push([v.start, v.end]);
    else keys.add(v.key);
  }
  const key = valueKeyFn(f.category);
  const read = f.read;
  const member = (row: Row): boolean => {
    const k = key(read(row));
    if (k === undefined) return matchesNull;
    if (keys.has(k)) return true;
    for (const [start, end] of ranges) if ((k as number) >= start && (k as number) < end) return true;
    return false;
  };
  return negated ? (row) => !member(row) : member;
}

function compileSemiJoin(ctx: Context, f: ResolvedField, negated: boolean, query: SoqlQuery): Predicate {
  const inner = compileQuery({ ...ctx, text: query.text }, query);
  if (query.countOnly || inner.aggregate || query.select.length !== 1 || query.select[0].kind !== 'field') {
    throw new SoqlError('MALFORMED_QUERY', 'semi join sub-selects must select exactly one field', at(ctx, query.from.offset));
  }
  const selected = inner.fields[0];
  const key = valueKeyFn(f.category);
  const selectedKey = valueKeyFn(selected.category);
  // Run the sub-select once, on first use: the outer query may match nothing to test.
  let values: Set<unknown> | undefined;
  const read = f.read;
  const member = (row: Row): boolean => {
    if (!values) {
      values = new Set();
      for (const r of inner.matchingRows()) {
        const k = selectedKey(selected.read(r));
        if (k !== undefined) values.add(k);
      }
    }
    const k = key(read(row));
    return k !== undefined && values.has(k);
  };
  return negated ? (row) => !member(row) : member;
}

// ---------------------------------------------------------------------------------------------
// Index use

/** Rows the top-level filter can only match, from the source's equality index; undefined = scan. */
function indexedCandidates(ctx: Context, root: SObjectSchema, c: Condition | undefined): Row[] | undefined {
  const lookup = ctx.source.lookup;
  if (!c || !lookup) return undefined;
  if (c.kind === 'and') {
    let best: Row[] | undefined;
    for (const item of c.items) {
      const rows = indexedCandidates(ctx, root, item);
      if (rows && (!best || rows.length < best.length)) best = rows;
    }
    return best;
  }
  let literals: Literal[];
  if (c.kind === 'compare' && c.op === '=') literals = [c.value];
  else if (c.kind === 'in' && !c.negated) literals = c.values;
  else return undefined;
  if (c.field.path.length !== 1) return undefined;
  const f = resolveField(ctx, root, c.field);
  const byId = new Map<string, Row>();
  for (const literal of literals) {
    const value = indexValue(f, literal);
    if (value === undefined) return undefined;
    const rows = lookup.call(ctx.source, root.name, f.name, value);
    if (!rows) return undefined;
    for (const row of rows) byId.set(String(row.Id), row);
  }
  return [...byId.values()];
}

/** The value to ask the index for, or undefined when the index can't answer with SOQL's equality. */
function indexValue(f: ResolvedField, literal: Literal): unknown {
  switch (f.category) {
    case 'id':
      if (literal.kind !== 'string' || !isIdShaped(literal.value)) return undefined;
      return to18(idKey(literal.value));
    case 'text':
      // A case-sensitive index would miss rows that SOQL's case-insensitive '=' matches.
      return literal.kind === 'string' && f.field.caseInsensitiveUnique ? literal.value : undefined;
    case 'number':
      return literal.kind === 'number' ? literal.value : undefined;
    case 'boolean':
      return literal.kind === 'boolean' ? literal.value : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Compile and run

interface ProjectionField {
  kind: 'field';
  name: string;
}
interface ProjectionRelationship {
  kind: 'relationship';
  /** Canonical relationship name: the output key. */
  name: string;
  referenceField: string;
  targets: SObjectSchema[];
  children: ProjectionNode[];
}
type ProjectionNode = ProjectionField | ProjectionRelationship;

interface CompiledQuery {
  root: SObjectSchema;
  aggregate: boolean;
  /** Resolved plain select fields, in select order. */
  fields: ResolvedField[];
  matchingRows(): Row[];
}

function compileQuery(ctx: Context, query: SoqlQuery): CompiledQuery {
  const root = resolveObject(ctx, query.from.name, query.from.offset);
  const fields = query.select.filter((s) => s.kind === 'field').map((s) => resolveField(ctx, root, s.field));
  const aggregate = query.select.some((s) => s.kind === 'aggregate') || query.groupBy.length > 0;
  const predicate = query.where ? compileCondition(ctx, root, query.where) : undefined;
  const where = query.where;
  return {
    root,
    aggregate,
    fields,
    matchingRows() {
      const candidates = indexedCandidates(ctx, root, where) ?? ctx.source.rows(root.name);
      const out: Row[] = [];
      for (const row of candidates) if (!predicate || predicate(row)) out.push(row);
      return out;
    },
  };
}

function sortRows<T>(items: T[], keys: Array<{ read: (item: T) => string | number | undefined; descending: boolean; nullsLast: boolean }>): T[] {
  if (keys.length === 0) return items;
  const decorated = items.map((item) => ({ item, k: keys.map((key) => key.read(item)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a.k[i];
      const y = b.k[i];
      if (x === y) continue;
      if (x === undefined) return keys[i].nullsLast ? 1 : -1;
      if (y === undefined) return keys[i].nullsLast ? -1 : 1;
      const order = x < y ? -1 : x > y ? 1 : 0;
      if (order !== 0) return keys[i].descending ? -order : order;
    }
    return 0;
  });
  return decorated.map((d) => d.item);
}

function page<T>(items: T[], query: SoqlQuery): T[] {
  const start = query.offset ?? 0;
  const end = query.limit === undefined ? undefined : start + query.limit;
  return start === 0 && end === undefined ? items : items.slice(start, end);
}

function buildProjection(ctx: Context, root: SObjectSchema, select: SelectItem[]): ProjectionNode[] {
  const nodes: ProjectionNode[] = [];
  for (const item of select) {
    if (item.kind !== 'field') continue;
    const resolved = resolveField(ctx, root, item.field);
    // Walk the path again to learn the canonical relationship names; resolveField has validated it.
    let level = nodes;
    let schemas = [root];
    let path = item.field.path;
    if (path.length > 1 && path[0].toLowerCase() === root.name.toLowerCase() && !fieldMap(root).byRelationship.has(path[0].toLowerCase())) {
      path = path.slice(1);
    }
    for (let i = 0; i < path.length - 1; i++) {
      const rel = schemas.map((s) => fieldMap(s).byRelationship.get(path[i].toLowerCase())).find(Boolean)!;
      const targets = (rel.referenceTo ?? []).map((t) => ctx.source.describe(t)).filter((s): s is SObjectSchema => !!s);
      let node = level.find((n): n is ProjectionRelationship => n.kind === 'relationship' && n.name === rel.relationshipName);
      if (!node) {
        node = { kind: 'relationship', name: rel.relationshipName!, referenceField: rel.name, targets, children: [] };
        level.push(node);
      }
      level = node.children;
      schemas = targets;
    }
    if (!level.some((n) => n.kind === 'field' && n.name === resolved.name)) level.push({ kind: 'field', name: resolved.name });
  }
  return nodes;
}

/** Executes a parsed query. The caller pages the result; here every matching record is returned. */
export function executeSoql(query: SoqlQuery, source: SoqlDataSource, options: ExecuteOptions): SoqlResult {
  const ctx: Context = { source, text: query.text, now: options.now ?? new Date(), options };
  const compiled = compileQuery(ctx, query);
  const { root } = compiled;
  if (query.countOnly) {
    const n = page(compiled.matchingRows(), query).length;
    return { totalSize: n, records: [] };
  }
  if (compiled.aggregate) return executeAggregate(ctx, query, compiled);

  const projection = buildProjection(ctx, root, query.select);
  const orderKeys = query.orderBy.map((o) => {
    const f = resolveField(ctx, root, o.field);
    const sortKey = sortKeyFn(f.category);
    const read = f.read;
    return { read: (row: Row) => sortKey(read(row)), descending: o.descending, nullsLast: o.nullsLast };
  });
  const rows = page(sortRows(compiled.matchingRows(), orderKeys), query);
  const version = options.apiVersion.replace(/^v/i, '');
  const base = `/services/data/v${version}/${options.tooling ? 'tooling/' : ''}sobjects/`;

  const typeOf = (id: string, targets: SObjectSchema[]): string => {
    const named = source.objectOfId?.(id);
    if (named) return source.describe(named)?.name ?? named;
    const byPrefix = targets.find((t) => id.startsWith(t.keyPrefix));
    return (byPrefix ?? targets[0])?.name ?? 'Name';
  };
  const project = (row: Row, type: string, nodes: ProjectionNode[]): object => {
    const out: Record<string, unknown> = { attributes: { type, url: `${base}${type}/${String(row.Id)}` } };
    for (const node of nodes) {
      if (node.kind === 'field') {
        const v = row[node.name];
        out[node.name] = v === undefined ? null : v;
      } else {
        const id = row[node.referenceField];
        const parent = typeof id === 'string' ? source.get(id) : undefined;
        out[node.name] = parent ? project(parent, typeOf(id as string, node.targets), node.children) : null;
      }
    }
    return out;
  };
  const records = rows.map((row) => project(row, root.name, projection));
  return { totalSize: records.length, records };
}

function executeAggregate(ctx: Context, query: SoqlQuery, compiled: CompiledQuery): SoqlResult {
  const { root } = compiled;
  const groupFields = query.groupBy.map((g) => resolveField(ctx, root, g));
  const groupKeys = new Set(groupFields.map((g) => g.key));
  for (const item of query.select) {
    if (item.kind !== 'field') continue;
    const f = resolveField(ctx, root, item.field);
    if (!groupKeys.has(f.key)) {
      throw new SoqlError('MALFORMED_QUERY', `Field must be grouped or aggregated: ${f.name}`, at(ctx, item.field.offset));
    }
  }
  const groups = new Map<string, Row[]>();
  const keyFns = groupFields.map((g) => valueKeyFn(g.category));
  for (const row of compiled.matchingRows()) {
    const key = JSON.stringify(groupFields.map((g, i) => keyFns[i](g.read(row)) ?? null));
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  // Without GROUP BY an aggregate query always answers one row, even over no records.
  const groupRows = groupFields.length === 0 && groups.size === 0 ? [[] as Row[]] : [...groups.values()];

  let unnamed = 0;
  const columns = query.select.map((item) => {
    const f = resolveField(ctx, root, item.field);
    if (item.kind === 'field') return { name: f.name, value: (rows: Row[]) => (rows.length ? (f.read(rows[0]) ?? null) : null) };
    const name = item.alias ?? `expr${unnamed++}`;
    return { name, value: aggregateFn(item.fn, f) };
  });
  const orderKeys = query.orderBy.map((o) => {
    const f = resolveField(ctx, root, o.field);
    if (!groupKeys.has(f.key)) {
      throw new SoqlError('MALFORMED_QUERY', `Ordered field must be grouped or aggregated: ${f.name}`, at(ctx, o.field.offset));
    }
    const sortKey = sortKeyFn(f.category);
    return { read: (rows: Row[]) => (rows.length ? sortKey(f.read(rows[0])) : undefined), descending: o.descending, nullsLast: o.nullsLast };
  });
  const records = page(sortRows(groupRows, orderKeys), query).map((rows) => {
    const out: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
    for (const column of columns) out[column.name] = column.value(rows);
    return out;
  });
  return { totalSize: records.length, records };
}

function aggregateFn(fn: AggregateFunction, f: ResolvedField): (rows: Row[]) => unknown {
  const present = (rows: Row[]): unknown[] => rows.map((r) => f.read(r)).filter((v) => v !== null && v !== undefined);
  switch (fn) {
    case 'COUNT':
      return (rows) => present(rows).length;
    case 'COUNT_DISTINCT': {
      const key = valueKeyFn(f.category);
      return (rows) => new Set(present(rows).map(key)).size;
    }
    case 'SUM':
      return (rows) => {
        const values = present(rows).map(Number);
        return values.length ? values.reduce((a, b) => a + b, 0) : null;
      };
    case 'AVG':
      return (rows) => {
        const values = present(rows).map(Number);
        return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
      };
    case 'MIN':
    case 'MAX': {
      const sortKey = sortKeyFn(f.category);
      const wantMax = fn === 'MAX';
      return (rows) => {
        let best: unknown = null;
        let bestKey: string | number | undefined;
        for (const v of present(rows)) {
          const k = sortKey(v);
          if (k === undefined) continue;
          if (bestKey === undefined || (wantMax ? k > bestKey : k < bestKey)) {
            best = v;
            bestKey = k;
          }
        }
        return best;
      };
    }
  }
}
