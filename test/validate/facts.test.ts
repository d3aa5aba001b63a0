/**
 * `omni validate` keeps, of each document whose own rules ran, only the top-level elements the project rules
 * read (`projectFacts`), not its whole tree. These tests hold that path to the whole-tree one: the same
 * findings (ids, messages, locations, related locations, order) over the real corpus
 * (../shared/omni-presence-corpus/, read in place) and over a project built to trip every cross-file rule.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { MetadataDocument } from '../../scripts/metadata/document.ts';
import type { XmlNode } from '../../scripts/metadata/xml.ts';
import { HeldSpec } from '../../scripts/validate/held.ts';
import * as compiler from '../../scripts/yaml-spec/compile.ts';
import { specToDocuments } from '../../scripts/yaml-spec/compile.ts';
import { applyPlan, planGeneration } from '../../scripts/yaml-spec/generate.ts';
import { loadSpec } from '../../scripts/yaml-spec/load.ts';
import type { Severity } from '../../scripts/lib/diagnostic.ts';
import { summarize } from '../../scripts/validate/format.ts';
import { validateDocuments, validateProject, type ValidateProjectOptions } from '../../scripts/validate/index.ts';
import { projectFacts } from '../../scripts/validate/project-rules.ts';
import { corpusDir, corpusDocumentsByRepo } from '../metadata/helpers.ts';
import { DEFAULT, filesProject, pdr, permset, puc, qrc, queue, sc, settings, sps, xml } from './helpers.ts';

describe('the corpus: pruned documents give the findings of whole trees', () => {
  const byRepo = corpusDocumentsByRepo();
  const all = [...byRepo.values()].flat();
  // No membership; membership facts with nobody holding or in anything (turns on PUC-NOT-HELD, QUEUE-NO-MEMBERS).
  const memberships = [undefined, { kind: 'source' as const, configHolders: new Map<string, number>(), queueMembers: new Map<string, number>() }];

  test('pruning drops elements of the corpus presence configurations (the comparison is not vacuous)', () => {
    const configs = all.filter((d) => d.type.name === 'PresenceUserConfig');
    expect(configs.length).toBeGreaterThan(40);
    const dropped = configs.filter((d) => projectFacts(d).root.children.length < d.root.children.length);
    expect(dropped.length).toBeGreaterThan(configs.length / 2);
    // The document given is left whole.
    expect(configs.every((d) => projectFacts(d) === d || projectFacts(d).root !== d.root)).toBe(true);
  });

  test.each(memberships.map((membership) => [membership ? 'with membership' : 'without membership', membership] as const))(
    'each repository as a project and the whole corpus as one, %s',
    (_label, membership) => {
      for (const [apiVersion, docs] of [...[...byRepo.values()].map((d) => [66, d] as const), [66, all] as const, [60, all] as const, [undefined, all] as const]) {
        const whole = validateDocuments(docs, { apiVersion, membership });
        const pruned = validateDocuments(docs, { apiVersion, membership, projectFacts: true });
        expect(pruned).toEqual(whole);
      }
      // The whole corpus as one project trips cross-file rules (assigned twice, duplicate objects, status roles…).
      const ruleIds = new Set(validateDocuments(all, { apiVersion: 66, membership, projectFacts: true }).map((d) => d.ruleId));
      expect(ruleIds.size).toBeGreaterThan(5);
    },
  );
});

const u = (name: string) => `<users><user>${name}</user></users>`;
const crossFileProject = {
  // Status roles: the decline status has channels (PUC-STATUS-NOT-AWAY); A and B assign one user twice;
  // the queue's routing weight exceeds A's capacity; skills and a status-based model with both switches off.
  [puc('A')]: xml('PresenceUserConfig', [
    `<assignments>${u('agent@example.com')}<profiles><profile>Support</profile></profiles></assignments>`,
    '<capacity>2</capacity>',
    '<declineReasons>Busy_Reason</declineReasons>',
    '<declineReasons>Missing_Reason</declineReasons>',
    '<enableAutoAccept>false</enableAutoAccept>',
    '<enableDecline>true</enableDecline>',
    '<label>A</label>',
    '<presenceStatusOnDecline>Online</presenceStatusOnDecline>',
    '<presenceStatusOnPushTimeout>Onlne</presenceStatusOnPushTimeout>',
  ]),
  [puc('B')]: xml('PresenceUserConfig', [`<assignments>${u('AGENT@example.com')}<profiles><profile>support</profile></profiles></assignments>`, '<capacity>5</capacity>', '<enableAutoAccept>true</enableAutoAccept>', '<label>B</label>']),
  [puc('C')]: xml('PresenceUserConfig', ['<capacity>5</capacity>', '<enableDecline>false</enableDecline>', '<label>C</label>']),
  [sps('Online')]: xml('ServicePresenceStatus', ['<channels><channel>Cases</channel></channels>', '<label>Online</label>']),
  [sps('Away')]: xml('ServicePresenceStatus', ['<label>Away</label>']),
  [pdr('Busy_Reason')]: xml('PresenceDeclineReason', ['<label>Busy</label>']),
  [sc('Cases')]: xml('ServiceChannel', ['<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>']),
  [sc('Cases2')]: xml('ServiceChannel', ['<label>Cases 2</label>', '<relatedEntityType>case</relatedEntityType>']),
  [qrc('Routing')]: xml('QueueRoutingConfig', ['<capacityModel>StatusBased</capacityModel>', '<capacityWeight>4</capacityWeight>', '<label>Routing</label>', '<routingModel>MostAvailable</routingModel>', '<routingPriority>1</routingPriority>', '<skills><skill>Spanish</skill></skills>']),
  [queue('Support_Queue')]: xml('Queue', ['<name>Support</name>', `<queueMembers>${u('agent@example.com')}</queueMembers>`, '<queueRoutingConfig>Routing</queueRoutingConfig>', '<queueSobject><sobjectType>VoiceCall</sobjectType></queueSobject>']),
  [permset('Grants')]: xml('PermissionSet', ['<label>Grants</label>', '<servicePresenceStatusAccesses><enabled>true</enabled><servicePresenceStatus>Online</servicePresenceStatus></servicePresenceStatusAccesses>']),
  [settings()]: xml('OmniChannelSettings', ['<enableOmniChannel>true</enableOmniChannel>', '<enableOmniSkillsRouting>false</enableOmniSkillsRouting>', '<enableOmniStatusCapModel>false</enableOmniStatusCapModel>']),
};

describe('validateProject without keeping documents', () => {
  const files = crossFileProject;

  test('the same findings as with whole documents, and no documents returned', async () => {
    const root = filesProject(files);
    const whole = await validateProject({ projectRoot: root, specFile: null });
    const pruned = await validateProject({ projectRoot: root, specFile: null, keepDocuments: false });
    expect(pruned.diagnostics).toEqual(whole.diagnostics);
    expect(pruned.filesChecked).toBe(whole.filesChecked);
    expect(pruned.documents).toEqual([]);
    expect(whole.documents.length).toBe(Object.keys(files).length);
    const ruleIds = new Set(whole.diagnostics.map((d) => d.ruleId));
    for (const id of ['ASSIGN-USER-TWICE', 'ASSIGN-PROFILE-TWICE', 'PUC-STATUS-NOT-AWAY', 'SC-ENTITY-DUPLICATE', 'SPS-NOT-GRANTED']) expect(ruleIds).toContain(id);
    // Chosen paths: the rest of the project is read as context (not reported), pruned alike.
    const chosen = { projectRoot: root, specFile: null, paths: [puc('A'), puc('B')] };
    expect((await validateProject({ ...chosen, keepDocuments: false })).diagnostics).toEqual((await validateProject(chosen)).diagnostics);
  });
});

describe('findings below the level an output shows: counted, not returned', () => {
  // The text output without --level info prints only how many infos it hides (and under --level error, how
  // many warnings): validateProject's `shownLevel` counts those instead of building them. Every other finding,
  // its order, and the summary's counts must be those of the full run.
  const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  const spec = ['presenceConfigurations:', '  Spec_Config:', '    label: Spec Config', '    capacity: 2', "    profiles: ['Nobody Has This Profile']", '    statusOnDecline: Busy', ''].join('\n');
  const cases: Array<[string, () => ValidateProjectOptions]> = [
    ['a project tripping the cross-file rules, with a spec', () => ({ projectRoot: filesProject({ ...crossFileProject, 'config/omni-channel.yaml': spec }) })],
    ['chosen paths of it (the rest read as context, its findings not reported)', () => ({ projectRoot: filesProject(crossFileProject), paths: [puc('A'), queue('Support_Queue')] })],
    ['the corpus as a folder of a project', () => ({ projectRoot: filesProject({}), paths: [corpusDir] })],
  ];
  test.each(cases)('%s', async (_label, options) => {
    const base = { ...options(), keepDocuments: false };
    const full = await validateProject(base);
    const severities = new Set(full.diagnostics.map((d) => d.severity));
    // Not vacuous: each case has findings of the severities that get hidden.
    expect(severities).toContain('info');
    for (const level of ['error', 'warning'] as const) {
      const shown = await validateProject({ ...base, shownLevel: level });
      expect(shown.diagnostics).toEqual(full.diagnostics.filter((d) => RANK[d.severity] <= RANK[level]));
      expect(summarize(shown.diagnostics, shown.filesChecked, shown.hidden)).toEqual(summarize(full.diagnostics, full.filesChecked));
      expect(shown.hidden!.infos).toBe(full.diagnostics.filter((d) => d.severity === 'info').length);
      expect(shown.hidden!.warnings).toBe(level === 'error' ? full.diagnostics.filter((d) => d.severity === 'warning').length : 0);
    }
    expect((await validateProject({ ...base, shownLevel: 'info' })).diagnostics).toEqual(full.diagnostics);
  });

  test('the corpus has warnings for --level error to hide, and the spec its own info', async () => {
    const corpus = await validateProject({ projectRoot: filesProject({}), paths: [corpusDir], keepDocuments: false });
    expect(corpus.diagnostics.filter((d) => d.severity === 'warning').length).toBeGreaterThan(100);
    const withSpec = await validateProject({ projectRoot: filesProject({ ...crossFileProject, 'config/omni-channel.yaml': spec }), keepDocuments: false });
    expect(withSpec.diagnostics.filter((d) => d.severity === 'info' && d.file === 'config/omni-channel.yaml').length).toBeGreaterThan(0);
  });
});

describe('the spec beside the XML files', () => {
  // The spec's documents are checked and pruned before the XML files are read (validateProject), yet the
  // project rules must still see them after the validated files: a name both define resolves to the file's.
  // Here the file's status Busy has a channel (not an Away status), the spec's has none: the spec's
  // configuration, whose decline status is Busy, is told it is not an Away status only if the file's wins.
  const files = {
    [sps('Busy')]: xml('ServicePresenceStatus', ['<channels><channel>Cases</channel></channels>', '<label>Busy</label>']),
    [sc('Cases')]: xml('ServiceChannel', ['<label>Cases</label>', '<relatedEntityType>Case</relatedEntityType>']),
    'config/omni-channel.yaml': [
      'statuses:',
      '  Busy:',
      '    label: Busy',
      'presenceConfigurations:',
      '  Spec_Config:',
      '    label: Spec Config',
      '    capacity: 2',
      '    allowDecline: true',
      '    statusOnDecline: Busy',
      '',
    ].join('\n'),
  };

  test.each([true, false])('a name in both resolves to the validated file (keepDocuments: %s)', async (keepDocuments) => {
    const root = filesProject(files);
    const result = await validateProject({ projectRoot: root, keepDocuments });
    const notAway = result.diagnostics.filter((d) => d.ruleId === 'PUC-STATUS-NOT-AWAY');
    expect(notAway.map((d) => [d.file, d.line])).toEqual([['config/omni-channel.yaml', 9]]);
  });
});

describe("the spec's documents held as positions over their XML twins", () => {
  // `omni validate` holds the spec's entries (read first) uncompiled until the XML is read; one whose generated
  // XML file has the same elements and no findings of its own becomes a document over the file's facts that
  // reports the spec's positions, and runs no document rules of its own (scripts/validate/held.ts). Held to the
  // whole-document path (keepDocuments: true holds nothing that way): the same findings, located in the spec at
  // the same lines and columns, related locations and order included.
  const spec = [
    'statuses:',
    '  Busy:',
    '    label: Busy',
    '    channels: [Cases]',
    '  Away:',
    '    label: Away',
    'channels:',
    '  Cases:',
    '    label: Cases',
    '    relatedEntityType: Case',
    'declineReasons:',
    '  Reason_1:',
    '    label: Reason 1',
    'presenceConfigurations:',
    '  A:',
    '    label: A',
    '    capacity: 2',
    '    allowDecline: true',
    '    declineReasons: [Reason_1, Reason_9]',
    '    statusOnDecline: Busy',
    "    profiles: ['Support', 'Sales']",
    '    otherElements:',
    '      assignments/groups:',
    '        group: Tier1',
    '  B:',
    '    label: B',
    '    capacity: 5',
    "    profiles: ['support', 'Ops']",
    '    statusOnPushTimeout: Awya',
    '  C:',
    '    label: C',
    '    capacity: 3',
    '    statusOnDecline: Away',
    '  D:',
    '    label: D',
    '    capacity: 4',
    '    allowDecline: true',
    '    declineReasons: [Reason_1, Reason_1]',
    '    afterConversationWork: { seconds: 30 }',
    "    profiles: ['Sales']",
    '',
  ].join('\n');

  async function generated(edit?: (root: string) => void): Promise<string> {
    const root = filesProject({ 'config/omni-channel.yaml': spec });
    const plan = await planGeneration({ specFile: path.join(root, 'config/omni-channel.yaml'), projectRoot: root });
    expect(plan.diagnostics).toEqual([]);
    await applyPlan(plan);
    edit?.(root);
    return root;
  }
  const file = (root: string, relative: string) => path.join(root, relative);

  test.each<[string, ((root: string) => void) | undefined]>([
    ['every spec document with its generated twin (D’s has findings of its own: a decline reason twice)', undefined],
    [
      'twins that drift: a changed value, a missing file, an element more, a name in other case, a file in another folder, a file named as a twin in other case',
      (root) => {
        // REASON_1's file comes before Reason_1's: Reason_1's, and the spec's Reason_1 (its twin), name it.
        const reason = file(root, pdr('Reason_1'));
        writeFileSync(reason.replace('Reason_1.', 'REASON_1.'), readFileSync(reason, 'utf8'));
        const b = file(root, puc('B'));
        writeFileSync(b, readFileSync(b, 'utf8').replace('<capacity>5</capacity>', '<capacity>6</capacity>'));
        rmSync(file(root, puc('C')));
        const a = file(root, puc('A'));
        writeFileSync(a, readFileSync(a, 'utf8').replace('<label>A</label>', '<interruptibleCapacity>1</interruptibleCapacity>\n    <label>A</label>'));
        const busy = file(root, sps('Busy'));
        writeFileSync(busy, readFileSync(busy, 'utf8').replace('<label>Busy</label>', '<label>busy</label>'));
        // Away's file is where another type's go: FILE-LOCATION there, none for the spec's Away.
        const away = file(root, sps('Away'));
        writeFileSync(file(root, sc('Away').replace('.serviceChannel-meta.xml', '.servicePresenceStatus-meta.xml')), readFileSync(away, 'utf8'));
        rmSync(away);
      },
    ],
  ])('%s: the findings of whole documents', async (_label, edit) => {
    const root = await generated(edit);
    const whole = await validateProject({ projectRoot: root, keepDocuments: true });
    const held = await validateProject({ projectRoot: root, keepDocuments: false });
    expect(held.diagnostics).toEqual(whole.diagnostics);
    // The text output's default level: the twins' infos counted as the whole run has them, per file.
    const shown = await validateProject({ projectRoot: root, keepDocuments: false, shownLevel: 'warning' });
    expect(shown.diagnostics).toEqual(whole.diagnostics.filter((d) => d.severity !== 'info'));
    expect(shown.hidden!.infos).toBe(whole.diagnostics.filter((d) => d.severity === 'info').length);
    expect([...shown.hidden!.files].sort()).toEqual([...new Set(whole.diagnostics.filter((d) => d.severity === 'info').map((d) => d.file))].sort());
    // Not vacuous: the reference rules, which visit every document (the spec's too), report in the spec at list
    // items and values below their entries' lines; the rules that visit one document per name (assigned twice,
    // status roles) report at the XML file, the one that comes first, with a related location; D's decline
    // reason twice is reported in its file and in the spec, each at its own line.
    const inSpec = whole.diagnostics.filter((d) => d.file === 'config/omni-channel.yaml');
    for (const id of ['REF-UNRESOLVED', 'REF-UNRESOLVED-LOCALLY', 'REF-DUPLICATE']) expect(inSpec.map((d) => d.ruleId)).toContain(id);
    expect(whole.diagnostics.filter((d) => d.ruleId === 'REF-DUPLICATE').map((d) => d.file)).toEqual(['config/omni-channel.yaml', puc('D')]);
    expect(new Set(inSpec.map((d) => `${d.line}:${d.column}`)).size).toBeGreaterThan(3);
    // B's two profiles (a twin's, in the undrifted project): two findings at one spec position, which the sort keeps
    // in the order they were made.
    const bInSpec = inSpec.filter((d) => /"(support|Ops)"/.test(d.message));
    expect(bInSpec.map((d) => /"(\w+)"/.exec(d.message)![1])).toEqual(['support', 'Ops']);
    expect(new Set(bInSpec.map((d) => `${d.line}:${d.column}`)).size).toBe(1);
    for (const id of ['PUC-STATUS-NOT-AWAY', 'ASSIGN-PROFILE-TWICE']) expect(whole.diagnostics.find((d) => d.ruleId === id)?.related?.length).toBe(1);
    if (edit) expect(whole.diagnostics.filter((d) => d.ruleId === 'FILE-LOCATION').map((d) => d.file)).toEqual([sc('Away').replace('.serviceChannel-meta.xml', '.servicePresenceStatus-meta.xml')]);
    if (edit) expect(whole.diagnostics.filter((d) => d.ruleId === 'NAME-DUPLICATE' && /REASON_1/.test(d.message)).map((d) => d.file)).toEqual(['config/omni-channel.yaml', pdr('Reason_1')]);
  });

  test('a file of the same name after a first one with findings: the entry is no twin, the findings are whole documents’', async () => {
    const root = await generated((r) => {
      // The first file of that name (its folder sorts first) is in the wrong folder (FILE-LOCATION); the second agrees.
      mkdirSync(file(r, `${DEFAULT}/aaa`));
      copyFileSync(file(r, pdr('Reason_1')), file(r, `${DEFAULT}/aaa/Reason_1.presenceDeclineReason-meta.xml`));
    });
    const whole = await validateProject({ projectRoot: root, keepDocuments: true });
    const held = await validateProject({ projectRoot: root, keepDocuments: false });
    expect(held.diagnostics).toEqual(whole.diagnostics);
    expect(whole.diagnostics.filter((d) => d.ruleId === 'FILE-LOCATION').map((d) => d.file)).toEqual([`${DEFAULT}/aaa/Reason_1.presenceDeclineReason-meta.xml`]);
  });

  test('an entry whose file agrees and found nothing is kept over the file’s facts, any other built as it was', async () => {
    const root = await generated((r) => {
      const b = file(r, puc('B'));
      writeFileSync(b, readFileSync(b, 'utf8').replace('<capacity>5</capacity>', '<capacity>6</capacity>'));
    });
    const loaded = await loadSpec(path.join(root, 'config/omni-channel.yaml'), { projectRoot: root });
    const options = { apiVersion: '66.0', locate: loaded.locate, file: loaded.displayFile };
    const specDocs = specToDocuments(loaded.spec!, options);
    const xmlDocs = (await validateProject({ projectRoot: root, specFile: null })).documents;
    const store = new HeldSpec();
    expect(store.hold(loaded.spec!, options, compiler)).toBe(specDocs.length);
    // C's file is offered as one with findings of its own: C is built as the others without a twin.
    const xmlFacts = new Map(xmlDocs.map((doc) => [doc, projectFacts(doc)]));
    for (const [i, doc] of xmlDocs.entries()) store.offer(doc, xmlFacts.get(doc)!, doc.fullName !== 'C', i);
    const released: [MetadataDocument, boolean][] = [];
    store.release(
      (doc) => released.push([doc, true]),
      (entry, source) => {
        // A twin is given with its file's index: the file of its type and name.
        const twin = store.twinDocument(entry);
        expect([xmlDocs[source].type, xmlDocs[source].fullName]).toEqual([twin.type, twin.fullName]);
        released.push([twin, false]);
      },
    );
    expect(released.map(([d]) => `${d.type.name}:${d.fullName}`)).toEqual(specDocs.map((d) => `${d.type.name}:${d.fullName}`));
    const twinOf = (doc: MetadataDocument) => xmlFacts.get(xmlDocs.find((x) => x.type === doc.type && x.fullName === doc.fullName)!)!;
    for (const [i, [doc, built]] of released.entries()) {
      const specDoc = specDocs[i];
      if (doc.fullName === 'A' || doc.fullName === 'B' || doc.fullName === 'C') {
        // A writes otherElements (placed at their own keys), B's file differs (capacity), C's has findings: each
        // built whole, at its own positions, to be checked.
        expect(built).toBe(true);
        expect(doc).toEqual(specDoc);
        expect(store.positionOf(doc, doc.root)).toBeUndefined();
      } else {
        // …the others are their file's facts, reading as the spec's document's facts, located where the spec has them.
        expect(built).toBe(false);
        const facts = projectFacts(specDoc);
        expect(doc.root.children).toBe(twinOf(doc).root.children);
        expect(strip(doc.root)).toEqual(strip(facts.root));
        const specNodes = walk(facts.root);
        for (const [n, node] of walk(doc.root).entries()) expect(store.positionOf(doc, node)).toEqual({ line: specNodes[n].line, column: specNodes[n].column });
      }
    }
    // Not vacuous: most are twins.
    expect(released.filter(([, built]) => !built).length).toBe(released.length - 3);
  });
});

function walk(node: XmlNode, out: XmlNode[] = []): XmlNode[] {
  out.push(node);
  for (const child of node.children) walk(child, out);
  return out;
}

/** A node as a rule reads it: everything but its position. */
function strip(node: XmlNode): unknown {
  const { line: _line, column: _column, children, ...rest } = node;
  return { ...rest, children: children.map(strip) };
}
