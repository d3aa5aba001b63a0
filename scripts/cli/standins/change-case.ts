/**
 * What @salesforce/core's lib/config/envVars.js reads of change-case (`camelCase`, `snakeCase`, to name its variables'
 * messages and to map a property to its variable): change-case's index re-exports eleven packages (capital, constant,
 * dot, header, no, param, pascal, path, sentence, snake, camel case: 16 modules with tslib). Here the two functions it
 * reads, the very objects change-case re-exports, required from the packages change-case requires them from; the
 * other nine packages are not loaded.
 */
import { createRequire } from 'node:module';
import { packageFile } from './lazy.ts';

/** A module served this stand-in (the copy of the package it loads is the one this module sees). */
export const IMPORTER = packageFile('@salesforce/core', 'config/envVars.js', '@salesforce/sf-plugins-core');
// As change-case's own index resolves them (its nested copies first).
const fromChangeCase = createRequire(createRequire(IMPORTER).resolve('change-case'));

export const { camelCase } = fromChangeCase('camel-case') as { camelCase: (input: string) => string };
export const { snakeCase } = fromChangeCase('snake-case') as { snakeCase: (input: string) => string };
