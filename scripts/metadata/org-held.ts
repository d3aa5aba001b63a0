/**
 * Member lists the org holds per record and the project keeps out of source (usernames differ per org:
 * they live in assignment files, not XML). A Metadata API deploy REPLACES such a list with what the file
 * lists — so deploying a presence configuration without `<users>` would unassign every agent on it.
 * `omni deploy` (and `omni setup`, `omni plan`) read the org's current members of each deployed record
 * and merge them into the outgoing XML, unless `--replace-assignments` asks for the file's list exactly.
 *
 * The lists are registry facts (`userMembers` in registry-overlay.ts: the element path, a noun, and how to
 * query the org's members by record developer name); this module serves them by type.
 */
import { METADATA_TYPES, type UserMemberList } from './registry.ts';

export interface OrgHeldMemberList extends UserMemberList {
  /** Registry type name (metadata root element). */
  type: string;
}

/** Every type's user member list (registry `userMembers`), in registry order. */
export const ORG_HELD_MEMBER_LISTS: readonly OrgHeldMemberList[] = METADATA_TYPES.flatMap((t) => (t.userMembers ? [{ type: t.name, ...t.userMembers }] : []));

/** The lists of one type (empty for types the org holds no member list of). */
export function orgHeldListsOf(type: string): readonly OrgHeldMemberList[] {
  return ORG_HELD_MEMBER_LISTS.filter((l) => l.type === type);
}
