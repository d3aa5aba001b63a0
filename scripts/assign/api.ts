/**
 * The few REST calls assignment needs, over the org's jsforce Connection: paged queries, sObject
 * Collections writes and Bulk API 2.0 ingest. jsforce's own retries are switched off so that this layer
 * decides what is safe to retry (reads: always; writes: only after re-reading the org, see execute.ts)
 * and so that every call is counted.
 */
import type { Connection } from '@salesforce/core';
import { errorMessage } from '../org/http-errors.ts';
import { chunkInList, inListCalls, inListCallsAtLeast } from '../org/soql.ts';
import { messageText } from '../lib/messages.ts';

export { chunkInList, inListCalls, inListCallsAtLeast };

/**
 * transient: retry (after re-reading the org for writes); permanent: report, don't retry; session: a 401
 * (INVALID_SESSION_ID) that reached us although jsforce refreshes the token itself whenever it can — so no
 * refresh can cure it (access-token mode, revoked refresh token): stop the whole run at once.
 */
export type ErrorClass = 'transient' | 'permanent' | 'session';

/** A per-record or per-request error as the API reports it. */
export interface ApiErrorInfo {
  code: string;
  message: string;
}

export interface SaveResult {
  id?: string | null;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields?: string[] }>;
}

const TRANSIENT_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'UNKNOWN_EXCEPTION',
  'SERVER_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'REQUEST_RUNNING_TOO_LONG',
  'ERROR_HTTP_500',
  'ERROR_HTTP_502',
  'ERROR_HTTP_503',
  'ERROR_HTTP_504',
]);
const SESSION = /^(INVALID_SESSION_ID|ERROR_HTTP_401|RefreshTokenAuthError|invalid_grant|orgDataNotAvailableError)$/;
const NETWORK_CODES = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR_SOCKET|UND_ERR_CLOSED|socket hang up|fetch failed|other side closed|terminated/i;

/** Describes any thrown error as code + message, without tokens (jsforce messages never hold them). */
export function errorInfo(error: unknown): ApiErrorInfo {
  const e = error as { errorCode?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause;
  const networkCode = cause?.code ?? (cause as { cause?: { code?: string } } | undefined)?.cause?.code;
  if (networkCode && NETWORK_CODES.test(networkCode)) return { code: networkCode, message: e.message ?? networkCode };
  const code = e?.errorCode ?? (e?.name && e.name !== 'Error' ? e.name : undefined) ?? 'ERROR';
  // jsforce reports an HTTP error with an empty body (e.g. 431) with message "": never keep an empty message.
  return { code, message: firstUsefulLine(errorMessage(error)) };
}

/**
 * One line of a platform error message. SOQL errors (INVALID_FIELD, MALFORMED_QUERY) start with an empty
 * line, echo the query with a caret and put the reason after "ERROR at Row:…"; keep that reason.
 */
function firstUsefulLine(message: string): string {
  const lines = message.split('\n').map((line) => line.trim()).filter(Boolean);
  const at = lines.findIndex((line) => /^ERROR at Row:/.test(line));
  if (at >= 0 && at + 1 < lines.length) return lines.slice(at + 1).join(' ');
  return lines[0] ?? message;
}

export function classifyError(error: unknown): ErrorClass {
  const info = errorInfo(error);
  if (SESSION.test(info.code) || /expired access\/refresh token|INVALID_SESSION_ID/.test(info.message)) return 'session';
  if (TRANSIENT_CODES.has(info.code) || NETWORK_CODES.test(info.code) || NETWORK_CODES.test(info.message)) return 'transient';
  if (/^ERROR_HTTP_5\d\d$/.test(info.code)) return 'transient';
  return 'permanent';
}

/**
 * The session is gone and no refresh can bring it back (see ErrorClass). Thrown out of the engine so the
 * run stops within one request, with the journal marked interrupted.
 */
export class SessionLost extends Error {
  readonly code: string;
  constructor(info: ApiErrorInfo) {
    super(info.message);
    this.name = 'SessionLost';
    // A failed token refresh comes back without an error code: it is still the org refusing the session.
    this.code = info.code === 'ERROR' ? 'INVALID_SESSION_ID' : info.code;
  }
}

export function isTransientCode(code: string): boolean {
  return TRANSIENT_CODES.has(code) || NETWORK_CODES.test(code);
}

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseMs: 200, maxMs: 8000 };

/** Exponential backoff with full jitter (so parallel workers don't retry in lockstep). */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retries `fn` on transient errors. Only for calls that are safe to repeat (reads, idempotent writes). */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY, onRetry?: (error: unknown) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const kind = classifyError(error);
      if (kind === 'session') throw new SessionLost(errorInfo(error));
      if (attempt + 1 >= policy.attempts || kind !== 'transient') throw error;
      onRetry?.(error);
      await sleep(backoffMs(attempt, policy));
    }
  }
}

export interface ApiStats {
  calls: number;
  retries: number;
  writes: number;
  /** Composite (atomic move) requests. */
  composites: number;
}

/** What a Composite move answered: committed (every record applied) or rolled back as a whole. */
export interface MoveResult {
  committed: boolean;
  deleted: SaveResult[];
  created: SaveResult[];
}


export class OrgApi {
  readonly connection: Connection;
  readonly stats: ApiStats = { calls: 0, retries: 0, writes: 0, composites: 0 };
  retry: RetryPolicy;

  constructor(connection: Connection, retry: RetryPolicy = DEFAULT_RETRY) {
    this.connection = connection;
    this.retry = retry;
  }

  get base(): string {
    return `/services/data/v${this.connection.getApiVersion()}`;
  }

  /**
   * One HTTP call; no hidden retries. `options.text`: the body as the org sent it (a string), not parsed
   * by jsforce — for CSV results, which jsforce would parse with csv-parse, many times slower than the
   * plain split of asRows (execute.ts) for the four columns of a Bulk result.
   */
  async call<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, options: { text?: boolean } = {}): Promise<T> {
    this.stats.calls++;
    const request: Record<string, unknown> = { method, url, headers: { ...headers } };
    if (body !== undefined) {
      request.body = typeof body === 'string' ? body : JSON.stringify(body);
      if (typeof body !== 'string') (request.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    return (await this.connection.request(request as never, { retry: { maxRetries: 0 }, ...(options.text ? { responseType: 'text/plain' } : {}) } as never)) as T;
  }

  /**
   * The same API (connection, stats) without retries: for callers that count attempts themselves (the
   * engine's per-chunk budget), so that retries never nest.
   */
  single(): OrgApi {
    const view = Object.create(this) as OrgApi;
    view.retry = { ...this.retry, attempts: 1 };
    return view;
  }

  async retried<T>(fn: () => Promise<T>): Promise<T> {
    return withRetry(fn, this.retry, () => this.stats.retries++);
  }

  /** Every row of a query, following nextRecordsUrl; each page is retried on transient errors. */
  async query<T>(soql: string, onPage?: (rows: T[]) => void): Promise<T[]> {
    const rows: T[] = [];
    const headers = { 'sforce-query-options': 'batchSize=2000' };
    let page = await this.retried(() => this.call<QueryPage<T>>('GET', `${this.base}/query?q=${encodeURIComponent(soql)}`, undefined, headers));
    for (;;) {
      for (const r of page.records) rows.push(r);
      onPage?.(page.records);
      if (page.done || !page.nextRecordsUrl) break;
      const next = page.nextRecordsUrl;
      page = await this.retried(() => this.call<QueryPage<T>>('GET', next, undefined, headers));
    }
    return rows;
  }

  /**
   * `SELECT … WHERE field IN (…)` over any number of values: chunks sized by the encoded URL length.
   * `build(inList)` returns the full query for one chunk.
   */
  async queryIn<T>(values: readonly string[], build: (inList: string) => string): Promise<T[]> {
    const out: T[] = [];
    for (const chunk of chunkInList(values, encodeURIComponent(build("('')")).length)) {
      for (const row of await this.query<T>(build(chunk))) out.push(row);
    }
    return out;
  }

  /** POST /composite/sobjects, allOrNone=false. Not retried here: the caller re-reads before retrying. */
  async createMany(records: Array<Record<string, unknown>>): Promise<SaveResult[]> {
    this.stats.writes += records.length;
    return this.call<SaveResult[]>('POST', `${this.base}/composite/sobjects`, { allOrNone: false, records });
  }

  /**
   * One atomic move of up to 200 subjects: a REST Composite request with `allOrNone: true` holding an sObject
   * Collections DELETE of the old junction rows and an sObject Collections POST of the new ones. Either both
   * apply or neither does ("allOrNone Parameters in Composite and Collections Requests"), so no subject is
   * ever left between the two. Not retried here: after a transport error the caller re-reads the org.
   */
  async moveMany(deleteIds: string[], records: Array<Record<string, unknown>>): Promise<MoveResult> {
    this.stats.writes += deleteIds.length + records.length;
    this.stats.composites++;
    const compositeRequest = [
      { method: 'DELETE', url: `${this.base}/composite/sobjects?ids=${deleteIds.map(encodeURIComponent).join(',')}&allOrNone=true`, referenceId: 'oldRows' },
      { method: 'POST', url: `${this.base}/composite/sobjects`, referenceId: 'newRows', body: { allOrNone: true, records } },
    ];
    const answer = await this.call<{ compositeResponse: Array<{ body: unknown; httpStatusCode: number; referenceId: string }> }>('POST', `${this.base}/composite`, { allOrNone: true, compositeRequest });
    const byRef = new Map(answer.compositeResponse.map((r) => [r.referenceId, r]));
    const part = (ref: string, size: number): SaveResult[] => {
      const r = byRef.get(ref);
      if (r && Array.isArray(r.body) && r.body.length === size && r.body.every((x) => x && typeof x === 'object' && 'success' in x)) return r.body as SaveResult[];
      // A subrequest halted as a whole (PROCESSING_HALTED, or an error for the request): every record shares it.
      const e = Array.isArray(r?.body) ? (r!.body[0] as { errorCode?: string; message?: string } | undefined) : undefined;
      const error = { statusCode: e?.errorCode ?? `ERROR_HTTP_${r?.httpStatusCode ?? 500}`, message: e?.message ?? messageText('assign-findings', 'Subrequest.noAnswer') };
      return Array.from({ length: size }, () => ({ success: false, errors: [error] }));
    };
    const deleted = part('oldRows', deleteIds.length);
    const created = part('newRows', records.length);
    const committed = deleted.every((r) => r.success) && created.every((r) => r.success);
    return { committed, deleted, created };
  }

  /** DELETE /composite/sobjects?ids=…, allOrNone=false. */
  async deleteMany(ids: string[]): Promise<SaveResult[]> {
    this.stats.writes += ids.length;
    return this.call<SaveResult[]>('DELETE', `${this.base}/composite/sobjects?ids=${ids.map(encodeURIComponent).join(',')}&allOrNone=false`);
  }
}

interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

