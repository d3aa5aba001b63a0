/** The one place test files learn where things are: the repository root and the shared reference data beside it. */
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
/** `../shared` next to the repository: the corpus and the reference, read in place, never copied. */
export const SHARED = path.resolve(REPO_ROOT, '../shared');
