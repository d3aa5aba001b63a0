/**
 * `omni explain --offline`: the part of the chain the source and the assignment files can answer —
 * which configuration and queues the files give the user, the queue's routing configuration, its objects
 * against the channels, a status taking work from those channels, and capacity against the routing
 * weight. What only the org knows (active, license, granted statuses, group membership) is ok: null.
 */
import { loadAssignmentFile, type DesiredAssignments } from '../assign/config.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { childNumber, childText, nodesAt, textOf } from '../validate/nodes.ts';
import type { ExplainLink, ExplainQueue, ExplainReport } from './explain.ts';
import { messageText, warningText } from '../lib/messages.ts';
import { commandPrefix } from '../lib/io.ts';

const lower = (s: string) => s.toLowerCase();

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
    { check: 'user-active', ok: null, detail: 'Whether the user is active and a Service Cloud user is checked in the org (run without --offline).' },
  ];

  const configName = desired.flatMap((d) => d.users).find(named)?.config;
  const config = configName ? find('PresenceUserConfig', configName) : undefined;
  const capacity = config ? childNumber(config.root, 'capacity') : undefined;
  const interruptibleCapacity = config ? childNumber(config.root, 'interruptibleCapacity') : undefined;
  links.push(
    config
      ? { check: 'presence-configuration', ok: true, detail: `The assignment file gives ${configName} (capacity ${capacity ?? '?'}${interruptibleCapacity !== undefined ? `, interruptible capacity ${interruptibleCapacity}` : ''}).` }
      : configName
        ? { check: 'presence-configuration', ok: false, detail: `The assignment file gives ${configName}, which is not in the source.`, fix: messageText('explain-checks', 'presence-configuration.fix.offline', [configName]) }
        : { check: 'presence-configuration', ok: null, detail: `No assignment file names ${username} by username; their profile's (or the default) configuration applies, which only the org can tell.` },
  );
  links.push({ check: 'online-status', ok: null, detail: 'Granted statuses (profile and permission sets) are checked in the org.' });

  // Queues: the one asked for, else those the files or the Queue metadata list the user in.
  const queueDocs = byType('Queue');
  const fileQueues = new Set(desired.flatMap((d) => d.queues?.users ?? []).filter(named).map((u) => lower(u.config)));
  const xmlQueues = new Set(queueDocs.filter((q) => nodesAt(q.root, 'queueMembers.users.user').some((n) => lower(textOf(n) ?? '') === lower(username))).map((q) => lower(q.fullName)));
  const wanted = options.queue ? [options.queue] : [...new Set([...fileQueues, ...xmlQueues])];
  const queues: Array<Omit<ExplainQueue, 'canReceiveWork'>> = [];
  if (!wanted.length) links.push({ check: 'queue-member', ok: null, detail: `No assignment file or Queue file lists ${username}; membership through groups and roles is checked in the org.` });
  for (const name of wanted) {
    const q = find('Queue', name);
    const shown = q?.fullName ?? name;
    const direct = fileQueues.has(lower(name)) ? 'directly (assignment file)' : xmlQueues.has(lower(name)) ? 'directly (Queue metadata)' : null;
    const groups = q ? nodesAt(q.root, 'queueMembers.publicGroups.publicGroup').map(textOf).filter(Boolean) : [];
    queues.push({ name: shown, membership: direct });
    links.push(
      direct
        ? { check: 'queue-member', ok: true, queue: shown, detail: `Member of ${shown} ${direct}.` }
        : groups.length
          ? { check: 'queue-member', ok: null, queue: shown, detail: `Not listed for ${shown}; it has the public group member(s) ${groups.join(', ')}, checked in the org.` }
          : { check: 'queue-member', ok: false, queue: shown, detail: `No assignment file or Queue member entry makes ${username} a member of ${shown}.`, fix: messageText('explain-checks', 'queue-member.fix.offline', [shown, username, commandPrefix()]) },
    );
    if (!q) {
      links.push({ check: 'routing-configuration', ok: false, queue: shown, detail: `Queue ${shown} is not in the source.`, fix: messageText('explain-checks', 'routing-configuration.fix.queueNotInSource', [shown]) });
      continue;
    }
    const routingName = childText(q.root, 'queueRoutingConfig');
    const routing = routingName ? find('QueueRoutingConfig', routingName) : undefined;
    if (!routing) {
      links.push({ check: 'routing-configuration', ok: false, queue: shown, detail: routingName ? `Routing configuration ${routingName} is not in the source.` : `Queue ${shown} has no routing configuration: it is not Omni-routed.`, fix: messageText('explain-checks', 'routing-configuration.fix.offline', [shown]) });
      continue;
    }
    const weight = childNumber(routing.root, 'capacityWeight');
    links.push({ check: 'routing-configuration', ok: true, queue: shown, detail: `Routed by ${routing.fullName} (${weight !== undefined ? `capacity weight ${weight}` : `capacity percentage ${childNumber(routing.root, 'capacityPercentage') ?? '?'}%`}).` });
    const types = nodesAt(q.root, 'queueSobject.sobjectType').map((n) => textOf(n) ?? '').filter(Boolean);
    const channels = byType('ServiceChannel').filter((c) => types.some((t) => lower(t) === lower(childText(c.root, 'relatedEntityType') ?? '')));
    links.push(
      channels.length
        ? { check: 'queue-objects', ok: true, queue: shown, detail: `Holds ${types.join(', ')}, routed through channel ${channels.map((c) => c.fullName).join(', ')}.` }
        : { check: 'queue-objects', ok: false, queue: shown, detail: types.length ? `Holds ${types.join(', ')}, but no service channel of the project routes ${types.length === 1 ? 'that object' : 'those objects'}.` : `Queue ${shown} holds no object (queueSobject).`, fix: types.length ? `Add a service channel with relatedEntityType ${types[0]} (channels: in the spec).` : `Add the routed object to queue ${shown} (sobjects: in the spec).` },
    );
    if (channels.length) {
      const names = new Set(channels.map((c) => lower(c.fullName)));
      const statuses = byType('ServicePresenceStatus').filter((s) => nodesAt(s.root, 'channels.channel').some((n) => names.has(lower(textOf(n) ?? ''))));
      links.push(
        statuses.length
          ? { check: 'status-channel', ok: null, queue: shown, detail: `Status ${statuses.map((s) => s.fullName).join(', ')} takes work from ${channels.map((c) => c.fullName).join(', ')}; whether the agent may select it is checked in the org.` }
          : { check: 'status-channel', ok: false, queue: shown, detail: `No status of the project takes work from ${channels.map((c) => c.fullName).join(', ')}.`, fix: messageText('explain-checks', 'status-channel.fix') },
      );
      if (config && weight !== undefined && capacity !== undefined) {
        const interruptible = channels.every((c) => childText(c.root, 'isInterruptible') === 'true') && interruptibleCapacity !== undefined;
        const have = interruptible ? interruptibleCapacity! : capacity;
        const which = interruptible ? 'interruptible capacity' : 'capacity';
        links.push(
          weight <= have
            ? { check: interruptible ? 'interruptible-capacity' : 'capacity', ok: true, queue: shown, detail: `Capacity weight ${weight} of ${routing.fullName} fits the ${which} ${have} of ${config.fullName}.` }
            : { check: interruptible ? 'interruptible-capacity' : 'capacity', ok: false, queue: shown, detail: `The ${which} ${have} of ${config.fullName} is below the capacity weight ${weight} of ${routing.fullName}: a work item never fits.`, fix: messageText('explain-checks', 'capacity.fix', [interruptible ? 'interruptibleCapacity' : 'capacity', config.fullName, weight, routing.fullName, have]) },
        );
      }
    }
  }
  const agentOk = links.filter((l) => !l.queue).every((l) => l.ok !== false);
  // Offline, "can receive work" means: nothing the source can check is broken (the unknowns are listed).
  const out = queues.map((q) => ({ ...q, canReceiveWork: agentOk && links.filter((l) => l.queue === q.name).every((l) => l.ok !== false) }));
  const report: ExplainReport = { user: username, canReceiveWork: out.some((q) => q.canReceiveWork), queues: out, links, firstBroken: links.find((l) => l.ok === false) ?? null, mode: 'offline' };
  return { report, warnings };
}
