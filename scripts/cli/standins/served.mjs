/**
 * Which stand-in of scripts/cli/standins/ the `omni` bin (scripts/omni.mjs) serves for which import, and to
 * which importers: `[specifier, stand-in file, ...importer path endings]`. Plain JavaScript: the launcher reads
 * it before any TypeScript can load. test/cli/standins.test.ts checks each importer against its stand-in.
 */
const oclifLib = '/@oclif/core/lib/';
const coreLib = '/@salesforce/core/lib/';
const pluginsLib = '/@salesforce/sf-plugins-core/lib/';

export const STAND_INS = [
  ['memfs', 'memfs.ts', `${coreLib}fs/fs.js`],
  ['semver', 'semver.ts', `${coreLib}lifecycleEvents.js`],
  ['../status/myDomainResolver', 'my-domain-resolver.ts', `${coreLib}util/sfdcUrl.js`],
  ['../crypto/crypto', 'crypto.ts', `${coreLib}config/configStore.js`],
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
