/**
 * @salesforce/core's root, for the product's modules: required, never imported. An ES-module import of a CommonJS
 * package reads every name it exports as it links, and core's index exports all of core; under the `omni` bin those
 * exports load their modules on first use (scripts/cli/deferred-requires.mjs), so a `require` loads only what the
 * command touches (Org, AuthInfo, Connection…) and an `import` would load everything (scratch orgs, schemas with
 * ajv, streaming). Elsewhere (`sf omni …`, in-process runs) both give the same module.
 * test/cli/deferred-requires.test.ts fails on an `import` of the root in scripts/.
 */
import { createRequire } from 'node:module';

type Core = typeof import('@salesforce/core');

const requireHere = createRequire(import.meta.url);

/** core's index (its exports are the same objects an import gives). */
export function salesforceCore(): Core {
  return requireHere('@salesforce/core') as Core;
}
