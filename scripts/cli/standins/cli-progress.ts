/**
 * What sf-plugins-core's lib/ux/progress.js imports from cli-progress (`SingleBar`): only when a command draws
 * a progress bar (the `omni` bin draws through its own Ui, scripts/cli/ui.ts); ~16 modules. See ./lazy.ts.
 */
import { deferredClass, lazyRequire, packageFile } from './lazy.ts';

/** A module served this stand-in (the copy of the package it loads is the one this module sees). */
export const IMPORTER = packageFile('@salesforce/sf-plugins-core', 'ux/progress.js');
const progress = lazyRequire<{ SingleBar: new (...args: unknown[]) => object }>(IMPORTER, 'cli-progress');

export const SingleBar = deferredClass(() => progress().SingleBar);
