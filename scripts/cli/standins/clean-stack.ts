/**
 * What @oclif/core's lib/errors/errors/cli.js and lib/errors/handle.js read of clean-stack (its default export):
 * only to print an error of oclif's own (an omni command prints its failures itself, scripts/cli/failure.ts). See ./lazy.ts.
 */
import { lazyRequire, packageFile } from './lazy.ts';

/** A module served this stand-in (the copy of the package it loads is the one this module sees). */
export const IMPORTER = packageFile('@oclif/core', 'errors/errors/cli.js');
const real = lazyRequire<(...args: unknown[]) => unknown>(IMPORTER, 'clean-stack');

/** @public Read by __importDefault in oclif's CommonJS, which takes `default` of a module marked so. */
export const __esModule = true;
export default (...args: unknown[]) => real()(...args);
