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

/**
 * Request body limits. Bulk API 2.0 accepts up to 150 MB of CSV per upload (Bulk API 2.0 Developer Guide,
 * "Bulk API 2.0 Limits and Allocations"); the Metadata API takes a 39 MB zip, 52 MB once base64-encoded in
 * SOAP (Metadata API Developer Guide, "Metadata Limits"). Anything larger is answered 413, as Salesforce does.
 */
export const BULK_UPLOAD_MAX_BYTES = 150 * 1024 * 1024;
export const BODY_MAX_BYTES = 64 * 1024 * 1024;
/** How much of a SOAP request is read to find its operation and SessionHeader before authenticating. */
export const SOAP_HEAD_BYTES = 64 * 1024;

/** The body was larger than its limit (the rest was not read). */
export class BodyTooLarge extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`The request body exceeds ${limit} bytes.`);
    this.limit = limit;
  }
}

/**
 * Reads a request body on demand, never more than `limit` bytes: nothing is buffered until `head()` or
 * `all()` is called (so an unauthenticated body is never read), and no listener can throw (a body too
 * large for a string, or a client that goes away, rejects the promise instead of crashing the server).
 */
export class BodyReader {
  private readonly req: IncomingMessage;
  private readonly limit: number;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private ended = false;
  private failure: Error | undefined;
  private started = false;
  private pauseAt = Infinity;
  private waiters: Array<() => void> = [];

  constructor(req: IncomingMessage, limit: number) {
    this.req = req;
    this.limit = limit;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.req.on('data', (chunk: Buffer) => {
      this.size += chunk.length;
      if (this.size > this.limit) {
        this.failure ??= new BodyTooLarge(this.limit);
        this.chunks.length = 0;
        this.req.pause();
      } else {
        this.chunks.push(chunk);
        if (this.size >= this.pauseAt) this.req.pause();
      }
      this.wake();
    });
    this.req.on('end', () => {
      this.ended = true;
      this.wake();
    });
    this.req.on('error', (error) => {
      this.failure ??= error;
      this.wake();
    });
    this.req.on('close', () => {
      if (!this.ended) this.failure ??= new Error('The client closed the connection.');
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** The first `bytes` bytes (or the whole body when shorter), as UTF-8; the rest stays unread. */
  async head(bytes: number): Promise<string> {
    this.pauseAt = bytes;
    this.start();
    await this.until(() => this.ended || this.failure !== undefined || this.size >= bytes);
    if (this.failure) throw this.failure;
    return Buffer.concat(this.chunks).subarray(0, bytes).toString('utf8');
  }

  /** The whole body as UTF-8. Rejects with BodyTooLarge past the limit. */
  async all(): Promise<string> {
    this.pauseAt = Infinity;
    this.start();
    this.req.resume();
    await this.until(() => this.ended || this.failure !== undefined);
    if (this.failure) throw this.failure;
    try {
      return Buffer.concat(this.chunks).toString('utf8');
    } catch {
      throw new BodyTooLarge(this.limit);
    }
  }
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
