/**
 * The spec's schema check without zod's machinery, for a spec that passes it: the zod schema (SpecSchema) is
 * compiled once into plain closures that give, for a valid spec, exactly the value `SpecSchema.safeParse`
 * gives as the loader uses it (new objects with their keys in the schema's order, records and lists in the
 * spec's order, the same scalars; every mapping null-prototype, as nullPrototypeInPlace makes zod's), or
 * FAILED. A spec that fails, or that meets a part of the schema this file does not know, is
 * parsed by zod as before, which words the errors: so this file only has to be exact about what passes.
 *
 * Why: zod runs each value through a payload object, an issues array and a check list; for a spec of 10,000
 * presence configurations that is 0.1–0.15 s of CPU and ~20 MB of garbage (bench/RESULTS.md, "Validate at
 * scale"). The closures make no objects beyond the output. test/yaml-spec/spec-check.test.ts holds the two
 * to the same output, key order included, on generated specs (valid and not) and the project's specs.
 *
 * What it follows is zod 4's own parse (node_modules/zod/v4/core/schemas.js and checks.js): strict objects
 * (absent optional keys left out, required keys present, no unknown key, then the object's refinements on
 * the output), records over own enumerable string keys (each key through the key schema), lists, unions
 * (the first option that passes), optional, nullable, lazy, literal, enum, null, boolean, finite numbers,
 * safe integers, strings, and the checks min/max length, regex, greater/less than and custom refinements.
 * Anything else (coercion, defaults, transforms, pipes, other formats or checks) makes that part fail here.
 */
import { SpecSchema } from './schema.ts';

/** What a compiled check returns for a value that does not pass. */
const FAILED: unique symbol = Symbol('failed');

type Compiled = (value: unknown) => unknown;

/** zod 4's internals as read here: every schema and check has `_zod.def`; schemas may have `_zod.values`, optin/optout. */
interface ZodInternals {
  _zod: {
    def: Record<string, unknown> & { type?: string; check?: string; checks?: ZodInternals[] };
    values?: Set<unknown>;
    optin?: string;
    optout?: string;
  };
}

const never: Compiled = () => FAILED;

/** Value tests of the check list of a schema (its own number format first, as zod runs it), or undefined if one is unknown. */
function checksOf(schema: ZodInternals): ((value: unknown) => boolean)[] | undefined {
  const def = schema._zod.def;
  const tests: ((value: unknown) => boolean)[] = [];
  const checks: ZodInternals[] = [];
  if (def.check !== undefined) checks.push(schema);
  for (const check of def.checks ?? []) checks.push(check);
  for (const check of checks) {
    const c = check._zod.def;
    switch (c.check) {
      case 'number_format':
        if (c.format !== 'safeint') return undefined;
        tests.push((v) => Number.isSafeInteger(v));
        break;
      case 'min_length': {
        const minimum = c.minimum as number;
        tests.push((v) => (v as { length: number }).length >= minimum);
        break;
      }
      case 'max_length': {
        const maximum = c.maximum as number;
        tests.push((v) => (v as { length: number }).length <= maximum);
        break;
      }
      case 'string_format': {
        if (c.format !== 'regex' || !(c.pattern instanceof RegExp)) return undefined;
        const pattern = c.pattern;
        tests.push((v) => {
          pattern.lastIndex = 0;
          return pattern.test(v as string);
        });
        break;
      }
      case 'greater_than': {
        const bound = c.value;
        if (typeof bound !== 'number') return undefined;
        tests.push(c.inclusive ? (v) => (v as number) >= bound : (v) => (v as number) > bound);
        break;
      }
      case 'less_than': {
        const bound = c.value;
        if (typeof bound !== 'number') return undefined;
        tests.push(c.inclusive ? (v) => (v as number) <= bound : (v) => (v as number) < bound);
        break;
      }
      case 'custom': {
        const fn = c.fn as (v: unknown) => unknown;
        if (typeof fn !== 'function') return undefined;
        tests.push((v) => {
          const r = fn(v);
          return !(r instanceof Promise) && Boolean(r);
        });
        break;
      }
      default:
        return undefined;
    }
  }
  return tests;
}

/** The compiled checks by schema: giving zod's value (copies), and giving the input itself (in place). */
const compiledSchemas = { copy: new WeakMap<object, Compiled>(), inPlace: new WeakMap<object, Compiled>() };

/**
 * The compiled check of one zod schema (see the header); `never` where this file does not follow zod. In place,
 * a value that passes is given back as it is (its mappings null-prototype already, keys in the input's order)
 * instead of zod's copy.
 */
function compile(schema: ZodInternals, inPlace: boolean): Compiled {
  const cache = inPlace ? compiledSchemas.inPlace : compiledSchemas.copy;
  let compiled = cache.get(schema);
  if (!compiled) {
    // Set first: a lazy schema that reaches itself finds its own (late-bound) check.
    let body: Compiled = never;
    compiled = (value) => body(value);
    cache.set(schema, compiled);
    body = build(schema, inPlace);
  }
  return compiled;
}

function withChecks(schema: ZodInternals, parse: Compiled): Compiled {
  const tests = checksOf(schema);
  if (!tests) return never;
  if (tests.length === 0) return parse;
  return (value) => {
    const out = parse(value);
    if (out === FAILED) return FAILED;
    for (let i = 0; i < tests.length; i++) if (!tests[i](out)) return FAILED;
    return out;
  };
}

function build(schema: ZodInternals, inPlace: boolean): Compiled {
  const def = schema._zod.def;
  if (def.coerce) return never;
  switch (def.type) {
    case 'string':
      return withChecks(schema, (v) => (typeof v === 'string' ? v : FAILED));
    case 'number':
      return withChecks(schema, (v) => (typeof v === 'number' && Number.isFinite(v) ? v : FAILED));
    case 'boolean':
      return withChecks(schema, (v) => (typeof v === 'boolean' ? v : FAILED));
    case 'null':
      return withChecks(schema, (v) => (v === null ? v : FAILED));
    case 'enum':
    case 'literal': {
      const values = schema._zod.values;
      if (!values) return never;
      return withChecks(schema, (v) => (values.has(v) ? v : FAILED));
    }
    case 'optional': {
      const inner = compile(def.innerType as ZodInternals, inPlace);
      return withChecks(schema, (v) => (v === undefined ? undefined : inner(v)));
    }
    case 'nullable': {
      const inner = compile(def.innerType as ZodInternals, inPlace);
      return withChecks(schema, (v) => (v === null ? null : inner(v)));
    }
    case 'lazy': {
      const getter = def.getter as () => ZodInternals;
      let inner: Compiled | undefined;
      return withChecks(schema, (v) => (inner ??= compile(getter(), inPlace))(v));
    }
    case 'array': {
      const element = compile(def.element as ZodInternals, inPlace);
      return withChecks(schema, (v) => {
        if (!Array.isArray(v)) return FAILED;
        const out = inPlace ? v : new Array(v.length);
        for (let i = 0; i < v.length; i++) {
          const item = element(v[i]);
          if (item === FAILED) return FAILED;
          if (!inPlace) out[i] = item;
        }
        return out;
      });
    }
    case 'union': {
      const options = (def.options as ZodInternals[]).map((option) => compile(option, inPlace));
      return withChecks(schema, (v) => {
        for (let i = 0; i < options.length; i++) {
          const out = options[i](v);
          if (out !== FAILED) return out;
        }
        return FAILED;
      });
    }
    case 'object':
      return withChecks(schema, objectCheck(def, inPlace));
    case 'record':
      return withChecks(schema, recordCheck(def, inPlace));
    default:
      return never;
  }
}

/** A strict object (zod's JIT parse): the shape's keys in order, absent optional ones left out; no other key. */
function objectCheck(def: Record<string, unknown>, inPlace: boolean): Compiled {
  const catchall = def.catchall as ZodInternals | undefined;
  if (catchall?._zod.def.type !== 'never') return never;
  const shape = def.shape as Record<string, ZodInternals>;
  const keys = Object.keys(shape);
  const known = new Set(keys);
  const fields: Compiled[] = [];
  const optional: boolean[] = [];
  for (const key of keys) {
    const field = shape[key]._zod;
    // Optional in and out (absent: nothing written), or required; a default or other mix is zod's.
    if (field.optin === undefined && field.optout === undefined) optional.push(false);
    else if (field.optin === 'optional' && field.optout === 'optional') optional.push(true);
    else return never;
    fields.push(compile(shape[key], inPlace));
  }
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return FAILED;
    // In place the input is the value: only a null-prototype one is as the loader's.
    if (inPlace && Object.getPrototypeOf(v) !== null) return FAILED;
    const input = v as Record<string, unknown>;
    const out: Record<string, unknown> = inPlace ? input : {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (!(key in input)) {
        if (optional[i]) continue;
        return FAILED;
      }
      const value = fields[i](input[key]);
      if (value === FAILED) return FAILED;
      if (!inPlace) out[key] = value;
    }
    for (const key in input) if (!known.has(key)) return FAILED;
    return inPlace ? input : Object.setPrototypeOf(out, null);
  };
}

/** A record: each own enumerable string key (unchanged by its key schema) with its value, in the input's order. */
function recordCheck(def: Record<string, unknown>, inPlace: boolean): Compiled {
  const keyType = def.keyType as ZodInternals;
  if (keyType._zod.values || (def.mode !== undefined && def.mode !== 'strict')) return never;
  const checkKey = compile(keyType, inPlace);
  const checkValue = compile(def.valueType as ZodInternals, inPlace);
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return FAILED;
    const proto = Object.getPrototypeOf(v);
    if (proto !== null && (inPlace || proto !== Object.prototype)) return FAILED;
    const input = v as Record<string, unknown>;
    const out: Record<string, unknown> = inPlace ? input : {};
    for (const key of Reflect.ownKeys(input)) {
      if (typeof key !== 'string' || key === '__proto__' || !Object.prototype.propertyIsEnumerable.call(input, key)) return FAILED;
      if (checkKey(key) !== key) return FAILED;
      const value = checkValue(input[key]);
      if (value === FAILED) return FAILED;
      if (!inPlace) out[key] = value;
    }
    return inPlace ? input : Object.setPrototypeOf(out, null);
  };
}

/**
 * `nullPrototypeInPlace(SpecSchema.safeParse(data).data)` when the spec passes and every part of the schema
 * it meets is one this file follows; undefined otherwise (then parse with zod: it gives the value or words
 * the errors). With `inPlace`, a spec that passes is `data` itself — no copy, its mappings' keys in the YAML's
 * order rather than the schema's, the same value to a reader that reads it by key (`omni validate`, which holds
 * it through the XML read). `data` must then be as the YAML readers give it: plain arrays (no other own
 * properties, no holes) and null-prototype mappings (a mapping with another prototype fails here, for zod).
 */
export function parseValidSpec(data: unknown, options: { inPlace?: boolean } = {}): unknown {
  const out = compile(SpecSchema as unknown as ZodInternals, options.inPlace === true)(data);
  return out === FAILED ? undefined : out;
}
