/**
 * What @salesforce/core's lib/config/configStore.js reads of ./crypto/crypto (`Crypto`): only to encrypt or
 * decrypt a stored secret (auth files, encrypted config values); it brings the keychain modules. See ./lazy.ts.
 */
import { deferredClass, lazyRequire, packageFile } from './lazy.ts';

/** A module served this stand-in (the copy of the package it loads is the one this module sees). */
export const IMPORTER = packageFile('@salesforce/core', 'config/configStore.js', '@salesforce/sf-plugins-core');
const crypto = lazyRequire<{ Crypto: object }>(IMPORTER, '../crypto/crypto');

export const Crypto = deferredClass(() => crypto().Crypto);
