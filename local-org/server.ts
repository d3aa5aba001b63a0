/**
 * The local org: an HTTP server on 127.0.0.1 speaking Salesforce's OAuth, REST (data + tooling query),
 * Bulk API 2.0 and — through local-org/metadata-api — the SOAP Metadata API, so the unmodified sf
 * CLI, SDR and jsforce can talk to it. Node's own `http`, no framework.
 *
 * This file owns the org's lifecycle (state file, identity, credentials, tokens, persistence) and
 * the request pipeline (count → fault → auth → handler); the answers live in route modules under
 * local-org/routes/, tried in the order of `modules` below.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { OrgStore, PlatformError, type Row } from './store.ts';
import { orgFeatures, seedOrg } from './seed.ts';
import { MAX_API_VERSION, MIN_API_VERSION } from './platform.ts';
import { JobRegistry, type LocalOrgContext, type LocalOrgOptions } from './context.ts';
import { FaultPlan } from './faults.ts';
import { errorReply, platformErrorReply, type Reply } from './rest.ts';
import { BODY_MAX_BYTES, BULK_UPLOAD_MAX_BYTES, BodyReader, BodyTooLarge, SOAP_HEAD_BYTES, bearer, faultReply, safePath, send, sessionInvalid, sleep, soapFault, soapSessionId, SOAP_SESSION_MESSAGE } from './http.ts';
import { dataApi, Router, type Credentials, type RequestStats, type RoutedRequest, type ServerState } from './routes/router.ts';
import { oauthRoutes } from './routes/oauth.ts';
import { soapRoutes } from './routes/soap.ts';
import { QueryService, restRoutes, versionsRoute } from './routes/rest.ts';
import { bulk2Routes } from './routes/bulk2.ts';
import { lockStateFile, type StateLock } from './lock.ts';
import { compositeRoutes } from './composite.ts';

export type { LocalOrgOptions, LocalOrgContext } from './context.ts';

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
  /** Features the org has (each brings its built-in service channel) [F-21]. */
  features: Array<'Voice' | 'Messaging' | 'Chat'>;
  /** API versions the org serves [F-01]. */
  apiVersions: { min: string; max: string };
  stats(): RequestStats;
  resetStats(): void;
  /**
   * Safety invariant for tests: users holding a user-level presence configuration now, and the fewest
   * seen at any point between two requests (sampled after every request and every Bulk batch) since
   * start or the last reset. A move of N agents must never lower the minimum.
   */
  invariant(): ConfiguredUsersInvariant;
  resetInvariant(): void;
  /** Ends every access-token session now (as a session timeout or an admin's revoke); refresh tokens stay valid. */
  revokeSessions(): void;
  /** The org's state as its state file would hold it now (JSON text): what `initialState` starts another org from. */
  stateText(): string;
  /** Closes the server and flushes the state file. */
  stop(): Promise<void>;
}

export interface ConfiguredUsersInvariant {
  configuredUsers: number;
  minConfiguredUsers: number;
}

const DAILY_API_REQUESTS = 15_000;
/**
 * [F-64] How long an idle kept-alive connection stays open (ms), announced as `Keep-Alive: timeout=60`.
 * Salesforce documents no figure; connections idle for a minute are reported reset by its servers.
 */
const KEEP_ALIVE_IDLE_MS = 60_000;

/**
 * Starts a local org on 127.0.0.1 (`options.port`, default 0 = a free port). With `options.stateFile`
 * the org is loaded from / saved to that JSON file (mode 0600); otherwise it lives in memory.
 * Throws PlatformError UNKNOWN_EXCEPTION for a state file without an Organization or admin user,
 * StateFileInUse when another live local org serves the same state file.
 */
export async function startLocalOrg(options: LocalOrgOptions = {}): Promise<LocalOrg> {
  // [F-50] One server per state file: a second start is refused (StateFileInUse names the owner's port).
  const lock: StateLock | undefined = options.stateFile ? lockStateFile(options.stateFile) : undefined;
  try {
    return await start(options, lock);
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function start(options: LocalOrgOptions, lock: StateLock | undefined): Promise<LocalOrg> {
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
  } else if (options.initialState !== undefined) {
    store = OrgStore.fromStateText(options.initialState, 'initialState');
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
    if (!org || !admin) throw new PlatformError('UNKNOWN_EXCEPTION', `State file ${options.stateFile ?? 'initialState'} has no Organization or admin user.`);
    identity = { orgId: org.Id, userId: admin.Id, username: String(admin.Username) };
    store.actorId = admin.Id;
  }
  store.meta.adminUserId = identity.userId;
  const credentials = loadCredentials(store, identity.orgId);

  /** Valid access tokens → expiry (ms epoch, or Infinity). */
  const tokens = new Map<string, number>();
  const ttlMs = options.tokenTtlSeconds === undefined ? Infinity : options.tokenTtlSeconds * 1000;
  tokens.set(credentials.accessToken, Date.now() + ttlMs);

  // Users holding a user-level presence configuration (distinct UserIds of PresenceUserConfigUser).
  const configuredUsers = () => (context.omniEnabled ? store.referencedCount('PresenceUserConfigUser', 'UserId') : 0);
  let minConfiguredUsers = Infinity;
  const sampleInvariant = () => {
    minConfiguredUsers = Math.min(minConfiguredUsers, configuredUsers());
  };
  const invariant = (): ConfiguredUsersInvariant => {
    sampleInvariant();
    return { configuredUsers: configuredUsers(), minConfiguredUsers };
  };

  const faults = new FaultPlan(options.faultRate ?? 0, options.faultSeed ?? 1);
  const dailyMax = Math.max(0, Math.floor(options.dailyApiRequests?.max ?? DAILY_API_REQUESTS));

  // Durability: a write is on disk (fsync'd) before the request that made it is answered, as a real org
  // never loses an acknowledged write. Mutations mark the state dirty; finish() saves before replying.
  let dirty = false;
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
    if (!options.stateFile) return;
    dirty = false;
    store.meta.omniEnabled = context.omniEnabled;
    try {
      store.save();
    } catch (error) {
      dirty = true;
      log?.(`state file ${options.stateFile} could not be written: ${(error as Error).message}`);
      throw error;
    }
  };
  store.onMutation = () => {
    dirty = true;
  };
  if (fresh) flush();

  const state: ServerState = {
    store,
    options,
    context,
    identity,
    credentials,
    issueToken: () => {
      const token = `${identity.orgId.slice(0, 15)}!${randomBytes(40).toString('base64url')}`;
      tokens.set(token, Date.now() + ttlMs);
      return token;
    },
    stats: emptyStats(),
    // Requests already spent today when the server starts (an org with a low budget left on demand).
    api: { dailyMax, usedToday: dailyMax - Math.min(dailyMax, Math.max(0, Math.floor(options.dailyApiRequests?.remaining ?? dailyMax))) },
    log,
    afterBackgroundWrite: () => {
      sampleInvariant();
      // Bulk jobs write outside a request: saved now, and in any case before a reply reports them.
      if (dirty) {
        try {
          flush();
        } catch {
          // Logged in flush; the next reply retries before it answers.
        }
      }
    },
  };

  const bulk2 = bulk2Routes(state);
  // One set of query cursors for the Query resource and Composite query subrequests.
  const queries = new QueryService(state);
  const router = new Router(state, [
    oauthRoutes(state),
    versionsRoute(),
    soapRoutes(state),
    dataApi(state, [
      restRoutes(state, queries),
      compositeRoutes(state, queries),
      bulk2,
    ]),
  ]);

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      log?.(`internal error: ${(error as Error).message}`);
      if (!res.headersSent) send(res, errorReply(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred.'));
    });
  });

  // [F-64] A kept-alive connection stays open KEEP_ALIVE_IDLE_MS after its last answer. Node's default (5 s)
  // raced the clients' reuse: a write's synchronous save keeps the loop busy for seconds on a large org, the
  // idle timer fires before the request already sent on that socket is read, and the client gets ECONNRESET.
  server.keepAliveTimeout = KEEP_ALIVE_IDLE_MS;

  async function handle(req: RoutedRequest['req'], res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    // Clients that join a trailing-slash instance URL send `//services/...`; collapse it so the
    // URL parser doesn't read `services` as a host.
    const url = new URL((req.url ?? '/').replace(/^\/{2,}/, '/'), 'http://127.0.0.1');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    let status = 0;
    const finish = (answer: Reply | 'dropped') => {
      let reply = answer;
      if (reply !== 'dropped' && dirty && options.stateFile) {
        try {
          flush();
        } catch (error) {
          reply = errorReply(500, 'UNKNOWN_EXCEPTION', `The change could not be saved (${(error as NodeJS.ErrnoException).code ?? 'write error'}).`);
        }
      }
      if (reply === 'dropped') {
        status = 0;
        req.socket.destroy();
      } else {
        status = reply.status;
        // [F-61] Every REST call but the versions list reports the day's API usage (Sforce-Limit-Info).
        if (/^\/services\/data\/v\d+\.\d(?:\/|$)/.test(path)) {
          reply = { ...reply, headers: { ...(reply.headers ?? {}), 'sforce-limit-info': `api-usage=${state.api.usedToday}/${state.api.dailyMax}` } };
        }
        send(res, reply);
      }
      sampleInvariant();
      log?.(`${method} ${safePath(url)} ${status || 'dropped'} ${(performance.now() - started).toFixed(1)}ms`);
    };

    if (path.startsWith('/__local/')) {
      // Test and benchmark hooks: no auth, not counted.
      if (path === '/__local/stats' && method === 'GET') return finish({ status: 200, body: snapshot(state.stats) });
      if (path === '/__local/invariant' && method === 'GET') return finish({ status: 200, body: invariant() });
      if (path === '/__local/invariant/reset' && method === 'POST') {
        minConfiguredUsers = configuredUsers();
        return finish({ status: 200, body: invariant() });
      }
      if (path === '/__local/stats/reset' && method === 'POST') {
        state.stats = emptyStats();
        return finish({ status: 200, body: snapshot(state.stats) });
      }
      return finish(errorReply(404, 'NOT_FOUND', 'The requested resource does not exist'));
    }

    // Authenticate before reading a body: an unauthenticated client never makes the org buffer anything.
    // REST requests carry their token in a header; SOAP ones in the SessionHeader, so only the first
    // SOAP_HEAD_BYTES (header and operation) are read before the session is checked.
    const limit = options.maxBodyBytes ?? (/\/jobs\/ingest\/[^/]+\/batches$/.test(path) ? BULK_UPLOAD_MAX_BYTES : BODY_MAX_BYTES);
    const reader = new BodyReader(req, limit);
    const isSoap = path.startsWith('/services/Soap/');
    let head = '';
    if (isSoap) {
      try {
        head = await reader.head(SOAP_HEAD_BYTES);
      } catch {
        return; // The client went away before sending a header: nobody to answer.
      }
    }
    const refuse = (reply: Reply) => finish({ ...reply, headers: { ...(reply.headers ?? {}), connection: 'close' } });
    const route = router.route(method, path, head);
    const stats = state.stats;
    stats.total += 1;
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    stats.byEndpoint[route.kind] = (stats.byEndpoint[route.kind] ?? 0) + 1;
    if (!route.oauth) state.api.usedToday += 1;
    if (options.latencyMs) await sleep(options.latencyMs);

    const presented = bearer(req) ?? (route.soapApi ? soapSessionId(head) : undefined);
    if (!route.faultExempt) {
      const fault = faults.next(route.write);
      if (fault) {
        stats.faults[fault] = (stats.faults[fault] ?? 0) + 1;
        const expiry = presented ? tokens.get(presented) : undefined;
        const authorized = !route.authRequired || (expiry !== undefined && expiry >= Date.now());
        if (fault === 'session' && presented) tokens.delete(presented);
        const reply = await faultReply(fault, route.soapApi);
        if (reply === 'dropped') return finish(reply);
        if (!authorized) return refuse(reply);
        // An authenticated client gets the fault as before, on a connection that stays usable.
        await reader.all().catch(() => undefined);
        return finish(reply);
      }
    }
    // A route whose body decides (a Composite of queries only) is counted once its body is read.
    if (route.write && !route.readsOnly) stats.writes += 1;

    if (route.authRequired) {
      const expiry = presented ? tokens.get(presented) : undefined;
      if (expiry === undefined || expiry < Date.now()) {
        if (presented && expiry !== undefined) tokens.delete(presented);
        return refuse(route.soapApi ? await soapFault(route.soapApi, 'INVALID_SESSION_ID', SOAP_SESSION_MESSAGE) : sessionInvalid());
      }
    }

    const tooLarge = () =>
      refuse(
        route.soapApi
          ? { status: 413, body: 'Request Entity Too Large', contentType: 'text/plain' }
          : errorReply(413, 'REQUEST_ENTITY_TOO_LARGE', `The request body exceeds the maximum of ${limit} bytes.`),
      );
    if (Number(req.headers['content-length'] ?? 0) > limit) return tooLarge();
    let body: string;
    try {
      body = await reader.all();
    } catch (error) {
      if (error instanceof BodyTooLarge) return tooLarge();
      return; // The client went away mid-body.
    }
    if (route.write && route.readsOnly && !route.readsOnly(body)) stats.writes += 1;

    try {
      const reply = await route.handle({ method, path, url, body, req });
      if (reply.written) state.stats.records += reply.written;
      finish(reply);
    } catch (error) {
      if (error instanceof PlatformError) return finish(platformErrorReply(error));
      log?.(`internal error on ${method} ${url.pathname}: ${(error as Error).message}`);
      finish(errorReply(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: local'));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  context.instanceUrl = `http://127.0.0.1:${port}`;
  lock?.setPort(port);

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
    features: orgFeatures(store),
    apiVersions: { min: `${MIN_API_VERSION}.0`, max: `${MAX_API_VERSION}.0` },
    stats: () => snapshot(state.stats),
    resetStats: () => {
      state.stats = emptyStats();
    },
    invariant,
    revokeSessions: () => tokens.clear(),
    stateText: () => {
      store.meta.omniEnabled = context.omniEnabled;
      return JSON.stringify(store.toState());
    },
    resetInvariant: () => {
      minConfiguredUsers = configuredUsers();
    },
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        bulk2.close();
        server.close(() => resolve());
        server.closeAllConnections();
      })
        .then(() => flush())
        .finally(() => lock?.release())),
  };
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
