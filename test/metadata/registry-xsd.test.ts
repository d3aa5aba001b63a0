/**
 * The registry must describe exactly what the WSDL (../shared/reference/omni-metadata.xsd) says: element
 * names, WSDL order, required (minOccurs=1), repeated (maxOccurs=unbounded), value kinds and enum values,
 * recursively for every modelled complex element. The structure is generated (registry-generated.test.ts
 * checks the committed file); this reads the XSD with the product's own XML parser instead of the
 * generator's, so a generator bug and the merge with the overlay are caught too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  AFTER_CONVERSATION_WORK_ELEMENTS,
  DEVELOPER_NAME_MAX_LENGTH,
  DEVELOPER_NAME_PATTERN,
  METADATA_TYPES,
  elementAt,
  findTypeBySuffix,
  getType,
  rangeOf,
  rangeText,
  sourceFilePath,
  typeForFile,
  typeForSourceFileName,
  isMetadataFile,
  type ElementDef,
} from '../../scripts/metadata/registry.ts';
import fc from 'fast-check';
import { parseXml, type XmlNode } from '../../scripts/metadata/xml.ts';
import { xsdPath } from './helpers.ts';
import { REPO_ROOT } from '../helpers/paths.ts';

const parsed = parseXml(readFileSync(xsdPath, 'utf8'));
if (!parsed.root) throw new Error(`cannot parse ${xsdPath}: ${parsed.error?.message}`);
const schema = parsed.root;

const local = (name: string) => name.slice(name.indexOf(':') + 1);
const byName = (tag: string) => new Map(schema.children.filter((n) => local(n.name) === tag).map((n) => [n.attributes!.name, n]));
const complexTypes = byName('complexType');
const simpleTypes = byName('simpleType');
const rootElements = schema.children.filter((n) => local(n.name) === 'element').map((n) => n.attributes!.name);

function find(node: XmlNode, tag: string): XmlNode | undefined {
  if (local(node.name) === tag) return node;
  for (const child of node.children) {
    const hit = find(child, tag);
    if (hit) return hit;
  }
  return undefined;
}

/** The own sequence of a complexType (for an extension of Metadata: the part after the inherited fullName). */
function sequenceOf(typeName: string): XmlNode[] {
  const type = complexTypes.get(typeName);
  if (!type) throw new Error(`complexType ${typeName} not in the XSD`);
  const sequence = find(type, 'sequence');
  return sequence ? sequence.children.filter((n) => local(n.name) === 'element') : [];
}

interface XsdElement {
  name: string;
  required: boolean;
  repeated: boolean;
  kind: string;
  enumValues?: string[];
  complexType?: string;
}

function describeXsdElement(node: XmlNode): XsdElement {
  const a = node.attributes!;
  const type = a.type;
  const base: XsdElement = { name: a.name, required: a.minOccurs !== '0', repeated: a.maxOccurs === 'unbounded', kind: '' };
  const builtIn: Record<string, string> = { 'xsd:string': 'string', 'xsd:int': 'int', 'xsd:double': 'double', 'xsd:boolean': 'boolean' };
  if (builtIn[type]) return { ...base, kind: builtIn[type] };
  const named = local(type);
  const simple = simpleTypes.get(named);
  if (simple) {
    const enumValues = (find(simple, 'restriction')?.children ?? []).filter((n) => local(n.name) === 'enumeration').map((n) => n.attributes!.value);
    return { ...base, kind: 'enum', enumValues };
  }
  if (complexTypes.has(named)) return { ...base, kind: 'complex', complexType: named };
  throw new Error(`unhandled XSD type ${type} of ${a.name}`);
}

/** Compares a registry element list with an XSD sequence, recursing into modelled complex elements. */
function compare(defs: readonly ElementDef[], sequence: XmlNode[], where: string, opaqueAllowed: boolean): void {
  const xsd = sequence.map(describeXsdElement);
  expect(
    defs.map((d) => d.name),
    `${where}: element names and order`,
  ).toEqual(xsd.map((x) => x.name));
  for (const [i, def] of defs.entries()) {
    const x = xsd[i];
    const at = `${where}.${def.name}`;
    expect(def.required === true, `${at}: required`).toBe(x.required);
    expect(def.repeated === true, `${at}: repeated`).toBe(x.repeated);
    expect(def.kind, `${at}: kind`).toBe(x.kind);
    if (x.kind === 'enum') expect(def.enumValues, `${at}: enum values`).toEqual(x.enumValues);
    else expect(def.enumValues, `${at}: enum values on a non-enum`).toBeUndefined();
    if (x.kind === 'complex') {
      const opaque = def.opaque === true || def.children === undefined;
      if (opaque) {
        expect(opaqueAllowed, `${at}: only partial types may leave complex elements unmodelled`).toBe(true);
      } else {
        compare(def.children!, sequenceOf(x.complexType!), at, false);
      }
    } else {
      expect(def.children, `${at}: children on a simple element`).toBeUndefined();
    }
  }
}

describe('registry matches omni-metadata.xsd', () => {
  test('every root element of the XSD is a registry type and vice versa', () => {
    expect([...rootElements].sort()).toEqual(METADATA_TYPES.map((t) => t.name).sort());
  });

  for (const type of METADATA_TYPES) {
    test(`${type.name}: names, order, required, repeated, kinds, enums (recursively)`, () => {
      const own = sequenceOf(type.name);
      // Every type extends tns:Metadata, whose only element is fullName (never written in source format).
      expect(find(complexTypes.get(type.name)!, 'extension')?.attributes?.base).toBe('tns:Metadata');
      compare(type.elements, own, type.name, type.partial === true);
    });
  }

  test('the drift check itself notices a changed registry', () => {
    const type = getType('ServicePresenceStatus');
    const swapped = [type.elements[1], type.elements[0]];
    expect(() => compare(swapped, sequenceOf('ServicePresenceStatus'), 'swapped', false)).toThrow();
    const notRequired = type.elements.map((e) => (e.name === 'label' ? { ...e, required: false } : e));
    expect(() => compare(notRequired, sequenceOf('ServicePresenceStatus'), 'label', false)).toThrow();
  });
});

describe('registry lookups', () => {
  test('versions from the spec (§1–§5, §10 rule 3)', () => {
    const since = (type: string, p: string) => elementAt(getType(type), p)?.since;
    for (const e of ['acwExtensionDuration', 'afterConvoWorkMaxTime', 'hasAcwExtensionEnabled', 'hasAfterConvoWorkTimer', 'maxExtensions']) {
      expect(since('PresenceUserConfig', e), e).toBe(65);
    }
    expect(since('PresenceUserConfig', 'userDisplayName')).toBe(64);
    expect(since('PresenceUserConfig', 'interruptibleCapacity')).toBe(57);
    expect(since('ServiceChannel', 'hasAfterConvoWorkTimer')).toBe(52);
    expect(since('ServiceChannel', 'afterConvoWorkMaxTime')).toBe(52);
    for (const e of ['acwExtensionDuration', 'hasAcwExtensionEnabled', 'maxExtensions']) expect(since('ServiceChannel', e), e).toBe(56);
    for (const e of ['capacityModel', 'statusField', 'serviceChannelStatusFieldMappings', 'doesCheckCapOnOwnerChange', 'doesCheckCapOnStatusChange']) {
      expect(since('ServiceChannel', e), e).toBe(65);
    }
    expect(since('ServiceChannel', 'isInterruptible')).toBe(57);
    expect(since('QueueRoutingConfig', 'pausedCapacityWeight')).toBe(64);
    expect(since('QueueRoutingConfig', 'pausedCapacityPercentage')).toBe(64);
    expect(since('PermissionSet', 'servicePresenceStatusAccesses')).toBe(64);
    expect(since('Profile', 'servicePresenceStatusAccesses')).toBe(64);
    expect(since('Queue', 'doesIncludeBosses')).toBe(67);
  });

  test('every reference path names an element of its type', () => {
    for (const type of METADATA_TYPES) {
      for (const ref of type.references) {
        const def = elementAt(type, ref.path);
        expect(def, `${type.name} ${ref.path}`).toBeDefined();
        expect(def!.kind, `${type.name} ${ref.path}`).toBe('string');
      }
    }
    expect(getType('PresenceUserConfig').references.find((r) => r.path === 'assignments.profiles.profile')?.caseInsensitive).toBe(true);
  });

  test('behaviour facts name real elements: settings flags of OmniChannelSettings, assignment and member paths', () => {
    const settings = getType('OmniChannelSettings');
    expect(settings.omniSwitch).toBe('enableOmniChannel');
    for (const type of METADATA_TYPES) {
      for (const use of type.needsSetting ?? []) {
        expect(elementAt(settings, use.setting)?.kind, `${type.name} ${use.path} → ${use.setting}`).toBe('boolean');
        expect(elementAt(type, use.path), `${type.name} ${use.path}`).toBeDefined();
      }
      for (const p of [type.userMembers?.path, type.agentAssignments?.users, type.agentAssignments?.profiles].filter((x) => x !== undefined)) {
        expect(elementAt(type, p)?.repeated, `${type.name} ${p}`).toBe(true);
      }
    }
    expect(METADATA_TYPES.filter((t) => t.agentAssignments).map((t) => t.name)).toEqual(['PresenceUserConfig']);
    expect(METADATA_TYPES.filter((t) => t.grantsStatusAccess).map((t) => t.name)).toEqual(['PermissionSet', 'Profile']);
    expect(METADATA_TYPES.filter((t) => t.userAssignable).map((t) => t.name)).toEqual(['PermissionSet']);
    expect(getType('Queue').omniOnlyWith).toBe('queueRoutingConfig');
    // takeUsers and findUsers read a wrapper.list.item path.
    for (const type of METADATA_TYPES.filter((t) => t.userMembers)) expect(type.userMembers!.path.split('.'), type.name).toHaveLength(3);
    expect(METADATA_TYPES.filter((t) => t.userMembers).map((t) => t.name)).toEqual(['PresenceUserConfig', 'Queue']);
    // Built-in components (spec §4, §1.7): the three channels with their objects and features, the default configuration.
    expect(getType('ServiceChannel').builtIns).toEqual({
      sfdc_phone: { relatedEntityType: 'VoiceCall', feature: 'Voice' },
      sfdc_livemessage: { relatedEntityType: 'MessagingSession', feature: 'Messaging' },
      sfdc_liveagent: { relatedEntityType: 'LiveChatTranscript', feature: 'Chat' },
    });
    expect(getType('PresenceUserConfig').builtIns).toEqual({ default_presence_config: { orgDefault: true } });
  });

  test('ranges and platform defaults from the spec (§1.2 rows 10 and 13, §4, §10 rules 9–11, 19)', () => {
    for (const type of ['PresenceUserConfig', 'ServiceChannel']) {
      expect(rangeOf(type, 'afterConvoWorkMaxTime'), type).toEqual({ min: 10, max: 3600 });
      expect(rangeOf(type, 'acwExtensionDuration'), type).toEqual({ min: 10, max: 3600 });
      expect(rangeOf(type, 'maxExtensions'), type).toEqual({ min: 1, max: 10 });
    }
    expect(rangeOf('PresenceUserConfig', 'interruptibleCapacity')).toEqual({ min: 1 });
    expect(rangeText({ min: 10, max: 3600 })).toBe('10–3600');
    expect(rangeText({ min: 1 })).toBe('≥ 1');
    // §10 rule 5: at least 1; §1.2 row 4: no maximum documented, so none (xsd:int bounds the XML).
    expect(rangeOf('PresenceUserConfig', 'capacity')).toEqual({ min: 1 });
    // §10 rules 22 and 24: a priority and seconds are at least 0. §5.1 gives the skills timeout and the paused
    // capacities no range: seconds and capacity used at least 0, a percentage of capacity at most 100 (rule 23).
    for (const path of ['routingPriority', 'pushTimeout', 'dropAdditionalSkillsTimeout', 'pausedCapacityWeight']) expect(rangeOf('QueueRoutingConfig', path), path).toEqual({ min: 0 });
    expect(rangeOf('QueueRoutingConfig', 'pausedCapacityPercentage')).toEqual({ min: 0, max: 100 });
    expect(() => rangeOf('ServiceChannel', 'serviceChannelFieldPriorities.priority')).toThrow(/no range/);
    expect(elementAt(getType('PresenceUserConfig'), 'enableRequestSound')?.platformDefault).toBe('true');
    expect(elementAt(getType('PresenceUserConfig'), 'enableDisconnectSound')?.platformDefault).toBeUndefined();
    expect(elementAt(getType('PresenceUserConfig'), 'interruptibleCapacity')?.platformDefault).toEqual({ sameAs: 'capacity' });
    expect(elementAt(getType('ServiceChannel'), 'capacityModel')?.platformDefault).toBe('TAB_BASED');
    // A default is a value the element can hold: an enum value, or a sibling element.
    for (const type of METADATA_TYPES) {
      for (const e of type.elements) {
        const d = e.platformDefault;
        if (typeof d === 'object') expect(elementAt(type, d.sameAs)?.kind, `${type.name}.${e.name}`).toBe(e.kind);
        if (typeof d === 'string' && e.enumValues) expect(e.enumValues, `${type.name}.${e.name}`).toContain(d);
      }
    }
  });

  test('every reference to a component named by its developer name (§0.3) holds a developer name: the spec and the XML check both hold it to one', () => {
    const byDeveloperName = new Set(['ServicePresenceStatus', 'PresenceDeclineReason', 'ServiceChannel', 'QueueRoutingConfig', 'Queue', 'Skill', 'Group']);
    let checked = 0;
    for (const type of METADATA_TYPES) {
      for (const reference of type.references) {
        const marked = elementAt(type, reference.path)?.developerName === true;
        expect(marked, `${type.name}.${reference.path} → ${reference.target}`).toBe(byDeveloperName.has(reference.target));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  test('the after-conversation work elements (§1.2, §4): the same five in both types that have them, one list', () => {
    expect(AFTER_CONVERSATION_WORK_ELEMENTS).toEqual(['hasAfterConvoWorkTimer', 'afterConvoWorkMaxTime', 'hasAcwExtensionEnabled', 'acwExtensionDuration', 'maxExtensions']);
    const holders = METADATA_TYPES.filter((t) => AFTER_CONVERSATION_WORK_ELEMENTS.some((name) => elementAt(t, name))).map((t) => t.name);
    expect(holders.sort()).toEqual(['PresenceUserConfig', 'ServiceChannel']);
    for (const type of holders) for (const name of AFTER_CONVERSATION_WORK_ELEMENTS) expect(elementAt(getType(type), name), `${type}.${name}`).toBeDefined();
    // Nothing else in the product spells the list out again.
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const restated = sources(path.join(REPO_ROOT, 'scripts')).filter((file) => {
      const text = readFileSync(file, 'utf8');
      return !file.endsWith('registry-overlay.ts') && !file.endsWith('registry.generated.ts') && /\[\s*'(hasAfterConvoWorkTimer|acwExtensionDuration|afterConvoWorkMaxTime)',/.test(text);
    });
    expect(restated.map((f) => path.relative(REPO_ROOT, f))).toEqual([]);
  });

  test('developer names (§0.3): letter first, single underscores, no trailing _, at most 80', () => {
    for (const ok of ['Tier1', 'a', 'Tier_1_Agents', `A${'b'.repeat(79)}`]) expect(DEVELOPER_NAME_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ['1Tier', '_Tier', 'Tier__1', 'Tier_', 'Tier-1', 'Tier 1', '']) expect(DEVELOPER_NAME_PATTERN.test(bad), bad).toBe(false);
    expect(DEVELOPER_NAME_MAX_LENGTH).toBe(80);
    expect(METADATA_TYPES.filter((t) => t.freeFormNames).map((t) => t.name)).toEqual(['Profile']);
  });

  test('file names ⇄ types', () => {
    for (const type of METADATA_TYPES) {
      const fullName = type.fixedFullName ?? 'Tier1_Agents';
      const file = sourceFilePath(type, fullName);
      expect(file).toBe(`main/default/${type.directoryName}/${fullName}.${type.suffix}-meta.xml`);
      const found = typeForFile(`force-app/${file}`);
      expect(found?.type).toBe(type);
      expect(found?.fullName).toBe(fullName);
      expect(findTypeBySuffix(type.suffix)).toBe(type);
    }
    expect(typeForFile('force-app/main/default/settings/Case.settings-meta.xml')).toBeUndefined();
    expect(typeForFile('force-app/main/default/classes/Foo.cls-meta.xml')).toBeUndefined();
    expect(typeForFile('README.md')).toBeUndefined();
    expect(getType('OmniChannelSettings').packageTypeName).toBe('Settings');
    expect(() => getType('NoSuchType')).toThrow(/NoSuchType/);
  });

  test('a listing\'s file names: typeForSourceFileName and typeForFile give `<fullName>.<suffix>-meta.xml` its type, in any order', () => {
    // The source format as a pattern over the last segment; `mdapi`: not of that form (a folder decides).
    const expected = (name: string) => {
      const match = /^([\s\S]+)\.([A-Za-z]+)-meta\.xml$/.exec(name);
      if (!match) return 'mdapi';
      const type = findTypeBySuffix(match[2]);
      return type && (!type.fixedFullName || type.fixedFullName === match[1]) ? { type, fullName: match[1] } : undefined;
    };
    const suffixes = METADATA_TYPES.flatMap((t) => [t.suffix, t.suffix.toLowerCase(), t.suffix.toUpperCase(), `${t.suffix}s`, t.suffix.slice(1)]);
    const name = fc
      .tuple(
        fc.oneof(fc.constantFrom('Tier1', 'OmniChannel', 'a.b', 'x\\y', 'é', ''), fc.string({ maxLength: 4 })),
        fc.constantFrom(...suffixes, 'cls', '', '1', 'a.b'),
        fc.constantFrom('-meta.xml', '.xml', '-meta.xm', ''),
      )
      .map(([fullName, suffix, end]) => `${fullName}.${suffix}${end}`);
    fc.assert(
      fc.property(fc.array(fc.oneof(name, fc.string({ maxLength: 12 })), { maxLength: 12 }), (names) => {
        for (const n of names) {
          const want = expected(n);
          const byName = typeForSourceFileName(n);
          if (n.includes('/') || n.includes('\\')) expect(byName).toBeNull();
          else expect(byName === null ? 'mdapi' : byName).toEqual(want);
          if (want !== 'mdapi' && !n.includes('/') && !n.includes('\\')) expect(typeForFile(`force-app/main/default/queues/${n}`)).toEqual(want);
          for (const file of [`force-app/main/default/queues/${n}`, `queues/${n}`]) expect(isMetadataFile(file)).toBe(typeForFile(file) !== undefined);
        }
      }),
      { numRuns: 300 },
    );
  });
});
