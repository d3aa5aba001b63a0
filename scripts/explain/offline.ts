/**
 * `omni explain --offline`: the part of the chain the source and the assignment files can answer —
 * which configuration and queues the files give the user, the queue's routing configuration, its objects
 * against the channels, a status taking work from those channels, and capacity against the routing
 * weight. What only the org knows (active, license, granted statuses, group membership) is ok: null.
 */
import { loadAssignmentFile } from '../assign/assignment-file.ts';
import type { DesiredAssignments } from '../assign/config.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { childNumber, childText, nodesAt, textOf } from '../validate/nodes.ts';
import type { ExplainLink, ExplainQueue, ExplainReport } from './explain.ts';
import { countText, messageText, warningText } from '../lib/messages.ts';
import { commandPrefix } from '../lib/io.ts';

const lower = (s: string) => s.toLowerCase();

/** Public groups every internal user belongs to (the Organization group's developer name), lower-cased. */
const ORGANIZATION_GROUPS: ReadonlySet<string> = new Set(['allinternalusers']);

/** Explains `username` from documents and assignment files (absolute paths; shown relative as given). */
export function explainOffline(documents: readonly MetadataDocument[], files: Array<{ file: string; shown: string }>, username: string, options: { queue?: string }): { report: ExplainReport; warnings: string[] } {
  const warnings: string[] = [];
  const desired: DesiredAssignments[] = [];
  for (const f of files) {
    const loaded = loadAssignmentFile(f.file, f.shown);
    if (loaded.desired) desired.push(loaded.desired);
    else warnings.push(loaded.problems.length === 1 ? warningText('AssignmentFileSkipped.one', [f.shown, commandPrefix(), f.shown]) : warningText('AssignmentFileSkipped', [f.shown, loaded.problems.length, commandPrefix(), f.shown]));
  }
  const byType = (type: string) => documents.filter((d) => d.type.name === type);
  const find = (type: string, name: string) => byType(type).find((d) => lower(d.fullName) === lower(name));
  const named = (u: { kind: string; value: string }) => u.kind === 'username' && lower(u.value) === lower(username);
  const links: ExplainLink[] = [
    { check: 'user-active', ok: null, detail: messageText('explain-checks', 'user-active.offline') },
  ];

  const configName = desired.flatMap((d) => d.users).find(named)?.config;
  const config = configName ? find('PresenceUserConfig', configName) : undefined;
  const capacity = config ? childNumber(config.root, 'capacity') : undefined;
  const interruptibleCapacity = config ? childNumber(config.root, 'interruptibleCapacity') : undefined;
  links.push(
    config
      ? {
          check: 'presence-configuration',
          ok: true,
          detail:
            interruptibleCapacity !== undefined
              ? messageText('explain-checks', 'presence-configuration.offline.ok.interruptible', [configName, capacity ?? '?', interruptibleCapacity])
              : messageText('explain-checks', 'presence-configuration.offline.ok', [configName, capacity ?? '?']),
        }
      : configName
        ? { check: 'presence-configuration', ok: false, detail: messageText('explain-checks', 'presence-configuration.offline.notInSource', [configName]), fix: messageText('explain-checks', 'presence-configuration.fix.offline', [configName]) }
        : { check: 'presence-configuration', ok: null, detail: messageText('explain-checks', 'presence-configuration.offline.unknown', [username]) },
  );
  links.push({ check: 'online-status', ok: null, detail: messageText('explain-checks', 'online-status.offline') });

  // Queues: the one asked for, else those the files or the Queue metadata list the user in.
  const queueDocs = byType('Queue');
  const fileQueues = new Set(desired.flatMap((d) => d.queues?.users ?? []).filter(named).map((u) => lower(u.config)));
  const xmlQueues = new Set(queueDocs.filter((q) => nodesAt(q.root, 'queueMembers.users.user').some((n) => lower(textOf(n) ?? '') === lower(username))).map((q) => lower(q.fullName)));
  // Members the source names but cannot resolve (other public groups, roles): the org tells. The
  // organization-wide group (AllInternalUsers) holds every internal user: a member, as the org says.
  const groupsOf = (q: MetadataDocument) => nodesAt(q.root, 'queueMembers.publicGroups.publicGroup').map((n) => textOf(n) ?? '').filter(Boolean);
  const rolesOf = (q: MetadataDocument) => ['roles.role', 'roleAndSubordinates.roleAndSubordinate', 'roleAndSubordinatesInternal.roleAndSubordinateInternal'].flatMap((at) => nodesAt(q.root, `queueMembers.${at}`).map((n) => textOf(n) ?? '')).filter(Boolean);
  const viaGroups = queueDocs.filter((q) => groupsOf(q).length || rolesOf(q).length).map((q) => lower(q.fullName));
  const wanted = options.queue ? [options.queue] : [...new Set([...fileQueues, ...xmlQueues, ...viaGroups])];
  const queues: Array<Omit<ExplainQueue, 'canReceiveWork'>> = [];
  if (!wanted.length) links.push({ check: 'queue-member', ok: null, detail: messageText('explain-checks', 'queue-member.offline.unlisted', [username]) });
  for (const name of wanted) {
    const q = find('Queue', name);
    const shown = q?.fullName ?? name;
    const groups = q ? groupsOf(q) : [];
    const roles = q ? rolesOf(q) : [];
    const everyone = groups.find((g) => ORGANIZATION_GROUPS.has(lower(g)));
    const direct = fileQueues.has(lower(name))
      ? messageText('explain-checks', 'membership.direct.file')
      : xmlQueues.has(lower(name))
        ? messageText('explain-checks', 'membership.direct.metadata')
        : everyone
          ? messageText('explain-checks', 'membership.organization', [everyone])
          : null;
    const unresolved = [...groups, ...roles];
    queues.push({ name: shown, membership: direct });
    links.push(
      direct
        ? { check: 'queue-member', ok: true, queue: shown, detail: messageText('explain-checks', 'queue-member.ok', [shown, direct]) }
        : unresolved.length
          ? { check: 'queue-member', ok: null, queue: shown, detail: countText('explain-checks', 'queue-member.offline.groups', unresolved.length, [shown, unresolved.join(', ')]) }
          : { check: 'queue-member', ok: false, queue: shown, detail: messageText('explain-checks', 'queue-member.offline.none', [username, shown]), fix: messageText('explain-checks', 'queue-member.fix.offline', [shown, username, commandPrefix()]) },
    );
    if (!q) {
      links.push({ check: 'routing-configuration', ok: false, queue: shown, detail: messageText('explain-checks', 'routing-configuration.queueNotInSource', [shown]), fix: messageText('explain-checks', 'routing-configuration.fix.queueNotInSource', [shown]) });
      continue;
    }
    const routingName = childText(q.root, 'queueRoutingConfig');
    const routing = routingName ? find('QueueRoutingConfig', routingName) : undefined;
    if (!routing) {
      links.push({ check: 'routing-configuration', ok: false, queue: shown, detail: routingName ? messageText('explain-checks', 'routing-configuration.notInSource', [routingName]) : messageText('explain-checks', 'routing-configuration.none', [shown]), fix: messageText('explain-checks', 'routing-configuration.fix.offline', [shown]) });
      continue;
    }
    const weight = childNumber(routing.root, 'capacityWeight');
    links.push({ check: 'routing-configuration', ok: true, queue: shown, detail:
        weight !== undefined
          ? messageText('explain-checks', 'routing-configuration.ok.weight', [routing.fullName, weight])
          : messageText('explain-checks', 'routing-configuration.ok.percentage', [routing.fullName, `${childNumber(routing.root, 'capacityPercentage') ?? '?'}%`]),
    });
    const types = nodesAt(q.root, 'queueSobject.sobjectType').map((n) => textOf(n) ?? '').filter(Boolean);
    const channels = byType('ServiceChannel').filter((c) => types.some((t) => lower(t) === lower(childText(c.root, 'relatedEntityType') ?? '')));
    links.push(
      channels.length
        ? { check: 'queue-objects', ok: true, queue: shown, detail: messageText('explain-checks', 'queue-objects.ok', [types.join(', '), channels.map((c) => c.fullName).join(', ')]) }
        : {
            check: 'queue-objects',
            ok: false,
            queue: shown,
            detail: types.length ? countText('explain-checks', 'queue-objects.offline.unrouted', types.length, [types.join(', ')]) : messageText('explain-checks', 'queue-objects.none', [shown]),
            fix: types.length ? messageText('explain-checks', 'queue-objects.fix.offline.channel', [types[0]]) : messageText('explain-checks', 'queue-objects.fix.offline.object', [shown]),
          },
    );
    if (channels.length) {
      const names = new Set(channels.map((c) => lower(c.fullName)));
      const statuses = byType('ServicePresenceStatus').filter((s) => nodesAt(s.root, 'channels.channel').some((n) => names.has(lower(textOf(n) ?? ''))));
      links.push(
        statuses.length
          ? { check: 'status-channel', ok: null, queue: shown, detail: messageText('explain-checks', 'status-channel.offline.ok', [statuses.map((s) => s.fullName).join(', '), channels.map((c) => c.fullName).join(', ')]) }
          : { check: 'status-channel', ok: false, queue: shown, detail: messageText('explain-checks', 'status-channel.offline.none', [channels.map((c) => c.fullName).join(', ')]), fix: messageText('explain-checks', 'status-channel.fix') },
      );
      if (config && weight !== undefined && capacity !== undefined) {
        const interruptible = channels.every((c) => childText(c.root, 'isInterruptible') === 'true') && interruptibleCapacity !== undefined;
        const have = interruptible ? interruptibleCapacity! : capacity;
        const which = interruptible ? messageText('explain-checks', 'capacity.name.interruptible') : messageText('explain-checks', 'capacity.name');
        links.push(
          weight <= have
            ? { check: interruptible ? 'interruptible-capacity' : 'capacity', ok: true, queue: shown, detail: messageText('explain-checks', 'capacity.ok', [weight, routing.fullName, which, have, config.fullName]) }
            : { check: interruptible ? 'interruptible-capacity' : 'capacity', ok: false, queue: shown, detail: messageText('explain-checks', 'capacity.below', [which, have, config.fullName, weight, routing.fullName]), fix: messageText('explain-checks', 'capacity.fix', [interruptible ? 'interruptibleCapacity' : 'capacity', config.fullName, weight, routing.fullName, have]) },
        );
      }
    }
  }
  const agentOk = links.filter((l) => !l.queue).every((l) => l.ok !== false);
  // Offline, "can receive work" means: nothing the source can check is broken (the unknowns are listed).
  const out = queues.map((q) => ({ ...q, canReceiveWork: agentOk && links.filter((l) => l.queue === q.name).every((l) => l.ok !== false) }));
  // No queue the source can link them to: the org may hold queues (or memberships) the project does not,
  // so offline this is unknown, not a "cannot".
  const canReceiveWork = out.length ? out.some((q) => q.canReceiveWork) : agentOk ? null : false;
  const report: ExplainReport = { user: username, canReceiveWork, queues: out, links, firstBroken: links.find((l) => l.ok === false) ?? null, mode: 'offline' };
  return { report, warnings };
}
