/**
 * A metadata file as a document: its type, fullName and ordered element tree. Parsing here also checks
 * the structure against the registry (the "schema" layer: root, known elements, value types, required
 * elements, order); semantic rules live in scripts/validate/.
 */
import type { Diagnostic } from '../lib/diagnostic.ts';
import { ruleText } from '../lib/messages.ts';
import { METADATA_NAMESPACE, XSD_API_VERSION, XSD_INT_RANGE, findType, typeForFile, type ElementDef, type MetadataTypeDef } from './registry.ts';
import { localName, parseXml, type MixedText, type XmlNode } from './xml.ts';
import { commandPrefix } from '../lib/io.ts';

export interface MetadataDocument {
  type: MetadataTypeDef;
  fullName: string;
  /** Path relative to the project root (forward slashes) when read from disk, or the spec file it came from. */
  path?: string;
  root: XmlNode;
}

export interface ParseMetadataOptions {
  path?: string;
  type?: MetadataTypeDef;
  fullName?: string;
  /**
   * The API version the file is read at (the project's sourceApiVersion, `--api-version`), so an unknown
   * element is named unknown *in that version*. Absent, or newer than the XSD: the XSD's version.
   */
  apiVersion?: number;
}

export interface ParseMetadataResult {
  document?: MetadataDocument;
  diagnostics: Diagnostic[];
}

/** Never throws; problems come back as diagnostics located at the element. */
export function parseMetadata(source: string, options: ParseMetadataOptions = {}): ParseMetadataResult {
  const file = options.path;
  const diagnostics: Diagnostic[] = [];
  // A caller that knows the type and fullName (a project listing) is not asked again from the path.
  const fromPath = file && !(options.type && options.fullName !== undefined) ? typeForFile(file) : undefined;
  let parsed: ReturnType<typeof parseXml> | undefined;
  let type = options.type ?? fromPath?.type;
  if (!type && !file) {
    // No path to go by (a string from an API or a test): the root element names the type.
    parsed = parseXml(source);
    if (parsed.root) type = findType(localName(parsed.root.name));
  }
  if (!type && parsed?.error) {
    diagnostics.push(malformed(parsed.error, file));
    return { diagnostics };
  }
  if (!type) {
    diagnostics.push({
      ruleId: 'XML-TYPE-UNKNOWN',
      severity: 'error',
      message: file === undefined ? ruleText('XML-TYPE-UNKNOWN.document') : ruleText('XML-TYPE-UNKNOWN', [file]),
      hint: ruleText('XML-TYPE-UNKNOWN.hint'),
      file,
    });
    return { diagnostics };
  }
  const fullName = type.fixedFullName ?? options.fullName ?? fromPath?.fullName ?? '';

  parsed ??= parseXml(source);
  if (!parsed.root) {
    diagnostics.push(malformed(parsed.error!, file));
    return { diagnostics };
  }
  const root = parsed.root;
  const rootName = localName(root.name);
  const namespace = root.attributes?.xmlns;
  if (rootName !== type.name || namespace !== METADATA_NAMESPACE) {
    diagnostics.push({
      ruleId: 'XML-ROOT',
      severity: 'error',
      message:
        rootName !== type.name
          ? ruleText('XML-ROOT.name', [root.name, type.suffix, type.name])
          : namespace
            ? ruleText('XML-ROOT.namespace', [root.name, METADATA_NAMESPACE, namespace])
            : ruleText('XML-ROOT.noNamespace', [root.name, METADATA_NAMESPACE]),
      hint: ruleText('XML-ROOT.hint', [type.name, METADATA_NAMESPACE]),
      file,
      line: root.line,
      column: root.column,
    });
  }
  const version = options.apiVersion !== undefined && options.apiVersion < XSD_API_VERSION ? Math.floor(options.apiVersion) : XSD_API_VERSION;
  // Text beside child elements: the Metadata API's complex types are element-only (xmllint --schema: "Character
  // content other than whitespace is not allowed"), and the tree would silently drop it.
  const mixed = parsed.mixedText ? new Map(parsed.mixedText.map((m) => [m.node, m])) : undefined;
  checkChildren(root, type.elements, type.name, file, diagnostics, versionText(version), mixed);
  return { document: { type, fullName, path: file, root }, diagnostics };
}

/** `66` → `'66.0'`, one string per version for every file read at it (XML-UNKNOWN-ELEMENT's version). */
const VERSION_TEXTS = new Map<number, string>();
function versionText(version: number): string {
  let text = VERSION_TEXTS.get(version);
  if (text === undefined) VERSION_TEXTS.set(version, (text = version.toFixed(1)));
  return text;
}

function malformed(error: { message: string; line: number; column: number }, file: string | undefined): Diagnostic {
  return {
    ruleId: 'XML-MALFORMED',
    severity: 'error',
    message: ruleText('XML-MALFORMED', [error.message]),
    hint: ruleText('XML-MALFORMED.hint'),
    file,
    line: error.line,
    column: error.column,
  };
}

function checkChildren(
  parent: XmlNode,
  defs: readonly ElementDef[],
  typeName: string,
  file: string | undefined,
  out: Diagnostic[],
  /** The API version unknown elements are reported in (`66.0`). */
  version: string,
  /** Text beside child elements, by the element holding it (parseXml's `mixedText`). */
  mixed: ReadonlyMap<XmlNode, MixedText> | undefined,
  /** How many elements are above `parent` (they are ANCESTORS[0..depth)). */
  depth = 0,
): void {
  const stray = mixed?.get(parent);
  if (stray) {
    const name = localName(parent.name);
    const shown = stray.text.length > 60 ? stray.text.slice(0, 57) + '...' : stray.text;
    out.push({
      ruleId: 'XML-VALUE-TYPE',
      severity: 'error',
      message: ruleText('XML-VALUE-TYPE', [name, shown, ruleText('XML-VALUE-TYPE.complex')]),
      hint: ruleText('XML-VALUE-TYPE.mixed.hint', [shown, name]),
      file,
      line: stray.line,
      column: stray.column,
    });
  }
  // Per element, nothing is allocated unless it is reported: 10,000 files have ~150,000 elements.
  const positions = positionsOf(defs);
  let seen = 0; // bit i: defs[i] was seen (as far as 32 definitions); `seenMore` for the rest
  let seenMore: Set<number> | undefined;
  let lastIndex = -1;
  let orderReported = false;
  const children = parent.children;
  // Indexed: no iterator result per element (offline commands run without TurboFan's inlining).
  for (let c = 0; c < children.length; c++) {
    const child = children[c];
    const name = localName(child.name);
    const index = positions.get(name) ?? -1;
    if (index < 0) {
      out.push({
        ruleId: 'XML-UNKNOWN-ELEMENT',
        severity: 'warning',
        message: ruleText('XML-UNKNOWN-ELEMENT', [name, typeName, version]),
        hint: ruleText('XML-UNKNOWN-ELEMENT.hint'),
        ...where(file, child),
      });
      continue;
    }
    const def = defs[index];
    if (index < lastIndex && !orderReported) {
      orderReported = true;
      out.push({
        ruleId: 'XML-ORDER',
        severity: 'error',
        // The Metadata API validates against the WSDL sequence: it rejects this with "Element … invalid at this location".
        message: ruleText('XML-ORDER', [name, localName(parent.name), name]),
        hint: ruleText('XML-ORDER.hint', [commandPrefix(), commandPrefix(), commandPrefix()]),
        ...where(file, child),
      });
    }
    lastIndex = Math.max(lastIndex, index);
    const wasSeen = index < 32 ? (seen & (1 << index)) !== 0 : (seenMore?.has(index) ?? false);
    if (wasSeen && !def.repeated) {
      out.push({
        ruleId: 'XML-DUPLICATE-ELEMENT',
        severity: 'error',
        message: ruleText('XML-DUPLICATE-ELEMENT', [name, localName(parent.name), typeName]),
        hint: ruleText('XML-DUPLICATE-ELEMENT.hint', [name]),
        ...where(file, child),
      });
    }
    if (index < 32) seen |= 1 << index;
    else (seenMore ??= new Set()).add(index);
    if (def.opaque) continue;
    if (child.nil) {
      // A retrieve writes xsi:nil for an optional value the org has never set, and the Metadata API takes it
      // back (spec §0.4): accepted on optional elements. A required element needs a value.
      if (def.required) {
        out.push({
          ruleId: 'XML-REQUIRED',
          severity: 'error',
          message: ruleText('XML-REQUIRED.nil', [name, typeName]),
          hint: name === 'relatedEntityType' ? ruleText('XML-REQUIRED.nil.entityHint', [name]) : ruleText('XML-REQUIRED.nil.hint', [name]),
          ...where(file, child),
        });
      } else if (!xsiDeclared(child, ancestorsOf(parent, depth))) {
        out.push({
          ruleId: 'XML-NIL',
          severity: 'error',
          message: ruleText('XML-NIL', [name]),
          hint: ruleText('XML-NIL.hint', [XSI_NAMESPACE, typeName]),
          ...where(file, child),
        });
      }
      continue;
    }
    if (def.kind === 'complex') {
      if (child.children.length === 0 && child.text && child.text.trim() !== '') {
        out.push(valueError(name, child.text, ruleText('XML-VALUE-TYPE.complex'), where(file, child)));
      } else {
        ANCESTORS[depth] = parent;
        checkChildren(child, def.children ?? NO_DEFS, typeName, file, out, version, mixed, depth + 1);
      }
      continue;
    }
    if (child.children.length > 0) {
      out.push(valueError(name, '<…>', ruleText('XML-VALUE-TYPE.simple', [def.kind]), where(file, child)));
      continue;
    }
    const text = child.text ?? '';
    const problem = checkValue(def, text);
    if (problem) {
      // Padding around an xsd:int/double/boolean is no error (the Metadata API reads ` 20 ` as 20): the node
      // takes the value itself, so every reader of the document (rules, import, plan, deploy checks) sees it.
      const collapsed = collapsedValue(def, text);
      if (collapsed !== undefined) child.text = collapsed;
      else out.push(valueError(name, text, problem, where(file, child)));
    }
  }
  for (let i = 0; i < defs.length; i++) {
    const def = defs[i];
    if (def.required && !(i < 32 ? (seen & (1 << i)) !== 0 : (seenMore?.has(i) ?? false))) {
      out.push({
        ruleId: 'XML-REQUIRED',
        severity: 'error',
        message: ruleText('XML-REQUIRED', [def.name, localName(parent.name), typeName]),
        hint: ruleText('XML-REQUIRED.hint', [def.name]),
        file,
        line: parent.line,
        column: parent.column,
      });
    }
  }
}

const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

const NO_DEFS: readonly ElementDef[] = Object.freeze([]);

/**
 * The elements above the one checkChildren is in, outermost first, as far as its `depth`: one array for every
 * document (the check is depth-first and synchronous), where each nested element of 10,000 files made its own
 * chain (~2.4 MB of garbage, bench/RESULTS.md, Validate at scale). A chain is copied out only for a nil element.
 */
const ANCESTORS: XmlNode[] = [];

/** `[...ANCESTORS[0..depth), parent]`: the chain above a nil element, whose namespace declaration may be there. */
function ancestorsOf(parent: XmlNode, depth: number): XmlNode[] {
  const chain = new Array<XmlNode>(depth + 1);
  for (let i = 0; i < depth; i++) chain[i] = ANCESTORS[i];
  chain[depth] = parent;
  return chain;
}

/** The location of a reported element. */
function where(file: string | undefined, node: XmlNode): Pick<Diagnostic, 'file' | 'line' | 'column'> {
  return { file, line: node.line, column: node.column };
}

/** Element name → index in its definitions (the first with that name, as findIndex gives), built once per list. */
const positionIndex = new WeakMap<readonly ElementDef[], Map<string, number>>();
function positionsOf(defs: readonly ElementDef[]): Map<string, number> {
  let positions = positionIndex.get(defs);
  if (!positions) {
    positions = new Map();
    // A loop, not a closure over `positions`: that would allocate a context at every call (each element with children).
    for (let i = 0; i < defs.length; i++) if (!positions.has(defs[i].name)) positions.set(defs[i].name, i);
    positionIndex.set(defs, positions);
  }
  return positions;
}

/** Whether the prefix of the node's nil attribute (normally `xsi`) is bound to the XML Schema instance namespace. */
function xsiDeclared(node: XmlNode, ancestors: readonly XmlNode[]): boolean {
  const nilKey = Object.keys(node.attributes ?? {}).find((k) => k === 'nil' || k.endsWith(':nil'));
  if (!nilKey?.includes(':')) return false;
  const declaration = `xmlns:${nilKey.slice(0, nilKey.indexOf(':'))}`;
  return [node, ...ancestors].some((n) => n.attributes?.[declaration] === XSI_NAMESPACE);
}

function valueError(name: string, value: string, expected: string, at: Pick<Diagnostic, 'file' | 'line' | 'column'>): Diagnostic {
  return {
    ruleId: 'XML-VALUE-TYPE',
    severity: 'error',
    message: ruleText('XML-VALUE-TYPE', [name, value.length > 60 ? value.slice(0, 57) + '...' : value, expected]),
    hint: ruleText('XML-VALUE-TYPE.hint', [name, expected]),
    ...at,
  };
}

/** XML whitespace (XML 1.0 §2.3 S: space, tab, CR, LF) at either end; not U+00A0 nor other Unicode spaces. */
const XML_SPACE_AROUND = /^[ \t\r\n]+|[ \t\r\n]+$/g;

/**
 * The value of a padded xsd:int, xsd:double or xsd:boolean text (`' 20 '` → `'20'`), or undefined when the text
 * is not one with the padding removed. XML Schema Part 2 §4.3.6: those types' whiteSpace is "collapse", so the
 * Metadata API reads the value without it; xsd:string and its enumerations keep their text ("preserve").
 */
function collapsedValue(def: ElementDef, text: string): string | undefined {
  if (def.kind !== 'int' && def.kind !== 'double' && def.kind !== 'boolean') return undefined;
  const value = text.replace(XML_SPACE_AROUND, '');
  if (value === text || checkValue(def, value) !== undefined) return undefined;
  // The booleans share one string each, as the parser keeps them (xml.ts keepValue).
  return value === 'true' ? 'true' : value === 'false' ? 'false' : value;
}

const INT = /^[+-]?\d+$/;
const DOUBLE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Returns what was expected when the text is not a valid value of the element's kind. */
export function checkValue(def: ElementDef, text: string): string | undefined {
  switch (def.kind) {
    case 'boolean':
      return text === 'true' || text === 'false' ? undefined : ruleText('XML-VALUE-TYPE.boolean');
    case 'int': {
      if (!INT.test(text)) return ruleText('XML-VALUE-TYPE.int');
      const n = Number(text);
      return n >= XSD_INT_RANGE.min && n <= XSD_INT_RANGE.max ? undefined : ruleText('XML-VALUE-TYPE.int32');
    }
    case 'double':
      return DOUBLE.test(text) ? undefined : ruleText('XML-VALUE-TYPE.double');
    case 'enum':
      return def.enumValues?.includes(text) ? undefined : ruleText('XML-VALUE-TYPE.enum', [def.enumValues?.join(', ')]);
    default:
      return undefined;
  }
}
