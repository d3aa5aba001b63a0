/**
 * Member lists the org holds per record and the project keeps out of source (usernames differ per org:
 * they live in assignment files, not XML). A Metadata API deploy REPLACES such a list with what the file
 * lists — so deploying a presence configuration without `<users>` would unassign every agent on it.
 * `omni deploy` (and `omni setup`, `omni plan`) read the org's current members of each deployed record
 * and merge them into the outgoing XML, unless `--replace-assignments` asks for the file's list exactly.
 *
 * Data, next to the registry: adding a list here is all it takes (the element path must exist in the
 * type's registry entry; `read` says how to query the org's members by record developer name).
 */
export interface OrgHeldMemberList {
  /** Registry type name (metadata root element). */
  type: string;
  /** Dotted element path of one member, as in the registry's references (`assignments.users.user`). */
  path: string;
  /** For messages: what one member is. */
  noun: string;
  /**
   * How the org's members are read: `SELECT <parent>, <member> FROM <object> WHERE <parent> IN (…)`, where
   * `parent` is a relationship path to the record's developer name — or, with `parentLookup`, an Id
   * field whose records are first found by `SELECT Id, <nameField> FROM <parentLookup.object> WHERE
   * <nameField> IN (…) [AND <where>]`. `member` is the member's name as the XML spells it (a relationship
   * path); with `memberIdPrefix`, `member` is an Id field, kept only when it starts with that key prefix
   * and turned into a name by `SELECT Id, <name.field> FROM <name.object> WHERE Id IN (…)`.
   */
  read: {
    object: string;
    parent: string;
    parentLookup?: { object: string; nameField: string; where?: string };
    member: string;
    memberIdPrefix?: string;
    name?: { object: string; field: string };
  };
}

export const ORG_HELD_MEMBER_LISTS: readonly OrgHeldMemberList[] = [
  {
    type: 'PresenceUserConfig',
    path: 'assignments.users.user',
    noun: 'user assignment',
    read: { object: 'PresenceUserConfigUser', parent: 'PresenceUserConfig.DeveloperName', member: 'User.Username' },
  },
  {
    // Queue members that are users (queueMembers.users.user); groups and roles stay as the file says.
    type: 'Queue',
    path: 'queueMembers.users.user',
    noun: 'queue user member',
    read: {
      object: 'GroupMember',
      parent: 'GroupId',
      parentLookup: { object: 'Group', nameField: 'DeveloperName', where: "Type = 'Queue'" },
      member: 'UserOrGroupId',
      memberIdPrefix: '005',
      name: { object: 'User', field: 'Username' },
    },
  },
];

/** The lists of one type (empty for types the org holds no member list of). */
export function orgHeldListsOf(type: string): readonly OrgHeldMemberList[] {
  return ORG_HELD_MEMBER_LISTS.filter((l) => l.type === type);
}
