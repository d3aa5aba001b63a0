/**
 * What @salesforce/core's lib/lifecycleEvents.js reads of semver (`compare`): only when another copy of core
 * already set up the process's lifecycle; semver's index is ~47 modules. See ./lazy.ts.
 */
import { lazyRequire, packageFile } from './lazy.ts';

/** A module served this stand-in (the copy of the package it loads is the one this module sees). */
export const IMPORTER = packageFile('@salesforce/core', 'lifecycleEvents.js', '@salesforce/sf-plugins-core');
const semver = lazyRequire<{ compare(...args: unknown[]): number }>(IMPORTER, 'semver');

export const compare = (...args: unknown[]) => semver().compare(...args);
