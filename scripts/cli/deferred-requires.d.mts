/** scripts/cli/deferred-requires.mjs: the requires of @salesforce/core and jsforce the `omni` bin defers to first use. */
/** `[importer path ending, requires to defer or '*' for every one whose binding is only read as `x.Name`]`. */
export declare const DEFERRED_REQUIRES: ReadonlyArray<readonly [ending: string, specifiers: readonly string[] | '*']>;
/** jsforce's API modules registered on first use instead of loaded by its index. */
export declare const DEFERRED_JSFORCE_APIS: { readonly importer: string; readonly apis: readonly string[] };
/** The importer's source with those requires deferred, and which it deferred. */
export declare function deferRequires(source: string, specifiers: readonly string[] | '*'): { source: string; deferred: string[] };
/** jsforce's index with its API modules registered instead of loaded, and which. */
export declare function deferJsforceApis(source: string, apis: readonly string[]): { source: string; deferred: string[] };
/** `[importer path ending, statement, replacement]`: statements that do start-up work for nothing shown, rewritten. */
export declare const STATEMENT_EDITS: ReadonlyArray<readonly [ending: string, statement: string, replacement: string]>;
/** The importer's source with its STATEMENT_EDITS made (a statement found exactly once), and how many. */
export declare function editStatements(source: string, importer: string): { source: string; edited: number };
/** The path ending of undici's index, whose exports load on first read. */
export declare const DEFERRED_UNDICI_INDEX: string;
/** undici's index with the exports that are only re-exported requires loaded on first read, and which. */
export declare function deferUndiciExports(source: string): { source: string; deferred: string[] };
/** The `module.registerHooks` load step. */
export declare function loadDeferred(url: string, context: object, next: (url: string, context: object) => { source?: unknown; format?: string }): { source?: unknown; format?: string };
