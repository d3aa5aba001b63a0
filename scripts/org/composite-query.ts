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
 *
 * `sendQueryChains` is the one place that puts query operations on the wire, for every batching policy in
 * omni: this reader's (one event-loop turn), the read cache's (a 5 ms window, org/read-cache.ts) and the
 * assignment reads' (planned pages and retries, assign/batch-query.ts). It chains later pages of one query
 * in the same request (`@{ref.nextRecordsUrl}`), falls back to one GET per page below API 42.0, and maps a
 * failed subrequest to one error shape (`subrequestError`).
 */
import type { Connection } from '@salesforce/core';
import { messageText } from '../lib/messages.ts';

/** What reads need of the org: every row of one SOQL query. Errors as jsforce throws them (name/errorCode). */
export interface SoqlReader {
  query<T>(soql: string): Promise<T[]>;
}

/** The documented limit of query subrequests in one composite request. */
export const COMPOSITE_QUERY_LIMIT = 5;

/** The Composite resource exists from API 42.0 ("Composite", REST API Developer Guide); older sessions query one by one. */
export const COMPOSITE_MIN_API_VERSION = 42;

/** One page of a REST query answer ("Query", REST API Developer Guide). */
export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: unknown[];
}

/** One REST request as the transport sends it (jsforce `connection.request` takes this shape). */
export interface RestRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: string;
  headers?: Record<string, string>;
}

/**
 * One query in a composite request: its first URL (`…/query?q=…` or a Query More `nextRecordsUrl`), then
 * `pages - 1` later pages chained as `@{ref.nextRecordsUrl}` (default 1 page). `headers`: the subrequest's
 * `httpHeaders` (e.g. `Sforce-Query-Options`).
 */
export interface QueryChain {
  url: string;
  pages?: number;
  headers?: Record<string, string>;
}

/** The answer to one page of a chain: the page, or the error of its subrequest. */
export type PageResult = { page: QueryPage; error?: undefined } | { page?: undefined; error: Error };

/**
 * Sends `chains` (at most 5 query operations in all, pages counted) as one Composite request
 * (`POST /services/data/v<apiVersion>/composite`, allOrNone false), or below API 42.0 as one GET per page,
 * following `nextRecordsUrl`. Returns, for each chain, one result per page asked: a page whose predecessor
 * was the last (or failed) answers PROCESSING_HALTED, as Salesforce answers a chained reference it cannot
 * resolve. `send` is the caller's transport (its retries, its counting).
 * @throws whatever `send` throws for the Composite request as a whole (each query failed alike).
 * @throws RangeError when the chains hold more than 5 query operations.
 */
export async function sendQueryChains(send: (request: RestRequest) => Promise<unknown>, apiVersion: string | number, chains: QueryChain[]): Promise<PageResult[][]> {
  const ops = chains.reduce((n, c) => n + (c.pages ?? 1), 0);
  if (ops > COMPOSITE_QUERY_LIMIT) throw new RangeError(`${ops} query operations in one composite request: the limit is ${COMPOSITE_QUERY_LIMIT}.`);
  if (Number(apiVersion) < COMPOSITE_MIN_API_VERSION) return Promise.all(chains.map((chain) => pageByPage(send, chain)));
  const compositeRequest = chains.flatMap((chain, q) =>
    Array.from({ length: chain.pages ?? 1 }, (_, p) => ({
      method: 'GET',
      url: p > 0 ? `@{q${q}p${p - 1}.nextRecordsUrl}` : chain.url,
      referenceId: `q${q}p${p}`,
      ...(chain.headers && Object.keys(chain.headers).length ? { httpHeaders: chain.headers } : {}),
    })),
  );
  const answer = (await send({
    method: 'POST',
    url: `/services/data/v${apiVersion}/composite`,
    body: JSON.stringify({ allOrNone: false, compositeRequest }),
    headers: { 'content-type': 'application/json' },
  })) as { compositeResponse?: SubResponse[] } | undefined;
  const byRef = new Map((answer?.compositeResponse ?? []).map((r) => [r.referenceId, r]));
  return chains.map((chain, q) =>
    Array.from({ length: chain.pages ?? 1 }, (_, p): PageResult => {
      const r = byRef.get(`q${q}p${p}`);
      return r && r.httpStatusCode < 300 && isQueryPage(r.body) ? { page: r.body } : { error: subrequestError(r) };
    }),
  );
}

/** Below API 42.0: the pages of one chain by plain GETs, one after the other. */
async function pageByPage(send: (request: RestRequest) => Promise<unknown>, chain: QueryChain): Promise<PageResult[]> {
  const results: PageResult[] = [];
  let url: string | undefined = chain.url;
  for (let p = 0; p < (chain.pages ?? 1); p++) {
    if (!url) {
      results.push({ error: new CompositeQueryError('PROCESSING_HALTED', messageText('org-errors', 'composite.previousPage'), 400) });
      continue;
    }
    try {
      const page = (await send({ method: 'GET', url, ...(chain.headers ? { headers: chain.headers } : {}) })) as QueryPage;
      results.push({ page });
      url = page.done ? undefined : page.nextRecordsUrl;
    } catch (error) {
      results.push({ error: error as Error });
      url = undefined;
    }
  }
  return results;
}

/** A REST query page (records and done), as opposed to an error list or an empty answer. */
export function isQueryPage(body: unknown): body is QueryPage {
  return typeof body === 'object' && body !== null && Array.isArray((body as QueryPage).records) && typeof (body as QueryPage).done === 'boolean';
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
    let results: PageResult[][];
    try {
      results = await sendQueryChains((request) => connection.request(request as never) as Promise<unknown>, connection.getApiVersion(), items.map((item) => ({ url: item.url })));
    } catch (error) {
      for (const item of items) item.reject(error as Error);
      return;
    }
    for (const [i, item] of items.entries()) {
      const [result] = results[i];
      if (result.page) item.resolve(result.page);
      else item.reject(result.error);
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
  if (!r) return new CompositeQueryError('UNKNOWN_EXCEPTION', messageText('org-errors', 'composite.noAnswer'), 500);
  const first = Array.isArray(r.body) ? (r.body[0] as { errorCode?: string; message?: string } | undefined) : undefined;
  const code = first?.errorCode ?? `ERROR_HTTP_${r.httpStatusCode}`;
  return new CompositeQueryError(code, first?.message || `HTTP ${r.httpStatusCode} answering a query subrequest`, r.httpStatusCode);
}
