/**
 * The generated check of an assignment file (parseValidAssignmentFile, assignment-file-check.generated.ts) against
 * zod's parse (assignmentFileSchema().safeParse): whenever the generated check passes a file, zod passes it to the
 * same value (keys in the same order, mappings null-prototype as the loader makes zod's); whenever zod passes
 * one, so does the generated check (a valid file never loads zod); and the committed file is the generator's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseValidAssignmentFile } from '../../scripts/assign/assignment-file-check.generated.ts';
import { assignmentFileSchema } from '../../scripts/assign/assignment-file.ts';
import { nullPrototypeDeep } from '../../scripts/lib/null-proto.ts';
import { parseYamlInput } from '../../scripts/lib/yaml-input.ts';
import { ASSIGNMENT_FILE_CHECK_PATH, renderAssignmentFileCheck } from '../../scripts/tooling/schema-check.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { allPaths, edited, replacement, shapeText } from '../helpers/schema-check.ts';

/** Why the generated check and zod disagree on `data`, or undefined when they agree. */
function disagreement(data: unknown): string | undefined {
  const fast = parseValidAssignmentFile(data);
  const zod = assignmentFileSchema().safeParse(data);
  if (fast === undefined) return zod.success ? 'zod passes what the generated check does not' : undefined;
  if (!zod.success) return `generated check passed; zod reports ${JSON.stringify(zod.error.issues.map((i) => [i.code, i.path]))}`;
  const want = nullPrototypeDeep(zod.data);
  if (!isDeepStrictEqual(fast, want)) return `values differ: ${JSON.stringify(fast)} vs ${JSON.stringify(want)}`;
  if (shapeText(fast) !== shapeText(want)) return `key order differs: ${shapeText(fast)} vs ${shapeText(want)}`;
  return undefined;
}

const files = ['config/assignments/example.yaml', 'config/assignments/local.yaml', 'config/assignments/scratch.yaml'];
const read = (file: string) => parseYamlInput(readFileSync(path.join(REPO_ROOT, file), 'utf8')).value;

describe('parseValidAssignmentFile agrees with assignmentFileSchema().safeParse', () => {
  it('passes the project\'s assignment files, to zod\'s value with its key order', () => {
    for (const file of files) {
      expect(parseValidAssignmentFile(read(file)), file).toBeDefined();
      expect(disagreement(read(file)), file).toBeUndefined();
    }
  });

  it('on files with one to three values changed, removed or added: passes exactly what zod passes, to the same value (property)', () => {
    const base = read(files[0]);
    const paths = allPaths(base);
    const value = fc.oneof(replacement, fc.constantFrom<unknown>({ usernames: ['a'] }, { level: 3 }, { users: { emails: ['e'] } }, 'x.csv', ['a.csv', 'b.csv'], 10, 10.5, 11, -0.5));
    let passed = 0;
    let failed = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(paths.length - 1), value, fc.boolean(), fc.constantFrom('usernames', 'level', 'users', 'csv', 'where', 'unknownKey', 'Config_9')), { minLength: 1, maxLength: 3 }),
        (edits) => {
          let data = base;
          for (const [index, v, addKey, key] of edits) {
            const at = paths[index];
            data = addKey && at.length && !Array.isArray(v) ? edited(data, [...at, key], v) : edited(data, at, v);
          }
          if (parseValidAssignmentFile(data) === undefined) failed++;
          else passed++;
          expect(disagreement(data)).toBeUndefined();
        },
      ),
      { numRuns: 250 },
    );
    expect(passed).toBeGreaterThan(30);
    expect(failed).toBeGreaterThan(30);
  });
});

describe('assignment-file-check.generated.ts', () => {
  it('equals what the generator writes from the zod schema (else: run npm run docs)', () => {
    const committed = readFileSync(path.join(REPO_ROOT, ASSIGNMENT_FILE_CHECK_PATH), 'utf8');
    expect(committed === renderAssignmentFileCheck(), `${ASSIGNMENT_FILE_CHECK_PATH} is out of date: run npm run docs`).toBe(true);
  });
});
