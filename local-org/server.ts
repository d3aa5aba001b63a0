/**
 * The local org: an HTTP server on 127.0.0.1 speaking Salesforce's OAuth, REST (data + tooling query),
 * Bulk API 2.0 ingest and — through local-org/metadata-api — the SOAP Metadata API, so the
 * unmodified sf CLI, SDR and jsforce can talk to it. Node's own `http`, no framework.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { OrgStore, PlatformError, type Row } from './store.ts';
import { seedOrg } from './seed.ts';
import { JobRegistry, type LocalOrgContext, type LocalOrgOptions } from './context.ts';
import { FaultPlan, type FaultKind } from './faults.ts';
import { BulkIngest } from './bulk2.ts';
import { sobjectOfId, type SObjectSchema } from './schema.ts';
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
} from './rest.ts';
import { to18 } from './ids.ts';

export type { LocalOrgOptions, LocalOrgContext } from './context.ts';

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

export interface LocalOrg {
  instanceUrl: string;
  accessToken: string;
  refreshToken: string;
  username: string;
  password: string;
  orgId: string;
  userId: string;
  store: OrgStore;
  options: LocalOrgOptions;
  context: LocalOrgContext;
  stats(): RequestStats;
  resetStats(): void;
  /** Closes the server and flushes the state file. */
  stop(): Promise<void>;
}

export const MIN_API_VERSION = 31;
export const MAX_API_VERSION = 67;
/** Rows per query page, as Salesforce's default batch size. */
export const QUERY_PAGE_SIZE = 2000;
const DAILY_API_REQUESTS = 15_000;
const SAVE_DEBOUNCE_MS = 100;
const CURSOR_LIMIT = 200;

interface Credentials {
  password: string;
  refreshToken: string;
  accessToken: string;
  clientSecret: string;
}

interface QueryCursor {
  records: object[];
  offset: number;
  pageSize: number;
  totalSize: number;
  apiVersion: string;
  kind: 'query' | 'queryAll' | 'tooling/query';
}

type SoqlModule = typeof import('./soql/index.ts');


export async function startLocalOrg(options: LocalOrgOptions = {}): Promise<LocalOrg> {
  const log = options.log;
  let store: OrgStore;
  let fresh = false;
  if (options.stateFile) {
    const loaded = OrgStore.load(options.stateFile);
    if (loaded) store = loaded;
    else {
      store = new OrgStore({ stateFile: options.stateFile });
      fresh = true;
    }
  } else {
    store = new OrgStore();
    fresh = true;
  }
  let identity: { orgId: string; userId: string; username: string };
  if (fresh) {
    identity = seedOrg(store, options);
    store.meta.omniEnabled = !options.omniDisabled;
  } else {
    const org = store.all('Organization').next().value as Row | undefined;
    const admin = typeof store.meta.adminUserId === 'string' ? store.get(store.meta.adminUserId) : undefined;
    if (!org || !admin) throw new PlatformError('UNKNOWN_EXCEPTION', `State file ${options.stateFile} has no Organization or admin user.`);
    identity = { orgId: org.Id, userId: admin.Id, username: String(admin.Username) };
    store.actorId = admin.Id;
  }
  store.meta.adminUserId = identity.userId;
  const credentials = loadCredentials(store, identity.orgId);

  /** Valid access tokens → expiry (ms epoch, or Infinity). */
  const tokens = new Map<string, number>();
  const ttlMs = options.tokenTtlSeconds === undefined ? Infinity : options.tokenTtlSeconds * 1000;
  const issueToken = (): string => {
    const token = `${identity.orgId.slice(0, 15)}!${randomBytes(40).toString('base64url')}`;
    tokens.set(token, Date.now() + ttlMs);
    return token;
  };
  tokens.set(credentials.accessToken, Date.now() + ttlMs);

  const faults = new FaultPlan(options.faultRate ?? 0, options.faultSeed ?? 1);
  let stats = emptyStats();
  const dailyMax = Math.max(0, Math.floor(options.dailyApiRequests?.max ?? DAILY_API_REQUESTS));
  // Requests already spent today when the server starts (an org with a low budget left on demand).
  let apiRequestsToday = dailyMax - Math.min(dailyMax, Math.max(0, Math.floor(options.dailyApiRequests?.remaining ?? dailyMax)));
  const cursors = new Map<string, QueryCursor>();

  let saveTimer: NodeJS.Timeout | undefined;
  const context: LocalOrgContext = {
    store,
    options,
    orgId: identity.orgId,
    userId: identity.userId,
    username: identity.username,
    instanceUrl: '',
    jobs: new JobRegistry(),
    omniEnabled: store.meta.omniEnabled !== false,
    persist: () => flush(),
  };
  const flush = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!options.stateFile) return;
    store.meta.omniEnabled = context.omniEnabled;
    try {
      store.save();
    } catch (error) {
      log?.(`state file ${options.stateFile} could not be written: ${(error as Error).message}`);
      throw error;
    }
  };
  const scheduleSave = () => {
    if (!options.stateFile || saveTimer) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      try {
        flush();
      } catch {
        // Logged in flush; the next mutation or shutdown retries.
      }
    }, SAVE_DEBOUNCE_MS);
  };
  store.onMutation = scheduleSave;
  if (fresh) flush();

  const bulk = new BulkIngest(() => ({
    store,
    apiVersion: `${MAX_API_VERSION}.0`,
    omniEnabled: () => context.omniEnabled,
    userId: identity.userId,
    onWritten: (n) => {
      stats.records += n;
    },
  }));

  let soqlModule: Promise<SoqlModule> | undefined;
  const loadSoql = () => (soqlModule ??= import('./soql/index.ts'));

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      log?.(`internal error: ${(error as Error).message}`);
      if (!res.headersSent) send(res, errorReply(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred.'));
    });
  });

  async function handle(req: IngestableRequest, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    // Clients that join a trailing-slash instance URL send `//services/...`; collapse it so the
    // URL parser doesn't read `services` as a host.
    const url = new URL((req.url ?? '/').replace(/^\/{2,}/, '/'), 'http://127.0.0.1');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    let status = 0;
    const finish = (reply: Reply | 'dropped') => {
      if (reply === 'dropped') {
        status = 0;
        req.socket.destroy();
      } else {
        status = reply.status;
        send(res, reply);
      }
      log?.(`${method} ${safePath(url)} ${status || 'dropped'} ${(performance.now() - started).toFixed(1)}ms`);
    };

    if (path.startsWith('/__local/')) {
      // Test and benchmark hooks: no auth, not counted.
      if (path === '/__local/stats' && method === 'GET') return finish({ status: 200, body: snapshot(stats) });
      if (path === '/__local/stats/reset' && method === 'POST') {
        stats = emptyStats();
        return finish({ status: 200, body: snapshot(stats) });
      }
      return finish(errorReply(404, 'NOT_FOUND', 'The requested resource does not exist'));
    }

    const body = await readBody(req);
    const route = classify(method, path, body);
    stats.total += 1;
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    stats.byEndpoint[route.kind] = (stats.byEndpoint[route.kind] ?? 0) + 1;
    if (!route.oauth) apiRequestsToday += 1;
    if (options.latencyMs) await sleep(options.latencyMs);

    const presented = bearer(req) ?? (route.soap ? soapSessionId(body) : undefined);
    if (!route.faultExempt) {
      const fault = faults.next(route.write);
      if (fault) {
        stats.faults[fault] = (stats.faults[fault] ?? 0) + 1;
        if (fault === 'session' && presented) tokens.delete(presented);
        return finish(await faultReply(fault, route.soapApi));
      }
    }
    if (route.write) stats.writes += 1;

    if (route.authRequired) {
      const expiry = presented ? tokens.get(presented) : undefined;
      if (expiry === undefined || expiry < Date.now()) {
        if (presented && expiry !== undefined) tokens.delete(presented);
        return finish(route.soapApi ? await soapFault(route.soapApi, 'INVALID_SESSION_ID', SOAP_SESSION_MESSAGE) : sessionInvalid());
      }
    }

    try {
      const reply = await dispatch(method, path, url, body, route, req);
      if (reply.written) stats.records += reply.written;
      finish(reply);
    } catch (error) {
      if (error instanceof PlatformError) return finish(platformErrorReply(error));
      log?.(`internal error on ${method} ${url.pathname}: ${(error as Error).message}`);
      finish(errorReply(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: local'));
    }
  }

  async function dispatch(method: string, path: string, url: URL, body: string, route: Route, req: IncomingMessage): Promise<Reply> {
    if (path === '/services/oauth2/token' && method === 'POST') return tokenGrant(new URLSearchParams(body));
    if (path === '/services/oauth2/userinfo') return { status: 200, body: userInfo() };
    if (path.startsWith('/id/')) {
      const [, , orgId, userId] = path.split('/');
      if (!orgId || !userId || to18(orgId) !== identity.orgId || to18(userId) !== identity.userId) return errorReply(403, 'BAD_ID', 'Bad_Id');
      return { status: 200, body: identityDoc() };
    }
    if (path === '/services/data') return { status: 200, body: versions() };
    const soap = /^\/services\/Soap\/m\/(\d+\.\d)$/.exec(path);
    if (soap) {
      const metadataApi = await import('./metadata-api/index.ts');
      const answer = await metadataApi.handleMetadataApi(context, soap[1], body);
      return { status: answer.statusCode, body: answer.body, contentType: 'text/xml; charset=utf-8' };
    }
    const data = /^\/services\/data\/v(\d+\.\d)(?:\/(.*))?$/.exec(path);
    if (!data) return unknownRoute(method, url);
    const apiVersion = data[1];
    const major = Number(apiVersion);
    if (major < MIN_API_VERSION || major > MAX_API_VERSION) return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
    const parts = (data[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
    const scope: RestScope = { store, apiVersion, omniEnabled: context.omniEnabled };
    const json = () => parseJson(body);
    const [a, b, c, d] = parts;

    if (parts.length === 0) return { status: 200, body: resources(apiVersion) };
    if (a === 'limits' && parts.length === 1) return { status: 200, body: limits() };
    if ((a === 'query' || a === 'queryAll') && method === 'GET') {
      if (b) return nextPage(b, a);
      return runQuery(url.searchParams.get('q'), a, apiVersion, req, url.searchParams.get('columns') === 'true');
    }
    if (a === 'tooling') {
      if (b === 'query' && method === 'GET') return c ? nextPage(c, 'tooling/query') : runQuery(url.searchParams.get('q'), 'tooling/query', apiVersion, req);
      if (b === 'sobjects' && !c && method === 'GET') return toolingSObjects(apiVersion);
      if (b === 'sobjects' && c && d === 'describe' && method === 'GET') return toolingDescribe(scope, c);
      return unknownRoute(method, url);
    }
    if (a === 'sobjects') {
      if (!b && method === 'GET') return globalDescribe(scope);
      if (b && !c) {
        if (method === 'GET') return basicInfo(scope, b);
        if (method === 'POST') return createRecord(scope, b, json());
      }
      if (b && c === 'describe' && !d && method === 'GET') return describeSObject(scope, b);
      if (b && c && !d) {
        if (method === 'GET') return getRecord(scope, b, c, url.searchParams.get('fields'));
        if (method === 'PATCH') return updateRecord(scope, b, c, json());
        if (method === 'DELETE') return deleteRecord(scope, b, c);
      }
      const allowed = !b || c === 'describe' ? 'GET' : !c ? 'GET,POST' : 'GET,PATCH,DELETE';
      return errorReply(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`);
    }
    if (a === 'composite' && b === 'sobjects' && !c) {
      if (method === 'POST') return compositeCreate(scope, json());
      if (method === 'PATCH') return compositeUpdate(scope, json());
      if (method === 'DELETE') return compositeDelete(scope, url.searchParams.get('ids'), url.searchParams.get('allOrNone'));
    }
    if (a === 'jobs' && b === 'ingest') return bulk.handle(method, parts.slice(2), body, bulkScope(apiVersion));
    void route;
    return unknownRoute(method, url);
  }

  function bulkScope(apiVersion: string) {
    return {
      store,
      apiVersion,
      omniEnabled: () => context.omniEnabled,
      userId: identity.userId,
      onWritten: (n: number) => {
        stats.records += n;
      },
    };
  }

  function unknownRoute(method: string, url: URL): Reply {
    // Logged so that unknown client calls show up while developing against new clients.
    log?.(`unknown route: ${method} ${safePath(url)}`);
    return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  function tokenGrant(form: URLSearchParams): Reply {
    const grant = form.get('grant_type');
    const fail = (error: string, description: string): Reply => ({ status: 400, body: { error, error_description: description } });
    let refreshToken: string | undefined;
    if (grant === 'password') {
      const username = (form.get('username') ?? '').toLowerCase();
      if (username !== identity.username.toLowerCase() || form.get('password') !== credentials.password) return fail('invalid_grant', 'authentication failure');
      refreshToken = credentials.refreshToken;
    } else if (grant === 'refresh_token') {
      if (form.get('refresh_token') !== credentials.refreshToken) return fail('invalid_grant', 'expired access/refresh token');
    } else {
      return fail('unsupported_grant_type', 'grant type not supported');
    }
    const accessToken = issueToken();
    const issuedAt = String(Date.now());
    const id = `${context.instanceUrl}/id/${identity.orgId}/${identity.userId}`;
    const signature = createHmac('sha256', credentials.clientSecret).update(id + issuedAt).digest('base64');
    return {
      status: 200,
      body: { access_token: accessToken, ...(refreshToken ? { refresh_token: refreshToken } : {}), instance_url: context.instanceUrl, id, token_type: 'Bearer', issued_at: issuedAt, signature, scope: 'api web refresh_token' },
    };
  }

  function adminRow(): Row {
    return store.get(identity.userId)!;
  }

  function identityUrls(): Record<string, string> {
    const base = context.instanceUrl;
    const org = identity.orgId;
    return {
      enterprise: `${base}/services/Soap/c/{version}/${org}`,
      metadata: `${base}/services/Soap/m/{version}/${org}`,
      partner: `${base}/services/Soap/u/{version}/${org}`,
      rest: `${base}/services/data/v{version}/`,
      sobjects: `${base}/services/data/v{version}/sobjects/`,
      search: `${base}/services/data/v{version}/search/`,
      query: `${base}/services/data/v{version}/query/`,
      recent: `${base}/services/data/v{version}/recent/`,
      tooling_soap: `${base}/services/Soap/T/{version}/${org}`,
      tooling_rest: `${base}/services/data/v{version}/tooling/`,
      profile: `${base}/${identity.userId}`,
      custom_domain: base,
    };
  }

  function userInfo(): Record<string, unknown> {
    const admin = adminRow();
    return {
      sub: `${context.instanceUrl}/id/${identity.orgId}/${identity.userId}`,
      user_id: identity.userId,
      organization_id: identity.orgId,
      preferred_username: admin.Username,
      nickname: admin.Alias,
      name: admin.Name,
      email: admin.Email,
      email_verified: true,
      given_name: admin.FirstName,
      family_name: admin.LastName,
      zoneinfo: admin.TimeZoneSidKey,
      active: true,
      user_type: 'STANDARD',
      language: admin.LanguageLocaleKey,
      locale: admin.LocaleSidKey,
      utcOffset: -28800000,
      updated_at: admin.LastModifiedDate,
      is_app_installed: true,
      urls: identityUrls(),
    };
  }

  function identityDoc(): Record<string, unknown> {
    const admin = adminRow();
    return {
      id: `${context.instanceUrl}/id/${identity.orgId}/${identity.userId}`,
      asserted_user: true,
      user_id: identity.userId,
      organization_id: identity.orgId,
      username: admin.Username,
      nick_name: admin.Alias,
      display_name: admin.Name,
      email: admin.Email,
      email_verified: true,
      first_name: admin.FirstName,
      last_name: admin.LastName,
      timezone: admin.TimeZoneSidKey,
      active: true,
      user_type: 'STANDARD',
      language: admin.LanguageLocaleKey,
      locale: admin.LocaleSidKey,
      utcOffset: -28800000,
      last_modified_date: admin.LastModifiedDate,
      is_app_installed: true,
      urls: identityUrls(),
    };
  }

  function limits(): Record<string, unknown> {
    const remaining = Math.max(0, dailyMax - apiRequestsToday);
    const fixed = (max: number) => ({ Max: max, Remaining: max });
    return {
      DailyApiRequests: { Max: dailyMax, Remaining: remaining },
      DailyBulkApiBatches: fixed(15_000),
      DailyBulkV2QueryFileStorageMB: fixed(976_562),
      DailyBulkV2QueryJobs: fixed(10_000),
      DataStorageMB: fixed(5),
      FileStorageMB: fixed(20),
      SingleEmail: fixed(15),
    };
  }

  function soqlSource(includeDeleted: boolean) {
    const visible = (name: string): SObjectSchema | undefined => visibleSObject(name, context.omniEnabled);
    return {
      describe: visible,
      rows: (name: string): Iterable<Row> => {
        const schema = visible(name);
        if (!schema) return [];
        if (!includeDeleted) return store.all(schema.name);
        return (function* () {
          yield* store.all(schema.name);
          yield* store.allDeleted(schema.name);
        })();
      },
      get: (id: string) => store.get(id) ?? (includeDeleted ? store.getDeleted(id) : undefined),
      objectOfId: (id: string) => {
        const schema = sobjectOfId(id);
        return schema && visible(schema.name) ? schema.name : undefined;
      },
      // Indexes hold live rows only, so queryAll scans instead.
      lookup: (sobject: string, field: string, value: unknown) => (visible(sobject) && !includeDeleted ? store.lookup(sobject, field, value) : undefined),
    };
  }

  async function runQuery(q: string | null, kind: QueryCursor['kind'], apiVersion: string, req: IncomingMessage, columnsOnly = false): Promise<Reply> {
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
    let soql: SoqlModule;
    try {
      soql = await loadSoql();
    } catch (error) {
      soqlModule = undefined;
      log?.(`SOQL engine unavailable: ${(error as Error).message}`);
      return errorReply(501, 'UNKNOWN_EXCEPTION', 'The local org has no SOQL engine yet (local-org/soql/index.ts).');
    }
    let result: { totalSize: number; records: object[] };
    try {
      if (columnsOnly) return { status: 200, body: queryColumns(soql.parseSoql(q), context.omniEnabled) };
      result = soql.executeSoql(soql.parseSoql(q), soqlSource(kind === 'queryAll'), { apiVersion, tooling: kind === 'tooling/query' });
    } catch (error) {
      if (error instanceof soql.SoqlError) return errorReply(400, error.errorCode, error.message);
      if (error instanceof PlatformError) return platformErrorReply(error);
      throw error;
    }
    const pageSize = batchSize(req.headers['sforce-query-options']);
    const cursor: QueryCursor = { records: result.records, offset: 0, pageSize, totalSize: result.totalSize, apiVersion, kind };
    return page(cursor, undefined);
  }

  function page(cursor: QueryCursor, id: string | undefined): Reply {
    const records = cursor.records.slice(cursor.offset, cursor.offset + cursor.pageSize);
    cursor.offset += records.length;
    const done = cursor.offset >= cursor.records.length;
    const body: Record<string, unknown> = { totalSize: cursor.totalSize, done };
    if (!done) {
      const cursorId = id ?? newCursorId();
      cursors.set(cursorId, cursor);
      if (cursors.size > CURSOR_LIMIT) cursors.delete(cursors.keys().next().value!);
      const base = cursor.kind === 'tooling/query' ? 'tooling/query' : cursor.kind === 'queryAll' ? 'queryAll' : 'query';
      body.nextRecordsUrl = `/services/data/v${cursor.apiVersion}/${base}/${cursorId}-${cursor.offset}`;
    } else if (id) cursors.delete(id);
    body.records = records;
    return { status: 200, body };
  }

  function nextPage(locator: string, kind: string): Reply {
    const match = /^([A-Za-z0-9]{18})-(\d+)$/.exec(locator);
    const cursor = match ? cursors.get(match[1]) : undefined;
    if (!match || !cursor || (kind === 'tooling/query') !== (cursor.kind === 'tooling/query')) {
      return errorReply(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    cursor.offset = Number(match[2]);
    return page(cursor, match[1]);
  }

  const server_ = server;
  await new Promise<void>((resolve, reject) => {
    server_.once('error', reject);
    server_.listen(options.port ?? 0, '127.0.0.1', () => {
      server_.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  context.instanceUrl = `http://127.0.0.1:${port}`;

  let stopped: Promise<void> | undefined;
  return {
    instanceUrl: context.instanceUrl,
    accessToken: credentials.accessToken,
    refreshToken: credentials.refreshToken,
    username: identity.username,
    password: credentials.password,
    orgId: identity.orgId,
    userId: identity.userId,
    store,
    options,
    context,
    stats: () => snapshot(stats),
    resetStats: () => {
      stats = emptyStats();
    },
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        bulk.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => flush())),
  };
}

type IngestableRequest = IncomingMessage;

interface Route {
  kind: string;
  write: boolean;
  oauth: boolean;
  soap: boolean;
  /** The SOAP API a `/services/Soap/<letter>/` request addresses (its faults use that API's namespace). */
  soapApi?: string;
  authRequired: boolean;
  faultExempt: boolean;
}

const SOAP_WRITES = new Set(['deploy', 'createMetadata', 'updateMetadata', 'upsertMetadata', 'deleteMetadata', 'renameMetadata', 'cancelDeploy', 'deployRecentValidation']);

/** The endpoint kind a request counts under in stats, and how it is treated (auth, faults, write). */
function classify(method: string, path: string, body: string): Route {
  const base = { write: false, oauth: false, soap: false, authRequired: true, faultExempt: false };
  if (path === '/services/oauth2/token') return { ...base, kind: 'oauth/token', oauth: true, authRequired: false, faultExempt: true };
  if (path === '/services/oauth2/userinfo') return { ...base, kind: 'oauth/userinfo', oauth: true, faultExempt: true };
  if (path.startsWith('/id/')) return { ...base, kind: 'identity', oauth: true, faultExempt: true };
  if (path === '/services/data') return { ...base, kind: 'versions', authRequired: false };
  const soap = /^\/services\/Soap\/(\w)\//.exec(path);
  if (soap) {
    const operation = /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?(\w+)/.exec(body)?.[1] ?? 'unknown';
    const api = soap[1] === 'm' ? 'metadata' : soap[1] === 'u' ? 'partner' : soap[1];
    return { ...base, kind: `soap/${api}:${operation}`, soap: true, soapApi: api, write: SOAP_WRITES.has(operation) };
  }
  const rest = /^\/services\/data\/v\d+\.\d(?:\/(.*))?$/.exec(path);
  const parts = (rest?.[1] ?? '').split('/').filter(Boolean);
  const write = method !== 'GET' && method !== 'HEAD';
  let kind = 'other';
  if (!rest) kind = 'other';
  else if (parts.length === 0) kind = 'resources';
  else if (parts[0] === 'query' || parts[0] === 'queryAll' || parts[0] === 'limits') kind = parts[0];
  else if (parts[0] === 'tooling') kind = `tooling/${parts[1] ?? ''}`;
  else if (parts[0] === 'sobjects') kind = parts.length === 1 ? 'sobjects' : parts[2] === 'describe' ? 'sobjects/describe' : 'sobjects/record';
  else if (parts[0] === 'composite') kind = parts[1] === 'sobjects' ? 'composite/sobjects' : 'composite';
  else if (parts[0] === 'jobs') kind = `bulk2/${parts[1] ?? ''}`;
  else kind = parts[0];
  return { ...base, kind, write: write && kind !== 'query' && kind !== 'queryAll' };
}

function emptyStats(): RequestStats {
  return { total: 0, byMethod: {}, byEndpoint: {}, writes: 0, records: 0, faults: {} };
}

function snapshot(stats: RequestStats): RequestStats {
  return structuredClone(stats);
}

function loadCredentials(store: OrgStore, orgId: string): Credentials {
  const saved = store.meta.credentials as Partial<Credentials> | undefined;
  if (saved && typeof saved.password === 'string' && typeof saved.refreshToken === 'string' && typeof saved.accessToken === 'string' && typeof saved.clientSecret === 'string') {
    return saved as Credentials;
  }
  // Kept in the 0600 state file so that an alias registered in the sf CLI keeps working after a restart.
  const credentials: Credentials = {
    password: randomBytes(12).toString('base64url'),
    refreshToken: `5Aep861${randomBytes(40).toString('base64url')}`,
    accessToken: `${orgId.slice(0, 15)}!${randomBytes(40).toString('base64url')}`,
    clientSecret: randomBytes(16).toString('hex'),
  };
  store.meta.credentials = credentials;
  return credentials;
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

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header) : null;
  return match?.[1].trim();
}

function soapSessionId(body: string): string | undefined {
  return /<(?:[\w-]+:)?sessionId>([^<]+)<\/(?:[\w-]+:)?sessionId>/.exec(body)?.[1].trim();
}

function sessionInvalid(): Reply {
  return errorReply(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
}

const SOAP_SESSION_MESSAGE = 'Invalid Session ID found in SessionHeader: Illegal Session';

/**
 * A SOAP fault (HTTP 500) in the namespace of the API addressed: the Metadata API's own (the same
 * envelope its handler sends, so clients see one shape whether the server or the handler refused),
 * otherwise the partner fault namespace.
 */
async function soapFault(api: string, code: string, message: string): Promise<Reply> {
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

async function faultReply(fault: FaultKind, soapApi: string | undefined): Promise<Reply | 'dropped'> {
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

function send(res: ServerResponse, reply: Reply): void {
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

function parseJson(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new PlatformError('JSON_PARSER_ERROR', `Unexpected character in the request body: ${(error as Error).message}`);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const SENSITIVE_PARAM = /token|password|secret|sid|session|code|assertion|signature/i;

/** Path and query for logs, with any credential-bearing parameter masked. */
export function safePath(url: URL): string {
  const params = [...url.searchParams.entries()].map(([k, v]) => `${k}=${SENSITIVE_PARAM.test(k) ? '***' : encodeURIComponent(v)}`);
  return url.pathname + (params.length ? `?${params.join('&')}` : '');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
