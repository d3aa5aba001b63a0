/**
 * `npm run registry`: writes `scripts/metadata/registry.generated.ts`, the structural part of the metadata
 * registry, from two sources nobody in this project writes by hand:
 * - the Metadata API XSD (`../shared/reference/omni-metadata.xsd`, the API 67.0 WSDL segments): every root
 *   `<xsd:element>` is a type; its own `<xsd:sequence>` (after the inherited `Metadata.fullName`) gives the
 *   element names in WSDL order, `minOccurs`/`maxOccurs`, value kinds, enum values and, recursively, the
 *   children of complex elements;
 * - source-deploy-retrieve's registry (`RegistryAccess`, as sfdx-git-delta reads it): directory name,
 *   suffix and package.xml type name of each type. A type SDR does not list under its own name (the
 *   OmniChannelSettings root is SDR's `Settings`) is looked up by the name the overlay gives
 *   (`sdrType` in `scripts/metadata/registry-overlay.ts`).
 * `--check` writes nothing and exits 1 when the committed file differs (test/metadata/registry-generated.test.ts
 * does the same in `npm test`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { writeFileAtomic } from '../metadata/write.ts';
import { SDR_TYPE_OVERRIDES } from '../metadata/registry-overlay.ts';

const ROOT = join(import.meta.dirname, '..', '..');
/** Where the generated file lives, relative to the repository root. */
export const GENERATED_PATH = 'scripts/metadata/registry.generated.ts';
/** The XSD beside the repository (the shared reference, read in place). */
export const DEFAULT_XSD_PATH = join(ROOT, '..', 'shared', 'reference', 'omni-metadata.xsd');

type Raw = Record<string, unknown>;
type Kind = 'string' | 'int' | 'double' | 'boolean' | 'enum' | 'complex';

interface Element {
  name: string;
  kind: Kind;
  required: boolean;
  repeated: boolean;
  /** The XSD simpleType (enum) or complexType (complex) name. */
  xsdType?: string;
  children?: Element[];
}

const BUILT_IN: Readonly<Record<string, Kind>> = { 'xsd:string': 'string', 'xsd:int': 'int', 'xsd:double': 'double', 'xsd:boolean': 'boolean' };
const REPEATABLE = new Set(['xsd:complexType', 'xsd:simpleType', 'xsd:element', 'xsd:enumeration']);

interface Structure {
  /** Root element names in XSD order. */
  roots: string[];
  /** simpleType name → enumeration values in XSD order (only those some root type reaches). */
  enums: Map<string, string[]>;
  elements: Map<string, Element[]>;
}

/** Reads the root types of the XSD text. Throws Error naming an XSD construct it does not understand. */
function readXsd(xsdText: string): Structure {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => REPEATABLE.has(name) });
  const schema = (parser.parse(xsdText) as Raw)['xsd:schema'] as Raw | undefined;
  if (!schema) throw new Error('not an XSD: no <xsd:schema> root');
  const complexTypes = new Map(((schema['xsd:complexType'] as Raw[]) ?? []).map((t) => [String(t['@name']), t]));
  const simpleTypes = new Map(
    ((schema['xsd:simpleType'] as Raw[]) ?? []).map((t) => {
      const restriction = t['xsd:restriction'] as Raw | undefined;
      return [String(t['@name']), ((restriction?.['xsd:enumeration'] as Raw[]) ?? []).map((e) => String(e['@value']))];
    }),
  );
  const enums = new Map<string, string[]>();
  const localName = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);

  const sequenceOf = (typeName: string, root: boolean): Raw[] => {
    const type = complexTypes.get(typeName);
    if (!type) throw new Error(`the XSD has no complexType ${typeName}`);
    const extension = (type['xsd:complexContent'] as Raw | undefined)?.['xsd:extension'] as Raw | undefined;
    // A metadata type extends tns:Metadata, whose only element (fullName) source format never writes.
    if (root && extension?.['@base'] !== 'tns:Metadata') throw new Error(`${typeName} does not extend tns:Metadata`);
    if (!root && extension) throw new Error(`${typeName}: extension of a nested complexType is not supported`);
    const sequence = (extension ?? type)['xsd:sequence'] as Raw | undefined;
    return (sequence?.['xsd:element'] as Raw[]) ?? [];
  };

  const elementsOf = (typeName: string, trail: readonly string[]): Element[] => {
    if (trail.includes(typeName)) throw new Error(`the XSD type ${typeName} contains itself (${[...trail, typeName].join(' → ')})`);
    return sequenceOf(typeName, trail.length === 0).map((raw) => {
      const name = String(raw['@name']);
      const type = String(raw['@type']);
      const base = { name, required: raw['@minOccurs'] !== '0', repeated: raw['@maxOccurs'] === 'unbounded' };
      const builtIn = BUILT_IN[type];
      if (builtIn) return { ...base, kind: builtIn };
      const local = localName(type);
      const values = simpleTypes.get(local);
      if (values) {
        enums.set(local, values);
        return { ...base, kind: 'enum', xsdType: local };
      }
      if (complexTypes.has(local)) return { ...base, kind: 'complex', xsdType: local, children: elementsOf(local, [...trail, typeName]) };
      throw new Error(`${typeName}.${name}: unknown XSD type ${type}`);
    });
  };

  const roots = ((schema['xsd:element'] as Raw[]) ?? []).map((e) => {
    const name = String(e['@name']);
    if (localName(String(e['@type'])) !== name) throw new Error(`root element ${name} has type ${String(e['@type'])}, not its own name`);
    return name;
  });
  return { roots, enums, elements: new Map(roots.map((r) => [r, elementsOf(r, [])])) };
}

/** Directory, suffix and package.xml name of each root type in SDR's registry. Throws when SDR lacks one. */
async function readSdr(roots: readonly string[]): Promise<Map<string, { packageTypeName: string; directoryName: string; suffix: string }>> {
  const { RegistryAccess } = await import('@salesforce/source-deploy-retrieve');
  const registry = new RegistryAccess();
  const overrides: Readonly<Record<string, string>> = SDR_TYPE_OVERRIDES;
  return new Map(
    roots.map((name) => {
      const sdrName = overrides[name] ?? name;
      const type = registry.getTypeByName(sdrName);
      if (!type.directoryName || !type.suffix) throw new Error(`SDR's ${sdrName} has no directory or suffix`);
      return [name, { packageTypeName: type.name, directoryName: type.directoryName, suffix: type.suffix }];
    }),
  );
}

const quote = (s: string) => JSON.stringify(s);

function printElements(elements: readonly Element[], indent: string): string {
  const lines = elements.map((e) => {
    const parts = [`name: ${quote(e.name)}`, `kind: ${quote(e.kind)}`];
    if (e.required) parts.push('required: true');
    if (e.repeated) parts.push('repeated: true');
    if (e.xsdType) parts.push(`xsdType: ${quote(e.xsdType)}`);
    if (e.kind === 'enum') parts.push(`enumValues: XSD_ENUMS.${e.xsdType}`);
    if (e.children) parts.push(`children: ${printElements(e.children, `${indent}  `)}`);
    return `${indent}  { ${parts.join(', ')} },`;
  });
  return lines.length ? `[\n${lines.join('\n')}\n${indent}]` : '[]';
}

/**
 * The text of `registry.generated.ts` for the given XSD text, with SDR's facts from the installed
 * @salesforce/source-deploy-retrieve. Deterministic: the same inputs give the same bytes.
 */
export async function renderRegistry(xsdText: string): Promise<string> {
  const structure = readXsd(xsdText);
  // The header comment names the WSDL version the schema was assembled from ("API 67.0 WSDL segments").
  const wsdlVersion = /API (\d+)\.0 WSDL/.exec(xsdText)?.[1];
  if (!wsdlVersion) throw new Error('XSD: its header comment names no API version ("API NN.0 WSDL")');
  const sdr = await readSdr(structure.roots);
  const out: string[] = [
    '// Generated by scripts/tooling/registry.ts (`npm run registry`) from ../shared/reference/omni-metadata.xsd and',
    "// @salesforce/source-deploy-retrieve's registry. Do not edit: hand facts go in registry-overlay.ts;",
    '// test/metadata/registry-generated.test.ts fails when this file differs from what the generator writes.',
    '',
    "export type XsdKind = 'string' | 'int' | 'double' | 'boolean' | 'enum' | 'complex';",
    '',
    '/** One element of an XSD sequence. */',
    'export interface XsdElementDef {',
    '  readonly name: string;',
    '  readonly kind: XsdKind;',
    '  /** minOccurs ≠ 0. */',
    '  readonly required?: true;',
    '  /** maxOccurs="unbounded": the element repeats without a wrapper. */',
    '  readonly repeated?: true;',
    '  /** The XSD simpleType (enum) or complexType (complex) it is declared with. */',
    '  readonly xsdType?: string;',
    '  readonly enumValues?: readonly string[];',
    '  /** Child elements in sequence order (kind `complex`). */',
    '  readonly children?: readonly XsdElementDef[];',
    '}',
    '',
    '/** A root element of the XSD: where SDR puts its files, and its own elements in WSDL order. */',
    'export interface XsdTypeDef {',
    "  /** `<name>` in package.xml (SDR's type name). */",
    '  readonly packageTypeName: string;',
    '  readonly directoryName: string;',
    '  readonly suffix: string;',
    '  readonly elements: readonly XsdElementDef[];',
    '}',
    '',
    '/** The Metadata API version whose WSDL the XSD was assembled from: the newest version the structure knows. */',
    `export const XSD_API_VERSION = ${wsdlVersion};`,
    '',
    '/** The XSD simpleType enumerations the metadata types use, values in XSD order. */',
    'export const XSD_ENUMS = {',
    ...[...structure.enums].sort(([a], [b]) => a.localeCompare(b)).map(([name, values]) => `  ${name}: [${values.map(quote).join(', ')}],`),
    '} as const;',
    '',
    '/** Every root element of the XSD, in XSD order. */',
    'export const XSD_TYPES = {',
  ];
  for (const name of structure.roots) {
    const s = sdr.get(name)!;
    out.push(
      `  ${name}: {`,
      `    packageTypeName: ${quote(s.packageTypeName)},`,
      `    directoryName: ${quote(s.directoryName)},`,
      `    suffix: ${quote(s.suffix)},`,
      `    elements: ${printElements(structure.elements.get(name)!, '    ')},`,
      '  },',
    );
  }
  out.push('} as const satisfies Record<string, XsdTypeDef>;', '');
  return out.join('\n');
}

if (import.meta.main) {
  const check = process.argv.includes('--check');
  const xsdArg = process.argv.slice(2).find((a) => !a.startsWith('--'));
  const text = await renderRegistry(readFileSync(xsdArg ?? DEFAULT_XSD_PATH, 'utf8'));
  const target = join(ROOT, GENERATED_PATH);
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // first run: nothing committed yet
  }
  if (current === text) console.log(`${GENERATED_PATH} is up to date`);
  else if (check) {
    console.log(`${GENERATED_PATH} is out of date: run npm run registry`);
    process.exit(1);
  } else {
    await writeFileAtomic(target, text);
    console.log(`written: ${GENERATED_PATH}`);
  }
}
