/**
 * Reads the structure of the Omni metadata types out of the Metadata API's XSD (the WSDL's
 * `complexType`s): element names in sequence order, occurrence, value types and enum values. The local
 * org validates deployments against this, not against anything of the product's.
 * The committed copy is `xsd-types.generated.ts` (`node local-org/tools/generate-xsd-types.ts`); a test
 * re-derives it from the XSD and fails on drift.
 */
import { XMLParser } from 'fast-xml-parser';

export type XsdValueKind = 'string' | 'int' | 'double' | 'boolean' | 'enum' | 'complex';

export interface XsdElement {
  name: string;
  kind: XsdValueKind;
  /** minOccurs ≠ 0. */
  required: boolean;
  /** maxOccurs="unbounded". */
  repeated: boolean;
  /** The XSD type name (`xsd:int`, `RoutingModel`, `PresenceConfigAssignments` …), as errors name it. */
  typeName: string;
  enumValues?: string[];
  children?: XsdElement[];
}

/** The metadata types the local org stores (root complexTypes of the XSD). */
export const XSD_ROOT_TYPES = [
  'OmniChannelSettings',
  'ServiceChannel',
  'ServicePresenceStatus',
  'PresenceDeclineReason',
  'PresenceUserConfig',
  'QueueRoutingConfig',
  'Queue',
  'PermissionSet',
  'Profile',
] as const;

type Raw = Record<string, unknown>;

const BUILTIN: Record<string, XsdValueKind> = { 'xsd:string': 'string', 'xsd:int': 'int', 'xsd:double': 'double', 'xsd:boolean': 'boolean' };

/** Element tables of `XSD_ROOT_TYPES` from the XSD text. Throws Error naming a type the XSD lacks. */
export function deriveXsdTypes(xsdText: string): Record<string, XsdElement[]> {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    isArray: (name) => ['xsd:complexType', 'xsd:simpleType', 'xsd:element', 'xsd:enumeration'].includes(name),
  });
  const schema = (parser.parse(xsdText) as Raw)['xsd:schema'] as Raw;
  const complex = new Map<string, Raw>();
  for (const t of (schema['xsd:complexType'] as Raw[]) ?? []) complex.set(String(t['@name']), t);
  const simple = new Map<string, string[]>();
  for (const t of (schema['xsd:simpleType'] as Raw[]) ?? []) {
    const restriction = t['xsd:restriction'] as Raw | undefined;
    simple.set(String(t['@name']), ((restriction?.['xsd:enumeration'] as Raw[]) ?? []).map((e) => String(e['@value'])));
  }
  const sequenceOf = (type: Raw): Raw[] => {
    const extension = (type['xsd:complexContent'] as Raw | undefined)?.['xsd:extension'] as Raw | undefined;
    const sequence = ((extension ?? type)['xsd:sequence'] as Raw | undefined) ?? {};
    return (sequence['xsd:element'] as Raw[]) ?? [];
  };
  const elementsOf = (typeName: string, trail: string[]): XsdElement[] => {
    const type = complex.get(typeName);
    if (!type) throw new Error(`The XSD has no complexType ${typeName}`);
    if (trail.includes(typeName)) throw new Error(`The XSD type ${typeName} contains itself`);
    return sequenceOf(type).map((e) => {
      const xsdType = String(e['@type']);
      const local = xsdType.replace(/^tns:/, '');
      const base = {
        name: String(e['@name']),
        required: e['@minOccurs'] !== '0',
        repeated: e['@maxOccurs'] === 'unbounded',
        typeName: BUILTIN[xsdType] ? xsdType : local,
      };
      if (BUILTIN[xsdType]) return { ...base, kind: BUILTIN[xsdType] };
      if (simple.has(local)) return { ...base, kind: 'enum' as const, enumValues: simple.get(local) };
      return { ...base, kind: 'complex' as const, children: elementsOf(local, [...trail, typeName]) };
    });
  };
  return Object.fromEntries(XSD_ROOT_TYPES.map((name) => [name, elementsOf(name, [])]));
}
