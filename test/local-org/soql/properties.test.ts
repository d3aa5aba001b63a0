import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldSchema, SObjectSchema } from '../../../local-org/schema.ts';
import { executeSoql, parseSoql, SoqlError, type SoqlDataSource } from '../../../local-org/soql/index.ts';
import { soqlQuote } from '../../../scripts/org/soql.ts';
import { binaryString } from '../../helpers/arbitraries.ts';

describe('parseSoql never fails with anything but SoqlError', () => {
  const soqlish = fc
    .array(
      fc.constantFrom(
        'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'LIKE', 'ORDER', 'BY', 'DESC', 'NULLS', 'LAST', 'LIMIT',
        'OFFSET', 'COUNT', 'GROUP', 'FOR', 'VIEW', 'WITH', 'USER_MODE', 'Id', 'Name', 'Profile.Name', 'User', '(', ')',
        ',', '=', '!=', '<>', '<=', '>', "'x'", "'a\\'b'", "'\\u00e9'", "'\\", "'", '\\', '5', '-1.5', '2024-01-01',
        '2024-01-01T00:00:00Z', '2024-13-01', 'TODAY', 'LAST_N_DAYS:3', 'LAST_N_DAYS', ':', '.', 'null', 'true', '%',
      ),
      { maxLength: 25 },
    )
    .map((parts) => parts.join(' '));

  it('on arbitrary text and on SOQL-like token soup', () => {
    fc.assert(
      fc.property(fc.oneof(binaryString({ maxLength: 80 }), soqlish), (text) => {
        try {
          parseSoql(text);
        } catch (e) {
          if (!(e instanceof SoqlError)) throw e;
          expect(e.errorCode).toBe('MALFORMED_QUERY');
        }
      }),
      { numRuns: 3000 },
    );
  });
});

// --- A tiny schema of our own so every value category and a parent path are covered. ---

function field(name: string, type: FieldSchema['type'], extra: Partial<FieldSchema> = {}): FieldSchema {
  return { name, type, createable: true, updateable: true, nillable: true, ...extra };
}
function sobject(name: string, keyPrefix: string, fields: FieldSchema[]): SObjectSchema {
  return {
    name, label: name, labelPlural: `${name}s`, keyPrefix, createable: true, updateable: true, deletable: true, queryable: true,
    fields: [field('Id', 'id'), ...fields],
  };
}
const PARENT = sobject('Parent', 'a01', [field('Name', 'string')]);
const THING = sobject('Thing', 'a02', [
  field('Name', 'string'),
  field('Code', 'picklist'),
  field('Score', 'int'),
  field('Ratio', 'double'),
  field('Active', 'boolean'),
  field('ParentId', 'reference', { referenceTo: ['Parent'], relationshipName: 'Parent' }),
]);

type Row = Record<string, unknown> & { Id: string };
const TEXTS = ['a', 'A', 'b', 'ab', 'AB', 'aB_', 'a%b', '', "O'x", 'x\\y', 'ba'];

function makeSource(parents: Row[], things: Row[]): SoqlDataSource {
  const byId = new Map<string, Row>([...parents, ...things].map((r) => [r.Id, r]));
  return {
    describe: (n) => [PARENT, THING].find((s) => s.name.toLowerCase() === n.toLowerCase()),
    rows: (n) => (n === 'Parent' ? parents : things),
    get: (id) => byId.get(id),
  };
}

// --- Random WHERE trees, rendered to SOQL and evaluated by a plain reference implementation. ---

type Value = string | number | boolean | null;
type Leaf =
  | { kind: 'cmp'; field: string; op: string; value: Value }
  | { kind: 'in'; field: string; negated: boolean; values: Value[] }
  | { kind: 'like'; field: string; pattern: Array<string | '%' | '_'> };
type Tree = Leaf | { kind: 'and' | 'or'; items: Tree[] } | { kind: 'not'; item: Tree };

const TEXT_FIELDS = ['Name', 'Code', 'Parent.Name'];
const textValue = fc.oneof(fc.constantFrom(...TEXTS), fc.constant(null));
const numberValue = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(null));
const ops = fc.constantFrom('=', '!=', '<', '>', '<=', '>=');

const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  fc.record({ kind: fc.constant('cmp' as const), field: fc.constantFrom(...TEXT_FIELDS), op: ops, value: textValue }),
  fc.record({ kind: fc.constant('cmp' as const), field: fc.constantFrom('Score', 'Ratio'), op: ops, value: numberValue }),
  fc.record({ kind: fc.constant('cmp' as const), field: fc.constant('Active'), op: fc.constantFrom('=', '!='), value: fc.constantFrom(true, false, null) }),
  fc.record({ kind: fc.constant('in' as const), field: fc.constantFrom(...TEXT_FIELDS), negated: fc.boolean(), values: fc.array(textValue, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('in' as const), field: fc.constant('Score'), negated: fc.boolean(), values: fc.array(numberValue, { minLength: 1, maxLength: 4 }) }),
  fc.record({
    kind: fc.constant('like' as const),
    field: fc.constantFrom(...TEXT_FIELDS),
    pattern: fc.array(fc.constantFrom('a', 'B', '%', '_', 'x\\', "'", '%', '_'), { minLength: 0, maxLength: 5 }),
  }),
);

const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), items: fc.array(tie('tree'), { minLength: 2, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('not' as const), item: tie('tree') }),
  ),
})).tree;

function literal(v: Value): string {
  return v === null ? 'null' : typeof v === 'string' ? soqlQuote(v) : String(v);
}

function render(t: Tree): string {
  switch (t.kind) {
    case 'cmp':
      return `${t.field} ${t.op} ${literal(t.value)}`;
    case 'in':
      return `${t.field}${t.negated ? ' NOT' : ''} IN (${t.values.map(literal).join(', ')})`;
    case 'like': {
      const text = t.pattern.map((p) => (p === '%' || p === '_' ? p : p.replace(/[\\']/g, (c) => `\\${c}`))).join('');
      return `${t.field} LIKE '${text}'`;
    }
    case 'not':
      return `NOT (${render(t.item)})`;
    default:
      return t.items.map((i) => `(${render(i)})`).join(t.kind === 'and' ? ' AND ' : ' OR ');
  }
}

function read(row: Row, path: string, byId: Map<string, Row>): Value {
  if (path === 'Parent.Name') {
    const parent = typeof row.ParentId === 'string' ? byId.get(row.ParentId) : undefined;
    return parent ? (parent.Name as Value) ?? null : null;
  }
  return (row[path] as Value) ?? null;
}

/** The documented semantics, written the slow obvious way. */
function likeMatches(text: string, pattern: Array<string>): boolean {
  const go = (i: number, j: number): boolean => {
    if (j === pattern.length) return i === text.length;
    const p = pattern[j];
    if (p === '%') return go(i, j + 1) || (i < text.length && go(i + 1, j));
    if (p === '_') return i < text.length && go(i + 1, j + 1);
    const lit = p.toLowerCase();
    return text.slice(i, i + lit.length).toLowerCase() === lit && go(i + lit.length, j + 1);
  };
  return go(0, 0);
}

function reference(t: Tree, row: Row, byId: Map<string, Row>): boolean {
  switch (t.kind) {
    case 'and':
      return t.items.every((i) => reference(i, row, byId));
    case 'or':
      return t.items.some((i) => reference(i, row, byId));
    case 'not':
      return !reference(t.item, row, byId);
    case 'like': {
      const v = read(row, t.field, byId);
      return typeof v === 'string' && likeMatches(v, t.pattern);
    }
    case 'in': {
      const v = read(row, t.field, byId);
      const hit = t.values.some((x) => (x === null ? v === null : v !== null && (typeof x === 'string' ? String(v).toLowerCase() === x.toLowerCase() : v === x)));
      return t.negated ? !hit : hit;
    }
    case 'cmp': {
      const v = read(row, t.field, byId);
      if (t.value === null) return t.op === '=' ? v === null : t.op === '!=' ? v !== null : false;
      if (t.op === '=' || t.op === '!=') {
        const eq = v !== null && (typeof v === 'string' ? v.toLowerCase() === String(t.value).toLowerCase() : v === t.value);
        return t.op === '=' ? eq : !eq;
      }
      if (v === null) return false;
      const a = typeof v === 'string' ? v.toUpperCase() : v;
      const b = typeof t.value === 'string' ? t.value.toUpperCase() : t.value;
      return t.op === '<' ? a < b : t.op === '>' ? a > b : t.op === '<=' ? a <= b : a >= b;
    }
  }
}

describe('executeSoql agrees with a reference filter', () => {
  const parentsArb = fc.array(fc.record({ Name: textValue }), { minLength: 1, maxLength: 4 });
  const thingsArb = fc.array(
    fc.record({
      Name: textValue,
      Code: textValue,
      Score: numberValue,
      Ratio: fc.oneof(fc.constantFrom(-1.5, 0, 0.5, 2), fc.constant(null)),
      Active: fc.constantFrom(true, false),
      parent: fc.nat(5),
    }),
    { maxLength: 15 },
  );

  it('for random rows and random WHERE trees', () => {
    fc.assert(
      fc.property(parentsArb, thingsArb, tree, (parentSpecs, thingSpecs, where) => {
        const parents: Row[] = parentSpecs.map((p, i) => ({ Id: `a01${String(i).padStart(15, '0')}`, ...p }));
        const things: Row[] = thingSpecs.map(({ parent, ...t }, i) => ({
          Id: `a02${String(i).padStart(15, '0')}`,
          ...t,
          ParentId: parent < parents.length ? parents[parent].Id : null,
        }));
        const byId = new Map<string, Row>([...parents, ...things].map((r) => [r.Id, r]));
        const soql = `SELECT Id FROM Thing WHERE ${render(where)}`;
        const result = executeSoql(parseSoql(soql), makeSource(parents, things), { apiVersion: '66.0' });
        const got = result.records.map((r) => (r as { Id: string }).Id);
        const expected = things.filter((row) => reference(where, row, byId)).map((r) => r.Id);
        expect(got, soql).toEqual(expected);
        expect(result.totalSize).toBe(expected.length);
      }),
      { numRuns: 1500 },
    );
  });

  it('for random ORDER BY over text, numbers and a parent path', () => {
    fc.assert(
      fc.property(parentsArb, thingsArb, fc.constantFrom('Name', 'Score', 'Parent.Name'), fc.boolean(), fc.boolean(), (parentSpecs, thingSpecs, key, desc, nullsLast) => {
        const parents: Row[] = parentSpecs.map((p, i) => ({ Id: `a01${String(i).padStart(15, '0')}`, ...p }));
        const things: Row[] = thingSpecs.map(({ parent, ...t }, i) => ({
          Id: `a02${String(i).padStart(15, '0')}`,
          ...t,
          ParentId: parent < parents.length ? parents[parent].Id : null,
        }));
        const byId = new Map<string, Row>([...parents, ...things].map((r) => [r.Id, r]));
        const soql = `SELECT Id FROM Thing ORDER BY ${key} ${desc ? 'DESC' : 'ASC'} NULLS ${nullsLast ? 'LAST' : 'FIRST'}, Id`;
        const got = executeSoql(parseSoql(soql), makeSource(parents, things), { apiVersion: '66.0' }).records.map((r) => (r as { Id: string }).Id);
        const sortable = (row: Row): string | number | null => {
          const v = read(row, key, byId);
          return typeof v === 'string' ? v.toUpperCase() : (v as number | null);
        };
        const expected = [...things]
          .sort((a, b) => {
            const x = sortable(a);
            const y = sortable(b);
            if (x === y) return a.Id < b.Id ? -1 : 1;
            if (x === null) return nullsLast ? 1 : -1;
            if (y === null) return nullsLast ? -1 : 1;
            return (x < y ? -1 : 1) * (desc ? -1 : 1);
          })
          .map((r) => r.Id);
        expect(got, soql).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
