/**
 * What @oclif/core's lib/errors/errors/cli.js, errors/pretty-print.js and help/formatter.js read of indent-string
 * (its default export): only to print an error of oclif's own or help (an omni command prints its failures itself, scripts/cli/failure.ts). See ./lazy.ts.
 */
import { lazyRequire, packageFile } from './lazy.ts';

/** A module served this stand-in (the copy of the package it loads is the one this module sees). */
export const IMPORTER = packageFile('@oclif/core', 'errors/errors/cli.js');
const real = lazyRequire<(...args: unknown[]) => unknown>(IMPORTER, 'indent-string');

/** @public Read by __importDefault in oclif's CommonJS, which takes `default` of a module marked so. */
export const __esModule = true;
export default (...args: unknown[]) => real()(...args);
