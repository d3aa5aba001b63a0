/** scripts/cli/code-cache.mjs: V8's code cache for the installed CommonJS modules, made when the run ends. */
export declare function installCodeCache(dir: string, options?: { write?: boolean; now?: number }): { cached: number; compiled: number };
