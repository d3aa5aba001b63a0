/**
 * `omni explain`: why an agent does (not) get work. Walks Omni-Channel's chain for one user and names
 * the first broken link with its fix (Omni-Channel routing: https://help.salesforce.com/s/articleView?id=service.omnichannel_routing_overview.htm):
 * user active and Service Cloud user (User.UserPermissionsSupportUser); Omni-Channel on; the effective
 * presence configuration (user row, else profile row, else the org default) and its capacity; the statuses
 * the agent may select (SetupEntityAccess of the profile's and assigned permission sets) and their channels
 * (ServiceChannelStatus); then per queue: membership (GroupMember, direct or via a public group), the
 * queue's routing configuration, the queue's objects (QueueSobject) against the channels' RelatedEntity,
 * a granted status taking work from those channels, the routing weight against the configuration's
 * capacity (interruptible capacity for interruptible channels), and skills when the routing needs them.
 *
 * The org facts are read in a dozen queries; `explainOffline` answers what the source and an assignment
 * file can (configuration, membership, routing, objects, capacity) and marks the rest unknown (ok: null).
 */
import type { OrgApi } from '../assign/api.ts';
import { suggestUsers } from '../assign/resolve.ts';
import { soqlQuote } from '../org/soql.ts';
import { countText, messageText } from '../lib/messages.ts';
import { BUILT_IN_COMPONENTS } from '../metadata/registry.ts';
import { commandPrefix } from '../lib/io.ts';

export interface ExplainLink {
  /** Stable id: user-active, service-user, omni-enabled, presence-configuration, online-status, queue-member, routing-configuration, queue-objects, status-channel, capacity, interruptible-capacity, skills. */
  check: string;
  /** true ok, false broken, null cannot be told (offline). */
  ok: boolean | null;
  detail: string;
  fix?: string;
  /** The queue the link is about (queue links only). */
  queue?: string;
}

export interface ExplainQueue {
  name: string;
  /** How the user is a member: direct, via public group X, or null (not a member). */
  membership: string | null;
  canReceiveWork: boolean;
}

export interface ExplainReport {
  user: string;
  /** null: cannot be told offline (no queue of the source links them; the org may). */
  canReceiveWork: boolean | null;
  queues: ExplainQueue[];
  links: ExplainLink[];
  /** The first broken link (what to fix first), if any. */
  firstBroken: ExplainLink | null;
  mode: 'org' | 'offline';
}

interface Status {
  id: string;
  name: string;
  channels: string[];
}
interface Channel {
  id: string;
  name: string;
  entity: string;
  interruptible: boolean;
}

/** Finishes a report: a queue can receive work when no link of it (or of the agent) is broken or unknown. */
function finish(user: string, links: ExplainLink[], queues: Array<Omit<ExplainQueue, 'canReceiveWork'>>, mode: ExplainReport['mode']): ExplainReport {
  const agentOk = links.filter((l) => !l.queue).every((l) => l.ok === true);
  const out: ExplainQueue[] = queues.map((q) => ({ ...q, canReceiveWork: agentOk && links.filter((l) => l.queue === q.name).every((l) => l.ok === true) }));
  const canReceiveWork = out.length > 0 && out.some((q) => q.canReceiveWork);
  return { user, canReceiveWork, queues: out, links, firstBroken: links.find((l) => l.ok === false) ?? links.find((l) => l.ok === null) ?? null, mode };
}

/**
 * Explains one agent against the org. `queue` limits the walk to one queue (developer name, any case);
 * without it every queue the agent is a member of. Throws nothing for a broken chain: it is the report.
 */
export async function explainInOrg(api: OrgApi, username: string, options: { queue?: string; omniEnabled: boolean }): Promise<ExplainReport> {
  const links: ExplainLink[] = [];
  const users = await queryUser(api, username);
  const u = users[0];
  if (!u) {
    // A production username in a sandbox (`.<sandbox>` appended), a typo: the org's likeliest user.
    const miss: { kind: string; value: string; suggestion?: string } = { kind: 'username', value: username };
    await suggestUsers(api, [miss]);
    const didYouMean = miss.suggestion ? ` ${messageText('explain-checks', 'user-active.didYouMean', [miss.suggestion])}` : '';
    links.push({ check: 'user-active', ok: false, detail: messageText('explain-checks', 'user-active.unknown', [username, didYouMean]), fix: messageText('explain-checks', 'user-active.fix.unknown') });
    return finish(username, links, [], 'org');
  }
  links.push(
    u.IsActive
      ? { check: 'user-active', ok: true, detail: messageText('explain-checks', 'user-active.ok', [u.Username, u.Profile?.Name ?? u.ProfileId]) }
      : { check: 'user-active', ok: false, detail: messageText('explain-checks', 'user-active.inactive', [u.Username]), fix: messageText('explain-checks', 'user-active.fix.inactive') },
  );
  if (u.UserPermissionsSupportUser !== undefined) {
    links.push(
      u.UserPermissionsSupportUser
        ? { check: 'service-user', ok: true, detail: messageText('explain-checks', 'service-user.ok') }
        : { check: 'service-user', ok: false, detail: messageText('explain-checks', 'service-user.missing'), fix: messageText('explain-checks', 'service-user.fix') },
    );
  }
  links.push(options.omniEnabled ? { check: 'omni-enabled', ok: true, detail: messageText('explain-checks', 'omni-enabled.ok') } : { check: 'omni-enabled', ok: false, detail: messageText('explain-checks', 'omni-enabled.off'), fix: messageText('explain-checks', 'omni-enabled.fix', [commandPrefix()]) });
  if (!options.omniEnabled) return finish(u.Username, links, [], 'org');

  // Effective presence configuration: user row, else profile row, else the org default.
  const [configs, userRow, profileRow] = await Promise.all([
    api.query<{ Id: string; DeveloperName: string; Capacity: number; InterruptibleCapacity: number | null }>('SELECT Id, DeveloperName, Capacity, InterruptibleCapacity FROM PresenceUserConfig'),
    api.query<{ PresenceUserConfigId: string }>(`SELECT PresenceUserConfigId FROM PresenceUserConfigUser WHERE UserId = ${soqlQuote(u.Id)}`),
    api.query<{ PresenceUserConfigId: string }>(`SELECT PresenceUserConfigId FROM PresenceUserConfigProfile WHERE ProfileId = ${soqlQuote(u.ProfileId)}`),
  ]);
  const configById = new Map(configs.map((c) => [c.Id, c]));
  // The org's default configuration (registry builtIns orgDefault) holds everyone without another one.
  const fallback = configs.find((c) => BUILT_IN_COMPONENTS.some((b) => b.orgDefault && b.developerName.toLowerCase() === c.DeveloperName.toLowerCase()));
  const config = configById.get(userRow[0]?.PresenceUserConfigId ?? '') ?? configById.get(profileRow[0]?.PresenceUserConfigId ?? '') ?? fallback;
  const source = userRow[0]
    ? messageText('explain-checks', 'presence-configuration.source.user')
    : profileRow[0]
      ? messageText('explain-checks', 'presence-configuration.source.profile', [u.Profile?.Name ?? '']).trim()
      : messageText('explain-checks', 'presence-configuration.source.default');
  links.push(
    config
      ? { check: 'presence-configuration', ok: true, detail:
            config.InterruptibleCapacity != null
              ? messageText('explain-checks', 'presence-configuration.ok.interruptible', [config.DeveloperName, source, config.Capacity, config.InterruptibleCapacity])
              : messageText('explain-checks', 'presence-configuration.ok', [config.DeveloperName, source, config.Capacity]),
        }
      : { check: 'presence-configuration', ok: false, detail: messageText('explain-checks', 'presence-configuration.none'), fix: messageText('explain-checks', 'presence-configuration.fix', [u.Username, commandPrefix()]) },
  );

  // Statuses the agent may select, and their channels.
  const [statusRows, channelStatus, channelRows, assigned, profileSets] = await Promise.all([
    api.query<{ Id: string; DeveloperName: string }>('SELECT Id, DeveloperName FROM ServicePresenceStatus'),
    api.query<{ ServicePresenceStatusId: string; ServiceChannelId: string }>('SELECT ServicePresenceStatusId, ServiceChannelId FROM ServiceChannelStatus'),
    api.query<{ Id: string; DeveloperName: string; RelatedEntity: string; IsInterruptible: boolean }>('SELECT Id, DeveloperName, RelatedEntity, IsInterruptible FROM ServiceChannel'),
    api.query<{ PermissionSetId: string }>(`SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${soqlQuote(u.Id)}`),
    api.query<{ Id: string }>(`SELECT Id FROM PermissionSet WHERE IsOwnedByProfile = true AND ProfileId = ${soqlQuote(u.ProfileId)}`),
  ]);
  const channels = new Map<string, Channel>(channelRows.map((c) => [c.Id, { id: c.Id, name: c.DeveloperName, entity: c.RelatedEntity, interruptible: c.IsInterruptible === true }]));
  const statuses: Status[] = statusRows.map((s) => ({ id: s.Id, name: s.DeveloperName, channels: channelStatus.filter((r) => r.ServicePresenceStatusId === s.Id).map((r) => r.ServiceChannelId) }));
  const setIds = [...new Set([...assigned.map((a) => a.PermissionSetId), ...profileSets.map((p) => p.Id)])];
  const grants = setIds.length ? await api.queryIn<{ ParentId: string; SetupEntityId: string }>(setIds, (list) => `SELECT ParentId, SetupEntityId FROM SetupEntityAccess WHERE ParentId IN ${list}`) : [];
  const granted = statuses.filter((s) => grants.some((g) => g.SetupEntityId === s.id));
  const online = granted.filter((s) => s.channels.length > 0);
  links.push(
    online.length
      ? { check: 'online-status', ok: true, detail: onlineDetail(online, granted, channels) }
      : {
          check: 'online-status',
          ok: false,
          detail: granted.length ? messageText('explain-checks', 'online-status.onlyAway', [granted.map((s) => s.name).join(', ')]) : messageText('explain-checks', 'online-status.none'),
          fix: await grantFix(api, u.Username, statuses.filter((s) => s.channels.length), messageText('explain-checks', 'online-status.what')),
        },
  );

  // Queues: the one asked for, or every queue the agent is a member of (directly or via public groups).
  const queues = await api.query<{ Id: string; DeveloperName: string; QueueRoutingConfigId: string | null }>("SELECT Id, DeveloperName, QueueRoutingConfigId FROM Group WHERE Type = 'Queue'");
  const membership = await membershipOf(api, u.Id);
  let selected = queues.filter((q) => membership.has(q.Id));
  if (options.queue) {
    const q = queues.find((x) => x.DeveloperName.toLowerCase() === options.queue!.toLowerCase());
    if (!q) {
      links.push({ check: 'queue-member', ok: false, queue: options.queue, detail: messageText('explain-checks', 'queue-member.unknownQueue', [options.queue]), fix: messageText('explain-checks', 'queue-member.fix.unknownQueue', [`${queues.slice(0, 8).map((x) => x.DeveloperName).join(', ')}${queues.length > 8 ? ', …' : ''}`]) });
      return finish(u.Username, links, [{ name: options.queue, membership: null }], 'org');
    }
    selected = [q];
  }
  if (!selected.length) {
    links.push({ check: 'queue-member', ok: false, detail: messageText('explain-checks', 'queue-member.noQueue', [u.Username]), fix: messageText('explain-checks', 'queue-member.fix.noQueue', [u.Username, commandPrefix()]) });
    return finish(u.Username, links, [], 'org');
  }
  const routingIds = [...new Set(selected.map((q) => q.QueueRoutingConfigId).filter((x): x is string => Boolean(x)))];
  const [routings, objects] = await Promise.all([
    routingIds.length ? api.queryIn<{ Id: string; DeveloperName: string; CapacityWeight: number | null; CapacityPercentage: number | null }>(routingIds, (list) => `SELECT Id, DeveloperName, CapacityWeight, CapacityPercentage FROM QueueRoutingConfig WHERE Id IN ${list}`) : Promise.resolve([]),
    api.queryIn<{ QueueId: string; SobjectType: string }>(selected.map((q) => q.Id), (list) => `SELECT QueueId, SobjectType FROM QueueSobject WHERE QueueId IN ${list}`),
  ]);
  const routingSkills = await skillsOf(api, routingIds);
  const agentSkills = routingSkills.size ? await agentSkillsOf(api, u.Id) : new Set<string>();
  const out: Array<Omit<ExplainQueue, 'canReceiveWork'>> = [];
  for (const q of selected) {
    const name = q.DeveloperName;
    const how = membership.get(q.Id) ?? null;
    out.push({ name, membership: how });
    links.push(how ? { check: 'queue-member', ok: true, queue: name, detail: messageText('explain-checks', 'queue-member.ok', [name, how]) } : { check: 'queue-member', ok: false, queue: name, detail: messageText('explain-checks', 'queue-member.notMember', [u.Username, name]), fix: messageText('explain-checks', 'queue-member.fix', [name, u.Username, commandPrefix()]) });
    const routing = routings.find((r) => r.Id === q.QueueRoutingConfigId);
    if (!routing) {
      links.push({ check: 'routing-configuration', ok: false, queue: name, detail: messageText('explain-checks', 'routing-configuration.none', [name]), fix: messageText('explain-checks', 'routing-configuration.fix', [name]) });
      continue;
    }
    links.push({ check: 'routing-configuration', ok: true, queue: name, detail:
        routing.CapacityWeight != null
          ? messageText('explain-checks', 'routing-configuration.ok.weight', [routing.DeveloperName, routing.CapacityWeight])
          : messageText('explain-checks', 'routing-configuration.ok.percentage', [routing.DeveloperName, `${routing.CapacityPercentage}%`]),
    });
    const types = objects.filter((o) => o.QueueId === q.Id).map((o) => o.SobjectType);
    const queueChannels = [...channels.values()].filter((c) => types.some((t) => t.toLowerCase() === c.entity.toLowerCase()));
    links.push(
      queueChannels.length
        ? { check: 'queue-objects', ok: true, queue: name, detail: messageText('explain-checks', 'queue-objects.ok', [types.join(', '), queueChannels.map((c) => messageText('explain-checks', 'queue-objects.channel', [c.name, c.entity])).join(', ')]) }
        : {
            check: 'queue-objects',
            ok: false,
            queue: name,
            detail: types.length ? countText('explain-checks', 'queue-objects.unrouted', types.length, [types.join(', ')]) : messageText('explain-checks', 'queue-objects.none', [name]),
            fix: types.length ? messageText('explain-checks', 'queue-objects.fix.channel', [types[0]]) : messageText('explain-checks', 'queue-objects.fix.object', [name]),
          },
    );
    if (queueChannels.length) {
      const ids = new Set(queueChannels.map((c) => c.id));
      const usable = online.filter((s) => s.channels.some((c) => ids.has(c)));
      links.push(
        usable.length
          ? { check: 'status-channel', ok: true, queue: name, detail: messageText('explain-checks', 'status-channel.ok', [usable.map((s) => s.name).join(', '), queueChannels.map((c) => c.name).join(', ')]) }
          : {
              check: 'status-channel',
              ok: false,
              queue: name,
              detail: messageText('explain-checks', 'status-channel.none', [queueChannels.map((c) => c.name).join(', ')]),
              fix: await grantFix(api, u.Username, statuses.filter((s) => s.channels.some((c) => ids.has(c))), messageText('explain-checks', 'status-channel.what', [queueChannels.map((c) => c.name).join(' or ')])),
            },
      );
    }
    if (config && routing.CapacityWeight != null) {
      const interruptible = queueChannels.length > 0 && queueChannels.every((c) => c.interruptible);
      const capacity = interruptible && config.InterruptibleCapacity != null ? config.InterruptibleCapacity : config.Capacity;
      const byInterruptible = interruptible && config.InterruptibleCapacity != null;
      const which = byInterruptible ? messageText('explain-checks', 'capacity.name.interruptible') : messageText('explain-checks', 'capacity.name');
      links.push(
        routing.CapacityWeight <= capacity
          ? { check: interruptible ? 'interruptible-capacity' : 'capacity', ok: true, queue: name, detail: messageText('explain-checks', 'capacity.ok', [routing.CapacityWeight, routing.DeveloperName, which, capacity, config.DeveloperName]) }
          : { check: interruptible ? 'interruptible-capacity' : 'capacity', ok: false, queue: name, detail: messageText('explain-checks', 'capacity.below', [which, capacity, config.DeveloperName, routing.CapacityWeight, routing.DeveloperName]), fix: messageText('explain-checks', 'capacity.fix', [byInterruptible ? 'interruptibleCapacity' : 'capacity', config.DeveloperName, routing.CapacityWeight, routing.DeveloperName, capacity]) },
      );
    }
    const needed = routingSkills.get(routing.Id) ?? [];
    if (needed.length) {
      const missing = needed.filter((s) => !agentSkills.has(s.toLowerCase()));
      links.push(missing.length ? { check: 'skills', ok: false, queue: name, detail: messageText('explain-checks', 'skills.missing', [routing.DeveloperName, needed.join(', '), missing.join(', ')]), fix: messageText('explain-checks', 'skills.fix', [missing[0], u.Username, commandPrefix()]) } : { check: 'skills', ok: true, queue: name, detail: messageText('explain-checks', 'skills.ok', [needed.join(', ')]) });
    }
  }
  return finish(u.Username, links, out, 'org');
}

/** The online-status link's detail: each online status with its channels, then the statuses without any. */
function onlineDetail(online: Status[], granted: Status[], channels: ReadonlyMap<string, Channel>): string {
  const listed = online.map((s) => messageText('explain-checks', 'online-status.item', [s.name, s.channels.map((c) => channels.get(c)?.name ?? c).join(', ')])).join('; ');
  const away = granted.filter((s) => !s.channels.length).map((s) => s.name);
  return away.length ? messageText('explain-checks', 'online-status.ok.alsoAway', [listed, away.join(', ')]) : messageText('explain-checks', 'online-status.ok', [listed]);
}

type UserRow = { Id: string; Username: string; IsActive: boolean; ProfileId: string; Profile?: { Name: string } | null; UserPermissionsSupportUser?: boolean };

async function queryUser(api: OrgApi, username: string): Promise<UserRow[]> {
  const where = `WHERE Username = ${soqlQuote(username)}`;
  try {
    return await api.query<UserRow>(`SELECT Id, Username, IsActive, ProfileId, Profile.Name, UserPermissionsSupportUser FROM User ${where}`);
  } catch {
    // An org (or API version) without the license field: the link is left out rather than guessed.
    return api.query<UserRow>(`SELECT Id, Username, IsActive, ProfileId, Profile.Name FROM User ${where}`);
  }
}

/**
 * Queue and group Id → how the user belongs: "directly", or "via public group X" (nested up to four
 * levels), or "via All Internal Users" for the organization group.
 */
async function membershipOf(api: OrgApi, userId: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const groups = await api.query<{ Id: string; DeveloperName: string; Type: string }>("SELECT Id, DeveloperName, Type FROM Group WHERE Type IN ('Regular', 'Organization')");
  const nameOf = new Map(groups.map((g) => [g.Id, g.DeveloperName]));
  const directly = messageText('explain-checks', 'membership.direct');
  let frontier: Array<{ id: string; how: string }> = [{ id: userId, how: directly }];
  for (const g of groups.filter((x) => x.Type === 'Organization')) frontier.push({ id: g.Id, how: messageText('explain-checks', 'membership.organization', [g.DeveloperName]) });
  for (let depth = 0; depth < 4 && frontier.length; depth++) {
    const rows = await api.queryIn<{ GroupId: string; UserOrGroupId: string }>(frontier.map((f) => f.id), (list) => `SELECT GroupId, UserOrGroupId FROM GroupMember WHERE UserOrGroupId IN ${list}`);
    const next: typeof frontier = [];
    for (const r of rows) {
      const from = frontier.find((f) => f.id === r.UserOrGroupId)!;
      const how = from.id === userId ? directly : from.how;
      if (out.has(r.GroupId)) continue;
      out.set(r.GroupId, how);
      if (nameOf.has(r.GroupId)) next.push({ id: r.GroupId, how: from.id === userId ? messageText('explain-checks', 'membership.publicGroup', [nameOf.get(r.GroupId)]) : from.how });
    }
    frontier = next;
  }
  return out;
}

/** Routing configuration Id → skill developer names (QueueRoutingConfigSkill, where the org has it). */
async function skillsOf(api: OrgApi, routingIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (!routingIds.length) return map;
  try {
    const rows = await api.queryIn<{ QueueRoutingConfigId: string; Skill: { DeveloperName: string } | null }>(routingIds, (list) => `SELECT QueueRoutingConfigId, Skill.DeveloperName FROM QueueRoutingConfigSkill WHERE QueueRoutingConfigId IN ${list}`);
    for (const r of rows) if (r.Skill) map.set(r.QueueRoutingConfigId, [...(map.get(r.QueueRoutingConfigId) ?? []), r.Skill.DeveloperName]);
  } catch {
    // No skills-based routing in this org: nothing to check.
  }
  return map;
}

async function agentSkillsOf(api: OrgApi, userId: string): Promise<Set<string>> {
  try {
    const rows = await api.query<{ Skill: { DeveloperName: string } | null }>(`SELECT Skill.DeveloperName FROM ServiceResourceSkill WHERE ServiceResource.RelatedRecordId = ${soqlQuote(userId)}`);
    return new Set(rows.map((r) => r.Skill?.DeveloperName.toLowerCase() ?? '').filter(Boolean));
  } catch {
    return new Set();
  }
}

/** The fix for a missing status: the permission sets that grant one of `candidates`, by name. */
async function grantFix(api: OrgApi, username: string, candidates: Status[], what: string): Promise<string> {
  if (!candidates.length) return messageText('explain-checks', 'grant.noStatus');
  const grants = await api.queryIn<{ ParentId: string; SetupEntityId: string }>(candidates.map((s) => s.id), (list) => `SELECT ParentId, SetupEntityId FROM SetupEntityAccess WHERE SetupEntityId IN ${list}`);
  const sets = grants.length ? await api.queryIn<{ Id: string; Name: string; IsOwnedByProfile: boolean }>([...new Set(grants.map((g) => g.ParentId))], (list) => `SELECT Id, Name, IsOwnedByProfile FROM PermissionSet WHERE Id IN ${list}`) : [];
  const assignable = sets.filter((s) => !s.IsOwnedByProfile);
  if (assignable.length) {
    const set = assignable[0];
    const status = candidates.find((s) => grants.some((g) => g.ParentId === set.Id && g.SetupEntityId === s.id))!;
    return messageText('explain-checks', 'grant.assign', [set.Name, status.name, username, set.Name, username]);
  }
  return messageText('explain-checks', 'grant.grant', [what, candidates.map((s) => s.name).join(', '), username]);
}
