/**
 * Work that can never be routed (spec §10 rule 26): a queue whose routing configuration weighs more
 * than the capacity of an agent serving the queue.
 *
 * How agents are linked to queues:
 *  - queues of the project: their `queueMembers` in the source (a deploy makes the org match them):
 *    `users/user` by username, `publicGroups/publicGroup` AllInternalUsers = every agent; other public
 *    groups and roles cannot be expanded from the source → reported as unknown links (warn);
 *  - routed queues only in the org: direct user members from GroupMember where the org lets us read it;
 *    nested groups/roles, or no GroupMember access → unknown links (warn).
 * An agent's configuration is the one the assignment file gives (else the org's current one); its
 * capacity and the routing weights come from the source, else the org. Percentage-based routing
 * (capacityPercentage ≤ 100) always fits and is not compared.
 */
import type { Agent, CheckResult, DoctorContext } from './context.ts';
import { countText, messageText } from '../lib/messages.ts';
import { commandPrefix } from '../lib/io.ts';

export interface CapacityProblem {
  queue: string;
  routingConfig: string;
  weight: number;
  configuration: string;
  capacity: number;
  agents: string[];
}

export async function checkCapacity(ctx: DoctorContext): Promise<CheckResult> {
  const view = await ctx.agents();
  const agents = view.agents.filter((a) => (a.fileConfig ?? a.orgConfig) !== null);
  const capacityOf = (config: string): number | null => ctx.source.configs.get(config.toLowerCase())?.capacity ?? view.orgConfigs.get(config.toLowerCase())?.capacity ?? null;

  const orgRouting = await ctx.api.query<{ Id: string; DeveloperName: string; CapacityWeight: number | null; CapacityPercentage: number | null }>(
    'SELECT Id, DeveloperName, CapacityWeight, CapacityPercentage FROM QueueRoutingConfig',
  );
  const routingById = new Map(orgRouting.map((r) => [r.Id, r.DeveloperName]));
  const weightOf = (name: string): number | null => {
    const s = ctx.source.routing.get(name.toLowerCase());
    if (s) return s.capacityWeight;
    return orgRouting.find((r) => r.DeveloperName.toLowerCase() === name.toLowerCase())?.CapacityWeight ?? null;
  };

  interface Link {
    queue: string;
    routingConfig: string;
    members: Agent[];
    unknown: string[];
  }
  const links: Link[] = [];
  const byUsername = new Map(agents.map((a) => [a.username.toLowerCase(), a]));
  const sourceQueues = new Set(ctx.source.queues.map((q) => q.name.toLowerCase()));
  for (const q of ctx.source.queues) {
    if (!q.routingConfig) continue;
    const members = new Set<Agent>();
    const unknown: string[] = [];
    for (const u of q.users) {
      const a = byUsername.get(u.toLowerCase());
      if (a) members.add(a);
    }
    for (const g of q.publicGroups) {
      if (g === 'AllInternalUsers') for (const a of agents) members.add(a);
      else unknown.push(messageText('doctor-checks', 'capacity.unknown.publicGroup', [g]));
    }
    for (const r of q.roles) unknown.push(messageText('doctor-checks', 'capacity.unknown.role', [r]));
    links.push({ queue: q.name, routingConfig: q.routingConfig, members: [...members], unknown });
  }
  // Routed queues that exist only in the org.
  const orgQueues = await ctx.api.query<{ Id: string; DeveloperName: string; QueueRoutingConfigId: string | null }>("SELECT Id, DeveloperName, QueueRoutingConfigId FROM Group WHERE Type = 'Queue'");
  const extra = orgQueues.filter((q) => q.QueueRoutingConfigId && !sourceQueues.has(q.DeveloperName.toLowerCase()));
  if (extra.length) {
    let members: Array<{ GroupId: string; UserOrGroupId: string }> | null = null;
    try {
      members = await ctx.api.queryIn(extra.map((q) => q.Id), (l) => `SELECT GroupId, UserOrGroupId FROM GroupMember WHERE GroupId IN ${l}`);
    } catch {
      members = null;
    }
    const byId = new Map(agents.map((a) => [a.userId, a]));
    for (const q of extra) {
      const routingConfig = routingById.get(q.QueueRoutingConfigId!) ?? q.QueueRoutingConfigId!;
      if (members === null) {
        links.push({ queue: q.DeveloperName, routingConfig, members: [], unknown: [messageText('doctor-checks', 'capacity.unknown.unreadable')] });
        continue;
      }
      const mine = members.filter((m) => m.GroupId === q.Id);
      const direct = mine.map((m) => byId.get(m.UserOrGroupId)).filter((a): a is Agent => Boolean(a));
      const nested = mine.filter((m) => !m.UserOrGroupId.startsWith('005')).length;
      links.push({ queue: q.DeveloperName, routingConfig, members: direct, unknown: nested ? [countText('doctor-checks', 'capacity.unknown.nested', nested, [nested])] : [] });
    }
  }

  const problems: CapacityProblem[] = [];
  let compared = 0;
  for (const link of links) {
    const weight = weightOf(link.routingConfig);
    if (weight === null) continue;
    const byConfig = new Map<string, string[]>();
    for (const a of link.members) {
      const config = (a.fileConfig ?? a.orgConfig)!;
      (byConfig.get(config) ?? byConfig.set(config, []).get(config)!).push(a.username);
    }
    for (const [config, usernames] of byConfig) {
      const capacity = capacityOf(config);
      if (capacity === null) continue;
      compared++;
      if (capacity < weight) problems.push({ queue: link.queue, routingConfig: link.routingConfig, weight, configuration: config, capacity, agents: usernames.sort() });
    }
  }
  const unknownLinks = links.filter((l) => l.unknown.length).map((l) => ({ queue: l.queue, unknown: l.unknown }));
  const details = { queues: links.map((l) => ({ queue: l.queue, routingConfig: l.routingConfig, weight: weightOf(l.routingConfig), agents: l.members.length, unknown: l.unknown })), problems, unknownLinks };
  if (problems.length) {
    const lines = problems.map((p) => countText('doctor-checks', 'capacity.unroutable.item', p.agents.length, [p.queue, p.routingConfig, p.weight, p.agents.length, p.configuration, p.capacity]));
    return {
      status: 'fail',
      message: messageText('doctor-checks', 'capacity.unroutable', [lines.join('; ')]),
      fix: messageText('doctor-checks', 'capacity.fix'),
      details,
    };
  }
  if (unknownLinks.length) {
    return {
      status: 'warn',
      message: countText('doctor-checks', 'capacity.unknownMembers', compared, [unknownLinks.map((u) => messageText('doctor-checks', 'capacity.unknownMembers.item', [u.queue, u.unknown.join(', ')])).join('; '), compared]),
      fix: messageText('doctor-checks', 'capacity.fix.unknownMembers'),
      details,
    };
  }
  if (!agents.length) return { status: 'warn', message: messageText('doctor-checks', 'capacity.noAgents'), fix: ctx.assignmentsFile ? messageText('doctor-checks', 'fix.assignApply', [commandPrefix(), ctx.assignmentsFile]) : messageText('doctor-checks', 'fix.passAssignments'),
      repairedBySetup: 'assign',
      details,
    };
  const queues = countText('doctor-checks', 'count.routedQueue', links.length, [links.length]);
  const message = messageText('doctor-checks', 'capacity.ok', [queues, countText('doctor-checks', 'count.agent', agents.length, [agents.length]), countText('doctor-checks', 'count.pair', compared, [compared])]);
  return { status: 'ok', message, details };
}
