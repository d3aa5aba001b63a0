/**
 * `npm run schemas`: writes `schemas/<command-id>.json`, the JSON Schema of each command's `--json`
 * `result`, generated from the TypeScript result types (scripts/commands/results.ts) by
 * ts-json-schema-generator. `--check` writes nothing and exits 1 when a committed schema differs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../metadata/write.ts';
import { RESULT_TYPES, schemaFileName } from '../commands/results.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Every command's schema text (2-space JSON, trailing newline), by file name. */
export async function renderResultSchemas(): Promise<Map<string, string>> {
  // ts-json-schema-generator is CommonJS and runs TypeScript 5's compiler (its own dependency).
  const { createGenerator } = (await import('ts-json-schema-generator')).default;
  const generator = createGenerator({
    path: join(ROOT, 'scripts', 'commands', 'results.ts'),
    tsconfig: join(ROOT, 'tsconfig.json'),
    skipTypeCheck: true,
    expose: 'none',
    topRef: false,
    additionalProperties: true,
    sortProps: true,
    jsDoc: 'extended',
  });
  const out = new Map<string, string>();
  for (const [id, type] of Object.entries(RESULT_TYPES)) {
    const schema = { $schema: 'http://json-schema.org/draft-07/schema#', title: `omni ${id} --json: result`, ...generator.createSchema(type) };
    out.set(schemaFileName(id), `${JSON.stringify(schema, null, 2)}\n`);
  }
  return out;
}

if (import.meta.main) {
  const check = process.argv.includes('--check');
  const drift: string[] = [];
  for (const [file, text] of await renderResultSchemas()) {
    const path = join(ROOT, 'schemas', file);
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // a new command: no schema yet
    }
    if (current === text) continue;
    drift.push(file);
    if (!check) await writeFileAtomic(path, text);
  }
  console.log(drift.length ? `${check ? 'out of date' : 'written'}: ${drift.map((f) => `schemas/${f}`).join(', ')}` : 'schemas/ is up to date');
  if (check && drift.length) process.exit(1);
}
