/**
 * What @salesforce/core's lib/util/sfdcUrl.js reads of ./status/myDomainResolver (`MyDomainResolver`): only when
 * a My Domain URL is checked by DNS (a scratch org being created), never offline; it brings node:dns and the
 * polling client. See ./lazy.ts.
 */
import { deferredClass, lazyRequire, packageFile } from './lazy.ts';

/** A module served this stand-in (the copy of the package it loads is the one this module sees). */
export const IMPORTER = packageFile('@salesforce/core', 'util/sfdcUrl.js', '@salesforce/sf-plugins-core');
const resolver = lazyRequire<{ MyDomainResolver: object }>(IMPORTER, '../status/myDomainResolver');

export const MyDomainResolver = deferredClass(() => resolver().MyDomainResolver);
