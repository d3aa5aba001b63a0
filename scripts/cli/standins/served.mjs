/**
 * Which stand-in of scripts/cli/standins/ the `omni` bin (scripts/omni.mjs) serves for which import, and to
 * which importers: `[specifier, stand-in file, ...importer path endings]`. Plain JavaScript: the launcher reads
 * it before any TypeScript can load. test/cli/standins.test.ts checks each importer against its stand-in.
 */
const oclifLib = '/@oclif/core/lib/';
const coreLib = '/@salesforce/core/lib/';
const pluginsLib = '/@salesforce/sf-plugins-core/lib/';

/**
 * What the bin serves for sf-plugins-core's imports of `specifier` (from its lib/ only): `[specifier, file of
 * scripts/cli/]`, each file exporting the names sf-plugins-core imports as the package's own objects (or, for
 * @oclif/table, functions that say why they are absent). test/cli/sf-core-subset.test.ts checks every entry.
 */
export const SERVED_TO_SF_PLUGINS_CORE = [
  ['@salesforce/core', 'sf-core-subset.ts'],
  ['@salesforce/core/sfError', 'sf-core-subset.ts'],
  ['@salesforce/core/messages', 'sf-core-subset.ts'],
  ['@salesforce/kit', 'sf-kit-subset.ts'],
  ['@salesforce/ts-types', 'sf-ts-types-subset.ts'],
  ['@oclif/table', 'oclif-table-absent.ts'],
  ['@oclif/core', 'oclif-core-subset.ts'],
];

export const STAND_INS = [
  ['memfs', 'memfs.ts', `${coreLib}fs/fs.js`],
  ['semver', 'semver.ts', `${coreLib}lifecycleEvents.js`],
  ['../status/myDomainResolver', 'my-domain-resolver.ts', `${coreLib}util/sfdcUrl.js`],
  ['../crypto/crypto', 'crypto.ts', `${coreLib}config/configStore.js`],
  ['change-case', 'change-case.ts', `${coreLib}config/envVars.js`],
  ['ejs', 'ejs.ts', `${oclifLib}config/config.js`, `${oclifLib}help/util.js`],
  ['tinyglobby', 'tinyglobby.ts', `${oclifLib}config/plugin.js`],
  ['clean-stack', 'clean-stack.ts', `${oclifLib}errors/errors/cli.js`, `${oclifLib}errors/handle.js`],
  ['wrap-ansi', 'wrap-ansi.ts', `${oclifLib}errors/errors/cli.js`, `${oclifLib}errors/errors/pretty-print.js`, `${oclifLib}help/formatter.js`],
  ['indent-string', 'indent-string.ts', `${oclifLib}errors/errors/cli.js`, `${oclifLib}errors/errors/pretty-print.js`, `${oclifLib}help/formatter.js`],
  ['string-width', 'string-width.ts', `${oclifLib}help/formatter.js`],
  ['widest-line', 'widest-line.ts', `${oclifLib}help/formatter.js`],
  ['cli-progress', 'cli-progress.ts', `${pluginsLib}ux/progress.js`],
  ['terminal-link', 'terminal-link.ts', `${pluginsLib}ux/ux.js`],
];
