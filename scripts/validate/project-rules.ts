/**
 * Cross-file rules: reference resolution (walking the registry's `references` table), one configuration per
 * user/profile, unique relatedEntityType, status roles, status grants, capacity sanity and the settings
 * switches — everything that needs more than one document. Linear in the number of documents: every lookup
 * goes through maps built once.
 */
import { routingProblems, type MembershipFacts, type ProblemCode } from '../graph/analyze.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { BUILT_IN_COMPONENTS as REGISTRY_BUILT_INS, elementAt, findType, isMetadataFile, type MetadataTypeDef } from '../metadata/registry.ts';
import { developerNameFinding, textIsFine } from '../metadata/value-rules.ts';
import type { XmlNode } from '../metadata/xml.ts';
import { countText, ruleText } from '../lib/messages.ts';
import { FirstByFoldedName } from '../lib/folded-names.ts';
import { closest } from '../lib/suggest.ts';
import { UNRESOLVED_RULE_BY_REFERENCE } from './catalogue.ts';
import { formatWhere, type ValidationContext } from './context.ts';
import { child, childBoolean, childNumber, childText, countAt, firstCounted, localName, nodesAt, nodesInto, textOf } from './nodes.ts';

/**
 * Components every Omni org has without them being in source (registry `builtIns`: spec §4 "built-in
 * developer names", §1.7 default configuration), by type: developer name → relatedEntityType ('' when
 * not a channel). A reference to one of these that is not in the project resolves at deploy.
 */
export const BUILT_IN_COMPONENTS: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.fromEntries(
  [...new Set(REGISTRY_BUILT_INS.map((b) => b.type))].map((type) => [
    type,
    Object.fromEntries(REGISTRY_BUILT_INS.filter((b) => b.type === type).map((b) => [b.developerName, b.relatedEntityType ?? ''])),
  ]),
);

/** The org feature that brings each built-in channel: an org without it lacks the channel. */
export const BUILT_IN_CHANNEL_FEATURES: Readonly<Record<string, 'Voice' | 'Messaging' | 'Chat'>> = Object.fromEntries(
  REGISTRY_BUILT_INS.flatMap((b) => (b.feature ? [[b.developerName, b.feature] as const] : [])),
);

interface Located {
  doc: MetadataDocument;
  node: XmlNode;
}

const componentKey = (doc: MetadataDocument) => `${doc.type.name}:${doc.fullName}`;

/**
 * The spec's twins (scripts/validate/held.ts): spec documents the validator holds as their XML files' kept
 * elements, the same nodes, so each names the same components as its file and finds what its file finds. They
 * come after the files, so none is the first document of its name, which is all most rules read; they are given
 * apart from the documents, by their files' indexes there, and a twin's document is made only for a finding
 * reported at it.
 */
export interface TwinDocuments {
  /** Per twin, in the spec's order: the index in `documents` of its file (the first document of its type and name). */
  readonly sources: readonly number[];
  /** The file the twins' findings are in (the spec's). */
  readonly file: string | undefined;
  /** A twin's document (made once, when asked). */
  document(twin: number): MetadataDocument;
}

/**
 * `membership` (who holds which configuration, who is in which queue, from the assignment files) turns on
 * the findings that need it; without it those two are not reported (the documents alone cannot tell). `twins`:
 * the spec's twins, checked as documents after `documents` would be (the same findings).
 */
export function checkProject(documents: readonly MetadataDocument[], ctx: ValidationContext, membership?: MembershipFacts, twins?: TwinDocuments): void {
  // The first document of each type and name, by its index in `documents`.
  const byType = new Map<string, Map<string, number>>();
  for (let d = 0; d < documents.length; d++) {
    const doc = documents[d];
    let names = byType.get(doc.type.name);
    if (!names) byType.set(doc.type.name, (names = new Map()));
    if (!names.has(doc.fullName)) names.set(doc.fullName, d);
  }
  // Lower-cased names only for the types a case-insensitive lookup asks about (not 10,000 configurations'):
  // the first document of each folded name, in document order.
  const byTypeLower = new Map<string, Map<string, MetadataDocument>>();
  const foldedNames = (type: string) => {
    let lower = byTypeLower.get(type);
    if (!lower) {
      byTypeLower.set(type, (lower = new Map()));
      for (let d = 0; d < documents.length; d++) {
        const doc = documents[d];
        if (doc.type.name !== type) continue;
        const folded = doc.fullName.toLowerCase();
        if (!lower.has(folded)) lower.set(folded, doc);
      }
    }
    return lower;
  };
  const lookup = (type: string, name: string, caseInsensitive?: boolean): MetadataDocument | undefined => {
    if (caseInsensitive) return byType.has(type) ? foldedNames(type).get(name.toLowerCase()) : undefined;
    const d = byType.get(type)?.get(name);
    return d === undefined ? undefined : documents[d];
  };
  // The first document of each name of a type, listed once per type (the rules ask for the configurations thrice).
  const listed = new Map<string, MetadataDocument[]>();
  const ofType = (type: string): readonly MetadataDocument[] => {
    let docs = listed.get(type);
    if (!docs) {
      const names = byType.get(type);
      docs = new Array<MetadataDocument>(names?.size ?? 0);
      let i = 0;
      // forEach: no iterator result per entry (no TurboFan inlining in offline commands).
      const into = docs;
      names?.forEach((d) => {
        into[i++] = documents[d];
      });
      listed.set(type, docs);
    }
    return docs;
  };

  uniqueDeveloperNames(documents, ctx, (type) => byType.get(type)!.size, twins);
  resolveReferences(documents, ctx, byType, lookup, twins);
  assignmentsOncePerUserAndProfile(ofType('PresenceUserConfig'), ctx);
  uniqueRelatedEntityType(ofType('ServiceChannel'), ctx);
  statusRoles(ofType('PresenceUserConfig'), ctx, lookup);
  statusGrants(ofType('ServicePresenceStatus'), [...ofType('PermissionSet'), ...ofType('Profile')], ctx);
  queueRules(ofType('Queue'), ofType('ServiceChannel'), ofType('PresenceUserConfig'), ctx, lookup);
  settingsSwitches(ofType('OmniChannelSettings'), documents, ctx, twins);
  // The routing analysis reads only the first document of each name: no twin.
  routingFindings(documents, ctx, membership);
}

/**
 * One component per developer name and type, whatever the case (NAME-DUPLICATE): the Metadata API identifies a
 * component by its fullName without regard to case (a file renamed from `Online` to `online` deploys over the
 * same status), so two such files are one component written twice; on a case-insensitive file system (macOS,
 * Windows) they cannot even both be checked out. A spec entry and the file generated from it share their name
 * by design; a spec entry and a file whose names differ only in case are the same component twice (generate
 * would write a second file beside it). The spec's own duplicates are the loader's (SPEC-YAML).
 */
function uniqueDeveloperNames(documents: readonly MetadataDocument[], ctx: ValidationContext, namesOfType: (type: string) => number, twins?: TwinDocuments): void {
  // By type, the first file and the first spec document of each name compared without case: no lower-cased
  // key string per document (20,000 at 10,000 configurations, kept to the end of the pass: peak memory).
  const nameOf = (d: number) => documents[d].fullName;
  const byType = new Map<string, { files: FirstByFoldedName; specs: FirstByFoldedName | undefined; expected: number }>();
  const report = (doc: MetadataDocument, earlier: MetadataDocument) => {
    const there = ctx.where(earlier);
    ctx.report('NAME-DUPLICATE', doc, undefined, ruleText('NAME-DUPLICATE', [doc.type.name, doc.fullName, earlier.fullName, formatWhere(there)]), {
      hint: ruleText('NAME-DUPLICATE.hint'),
      related: [{ ...there, message: ruleText('NAME-DUPLICATE.related', [doc.type.name, earlier.fullName]) }],
    });
  };
  // Per file with a twin: the first file of its name without case, + 1 (what its twin is compared with).
  const firstFile = twins ? new Int32Array(documents.length) : undefined;
  // Every spec document has the spec's path: asked once, not once per document.
  let lastPath: string | undefined;
  let lastIsFile = false;
  for (let d = 0; d < documents.length; d++) {
    const doc = documents[d];
    let names = byType.get(doc.type.name);
    if (!names) {
      // Sized for the type's names (10,000 configurations: no growth by doubling); the spec's table once it has one.
      const expected = namesOfType(doc.type.name);
      byType.set(doc.type.name, (names = { files: new FirstByFoldedName(nameOf, expected), specs: undefined, expected }));
    }
    if (doc.path !== lastPath) {
      lastPath = doc.path;
      lastIsFile = doc.path !== undefined && doc.path !== '' && isMetadataFile(doc.path);
    }
    if (lastIsFile) {
      const first = names.files.add(d);
      if (firstFile) firstFile[d] = first + 1;
      const earlier = first === d ? undefined : documents[first];
      if (earlier) report(doc, earlier);
      // The validated files come before the spec's documents: no spec name to look for yet, no hash to make.
      const s = earlier || !names.specs ? -1 : names.specs.find(doc.fullName);
      if (s >= 0 && documents[s].fullName !== doc.fullName) report(doc, documents[s]);
    } else {
      (names.specs ??= new FirstByFoldedName(nameOf, names.expected)).add(d);
      const f = names.files.size === 0 ? -1 : names.files.find(doc.fullName);
      if (f >= 0 && documents[f].fullName !== doc.fullName) report(doc, documents[f]);
    }
  }
  if (!twins) return;
  // A twin (its file's name and type): the first file of its name is the one its file found, and no name is
  // looked for in the spec's table that a file of its name does not answer first (a twin is left out of it).
  for (let t = 0; t < twins.sources.length; t++) {
    const source = twins.sources[t];
    const doc = documents[source];
    const f = firstFile![source] > 0 ? firstFile![source] - 1 : byType.get(doc.type.name)!.files.find(doc.fullName);
    if (f >= 0 && documents[f].fullName !== doc.fullName) report(twins.document(t), documents[f]);
  }
}

/**
 * The top-level elements the project rules and the routing analysis they run (scripts/graph/analyze.ts) read
 * of a type that comes in thousands, beyond its registry references and settings uses. A type not listed is
 * kept whole. Keep this beside the rules: a rule that reads another element of a listed type must add it
 * here (test/validate/facts.test.ts compares the pruned and the whole-tree findings over the corpus).
 */
const FACT_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  // assignmentsOncePerUserAndProfile, statusRoles, queueRules (capacity), the routing graph's node (label,
  // capacity, interruptibleCapacity) and edges (status roles, decline reasons), holders (assignments), and
  // the settings switches' related locations (skills, capacityModel).
  PresenceUserConfig: ['assignments', 'presenceStatusOnDecline', 'presenceStatusOnPushTimeout', 'capacity', 'interruptibleCapacity', 'label', 'declineReasons', 'skills', 'capacityModel'],
};

const factElements = new WeakMap<MetadataTypeDef, ReadonlySet<string> | null>();
function factElementsOf(type: MetadataTypeDef): ReadonlySet<string> | null {
  let names = factElements.get(type);
  if (names === undefined) {
    const listed = FACT_ELEMENTS[type.name];
    names = listed
      ? new Set([...listed, ...type.references.map((r) => r.path.split('.')[0]), ...(type.needsSetting ?? []).map((u) => u.path.split('.')[0])])
      : null;
    factElements.set(type, names);
  }
  return names;
}

/** projectFacts' kept children, gathered before they are copied out at their number (one array for every document). */
const KEPT: XmlNode[] = [];

const keptElement = (keep: ReadonlySet<string>, name: string) => keep.has(name) || (name.includes(':') && keep.has(localName(name)));

/**
 * What `checkProject` needs of a document whose own (per-document) checks are done: the same document with
 * only the top-level elements the project rules read (each kept whole, so every location is the parsed
 * node's). `omni validate` keeps these instead of 10,000 whole trees until the project rules run. The
 * document given is not changed.
 */
export function projectFacts(doc: MetadataDocument): MetadataDocument {
  const keep = factElementsOf(doc.type);
  if (!keep) return doc;
  const children = doc.root.children;
  // Gathered in one shared array first, so the kept children are one array of their size (no growth by push,
  // no iterator) and each child's name is looked up once.
  let n = 0;
  for (let i = 0; i < children.length; i++) if (keptElement(keep, children[i].name)) KEPT[n++] = children[i];
  if (n === children.length) return doc;
  const kept = KEPT.slice(0, n);
  // The parser's own shape (path included even when undefined): the rules see one document shape.
  return { type: doc.type, fullName: doc.fullName, path: doc.path, root: { ...doc.root, children: kept } };
}

const RULE_BY_PROBLEM: Record<ProblemCode, string> = {
  UNUSED_ROUTING_CONFIG: 'QRC-UNUSED',
  OVERFLOW_LOOP: 'QRC-OVERFLOW-LOOP',
  QUEUE_WITHOUT_MEMBERS: 'QUEUE-NO-MEMBERS',
  CONFIG_NOT_HELD: 'PUC-NOT-HELD',
  STATUS_WITHOUT_CHANNELS: 'SPS-NO-CHANNELS',
  STATUS_UNREACHED: 'SPS-UNREACHED',
};

/** The routing graph's problems (scripts/graph/analyze.ts), as diagnostics at the component they name. */
function routingFindings(documents: readonly MetadataDocument[], ctx: ValidationContext, membership?: MembershipFacts) {
  // Without membership facts its two problems are not reported: not looked for either.
  const { problems, anchors } = routingProblems(documents, membership, { membership: membership !== undefined });
  for (const problem of problems) {
    if (!membership && (problem.code === 'QUEUE_WITHOUT_MEMBERS' || problem.code === 'CONFIG_NOT_HELD')) continue;
    const anchor = anchors.get(problem);
    if (!anchor) continue;
    ctx.report(RULE_BY_PROBLEM[problem.code], anchor.doc, anchor.node, problem.message, { hint: problem.hint });
  }
}

type Lookup = (type: string, name: string, caseInsensitive?: boolean) => MetadataDocument | undefined;

/**
 * §10 rules 12, 13, 16, 25, 27: every reference path of every type, from the registry table.
 *
 * `twins` (see `TwinDocuments`): a twin names the same components as its file and finds what its file finds: what
 * the rule says of a reference names only the reference, its value, its target type and the project's names, never
 * the document. A twin's findings are its file's, reported again at the twin (the spec's positions), not looked up
 * again: the files' findings are recorded as they are made, the twins' reported after every document's (a twin's
 * reported findings keep their own order, and no document has a finding at a twin's spec position, so the sorted
 * output is the same; the counted ones, which the output shows only as a number, are counted in the twins' file).
 */
function resolveReferences(
  documents: readonly MetadataDocument[],
  ctx: ValidationContext,
  byType: Map<string, Map<string, number>>,
  lookup: Lookup,
  twins?: TwinDocuments,
) {
  // The names of each target type, listed once (not once per document: 10,000 configurations × 200 statuses).
  // Only those that are developer names: a component named otherwise (`Away_`) is refused where it is defined
  // (NAME-DEVELOPER-NAME) and never deploys, so it is neither a "did you mean" nor one of the names a hint lists.
  const namesOf = new Map<string, string[]>();
  const projectNamesOf = (target: string) => {
    let names = namesOf.get(target);
    if (!names) namesOf.set(target, (names = [...(byType.get(target)?.keys() ?? [])].filter((name) => developerNameFinding(name) === undefined)));
    return names;
  };
  // Per type, once: each reference with its target's registry entry and built-ins.
  const plans = new Map<
    string,
    Array<{ reference: MetadataTypeDef['references'][number]; targetType: MetadataTypeDef | undefined; builtIns: Readonly<Record<string, string>> | undefined; developerName: boolean }>
  >();
  // An output that hides infos (the text output's default) only counts these: not worded 20,000 times.
  const localHidden = ctx.hides('REF-UNRESOLVED-LOCALLY');
  // The findings of the documents that have a twin, in order: rule, node (none: counted), message and hint;
  // each such document's run of them by its index.
  const recorded = twins ? new TwinFindings(documents.length, twins.sources) : undefined;
  const report = (ruleId: string, doc: MetadataDocument, node: XmlNode, message: string, hint: string) => {
    recorded?.report(ruleId, node, message, hint);
    ctx.report(ruleId, doc, node, message, { hint });
  };
  const count = (doc: MetadataDocument) => {
    recorded?.count();
    ctx.count('REF-UNRESOLVED-LOCALLY', doc);
  };
  // A path's values when it holds more than one, written over for each (not an array per document).
  const several: XmlNode[] = [];
  // Indexed loops: 10,000 documents × 5 references without an iterator result each (no TurboFan inlining).
  for (let d = 0; d < documents.length; d++) {
    const doc = documents[d];
    recorded?.start(d);
    const type = ctx.typeOf(doc);
    let plan = plans.get(type.name);
    if (!plan) {
      plan = type.references.map((reference) => ({
        reference,
        targetType: findType(reference.target),
        builtIns: BUILT_IN_COMPONENTS[reference.target],
        developerName: elementAt(type, reference.path)?.developerName === true,
      }));
      plans.set(type.name, plan);
    }
    for (let p = 0; p < plan.length; p++) {
      const { reference, targetType, builtIns, developerName } = plan[p];
      // Not in the project is never an error offline: the org may have it (a built-in channel, a component
      // deployed from another project), and deploy checks every such name against the org. Only a name one
      // typo away from a name the project defines is worth a warning.
      const projectNames = projectNamesOf(reference.target);
      // A path holds one value or none in most documents: that one is found without an array.
      const found = countAt(doc.root, reference.path);
      if (found === 0) continue;
      const only = firstCounted();
      if (found > 1) nodesInto(doc.root, reference.path, several);
      for (let n = 0; n < found; n++) {
        const node = found > 1 ? several[n] : only!;
        const value = textOf(node);
        if (!value) continue;
        if (lookup(reference.target, value, reference.caseInsensitive)) continue;
        // Not a developer name at all ("Wrong Queue"): REF-NAME's error says so (document-rules textValues, as
        // written); it names nothing to resolve, so no second finding for the one value (the spec gives one).
        if (developerName && !textIsFine(node.text ?? '', true)) continue;
        if (builtIns && Object.hasOwn(builtIns, value)) {
          if (localHidden) count(doc);
          else
            report(
              'REF-UNRESOLVED-LOCALLY',
              doc,
              node,
              ruleText('REF-UNRESOLVED-LOCALLY.builtIn', [reference.path, value, reference.target, value]),
              BUILT_IN_CHANNEL_FEATURES[value] ? ruleText('REF-UNRESOLVED-LOCALLY.builtIn.hintFeature', [BUILT_IN_CHANNEL_FEATURES[value]]) : ruleText('REF-UNRESOLVED-LOCALLY.builtIn.hint'),
            );
          continue;
        }
        const suggestion = targetType && !targetType.partial ? closest(value, projectNames) : undefined;
        if (suggestion && targetType) {
          const ruleId = UNRESOLVED_RULE_BY_REFERENCE[`${type.name}:${reference.path}`] ?? 'REF-UNRESOLVED';
          report(ruleId, doc, node, ruleText('REF-UNRESOLVED', [reference.path, value, reference.target, suggestion]), ruleText('REF-UNRESOLVED.hint', [suggestion, value]));
        } else if (localHidden) count(doc);
        else {
          report(
            'REF-UNRESOLVED-LOCALLY',
            doc,
            node,
            ruleText('REF-UNRESOLVED-LOCALLY', [reference.path, value, reference.target]),
            projectNames.length
              ? ruleText('REF-UNRESOLVED-LOCALLY.hintWithNames', [reference.target, value, sample(projectNames)])
              : ruleText('REF-UNRESOLVED-LOCALLY.hint', [reference.target, value]),
          );
        }
      }
    }
    recorded?.end(d);
  }
  if (!recorded) return;
  // The twins, in the spec's order: their files' findings, at the twin (its document made only for one it reports;
  // what is counted is counted in the twins' file, the first twin's).
  for (let t = 0; t < twins!.sources.length; t++) recorded.replay(twins!.sources[t], t, twins!, ctx);
}

/**
 * The findings of the documents that have twins, as the rule made them (parallel lists, no object per finding),
 * where each document's run of them starts and ends, and how many it only counted: what `resolveReferences`
 * reports again at their twins. The counted ones are counted after the reported ones: a count says only how
 * many (the text output's summary), whatever its place.
 */
class TwinFindings {
  private readonly rules: string[] = [];
  private readonly nodes: XmlNode[] = [];
  private readonly messages: string[] = [];
  private readonly hints: string[] = [];
  /** Per document with a twin: its first finding's index + 1 (0: none recorded), and the end of its run. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** Per document with a twin: how many REF-UNRESOLVED-LOCALLY findings it counted rather than reported. */
  private readonly counted: Int32Array;
  /** Per document: whether a twin reads its findings. */
  private readonly wanted: Uint8Array;
  /** The document being recorded, or -1. */
  private recording = -1;
  /** The first twin's document, where the counted findings are counted (`replay`). */
  private countedIn: MetadataDocument | undefined;

  constructor(documents: number, sources: readonly number[]) {
    this.starts = new Int32Array(documents);
    this.ends = new Int32Array(documents);
    this.counted = new Int32Array(documents);
    this.wanted = new Uint8Array(documents);
    for (let t = 0; t < sources.length; t++) this.wanted[sources[t]] = 1;
  }

  start(d: number): void {
    this.recording = this.wanted[d] === 1 ? d : -1;
    if (this.recording >= 0) this.starts[d] = this.rules.length + 1;
  }

  end(d: number): void {
    if (this.recording >= 0) this.ends[d] = this.rules.length;
    this.recording = -1;
  }

  report(ruleId: string, node: XmlNode, message: string, hint: string): void {
    if (this.recording < 0) return;
    this.rules.push(ruleId);
    this.nodes.push(node);
    this.messages.push(message);
    this.hints.push(hint);
  }

  count(): void {
    if (this.recording >= 0) this.counted[this.recording]++;
  }

  /**
   * Document `d`'s reported findings at twin `t` (its document made only then), in the order they were made; then as
   * many counted in the twins' file (the first twin's document: every twin's file is the spec's).
   */
  replay(d: number, t: number, twins: TwinDocuments, ctx: ValidationContext): void {
    const start = this.starts[d] - 1;
    if (start < 0) return;
    for (let i = start; i < this.ends[d]; i++) ctx.report(this.rules[i], twins.document(t), this.nodes[i], this.messages[i], { hint: this.hints[i] });
    if (this.counted[d] > 0) {
      // One document for all of them: a twin's document is made at each call (held.ts), and 10,000 twins count.
      const inFile = (this.countedIn ??= twins.document(0));
      for (let i = this.counted[d]; i > 0; i--) ctx.count('REF-UNRESOLVED-LOCALLY', inFile);
    }
  }
}

function sample(names: readonly string[]): string {
  const list = names.slice(0, 5);
  return list.join(', ') + (names.length > list.length ? ', …' : '');
}

/**
 * §10 rule 14: a username and a profile in at most one configuration, both compared case-insensitively
 * (Salesforce matches User.Username and Profile.Name without case, as plan, assign and doctor do).
 */
function assignmentsOncePerUserAndProfile(configs: readonly MetadataDocument[], ctx: ValidationContext) {
  /** `message` fills the rule's text from (value, this configuration, the other one, where the other is). */
  const check = (path: string, ruleId: string, message: (tokens: string[]) => string) => {
    // The first configuration and node of each value compared without case, as entries of two lists made at
    // their size: no lower-cased key, Located object or map entry per assignment (10,000 profiles held to the
    // end of the pass: peak memory, bench/RESULTS.md "Validate at scale").
    let total = 0;
    for (let d = 0; d < configs.length; d++) total += countAt(configs[d].root, path);
    if (total === 0) return;
    const entryDoc = new Array<MetadataDocument>(total);
    const entryNode = new Array<XmlNode>(total);
    const first = new FirstByFoldedName((e) => textOf(entryNode[e])!, total);
    let entries = 0;
    for (let d = 0; d < configs.length; d++) {
      const doc = configs[d];
      // One assignment or none in most configurations: found without an array.
      const found = countAt(doc.root, path);
      if (found === 0) continue;
      const only = firstCounted();
      const nodes = found === 1 ? undefined : nodesAt(doc.root, path);
      for (let n = 0; n < found; n++) {
        const node = nodes ? nodes[n] : only!;
        const value = textOf(node);
        if (!value) continue;
        // Added as the next entry unless a name is there already (one hash per value, not a find then an add).
        entryDoc[entries] = doc;
        entryNode[entries] = node;
        const p = first.add(entries);
        if (p === entries) {
          entries++;
          continue;
        }
        const previous = entryDoc[p];
        // Same component twice (spec + generated XML) is one configuration, not two.
        if (previous.type.name === doc.type.name && previous.fullName === doc.fullName) continue;
        const there = ctx.where(previous, entryNode[p]);
        ctx.report(ruleId, doc, node, message([value, doc.fullName, previous.fullName, formatWhere(there)]), {
          hint: ruleText('ASSIGN-TWICE.hint', [value]),
          related: [{ ...there, message: ruleText('ASSIGN-TWICE.related', [previous.fullName]) }],
        });
      }
    }
  };
  check('assignments.users.user', 'ASSIGN-USER-TWICE', (tokens) => ruleText('ASSIGN-USER-TWICE', tokens));
  check('assignments.profiles.profile', 'ASSIGN-PROFILE-TWICE', (tokens) => ruleText('ASSIGN-PROFILE-TWICE', tokens));
}

/** §10 rule 18: relatedEntityType unique across channels (object API names are case-insensitive). */
function uniqueRelatedEntityType(channels: readonly MetadataDocument[], ctx: ValidationContext) {
  const first = new Map<string, Located>();
  for (const doc of channels) {
    const node = child(doc.root, 'relatedEntityType');
    const entity = textOf(node);
    if (!node || !entity) continue;
    const previous = first.get(entity.toLowerCase());
    if (!previous) first.set(entity.toLowerCase(), { doc, node });
    else if (componentKey(previous.doc) !== componentKey(doc)) {
      const there = ctx.where(previous.doc, previous.node);
      ctx.report('SC-ENTITY-DUPLICATE', doc, node, ruleText('SC-ENTITY-DUPLICATE', [doc.fullName, previous.doc.fullName, formatWhere(there), entity]), {
        hint: ruleText('SC-ENTITY-DUPLICATE.hint', [entity]),
        related: [{ ...there, message: ruleText('SC-ENTITY-DUPLICATE.related', [previous.doc.fullName, entity]) }],
      });
    }
  }
}

const STATUS_ROLES = ['presenceStatusOnDecline', 'presenceStatusOnPushTimeout'] as const;

/** §10 rules 12/16: the status an agent is put in after declining / a push timeout should be an Away status. */
function statusRoles(configs: readonly MetadataDocument[], ctx: ValidationContext, lookup: Lookup) {
  for (let d = 0; d < configs.length; d++) {
    const doc = configs[d];
    for (let e = 0; e < STATUS_ROLES.length; e++) {
      const element = STATUS_ROLES[e];
      const node = child(doc.root, element);
      const name = textOf(node);
      if (!node || !name) continue;
      const status = lookup('ServicePresenceStatus', name);
      const channels = status ? countAt(status.root, 'channels.channel') : 0;
      if (status && channels > 0) {
        const message = channels === 1 ? ruleText('PUC-STATUS-NOT-AWAY.one', [element, name]) : ruleText('PUC-STATUS-NOT-AWAY', [element, name, channels]);
        ctx.report('PUC-STATUS-NOT-AWAY', doc, node, message, {
          hint: ruleText('PUC-STATUS-NOT-AWAY.hint'),
          related: [{ ...ctx.where(status, status.root), message: ruleText('PUC-STATUS-NOT-AWAY.related', [name]) }],
        });
      }
    }
  }
}

/** §10 rule 17: when the project manages status grants, every status it defines is granted somewhere. */
function statusGrants(statuses: readonly MetadataDocument[], grantors: readonly MetadataDocument[], ctx: ValidationContext) {
  const accesses = grantors.flatMap((doc) => nodesAt(doc.root, 'servicePresenceStatusAccesses'));
  if (accesses.length === 0) return; // grants are made in Setup or another project: not knowable here
  const granted = new Set<string>();
  for (const access of accesses) {
    const name = childText(access, 'servicePresenceStatus');
    if (name && childBoolean(access, 'enabled') === true) granted.add(name);
  }
  for (const status of statuses) {
    if (!granted.has(status.fullName)) {
      ctx.report('SPS-NOT-GRANTED', status, status.root, ruleText('SPS-NOT-GRANTED', [status.fullName]), { hint: ruleText('SPS-NOT-GRANTED.hint', [status.fullName]) });
    }
  }
}

/** §10 rules 23, 26, 27 where queue ↔ routing config ↔ presence configuration are all in the project. */
function queueRules(queues: readonly MetadataDocument[], channels: readonly MetadataDocument[], configs: readonly MetadataDocument[], ctx: ValidationContext, lookup: Lookup) {
  if (queues.length === 0) return;
  const configByUser = new Map<string, Located>();
  for (const doc of configs) {
    for (const node of nodesAt(doc.root, 'assignments.users.user')) {
      const user = textOf(node)?.toLowerCase(); // usernames are case-insensitive
      if (user && !configByUser.has(user)) configByUser.set(user, { doc, node });
    }
  }
  const routedEntities = new Set<string>();
  for (const channel of channels) {
    const entity = childText(channel.root, 'relatedEntityType');
    if (entity) routedEntities.add(entity.toLowerCase());
  }
  for (const { relatedEntityType } of REGISTRY_BUILT_INS) if (relatedEntityType) routedEntities.add(relatedEntityType.toLowerCase());

  for (const queue of queues) {
    const routingName = childText(queue.root, 'queueRoutingConfig');
    if (!routingName) continue; // not Omni-routed
    const sobjectNodes = nodesAt(queue.root, 'queueSobject.sobjectType');
    const sobjects = sobjectNodes.map((n) => textOf(n) ?? '').filter(Boolean);

    if (channels.length > 0 && sobjectNodes.length > 0 && !sobjects.some((s) => routedEntities.has(s.toLowerCase()))) {
      ctx.report('QUEUE-SOBJECT-CHANNEL', queue, sobjectNodes[0], ruleText('QUEUE-SOBJECT-CHANNEL', [queue.fullName, sobjects.join(', ')]), { hint: ruleText('QUEUE-SOBJECT-CHANNEL.hint') });
    }

    const routing = lookup('QueueRoutingConfig', routingName);
    if (!routing) continue; // reported by reference resolution
    const percentageNode = child(routing.root, 'capacityPercentage');
    const percentage = childNumber(routing.root, 'capacityPercentage');
    if (sobjects.includes('VoiceCall') && percentageNode && percentage !== undefined && percentage !== 100) {
      ctx.report('QRC-VOICE-FULL-CAPACITY', routing, percentageNode, ruleText('QRC-VOICE-FULL-CAPACITY', [routing.fullName, queue.fullName, percentage]), {
        hint: ruleText('QRC-VOICE-FULL-CAPACITY.hint'),
        related: [{ ...ctx.where(queue), message: ruleText('QRC-VOICE-FULL-CAPACITY.related', [queue.fullName]) }],
      });
    }

    const weightNode = child(routing.root, 'capacityWeight');
    const weight = childNumber(routing.root, 'capacityWeight');
    if (!weightNode || weight === undefined) continue;
    for (const memberNode of nodesAt(queue.root, 'queueMembers.users.user')) {
      const user = textOf(memberNode);
      const config = user ? configByUser.get(user.toLowerCase()) : undefined;
      if (!config) continue;
      const capacity = childNumber(config.doc.root, 'capacity');
      if (capacity !== undefined && weight > capacity) {
        ctx.report('QRC-CAPACITY-EXCEEDS-AGENT', routing, weightNode, ruleText('QRC-CAPACITY-EXCEEDS-AGENT', [weight, capacity, config.doc.fullName, queue.fullName, user!]), {
          hint: ruleText('QRC-CAPACITY-EXCEEDS-AGENT.hint', [capacity, config.doc.fullName]),
          related: [
            { ...ctx.where(queue, memberNode), message: ruleText('QRC-CAPACITY-EXCEEDS-AGENT.relatedMember', [queue.fullName]) },
            { ...ctx.where(config.doc, child(config.doc.root, 'capacity')), message: ruleText('QRC-CAPACITY-EXCEEDS-AGENT.relatedCapacity', [config.doc.fullName]) },
          ],
        });
      }
    }
  }
}

/** Does the document use a feature the OmniChannelSettings flag `setting` gates (registry `needsSetting`)? */
function usesSetting(doc: MetadataDocument, setting: string): boolean {
  // Asked of every document when a switch is off: no array or closure per document of a type without uses.
  const uses = doc.type.needsSetting;
  if (!uses) return false;
  for (let u = 0; u < uses.length; u++) {
    const use = uses[u];
    if (use.setting !== setting || countAt(doc.root, use.path) === 0) continue;
    if (use.equals === undefined || nodesAt(doc.root, use.path).some((node) => textOf(node) === use.equals)) return true;
  }
  return false;
}

/** §10 rule 28, as far as the project's own OmniChannelSettings show it. */
function settingsSwitches(settings: readonly MetadataDocument[], documents: readonly MetadataDocument[], ctx: ValidationContext, twins?: TwinDocuments) {
  // Only documents of a type with setting uses can use one: the others (10,000 configurations) are not asked.
  let withUses: MetadataDocument[] | undefined;
  const users = () => (withUses ??= documents.filter((d) => d.type.needsSetting?.length));
  for (const doc of settings) {
    const off = (element: string) => childBoolean(doc.root, element) !== true;
    const omniNode = child(doc.root, 'enableOmniChannel');
    // Every Omni component document, the spec's twins included (a twin has its file's type).
    let omniDocs = 0;
    if (omniNode && childBoolean(doc.root, 'enableOmniChannel') === false) {
      for (let d = 0; d < documents.length; d++) if (documents[d].type.requiresOmni) omniDocs++;
      for (let t = 0; t < (twins?.sources.length ?? 0); t++) if (documents[twins!.sources[t]].type.requiresOmni) omniDocs++;
    }
    if (omniDocs) {
      ctx.report('SETTINGS-OMNI-DISABLED', doc, omniNode, ruleText('SETTINGS-OMNI-DISABLED.omni', [countText('validate-output', 'count.omniComponent', omniDocs, [omniDocs])]), { hint: ruleText('SETTINGS-OMNI-DISABLED.omni.hint') });
    }
    // The documents are searched only when the switch is off (a scan of every document otherwise).
    const skilled = off('enableOmniSkillsRouting') ? users().find((d) => usesSetting(d, 'enableOmniSkillsRouting')) : undefined;
    if (skilled) {
      ctx.report('SETTINGS-OMNI-DISABLED', doc, child(doc.root, 'enableOmniSkillsRouting') ?? doc.root, ruleText('SETTINGS-OMNI-DISABLED.skills', [skilled.fullName]), {
        hint: ruleText('SETTINGS-OMNI-DISABLED.skills.hint'),
        related: [{ ...ctx.where(skilled, nodesAt(skilled.root, 'skills')[0]), message: ruleText('SETTINGS-OMNI-DISABLED.skills.related', [skilled.fullName]) }],
      });
    }
    const statusBased = off('enableOmniStatusCapModel') ? users().find((d) => usesSetting(d, 'enableOmniStatusCapModel')) : undefined;
    if (statusBased) {
      ctx.report('SETTINGS-OMNI-DISABLED', doc, child(doc.root, 'enableOmniStatusCapModel') ?? doc.root, ruleText('SETTINGS-OMNI-DISABLED.statusBased', [statusBased.fullName]), {
        hint: ruleText('SETTINGS-OMNI-DISABLED.statusBased.hint'),
        related: [{ ...ctx.where(statusBased, child(statusBased.root, 'capacityModel')), message: ruleText('SETTINGS-OMNI-DISABLED.statusBased.related', [statusBased.fullName]) }],
      });
    }
  }
}
