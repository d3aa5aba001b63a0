/**
 * @salesforce/core's root, for the product's modules: required, never imported. An ES-module import of a CommonJS
 * package reads every name it exports as it links, and core's index exports all of core; under the `omni` bin those
 * exports load their modules on first use (scripts/cli/deferred-requires.mjs), so a `require` loads only what the
 * command touches (Org, AuthInfo, Connection…) and an `import` would load everything (scratch orgs, schemas with
 * ajv, streaming). Elsewhere (`sf omni …`, in-process runs) both give the same module.
 * test/cli/deferred-requires.test.ts fails on an `import` of the root in scripts/.
 */
import { createRequire } from 'node:module';

type Core = typeof import('@salesforce/core');

const requireHere = createRequire(import.meta.url);

/** core's index (its exports are the same objects an import gives). */
export function salesforceCore(): Core {
  const core = requireHere('@salesforce/core') as Core;
  readEnvVarsDirectly(core.EnvVars);
  return core;
}

/** Marks an EnvVars class whose `get` reads the variable directly. */
const DIRECT = Symbol.for('omni-presence.envVarsDirect');

/**
 * Makes core's `EnvVars#get(name)` read the one variable instead of copying the whole environment into a Map first.
 *
 * Why: every `ConfigAggregator` read (`getPropertyValue`, `getInfo`; `Connection.create` makes two, the flag parse of
 * `--api-version` one, …) builds a new EnvVars and asks it for each allowed config key (~20), and each `get` built
 * `new Map(Object.entries(env))` — ≈ 1 ms per read in the `omni` bin, ≈ 4 ms in a test worker (~80 variables),
 * ~400 reads in a suite run (bench/RESULTS.md, "Org commands").
 *
 * Same answer: the original is `new Map(definiteEntriesOf(store)).get(name)` (@salesforce/kit `Env#entries`), i.e. the
 * value of an own enumerable property that is neither undefined nor null, else undefined; that is read here, live at
 * each call as before (nothing is cached, so a variable set between reads is seen). Not on Windows, where
 * process.env's property lookups ignore case and the Map's keys do not. test/org/core-env.test.ts compares both on
 * random environments. Idempotent; used by `salesforceCore()` and the bin's core subset (scripts/cli/sf-core-subset.ts).
 */
export function readEnvVarsDirectly(EnvVars: Core['EnvVars']): void {
  const proto = EnvVars.prototype as unknown as { get(name: string): unknown; [DIRECT]?: true };
  if (proto[DIRECT] || process.platform === 'win32') return;
  proto.get = function get(this: { store: Record<string, unknown> }, name: string): unknown {
    const store = this.store;
    if (store == null || !Object.prototype.propertyIsEnumerable.call(store, name)) return undefined;
    return store[name] ?? undefined;
  };
  proto[DIRECT] = true;
}
