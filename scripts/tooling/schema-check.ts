/**
 * Writes the schema checks for input that passes, as plain code generated from zod schemas, so checking valid
 * input loads neither zod nor the schema (zod is 95 modules and ~45 ms of CPU at a command's start):
 * - `scripts/yaml-spec/spec-check.generated.ts` from the spec's schema (scripts/yaml-spec/schema.ts, built from
 *   the mapping tables and the registry); test/yaml-spec/spec-check.test.ts fails when the committed file
 *   differs, and holds the generated check to `specSchema().safeParse` on generated specs, valid and not;
 * - `scripts/assign/assignment-file-check.generated.ts` from the assignment files' schema
 *   (scripts/assign/assignment-file.ts); test/assign/assignment-file-check.test.ts likewise.
 * Written by `npm run docs`.
 *
 * The generated `parseValidSpec(data, { inPlace })` gives, for a valid spec, exactly the value the loader
 * takes from zod (`nullPrototypeInPlace(specSchema().safeParse(data).data)`: new objects with their keys in
 * the schema's order, records and lists in the spec's order, the same scalars, every mapping null-prototype),
 * or undefined; a spec that fails goes to zod, which words the errors — so the generated code only has to be
 * exact about what passes. In place, a valid spec is given back as it is (validate reads it by key).
 *
 * What it follows is zod 4's own parse (node_modules/zod/v4/core/schemas.js and checks.js): strict objects
 * (absent optional keys left out, required keys present, no unknown key, then the object's refinements on the
 * output), records over own enumerable string keys (each key through the key schema), lists, unions (the first
 * option that passes), optional, nullable, lazy, literal, enum, null, boolean, finite numbers, safe integers,
 * strings, and the checks min/max length, regex, greater/less than and the refinements named in
 * scripts/yaml-spec/refinements.ts. Any other part of a schema (coercion, defaults, transforms, pipes, other
 * formats or checks) is generated as a check that passes nothing: a spec that meets it is left to zod.
 */
import { assignmentFileSchema } from '../assign/assignment-file.ts';
import { specSchema } from '../yaml-spec/schema.ts';
import { SPEC_REFINEMENTS } from '../yaml-spec/refinements.ts';

/** Where the generated spec check lives, relative to the repository root. */
export const SPEC_CHECK_PATH = 'scripts/yaml-spec/spec-check.generated.ts';
/** Where the generated assignment file check lives, relative to the repository root. */
export const ASSIGNMENT_FILE_CHECK_PATH = 'scripts/assign/assignment-file-check.generated.ts';

/** zod 4's internals as read here: every schema and check has `_zod.def`; schemas may have `_zod.values`, optin/optout. */
interface ZodInternals {
  _zod: {
    def: Record<string, unknown> & { type?: string; check?: string; checks?: ZodInternals[] };
    values?: Set<unknown>;
    /** A lazy's resolved schema (zod caches it: the getter itself builds a new one per call). */
    innerType?: ZodInternals;
    optin?: string;
    optout?: string;
  };
}

/** A number as a TypeScript literal (-0, infinities and NaN included). */
function numberLiteral(n: number): string {
  if (Object.is(n, -0)) return '-0';
  if (Number.isNaN(n)) return 'Number.NaN';
  if (n === Number.POSITIVE_INFINITY) return 'Number.POSITIVE_INFINITY';
  if (n === Number.NEGATIVE_INFINITY) return 'Number.NEGATIVE_INFINITY';
  return String(n);
}

function valueLiteral(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return numberLiteral(v);
  if (typeof v === 'boolean' || v === null) return String(v);
  if (v === undefined) return 'undefined';
  throw new Error(`schema-check: no literal for ${typeof v}`);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const member = (object: string, key: string) => (IDENTIFIER.test(key) ? `${object}.${key}` : `${object}[${JSON.stringify(key)}]`);

class Generator {
  /** Function name by schema object. */
  private readonly names = new Map<object, string>();
  /** Function name by its body, so equal schemas share one function. */
  private readonly byBody = new Map<string, string>();
  /** Names referred to before their body was done (a lazy that reaches itself): never merged away. */
  private readonly pinned = new Set<string>();
  private readonly pending = new Set<string>();
  private readonly functions: string[] = [];
  private readonly constants: string[] = [];
  private readonly regexes = new Map<string, string>();
  private readonly keySets = new Map<string, string>();
  usesRefinements = false;
  private next = 0;

  /** The name of the generated function that checks `schema`: `(v: unknown, p: boolean) => unknown | FAILED`. */
  fn(schema: ZodInternals): string {
    // A lazy schema is its getter's schema: no function of its own.
    while (schema._zod.def.type === 'lazy' && !schema._zod.def.checks?.length && schema._zod.innerType) schema = schema._zod.innerType;
    const known = this.names.get(schema);
    if (known) {
      if (this.pending.has(known)) this.pinned.add(known);
      return known;
    }
    const name = `c${this.next++}`;
    this.names.set(schema, name);
    this.pending.add(name);
    const body = this.body(schema);
    this.pending.delete(name);
    const same = this.byBody.get(body);
    if (same && !this.pinned.has(name)) {
      this.names.set(schema, same);
      return same;
    }
    this.byBody.set(body, name);
    // A scalar's check has no use for `p` (in place or not, the value is the same).
    const inPlace = /\bp\b/.test(body) ? 'p' : '_p';
    this.functions.push(`function ${name}(v: unknown, ${inPlace}: boolean): unknown {\n${body}}\n`);
    return name;
  }

  private regex(pattern: RegExp): string {
    const literal = `/${pattern.source}/${pattern.flags}`;
    let name = this.regexes.get(literal);
    if (!name) {
      name = `R${this.regexes.size}`;
      this.regexes.set(literal, name);
      this.constants.push(`const ${name} = ${literal};`);
    }
    return name;
  }

  private keySet(keys: readonly string[]): string {
    const literal = `new Set([${keys.map((k) => JSON.stringify(k)).join(', ')}])`;
    let name = this.keySets.get(literal);
    if (!name) {
      name = `K${this.keySets.size}`;
      this.keySets.set(literal, name);
      this.constants.push(`const ${name} = ${literal};`);
    }
    return name;
  }

  /**
   * Conditions the value `x` must meet, from the schema's own check and its check list (as zod runs them: the
   * order does not change whether all pass); undefined if one is not followed. `typed`: `x` is narrowed to the
   * schema's kind already, else each condition casts it.
   */
  private checks(schema: ZodInternals, x: string, typed: boolean): string[] | undefined {
    const as = (type: string) => (typed ? x : `(${x} as ${type})`);
    const def = schema._zod.def;
    const all: ZodInternals[] = [];
    if (def.check !== undefined) all.push(schema);
    for (const check of def.checks ?? []) all.push(check);
    const out: string[] = [];
    for (const check of all) {
      const c = check._zod.def;
      switch (c.check) {
        case 'number_format':
          if (c.format !== 'safeint') return undefined;
          out.push(`Number.isSafeInteger(${x})`);
          break;
        case 'min_length':
          out.push(`${as('{ length: number }')}.length >= ${numberLiteral(c.minimum as number)}`);
          break;
        case 'max_length':
          out.push(`${as('{ length: number }')}.length <= ${numberLiteral(c.maximum as number)}`);
          break;
        case 'string_format': {
          if (c.format !== 'regex' || !(c.pattern instanceof RegExp)) return undefined;
          const r = this.regex(c.pattern);
          // A global or sticky pattern starts where its last test ended, as zod resets it.
          out.push(c.pattern.global || c.pattern.sticky ? `((${r}.lastIndex = 0), ${r}.test(${as('string')}))` : `${r}.test(${as('string')})`);
          break;
        }
        case 'greater_than':
        case 'less_than': {
          if (typeof c.value !== 'number') return undefined;
          const op = c.check === 'greater_than' ? (c.inclusive ? '>=' : '>') : c.inclusive ? '<=' : '<';
          out.push(`${as('number')} ${op} ${numberLiteral(c.value)}`);
          break;
        }
        case 'custom': {
          const named = Object.entries(SPEC_REFINEMENTS).find(([, fn]) => fn === c.fn);
          if (!named) throw new Error('schema-check: a refinement is not in SPEC_REFINEMENTS (scripts/yaml-spec/refinements.ts): name it there and refine with it');
          this.usesRefinements = true;
          out.push(`SPEC_REFINEMENTS.${named[0]}(${as('object')})`);
          break;
        }
        default:
          return undefined;
      }
    }
    return out;
  }

  /** `return o;` after the checks on `o` (see checks), or undefined when a check is not followed. */
  private returnChecked(schema: ZodInternals, o: string, typed: boolean): string | undefined {
    const conditions = this.checks(schema, o, typed);
    if (!conditions) return undefined;
    return conditions.length ? `  if (!(${conditions.join(' && ')})) return FAILED;\n  return ${o};\n` : `  return ${o};\n`;
  }

  /**
   * For a schema whose value passes through unchanged (a scalar with its checks, optional, nullable, or a union of
   * them): an expression that is true when `x` fails it, written in place of a call (the offline commands run
   * without TurboFan's inlining, so a call per value costs); undefined for any other schema.
   */
  private fails(schema: ZodInternals, x: string): string | undefined {
    const def = schema._zod.def;
    if (def.coerce) return undefined;
    const checked = (test: string) => {
      const conditions = this.checks(schema, x, true);
      if (!conditions) return undefined;
      return conditions.length ? `(${test} || !(${conditions.join(' && ')}))` : `(${test})`;
    };
    const ownChecks = def.check !== undefined || (def.checks?.length ?? 0) > 0;
    switch (def.type) {
      case 'string':
        return checked(`typeof ${x} !== 'string'`);
      case 'number':
        return checked(`typeof ${x} !== 'number' || !Number.isFinite(${x})`);
      case 'boolean':
        return checked(`typeof ${x} !== 'boolean'`);
      case 'null':
        return checked(`${x} !== null`);
      case 'enum':
      case 'literal': {
        const values = schema._zod.values;
        if (!values || values.size === 0) return undefined;
        return checked([...values].map((value) => `${x} !== ${valueLiteral(value)}`).join(' && '));
      }
      case 'optional':
      case 'nullable': {
        if (ownChecks) return undefined;
        const inner = this.fails(def.innerType as ZodInternals, x);
        return inner === undefined ? undefined : `(${x} !== ${def.type === 'optional' ? 'undefined' : 'null'} && ${inner})`;
      }
      case 'union': {
        if (ownChecks) return undefined;
        const options = (def.options as ZodInternals[]).map((option) => this.fails(option, x));
        return options.some((o) => o === undefined) ? undefined : `(${options.join(' && ')})`;
      }
      default:
        return undefined;
    }
  }

  private body(schema: ZodInternals): string {
    const NOT_FOLLOWED = '  // A part of the schema this generator does not follow: left to zod.\n  return FAILED;\n';
    const def = schema._zod.def;
    if (def.coerce) return NOT_FOLLOWED;
    const inline = this.fails(schema, 'v');
    if (inline !== undefined) return `  if ${inline.startsWith('(') ? inline : `(${inline})`} return FAILED;\n  return v;\n`;
    const scalar = (test: string) => {
      const end = this.returnChecked(schema, 'v', true);
      return end === undefined ? NOT_FOLLOWED : `  if (${test}) return FAILED;\n${end}`;
    };
    switch (def.type) {
      case 'string':
        return scalar("typeof v !== 'string'");
      case 'number':
        return scalar("typeof v !== 'number' || !Number.isFinite(v)");
      case 'boolean':
        return scalar("typeof v !== 'boolean'");
      case 'null':
        return scalar('v !== null');
      case 'enum':
      case 'literal': {
        const values = schema._zod.values;
        if (!values || values.size === 0) return NOT_FOLLOWED;
        return scalar([...values].map((value) => `v !== ${valueLiteral(value)}`).join(' && '));
      }
      case 'never':
        return '  return FAILED;\n';
      case 'optional':
      case 'nullable': {
        const inner = this.fn(def.innerType as ZodInternals);
        const empty = def.type === 'optional' ? 'undefined' : 'null';
        const end = this.returnChecked(schema, 'o', false);
        if (end === undefined) return NOT_FOLLOWED;
        if (end === '  return o;\n') return `  return v === ${empty} ? ${empty} : ${inner}(v, p);\n`;
        return `  const o = v === ${empty} ? ${empty} : ${inner}(v, p);\n  if (o === FAILED) return FAILED;\n${end}`;
      }
      case 'lazy': {
        // A lazy with checks of its own (a plain one is its getter's schema, see fn).
        if (!schema._zod.innerType) return NOT_FOLLOWED;
        const inner = this.fn(schema._zod.innerType);
        const end = this.returnChecked(schema, 'o', false);
        return end === undefined ? NOT_FOLLOWED : `  const o = ${inner}(v, p);\n  if (o === FAILED) return FAILED;\n${end}`;
      }
      case 'array': {
        const inline = this.fails(def.element as ZodInternals, 'x');
        const element = inline === undefined ? this.fn(def.element as ZodInternals) : undefined;
        const end = this.returnChecked(schema, 'o', true);
        if (end === undefined) return NOT_FOLLOWED;
        return [
          '  if (!Array.isArray(v)) return FAILED;',
          '  const o: unknown[] = p ? v : new Array(v.length);',
          '  for (let i = 0; i < v.length; i++) {',
          ...(inline === undefined ? [`    const x = ${element}(v[i], p);`, '    if (x === FAILED) return FAILED;'] : ['    const x = v[i];', `    if ${inline} return FAILED;`]),
          '    if (!p) o[i] = x;',
          '  }',
          '',
        ].join('\n') + end;
      }
      case 'union': {
        const options = (def.options as ZodInternals[]).map((option) => this.fn(option));
        const end = this.returnChecked(schema, 'o', false);
        if (end === undefined) return NOT_FOLLOWED;
        // The first option that passes gives the value; the union's own checks (if any) run on it.
        const lines = ['  let o: unknown = FAILED;', ...options.map((option) => `  if (o === FAILED) o = ${option}(v, p);`), '  if (o === FAILED) return FAILED;', ''];
        return lines.join('\n') + end;
      }
      case 'object':
        return this.objectBody(schema);
      case 'record':
        return this.recordBody(schema);
      default:
        return NOT_FOLLOWED;
    }
  }

  /** A strict object (zod's JIT parse): the shape's keys in order, absent optional ones left out; no other key. */
  private objectBody(schema: ZodInternals): string {
    const NOT_FOLLOWED = '  // A part of the schema this generator does not follow: left to zod.\n  return FAILED;\n';
    const def = schema._zod.def;
    const catchall = def.catchall as ZodInternals | undefined;
    if (catchall?._zod.def.type !== 'never') return NOT_FOLLOWED;
    const shape = def.shape as Record<string, ZodInternals>;
    const keys = Object.keys(shape);
    const lines = [
      "  if (typeof v !== 'object' || v === null || Array.isArray(v)) return FAILED;",
      '  // In place the input is the value: only a null-prototype one is as the loader\'s.',
      '  if (p && Object.getPrototypeOf(v) !== null) return FAILED;',
      '  const i = v as Record<string, unknown>;',
      '  const o: Record<string, unknown> = p ? i : {};',
    ];
    if (keys.length) lines.push('  let x: unknown;');
    for (const key of keys) {
      const field = shape[key]._zod;
      // Optional in and out (absent: nothing written), or required; a default or other mix is zod's.
      let optional: boolean;
      if (field.optin === undefined && field.optout === undefined) optional = false;
      else if (field.optin === 'optional' && field.optout === 'optional') optional = true;
      else return NOT_FOLLOWED;
      const inline = this.fails(shape[key], 'x');
      const k = JSON.stringify(key);
      // Present: a value other than undefined, or the key itself (one load for a key that is there).
      lines.push(`  x = ${member('i', key)};`, `  if (x !== undefined || ${k} in i) {`);
      if (inline === undefined) lines.push(`    x = ${this.fn(shape[key])}(x, p);`, '    if (x === FAILED) return FAILED;');
      else lines.push(`    if ${inline} return FAILED;`);
      lines.push(`    if (!p) ${member('o', key)} = x;`, optional ? '  }' : '  } else return FAILED;');
    }
    const known = this.keySet(keys);
    lines.push(`  for (const k in i) if (!${known}.has(k)) return FAILED;`, '  if (!p) Object.setPrototypeOf(o, null);', '');
    const end = this.returnChecked(schema, 'o', true);
    return end === undefined ? NOT_FOLLOWED : lines.join('\n') + end;
  }

  /** A record: each own enumerable string key (unchanged by its key schema) with its value, in the input's order. */
  private recordBody(schema: ZodInternals): string {
    const NOT_FOLLOWED = '  // A part of the schema this generator does not follow: left to zod.\n  return FAILED;\n';
    const def = schema._zod.def;
    const keyType = def.keyType as ZodInternals;
    if (keyType._zod.values || (def.mode !== undefined && def.mode !== 'strict')) return NOT_FOLLOWED;
    // A key passes when its schema gives it back unchanged.
    const keyFails = this.fails(keyType, 'k');
    const checkKey = keyFails === undefined ? this.fn(keyType) : undefined;
    const valueFails = this.fails(def.valueType as ZodInternals, 'x');
    const checkValue = valueFails === undefined ? this.fn(def.valueType as ZodInternals) : undefined;
    const end = this.returnChecked(schema, 'o', true);
    if (end === undefined) return NOT_FOLLOWED;
    return [
      "  if (typeof v !== 'object' || v === null || Array.isArray(v)) return FAILED;",
      '  const proto = Object.getPrototypeOf(v);',
      '  if (proto !== null && (p || proto !== Object.prototype)) return FAILED;',
      '  const i = v as Record<string, unknown>;',
      '  const o: Record<string, unknown> = p ? i : {};',
      '  for (const k of Reflect.ownKeys(i)) {',
      "    if (typeof k !== 'string' || k === '__proto__' || !Object.prototype.propertyIsEnumerable.call(i, k)) return FAILED;",
      keyFails === undefined ? `    if (${checkKey}(k, p) !== k) return FAILED;` : `    if ${keyFails} return FAILED;`,
      ...(valueFails === undefined ? [`    const x = ${checkValue}(i[k], p);`, '    if (x === FAILED) return FAILED;'] : ['    const x = i[k];', `    if ${valueFails} return FAILED;`]),
      '    if (!p) o[k] = x;',
      '  }',
      '  if (!p) Object.setPrototypeOf(o, null);',
      '',
    ].join('\n') + end;
  }

  /** The generated file: `header` says what it checks, `exported` is the function that callers call (its docstring and code). */
  render(header: string, exported: (root: string) => string[]): string {
    const root = this.root;
    const out = [
      `// Generated by scripts/tooling/schema-check.ts (\`npm run docs\`) from ${header}.`,
      '// Do not edit: change the schema; its test fails on drift. Each function checks one part of the schema:',
      '// `v` the value, `p` in place (the value itself, not a copy); it returns the value zod gives, or FAILED.',
      ...(this.usesRefinements ? [`import { SPEC_REFINEMENTS } from '${this.refinementsImport}';`] : []),
      '',
      "const FAILED: unique symbol = Symbol('failed');",
      ...this.constants,
      '',
      ...this.functions,
      ...exported(root),
      '',
    ];
    return out.join('\n');
  }

  /** The function that checks the whole schema. */
  private readonly root: string;
  /** Where the generated file imports SPEC_REFINEMENTS from (relative to it). */
  private readonly refinementsImport: string;

  constructor(schema: unknown, refinementsImport: string) {
    this.refinementsImport = refinementsImport;
    this.root = this.fn(schema as ZodInternals);
  }
}

/** The text of spec-check.generated.ts for the current zod spec schema. Deterministic. */
export function renderSpecCheck(): string {
  return new Generator(specSchema(), './refinements.ts').render('the zod spec schema (scripts/yaml-spec/schema.ts)', (root) => [
    '/**',
    ' * The spec as zod gives it to the loader (`nullPrototypeInPlace(specSchema().safeParse(data).data)`: keys in',
    " * the schema's order, records and lists in the spec's, every mapping null-prototype) when it passes the schema",
    ' * and every part of the schema it meets is one the generator follows; undefined otherwise (then parse with',
    ' * zod: it gives the value or words the errors). Loads neither zod nor the schema. With `inPlace`, a spec that',
    " * passes is `data` itself — no copy, its mappings' keys in the YAML's order rather than the schema's, the same",
    ' * value to a reader that reads it by key (`omni validate`). `data` must then be as the YAML readers give it:',
    ' * plain arrays and null-prototype mappings (a mapping with another prototype fails here, for zod).',
    ' */',
    'export function parseValidSpec(data: unknown, options: { inPlace?: boolean } = {}): unknown {',
    `  const out = ${root}(data, options.inPlace === true);`,
    '  return out === FAILED ? undefined : out;',
    '}',
  ]);
}

/** The text of assignment-file-check.generated.ts for the current zod schema of the assignment files. Deterministic. */
export function renderAssignmentFileCheck(): string {
  return new Generator(assignmentFileSchema(), '../yaml-spec/refinements.ts').render('the assignment files\' zod schema (scripts/assign/assignment-file.ts)', (root) => [
    '/**',
    ' * An assignment file as `assignmentFileSchema().safeParse(data).data` gives it (keys in the schema\'s order,',
    " * records and lists in the file's, every mapping null-prototype) when it passes the schema; undefined",
    ' * otherwise (then parse with zod, which words the errors). Loads neither zod nor the schema.',
    ' */',
    'export function parseValidAssignmentFile(data: unknown): unknown {',
    `  const out = ${root}(data, false);`,
    '  return out === FAILED ? undefined : out;',
    '}',
  ]);
}
