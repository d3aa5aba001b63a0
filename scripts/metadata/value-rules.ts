/**
 * The rules of one value, worded once for both places that judge it: the XML check (scripts/validate's document
 * rules, at the element) and the spec's loader (scripts/yaml-spec/load.ts, at the key that writes the element).
 * So a value gets the same rule id and message wherever it is written (README, "Values"): `capacity: 0` in the
 * spec and `<capacity>0</capacity>` are both PUC-CAPACITY, "capacity is 0; it must be a whole number of at least 1."
 * The bounds are the registry's (`range`, `developerName`, reference spec §0.3, §10 rules 2, 5, 9–11, 19, 22–24).
 */
import { ruleText } from '../lib/messages.ts';
import { checkValue } from './document.ts';
import { DEVELOPER_NAME_MAX_LENGTH, DEVELOPER_NAME_PATTERN, DEVELOPER_NAME_REFERENCE_PATTERN, elementAt, XSD_INT_RANGE, type ElementDef, type ElementRange, type MetadataTypeDef } from './registry.ts';

/** A finding on one value: its rule id (messages/rules.md, validate's catalogue), message and fix. */
export interface ValueFinding {
  ruleId: string;
  message: string;
  hint: string;
}

/** A number within `range` (both bounds inclusive, the lower one exclusive when the range says so). */
const isIn = (n: number, range: ElementRange) => (range.minExclusive ? n > range.min : n >= range.min) && (range.max === undefined || n <= range.max);
/** A whole number within `range`. */
const isWholeIn = (n: number | undefined, range: ElementRange) => n !== undefined && Number.isInteger(n) && isIn(n, range);

/** maxExtensions as the XML writes it: a whole number without sign, spaces or leading zeros. */
const WHOLE_TEXT = /^[1-9]\d*$/;

/**
 * The finding on a number at an element with a registry range (`rangeOf`), or undefined when it is in range,
 * the element has no range rule, or the number is not of the element's type (an xsd:int's fraction or a number
 * beyond 32 bits: a type error, reported as one by the XML parser and the spec's schema). `value` is the number
 * read (a spec value, or the XML text as a number); maxExtensions, an xsd:string, also takes its text as written.
 * `written`, the XML element's text, is judged by the element's XSD type first (metadata/document.ts
 * checkValue): text the parser reports as XML-VALUE-TYPE (`1.5`, `0e0` where an xsd:int goes) gets no range
 * finding. `spec`: the spec's key and the value as written, for the spec's loader. Rule ids of the
 * after-conversation work elements carry the type's `rulePrefix` (PUC-, SC-).
 */
export function rangeFinding(type: MetadataTypeDef, path: string, value: number | string, written?: string, spec?: SpecValue): ValueFinding | undefined {
  const def = elementOf(type, path);
  const range = def?.range;
  if (!def || !range) return undefined;
  if (written !== undefined && checkValue(def, written) !== undefined) return undefined;
  const n = typeof value === 'number' ? value : WHOLE_TEXT.test(value) ? Number(value) : Number.NaN;
  // A value of another type than the element's (a fraction, or a number beyond xsd:int, where an xsd:int goes)
  // is a type error, and only that: XML-VALUE-TYPE in XML, SPEC-SCHEMA's "expected …" in the spec. A range
  // rule would say something false of it ("1.5; it must be ≥ 0") or say it twice ("must be a whole number").
  if (def.kind === 'int' && !isWholeIn(n, XSD_INT_RANGE)) return undefined;
  if (def.kind === 'double' ? isIn(n, range) : isWholeIn(n, range)) return undefined;
  const prefix = type.rulePrefix;
  // What the finding names and shows: the element and its value in XML; the spec's key and the value as written.
  const name = spec?.name ?? path;
  const shown = spec?.shown ?? value;
  switch (path) {
    case 'capacity':
      return { ruleId: 'PUC-CAPACITY', message: ruleText('PUC-CAPACITY', [name, shown]), hint: ruleText('PUC-CAPACITY.hint', [name]) };
    case 'interruptibleCapacity':
      return { ruleId: 'PUC-INTERRUPTIBLE-CAPACITY', message: ruleText('PUC-INTERRUPTIBLE-CAPACITY', [name, shown, range.min]), hint: ruleText('PUC-INTERRUPTIBLE-CAPACITY.hint', [name, range.min]) };
    case 'afterConvoWorkMaxTime':
      return { ruleId: `${prefix}-ACW-MAXTIME`, message: ruleText('ACW-MAXTIME.range', [name, shown, range.min, range.max]), hint: ruleText('ACW-MAXTIME.range.hint', [name, range.min, range.max]) };
    case 'acwExtensionDuration':
      return { ruleId: `${prefix}-ACW-EXTENSION`, message: ruleText('ACW-EXTENSION.duration', [name, shown, range.min, range.max]), hint: ruleText('ACW-EXTENSION.duration.hint', [name, range.min, range.max]) };
    case 'maxExtensions':
      // XML text, quoted; the spec's value as written (a number bare, text quoted).
      return { ruleId: `${prefix}-ACW-EXTENSION`, message: ruleText('ACW-EXTENSION.max', [name, spec?.shown ?? `"${value}"`, range.min, range.max]), hint: ruleText('ACW-EXTENSION.max.hint', [name, range.min, range.max]) };
    case 'routingPriority':
      return { ruleId: 'QRC-ROUTING-PRIORITY', message: ruleText('QRC-ROUTING-PRIORITY', [name, shown]), hint: ruleText('QRC-ROUTING-PRIORITY.hint', [name]) };
    case 'capacityWeight':
      return { ruleId: 'QRC-CAPACITY-RANGE', message: ruleText('QRC-CAPACITY-RANGE.weight', [name, shown]), hint: ruleText('QRC-CAPACITY-RANGE.weight.hint', [name]) };
    case 'capacityPercentage':
      return { ruleId: 'QRC-CAPACITY-RANGE', message: ruleText('QRC-CAPACITY-RANGE.percentage', [name, shown]), hint: ruleText('QRC-CAPACITY-RANGE.percentage.hint', [name]) };
    case 'pausedCapacityWeight':
      return { ruleId: 'QRC-CAPACITY-RANGE', message: ruleText('QRC-CAPACITY-RANGE.pausedWeight', [name, shown]), hint: ruleText('QRC-CAPACITY-RANGE.pausedWeight.hint', [name]) };
    case 'pausedCapacityPercentage':
      return { ruleId: 'QRC-CAPACITY-RANGE', message: ruleText('QRC-CAPACITY-RANGE.pausedPercentage', [name, shown]), hint: ruleText('QRC-CAPACITY-RANGE.pausedPercentage.hint', [name]) };
    case 'pushTimeout':
      return { ruleId: 'QRC-PUSH-TIMEOUT', message: ruleText('QRC-PUSH-TIMEOUT', [name, shown]), hint: ruleText('QRC-PUSH-TIMEOUT.hint', [name]) };
    case 'dropAdditionalSkillsTimeout':
      return { ruleId: 'QRC-SKILLS-TIMEOUT', message: ruleText('QRC-SKILLS-TIMEOUT', [name, shown]), hint: ruleText('QRC-SKILLS-TIMEOUT.hint', [name]) };
    default:
      return undefined;
  }
}

/**
 * How the spec's loader has a value rule word its finding: by the spec's key (`afterConversationWork.seconds`,
 * `routingConfig`: what the author wrote at that line, not the element it becomes) and, for a number, as the
 * author wrote it (`100.0`, `0x10`), not as another text of the number it reads as.
 */
export interface SpecValue {
  /** The key's path inside its entry, list positions left out (`afterConversationWork.extensions.max`, `declineReasons`). */
  name: string;
  /** The value as written (rangeFinding's numbers); undefined: as read. */
  shown?: string;
}

/**
 * `elementAt(type, path)`, found once per type and path: rangeFinding and textFinding are asked for the same few
 * paths for each of thousands of documents (the XML check's capacity and label of every configuration), and
 * elementAt splits the path and searches each level.
 */
const elementsByPath = new WeakMap<MetadataTypeDef, Map<string, ElementDef | undefined>>();
function elementOf(type: MetadataTypeDef, path: string): ElementDef | undefined {
  let byPath = elementsByPath.get(type);
  if (!byPath) elementsByPath.set(type, (byPath = new Map()));
  let def = byPath.get(path);
  if (def === undefined && !byPath.has(path)) byPath.set(path, (def = elementAt(type, path)));
  return def;
}

/** The element holding a type's label (§0.3 `label`; a Queue's is `name`, which the spec's `label` key writes). */
const labelElements = new WeakMap<MetadataTypeDef, string>();
export function labelElementOf(type: MetadataTypeDef): string {
  let name = labelElements.get(type);
  if (name === undefined) labelElements.set(type, (name = !hasElement(type, 'label') && hasElement(type, 'name') ? 'name' : 'label'));
  return name;
}

/**
 * Whether the type has a top-level element of that name. A function of its own, not a closure in labelElementOf: a
 * closure over `type` would make every call allocate its context (two calls per file read).
 */
function hasElement(type: MetadataTypeDef, name: string): boolean {
  return type.elements.some((e) => e.name === name);
}

/**
 * The finding on a text value at an element (dotted `path` from the root), as written (spaces around it
 * included), or undefined when it is fine: the label non-empty and at most 80 characters (NAME-LABEL, §10 rule
 * 2); any other text not empty nor only spaces (VALUE-EMPTY: an empty element sets nothing); a name of a
 * component (`developerName`) a developer name, optionally after a namespace prefix (REF-NAME, §0.3;
 * DEVELOPER_NAME_REFERENCE_PATTERN). Ranged text (maxExtensions) is rangeFinding's.
 * `def` is the element's definition when the caller holds it (the XML check's walk); `spec`, the spec key that
 * writes the element, when the spec's loader asks (the finding then names the key, not the element).
 */
export function textFinding(type: MetadataTypeDef, path: string, written: string, def: ElementDef | undefined = elementOf(type, path), spec?: SpecValue): ValueFinding | undefined {
  if (path === labelElementOf(type)) {
    if (written.trim() === '') return { ruleId: 'NAME-LABEL', message: ruleText('NAME-LABEL.empty'), hint: ruleText('NAME-LABEL.empty.hint') };
    // Counted as written, spaces around it included, as the spec's schema counts it (the XML keeps them).
    if (written.length > 80) return { ruleId: 'NAME-LABEL', message: ruleText('NAME-LABEL.tooLong', [written.length]), hint: ruleText('NAME-LABEL.tooLong.hint') };
    return undefined;
  }
  // Most values are fine: that test first, and the one that words a finding only for the others.
  if (def?.kind !== 'string' || def.range || textIsFine(written, def.developerName)) return undefined;
  const name = spec?.name ?? path;
  if (written.trim() === '') {
    return { ruleId: 'VALUE-EMPTY', message: ruleText('VALUE-EMPTY', [name]), hint: spec ? ruleText('VALUE-EMPTY.spec.hint', [name]) : ruleText('VALUE-EMPTY.hint', [def.name]) };
  }
  if (def.developerName && !DEVELOPER_NAME_REFERENCE_PATTERN.test(written)) {
    return { ruleId: 'REF-NAME', message: ruleText('REF-NAME', [name, written, DEVELOPER_NAME_MAX_LENGTH]), hint: ruleText('REF-NAME.hint') };
  }
  return undefined;
}

/**
 * Whether textFinding finds nothing in the text of a string element without a range (other than the label),
 * as written: not empty nor only spaces and, for an element naming a component (`developerName`), a developer
 * name, optionally after a namespace prefix (`acme__Away`). The XML check's walk asks this first and words a finding, with the element's dotted path, only when not.
 */
export function textIsFine(written: string, developerName: boolean | undefined): boolean {
  return written.trim() !== '' && !(developerName && !DEVELOPER_NAME_REFERENCE_PATTERN.test(written));
}

/**
 * The finding on a component's own name (a file stem in XML, an entry's key in the spec), or undefined for a
 * developer name (§0.3, §10 rule 2): NAME-DEVELOPER-NAME, saying which rule the name breaks.
 */
export function developerNameFinding(name: string): ValueFinding | undefined {
  if (name.length <= DEVELOPER_NAME_MAX_LENGTH && DEVELOPER_NAME_PATTERN.test(name)) return undefined;
  const message =
    name.length > DEVELOPER_NAME_MAX_LENGTH
      ? ruleText('NAME-DEVELOPER-NAME.tooLong', [name, name.length, DEVELOPER_NAME_MAX_LENGTH])
      : !/^[A-Za-z]/.test(name)
        ? ruleText('NAME-DEVELOPER-NAME.letterFirst', [name])
        : /__/.test(name)
          ? ruleText('NAME-DEVELOPER-NAME.doubleUnderscore', [name])
          : /_$/.test(name)
            ? ruleText('NAME-DEVELOPER-NAME.trailingUnderscore', [name])
            : ruleText('NAME-DEVELOPER-NAME.characters', [name]);
  return { ruleId: 'NAME-DEVELOPER-NAME', message, hint: ruleText('NAME-DEVELOPER-NAME.hint') };
}
