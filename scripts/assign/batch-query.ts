/**
 * Several SOQL queries, every page of each, in as few requests and round trips as Salesforce allows: REST
 * Composite requests (`POST /composite`, allOrNone false) of at most 5 query operations — Query and "Query
 * More", the next page written `@{ref.nextRecordsUrl}` so that up to 5 pages of one query come back in one
 * request — sent in parallel. "The entire series of requests counts as a single call toward your API
 * limits" (REST API Developer Guide, "Send Multiple Requests Using Composite"; local org FIDELITY F-60).
 *
 * Reads are safe to repeat: a composite that fails as a whole (5xx, dropped connection) is sent again with
 * the same backoff as any read; a query the org rejects (INVALID_FIELD in a --where condition) is reported
 * on that query, the others carry on.
 */
import { COMPOSITE_QUERY_LIMIT, CompositeQueryError, sendQueryChains, type PageResult, type QueryPage } from '../org/composite-query.ts';
import { errorInfo, isTransientCode, SessionLost, sleep, type ApiErrorInfo, type OrgApi } from './api.ts';

/** Query operations per Composite request (the documented limit, org/composite-query.ts). */
const COMPOSITE_QUERY_OPS = COMPOSITE_QUERY_LIMIT;
/** Rows per REST query page (the default and maximum batch size). */
const PAGE_ROWS = 2000;
/** Composite requests in flight at once. */
const IN_FLIGHT = 5;

export interface QuerySpec<T> {
  soql: string;
  /** Pages expected (a hint: that many are chained into the first request). Default 1. */
  pages?: number;
  /**
   * Stop after the first page when the query would take more than this many pages in all: the result
   * is then `tooLarge` and its rows are not read (the caller reads selectively instead).
   */
  maxPages?: number;
  /**
   * The same test as `maxPages`, as a question: asked once, with the number of pages the first page says the
   * query has; true stops it there (`tooLarge`). For a limit that is costly to work out in full (the IN chunks
   * of 100,000 values) and only needs comparing with a few pages.
   */
  tooLarge?: (pages: number) => boolean;
  /** Receives each page's records as they arrive (then `rows` stays empty: nothing is kept here). */
  onRows?: (rows: T[]) => void;
  /**
   * Read through one Bulk API 2.0 query job instead (create, poll, CSV results) — for reads of more than
   * ~50,000 rows, where REST pages of 2,000 would take 25+ query operations. `fromCsv` turns a CSV row
   * into the record REST would give; it reads the row's values by column name (every value a string, ''
   * for null; relationship fields as `User.Username`). With `afterFirstPage`, the query starts as REST (its
   * first page shares a Composite request with the other reads, and its totalSize tells how many rows there
   * are) and moves to a job only when the rest would take more Composite requests than a job does (see
   * bulkRest); the job then reads every row, and the first page's rows are not handed on.
   */
  bulk?: { fromCsv: (value: (column: string) => string) => T; afterFirstPage?: boolean };
}

export interface QueryOutcome<T> {
  rows: T[];
  totalSize: number;
  /** The org refused the query (permanently): code and message. */
  error?: ApiErrorInfo;
  /** More pages than `maxPages`: nothing but the first page's totalSize was read. */
  tooLarge?: boolean;
}

interface Cursor<T> {
  spec: QuerySpec<T>;
  outcome: QueryOutcome<T>;
  /** The next page's URL; undefined before the first page. */
  next?: string;
  started: boolean;
  done: boolean;
  fetched: number;
  failures: number;
  /** Its first page said the rest goes to a Bulk job (QuerySpec.bulk.afterFirstPage): the job is started after this round. */
  toBulk?: boolean;
}

/**
 * Pages after the first above which a query with `bulk.afterFirstPage` is read by a Bulk API 2.0 query job
 * instead: more than two Composite requests of chained pages, against a job's three (create, a poll, the
 * results), so the switch never takes more requests where the job is done by its first poll. What it saves is
 * memory: 50,000 junction rows as REST pages are ~10 MB of JSON, each Composite response held whole while
 * jsforce parses it into records with their attributes (~35 MiB of heap and ~17 MiB of buffers at the peak of
 * a 100,000-user plan, bench/assign/plan-memory.ts), where the job's CSV is parsed as it streams in.
 */
const REST_PAGES_BEFORE_BULK = 2 * COMPOSITE_QUERY_OPS;


/** Runs every query to its last page (or its error / page limit); outcomes in the order of `specs`. */
export async function runQueries<T extends unknown[]>(api: OrgApi, specs: { [K in keyof T]: QuerySpec<T[K]> }): Promise<{ [K in keyof T]: QueryOutcome<T[K]> }> {
  const cursors: Array<Cursor<unknown>> = (specs as Array<QuerySpec<unknown>>).map((spec) => ({ spec, outcome: { rows: [], totalSize: 0 }, started: false, done: false, fetched: 0, failures: 0 }));
  // Bulk jobs run beside the REST rounds; a rejection (SessionLost) is kept and thrown once every read is over.
  const jobs: Array<Promise<void>> = [];
  let thrown: { error: unknown } | undefined;
  const startJob = (c: Cursor<unknown>) => {
    c.done = true;
    jobs.push(bulkQuery(api, c).catch((error) => void (thrown ??= { error })));
  };
  for (const c of cursors) if (c.spec.bulk && !c.spec.bulk.afterFirstPage) startJob(c);
  for (;;) {
    const open = cursors.filter((c) => !c.done);
    if (!open.length) break;
    // Each open query gets a chain of pages (its known remainder, or its hint before the first page), at
    // most 5; chains are packed first-fit, longest first, into requests of 5 query operations.
    const chains = open.map((c) => ({ c, length: Math.max(1, Math.min(COMPOSITE_QUERY_OPS, c.started ? Math.ceil((c.outcome.totalSize - c.fetched) / PAGE_ROWS) : firstChain(c.spec))) }));
    chains.sort((a, b) => b.length - a.length);
    const bins: Array<Array<{ c: Cursor<unknown>; length: number }>> = [];
    const room: number[] = [];
    for (const chain of chains) {
      const at = room.findIndex((r) => r >= chain.length);
      if (at >= 0) {
        bins[at].push(chain);
        room[at] -= chain.length;
      } else {
        bins.push([chain]);
        room.push(COMPOSITE_QUERY_OPS - chain.length);
      }
    }
    const queue = [...bins];
    const worker = async () => {
      for (let bin = queue.shift(); bin; bin = queue.shift()) await sendBin(api, bin);
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, bins.length) }, worker));
    for (const c of cursors) {
      if (!c.toBulk) continue;
      c.toBulk = false;
      startJob(c);
    }
  }
  await Promise.all(jobs);
  if (thrown) throw thrown.error;
  return cursors.map((c) => c.outcome) as never;
}

const BULK_FINAL = new Set(['JobComplete', 'Failed', 'Aborted']);

/**
 * One Bulk API 2.0 query job (BULK "Create a Query Job", "Get Results for a Query Job"): create, poll
 * (starting fast, backing off), then the results as CSV with a `maxRecords` large enough for one page in
 * the usual case, following `Sforce-Locator` otherwise. Fills the cursor's outcome.
 */
async function bulkQuery(api: OrgApi, c: Cursor<unknown>): Promise<void> {
  const base = `${api.base}/jobs/query`;
  try {
    const job = await api.retried(() => api.call<{ id: string }>('POST', base, { operation: 'query', query: c.spec.soql }));
    let info: { state: string; numberRecordsProcessed?: number; errorMessage?: string };
    for (let wait = 50; ; wait = Math.min(2000, Math.round(wait * 1.6))) {
      await sleep(wait);
      info = await api.retried(() => api.call('GET', `${base}/${job.id}`));
      if (BULK_FINAL.has(info.state)) break;
    }
    if (info.state !== 'JobComplete') {
      fail(c, { code: 'BULK_QUERY_FAILED', message: `Bulk API 2.0 query job ${job.id} ended ${info.state}${info.errorMessage ? `: ${info.errorMessage}` : ''}` });
      return;
    }
    c.outcome.totalSize = info.numberRecordsProcessed ?? 0;
    const maxRecords = Math.max(2000, (info.numberRecordsProcessed ?? 0) + 1);
    let locator: string | null = '';
    while (locator !== null) {
      const url: string = `${api.connection.instanceUrl}${base}/${job.id}/results?maxRecords=${maxRecords}${locator ? `&locator=${encodeURIComponent(locator)}` : ''}`;
      // Rows of this page already handed on: an attempt that broke off mid-page is retried from the same
      // locator (its rows come back in the same order) and skips them, so no row is delivered twice.
      const delivered = { rows: 0 };
      const next: string | null = await api.retried(() => streamResultsPage(api, url, c, delivered));
      locator = next && next !== 'null' ? next : null;
    }
  } catch (error) {
    if (error instanceof SessionLost) throw error;
    fail(c, errorInfo(error));
  }
}

/** Rows handed to `onRows` at a time while a Bulk results page streams in. */
const STREAM_BATCH = 500;

/**
 * One page of a Bulk query job's results, parsed as it arrives (csv-parse's stream API over the response
 * body): each row becomes its record (`bulk.fromCsv`) and reaches `onRows` in batches, so neither the
 * page's text (100 bytes a user: 10 MB at 100,000) nor an array of raw rows is ever held. Plain fetch: the
 * next page's locator is a response header, which jsforce's request() does not return. Returns the locator.
 */
async function streamResultsPage(api: OrgApi, url: string, c: Cursor<unknown>, delivered: { rows: number }): Promise<string | null> {
  api.stats.calls++;
  const response = await fetch(url, { headers: { authorization: `Bearer ${api.connection.accessToken}`, accept: 'text/csv' } });
  if (!response.ok || !response.body) {
    const text = await response.text();
    throw Object.assign(new Error(text.slice(0, 300) || response.statusText), { errorCode: `ERROR_HTTP_${response.status}`, name: `ERROR_HTTP_${response.status}` });
  }
  const [{ parse }, { Readable }, { pipeline }] = await Promise.all([import('csv-parse'), import('node:stream'), import('node:stream/promises')]);
  const fromCsv = c.spec.bulk!.fromCsv;
  let index = -1;
  let header = new Map<string, number>();
  // One reader of the current row (not a closure per row).
  let current: string[] = [];
  const value = (column: string) => current[header.get(column) ?? -1] ?? '';
  let batch: unknown[] = [];
  const hand = () => {
    const rows = batch;
    batch = [];
    c.fetched += rows.length;
    delivered.rows += rows.length;
    if (c.spec.onRows) c.spec.onRows(rows);
    else for (const r of rows) c.outcome.rows.push(r);
  };
  // Rows are taken in the parser's on_record hook, synchronously (no promise per row, as an async iterator
  // would make), and none is pushed on as a stream chunk.
  const parser = parse({
    skip_empty_lines: true,
    on_record: (row: string[]) => {
      if (index === -1) header = new Map(row.map((name, i) => [name, i]));
      else if (index >= delivered.rows) {
        current = row;
        batch.push(fromCsv(value));
        if (batch.length === STREAM_BATCH) hand();
      }
      index++;
      return null;
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), parser);
  } finally {
    // What parsed before a broken connection is handed on too: the retry skips exactly those rows.
    if (batch.length) hand();
  }
  return response.headers.get('sforce-locator');
}

/** Pages to chain into the first request: the hint, or 1 when a page limit may stop the query early. */
function firstChain(spec: QuerySpec<unknown>): number {
  const pages = spec.pages ?? 1;
  return spec.maxPages !== undefined ? Math.min(pages, spec.maxPages) : pages;
}

/**
 * One Composite request holding the chains of `bin` (org/composite-query.ts puts it on the wire, one GET
 * per page below API 42.0); updates their cursors.
 */
async function sendBin(api: OrgApi, bin: Array<{ c: Cursor<unknown>; length: number }>): Promise<void> {
  const chains = bin.map(({ c, length }) => ({ url: c.started ? c.next! : `${api.base}/query?q=${encodeURIComponent(c.spec.soql)}`, pages: length }));
  let results: PageResult[][];
  try {
    results = await sendQueryChains((request) => api.retried(() => api.call(request.method, request.url, request.body, request.headers)), api.connection.getApiVersion(), chains);
  } catch (error) {
    if (error instanceof SessionLost) throw error;
    // Retries are spent (or the error is permanent): every query of the request reports it.
    for (const { c } of bin) fail(c, errorInfo(error));
    return;
  }
  for (const [q, { c }] of bin.entries()) {
    for (const result of results[q]) {
      if (c.done) break;
      if (result.page) {
        take(c, result.page);
        continue;
      }
      if (result.error instanceof SessionLost) throw result.error;
      const info = result.error instanceof CompositeQueryError ? { code: result.error.errorCode, message: result.error.message } : errorInfo(result.error);
      // A follower of a done page has no nextRecordsUrl to use (PROCESSING_HALTED): nothing is missing. A page
      // whose predecessor in the chain failed is halted as well: the next round asks again.
      if (info.code === 'PROCESSING_HALTED') break;
      if (isTransientCode(info.code) || /^ERROR_HTTP_5\d\d$/.test(info.code)) {
        if (++c.failures >= api.retry.attempts) fail(c, info);
        break;
      }
      fail(c, info);
      break;
    }
  }
}

function take(c: Cursor<unknown>, page: QueryPage): void {
  const first = !c.started;
  c.started = true;
  c.outcome.totalSize = page.totalSize;
  const pages = Math.ceil(page.totalSize / PAGE_ROWS);
  if (first && ((c.spec.maxPages !== undefined && pages > c.spec.maxPages) || c.spec.tooLarge?.(pages))) {
    c.outcome.tooLarge = true;
    c.done = true;
    return;
  }
  if (first && c.spec.bulk?.afterFirstPage && pages - 1 > REST_PAGES_BEFORE_BULK) {
    c.toBulk = true;
    c.done = true;
    return;
  }
  c.fetched += page.records.length;
  if (c.spec.onRows) c.spec.onRows(page.records);
  else for (const r of page.records) c.outcome.rows.push(r);
  c.next = page.nextRecordsUrl;
  if (page.done || !page.nextRecordsUrl) c.done = true;
}

function fail(c: Cursor<unknown>, info: ApiErrorInfo): void {
  c.outcome.error = info;
  c.done = true;
}
