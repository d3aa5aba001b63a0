/**
 * What @salesforce/core's lib/fs/fs.js reads of memfs (`createFsFromVolume`, `Volume`): only for a virtual file
 * system (FORCE_MEMFS, or core running in a browser), never in the `omni` bin; memfs is ~30 modules. See ./lazy.ts.
 */
import { deferredClass, lazyRequire, packageFile } from './lazy.ts';

/** A module served this stand-in (the copy of the package it loads is the one this module sees). */
export const IMPORTER = packageFile('@salesforce/core', 'fs/fs.js', '@salesforce/sf-plugins-core');
const memfs = lazyRequire<{ createFsFromVolume(...args: unknown[]): unknown; Volume: new (...args: unknown[]) => unknown }>(IMPORTER, 'memfs');

/** @public Read by __importStar in core's CommonJS, which hands a module marked so back as it is. */
export const __esModule = true;
export const createFsFromVolume = (...args: unknown[]) => memfs().createFsFromVolume(...args);
export const Volume = deferredClass(() => memfs().Volume);
