/**
 * The REST data API: API versions, the resource list, /limits, SOQL (query, queryAll, tooling/query
 * with paging cursors), sObject describe and CRUD, and sObject Collections (`composite/sobjects`).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_list.htm
 */
import { randomBytes } from 'node:crypto';
import { PlatformError } from '../store.ts';
import { soqlSource } from '../soql-source.ts';
import {
  basicInfo,
  compositeCreate,
  compositeDelete,
  compositeUpdate,
  createRecord,
  deleteRecord,
  describeSObject,
  errorReply,
  getRecord,
  globalDescribe,
  platformErrorReply,
  queryColumns,
  updateRecord,
  visibleSObject,
  type Reply,
  type RestScope,
} from '../rest.ts';
import { to18 } from '../ids.ts';
import { parseJson } from '../http.ts';
import { BASE_POLICY, MAX_API_VERSION, MIN_API_VERSION, type DataRequest, type DataRouteModule, type Handler, type RouteModule, type ServerState } from './router.ts';

/** Rows per query page, as Salesforce's default batch size. */
export const QUERY_PAGE_SIZE = 2000;
const CURSOR_LIMIT = 200;

interface QueryCursor {
  records: object[];
  offset: number;
  pageSize: number;
  totalSize: number;
  apiVersion: string;
  kind: 'query' | 'queryAll' | 'tooling/query';
}

type SoqlModule = typeof import('../soql/index.ts');

/** `GET /services/data`: the API versions the org serves (no auth, as on Salesforce). */
export function versionsRoute(): RouteModule {
  return {
    name: 'versions',
    route: (_method, path) => (path === '/services/data' ? { ...BASE_POLICY, kind: 'versions', authRequired: false, handle: () => ({ status: 200, body: versions() }) } : undefined),
  };
}

/**
 * SOQL over REST: the first page of a query and the following pages by their locator (`nextRecordsUrl`),
 * with the cursors they share. One per org: the Query resource and Composite query subrequests
 * (including "Query More" by `@{ref.nextRecordsUrl}`) use the same cursors, as on Salesforce.
 */
export class QueryService {
  private readonly state: ServerState;
  private readonly cursors = new Map<string, QueryCursor>();
  private soqlModule: Promise<SoqlModule> | undefined;
  private loaded: SoqlModule | undefined;

  constructor(state: ServerState) {
    this.state = state;
  }

  /** Loads the SOQL engine; undefined (logged) when it is missing. Composite awaits it before running. */
  async ready(): Promise<SoqlModule | undefined> {
    try {
      this.loaded = await (this.soqlModule ??= import('../soql/index.ts'));
      return this.loaded;
    } catch (error) {
      this.soqlModule = undefined;
      this.state.log?.(`SOQL engine unavailable: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** `GET …/query?q=` (or queryAll, tooling/query); `batchHeader` is the Sforce-Query-Options header. */
  async run(q: string | null, kind: QueryCursor['kind'], apiVersion: string, batchHeader: string | string[] | undefined, columnsOnly = false): Promise<Reply> {
    if (!(await this.ready())) return errorReply(501, 'UNKNOWN_EXCEPTION', 'The local org has no SOQL engine yet (local-org/soql/index.ts).');
    return this.runLoaded(q, kind, apiVersion, batchHeader, columnsOnly);
  }

  /** As run, once ready() has loaded the engine (synchronous: Composite runs inside a transaction). */
  runLoaded(q: string | null, kind: QueryCursor['kind'], apiVersion: string, batchHeader: string | string[] | undefined, columnsOnly = false): Reply {
    const { context, store } = this.state;
    if (!q) return errorReply(400, 'MALFORMED_QUERY', 'SOQL query must be provided in the q parameter');
    if (kind === 'tooling/query') {
      const entity = /\bfrom\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(q)?.[1];
      const schema = entity ? visibleSObject(entity, context.omniEnabled) : undefined;
      // Tooling exposes the Omni objects from API 65.0; everything else (e.g. SourceMember, which a
      // non-tracking org lacks) is an unsupported type, as on a Developer Edition org.
      if (!schema?.omni || Number(apiVersion) < 65) {
        return errorReply(400, 'INVALID_TYPE', `sObject type '${entity ?? ''}' is not supported.`);
      }
    }
    const soql = this.loaded;
    if (!soql) return errorReply(501, 'UNKNOWN_EXCEPTION', 'The local org has no SOQL engine yet (local-org/soql/index.ts).');
    let result: { totalSize: number; records: object[] };
    try {
      if (columnsOnly) return { status: 200, body: queryColumns(soql.parseSoql(q), context.omniEnabled) };
      result = soql.executeSoql(soql.parseSoql(q), soqlSource(store, context.omniEnabled, kind === 'queryAll'), { apiVersion, tooling: kind === 'tooling/query' });
    } catch (error) {
      if (error instanceof soql.SoqlError) return errorReply(400, error.errorCode, error.message);
      if (error instanceof PlatformError) return platformErrorReply(error);
      throw error;
    }
    const cursor: QueryCursor = { records: result.records, offset: 0, pageSize: batchSize(batchHeader), totalSize: result.totalSize, apiVersion, kind };
    return this.page(cursor, undefined);
  }

  private page(cursor: QueryCursor, id: string | undefined): Reply {
    const records = cursor.records.slice(cursor.offset, cursor.offset + cursor.pageSize);
    cursor.offset += records.length;
    const done = cursor.offset >= cursor.records.length;
    const body: Record<string, unknown> = { totalSize: cursor.totalSize, done };
    if (!done) {
      const cursorId = id ?? newCursorId();
      this.cursors.set(cursorId, cursor);
      if (this.cursors.size > CURSOR_LIMIT) this.cursors.delete(this.cursors.keys().next().value!);
      const base = cursor.kind === 'tooling/query' ? 'tooling/query' : cursor.kind === 'queryAll' ? 'queryAll' : 'query';
      body.nextRecordsUrl = `/services/data/v${cursor.apiVersion}/${base}/${cursorId}-${cursor.offset}`;
    } else if (id) this.cursors.delete(id);
    body.records = records;
    return { status: 200, body };
  }

  /** `GET …/query/<locator>`: the page a `nextRecordsUrl` names. */
  next(locator: string, kind: string): Reply {
    const match = /^([A-Za-z0-9]{18})-(\d+)$/.exec(locator);
    const cursor = match ? this.cursors.get(match[1]) : undefined;
    if (!match || !cursor || (kind === 'tooling/query') !== (cursor.kind === 'tooling/query')) {
      return errorReply(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    cursor.offset = Number(match[2]);
    return this.page(cursor, match[1]);
  }
}

/** The record and query resources under `/services/data/vNN.N/`. */
export function restRoutes(state: ServerState, queries: QueryService): DataRouteModule {
  const { store } = state;
  const scopeOf = (r: DataRequest): RestScope => ({ store, apiVersion: r.apiVersion, omniEnabled: state.context.omniEnabled });

  function limits(): Record<string, unknown> {
    const remaining = Math.max(0, state.api.dailyMax - state.api.usedToday);
    const fixed = (max: number) => ({ Max: max, Remaining: max });
    return {
      DailyApiRequests: { Max: state.api.dailyMax, Remaining: remaining },
      DailyBulkApiBatches: fixed(15_000),
      DailyBulkV2QueryFileStorageMB: fixed(976_562),
      DailyBulkV2QueryJobs: fixed(10_000),
      DataStorageMB: fixed(5),
      FileStorageMB: fixed(20),
      SingleEmail: fixed(15),
    };
  }

  return {
    name: 'rest',
    route(method, parts): Handler<DataRequest> | undefined {
      const [a, b, c, d] = parts;
      if (parts.length === 0) return (r) => ({ status: 200, body: resources(r.apiVersion) });
      if (a === 'limits' && parts.length === 1) return () => ({ status: 200, body: limits() });
      if ((a === 'query' || a === 'queryAll') && method === 'GET') {
        if (b) return () => queries.next(b, a);
        return (r) => queries.run(r.url.searchParams.get('q'), a, r.apiVersion, r.req.headers['sforce-query-options'], r.url.searchParams.get('columns') === 'true');
      }
      if (a === 'tooling') {
        if (b === 'query' && method === 'GET') return (r) => (c ? queries.next(c, 'tooling/query') : queries.run(r.url.searchParams.get('q'), 'tooling/query', r.apiVersion, r.req.headers['sforce-query-options']));
        if (b === 'sobjects' && !c && method === 'GET') return (r) => toolingSObjects(r.apiVersion);
        if (b === 'sobjects' && c && d === 'describe' && method === 'GET') return (r) => toolingDescribe(scopeOf(r), c);
        return undefined;
      }
      if (a === 'sobjects') {
        if (!b && method === 'GET') return (r) => globalDescribe(scopeOf(r));
        if (b && !c) {
          if (method === 'GET') return (r) => basicInfo(scopeOf(r), b);
          if (method === 'POST') return (r) => createRecord(scopeOf(r), b, parseJson(r.body));
        }
        if (b && c === 'describe' && !d && method === 'GET') return (r) => describeSObject(scopeOf(r), b);
        if (b && c && !d) {
          if (method === 'GET') return (r) => getRecord(scopeOf(r), b, c, r.url.searchParams.get('fields'));
          if (method === 'PATCH') return (r) => updateRecord(scopeOf(r), b, c, parseJson(r.body));
          if (method === 'DELETE') return (r) => deleteRecord(scopeOf(r), b, c);
        }
        const allowed = !b || c === 'describe' ? 'GET' : !c ? 'GET,POST' : 'GET,PATCH,DELETE';
        return () => errorReply(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`);
      }
      if (a === 'composite' && b === 'sobjects' && !c) {
        if (method === 'POST') return (r) => compositeCreate(scopeOf(r), parseJson(r.body));
        if (method === 'PATCH') return (r) => compositeUpdate(scopeOf(r), parseJson(r.body));
        if (method === 'DELETE') return (r) => compositeDelete(scopeOf(r), r.url.searchParams.get('ids'), r.url.searchParams.get('allOrNone'));
      }
      return undefined;
    },
  };
}

function versions(): Array<Record<string, string>> {
  const seasons = ['Winter', 'Spring', 'Summer'];
  const out: Array<Record<string, string>> = [];
  for (let v = MIN_API_VERSION; v <= MAX_API_VERSION; v++) {
    const k = v - 20;
    out.push({ label: `${seasons[k % 3]} '${11 + Math.floor(k / 3)}`, url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

function resources(apiVersion: string): Record<string, string> {
  const base = `/services/data/v${apiVersion}`;
  const names = ['sobjects', 'query', 'queryAll', 'limits', 'tooling', 'composite', 'jobs'];
  return Object.fromEntries(names.map((n) => [n, `${base}/${n}`]));
}

function toolingSObjects(apiVersion: string): Reply {
  const sobjects = Number(apiVersion) >= 65 ? ['PresenceUserConfig', 'ServicePresenceStatus', 'PresenceDeclineReason', 'ServiceChannel', 'QueueRoutingConfig'] : [];
  return { status: 200, body: { encoding: 'UTF-8', maxBatchSize: 200, sobjects: sobjects.map((name) => ({ name, queryable: true, createable: true, updateable: true })) } };
}

function toolingDescribe(scope: RestScope, name: string): Reply {
  if (Number(scope.apiVersion) < 65) return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
  return describeSObject(scope, name);
}

function batchSize(header: string | string[] | undefined): number {
  const text = Array.isArray(header) ? header[0] : header;
  const n = Number(/batchSize=(\d+)/i.exec(text ?? '')?.[1]);
  return Number.isInteger(n) && n >= 200 && n <= QUERY_PAGE_SIZE ? n : QUERY_PAGE_SIZE;
}

function newCursorId(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = randomBytes(10);
  let middle = '';
  for (const b of bytes) middle += alphabet[b % 62];
  return to18(`01g8d${middle}`);
}
