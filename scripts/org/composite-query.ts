/**
 * Independent SOQL reads in as few requests as Salesforce allows: the queries asked for in the same turn
 * of the event loop go out together as query subrequests of one REST Composite request
 * (`POST /services/data/vXX.X/composite`, `allOrNone: false`), at most 5 per request — the documented
 * limit on query and sObject Collections subrequests ("Composite", REST API Developer Guide) — and the
 * later pages of each as Query More subrequests (`/query/<locator>`) batched the same way. A composite
 * request counts as one API call, whatever it holds.
 *
 * So a command that needs N small facts costs ⌈N/5⌉ requests instead of N, and callers stay written as
 * plain `await reader.query(soql)` (in a Promise.all to share the request).
 */
import type { Connection } from '@salesforce/core';

/** What reads need of the org: every row of one SOQL query. Errors as jsforce throws them (name/errorCode). */
export interface SoqlReader {
  query<T>(soql: string): Promise<T[]>;
}

/** The documented limit of query subrequests in one composite request. */
export const COMPOSITE_QUERY_LIMIT = 5;

/** The Composite resource exists from API 42.0 ("Composite", REST API Developer Guide); older sessions query one by one. */
export const COMPOSITE_MIN_API_VERSION = 42;

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: unknown[];
}

interface Pending {
  /** `query?q=…` or a Query More `nextRecordsUrl`. */
  url: string;
  resolve(page: QueryPage): void;
  reject(error: Error): void;
}

export interface SubResponse {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

/** The error of a failed subrequest, shaped as jsforce's (name = errorCode), so callers' checks still work. */
export class CompositeQueryError extends Error {
  readonly errorCode: string;
  readonly status: number;
  constructor(errorCode: string, message: string, status: number) {
    super(message);
    this.name = errorCode;
    this.errorCode = errorCode;
    this.status = status;
  }
}

/**
 * A reader whose queries share composite requests. `connection` carries the session (a refreshable one
 * is refreshed by jsforce on a 401, as for any request).
 */
export function compositeReader(connection: Connection): SoqlReader {
  let queue: Pending[] = [];
  let scheduled = false;
  const base = () => `/services/data/v${connection.getApiVersion()}`;

  const flush = () => {
    scheduled = false;
    // The same query asked twice in one turn (two checks reading the same rows) is sent once.
    const byUrl = new Map<string, Pending[]>();
    for (const item of queue) byUrl.set(item.url, [...(byUrl.get(item.url) ?? []), item]);
    queue = [];
    const batch: Pending[] = [...byUrl].map(([url, waiting]) => ({
      url,
      resolve: (page) => {
        for (const w of waiting) w.resolve(page);
      },
      reject: (error) => {
        for (const w of waiting) w.reject(error);
      },
    }));
    for (let i = 0; i < batch.length; i += COMPOSITE_QUERY_LIMIT) void send(batch.slice(i, i + COMPOSITE_QUERY_LIMIT));
  };

  const send = async (items: Pending[]) => {
    if (Number(connection.getApiVersion()) < COMPOSITE_MIN_API_VERSION) {
      for (const item of items) (connection.request(item.url) as Promise<QueryPage>).then(item.resolve, item.reject);
      return;
    }
    const compositeRequest = items.map((item, i) => ({ method: 'GET', url: item.url, referenceId: `q${i}` }));
    let answer: { compositeResponse: SubResponse[] };
    try {
      answer = (await connection.request({
        method: 'POST',
        url: `${base()}/composite`,
        body: JSON.stringify({ allOrNone: false, compositeRequest }),
        headers: { 'content-type': 'application/json' },
      } as never)) as { compositeResponse: SubResponse[] };
    } catch (error) {
      for (const item of items) item.reject(error as Error);
      return;
    }
    const byRef = new Map((answer?.compositeResponse ?? []).map((r) => [r.referenceId, r]));
    for (const [i, item] of items.entries()) {
      const r = byRef.get(`q${i}`);
      if (r && r.httpStatusCode < 300) item.resolve(r.body as QueryPage);
      else item.reject(subrequestError(r));
    }
  };

  const page = (url: string) =>
    new Promise<QueryPage>((resolve, reject) => {
      queue.push({ url, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        // After the current turn: every query started synchronously (e.g. in one Promise.all) shares it.
        setImmediate(flush);
      }
    });

  return {
    async query<T>(soql: string): Promise<T[]> {
      const rows: T[] = [];
      let next: string | undefined = `${base()}/query?q=${encodeURIComponent(soql)}`;
      while (next) {
        const result: QueryPage = await page(next);
        for (const r of result.records) rows.push(r as T);
        next = result.done ? undefined : result.nextRecordsUrl;
      }
      return rows;
    },
  };
}

/** The error of one failed (or missing) subrequest answer. */
export function subrequestError(r: SubResponse | undefined): CompositeQueryError {
  if (!r) return new CompositeQueryError('UNKNOWN_EXCEPTION', 'The composite response has no answer for this query.', 500);
  const first = Array.isArray(r.body) ? (r.body[0] as { errorCode?: string; message?: string } | undefined) : undefined;
  const code = first?.errorCode ?? `ERROR_HTTP_${r.httpStatusCode}`;
  return new CompositeQueryError(code, first?.message || `HTTP ${r.httpStatusCode} answering a query subrequest`, r.httpStatusCode);
}
