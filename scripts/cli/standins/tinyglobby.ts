/**
 * What @oclif/core's lib/config/plugin.js reads of tinyglobby (`glob`): only to find command files when a
 * plugin has no manifest; the `omni` bin has one (npm run manifest). See ./lazy.ts.
 */
import { lazyRequire, packageFile } from './lazy.ts';

/** A module served this stand-in (the copy of the package it loads is the one this module sees). */
export const IMPORTER = packageFile('@oclif/core', 'config/plugin.js');
const tinyglobby = lazyRequire<{ glob(...args: unknown[]): unknown }>(IMPORTER, 'tinyglobby');

export const glob = (...args: unknown[]) => tinyglobby().glob(...args);
