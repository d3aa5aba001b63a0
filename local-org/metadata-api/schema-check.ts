/**
 * What the Metadata API's own XML schema validation reports for a deployed file, in the platform's
 * words ("Element {ns}foo invalid at this location in type PresenceUserConfig"), driven by the
 * project's registry: unknown or out-of-order elements, elements newer than the deploy's API version,
 * missing required elements and values that don't fit their XSD type.
 */
import type { ElementDef, MetadataTypeDef } from '../../scripts/metadata/registry.ts';
import { METADATA_NAMESPACE } from '../../scripts/metadata/registry.ts';
import { localName, type XmlNode } from '../../scripts/metadata/xml.ts';
import { checkValue } from '../../scripts/metadata/document.ts';

export interface Problem {
  problem: string;
  line?: number;
  column?: number;
}


export function checkDocument(type: MetadataTypeDef, root: XmlNode, apiVersion: number): Problem[] {
  const problems: Problem[] = [];
  if (localName(root.name) !== type.name) {
    problems.push({ problem: `Element {${METADATA_NAMESPACE}}${localName(root.name)} invalid at this location`, line: root.line, column: root.column });
    return problems;
  }
  checkChildren(type.name, type.elements, root, apiVersion, problems);
  return problems;
}

function checkChildren(typeName: string, defs: readonly ElementDef[], parent: XmlNode, apiVersion: number, problems: Problem[]): void {
  // The sequence is walked like an XSD validator: each child must match the current or a later
  // element of the sequence; going back (out of order) or naming an unknown element is invalid.
  let position = 0;
  const seen = new Set<string>();
  for (const child of parent.children) {
    const name = localName(child.name);
    const index = defs.findIndex((d) => d.name === name);
    const def = defs[index];
    const tooNew = def?.since !== undefined && apiVersion < def.since;
    const outOfOrder = def !== undefined && (index < position - 1 || (index === position - 1 && !def.repeated));
    if (!def || tooNew || outOfOrder) {
      problems.push({ problem: `Element {${METADATA_NAMESPACE}}${name} invalid at this location in type ${typeName}`, line: child.line, column: child.column });
      return;
    }
    position = index + 1;
    seen.add(name);
    if (def.opaque) continue;
    if (def.kind === 'complex') {
      if (!child.nil) checkChildren(typeName, def.children ?? [], child, apiVersion, problems);
      continue;
    }
    if (child.children.length) {
      problems.push({ problem: `Element {${METADATA_NAMESPACE}}${localName(child.children[0].name)} invalid at this location in type ${typeName}`, line: child.children[0].line, column: child.children[0].column });
      return;
    }
    const invalid = child.nil ? undefined : valueProblem(def, child.text ?? '');
    if (invalid) problems.push({ problem: invalid, line: child.line, column: child.column });
  }
  for (const def of defs) {
    if (!def.required || seen.has(def.name)) continue;
    if (def.since !== undefined && apiVersion < def.since) continue;
    problems.push({ problem: `Required field is missing: ${def.name}`, line: parent.line, column: parent.column });
  }
}

/** The platform's wording for a value the core's `checkValue` rejects. */
function valueProblem(def: ElementDef, raw: string): string | undefined {
  if (checkValue(def, raw.trim()) === undefined) return undefined;
  if (def.kind === 'enum') return `'${raw}' is not a valid value for the enum '${enumName(def)}'`;
  const xsd = def.kind === 'int' ? 'xsd:int' : def.kind === 'double' ? 'xsd:double' : def.kind === 'boolean' ? 'xsd:boolean' : 'xsd:string';
  return `'${raw}' is not a valid value for the type ${xsd}`;
}

/** The WSDL's enum type name is the element name with a capital first letter (RoutingModel, CapacityType, …). */
function enumName(def: ElementDef): string {
  if (def.name === 'type') return 'StatusFieldMappingType';
  return def.name.charAt(0).toUpperCase() + def.name.slice(1);
}

export { localName };
