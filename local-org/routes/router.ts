/**
 * The local org's router: an ordered list of route modules (oauth, soap, the REST data API with its
 * own sub-modules rest, composite, bulk2 …). The first module that claims a request returns a Route:
 * how the request is treated (stats kind, write, OAuth, auth, fault exemption) and its handler. The
 * server pipeline (server.ts) reads the body, counts, injects faults and checks the session before it
 * calls the handler, so route modules only answer.
 */
import type { IncomingMessage } from 'node:http';
import type { OrgStore } from '../store.ts';
import type { LocalOrgContext, LocalOrgOptions } from '../context.ts';
import { errorReply, type Reply } from '../rest.ts';
import { safePath } from '../http.ts';

/** Request counters the server keeps (GET /__local/stats). */
export interface RequestStats {
  total: number;
  byMethod: Record<string, number>;
  byEndpoint: Record<string, number>;
  /** Requests that may change data (after faults: faulted writes changed nothing). */
  writes: number;
  /** Records written (created, updated, deleted) by those requests, including Bulk jobs. */
  records: number;
  faults: Record<string, number>;
}

export interface Credentials {
  password: string;
  refreshToken: string;
  accessToken: string;
  clientSecret: string;
}

/** What route modules share with the server: the org, its identity and credentials, counters. */
export interface ServerState {
  store: OrgStore;
  options: LocalOrgOptions;
  context: LocalOrgContext;
  identity: { orgId: string; userId: string; username: string };
  credentials: Credentials;
  /** A new access token, valid for the configured TTL. */
  issueToken(): string;
  /** Replaced on reset: read it at use, don't keep it. */
  stats: RequestStats;
  /** DailyApiRequests allocation and use (/limits). */
  api: { dailyMax: number; usedToday: number };
  log?: (line: string) => void;
  /** Called after records are written outside a request (Bulk jobs): the server samples its invariant. */
  afterBackgroundWrite?: () => void;
}

export interface RoutePolicy {
  /** The endpoint kind the request counts under in stats.byEndpoint. */
  kind: string;
  /** May change data (counted in stats.writes; write faults apply). */
  write: boolean;
  /** For a `write` route whose body decides: true when this body only reads (then not counted as a write). */
  readsOnly?(body: string): boolean;
  /** OAuth/identity endpoints don't count against DailyApiRequests. */
  oauth: boolean;
  authRequired: boolean;
  /** Never gets an injected fault. */
  faultExempt: boolean;
  /** The SOAP API a `/services/Soap/<letter>/` request addresses (its faults use that API's namespace). */
  soapApi?: string;
}

export interface RoutedRequest {
  method: string;
  /** Path without trailing slashes. */
  path: string;
  url: URL;
  body: string;
  req: IncomingMessage;
}

export type Handler<R = RoutedRequest> = (request: R) => Reply | Promise<Reply>;

export interface Route extends RoutePolicy {
  handle: Handler;
}

/** A top-level module: claims requests by method and path (and, for SOAP, the operation in the body). */
export interface RouteModule {
  name: string;
  route(method: string, path: string, body: string): Route | undefined;
}

/** A request under `/services/data/vNN.N/`, with the version and the decoded path segments after it. */
export interface DataRequest extends RoutedRequest {
  apiVersion: string;
  parts: string[];
}

/** A module of the REST data API: returns a handler for the segments after the version, or undefined. */
export interface DataRouteModule {
  name: string;
  route(method: string, parts: string[]): Handler<DataRequest> | undefined;
}

export { MIN_API_VERSION, MAX_API_VERSION } from '../platform.ts';
import { MIN_API_VERSION, MAX_API_VERSION } from '../platform.ts';

const BASE_POLICY = { write: false, oauth: false, authRequired: true, faultExempt: false } as const;

/** 404 NOT_FOUND as Salesforce answers an unknown resource, logged so unknown client calls show up. */
export function unknownRoute(state: ServerState, method: string, url: URL): Reply {
  state.log?.(`unknown route: ${method} ${safePath(url)}`);
  return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
}

/** The stats kind of a data API request, from the segments after the version. */
function dataKind(parts: string[]): string {
  if (parts.length === 0) return 'resources';
  const [a, b, c] = parts;
  if (a === 'query' || a === 'queryAll' || a === 'limits') return a;
  if (a === 'tooling') return `tooling/${b ?? ''}`;
  if (a === 'sobjects') return parts.length === 1 ? 'sobjects' : c === 'describe' ? 'sobjects/describe' : 'sobjects/record';
  if (a === 'composite') return b === 'sobjects' ? 'composite/sobjects' : 'composite';
  if (a === 'jobs') return `bulk2/${b ?? ''}`;
  return a;
}

/** A Composite request whose every subrequest is a GET (queries, record reads) changes nothing. */
function onlyGets(body: string): boolean {
  try {
    const subs = (JSON.parse(body) as { compositeRequest?: unknown }).compositeRequest;
    return Array.isArray(subs) && subs.length > 0 && subs.every((r) => typeof r === 'object' && r !== null && String((r as { method?: unknown }).method).toUpperCase() === 'GET');
  } catch {
    return false;
  }
}

/**
 * `/services/data/vNN.N/…`: versions outside [MIN_API_VERSION, MAX_API_VERSION] are NOT_FOUND (as
 * Salesforce answers a version it doesn't serve); otherwise the first sub-module with a handler answers.
 */
export function dataApi(state: ServerState, modules: DataRouteModule[]): RouteModule {
  return {
    name: 'data',
    route(method, path) {
      const match = /^\/services\/data\/v(\d+\.\d)(?:\/(.*))?$/.exec(path);
      if (!match) return undefined;
      const rawParts = (match[2] ?? '').split('/').filter(Boolean);
      const kind = dataKind(rawParts);
      const write = method !== 'GET' && method !== 'HEAD' && kind !== 'query' && kind !== 'queryAll';
      return {
        ...BASE_POLICY,
        kind,
        write,
        ...(kind === 'composite' ? { readsOnly: onlyGets } : {}),
        handle: (request) => {
          const apiVersion = match[1];
          const major = Number(apiVersion);
          if (major < MIN_API_VERSION || major > MAX_API_VERSION) return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
          const parts = rawParts.map(decodeURIComponent);
          for (const module of modules) {
            const handler = module.route(method, parts);
            if (handler) return handler({ ...request, apiVersion, parts });
          }
          return unknownRoute(state, method, request.url);
        },
      };
    },
  };
}

/** Routes a request: the first module's Route, else an authenticated 404 counted as `other`. */
export class Router {
  private readonly modules: RouteModule[];
  private readonly state: ServerState;

  constructor(state: ServerState, modules: RouteModule[]) {
    this.state = state;
    this.modules = modules;
  }

  route(method: string, path: string, body: string): Route {
    for (const module of this.modules) {
      const route = module.route(method, path, body);
      if (route) return route;
    }
    return {
      ...BASE_POLICY,
      kind: 'other',
      write: method !== 'GET' && method !== 'HEAD',
      handle: (request) => unknownRoute(this.state, method, request.url),
    };
  }
}

export { BASE_POLICY };
