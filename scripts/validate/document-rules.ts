/**
 * Rules that look at one document at a time: the structural ones every type shares (file location,
 * developer name, label, API version, duplicate references) and the per-type cross-field rules of §10.
 */
import type { MetadataDocument } from '../metadata/document.ts';
import { AFTER_CONVERSATION_WORK_ELEMENTS, elementAt, type ElementDef, type ElementRange, type MetadataTypeDef } from '../metadata/registry.ts';
import { parseApiVersion } from '../metadata/project.ts';
import type { XmlNode } from '../metadata/xml.ts';
import { ruleText } from '../lib/messages.ts';
import { developerNameFinding, labelElementOf, rangeFinding, textFinding, textIsFine, type ValueFinding } from '../metadata/value-rules.ts';
import type { ValidationContext } from './context.ts';
import { booleanOf, child, childBoolean, childText, childrenNamed, countAt, firstAt, localName, nodesInto, numberOf, textOf } from './nodes.ts';
import { commandPrefix } from '../lib/io.ts';

type DocumentRule = (doc: MetadataDocument, ctx: ValidationContext, type: MetadataTypeDef) => void;

/** Where ACW elements are allowed on a channel (§10 rule 19). */
const ACW_ENTITY_TYPES = new Set(['VoiceCall', 'MessagingSession']);
/** The type's after-conversation work elements (registry), in its WSDL order: the order findings name them in. */
const acwElements = new WeakMap<MetadataTypeDef, readonly string[]>();
function acwElementsOf(type: MetadataTypeDef): readonly string[] {
  let names = acwElements.get(type);
  if (!names) {
    const acw = new Set<string>(AFTER_CONVERSATION_WORK_ELEMENTS);
    acwElements.set(type, (names = type.elements.filter((e) => acw.has(e.name)).map((e) => e.name)));
  }
  return names;
}
const KNOWN_DISPLAY_NAME_MERGE_FIELDS = new Set(['{!User_Alias}', '{!User_FullName}']);

/** Ranges by type and element path: looked up per rule and document, so without building a key string. */
const ranges = new WeakMap<MetadataTypeDef, Map<string, ElementRange>>();
/** The registry range of an element of the document's type (the rules below only ask for ranged ones). */
function rangeAt(type: MetadataTypeDef, path: string): ElementRange {
  let ofType = ranges.get(type);
  if (!ofType) ranges.set(type, (ofType = new Map()));
  let range = ofType.get(path);
  if (!range) {
    range = elementAt(type, path)?.range;
    if (!range) throw new Error(`registry: ${type.name}:${path} has no range`);
    ofType.set(path, range);
  }
  return range;
}


const isXmlSource = (doc: MetadataDocument) => !doc.path || doc.path.endsWith('-meta.xml');

// ── shared structural rules ──────────────────────────────────────────────────────────────────────────

const fileLocation: DocumentRule = (doc, ctx, type) => {
  if (!doc.path || !isXmlSource(doc)) return;
  // The last two segments, compared in place: no split of every path (10,000 files).
  const p = doc.path;
  const nameStart = segmentStart(p, p.length);
  const dirStart = nameStart > 0 ? segmentStart(p, nameStart - 1) : -1;
  const inDirectory = nameStart > 0 && nameStart - 1 - dirStart === type.directoryName.length && p.startsWith(type.directoryName, dirStart);
  const suffix = fileSuffix(type);
  const named = p.length - nameStart === doc.fullName.length + suffix.length && p.startsWith(doc.fullName, nameStart) && p.endsWith(suffix);
  if (!inDirectory || !named) {
    const expectedName = `${doc.fullName}${suffix}`;
    ctx.report('FILE-LOCATION', doc, doc.root, ruleText('FILE-LOCATION', [type.name, type.directoryName, expectedName]), {
      hint: ruleText('FILE-LOCATION.hint', [type.directoryName, expectedName]),
    });
  }
};

/**
 * Where the path segment that ends at `end` starts: just past the last slash or backslash before `end`, or 0. A loop, not
 * two `lastIndexOf`s (each a call into V8's runtime: most of the rule's time over 10,000 files).
 */
function segmentStart(p: string, end: number): number {
  for (let i = end - 1; i >= 0; i--) {
    const c = p.charCodeAt(i);
    if (c === 47 /* / */ || c === 92 /* backslash */) return i + 1;
  }
  return 0;
}

/** `.<suffix>-meta.xml` of each type, made once (not once per file). */
const fileSuffixes = new WeakMap<MetadataTypeDef, string>();
function fileSuffix(type: MetadataTypeDef): string {
  let suffix = fileSuffixes.get(type);
  if (suffix === undefined) fileSuffixes.set(type, (suffix = `.${type.suffix}-meta.xml`));
  return suffix;
}

const developerName: DocumentRule = (doc, ctx, type) => {
  if (type.freeFormNames || type?.fixedFullName === doc.fullName) return;
  report(ctx, doc, doc.root, developerNameFinding(doc.fullName));
};

const label: DocumentRule = (doc, ctx, type) => {
  const name = labelElementOf(type);
  const node = child(doc.root, name);
  if (node === undefined || node.nil) return; // missing or nil: XML-REQUIRED / XML-NIL from the parser
  report(ctx, doc, node, textFinding(type, name, node.text ?? ''));
};

/** Reports a value rule's finding (metadata/value-rules.ts, worded as the spec's loader words it), if any. */
function report(ctx: ValidationContext, doc: MetadataDocument, node: XmlNode | undefined, finding: ValueFinding | undefined): boolean {
  if (!finding) return false;
  ctx.report(finding.ruleId, doc, node, finding.message, { hint: finding.hint });
  return true;
}

// ── values: empty text and developer names (§10 rules 2, 4, 12, 16, 25, 27) ─────────────────────────

/**
 * What textValues does with an element, by its name in a definitions list: descend into it (`children`, a
 * complex element's definitions) or judge its text (`def`: a string without a range; `developerName`: also as a
 * developer name). Any other name, an opaque or other element, has none. One object shape for every entry:
 * the registry's definitions come in many shapes, and reading their flags for each of ~170,000 elements of
 * 10,000 files was most of the rule's time.
 */
interface ValueCheck {
  readonly children: readonly ElementDef[] | undefined;
  readonly def: ElementDef | undefined;
  readonly developerName: boolean;
}
const valueChecks = new WeakMap<readonly ElementDef[], Map<string, ValueCheck>>();
function valueChecksOf(defs: readonly ElementDef[]): Map<string, ValueCheck> {
  let checks = valueChecks.get(defs);
  if (!checks) {
    // The last definition of a name, as a Map built from the list keeps it.
    const byName = new Map(defs.map((d) => [d.name, d]));
    checks = new Map();
    for (const [name, def] of byName) {
      if (def.opaque) continue;
      if (def.kind === 'complex') {
        if (def.children) checks.set(name, { children: def.children, def: undefined, developerName: false });
      } else if (def.kind === 'string' && !def.range) checks.set(name, { children: undefined, def, developerName: !!def.developerName });
    }
    valueChecks.set(defs, checks);
  }
  return checks;
}

/**
 * A text value the spec could not hold: an element of kind string left empty (or only spaces), and a value
 * that names a component by developer name (registry `developerName`) without being one. The spec's schema
 * refuses both (text of at least one character, developerName()), so `omni import` could not carry them.
 * The label (NAME-LABEL) and ranged strings (maxExtensions, ACW-EXTENSION) have rules of their own.
 */
const textValues: DocumentRule = (doc, ctx, type) => {
  valuesBelow(doc, ctx, type, labelElementOf(type), doc.root, type.elements, 0);
};

/**
 * The names of the elements textValues' walk is in, outermost first, as far as its depth: one array for every
 * document, joined into a dotted path only for a finding (not a string per nested element of 10,000 files).
 */
const VALUE_PATH: string[] = [];

/** `VALUE_PATH[0..depth)` and `name`, dotted (`assignments.profiles.profile`). */
function valuePath(depth: number, name: string): string {
  let dotted = '';
  for (let i = 0; i < depth; i++) dotted += `${VALUE_PATH[i]}.`;
  return dotted + name;
}

/** textValues' walk over the elements below `node`, `depth` elements below the root (a function of its own: no closure per document). */
function valuesBelow(doc: MetadataDocument, ctx: ValidationContext, type: MetadataTypeDef, labelName: string, node: XmlNode, defs: readonly ElementDef[], depth: number): void {
  const children = node.children;
  const checks = valueChecksOf(defs);
  for (let i = 0; i < children.length; i++) {
    const element = children[i];
    const name = localName(element.name);
    const check = checks.get(name);
    if (check === undefined || element.nil) continue;
    if (check.children !== undefined) {
      if (element.children.length) {
        VALUE_PATH[depth] = name;
        valuesBelow(doc, ctx, type, labelName, element, check.children, depth + 1);
      }
      continue;
    }
    if ((depth === 0 && name === labelName) || element.children.length) continue;
    // As written: a name with spaces around it is not a developer name either (the spec's schema says so too).
    const written = element.text ?? '';
    // Judged here first (most values are fine), so that the path textFinding words a finding with is joined only for one.
    if (textIsFine(written, check.developerName)) continue;
    report(ctx, doc, element, textFinding(type, valuePath(depth, name), written, check.def));
  }
}

/** §10 rules 3 and 29, driven by the registry's `since` of the type and of every element. */
const apiVersionElements: DocumentRule = (doc, ctx, type) => {
  const current = ctx.apiVersion;
  // The spec loader checks versions of spec documents itself; corpus files come without a version.
  if (current === undefined || !isXmlSource(doc)) return;
  const typeSince = parseApiVersion(type.since);
  if (typeSince !== undefined && typeSince > current) {
    ctx.report('API-VERSION-ELEMENT', doc, doc.root, ruleText('API-VERSION-ELEMENT.type', [type.name, typeSince.toFixed(1), current.toFixed(1)]), {
      hint: ruleText('API-VERSION-ELEMENT.type.hint', [typeSince.toFixed(1)]),
    });
    return;
  }
  // Nothing of the type is newer than the project: no element to look at (the usual case, every file).
  if (newestElementSince(type) <= current) return;
  newerElements(doc, ctx, type, current, doc.root, type.elements, '');
};

/**
 * The elements below `node` newer than `current` (apiVersionElements' walk; a function of its own, so that the
 * rule makes no closure for the usual file, which has none).
 */
function newerElements(doc: MetadataDocument, ctx: ValidationContext, type: MetadataTypeDef, current: number, node: XmlNode, defs: readonly ElementDef[] | undefined, parentPath: string): void {
  if (!defs) return;
  for (const element of node.children) {
    const name = localName(element.name);
    const def = defs.find((d) => d.name === name);
    if (!def) continue; // unknown elements are XML-UNKNOWN-ELEMENT from the parser
    const since = parseApiVersion(def.since);
    if (since !== undefined && since > current) {
      const dotted = parentPath ? `${parentPath}.${name}` : name;
      ctx.report('API-VERSION-ELEMENT', doc, element, ruleText('API-VERSION-ELEMENT.element', [type.name, dotted, since.toFixed(1), current.toFixed(1)]), {
        hint: ruleText('API-VERSION-ELEMENT.element.hint', [since.toFixed(1), name]),
      });
      continue;
    }
    if (def.children && element.children.length) newerElements(doc, ctx, type, current, element, def.children, parentPath ? `${parentPath}.${name}` : name);
  }
}

/** The highest `since` of any element of the type, nested ones included (0 when none says). */
const newestSince = new WeakMap<MetadataTypeDef, number>();
function newestElementSince(type: MetadataTypeDef): number {
  let newest = newestSince.get(type);
  if (newest === undefined) {
    const deepest = (defs: readonly ElementDef[] | undefined): number =>
      (defs ?? []).reduce((max, def) => Math.max(max, parseApiVersion(def.since) ?? 0, deepest(def.children)), 0);
    newestSince.set(type, (newest = deepest(type.elements)));
  }
  return newest;
}

/** No value twice at one reference path (§10 rules 13 and 16), e.g. a channel listed twice in a status. */
const duplicateReferences: DocumentRule = (doc, ctx, type) => {
  const references = type.references;
  for (let r = 0; r < references.length; r++) {
    const reference = references[r];
    // Most paths hold one value or none: counted without an array, listed only when there can be a duplicate
    // (into one array for every document: a configuration's two decline reasons, 10,000 arrays otherwise).
    if (countAt(doc.root, reference.path) < 2) continue;
    const nodes = REFERENCE_NODES;
    const count = nodesInto(doc.root, reference.path, nodes);
    // A few values (two decline reasons in every configuration): the earlier ones are compared in place;
    // a map of the values seen only for longer lists.
    const seen = count > SMALL_LIST ? new Map<string, XmlNode>() : undefined;
    for (let n = 0; n < count; n++) {
      const node = nodes[n];
      const value = textOf(node);
      if (!value) continue;
      const key = reference.caseInsensitive ? value.toLowerCase() : value;
      const first = seen ? seen.get(key) : firstWithKey(nodes, n, key, reference.caseInsensitive);
      if (first) {
        ctx.report('REF-DUPLICATE', doc, node, ruleText('REF-DUPLICATE', [reference.path, value, first.line]), {
          hint: ruleText('REF-DUPLICATE.hint', [lastSegment(reference.path), value]),
          related: [{ ...ctx.where(doc, first), message: ruleText('REF-DUPLICATE.related') }],
        });
      } else seen?.set(key, node);
    }
  }
};

/** Up to this many values are compared pairwise instead of through a map. */
const SMALL_LIST = 8;

/** The values at one reference path of the document duplicateReferences is looking at (see nodesInto). */
const REFERENCE_NODES: XmlNode[] = [];

/** The first of `nodes[0..end)` whose value has `key` (as duplicateReferences keys them), or undefined. */
function firstWithKey(nodes: readonly XmlNode[], end: number, key: string, caseInsensitive: boolean | undefined): XmlNode | undefined {
  for (let i = 0; i < end; i++) {
    const value = textOf(nodes[i]);
    if (value && (caseInsensitive ? value.toLowerCase() : value) === key) return nodes[i];
  }
  return undefined;
}

const lastSegment = (dotted: string) => dotted.slice(dotted.lastIndexOf('.') + 1);

// ── after-conversation work, shared by PresenceUserConfig (rules 9–10) and ServiceChannel (rule 19) ─────

function afterConversationWork(prefix: 'PUC' | 'SC'): DocumentRule {
  return (doc, ctx, type) => {
    const root = doc.root;
    const seconds = rangeAt(type, 'afterConvoWorkMaxTime');
    const extensionSeconds = rangeAt(type, 'acwExtensionDuration');
    const extensions = rangeAt(type, 'maxExtensions');
    // Each element found once and its value read from the node (booleanOf, numberOf): no second walk.
    const timerNode = child(root, 'hasAfterConvoWorkTimer');
    const timer = booleanOf(timerNode) === true;
    const maxTimeNode = child(root, 'afterConvoWorkMaxTime');
    const maxTime = numberOf(maxTimeNode);

    if (timer && !maxTimeNode) {
      ctx.report(`${prefix}-ACW-MAXTIME`, doc, timerNode, ruleText('ACW-MAXTIME.missing'), { hint: ruleText('ACW-MAXTIME.missing.hint', [seconds.min, seconds.max]) });
    } else if (maxTimeNode && maxTime !== undefined && report(ctx, doc, maxTimeNode, rangeFinding(type, 'afterConvoWorkMaxTime', maxTime, maxTimeNode.text ?? ''))) {
      // reported: out of range
    } else if (maxTimeNode && !timer) {
      ctx.report(`${prefix}-ACW-MAXTIME-UNUSED`, doc, maxTimeNode, ruleText('ACW-MAXTIME-UNUSED'), { hint: ruleText('ACW-MAXTIME-UNUSED.hint') });
    }

    const extensionNode = child(root, 'hasAcwExtensionEnabled');
    if (booleanOf(extensionNode) !== true) return;
    const rule = `${prefix}-ACW-EXTENSION`;
    if (!timer) {
      ctx.report(rule, doc, extensionNode, ruleText('ACW-EXTENSION.noTimer'), { hint: ruleText('ACW-EXTENSION.noTimer.hint') });
    }
    const durationNode = child(root, 'acwExtensionDuration');
    const duration = numberOf(durationNode);
    if (!durationNode) {
      ctx.report(rule, doc, extensionNode, ruleText('ACW-EXTENSION.noDuration'), { hint: ruleText('ACW-EXTENSION.noDuration.hint', [extensionSeconds.min, extensionSeconds.max]) });
    } else if (duration !== undefined) {
      report(ctx, doc, durationNode, rangeFinding(type, 'acwExtensionDuration', duration, durationNode.text ?? ''));
    }
    const maxNode = child(root, 'maxExtensions');
    const max = textOf(maxNode);
    if (!maxNode) {
      ctx.report(rule, doc, extensionNode, ruleText('ACW-EXTENSION.noMax'), { hint: ruleText('ACW-EXTENSION.noMax.hint', [extensions.min, extensions.max]) });
    } else if (max !== undefined) {
      report(ctx, doc, maxNode, rangeFinding(type, 'maxExtensions', max));
    }
  };
}

// ── PresenceUserConfig (§10 rules 5–11, 13, 15) ─────────────────────────────────────────────────────

const presenceUserConfig: DocumentRule = (doc, ctx, type) => {
  const root = doc.root;
  // Each element found once and its value read from the node (booleanOf, numberOf): no second walk.
  const capacityNode = child(root, 'capacity');
  const capacity = numberOf(capacityNode);
  if (capacityNode && capacity !== undefined) report(ctx, doc, capacityNode, rangeFinding(type, 'capacity', capacity, capacityNode.text ?? ''));

  const autoAccept = childBoolean(root, 'enableAutoAccept') === true;
  const declineNode = child(root, 'enableDecline');
  const decline = booleanOf(declineNode) === true;
  if (autoAccept && decline) {
    ctx.report('PUC-AUTOACCEPT-DECLINE', doc, declineNode, ruleText('PUC-AUTOACCEPT-DECLINE'), { hint: ruleText('PUC-AUTOACCEPT-DECLINE.hint') });
  }

  const reasonNode = child(root, 'enableDeclineReason');
  if (booleanOf(reasonNode) === true) {
    if (!decline) {
      ctx.report('PUC-DECLINE-REASON-NEEDS-DECLINE', doc, reasonNode, ruleText('PUC-DECLINE-REASON-NEEDS-DECLINE'), { hint: ruleText('PUC-DECLINE-REASON-NEEDS-DECLINE.hint') });
    }
    if (child(root, 'declineReasons') === undefined) {
      ctx.report('PUC-DECLINE-REASON-EMPTY', doc, reasonNode, ruleText('PUC-DECLINE-REASON-EMPTY'), { hint: ruleText('PUC-DECLINE-REASON-EMPTY.hint') });
    }
  }

  const statusOnDecline = child(root, 'presenceStatusOnDecline');
  if (statusOnDecline && textOf(statusOnDecline) && !decline) {
    ctx.report('PUC-STATUS-ON-DECLINE-NEEDS-DECLINE', doc, statusOnDecline, ruleText('PUC-STATUS-ON-DECLINE-NEEDS-DECLINE'), { hint: ruleText('PUC-STATUS-ON-DECLINE-NEEDS-DECLINE.hint') });
  }

  const interruptibleNode = child(root, 'interruptibleCapacity');
  const interruptible = numberOf(interruptibleNode);
  if (interruptibleNode && interruptible !== undefined) report(ctx, doc, interruptibleNode, rangeFinding(type, 'interruptibleCapacity', interruptible, interruptibleNode.text ?? ''));

  const displayNameNode = child(root, 'userDisplayName');
  const displayName = textOf(displayNameNode);
  if (displayName) {
    const unknown = (displayName.match(/\{![^}]*\}/g) ?? []).filter((token) => !KNOWN_DISPLAY_NAME_MERGE_FIELDS.has(token));
    if (unknown.length) {
      ctx.report('PUC-USER-DISPLAY-NAME', doc, displayNameNode, ruleText('PUC-USER-DISPLAY-NAME', [unknown.join(', ')]), { hint: ruleText('PUC-USER-DISPLAY-NAME.hint') });
    }
  }

  const users = firstAt(root, 'assignments.users');
  const userCount = users ? countAt(root, 'assignments.users.user') : 0;
  if (users && userCount > 0) {
    const message = userCount === 1 ? ruleText('ASSIGN-USERS-IN-SOURCE.one') : ruleText('ASSIGN-USERS-IN-SOURCE', [userCount]);
    ctx.report('ASSIGN-USERS-IN-SOURCE', doc, users, message, { hint: ruleText('ASSIGN-USERS-IN-SOURCE.hint', [commandPrefix()]) });
  }
};

// ── ServiceChannel (§10 rules 19–21) ───────────────────────────────────────────────────────────────

const channelAcw = afterConversationWork('SC');

const serviceChannel: DocumentRule = (doc, ctx, type) => {
  const root = doc.root;
  const entity = childText(root, 'relatedEntityType');
  const acwNodes = acwElementsOf(type).map((name) => child(root, name)).filter((n): n is XmlNode => n !== undefined);
  // An explicit "false" timer is what retrieves write for every channel: only "in use" ACW elements count.
  const acwInUse = acwNodes.filter((n) => !(n.name.startsWith('has') && textOf(n) === 'false'));
  if (entity && !ACW_ENTITY_TYPES.has(entity) && acwInUse.length) {
    ctx.report('SC-ACW-ENTITY', doc, acwInUse[0], ruleText('SC-ACW-ENTITY', [acwInUse.map((n) => n.name).join(', '), entity]), { hint: ruleText('SC-ACW-ENTITY.hint') });
  } else channelAcw(doc, ctx, type);

  const priorities = childrenNamed(root, 'serviceChannelFieldPriorities');
  if (priorities.length && !childText(root, 'secondaryRoutingPriorityField')) {
    ctx.report('SC-PRIORITY-FIELD', doc, priorities[0], ruleText('SC-PRIORITY-FIELD'), { hint: ruleText('SC-PRIORITY-FIELD.hint') });
  }
  uniqueValues(doc, ctx, priorities, 'SC-PRIORITY-VALUE-DUPLICATE', 'serviceChannelFieldPriorities');

  const mappings = childrenNamed(root, 'serviceChannelStatusFieldMappings');
  const statusField = child(root, 'statusField');
  if ((statusField || mappings.length) && childText(root, 'capacityModel') !== 'STATUS_BASED') {
    const at = statusField ?? mappings[0];
    ctx.report('SC-STATUS-BASED', doc, at, ruleText('SC-STATUS-BASED', [at.name]), { hint: ruleText('SC-STATUS-BASED.hint') });
  }
  uniqueValues(doc, ctx, mappings, 'SC-STATUS-VALUE-DUPLICATE', 'serviceChannelStatusFieldMappings');
};

function uniqueValues(doc: MetadataDocument, ctx: ValidationContext, entries: XmlNode[], ruleId: string, element: string) {
  const seen = new Map<string, XmlNode>();
  for (const entry of entries) {
    const valueNode = child(entry, 'value');
    const value = textOf(valueNode);
    if (value === undefined) continue;
    const first = seen.get(value);
    if (first) {
      ctx.report(ruleId, doc, valueNode, ruleText('SC-VALUE-DUPLICATE', [element, value, first.line]), {
        hint: ruleText('SC-VALUE-DUPLICATE.hint', [element]),
        related: [{ ...ctx.where(doc, first), message: ruleText('SC-VALUE-DUPLICATE.related') }],
      });
    } else seen.set(value, valueNode!);
  }
}

// ── QueueRoutingConfig (§10 rules 22–25) ────────────────────────────────────────────────────────────

/** Its numbers with a registry range, in the order their findings come (after routingPriority and the one-of rule). */
const RANGED_ROUTING = ['capacityWeight', 'capacityPercentage', 'pushTimeout', 'dropAdditionalSkillsTimeout', 'pausedCapacityWeight', 'pausedCapacityPercentage'] as const;

const queueRoutingConfig: DocumentRule = (doc, ctx, type) => {
  const root = doc.root;
  const priorityNode = child(root, 'routingPriority');
  const priority = numberOf(priorityNode);
  if (priorityNode && priority !== undefined) report(ctx, doc, priorityNode, rangeFinding(type, 'routingPriority', priority, priorityNode.text ?? ''));

  const weightNode = child(root, 'capacityWeight');
  const percentageNode = child(root, 'capacityPercentage');
  const weightSet = weightNode !== undefined && !weightNode.nil;
  const percentageSet = percentageNode !== undefined && !percentageNode.nil;
  if (weightSet && percentageSet) {
    ctx.report('QRC-CAPACITY-ONE-OF', doc, percentageNode, ruleText('QRC-CAPACITY-ONE-OF.both'), { hint: ruleText('QRC-CAPACITY-ONE-OF.both.hint') });
  } else if (!weightSet && !percentageSet) {
    ctx.report('QRC-CAPACITY-ONE-OF', doc, doc.root, ruleText('QRC-CAPACITY-ONE-OF.neither'), { hint: ruleText('QRC-CAPACITY-ONE-OF.neither.hint') });
  }
  // Each number against its registry range (rules 23, 24; the paused ones and the skills timeout as decided there).
  for (let i = 0; i < RANGED_ROUTING.length; i++) {
    const name = RANGED_ROUTING[i];
    const node = child(root, name);
    const value = node ? numberOf(node) : undefined;
    if (value !== undefined) report(ctx, doc, node, rangeFinding(type, name, value, node?.text ?? ''));
  }

  const queueOverflow = child(root, 'queueOverflowAssignee');
  const userOverflow = child(root, 'userOverflowAssignee');
  if (textOf(queueOverflow) && textOf(userOverflow)) {
    ctx.report('QRC-OVERFLOW-ONE-OF', doc, userOverflow, ruleText('QRC-OVERFLOW-ONE-OF'), { hint: ruleText('QRC-OVERFLOW-ONE-OF.hint') });
  }
};

const SHARED_RULES: DocumentRule[] = [fileLocation, developerName, label, textValues, apiVersionElements, duplicateReferences];

const RULES_BY_TYPE: Record<string, DocumentRule[]> = {
  PresenceUserConfig: [presenceUserConfig, afterConversationWork('PUC')],
  ServiceChannel: [serviceChannel],
  QueueRoutingConfig: [queueRoutingConfig],
};

const NO_RULES: DocumentRule[] = [];

export function checkDocument(doc: MetadataDocument, ctx: ValidationContext): void {
  const type = ctx.typeOf(doc);
  // Indexed: no iterator result per rule and document (offline commands run without TurboFan's inlining).
  for (let i = 0; i < SHARED_RULES.length; i++) SHARED_RULES[i](doc, ctx, type);
  const own = RULES_BY_TYPE[type.name] ?? NO_RULES;
  for (let i = 0; i < own.length; i++) own[i](doc, ctx, type);
}
