/**
 * zod, loaded on first use. zod 4's CommonJS build is 95 modules (64 of them its locales) and ~40–50 ms of CPU
 * and ~13 MiB at a command's start (bench/RESULTS.md, "Validate at scale"): a spec that passes is checked by
 * generated code (scripts/yaml-spec/spec-check.generated.ts), so zod is needed only to word a failing spec's
 * errors, for the assignment files and for tooling (JSON Schema, the generators). `require`d, as the bin serves
 * the project's zod imports: the same CommonJS build @salesforce/core requires (one copy).
 */
import { createRequire } from 'node:module';
import type { z } from 'zod';

let loaded: typeof z | undefined;

/** zod's `z` namespace, required the first time it is asked for. */
export function zod(): typeof z {
  loaded ??= (createRequire(import.meta.url)('zod') as { z: typeof z }).z;
  return loaded;
}
