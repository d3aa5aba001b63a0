/** scripts/ts-cache.mjs: the project's TypeScript stripped once and cached; the cache's entries. */
/** The package root. */
export declare const root: string;
/** An entry not read for this long is removed by the next miss in its folder (ms). */
export declare const UNUSED_MS: number;
/** `make()`'s text for `id`, kept in `dir` in `id`'s entry with `keyParts`; a miss prunes entries unused for UNUSED_MS. */
export declare function cachedEntry(dir: string, id: string, keyParts: ReadonlyArray<string | Uint8Array>, make: () => string, now?: number): string;
/** cachedEntry under node_modules/.cache/omni-presence/<folder>/. */
export declare function cachedText(folder: string, id: string, keyParts: ReadonlyArray<string | Uint8Array>, make: () => string): string;
/** The `module.registerHooks` load hook for the package's own `.ts` modules. */
export declare function loadOwnTypeScript(url: string, context: object, nextLoad: (url: string, context: object) => unknown): unknown;
