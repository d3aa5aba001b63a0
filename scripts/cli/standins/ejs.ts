/**
 * What @oclif/core's lib/config/config.js and lib/help/util.js read of ejs (`default.render`): only to fill a
 * template (a plugin's oclif settings, help text with `<%= … %>`), not while a command runs. See ./lazy.ts.
 */
import { lazyRequire, packageFile } from './lazy.ts';

/** A module served this stand-in (the copy of the package it loads is the one this module sees). */
export const IMPORTER = packageFile('@oclif/core', 'config/config.js');
const ejs = lazyRequire<{ render(...args: unknown[]): unknown }>(IMPORTER, 'ejs');

/** @public Read by __importDefault in oclif's CommonJS, which takes `default` of a module marked so. */
export const __esModule = true;
export default { render: (...args: unknown[]) => ejs().render(...args) };
