/**
 * The zod schema of `config/omni-channel.yaml`, built from the mapping tables, and the JSON Schema
 * derived from it (`config/omni-channel.schema.json`, named by the YAML for editor completion).
 *
 * Built on first use, with zod (scripts/lib/zod.ts): a spec that passes is checked by the code generated from
 * this schema (spec-check.generated.ts, `npm run docs`), so this module loads no zod until a spec fails (its
 * errors are zod's), a tool asks for the JSON Schema, or the generator reads it.
 */
import type { z } from 'zod';
import { renderJsonSchemaFile } from '../lib/json-schema.ts';
import { zod } from '../lib/zod.ts';
import { ruleText } from '../lib/messages.ts';
import { API_VERSION_PATTERN } from '../metadata/project.ts';
import { getType } from '../metadata/registry.ts';
import { OTHER_ELEMENTS_KEY, REQUIRED_KEYS, TYPE_MAPPINGS, developerName, otherElementsSchema, rowTakesNil, type TypeMapping } from './mapping.ts';


function entrySchema(mapping: TypeMapping): z.ZodType {
  const required = new Set(REQUIRED_KEYS[mapping.type] ?? []);
  const shape: Record<string, z.ZodType> = {};
  for (const row of mapping.fields) {
    const described = row.schema().describe(row.description);
    // An optional one-element key may be null: a retrieved xsi:nil ("no value set"), written back as nil.
    shape[row.key] = required.has(row.key) ? described : rowTakesNil(row) ? described.nullable().optional() : described.optional();
  }
  for (const row of mapping.records ?? []) shape[row.key] = row.schema().describe(row.description).optional();
  // PermissionSet files keep every element but the status accesses byte for byte: nothing to carry.
  if (!getType(mapping.type).partial) shape[OTHER_ELEMENTS_KEY] = otherElementsSchema().optional();
  return zod().strictObject(shape).describe(mapping.description);
}

function buildSpecSchema() {
  const z = zod();
  const shape: Record<string, z.ZodType> = {
    apiVersion: z
      .string()
      .regex(API_VERSION_PATTERN, { error: () => ruleText('SPEC-SCHEMA.apiVersion') })
      .optional()
      .describe('Metadata API version to generate for; defaults to sourceApiVersion in sfdx-project.json.'),
  };
  for (const mapping of TYPE_MAPPINGS) {
    shape[mapping.specKey] = (
      mapping.keyed ? z.record(developerName(), entrySchema(mapping)).describe(mapping.description) : entrySchema(mapping)
    ).optional();
  }
  return z.strictObject(shape);
}

let built: ReturnType<typeof buildSpecSchema> | undefined;

/** The spec's zod schema (built, and zod loaded, on the first call). */
export function specSchema(): ReturnType<typeof buildSpecSchema> {
  built ??= buildSpecSchema();
  return built;
}

// Static types for callers, generated from the spec schema's JSON Schema (scripts/tooling/spec-types.ts), so they
// say exactly what the schema accepts (an optional key may be null: a retrieved xsi:nil).
export type { OmniSpec } from './spec-types.generated.ts';

/** The JSON Schema text committed as `config/omni-channel.schema.json` (stable, newline-terminated). */
export function renderJsonSchema(): string {
  return renderJsonSchemaFile(specSchema(), {
    id: 'omni-channel.schema.json',
    title: 'Omni-Channel setup (omni-presence spec)',
    description: 'config/omni-channel.yaml: the Omni-Channel setup of a Salesforce org as code. Generated from scripts/yaml-spec/schema.ts; do not edit.',
  });
}

/** Known keys of the object the spec path points into, for "did you mean" hints. */
export function knownKeysAt(path: readonly (string | number)[]): string[] {
  let schema: unknown = specSchema();
  for (const segment of path) {
    schema = childSchema(schema, segment);
    if (!schema) return [];
  }
  const object = unwrap(schema);
  return object instanceof zod().ZodObject ? Object.keys(object.shape) : [];
}

/**
 * What the schema at a spec path expects, in words ("an integer of at least 1", "true or false", "text",
 * "a list", …), for type messages; undefined when the path leads nowhere.
 */
export function expectedAt(path: readonly (string | number)[]): string | undefined {
  const schema = schemaAt(path);
  return schema === undefined ? undefined : describeSchema(schema);
}

/** The kind of value the schema at a spec path takes, where a hint can rewrite a near miss (`"20"` → `20`). */
export function expectedKindAt(path: readonly (string | number)[]): 'integer' | 'number' | 'boolean' | undefined {
  const z = zod();
  let s = schemaAt(path);
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
  if (s instanceof z.ZodNumber) return isInteger(s) ? 'integer' : 'number';
  if (s instanceof z.ZodBoolean) return 'boolean';
  return undefined;
}

function schemaAt(path: readonly (string | number)[]): unknown {
  let schema: unknown = specSchema();
  for (const segment of path) {
    schema = childSchema(schema, segment);
    if (!schema) return undefined;
  }
  return schema;
}

const isInteger = (s: z.ZodNumber) => s.format === 'safeint' || s.format === 'int32' || s.isInt;

/** Alternatives as a message lists them: `a, b or c` through the bundle's "%s or %s". */
const either = (parts: readonly string[]) => parts.reduce((all, part) => ruleText('SPEC-SCHEMA.expected.either', [all, part]));

function describeSchema(schema: unknown): string | undefined {
  const z = zod();
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
  if (s instanceof z.ZodNumber) {
    const min = s.minValue !== null && s.minValue !== undefined && Number.isFinite(s.minValue) && Math.abs(s.minValue) < 1e15 ? s.minValue : undefined;
    const max = s.maxValue !== null && s.maxValue !== undefined && Number.isFinite(s.maxValue) && Math.abs(s.maxValue) < 1e15 ? s.maxValue : undefined;
    if (isInteger(s)) {
      if (min !== undefined && max !== undefined) return ruleText('SPEC-SCHEMA.expected.integer.range', [min, max]);
      if (min !== undefined) return ruleText('SPEC-SCHEMA.expected.integer.min', [min]);
      if (max !== undefined) return ruleText('SPEC-SCHEMA.expected.integer.max', [max]);
      return ruleText('SPEC-SCHEMA.expected.integer');
    }
    if (min !== undefined && max !== undefined) return ruleText('SPEC-SCHEMA.expected.number.range', [min, max]);
    if (min !== undefined) return ruleText('SPEC-SCHEMA.expected.number.min', [min]);
    if (max !== undefined) return ruleText('SPEC-SCHEMA.expected.number.max', [max]);
    return ruleText('SPEC-SCHEMA.expected.number');
  }
  if (s instanceof z.ZodBoolean) return ruleText('SPEC-SCHEMA.expected.boolean');
  if (s instanceof z.ZodString) return ruleText('SPEC-SCHEMA.expected.text');
  if (s instanceof z.ZodEnum) return ruleText('SPEC-SCHEMA.expected.oneOf', [s.options.join(', ')]);
  if (s instanceof z.ZodArray) return ruleText('SPEC-SCHEMA.expected.list');
  if (s instanceof z.ZodObject || s instanceof z.ZodRecord) return ruleText('SPEC-SCHEMA.expected.mapping');
  if (s instanceof z.ZodUnion) {
    const parts = (s.options as unknown[]).map(describeSchema).filter((p): p is string => p !== undefined);
    return parts.length ? either([...new Set(parts)]) : undefined;
  }
  if (s instanceof z.ZodLiteral) return either([...s.values].map((v) => JSON.stringify(v)));
  return undefined;
}

function unwrap(schema: unknown): unknown {
  const z = zod();
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
    else if (s instanceof z.ZodUnion) s = (s.options as unknown[]).find((o) => unwrap(o) instanceof z.ZodObject) ?? s.options[0];
    else return s;
  }
}

function childSchema(schema: unknown, segment: string | number): unknown {
  const z = zod();
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return (s.shape as Record<string, unknown>)[segment];
  if (s instanceof z.ZodRecord) return s.valueType;
  if (s instanceof z.ZodArray) return s.element;
  return undefined;
}
