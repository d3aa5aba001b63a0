/**
 * Wire-level helpers of the local org's HTTP server: write a Reply, read a body, pick credentials out
 * of a request, SOAP faults, injected-fault replies and log-safe paths. No routing, no org state.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PlatformError } from './store.ts';
import { errorReply, type Reply } from './rest.ts';
import type { FaultKind } from './faults.ts';

export const SOAP_SESSION_MESSAGE = 'Invalid Session ID found in SessionHeader: Illegal Session';

/** Writes `reply` (JSON unless the body is a string; no body for 204). */
export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload: string | undefined;
  if (reply.body !== undefined && reply.status !== 204) {
    payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    headers['content-type'] = reply.contentType ?? 'application/json;charset=UTF-8';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** The whole request body as UTF-8. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A JSON request body; undefined when empty. Throws PlatformError JSON_PARSER_ERROR as the REST API answers. */
export function parseJson(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new PlatformError('JSON_PARSER_ERROR', `Unexpected character in the request body: ${(error as Error).message}`);
  }
}

/** The token of an `Authorization: Bearer|OAuth <token>` header. */
export function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header) : null;
  return match?.[1].trim();
}

/** The `<sessionId>` of a SOAP SessionHeader. */
export function soapSessionId(body: string): string | undefined {
  return /<(?:[\w-]+:)?sessionId>([^<]+)<\/(?:[\w-]+:)?sessionId>/.exec(body)?.[1].trim();
}

export function sessionInvalid(): Reply {
  return errorReply(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
}

/**
 * A SOAP fault (HTTP 500) in the namespace of the API addressed: the Metadata API's own (the same
 * envelope its handler sends, so clients see one shape whether the server or the handler refused),
 * otherwise the partner fault namespace.
 */
export async function soapFault(api: string, code: string, message: string): Promise<Reply> {
  if (api === 'metadata') {
    const { soapFaultResponse } = await import('./metadata-api/soap.ts');
    const fault = soapFaultResponse(code, message);
    return { status: fault.statusCode, body: fault.body, contentType: 'text/xml; charset=utf-8' };
  }
  const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    status: 500,
    contentType: 'text/xml; charset=utf-8',
    body:
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com">' +
      `<soapenv:Body><soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${xml(`${code}: ${message}`)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
  };
}

/** The reply an injected fault produces, shaped for the API addressed (REST JSON or SOAP fault). */
export async function faultReply(fault: FaultKind, soapApi: string | undefined): Promise<Reply | 'dropped'> {
  switch (fault) {
    case 'drop':
      return 'dropped';
    case 'unavailable':
      return { status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Server is temporarily unavailable; try again.' }], headers: { 'retry-after': '1' } };
    case 'session':
      return soapApi ? soapFault(soapApi, 'INVALID_SESSION_ID', SOAP_SESSION_MESSAGE) : sessionInvalid();
    case 'lock-row':
      return soapApi
        ? soapFault(soapApi, 'UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record')
        : errorReply(400, 'UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record or 1 records', []);
    default:
      return soapApi
        ? soapFault(soapApi, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred.')
        : errorReply(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: local-fault');
  }
}

const SENSITIVE_PARAM = /token|password|secret|sid|session|code|assertion|signature/i;

/** Path and query for logs, with any credential-bearing parameter masked. */
export function safePath(url: URL): string {
  const params = [...url.searchParams.entries()].map(([k, v]) => `${k}=${SENSITIVE_PARAM.test(k) ? '***' : encodeURIComponent(v)}`);
  return url.pathname + (params.length ? `?${params.join('&')}` : '');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
