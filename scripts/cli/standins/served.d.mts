/** scripts/cli/standins/served.mjs: `[specifier, stand-in file, ...importer path endings]`. */
export declare const STAND_INS: ReadonlyArray<readonly [specifier: string, file: string, ...importers: string[]]>;
