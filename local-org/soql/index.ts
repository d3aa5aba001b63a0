/**
 * The local org's SOQL engine: `parseSoql` once per request, `executeSoql` against the store.
 * Used by the server for /query, /queryAll and /tooling/query.
 */
export { SoqlError } from './errors.ts';
export type { SoqlErrorCode } from './errors.ts';
export type { Condition, FieldRef, Literal, OrderItem, SelectItem, SoqlQuery } from './ast.ts';
export { parseSoql } from './parser.ts';
export { executeSoql } from './execute.ts';
export type { ExecuteOptions, SoqlDataSource, SoqlResult } from './execute.ts';
