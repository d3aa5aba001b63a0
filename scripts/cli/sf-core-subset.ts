/**
 * What @salesforce/sf-plugins-core imports from the `@salesforce/core` root, without loading that root: the
 * `omni` bin (scripts/omni.mjs) serves this module for sf-plugins-core's `import … from '@salesforce/core'`.
 *
 * Why: core's index `require`s all of core at once (Org, AuthInfo, Connection → jsforce with undici and faye
 * streaming, zod with every locale, ajv, the project schemas): ~0.5 s of CPU and ~45 MiB before any omni
 * command runs, though SfCommand itself uses only its config, messages, lifecycle and error classes
 * (bench/RESULTS.md, "CLI start-up"). Here each name is the very object core's index exports — read from
 * the same file of the same installed core, so `instanceof` and singletons (Lifecycle, Messages' loaders)
 * are shared with any code that later loads the whole of core (deploy, assign: scripts/org/connection.ts).
 * `Org` and `SfProject`, whose modules are the heavy part, are stand-ins that load core's index on first
 * use (sf-plugins-core touches them only in its org flags and for `requiresProject` commands).
 *
 * test/cli/sf-core-subset.test.ts fails when sf-plugins-core imports a name missing here or served as a
 * different object. `sf omni …` (the plugin under the sf CLI) never sees this module.
 */
import { createRequire } from 'node:module';
import type * as Core from '@salesforce/core';
import { readEnvVarsDirectly } from '../org/core.ts';

type CoreModule = typeof Core;

// core as sf-plugins-core resolves it (a nested copy under sf-plugins-core would win there, so here too).
const fromPlugins = createRequire(createRequire(import.meta.url).resolve('@salesforce/sf-plugins-core'));
const fromCore = createRequire(fromPlugins.resolve('@salesforce/core'));
/** One of core's own modules, by its path inside core's lib/ (the same module instance core's index uses). */
const coreFile = (file: string) => fromCore(file) as CoreModule;

/**
 * A stand-in for core's class `name` that loads core's index when first touched (a static call, `new`,
 * `instanceof`, a property read): every operation is forwarded to the real class.
 */
function deferred<Name extends 'Org' | 'SfProject'>(name: Name): CoreModule[Name] {
  let real: object | undefined;
  const load = () => (real ??= (fromCore('./index.js') as CoreModule)[name]) as CallableFunction & object;
  // A plain function as target: its `prototype` is writable, so forwarding `prototype` keeps the Proxy invariants.
  return new Proxy(function deferredClass() {}, {
    get: (_target, key) => Reflect.get(load(), key),
    set: (_target, key, value) => Reflect.set(load(), key, value),
    has: (_target, key) => Reflect.has(load(), key),
    construct: (_target, args) => Reflect.construct(load() as new (...a: unknown[]) => object, args),
    apply: (_target, self, args) => Reflect.apply(load(), self, args),
    getPrototypeOf: () => Reflect.getPrototypeOf(load()),
  }) as unknown as CoreModule[Name];
}

const envVarsFile = coreFile('./config/envVars.js');
// Config reads at flag parse (`--api-version`'s default, the target org) read each variable directly, as the command's
// own reads will (scripts/org/core.ts).
readEnvVarsDirectly(envVarsFile.EnvVars);
export const { envVars, EnvironmentVariable, SUPPORTED_ENV_VARS } = envVarsFile;
export const { Messages } = coreFile('./messages.js');
export const { Lifecycle } = coreFile('./lifecycleEvents.js');
export const { ConfigAggregator } = coreFile('./config/configAggregator.js');
export const { SfError } = coreFile('./sfError.js');
export const { Mode } = coreFile('./global.js');
export const { SFDX_ALLOWED_PROPERTIES } = coreFile('./config/config.js');
export const { ORG_CONFIG_ALLOWED_PROPERTIES, OrgConfigProperties } = coreFile('./org/orgConfigProperties.js');
export const { validateApiVersion, validateSalesforceId } = coreFile('./util/sfdc.js');
export const Org = deferred('Org');
export const SfProject = deferred('SfProject');
