/**
 * The local org's public entry: start one (`startLocalOrg`), its options and handle, and the API
 * versions it serves. Everything else in local-org/ is internal. See local-org/README.md.
 */
export { startLocalOrg, MIN_API_VERSION, MAX_API_VERSION, QUERY_PAGE_SIZE } from './server.ts';
export type { LocalOrg, LocalOrgOptions, LocalOrgContext, RequestStats } from './server.ts';
export { StateFileError } from './store.ts';
export { seedUsername } from './seed.ts';
