/** The one place test files learn where things are: the repository root and the shared reference data beside it. */
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
/** `../shared` next to the repository: the corpus and the reference, read in place, never copied. */
export const SHARED = path.resolve(REPO_ROOT, '../shared');
/**
 * The `omni` bin as users run it (package.json `bin`): the launcher that strips the TypeScript sources once and
 * keeps Node's compile cache, ~0.4 s less CPU per start than `node scripts/omni.ts`. Spawned only where the
 * process boundary is under test.
 */
export const OMNI_BIN = path.join(REPO_ROOT, 'scripts/omni.mjs');
