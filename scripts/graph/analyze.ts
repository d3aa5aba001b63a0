/**
 * The routing as a graph, and what is wrong with it: one analysis behind `omni graph`, the validator's
 * routing findings and `omni doctor`. Nodes are the Omni components (channels, statuses, presence
 * configurations, decline reasons, routing configurations, queues) plus the objects queues hold; edges
 * follow Salesforce's routing chain (Omni-Channel routing overview:
 * https://help.salesforce.com/s/articleView?id=service.omnichannel_routing_overview.htm):
 * status → channel, queue → routing configuration, queue → object → channel (the channel whose
 * relatedEntityType is the object), configuration → status on decline / push timeout, configuration →
 * decline reasons, routing configuration → overflow queue.
 *
 * Pure: input is parsed documents and optional membership facts (assignment files, org counts).
 */
import { FirstByFoldedName } from '../lib/folded-names.ts';
import { messageText, ruleText } from '../lib/messages.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { BUILT_IN_COMPONENTS } from '../metadata/registry.ts';
import type { XmlNode } from '../metadata/xml.ts';
import { child, childNumber, childText, countAt, nodesAt, textOf } from '../validate/nodes.ts';

export type NodeKind = 'channel' | 'status' | 'presenceConfig' | 'declineReason' | 'routingConfig' | 'queue' | 'object';

export interface SourceLocation {
  /** Project-relative path (forward slashes). */
  file: string;
  line?: number;
  column?: number;
}

export interface GraphNode {
  /** `<kind>:<developer name>`, unique in the graph. */
  id: string;
  kind: NodeKind;
  /** Developer name (object API name for objects). */
  name: string;
  label: string;
  /** Facts shown under the name: capacity, weight, routing model, relatedEntityType… */
  details: string[];
  location?: SourceLocation;
  /** A built-in component (sfdc_phone, sfdc_livemessage…) referenced but not in the project. */
  builtIn?: boolean;
  /** With org counts: users holding the configuration (user rows + active users of assigned profiles) or queue members. */
  agents?: number;
  /** Indexes into `RoutingGraph.problems`. */
  problems: number[];
}

export type EdgeKind = 'status-channel' | 'queue-routingConfig' | 'queue-object' | 'object-channel' | 'config-statusOnDecline' | 'config-statusOnPushTimeout' | 'config-declineReason' | 'routingConfig-overflowQueue';

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
}

export type ProblemCode = 'UNUSED_ROUTING_CONFIG' | 'STATUS_WITHOUT_CHANNELS' | 'STATUS_UNREACHED' | 'CONFIG_NOT_HELD' | 'QUEUE_WITHOUT_MEMBERS' | 'OVERFLOW_LOOP';

export interface GraphProblem {
  code: ProblemCode;
  severity: 'warning' | 'info';
  message: string;
  hint: string;
  /** Node ids involved, all marked on the picture (first = the component to change). */
  nodes: string[];
  location?: SourceLocation;
}

export interface RoutingGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  problems: GraphProblem[];
  /** Where membership facts came from: the source (and assignment files) or the org's rows. */
  membership: 'source' | 'org';
}

/** Who holds what, beyond the metadata: assignment files (offline) or the org's counts. */
export interface MembershipFacts {
  kind: 'source' | 'org';
  /** Lower-cased configuration developer name → holders (assignment files: 1 = named somewhere). */
  configHolders: Map<string, number>;
  /** Lower-cased queue developer name → members. */
  queueMembers: Map<string, number>;
}

/** Where a problem sits in the source, for the validator (which reports at an XML node). */
export interface ProblemAnchor {
  doc: MetadataDocument;
  node?: XmlNode;
}

/** Built-in channels every Omni org has (spec §4): developer name → relatedEntityType. */
/** Built-in channels (registry builtIns): developer name → routed object. */
const BUILT_IN_CHANNELS: Readonly<Record<string, string>> = Object.fromEntries(
  BUILT_IN_COMPONENTS.flatMap((b) => (b.relatedEntityType ? [[b.developerName, b.relatedEntityType] as const] : [])),
);
/** The org's default presence configuration(s), lower case: held by everyone without another one. */
const ORG_DEFAULT_CONFIGS = new Set(BUILT_IN_COMPONENTS.filter((b) => b.orgDefault).map((b) => b.developerName.toLowerCase()));

/** Status names that say "not taking work" (Away, Busy, Break…): a status without channels is meant so. */
const AWAY_WORDS = /away|busy|break|lunch|offline|meeting|training|pause|unavailable|wrap|coaching|do.?not.?disturb|after.?call/i;

const lower = (s: string) => s.toLowerCase();

/** A configuration's status roles and the edge each gives. */
const STATUS_ROLE_EDGES = [
  ['presenceStatusOnDecline', 'config-statusOnDecline'],
  ['presenceStatusOnPushTimeout', 'config-statusOnPushTimeout'],
] as const;

/**
 * Builds the graph and its problems. `facts` (optional) says who holds each configuration and who is in
 * each queue beyond the metadata; without facts, membership problems rest on the metadata alone.
 * Components appearing twice (spec and generated XML) count once: the first document wins.
 */
export function analyzeRouting(documents: readonly MetadataDocument[], facts?: MembershipFacts): { graph: RoutingGraph; anchors: Map<GraphProblem, ProblemAnchor> } {
  return analyze(documents, facts, true);
}

/**
 * The problems of {@link analyzeRouting} (the same ones, in the same order, each with its anchor) without the
 * graph: no node or edge per presence configuration, which a project holds by thousands (the validator's
 * routing findings: 10,000 configurations made ~40,000 edges and ~10 MB of graph for a handful of problems,
 * bench/RESULTS.md "Validate at scale"). test/graph/problems.test.ts holds the two to the same problems.
 * `options.membership` false leaves out the membership problems (CONFIG_NOT_HELD, QUEUE_WITHOUT_MEMBERS), which
 * the validator does not report without assignment files: no look at each of 10,000 configurations' holders.
 */
export function routingProblems(
  documents: readonly MetadataDocument[],
  facts?: MembershipFacts,
  options: { membership?: boolean } = {},
): { problems: GraphProblem[]; anchors: Map<GraphProblem, ProblemAnchor> } {
  const { graph, anchors } = analyze(documents, facts, false, options.membership ?? true);
  return { problems: graph.problems, anchors };
}

/**
 * `withGraph` false: presence configurations get no node and no edge (their problems and the statuses their
 * roles name are found the same way), and the returned graph holds only the other components' nodes and edges.
 */
function analyze(documents: readonly MetadataDocument[], facts: MembershipFacts | undefined, withGraph: boolean, withMembership = true): { graph: RoutingGraph; anchors: Map<GraphProblem, ProblemAnchor> } {
  // The first document of each type and name compared without case, in document order: no lower-cased key
  // string per document (the validator passes 20,000 at 10,000 configurations: peak memory, bench/RESULTS.md).
  const firstOfType = new Map<string, FirstByFoldedName>();
  const docsOfType = new Map<string, MetadataDocument[]>();
  const nameOf = (d: number) => documents[d].fullName;
  // Without the graph and the membership problems, configurations matter only for the statuses their roles name,
  // read (and their names compared) only as far as a status without channels needs (meantAway below).
  const lazyConfigs = !withGraph && !withMembership;
  for (let d = 0; d < documents.length; d++) {
    const doc = documents[d];
    if (lazyConfigs && doc.type.name === 'PresenceUserConfig') continue;
    let names = firstOfType.get(doc.type.name);
    if (!names) firstOfType.set(doc.type.name, (names = new FirstByFoldedName(nameOf)));
    if (names.add(d) !== d) continue;
    const list = docsOfType.get(doc.type.name);
    if (list) list.push(doc);
    else docsOfType.set(doc.type.name, [doc]);
  }
  /** The first document of that type whose name equals `name` without case. */
  const docNamed = (type: string, name: string) => {
    const d = firstOfType.get(type)?.find(name) ?? -1;
    return d >= 0 ? documents[d] : undefined;
  };
  const ofType = (type: string) => [...(docsOfType.get(type) ?? [])];
  const nodes = new Map<string, GraphNode>();
  /**
   * Nodes by kind and name, and the first node added per kind and lower-cased name (what a scan in insertion
   * order would find): looked up without building an id string per lookup (10,000 configurations).
   */
  const byName = new Map<NodeKind, Map<string, GraphNode>>();
  const byLowerName = new Map<NodeKind, Map<string, GraphNode>>();
  const edges: GraphEdge[] = [];
  const problems: GraphProblem[] = [];
  const anchors = new Map<GraphProblem, ProblemAnchor>();

  const locate = (doc: MetadataDocument, node?: XmlNode): SourceLocation | undefined => {
    if (!doc.path) return undefined;
    const at = node ?? doc.root;
    return { file: doc.path, line: at.line || undefined, column: at.column || undefined };
  };
  const idOf = (kind: NodeKind, name: string) => `${kind}:${name}`;
  const addNode = (kind: NodeKind, name: string, init: Partial<GraphNode> = {}): GraphNode => {
    let names = byName.get(kind);
    if (!names) {
      byName.set(kind, (names = new Map()));
      byLowerName.set(kind, new Map());
    }
    let node = names.get(name);
    if (!node) {
      const id = idOf(kind, name);
      node = { id, kind, name, label: name, details: [], problems: [], ...init };
      nodes.set(id, node);
      names.set(name, node);
      const folded = byLowerName.get(kind)!;
      const lowered = lower(name);
      if (!folded.has(lowered)) folded.set(lowered, node);
    }
    return node;
  };
  /** The node of that kind and exact name (as `nodes.get(idOf(kind, name))`). */
  const nodeOf = (kind: NodeKind, name: string) => byName.get(kind)?.get(name);
  /**
   * Case-insensitive lookup of an existing node id (developer names are unique ignoring case); through an
   * index, as a scan of every node per reference is quadratic with thousands of configurations.
   */
  const findNode = (kind: NodeKind, name: string) => nodeOf(kind, name) ?? byLowerName.get(kind)?.get(lower(name));
  /**
   * Edges by source node id, for the reachability checks below (a scan of all edges per status is quadratic)
   * and to add each edge once. A node has a handful of edges, so its own list is the duplicate check: no key
   * string per edge (10,000 configurations have ~40,000 edges, bench/RESULTS.md "Validate at scale").
   */
  const edgesFrom = new Map<string, GraphEdge[]>();
  const outgoing = (kind: EdgeKind, from: string) => (edgesFrom.get(from) ?? []).filter((e) => e.kind === kind);
  const addEdge = (from: GraphNode, to: GraphNode, kind: EdgeKind) => {
    const list = edgesFrom.get(from.id);
    if (list?.some((e) => e.to === to.id && e.kind === kind)) return;
    const edge = { from: from.id, to: to.id, kind };
    edges.push(edge);
    if (list) list.push(edge);
    else edgesFrom.set(from.id, [edge]);
  };
  const problem = (p: GraphProblem, anchor?: ProblemAnchor) => {
    const index = problems.push(p) - 1;
    if (anchor) {
      anchors.set(p, anchor);
      // One problem, one location: the element omni validate reports it at (the anchor), on the graph too.
      p.location = locate(anchor.doc, anchor.node) ?? p.location;
    }
    for (const id of p.nodes) nodes.get(id)?.problems.push(index);
  };
  const label = (doc: MetadataDocument, element = 'label') => childText(doc.root, element) || doc.fullName;

  // Nodes from the project, in a stable order: kind by kind, by name.
  // One collator for every comparison (String#localeCompare builds its own per call: 10,000 configurations), set
  // up on the first comparison: ICU's collation data is ~3 MiB of a process's memory (bench/RESULTS.md).
  let collate: Intl.Collator['compare'] | undefined;
  const byFullName = (a: MetadataDocument, b: MetadataDocument) => (collate ??= new Intl.Collator().compare)(a.fullName, b.fullName);
  // Without the graph and without queues, the order of channels, statuses, decline reasons and routing
  // configurations decides nothing a problem says (no queue: no overflow loop, no routed queue to reach a
  // status, no routing configuration to leave unused): only the order of the problems, which the few documents
  // that have one are sorted for below (the same relative order, as the sort is stable). The validator's
  // routing findings then collate nothing for a project without queues.
  const queues = ofType('Queue').sort(byFullName);
  const ordered = withGraph || queues.length > 0;
  const sortedOfType = (type: string) => (ordered ? ofType(type).sort(byFullName) : (docsOfType.get(type) ?? []));
  const channels = sortedOfType('ServiceChannel');
  const statuses = sortedOfType('ServicePresenceStatus');
  // Without the graph the configurations are not sorted: only those with a problem are, below, so 10,000 names
  // are not collated for a handful of problems.
  const configs = withGraph ? ofType('PresenceUserConfig').sort(byFullName) : (docsOfType.get('PresenceUserConfig') ?? []);
  const reasons = sortedOfType('PresenceDeclineReason');
  const routings = sortedOfType('QueueRoutingConfig');

  // Nodes named by a reference but not defined in the project (their details say so).
  const outside = new Set<GraphNode>();
  const external = (node: GraphNode) => (outside.add(node), node);
  for (const doc of channels) {
    const entity = childText(doc.root, 'relatedEntityType');
    addNode('channel', doc.fullName, { label: label(doc), details: entity ? [entity] : [], location: locate(doc) });
  }
  const channelFor = (name: string) => {
    const found = findNode('channel', name);
    if (found) return found;
    const builtIn = Object.hasOwn(BUILT_IN_CHANNELS, name);
    if (builtIn) return addNode('channel', name, { builtIn, details: [BUILT_IN_CHANNELS[name], messageText('graph-output', 'builtIn')] });
    return external(addNode('channel', name, { builtIn, details: [messageText('graph-output', 'notInProject')] }));
  };
  for (const doc of statuses) {
    const node = addNode('status', doc.fullName, { label: label(doc), location: locate(doc) });
    const list = nodesAt(doc.root, 'channels.channel').map(textOf).filter((s): s is string => Boolean(s));
    node.details.push(list.length ? 'online' : 'away/busy');
    for (const c of list) addEdge(node, channelFor(c), 'status-channel');
  }
  for (const doc of reasons) addNode('declineReason', doc.fullName, { label: label(doc), location: locate(doc) });
  // The statuses configurations name as their status on decline / push timeout (ids of their nodes): a status
  // without channels that is one is meant as Away/Busy.
  const roleTargets = new Set<string>();
  const roleStatus = (status: string) => findNode('status', status) ?? external(addNode('status', status, { details: [messageText('graph-output', 'notInProject')] }));
  /**
   * Without the graph, the role statuses are read only when a status without channels asks (below): the same
   * status nodes as the graph's, in an order of their own (a status outside the project is named by the
   * spelling its first configuration gives, which only its lower case, what is compared, makes the same).
   * Each distinct spelling is looked up once, not once per configuration (10,000 name a handful).
   */
  const readRoleTargets = () => {
    const spellings = new Set<string>();
    for (let c = 0; c < configs.length; c++) {
      const root = configs[c].root;
      for (let e = 0; e < STATUS_ROLE_EDGES.length; e++) {
        const status = childText(root, STATUS_ROLE_EDGES[e][0]);
        if (status) spellings.add(status);
      }
    }
    for (const status of spellings) roleTargets.add(roleStatus(status).id);
  };
  for (let c = 0; withGraph && c < configs.length; c++) {
    const doc = configs[c];
    const capacity = childNumber(doc.root, 'capacity');
    const interruptible = childNumber(doc.root, 'interruptibleCapacity');
    const details = [capacity !== undefined ? `capacity ${capacity}` : 'capacity ?'];
    if (interruptible !== undefined) details.push(`interruptible ${interruptible}`);
    const node = addNode('presenceConfig', doc.fullName, { label: label(doc), details, location: locate(doc) });
    // Indexed, no destructuring: per configuration without iterator results (offline commands run without inlining).
    for (let e = 0; e < STATUS_ROLE_EDGES.length; e++) {
      const status = childText(doc.root, STATUS_ROLE_EDGES[e][0]);
      if (!status) continue;
      const target = roleStatus(status);
      roleTargets.add(target.id);
      addEdge(node, target, STATUS_ROLE_EDGES[e][1]);
    }
    const reasonNodes = nodesAt(doc.root, 'declineReasons');
    for (let i = 0; i < reasonNodes.length; i++) {
      const r = textOf(reasonNodes[i]);
      if (r) addEdge(node, findNode('declineReason', r) ?? external(addNode('declineReason', r, { details: [messageText('graph-output', 'notInProject')] })), 'config-declineReason');
    }
  }
  for (const doc of routings) {
    const weight = childNumber(doc.root, 'capacityWeight');
    const percentage = childNumber(doc.root, 'capacityPercentage');
    const details = [childText(doc.root, 'routingModel') ?? '', weight !== undefined ? `weight ${weight}` : percentage !== undefined ? `${percentage}% of capacity` : ''].filter(Boolean);
    const skills = nodesAt(doc.root, 'skills.skill').map(textOf).filter(Boolean);
    if (skills.length) details.push(`skills ${skills.join(', ')}`);
    addNode('routingConfig', doc.fullName, { label: label(doc), details, location: locate(doc) });
  }
  // Channels by routed object, for queue → object → channel.
  const channelByEntity = new Map<string, GraphNode>();
  for (const n of nodes.values()) if (n.kind === 'channel' && n.details[0] && !outside.has(n)) channelByEntity.set(lower(n.details[0]), n);
  for (const doc of queues) {
    const node = addNode('queue', doc.fullName, { label: childText(doc.root, 'name') || doc.fullName, location: locate(doc) });
    const routing = childText(doc.root, 'queueRoutingConfig');
    if (routing) addEdge(node, findNode('routingConfig', routing) ?? external(addNode('routingConfig', routing, { details: [messageText('graph-output', 'notInProject')] })), 'queue-routingConfig');
    else node.details.push('not Omni-routed');
    for (const s of nodesAt(doc.root, 'queueSobject.sobjectType').map(textOf)) {
      if (!s) continue;
      const object = addNode('object', s);
      addEdge(node, object, 'queue-object');
      const builtInChannel = Object.entries(BUILT_IN_CHANNELS).find(([, entity]) => lower(entity) === lower(s));
      const channel = channelByEntity.get(lower(s)) ?? (builtInChannel ? channelFor(builtInChannel[0]) : undefined);
      if (channel) addEdge(object, channel, 'object-channel');
    }
  }
  for (const doc of routings) {
    const overflow = childText(doc.root, 'queueOverflowAssignee');
    if (overflow) addEdge(nodeOf('routingConfig', doc.fullName)!, findNode('queue', overflow) ?? external(addNode('queue', overflow, { details: [messageText('graph-output', 'notInProject')] })), 'routingConfig-overflowQueue');
  }

  // Membership and holders: counts from the org, else the metadata plus the assignment files.
  const orgFacts = facts?.kind === 'org';
  const notHeld: MetadataDocument[] = [];
  for (let c = 0; withMembership && c < configs.length; c++) {
    const doc = configs[c];
    const lowered = lower(doc.fullName);
    const counted = facts?.configHolders.get(lowered);
    if (orgFacts && withGraph) nodeOf('presenceConfig', doc.fullName)!.agents = counted ?? 0;
    if (ORG_DEFAULT_CONFIGS.has(lowered)) continue; // held by everyone without another one
    const held = orgFacts
      ? (counted ?? 0) > 0
      : (counted ?? 0) > 0 || countAt(doc.root, 'assignments.profiles.profile') > 0 || countAt(doc.root, 'assignments.users.user') > 0;
    if (!held) notHeld.push(doc);
  }
  if (!withGraph) notHeld.sort(byFullName);
  for (const doc of notHeld) {
    problem(
      {
        code: 'CONFIG_NOT_HELD',
        // Hygiene, not a routing failure: no agent is left without work by it.
        severity: 'info',
        message: orgFacts ? ruleText('PUC-NOT-HELD.org', [doc.fullName]) : ruleText('PUC-NOT-HELD', [doc.fullName]),
        hint: ruleText('PUC-NOT-HELD.hint', [doc.fullName]),
        nodes: [idOf('presenceConfig', doc.fullName)],
        location: withGraph ? nodeOf('presenceConfig', doc.fullName)!.location : locate(doc),
      },
      { doc },
    );
  }
  for (let q = 0; withMembership && q < queues.length; q++) {
    const doc = queues[q];
    const node = nodeOf('queue', doc.fullName)!;
    const counted = facts?.queueMembers.get(lower(doc.fullName));
    if (orgFacts) node.agents = counted ?? 0;
    const memberNodes = child(doc.root, 'queueMembers')?.children.flatMap((group) => group.children) ?? [];
    // A queue the org does not have yet is created by the deploy with the members its XML lists: the
    // source tells for it; a queue the org has is as the org says.
    const inOrg = orgFacts && counted !== undefined;
    const held = inOrg ? (counted ?? 0) > 0 : memberNodes.length > 0 || (counted ?? 0) > 0;
    if (held) continue;
    problem(
      {
        code: 'QUEUE_WITHOUT_MEMBERS',
        severity: orgFacts ? 'warning' : 'info',
        message: inOrg ? ruleText('QUEUE-NO-MEMBERS.org', [doc.fullName]) : ruleText('QUEUE-NO-MEMBERS', [doc.fullName]),
        hint: ruleText('QUEUE-NO-MEMBERS.hint', [doc.fullName]),
        nodes: [node.id],
        location: node.location,
      },
      { doc, node: child(doc.root, 'queueMembers') },
    );
  }

  // Routing configurations no queue uses (only knowable when the project manages queues).
  if (queues.length) {
    const used = new Set(edges.filter((e) => e.kind === 'queue-routingConfig').map((e) => lower(e.to)));
    for (const doc of routings) {
      const node = nodeOf('routingConfig', doc.fullName)!;
      if (used.has(lower(node.id))) continue;
      problem(
        {
          code: 'UNUSED_ROUTING_CONFIG',
          severity: 'info',
          message: ruleText('QRC-UNUSED', [doc.fullName]),
          hint: ruleText('QRC-UNUSED.hint', [doc.fullName]),
          nodes: [node.id],
          location: node.location,
        },
        { doc },
      );
    }
  }

  // Statuses: without channels but not meant as Away/Busy; with channels no routed queue feeds.
  // Lower-cased once per distinct status, not once per configuration's edge (10,000 configurations, 2 edges each).
  let awayByRole: Set<string> | undefined;
  // lazyConfigs: the lower-cased ids of the statuses the configurations read so far name (the first configuration
  // of each name only, in document order), read on until the asked one is found or none is left: the same answer
  // as the whole set's, from the first few hundred of 10,000 configurations when every such status is named.
  const named = new Set<string>();
  const idBySpelling = new Map<string, string>();
  const firstConfigs = new FirstByFoldedName(nameOf);
  let nextDoc = 0;
  const namedByRole = (lowered: string) => {
    while (!named.has(lowered)) {
      if (nextDoc >= documents.length) return false;
      const d = nextDoc++;
      const doc = documents[d];
      if (doc.type.name !== 'PresenceUserConfig' || firstConfigs.add(d) !== d) continue;
      for (let e = 0; e < STATUS_ROLE_EDGES.length; e++) {
        const status = childText(doc.root, STATUS_ROLE_EDGES[e][0]);
        if (!status) continue;
        let target = idBySpelling.get(status);
        if (target === undefined) idBySpelling.set(status, (target = lower(roleStatus(status).id)));
        named.add(target);
      }
    }
    return true;
  };
  const meantAway = (id: string) => {
    if (lazyConfigs) return namedByRole(lower(id));
    if (!awayByRole) {
      if (!withGraph) readRoleTargets();
      awayByRole = new Set([...roleTargets].map(lower));
    }
    return awayByRole.has(lower(id));
  };
  const routedQueues = queues.filter((q) => childText(q.root, 'queueRoutingConfig'));
  const reached = new Set<string>();
  for (const q of routedQueues) {
    for (const e of outgoing('queue-object', idOf('queue', q.fullName))) {
      for (const c of outgoing('object-channel', e.to)) reached.add(c.to);
    }
  }
  // The statuses with a problem, in the statuses' order (sorted here when the statuses were not).
  const statusesWithProblem: MetadataDocument[] = [];
  for (const doc of statuses) {
    const node = nodeOf('status', doc.fullName)!;
    const channelEdges = outgoing('status-channel', node.id);
    if (channelEdges.length === 0) {
      // The words first: the role statuses are read only for a status they do not settle.
      if (AWAY_WORDS.test(doc.fullName) || AWAY_WORDS.test(node.label) || meantAway(node.id)) continue;
      statusesWithProblem.push(doc);
    } else if (routedQueues.length && !channelEdges.some((e) => reached.has(e.to))) statusesWithProblem.push(doc);
  }
  if (!ordered) statusesWithProblem.sort(byFullName);
  for (const doc of statusesWithProblem) {
    const node = nodeOf('status', doc.fullName)!;
    const channelEdges = outgoing('status-channel', node.id);
    if (channelEdges.length === 0) {
      problem(
        {
          code: 'STATUS_WITHOUT_CHANNELS',
          severity: 'info',
          message: ruleText('SPS-NO-CHANNELS', [doc.fullName]),
          hint: ruleText('SPS-NO-CHANNELS.hint', [doc.fullName]),
          nodes: [node.id],
          location: node.location,
        },
        { doc },
      );
    } else {
      problem(
        {
          code: 'STATUS_UNREACHED',
          severity: 'info',
          message:
            channelEdges.length === 1
              ? ruleText('SPS-UNREACHED.one', [doc.fullName, nodes.get(channelEdges[0].to)!.name])
              : ruleText('SPS-UNREACHED', [doc.fullName, channelEdges.map((e) => nodes.get(e.to)!.name).join(', ')]),
          hint: ruleText('SPS-UNREACHED.hint'),
          nodes: [node.id],
          location: node.location,
        },
        { doc, node: child(doc.root, 'channels') },
      );
    }
  }

  // Overflow loops: queue → its routing configuration → overflow queue → … back to a queue on the path.
  const next = new Map<string, string>();
  for (const q of queues) {
    const routing = outgoing('queue-routingConfig', idOf('queue', q.fullName))[0];
    const overflow = routing && outgoing('routingConfig-overflowQueue', routing.to)[0];
    if (overflow) next.set(idOf('queue', q.fullName), overflow.to);
  }
  const reported = new Set<string>();
  for (const start of next.keys()) {
    const path: string[] = [];
    let at: string | undefined = start;
    while (at && !path.includes(at)) {
      path.push(at);
      at = next.get(at);
    }
    if (!at) continue;
    const cycle = path.slice(path.indexOf(at));
    const key = [...cycle].sort().join('|');
    if (reported.has(key)) continue;
    reported.add(key);
    const names = [...cycle, cycle[0]].map((id) => id.slice('queue:'.length));
    const first = nodes.get(cycle[0]);
    const routingOf = outgoing('queue-routingConfig', cycle[0])[0]?.to;
    const routingDoc = routingOf ? docNamed('QueueRoutingConfig', routingOf.slice('routingConfig:'.length)) : undefined;
    problem(
      {
        code: 'OVERFLOW_LOOP',
        severity: 'warning',
        message: ruleText('QRC-OVERFLOW-LOOP', [names.join(' → ')]),
        hint: ruleText('QRC-OVERFLOW-LOOP.hint'),
        nodes: [...cycle, ...(routingOf ? [routingOf] : [])],
        location: first?.location,
      },
      routingDoc ? { doc: routingDoc, node: child(routingDoc.root, 'queueOverflowAssignee') } : undefined,
    );
  }
  return { graph: { nodes: [...nodes.values()], edges, problems, membership: orgFacts ? 'org' : 'source' }, anchors };
}
