/** `npm run docs`: rewrites the generated spec reference section of README.md and the assignment files' JSON Schema. */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../metadata/write.ts';
import { renderAssignmentsJsonSchema } from '../assign/config.ts';
import { renderSpecReference, SPEC_DOCS_END, SPEC_DOCS_START } from '../yaml-spec/docs.ts';

const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf(SPEC_DOCS_START);
const end = readme.indexOf(SPEC_DOCS_END);
if (start < 0 || end < start) {
  console.error(`README.md has no section between "${SPEC_DOCS_START}" and "${SPEC_DOCS_END}".`);
  process.exit(1);
}
const updated = readme.slice(0, start) + renderSpecReference() + readme.slice(end + SPEC_DOCS_END.length);
await writeFileAtomic('README.md', updated);
console.log(updated === readme ? 'README.md spec reference is up to date' : 'README.md spec reference updated');

const schemaFile = 'config/assignments/assignments.schema.json';
const schema = renderAssignmentsJsonSchema();
const oldSchema = readFileSync(schemaFile, 'utf8');
if (schema !== oldSchema) await writeFileAtomic(schemaFile, schema);
console.log(schema === oldSchema ? `${schemaFile} is up to date` : `${schemaFile} updated`);
