/**
 * What @salesforce/sf-plugins-core imports from `@oclif/core` (`Command`, `Flags`, `ux`), served by the `omni` bin
 * (scripts/omni.mjs) for its `import … from '@oclif/core'`: `Command` and `Flags` are oclif's own objects, required
 * from the oclif sf-plugins-core resolves; `ux` forwards every read to oclif's `ux` and loads it on the first one.
 *
 * Why: an ES import of a CommonJS package builds a facade that reads every export of its index as it links, and
 * oclif's index has ~25: its help classes (with the help formatter, module loader and ESM package-type probe), its ux
 * (spinner, colorized JSON, cli-spinners), its runner — each read loads its module. A `require` reads only the names
 * asked, and the bin defers oclif's own requires of those modules to their first use (scripts/cli/deferred-requires.mjs),
 * so an `omni validate` never loads them. sf-plugins-core reads oclif's `ux` only inside its Ux and Spinner methods.
 * test/cli/sf-core-subset.test.ts fails when sf-plugins-core imports a name missing here or served as another object.
 * `sf omni …` (the plugin under the sf CLI) never sees this module.
 */
import { createRequire } from 'node:module';
import type * as Oclif from '@oclif/core';

// Resolved as sf-plugins-core resolves it (a nested copy under sf-plugins-core would win there, so here too).
const fromPlugins = createRequire(createRequire(import.meta.url).resolve('@salesforce/sf-plugins-core'));
const oclif = createRequire(import.meta.url)(fromPlugins.resolve('@oclif/core')) as typeof Oclif;

export const { Command, Flags } = oclif;

/** oclif's `ux` namespace, loaded on the first read of one of its members. */
export const ux: typeof Oclif.ux = new Proxy({} as typeof Oclif.ux, {
  get: (_target, key) => Reflect.get(oclif.ux, key),
  set: (_target, key, value) => Reflect.set(oclif.ux, key, value),
  has: (_target, key) => Reflect.has(oclif.ux, key),
});
