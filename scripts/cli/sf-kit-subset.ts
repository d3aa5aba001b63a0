/**
 * What @salesforce/sf-plugins-core imports from `@salesforce/kit` (`env`, `Duration`), served by the `omni` bin
 * (scripts/omni.mjs) for its `import … from '@salesforce/kit'`: each name is kit's own object, required from the kit
 * sf-plugins-core resolves (core requires the same copy).
 *
 * Why: an ES module's import of a CommonJS package makes Node read the package's export names from its source with
 * cjs-module-lexer — kit's index and every module it re-exports, @salesforce/ts-types' with them — and build a facade
 * reading every export: ~10 ms of CPU at each start for two names (bench/RESULTS.md, "CLI start-up"). A `require`
 * reads no source for names. test/cli/sf-core-subset.test.ts fails when sf-plugins-core imports a name missing here
 * or served as another object. `sf omni …` (the plugin under the sf CLI) never sees this module.
 */
import { createRequire } from 'node:module';

// Resolved as sf-plugins-core resolves it, then required by its path: the bin serves this module for that very
// specifier to sf-plugins-core's files, so it is not asked from there. Typed loosely: only sf-plugins-core's JavaScript reads these, and kit is no direct
// dependency to import types from.
const fromPlugins = createRequire(createRequire(import.meta.url).resolve('@salesforce/sf-plugins-core'));
const kit = createRequire(import.meta.url)(fromPlugins.resolve('@salesforce/kit')) as Record<'env' | 'Duration', unknown>;

export const { env, Duration } = kit;
