/** The one place test files learn where things are: the repository root and the shared reference data beside it. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
/** `../shared` next to the repository: the corpus and the reference, read in place, never copied. */
export const SHARED = path.resolve(REPO_ROOT, '../shared');
/**
 * The `omni` bin as users run it (package.json `bin`): the launcher that strips the TypeScript sources once and
 * keeps Node's compile cache, ~0.4 s less CPU per start than `node scripts/omni.ts`. Spawned only where the
 * process boundary is under test.
 */
export const OMNI_BIN = path.join(REPO_ROOT, 'scripts/omni.mjs');
/**
 * A Node `--import` argument that loads the project's own TypeScript through the bin's stripped-source cache
 * (scripts/ts-cache.mjs, as scripts/omni.mjs and the sf plugin's init hook do): for the project's `.ts` files run
 * as processes of their own (a local org to kill), so that each start does not load Node's
 * WebAssembly type stripper again (≈ 0.2 s of CPU). Nothing else about the process changes.
 */
export const NODE_TS_CACHE_IMPORT = `data:text/javascript,${encodeURIComponent(
  `import{registerHooks}from"node:module";import{loadOwnTypeScript}from${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'scripts/ts-cache.mjs')).href)};registerHooks({load:loadOwnTypeScript});`,
)}`;
