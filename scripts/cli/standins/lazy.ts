/**
 * Stand-ins the `omni` bin (scripts/omni.mjs) serves to a few modules of @oclif/core, @salesforce/core and
 * sf-plugins-core for a dependency an offline command loads at start but never calls (a virtual file system,
 * template and glob engines, a DNS-polling resolver, the keychain, a progress bar…): each stand-in exports
 * the names its one importer reads, and loads the real module — resolved from that importer, so the same copy
 * — the first time one of them is used. test/cli/standins.test.ts checks every served importer reads only
 * names its stand-in has, and that the stand-ins give the real objects.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * `specifier` as `importer` (an absolute file path) resolves it, required on first call and kept. Not asked
 * as the importer asks it — the bin serves the importer this stand-in, and Node's resolution caches remember
 * that answer for the importer's folder: a relative specifier is required by its absolute path, a package name
 * from a folder below the importer's (the same node_modules lookup, one missing folder first).
 */
export function lazyRequire<T>(importer: string, specifier: string): () => T {
  let real: T | undefined;
  const dir = path.dirname(importer);
  return () =>
    (real ??= (specifier.startsWith('.') ? createRequire(importer)(path.resolve(dir, specifier)) : createRequire(path.join(dir, 'omni-stand-in', 'require.js'))(specifier)) as T);
}

/**
 * A file of an installed package by its path beside the package's main file (`lib/`): `pkg` as the project
 * resolves it, or as the package `via` does (core as sf-plugins-core sees it, a nested copy included).
 */
export function packageFile(pkg: string, file: string, via?: string): string {
  const fromHere = createRequire(import.meta.url);
  const main = via ? createRequire(fromHere.resolve(via)).resolve(pkg) : fromHere.resolve(pkg);
  return path.join(path.dirname(main), file);
}

/**
 * A class that is the real one once touched: statics, `new`, `instanceof` and `prototype` are forwarded to
 * the class `load` gives.
 */
export function deferredClass<C extends object>(load: () => C): C {
  // A plain function as target: its `prototype` is writable, so forwarding `prototype` keeps the Proxy invariants.
  return new Proxy(function deferred() {}, {
    get: (_target, key) => Reflect.get(load(), key),
    set: (_target, key, value) => Reflect.set(load(), key, value),
    has: (_target, key) => Reflect.has(load(), key),
    construct: (_target, args) => Reflect.construct(load() as new (...a: unknown[]) => object, args),
    apply: (_target, self, args) => Reflect.apply(load() as CallableFunction, self, args),
    getPrototypeOf: () => Reflect.getPrototypeOf(load()),
  }) as unknown as C;
}
