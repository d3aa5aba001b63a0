/**
 * `npm run manifest` (also run by `prepare`, so `npm ci` and `npm install` write it, and before `npm test`):
 * writes oclif's command manifests, so `--help` and the command list are answered from JSON without
 * loading any command's code — `oclif.manifest.json` at the package root for `sf omni …` (ids `omni:…`)
 * and `scripts/sf/commands/omni/oclif.manifest.json` for the `omni` bin (ids below the `omni` topic).
 *
 * It is what `oclif manifest` writes, made by the same @oclif/core Plugin loader (`ignoreManifest`), without
 * the `oclif` CLI package (its S3/CloudFront publishing dependencies, and its own older @oclif/core).
 * Both files are generated, never committed (.gitignore). https://oclif.io/docs/commands#manifest
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Plugin } from '@oclif/core';
import { BIN_ROOT, binPjson, PACKAGE_ROOT } from '../cli/bin-config.ts';

/** The manifest oclif would read for the plugin at `root` (with `pjson` instead of root/package.json). */
async function manifestOf(root: string, pjson?: Plugin['pjson']): Promise<string> {
  const plugin = new Plugin({ root, isRoot: true, ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true, ...(pjson ? { pjson } : {}) });
  await plugin.load();
  return `${JSON.stringify(plugin.manifest, null, 2)}\n`;
}

export async function writeManifests(): Promise<void> {
  writeFileSync(join(PACKAGE_ROOT, 'oclif.manifest.json'), await manifestOf(PACKAGE_ROOT));
  writeFileSync(join(BIN_ROOT, 'oclif.manifest.json'), await manifestOf(BIN_ROOT, binPjson()));
}

if (import.meta.main) await writeManifests();
