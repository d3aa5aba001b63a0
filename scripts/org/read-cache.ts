/**
 * One run, each fact read once: a read-through cache on a session's connection for the reads that
 * several stages of `omni setup` ask alike (doctor, plan, assign, grant and verify each read configurations,
 * users, permission sets…). Cached: REST queries and their later pages (`GET …/query?q=`, `…/query/<locator>`),
 * `GET …/limits`, and Composite requests whose subrequests are all GETs — keyed without the API version,
 * since SDR moves the shared connection to the project's version mid-run. Any other request that is not a
 * GET (a write) empties the cache, and so does `invalidate()`, which the caller calls after writes that do not
 * pass through `connection.request` (a Metadata API deploy goes through SOAP).
 *
 * Every hit gets its own copy of the answer, so a caller that changes what it got cannot change another's.
 *
 * Queries that miss the cache and are asked within a few milliseconds of each other (checks run side by
 * side) travel together: up to 5 as the query subrequests of one Composite request (the documented limit),
 * put on the wire by composite-query.ts's `sendQueryChains` like every other batched read, each answered to
 * its caller as its own GET would have been.
 */
import type { Connection } from '@salesforce/core';
import { COMPOSITE_MIN_API_VERSION, COMPOSITE_QUERY_LIMIT, sendQueryChains } from './composite-query.ts';

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
  send: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const VERSIONED = /\/services\/data\/v\d+\.\d\//;
const CACHED_GET = /\/services\/data\/v\d+\.\d\/(?:query(?:All)?(?:\/|\?)|limits\/?$)/;
/** How long a query waits for others to share its composite request. */
const GATHER_MS = 5;
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
  // Queries asked in one turn: sent together after it (one alone goes as its plain GET).
  let queue: Queued[] = [];
  const flush = () => {
    const items = queue;
    queue = [];
    for (let i = 0; i < items.length; i += COMPOSITE_QUERY_LIMIT) {
      const group = items.slice(i, i + COMPOSITE_QUERY_LIMIT);
      if (group.length === 1 || Number(connection.getApiVersion()) < COMPOSITE_MIN_API_VERSION) {
        for (const g of group.slice(1)) g.send().then(g.resolve, g.reject);
        group[0].send().then(group[0].resolve, group[0].reject);
        continue;
      }
      const paths = group.map((g) => new URL(g.info.url, connection.instanceUrl));
      const version = Math.max(...paths.map((u) => Number(/\/services\/data\/v(\d+\.\d)\//.exec(u.pathname)?.[1] ?? connection.getApiVersion())));
      // The composite request goes through the original request (not the cache): its answers are cached per query.
      const chains = group.map((g, n) => ({ url: paths[n].pathname + paths[n].search, headers: g.info.headers }));
      sendQueryChains((request) => original(request as never) as Promise<unknown>, version.toFixed(1), chains).then(
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
  const together = (info: RequestInfo, send: () => Promise<unknown>) =>
    new Promise<unknown>((resolve, reject) => {
      // A few milliseconds' window (a round trip to an org takes 50–200): checks that start a little apart share it.
      if (!queue.length) setTimeout(flush, GATHER_MS);
      queue.push({ info, send, resolve, reject });
    });
  const patched = (request: string | RequestInfo, options?: unknown) => {
    const info: RequestInfo = typeof request === 'string' ? { method: 'GET', url: request } : request;
    const method = (info.method ?? 'GET').toUpperCase();
    const send = () => original(request as never, options as never) as Promise<unknown>;
    if (method === 'GET' && QUERY.test(info.url)) return cached(`GET ${info.url.replace(VERSIONED, '/services/data/')}`, () => together(info, send));
    if (method === 'GET' && CACHED_GET.test(info.url)) return cached(`GET ${info.url.replace(VERSIONED, '/services/data/')}`, send);
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
