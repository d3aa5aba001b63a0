/**
 * One run, each fact read once: a read-through cache on a session's connection for the reads that
 * several stages of `omni setup` ask alike (doctor, plan, assign, grant and verify each read configurations,
 * users, permission sets…). Cached: REST queries and their later pages (`GET …/query?q=`, `…/query/<locator>`),
 * `GET …/limits`, and Composite requests whose subrequests are all GETs — keyed without origin and API version
 * (SDR moves the shared connection to the project's version mid-run). A Composite request of plain queries
 * (compositeReader's) is answered query by query: a query read before by a GET or another composite is one fact. Any other request that is not a
 * GET (a write) empties the cache, and so does `invalidate()`, which the caller calls after writes that do not
 * pass through `connection.request` (a Metadata API deploy goes through SOAP).
 *
 * Every hit gets its own copy of the answer, so a caller that changes what it got cannot change another's.
 *
 * Queries that miss the cache and are asked within a few milliseconds of each other (checks run side by
 * side) travel together: up to 5 as the query subrequests of one Composite request (the documented limit),
 * put on the wire by composite-query.ts's `sendQueryChains` like every other batched read, each answered to
 * its caller as its own GET would have been. Queries asked while such requests are on their way wait for
 * those answers (at most HOLD_MS): reads come in chains, and the queries the answers start then share the request.
 */
import type { Connection } from '@salesforce/core';
import { COMPOSITE_MIN_API_VERSION, COMPOSITE_QUERY_LIMIT, CompositeQueryError, sendQueryChains, type SubResponse } from './composite-query.ts';

export interface ReadCache {
  /** Forget every cached answer (call after the org was changed by other means than `connection.request`). */
  invalidate(): void;
  /** Requests answered from the cache so far. */
  readonly hits: number;
}

interface RequestInfo {
  method?: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Queued {
  info: RequestInfo;
  /** Asked as a subrequest of a composite: travels in one even when alone, so its errors stay the subrequest's. */
  sub?: boolean;
  send: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const CACHED_GET = /\/services\/data\/v\d+\.\d\/(?:query(?:All)?(?:\/|\?)|limits\/?$)/;
/** How long a query waits for others to share its composite request. */
const GATHER_MS = 15;
/** How long at most queries wait for the gathered requests still on their way (see `due`). */
const HOLD_MS = 250;
const QUERY = /\/services\/data\/v\d+\.\d\/query(?:All)?(?:\/|\?)/;

/** Composite requests of GET subrequests only read: their answer is cacheable like a query's. */
function readOnlyComposite(info: RequestInfo): boolean {
  if (!/\/services\/data\/v\d+\.\d\/composite\/?$/.test(info.url) || typeof info.body !== 'string') return false;
  try {
    const subs = (JSON.parse(info.body) as { compositeRequest?: Array<{ method?: string }> }).compositeRequest;
    return Array.isArray(subs) && subs.length > 0 && subs.every((s) => String(s.method).toUpperCase() === 'GET');
  } catch {
    return false;
  }
}

/**
 * A GET's cache key: its path without origin or API version, its parameters decoded — so jsforce's
 * absolute URLs, composite subrequests' paths and either encoding of the same SOQL are one fact.
 */
function getKey(url: string): string {
  const u = new URL(url, 'http://cache.invalid');
  const params = [...u.searchParams].map(([k, v]) => `${k}=${v}`).join('&');
  return `GET ${u.pathname.replace(/\/services\/data\/v\d+\.\d\//, '/services/data/')}${params ? `?${params}` : ''}`;
}

interface QuerySub {
  url: string;
  referenceId: string;
  httpHeaders?: Record<string, string>;
}

/**
 * The subrequests of a Composite request that are all plain query GETs (no `@{ref}` to an earlier answer),
 * else null: such a request is only several queries, each of which the cache can answer or send on its own.
 */
function querySubrequests(info: RequestInfo): QuerySub[] | null {
  if (!/\/services\/data\/v\d+\.\d\/composite\/?$/.test(info.url) || typeof info.body !== 'string') return null;
  try {
    const subs = (JSON.parse(info.body) as { compositeRequest?: Array<{ method?: string; url?: unknown; referenceId?: unknown; httpHeaders?: Record<string, string> }> }).compositeRequest;
    if (!Array.isArray(subs) || !subs.length) return null;
    const out: QuerySub[] = [];
    for (const s of subs) {
      if (String(s.method).toUpperCase() !== 'GET' || typeof s.url !== 'string' || typeof s.referenceId !== 'string') return null;
      if (!QUERY.test(s.url) || s.url.includes('@{')) return null;
      out.push({ url: s.url, referenceId: s.referenceId, ...(s.httpHeaders ? { httpHeaders: s.httpHeaders } : {}) });
    }
    return out;
  } catch {
    return null;
  }
}

const installed = new WeakMap<Connection, ReadCache>();

/**
 * Installs the cache on `connection` (its `request` method, through which jsforce's queries, the REST
 * calls of omni's engines and composite requests go), once: a second call returns the same handle.
 */
export function cacheReads(connection: Connection): ReadCache {
  const existing = installed.get(connection);
  if (existing) return existing;
  const cache = new Map<string, Promise<unknown>>();
  let hits = 0;
  const original = connection.request.bind(connection);
  const cached = (key: string, send: () => Promise<unknown>): Promise<unknown> => {
    const known = cache.get(key);
    if (known) {
      hits++;
      return known.then((value) => structuredClone(value));
    }
    const pending = send();
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
    return pending.then((value) => structuredClone(value));
  };
  // Queries asked within one gathering window: sent together (one alone, unless a composite asked it, as its plain GET).
  let queue: Queued[] = [];
  // Gathered requests on their way, and whether the queue waits for them.
  let inFlight = 0;
  let held = false;
  let generation = 0;
  const track = <T>(request: Promise<T>): Promise<T> => {
    inFlight++;
    const settle = () => {
      inFlight--;
      if (!inFlight && held) {
        held = false;
        setTimeout(flush, GATHER_MS);
      }
    };
    request.then(settle, settle);
    return request;
  };
  // End of a gathering window. Reads come in chains (an answer's ids start the next query): a query asked
  // while gathered requests are still on their way waits for their answers (at most HOLD_MS), so the queries
  // they start travel with it rather than one request each.
  const due = () => {
    if (!queue.length) return;
    if (!inFlight) return flush();
    held = true;
    const waiting = generation;
    setTimeout(() => {
      if (held && generation === waiting) {
        held = false;
        flush();
      }
    }, HOLD_MS);
  };
  const flush = () => {
    generation++;
    const items = queue;
    queue = [];
    for (let i = 0; i < items.length; i += COMPOSITE_QUERY_LIMIT) {
      const group = items.slice(i, i + COMPOSITE_QUERY_LIMIT);
      if ((group.length === 1 && !group[0].sub) || Number(connection.getApiVersion()) < COMPOSITE_MIN_API_VERSION) {
        for (const g of group) track(g.send()).then(g.resolve, g.reject);
        continue;
      }
      const paths = group.map((g) => new URL(g.info.url, connection.instanceUrl));
      const version = Math.max(...paths.map((u) => Number(/\/services\/data\/v(\d+\.\d)\//.exec(u.pathname)?.[1] ?? connection.getApiVersion())));
      // The composite request goes through the original request (not the cache): its answers are cached per query.
      const chains = group.map((g, n) => ({ url: paths[n].pathname + paths[n].search, headers: g.info.headers }));
      track(sendQueryChains((request) => original(request as never) as Promise<unknown>, version.toFixed(1), chains)).then(
        (results) => {
          for (const [n, g] of group.entries()) {
            const [result] = results[n];
            if (result.page) g.resolve(result.page);
            else g.reject(result.error);
          }
        },
        (error) => {
          for (const g of group) g.reject(error);
        },
      );
    }
  };
  const together = (info: RequestInfo, send: () => Promise<unknown>, sub = false) =>
    new Promise<unknown>((resolve, reject) => {
      // A short window (a round trip to an org takes 50–200 ms): checks that start a little apart share it.
      if (!queue.length && !held) setTimeout(due, GATHER_MS);
      queue.push({ info, send, resolve, reject, sub });
    });
  // A composite of queries only (e.g. compositeReader's): each query answered from the cache when read
  // already, the others gathered with every query asked meanwhile; answered as the composite would have been.
  const composite = async (subs: QuerySub[]) => {
    const answers = await Promise.allSettled(
      subs.map((sub) => {
        const info: RequestInfo = { method: 'GET', url: sub.url, ...(sub.httpHeaders ? { headers: sub.httpHeaders } : {}) };
        const send = () => original(info as never) as Promise<unknown>;
        return cached(getKey(sub.url), () => together(info, send, true));
      }),
    );
    const compositeResponse: SubResponse[] = [];
    for (const [n, a] of answers.entries()) {
      const referenceId = subs[n].referenceId;
      if (a.status === 'fulfilled') compositeResponse.push({ body: a.value, httpStatusCode: 200, referenceId });
      // A subrequest's own failure is its answer; anything else (transport, session) fails the request, as it would have.
      else if (a.reason instanceof CompositeQueryError) compositeResponse.push({ body: [{ errorCode: a.reason.errorCode, message: a.reason.message }], httpStatusCode: a.reason.status, referenceId });
      else throw a.reason;
    }
    return { compositeResponse };
  };
  const patched = (request: string | RequestInfo, options?: unknown) => {
    const info: RequestInfo = typeof request === 'string' ? { method: 'GET', url: request } : request;
    const method = (info.method ?? 'GET').toUpperCase();
    const send = () => original(request as never, options as never) as Promise<unknown>;
    if (method === 'GET' && QUERY.test(info.url)) return cached(getKey(info.url), () => together(info, send));
    if (method === 'GET' && CACHED_GET.test(info.url)) return cached(getKey(info.url), send);
    const subs = method === 'POST' ? querySubrequests(info) : null;
    if (subs) return composite(subs);
    if (method === 'POST' && readOnlyComposite(info)) return cached(`COMPOSITE ${String(info.body).replaceAll(/\/services\/data\/v\d+\.\d\//g, '/services/data/')}`, send);
    if (method !== 'GET' && method !== 'HEAD') cache.clear();
    return send();
  };
  (connection as unknown as { request: typeof patched }).request = patched;
  const handle: ReadCache = {
    invalidate: () => cache.clear(),
    get hits() {
      return hits;
    },
  };
  installed.set(connection, handle);
  return handle;
}
