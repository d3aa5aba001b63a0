/** The committed JSON Schema files (editor completion for the YAML files), rendered from zod schemas. */
import { z } from 'zod';

export function renderJsonSchemaFile(schema: z.ZodType, meta: { id: string; title: string; description: string }): string {
  const { $schema, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  const document = { $schema, $id: meta.id, title: meta.title, description: meta.description, ...rest };
  return JSON.stringify(document, null, 2) + '\n';
}
