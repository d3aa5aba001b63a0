/**
 * The spec's TypeScript types (OmniSpec, ChannelSpec, …) are generated from the zod schema's JSON Schema,
 * not written by hand: the committed file must be what the generator writes today.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { SPEC_JSON_SCHEMA_PATH, SPEC_TYPES_PATH, renderSpecJsonSchemaModule, renderSpecTypes } from '../../scripts/tooling/spec-types.ts';
import { REPO_ROOT } from '../helpers/paths.ts';

describe('spec-types.generated.ts', () => {
  const committed = readFileSync(path.join(REPO_ROOT, SPEC_TYPES_PATH), 'utf8');

  test('equals what the zod schema generates (else: run npm run docs)', () => {
    expect(committed === renderSpecTypes(), `${SPEC_TYPES_PATH} is out of date: run npm run docs`).toBe(true);
  });

  test('says what the schema accepts: required keys, enums from the XSD, nil for optional keys, sections by developer name', () => {
    expect(committed).toMatch(/export interface PresenceConfigurationSpec \{[\s\S]*?\n {2}label: string;[\s\S]*?\n {2}capacity: number;[\s\S]*?\n {2}interruptibleCapacity\?: number \| null;/);
    expect(committed).toContain('routingModel: "LEAST_ACTIVE" | "MOST_AVAILABLE" | "EXTERNAL_ROUTING";');
    expect(committed).toContain('capacityModel?: "TAB_BASED" | "STATUS_BASED" | null;');
    expect(committed).toMatch(/export interface PermissionSetSpec \{[\s\S]*?\n {2}statuses: string\[\];/);
    expect(committed).toContain('channels?: Record<string, ChannelSpec>;');
    expect(committed).toContain('settings?: SettingsSpec;');
  });
});

describe('spec-json-schema.generated.ts', () => {
  test('equals what the zod schema renders (else: run npm run docs), so generate and import write the committed schema without zod', () => {
    const committed = readFileSync(path.join(REPO_ROOT, SPEC_JSON_SCHEMA_PATH), 'utf8');
    expect(committed === renderSpecJsonSchemaModule(), `${SPEC_JSON_SCHEMA_PATH} is out of date: run npm run docs`).toBe(true);
  });
});
