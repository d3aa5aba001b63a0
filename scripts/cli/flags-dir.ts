/**
 * oclif `preparse` hook of the `omni` bin (scripts/cli/bin-config.ts): `--flags-dir DIR` as `sf omni …` reads it.
 * Under sf the flag is not read by the command (sf-plugins-core only declares it) but by the sf CLI's own
 * preparse hook, which appends a `--NAME value` for each file NAME in DIR (one per line; `.json` files as one
 * value) unless the command line already gives that flag. The bin runs that same hook of the installed sf CLI
 * (the `@salesforce/cli` devDependency), so both read a flags folder alike; it is loaded only when the command
 * line names `--flags-dir`. https://developer.salesforce.com/docs/atlas.en-us.sfdx_setup.meta/sfdx_setup/sfdx_dev_cli_flags_dir.htm
 */
import type { Hook } from '@oclif/core';

/** sf's hook module: its package exports only its index, so it is found beside that (dist/hooks/preparse.js). */
async function sfPreparse(): Promise<Hook.Preparse> {
  const url = new URL('./hooks/preparse.js', import.meta.resolve('@salesforce/cli'));
  return ((await import(url.href)) as { default: Hook.Preparse }).default;
}

/** The command line with the flags of `--flags-dir DIR` appended; unchanged without `--flags-dir`. */
const preparse: Hook.Preparse = async function (options) {
  if (!options.argv.includes('--flags-dir')) return options.argv;
  return (await sfPreparse()).call(this, options);
};

export default preparse;
