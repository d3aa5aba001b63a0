/** The committed JSON Schema files (editor completion for the YAML files), rendered from zod schemas. */
import type { z } from 'zod';
import { zod } from './zod.ts';

export function renderJsonSchemaFile(schema: z.ZodType, meta: { id: string; title: string; description: string }): string {
  const { $schema, ...rest } = zod().toJSONSchema(schema) as Record<string, unknown>;
  const document = { $schema, $id: meta.id, title: meta.title, description: meta.description, ...rest };
  return JSON.stringify(document, null, 2) + '\n';
}
