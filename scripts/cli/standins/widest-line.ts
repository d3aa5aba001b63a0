/**
 * What @oclif/core's lib/help/formatter.js reads of widest-line (its default export): only to lay out help text,
 * which `--help` prints from the manifest without running a command. See ./lazy.ts.
 */
import { lazyRequire, packageFile } from './lazy.ts';

/** A module served this stand-in. */
export const IMPORTER = packageFile('@oclif/core', 'help/formatter.js');
const real = lazyRequire<(...args: unknown[]) => unknown>(IMPORTER, 'widest-line');

/** @public Read by __importDefault in oclif's CommonJS, which takes `default` of a module marked so. */
export const __esModule = true;
export default (...args: unknown[]) => real()(...args);
