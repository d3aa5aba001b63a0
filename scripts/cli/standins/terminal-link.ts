/**
 * What sf-plugins-core's lib/ux/ux.js imports from terminal-link (its default export): only for Ux.url, which
 * omni does not print through. See ./lazy.ts.
 */
import { lazyRequire, packageFile } from './lazy.ts';

/** A module served this stand-in (the copy of the package it loads is the one this module sees). */
export const IMPORTER = packageFile('@salesforce/sf-plugins-core', 'ux/ux.js');
// An ES module: required as Node requires one (its namespace), the function is its default export.
const link = lazyRequire<{ default: (...args: unknown[]) => string }>(IMPORTER, 'terminal-link');

export default function terminalLink(...args: unknown[]): string {
  return link().default(...args);
}
