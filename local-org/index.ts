/**
 * The local org's public entry: start one (`startLocalOrg`), its options and handle, the state-file error
 * and the seeded agents' usernames. Everything else in local-org/ is internal. See local-org/README.md.
 */
export { startLocalOrg } from './server.ts';
export type { LocalOrg, LocalOrgOptions } from './server.ts';
export { StateFileError } from './store.ts';
export { StateFileInUse } from './lock.ts';
export { seedUsername } from './seed.ts';
