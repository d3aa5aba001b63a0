/**
 * What the Metadata API's own XML schema validation reports for a deployed file, in the platform's
 * words ("Element {ns}foo invalid at this location in type PresenceUserConfig"), driven by the
 * org's own type table (types.ts, from the XSD): unknown or out-of-order elements, elements newer than the deploy's API version,
 * missing required elements and values that don't fit their XSD type.
 */
import type { ElementDef, MetadataTypeDef } from './types.ts';
import { localName, METADATA_NAMESPACE, type XmlNode } from './xml.ts';

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
    // [F-15] xsi:nil on a required element counts as missing (the XSD declares no element nillable).
    if (!(child.nil && def.required)) seen.add(name);
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

const INT = /^[+-]?\d+$/;
const DOUBLE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^(NaN|-?INF)$/;

/** [F-14] The SOAP layer's wording for a value that doesn't fit the element's XSD type. */
function valueProblem(def: ElementDef, raw: string): string | undefined {
  const text = raw.trim();
  let ok = true;
  if (def.kind === 'boolean') ok = text === 'true' || text === 'false' || text === '1' || text === '0';
  else if (def.kind === 'int') ok = INT.test(text) && Number(text) >= -2147483648 && Number(text) <= 2147483647;
  else if (def.kind === 'double') ok = DOUBLE.test(text);
  else if (def.kind === 'enum') ok = (def.enumValues ?? []).includes(text);
  if (ok) return undefined;
  if (def.kind === 'enum') return `'${raw}' is not a valid value for the enum '${def.typeName}'`;
  return `'${raw}' is not a valid value for the type ${def.typeName}`;
}
