/**
 * oclif `init` hook of the sf plugin (package.json oclif.hooks.init): sf runs it before it loads the command's
 * class, so `sf omni …` loads the project's TypeScript through the same stripped-source cache as the `omni` bin
 * (scripts/ts-cache.mjs) instead of Node stripping ~100 files on every start (≈ 0.15 s of CPU of ≈ 1.4 s,
 * bench/RESULTS.md, test suite). Registered once per process, when sf imports this file; on a Node without
 * `module.registerHooks` (before 22.15) nothing is registered and Node strips as before.
 * https://oclif.io/docs/hooks
 */
import * as nodeModule from 'node:module';

if (typeof nodeModule.registerHooks === 'function') {
  const { loadOwnTypeScript } = await import('../ts-cache.mjs');
  nodeModule.registerHooks({ load: loadOwnTypeScript });
}

/** Nothing to do per run: registering the load hook above is the whole effect. */
export default async function init() {}
