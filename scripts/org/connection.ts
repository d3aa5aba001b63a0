/**
 * Connecting to an org the way the sf CLI does: an alias or username from the sf auth store
 * (tokens refreshed by @salesforce/core), the sf config's `target-org`, or — for CI — an access
 * token in SF_ACCESS_TOKEN with `--instance-url`. Every data call in the project goes through the
 * jsforce Connection this returns.
 */
import type { Connection } from '@salesforce/core';
import type { OmniError } from '../lib/errors.ts';
import { catalogueError } from '../lib/messages.ts';
import { registerSecret } from '../lib/redact.ts';
import { expiredSessionError, isLoopbackUrl, isSessionError, isUnreachable, looksLikeNetworkFailure, probeNotSalesforce, probeUnreachable, rememberInstanceUrl, unreachableError } from './http-errors.ts';
import { commandPrefix } from '../lib/io.ts';
import { salesforceCore } from './core.ts';
import { apiVersionSource, rememberApiVersionChoice } from './api-version.ts';

export type OrgType = 'production' | 'sandbox' | 'scratch' | 'developer';

export interface OrgSession {
  connection: Connection;
  username: string;
  orgId: string;
  instanceUrl: string;
  apiVersion: string;
  /** How the user named the org (alias, username or instance URL) — for messages and journal file names. */
  label: string;
}

export interface OrgInfo {
  orgId: string;
  name: string;
  orgType: OrgType;
  isSandbox: boolean;
  trialExpirationDate: string | null;
  organizationType: string;
  omniEnabled: boolean;
}

export interface ConnectOptions {
  targetOrg?: string;
  instanceUrl?: string;
  apiVersion?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The org an engine works on: the session its caller already resolved (omni setup hands its one session
 * to every stage), or how to connect — then the engine connects once, after its offline checks.
 */
export interface OrgTarget {
  session?: OrgSession;
  connect?: ConnectOptions;
}

/** The target's session: the given one, else one connectOrg (with `env` unless the options name their own). */
export async function resolveOrg(target: OrgTarget, env: NodeJS.ProcessEnv): Promise<OrgSession> {
  return target.session ?? connectOrg({ ...target.connect, env: target.connect?.env ?? env });
}

export async function connectOrg(options: ConnectOptions = {}): Promise<OrgSession> {
  const env = options.env ?? process.env;
  const core = salesforceCore();
  rememberApiVersionChoice(undefined);

  if (options.instanceUrl) {
    const accessToken = env.SF_ACCESS_TOKEN;
    if (!accessToken) {
      throw catalogueError('NoAccessToken');
    }
    registerSecret(accessToken);
    try {
      // The token stays in memory: @salesforce/core would save an auth file (the token at rest, in HOME)
      // while looking up the org and API version; this AuthInfo never persists.
      class MemoryAuthInfo extends core.AuthInfo {
        override async save(): Promise<this> {
          return this;
        }
      }
      const instanceUrl = options.instanceUrl.replace(/\/$/, '');
      // Who the token belongs to and the org's API versions, in one round trip: two requests, where
      // @salesforce/core would send three one after another (userinfo, then the User record for the username,
      // then /services/data). The userinfo endpoint's preferred_username is the username (OpenID Connect
      // "UserInfo Endpoint", Salesforce Help).
      const config = await core.ConfigAggregator.create();
      const configured = options.apiVersion ?? (config.getInfo('org-api-version').value as string | undefined);
      // Both settle before anything is decided: no request of this command is left in flight after it ends.
      const created = Promise.allSettled([userInfo(instanceUrl, accessToken), configured ? Promise.resolve(configured) : maxApiVersion(instanceUrl)]).then(([user, versions]) => {
        if (user.status === 'rejected') throw user.reason;
        const info = user.value;
        const version = versions.status === 'fulfilled' ? versions.value : undefined;
        return MemoryAuthInfo.create({
          // isDevHub supplied: @salesforce/core would otherwise query ScratchOrgInfo (one request per command,
          // a 400 on every org that is not a Dev Hub) to learn something omni never uses. namespacePrefix
          // supplied: core skips its Organization lookup (and the extra connection it opens for it), which it
          // would repeat on every run now that nothing is cached in an auth file; describeOrg reads it anyway.
          // username and orgId supplied: core skips its own userinfo + User record lookups.
          accessTokenOptions: { accessToken, instanceUrl: options.instanceUrl, loginUrl: options.instanceUrl, isDevHub: false, namespacePrefix: null, username: info.username, orgId: info.orgId } as never,
        }).then((authInfo) => ({ authInfo, version }));
      });
      // @salesforce/core retries a refused connection for ~15 s before failing with "fetch failed": when the
      // user lookup has not answered within 2 s, ask the network directly and report an unreachable org at once.
      let timer: NodeJS.Timeout | undefined;
      const early = new Promise<unknown>((resolve) => {
        timer = setTimeout(() => probeUnreachable(options.instanceUrl as string).then(resolve), 2_000);
      });
      const settled = created.then(
        () => undefined,
        () => undefined,
      );
      const unreachable = await Promise.race([settled, early]);
      clearTimeout(timer);
      if (unreachable) throw unreachableError(unreachable, options.instanceUrl.replace(/\/$/, ''));
      const { authInfo, version } = await created;
      // The org's highest version, just read, as core caches it with a login: its retrieveMaxApiVersion() (SDR's
      // deploy and retrieve, the doctor's API check) answers from it instead of asking /services/data again.
      if (version && !configured) authInfo.update({ instanceApiVersion: version, instanceApiVersionLastRetrieved: new Date().toLocaleString() });
      const connection = await core.Connection.create({ authInfo, configAggregator: config, connectionOptions: { ...authInfo.getConnectionOptions(), version } as never });
      const fields = authInfo.getFields();
      rememberInstanceUrl(options.instanceUrl.replace(/\/$/, ''), options.instanceUrl);
      rememberChoice(options.apiVersion, config, options.instanceUrl.replace(/\/$/, ''), new URL(options.instanceUrl).host, connection.getApiVersion());
      return {
        connection,
        username: fields.username ?? '',
        orgId: fields.orgId ?? '',
        instanceUrl: options.instanceUrl.replace(/\/$/, ''),
        apiVersion: connection.getApiVersion(),
        label: new URL(options.instanceUrl).host,
      };
    } catch (error) {
      const url = options.instanceUrl.replace(/\/$/, '');
      if (isUnreachable(error)) throw unreachableError(error, url);
      // The org's userinfo endpoint refused the token (401/403): it is a reachable Salesforce org.
      if ((error as Error)?.name === 'authCodeUsernameRetrievalError') throw authError(error, options.instanceUrl, options.instanceUrl);
      // @salesforce/core drops the cause of a failed user-info call ("Due to: fetch failed"): ask the network.
      const network = looksLikeNetworkFailure(error) || /^https?:/i.test(url) ? await probeUnreachable(url) : undefined;
      if (network) throw unreachableError(network, url);
      // A typo in the URL that lands on some other web server fails the login too: logging in again won't fix it.
      const notSalesforce = await probeNotSalesforce(url);
      if (notSalesforce) throw catalogueError('NotSalesforceOrg', { tokens: [url, notSalesforce], actionTokens: [commandPrefix()], cause: error });
      throw authError(error, options.instanceUrl);
    }
  }

  let aliasOrUsername = options.targetOrg;
  // The org came from the sf config's target-org, not the command line: one the auth store lacks is then
  // sf's NoDefaultEnv (exit 1), not the usage error of a mistyped --target-org (NoOrgFound, exit 2).
  const fromConfig = !aliasOrUsername;
  if (!aliasOrUsername) {
    const config = await core.ConfigAggregator.create();
    aliasOrUsername = config.getPropertyValue<string>('target-org') ?? undefined;
  }
  if (!aliasOrUsername) {
    throw catalogueError('NoDefaultEnv');
  }
  await checkOrgReachable(aliasOrUsername, env);
  try {
    const org = await core.Org.create({ aliasOrUsername });
    const connection = org.getConnection(options.apiVersion);
    const username = org.getUsername() ?? aliasOrUsername;
    const accessToken = connection.accessToken ?? undefined;
    registerSecret(accessToken);
    rememberInstanceUrl(connection.instanceUrl.replace(/\/$/, ''), aliasOrUsername);
    rememberChoice(options.apiVersion, await core.ConfigAggregator.create(), connection.instanceUrl.replace(/\/$/, ''), aliasOrUsername, connection.getApiVersion());
    return {
      connection,
      username,
      orgId: org.getOrgId(),
      // The auth store keeps the URL as logged in (often with a trailing slash); report one form.
      instanceUrl: connection.instanceUrl.replace(/\/$/, ''),
      apiVersion: connection.getApiVersion(),
      label: aliasOrUsername,
    };
  } catch (error) {
    const failure = authError(error, aliasOrUsername);
    if (fromConfig && failure.name === 'NoOrgFound') {
      const alias = /^[\w.-]+$/.test(aliasOrUsername) && !aliasOrUsername.includes('@') ? aliasOrUsername : 'my-org';
      throw catalogueError('NoDefaultEnv', { variant: 'staleDefault', tokens: [aliasOrUsername], actionTokens: [alias], cause: error });
    }
    throw failure;
  }
}

/**
 * Remembers the API version the user chose for this connection (--api-version, org-api-version, SF_ORG_API_VERSION),
 * so that a request the org refuses for its version is reported as ApiVersionNotServed (scripts/org/api-version.ts).
 */
function rememberChoice(flagValue: string | undefined, config: { getInfo(key: string): unknown }, instanceUrl: string, label: string, version: string): void {
  const source = apiVersionSource(flagValue, config.getInfo('org-api-version') as Parameters<typeof apiVersionSource>[1]);
  rememberApiVersionChoice(source ? { instanceUrl, label, version, source } : undefined);
}

/** Instance URLs that accepted a connection in this process, and when (ms): the bin checks at flag parse, then connectOrg. */
const accepted = new Map<string, number>();
/** How long an accepted connection vouches for the org: one command's flag parse and connect, not the next command's. */
const ACCEPTED_FOR_MS = 10_000;
/** The pause before the second connection attempt: jsforce's first retry delay (request.js `minTimeout`). */
const RETRY_AFTER_MS = 500;

/**
 * Fails at once with OrgUnreachable (the `--instance-url` path's error: the URL, the reason, what to check; exit 1)
 * when the org an sf alias or username names does not accept a connection: a stopped local org, a deleted scratch
 * org, a host that no longer resolves. Without it, every request of the command waits out its retries of a refused
 * connection first — jsforce's (500 ms × 2^n, five retries: ≈ 15.5 s per GET, and @salesforce/core's Org.create
 * sends one when the auth file's cached API version is a day old, once at flag parse and once at connect) and
 * assign's own reads' (≈ 15 s) — 30–50 s before the same error. A refused attempt is tried once more after 500 ms,
 * the first retry jsforce would give, so an org that is restarting (a transient refusal) still gets its retry;
 * once the org accepted, every request keeps jsforce's retries as sf has them.
 *
 * A bare TCP connect to the instance's host and port (`probeUnreachable`): the org sees no API call. Skipped when
 * an HTTP proxy is configured (jsforce reaches the org through it, so a direct connect says nothing about the
 * org), and for an alias or username the sf auth store does not know (Org.create reports NoOrgFound).
 */
export async function checkOrgReachable(aliasOrUsername: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (usesHttpProxy(env) || usesHttpProxy(process.env)) return;
  const core = salesforceCore();
  const state = await core.StateAggregator.getInstance();
  const fields = await state.orgs.read(state.aliases.resolveUsername(aliasOrUsername), false, false).catch(() => undefined);
  const instanceUrl = fields?.instanceUrl?.replace(/\/$/, '');
  if (!instanceUrl) return;
  const at = accepted.get(instanceUrl);
  if (at !== undefined && Date.now() - at < ACCEPTED_FOR_MS) return;
  let failure = await probeUnreachable(instanceUrl);
  // A connect that timed out has already waited (10 s): no second attempt.
  if (failure && (failure as { code?: string }).code !== 'ETIMEDOUT') {
    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
    failure = await probeUnreachable(instanceUrl);
  }
  if (failure) throw unreachableError(failure, instanceUrl);
  accepted.set(instanceUrl, Date.now());
}

/** Whether jsforce sends through an HTTP proxy (transport.js reads these variables). */
function usesHttpProxy(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.https_proxy || env.http_proxy || env.HTTPS_PROXY || env.HTTP_PROXY);
}

/**
 * `GET /services/oauth2/userinfo` with the access token: the username (`preferred_username`) and org id.
 * Errors are shaped as @salesforce/core's (name authCodeUsernameRetrievalError), so that authError maps a
 * refused token to the login hint; a network failure stays fetch's own (unreachable org).
 */
async function userInfo(instanceUrl: string, accessToken: string): Promise<{ username: string; orgId: string }> {
  const response = await fetch(`${instanceUrl}/services/oauth2/userinfo`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
  const text = await response.text();
  let body: { preferred_username?: string; organization_id?: string; message?: string; errorCode?: string } | Array<{ message?: string; errorCode?: string }> | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const first = Array.isArray(body) ? body[0] : body;
  if (!response.ok || Array.isArray(body) || !body?.preferred_username || !body.organization_id) {
    const error = new Error(`${first?.errorCode ?? `HTTP ${response.status}`}: ${first?.message ?? (text.slice(0, 200) || response.statusText)}`);
    error.name = response.status === 401 || response.status === 403 ? 'authCodeUsernameRetrievalError' : 'UserInfoFailed';
    throw error;
  }
  return { username: body.preferred_username, orgId: body.organization_id };
}

/** The highest API version the org serves (`GET /services/data`, no session needed), as sf picks it. */
async function maxApiVersion(instanceUrl: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${instanceUrl}/services/data`, { headers: { accept: 'application/json' } });
    const versions = (await response.json()) as Array<{ version: string }>;
    if (!Array.isArray(versions) || !versions.length) return undefined;
    return versions.map((v) => v.version).sort((a, b) => Number(a) - Number(b)).at(-1);
  } catch {
    // Unknown: @salesforce/core asks again (and reports the network failure) when the connection is made.
    return undefined;
  }
}

/**
 * Maps @salesforce/core and HTTP auth failures to a message with the sf-style fix. `instanceUrl`, when
 * known: a loopback one is a local org, whose login is `omni org local`, not `sf org login web`.
 */
export function authError(error: unknown, target: string, instanceUrl?: string): OmniError {
  const name = (error as { name?: string })?.name ?? '';
  const message = (error as Error)?.message ?? String(error);
  const alias = /^[\w.-]+$/.test(target) && !target.includes('@') ? target : 'my-org';
  const localAlias = alias === 'my-org' ? 'local' : alias;
  if (name === 'NamedOrgNotFoundError' || /No authorization information found/i.test(message)) {
    // @salesforce/core names the nearest known alias or username ("Did you mean …?"); sf shows it first and
    // exits 2 (the --target-org value is what is wrong), and so does omni.
    const notFound = catalogueError('NoOrgFound', { tokens: [target], actionTokens: [alias, alias], cause: error });
    const suggestions = ((error as { actions?: unknown })?.actions ?? []) as unknown[];
    notFound.actions.unshift(...suggestions.filter((a): a is string => typeof a === 'string'));
    return notFound;
  }
  if (/INVALID_SESSION_ID|expired|invalid_grant|RefreshTokenAuthError|authCodeUsernameRetrievalError/i.test(`${name} ${message}`)) return expiredSessionError(error, target, instanceUrl);
  if (isLoopbackUrl(instanceUrl ?? target)) return catalogueError('ConnectionFailed', { variant: 'local', tokens: [target, message], actionTokens: [commandPrefix(), localAlias], cause: error });
  return catalogueError('ConnectionFailed', { tokens: [target, message], actionTokens: [alias, alias], cause: error });
}

/** The fields of the Organization row that tell the org's type (`classifyOrg`), as SOQL returns them. */
export interface OrganizationRow {
  Id: string;
  Name: string;
  IsSandbox: boolean;
  TrialExpirationDate: string | null;
  OrganizationType: string;
}

/**
 * What kind of org this is and whether Omni-Channel is on (its objects exist only when enabled): the
 * Organization row and the Omni probe in one composite request (scripts/org/composite-query.ts).
 * `known.omniEnabled`: the caller already knows (e.g. it just queried an Omni object successfully), so the
 * probe is skipped; `known.organization`: the Organization row the caller already read (the same fields),
 * so its query is skipped too.
 */
export async function describeOrg(session: OrgSession, known: { omniEnabled?: boolean; organization?: OrganizationRow } = {}): Promise<OrgInfo> {
  const { compositeReader } = await import('./composite-query.ts');
  const reader = compositeReader(session.connection);
  const [organization, omni] = await Promise.allSettled([
    known.organization ? [known.organization] : reader.query<OrganizationRow>('SELECT Id, Name, IsSandbox, TrialExpirationDate, OrganizationType FROM Organization LIMIT 1'),
    known.omniEnabled ?? omniProbe(reader),
  ]);
  if (organization.status === 'rejected') {
    const error = organization.reason;
    // The first call of every command: an expired or revoked token surfaces here, not in connectOrg
    // (the auth store is read without a request), so it gets the login hint here.
    if (isUnreachable(error)) throw unreachableError(error, session.instanceUrl);
    throw isSessionError(error) ? authError(error, session.label, session.instanceUrl) : error;
  }
  if (omni.status === 'rejected') throw omni.reason;
  const org = organization.value[0];
  if (!org) throw catalogueError('OrgDescribeFailed');
  return {
    orgId: org.Id,
    name: org.Name,
    isSandbox: Boolean(org.IsSandbox),
    trialExpirationDate: org.TrialExpirationDate ?? null,
    organizationType: org.OrganizationType,
    orgType: classifyOrg(org),
    omniEnabled: omni.value,
  };
}

export function classifyOrg(org: Pick<OrganizationRow, 'IsSandbox' | 'TrialExpirationDate' | 'OrganizationType'>): OrgType {
  if (org.IsSandbox && org.TrialExpirationDate) return 'scratch';
  if (org.IsSandbox) return 'sandbox';
  if (/developer/i.test(org.OrganizationType ?? '')) return 'developer';
  return 'production';
}

/** With Omni-Channel off, its sObjects are not supported at all (INVALID_TYPE), which is the reliable signal. */
export async function isOmniEnabled(session: OrgSession): Promise<boolean> {
  return omniProbe({ query: (soql) => session.connection.query(soql).then((r) => r.records as never) });
}

async function omniProbe(reader: { query<T>(soql: string): Promise<T[]> }): Promise<boolean> {
  try {
    await reader.query('SELECT Id FROM ServicePresenceStatus LIMIT 1');
    return true;
  } catch (error) {
    const code = (error as { errorCode?: string; name?: string }).errorCode ?? (error as { name?: string }).name;
    if (code === 'INVALID_TYPE' || /not supported/i.test((error as Error).message)) return false;
    throw error;
  }
}

/**
 * Changing a production org needs a yes on a TTY, or --no-prompt in scripts and CI.
 * Returns normally when the change may go ahead; throws otherwise.
 */
export async function confirmOrgChange(
  info: Pick<OrgInfo, 'orgType' | 'name'>,
  session: Pick<OrgSession, 'label'>,
  options: { noPrompt: boolean; action: string; confirm: (question: string) => Promise<boolean>; interactive: boolean },
): Promise<void> {
  if (info.orgType !== 'production' || options.noPrompt) return;
  if (options.interactive && (await options.confirm(`${options.action} in PRODUCTION org "${info.name}" (${session.label})?`))) return;
  throw catalogueError('ProductionConfirmationRequired', { tokens: [options.action.toLowerCase(), info.name] });
}
