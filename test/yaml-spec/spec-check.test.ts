/**
 * The generated schema check (parseValidSpec, spec-check.generated.ts) against zod's parse
 * (specSchema().safeParse): whenever the generated check passes a spec, zod passes it too, to the same value as
 * the loader uses it (zod's made null-prototype) — the same keys in the same order, the same prototypes, types
 * and scalars — and whenever zod reports anything, the generated check passes nothing. And the generated check
 * does pass the project's specs and the bench spec, so it is the path a valid spec takes; the committed file is
 * what the generator writes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nullPrototypeDeep, nullPrototypeInPlace } from '../../scripts/lib/null-proto.ts';
import { parseYamlInput } from '../../scripts/lib/yaml-input.ts';
import { SPEC_CHECK_PATH, renderSpecCheck } from '../../scripts/tooling/schema-check.ts';
import { specSchema } from '../../scripts/yaml-spec/schema.ts';
import { parseValidSpec } from '../../scripts/yaml-spec/spec-check.generated.ts';
import { scaleSpec } from '../../bench/validate/scale-project.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { allPaths, edited, replacement, shapeText } from '../helpers/schema-check.ts';

/** Why the generated check and zod disagree on `data`, or undefined when they agree (or the check passes nothing). */
function disagreement(data: unknown): string | undefined {
  const fast = parseValidSpec(data);
  // In place (validate's check): the same answer, and a spec that passes is the input itself — zod's value but
  // for key order (isDeepStrictEqual does not compare it). Its input is as the YAML readers give it: plain
  // arrays, null-prototype mappings.
  const own = nullPrototypeDeep(data);
  const inPlace = parseValidSpec(own, { inPlace: true });
  if ((inPlace === undefined) !== (fast === undefined)) return `in place ${inPlace === undefined ? 'fails' : 'passes'}, copying ${fast === undefined ? 'fails' : 'passes'}`;
  if (inPlace !== undefined && (inPlace !== own || !isDeepStrictEqual(inPlace, fast))) return 'in place: not the input, or not the same value';
  if (fast === undefined) return undefined;
  const zod = specSchema().safeParse(data, { reportInput: true });
  if (!zod.success) return `generated check passed; zod reports ${JSON.stringify(zod.error.issues.map((i) => [i.code, i.path]))}`;
  // As the loader uses zod's value: every mapping made null-prototype.
  const want = nullPrototypeInPlace(zod.data);
  if (!isDeepStrictEqual(fast, want)) return `values differ: ${JSON.stringify(fast)} vs ${JSON.stringify(want)}`;
  if (shapeText(fast) !== shapeText(want)) return `key order differs: ${shapeText(fast)} vs ${shapeText(want)}`;
  return undefined;
}

const readSpec = (text: string) => parseYamlInput(text).value;

describe('parseValidSpec agrees with specSchema().safeParse', () => {
  const files = ['config/omni-channel.yaml', 'test/generate/golden/spec.yaml'];
  const specs = [...files.map((f) => readFileSync(path.join(REPO_ROOT, f), 'utf8')), scaleSpec(50)].map(readSpec);

  it('passes the project specs and the bench spec, to zod\'s value with its key order', () => {
    for (const data of specs) {
      expect(parseValidSpec(data)).toBeDefined();
      expect(disagreement(data)).toBeUndefined();
      // In place: the reader's own value, nothing copied.
      expect(parseValidSpec(data, { inPlace: true })).toBe(data);
    }
    // In place, a mapping with Object's prototype (not as the YAML readers make it) is left to zod.
    expect(parseValidSpec(structuredClone(specs[0]), { inPlace: true })).toBeUndefined();
  });

  it('on specs with one to three values changed, removed or added: passes only what zod passes, to the same value (property)', () => {
    const base = specs[1];
    const paths = allPaths(base);
    let passed = 0;
    let failed = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(paths.length - 1), replacement, fc.boolean(), fc.constantFrom('capacity', 'label', 'unknownKey', 'seconds', 'type', 'Status_9')), { minLength: 1, maxLength: 3 }),
        (edits) => {
          let data = base;
          for (const [index, value, addKey, key] of edits) {
            const at = paths[index];
            // Add a key to a mapping (or replace a value): unknown keys, missing ones, wrong ones.
            data = addKey && at.length && !Array.isArray(value) ? edited(data, [...at, key], value) : edited(data, at, value);
          }
          if (parseValidSpec(data) === undefined) failed++;
          else passed++;
          expect(disagreement(data)).toBeUndefined();
          // zod passes it: so must the compiled check (the fast path is taken whenever the spec is valid).
          if (specSchema().safeParse(data).success) expect(parseValidSpec(data)).toBeDefined();
        },
      ),
      { numRuns: 800 },
    );
    // Both sides of the check were exercised.
    expect(passed).toBeGreaterThan(50);
    expect(failed).toBeGreaterThan(50);
  });
});

describe('spec-check.generated.ts', () => {
  it('equals what the generator writes from the zod schema (else: run npm run docs)', () => {
    const committed = readFileSync(path.join(REPO_ROOT, SPEC_CHECK_PATH), 'utf8');
    expect(committed === renderSpecCheck(), `${SPEC_CHECK_PATH} is out of date: run npm run docs`).toBe(true);
  });
});
