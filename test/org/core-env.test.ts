/**
 * core's EnvVars#get reads one variable directly (scripts/org/core.ts `readEnvVarsDirectly`) and gives what core's
 * own `get` gave: `this.asMap().get(name)` (core's `asMap`, untouched: a Map of @salesforce/kit's `Env#entries`).
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { salesforceCore } from '../../scripts/org/core.ts';

const core = salesforceCore();
/** core's answer for `name`, as its `get` computed it before (EnvVars#asMap → Map#get). */
const original = (envVars: InstanceType<typeof core.EnvVars>, name: string) => envVars.asMap().get(name);
const get = (envVars: InstanceType<typeof core.EnvVars>, name: string) => (envVars as unknown as { get(name: string): unknown }).get(name);

// Names that are SF variables, their deprecated synonyms, and names every object inherits.
const NAMES = ['SF_TARGET_ORG', 'SFDX_DEFAULTUSERNAME', 'SF_ORG_API_VERSION', 'SF_DISABLE_TELEMETRY', 'constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf', ''];
const name = fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 6 }));
const value = fc.oneof(fc.string({ maxLength: 8 }), fc.constant(undefined), fc.constant(null), fc.integer());

describe('EnvVars#get reads the variable directly', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it.skipIf(process.platform === 'win32')('is the patched method (not on Windows: process.env ignores case there)', () => {
    expect(Object.getOwnPropertySymbols(core.EnvVars.prototype).map(String)).toContain('Symbol(omni-presence.envVarsDirect)');
  });

  it('gives what core gave on random environments: own, inherited, non-enumerable, undefined and null entries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(name, value), { maxLength: 8 }),
        fc.array(fc.tuple(name, value), { maxLength: 3 }),
        fc.array(name, { maxLength: 3 }),
        fc.array(name, { minLength: 1, maxLength: 6 }),
        (own, inherited, hidden, asked) => {
          const store: Record<string, unknown> = Object.create(Object.fromEntries(inherited));
          for (const [k, v] of own) Object.defineProperty(store, k, { value: v, enumerable: true, configurable: true, writable: true });
          for (const k of hidden) if (!Object.hasOwn(store, k)) Object.defineProperty(store, k, { value: 'hidden', enumerable: false });
          const envVars = new core.EnvVars(store as NodeJS.ProcessEnv);
          for (const n of [...asked, ...own.map(([k]) => k), ...inherited.map(([k]) => k), ...hidden]) expect(get(envVars, n)).toBe(original(envVars, n));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads process.env live: a variable changed between two config reads is seen, as before', async () => {
    const envVars = new core.EnvVars();
    for (const key of [...Object.keys(process.env), ...Object.keys(core.SUPPORTED_ENV_VARS), 'constructor']) expect(get(envVars, key)).toBe(original(envVars, key));
    const aggregator = await core.ConfigAggregator.create();
    process.env.SF_TARGET_ORG = 'first-org';
    expect(aggregator.getPropertyValue('target-org')).toBe('first-org');
    expect(aggregator.getInfo('target-org').location).toBe('Environment');
    process.env.SF_TARGET_ORG = 'second-org';
    expect(aggregator.getPropertyValue('target-org')).toBe('second-org');
  });
});
