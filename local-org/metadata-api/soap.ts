/**
 * SOAP 1.1 plumbing of the Metadata API: reads the request envelope jsforce/SDR send (operation name,
 * session id, arguments as plain objects) and writes responses and faults the way the real service does
 * (default namespace http://soap.sforce.com/2006/04/metadata, `sf:` fault codes).
 */
import { XMLParser } from 'fast-xml-parser';

export const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';
const ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** An argument tree: element name → text, nested tree, or list of either (repeated elements). */
export type SoapValue = string | SoapTree | SoapValue[];
export interface SoapTree {
  [name: string]: SoapValue;
}

export interface SoapRequest {
  operation: string;
  sessionId?: string;
  args: SoapTree;
}

/** A request the service refuses with a SOAP fault (HTTP 500), e.g. `INVALID_ID_FIELD`. */
export class SoapFault extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'SoapFault';
    this.code = code;
  }
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
});

export function parseSoapRequest(body: string): SoapRequest {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(body) as Record<string, unknown>;
  } catch (error) {
    throw new SoapFault('INVALID_XML', `Could not parse the request: ${(error as Error).message}`);
  }
  const envelope = doc.Envelope as Record<string, unknown> | undefined;
  const soapBody = envelope?.Body as Record<string, unknown> | undefined;
  if (!envelope || !soapBody || typeof soapBody !== 'object') {
    throw new SoapFault('INVALID_XML', 'The request is not a SOAP envelope with a Body.');
  }
  const operation = Object.keys(soapBody).find((k) => !k.startsWith('@'));
  if (!operation) throw new SoapFault('INVALID_XML', 'The SOAP Body names no operation.');
  const header = envelope.Header as Record<string, unknown> | undefined;
  const sessionHeader = header?.SessionHeader as Record<string, unknown> | undefined;
  const sessionId = typeof sessionHeader?.sessionId === 'string' ? sessionHeader.sessionId : undefined;
  return { operation, sessionId, args: normalize(soapBody[operation]) as SoapTree };
}

/** Drops attributes (xmlns, xsi:type) and turns empty elements into ''. */
function normalize(value: unknown): SoapValue {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  const out: SoapTree = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.startsWith('@')) continue;
    out[k === '#text' ? '_text' : k] = normalize(v);
  }
  if (Object.keys(out).length === 1 && '_text' in out) return out._text;
  return out;
}

// ---- reading arguments ------------------------------------------------------------------------

export function argText(tree: SoapTree | undefined, name: string): string | undefined {
  const v = tree?.[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function argBool(tree: SoapTree | undefined, name: string, fallback: boolean): boolean {
  const v = argText(tree, name);
  if (v === undefined || v === '') return fallback;
  return v.trim().toLowerCase() === 'true';
}

export function argList(tree: SoapTree | undefined, name: string): SoapValue[] {
  const v = tree?.[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export function argTexts(tree: SoapTree | undefined, name: string): string[] {
  return argList(tree, name).filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter((v) => v !== '');
}

export function argTree(tree: SoapTree | undefined, name: string): SoapTree | undefined {
  const v = tree?.[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first && typeof first === 'object' && !Array.isArray(first) ? first : undefined;
}

// ---- writing responses ------------------------------------------------------------------------

/**
 * A response value: scalars become text, arrays repeat the element, objects nest; `undefined` is
 * omitted and `null` is written `xsi:nil="true"`. `{ $type, ...fields }` adds an `xsi:type`.
 */
export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [name: string]: XmlValue };

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function element(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => element(name, v)).join('');
  if (value === null) return `<${name} xsi:nil="true"/>`;
  if (typeof value === 'object') {
    const { $type, ...fields } = value as Record<string, XmlValue>;
    const attrs = typeof $type === 'string' ? ` xsi:type="${escapeXml($type)}"` : '';
    const inner = Object.entries(fields)
      .map(([k, v]) => element(k, v))
      .join('');
    return `<${name}${attrs}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function soapResponse(operation: string, result: XmlValue): { statusCode: number; body: string } {
  return {
    statusCode: 200,
    body:
      '<?xml version="1.0" encoding="UTF-8"?>' +
      `<soapenv:Envelope xmlns:soapenv="${ENVELOPE_NS}" xmlns="${METADATA_NS}" xmlns:xsi="${XSI_NS}">` +
      `<soapenv:Body><${operation}Response>${element('result', result)}</${operation}Response></soapenv:Body>` +
      '</soapenv:Envelope>',
  };
}

/**
 * Faults as the Metadata API sends them: HTTP 500, `sf:CODE`, faultstring `CODE: message`; a request
 * the SOAP layer can't read (code `soapenv:Client`) carries just the message.
 */
export function soapFaultResponse(code: string, message: string): { statusCode: number; body: string } {
  if (code === 'soapenv:Client') {
    return {
      statusCode: 500,
      body:
        '<?xml version="1.0" encoding="UTF-8"?>' +
        `<soapenv:Envelope xmlns:soapenv="${ENVELOPE_NS}"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode>` +
        `<faultstring>${escapeXml(message)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
    };
  }
  return {
    statusCode: 500,
    body:
      '<?xml version="1.0" encoding="UTF-8"?>' +
      `<soapenv:Envelope xmlns:soapenv="${ENVELOPE_NS}" xmlns:sf="${METADATA_NS}">` +
      `<soapenv:Body><soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${escapeXml(`${code}: ${message}`)}</faultstring>` +
      `<detail><sf:${code === 'INVALID_SESSION_ID' ? 'UnexpectedErrorFault' : 'ApiFault'}><sf:exceptionCode>${code}</sf:exceptionCode>` +
      `<sf:exceptionMessage>${escapeXml(message)}</sf:exceptionMessage></sf:${code === 'INVALID_SESSION_ID' ? 'UnexpectedErrorFault' : 'ApiFault'}></detail>` +
      '</soapenv:Fault></soapenv:Body></soapenv:Envelope>',
  };
}

/** A response whose `result` content is already XML (readMetadata's `xsi:type`d records). */
export function soapRawResponse(operation: string, resultXml: string): { statusCode: number; body: string } {
  return {
    statusCode: 200,
    body:
      '<?xml version="1.0" encoding="UTF-8"?>' +
      `<soapenv:Envelope xmlns:soapenv="${ENVELOPE_NS}" xmlns="${METADATA_NS}" xmlns:xsi="${XSI_NS}">` +
      `<soapenv:Body><${operation}Response><result>${resultXml}</result></${operation}Response></soapenv:Body>` +
      '</soapenv:Envelope>',
  };
}
