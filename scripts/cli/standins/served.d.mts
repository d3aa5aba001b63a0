/** scripts/cli/standins/served.mjs: `[specifier, file of scripts/cli/]` served to sf-plugins-core's imports. */
export declare const SERVED_TO_SF_PLUGINS_CORE: ReadonlyArray<readonly [specifier: string, file: string]>;
/** scripts/cli/standins/served.mjs: `[specifier, stand-in file, ...importer path endings]`. */
export declare const STAND_INS: ReadonlyArray<readonly [specifier: string, file: string, ...importers: string[]]>;
