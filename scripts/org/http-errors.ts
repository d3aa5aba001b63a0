/**
 * Failures talking to an org, said plainly: an org that cannot be reached (connection refused, timed out,
 * unknown host) instead of "fetch failed" or "session expired", and an HTTP error with an empty body
 * (jsforce's `ERROR_HTTP_431` with no message) with its status and what it means.
 */
import { OmniError } from '../lib/errors.ts';
import { catalogueError } from '../lib/messages.ts';
import { commandPrefix } from '../lib/io.ts';
import { messageText } from '../lib/messages.ts';

/** Network and TLS error codes that mean the org was not reached. */
const UNREACHABLE: Record<string, true> = {
  ECONNREFUSED: true,
  ENOTFOUND: true,
  EAI_AGAIN: true,
  ETIMEDOUT: true,
  UND_ERR_CONNECT_TIMEOUT: true,
  EHOSTUNREACH: true,
  ENETUNREACH: true,
  CERT_HAS_EXPIRED: true,
  DEPTH_ZERO_SELF_SIGNED_CERT: true,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: true,
};

/** Why the org was not reached, in words (messages/org-errors.md). */
function unreachableReason(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return messageText('org-errors', 'unreachable.ECONNREFUSED');
    case 'ENOTFOUND':
      return messageText('org-errors', 'unreachable.ENOTFOUND');
    case 'EAI_AGAIN':
      return messageText('org-errors', 'unreachable.EAI_AGAIN');
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return messageText('org-errors', 'unreachable.ETIMEDOUT');
    case 'EHOSTUNREACH':
      return messageText('org-errors', 'unreachable.EHOSTUNREACH');
    case 'ENETUNREACH':
      return messageText('org-errors', 'unreachable.ENETUNREACH');
    case 'CERT_HAS_EXPIRED':
      return messageText('org-errors', 'unreachable.CERT_HAS_EXPIRED');
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return messageText('org-errors', 'unreachable.DEPTH_ZERO_SELF_SIGNED_CERT');
    default:
      return messageText('org-errors', 'unreachable.UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  }
}

/** The socket-level cause of a failed request (the code of the first error in the cause chain that has one). */
function networkCause(error: unknown): { code: string; address?: string; port?: number } | undefined {
  let e = error as { code?: unknown; errorCode?: unknown; cause?: unknown; address?: string; port?: number; errors?: unknown[] } | undefined;
  for (let depth = 0; e && depth < 6; depth++) {
    if (typeof e.code === 'string' && e.code in UNREACHABLE) return { code: e.code, address: e.address, port: e.port };
    // An engine that reports a failed request as { errorCode, message } (assign's batched reads) keeps the code.
    if (typeof e.errorCode === 'string' && e.errorCode in UNREACHABLE) return { code: e.errorCode };
    // Happy-eyeballs connects fail with an AggregateError holding one error per address.
    if (Array.isArray(e.errors)) {
      for (const inner of e.errors) {
        const found = networkCause(inner);
        if (found) return found;
      }
    }
    e = e.cause as typeof e;
  }
  return undefined;
}

/**
 * Whether the request never got an answer because the org could not be reached: connection refused,
 * DNS failure, connect timeout, unreachable host or a TLS failure — not an HTTP error from the org.
 */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof OmniError) return error.name === 'OrgUnreachable';
  return networkCause(error) !== undefined;
}

let lastInstanceUrl: string | undefined;
/** How the user named that org (alias, username, or the --instance-url as given). */
let lastTarget: string | undefined;

/**
 * The instance URL of the org the command connected to, and how the user named it (`target`), for messages
 * about failures outside connectOrg (an unreachable org, a session lost mid-command).
 */
export function rememberInstanceUrl(url: string | undefined, target?: string): void {
  lastInstanceUrl = url;
  lastTarget = target;
}

/** An expired, revoked or unrefreshable session (REST, SOAP or the token refresh; assign's SessionLost). */
export function isSessionError(error: unknown): boolean {
  const e = error as { name?: string; errorCode?: string; message?: string } | undefined;
  if (e?.name === 'SessionLost') return true;
  return /INVALID_SESSION_ID|invalid_grant|RefreshTokenAuthError|expired access\/refresh token/i.test(`${e?.name ?? ''} ${e?.errorCode ?? ''} ${e?.message ?? ''}`);
}

/** An instance URL on this machine (a local org: `omni org local`), not a Salesforce login host. */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/**
 * ExpiredSession for the org `target` names (alias, username or instance URL), with the login that cures it:
 * `sf org login web --alias …`, or for a local org (a loopback `instanceUrl`) `omni org local --alias …`.
 * Without `target`: the org the command connected to (rememberInstanceUrl), for a session lost after connectOrg.
 */
export function expiredSessionError(error: unknown, ...named: [target: string, instanceUrl?: string] | []): OmniError {
  const [target, instanceUrl] = named.length ? named : [lastTarget ?? lastInstanceUrl ?? '', lastInstanceUrl];
  const alias = /^[\w.-]+$/.test(target) && !target.includes('@') ? target : 'my-org';
  if (isLoopbackUrl(instanceUrl ?? target)) return catalogueError('ExpiredSession', { variant: 'local', tokens: [target], actionTokens: [commandPrefix(), alias === 'my-org' ? 'local' : alias], cause: error });
  return catalogueError('ExpiredSession', { tokens: [target], actionTokens: [alias], cause: error });
}

/** "The org at URL could not be reached (connection refused)" with what to check. */
export function unreachableError(error: unknown, instanceUrl: string | undefined = lastInstanceUrl): OmniError {
  if (error instanceof OmniError && error.name === 'OrgUnreachable') return error;
  const cause = networkCause(error);
  const reason = cause ? unreachableReason(cause.code) : messageText('org-errors', 'unreachable.noAnswer');
  const where = instanceUrl ?? (cause?.address ? `${cause.address}${cause.port ? `:${cause.port}` : ''}` : 'the instance URL');
  return catalogueError('OrgUnreachable', { tokens: [where, reason], actionTokens: [commandPrefix()], cause: error });
}

/**
 * Whether the org's host accepts a TCP connection at all; resolves to the network error when it does not
 * (undefined when it does). A bare connect, not an HTTP request, so the org sees no extra API call. Used
 * when a library has dropped the cause ("fetch failed" without a code) or retries for a long time.
 */
export async function probeUnreachable(instanceUrl: string, timeoutMs = 10_000): Promise<unknown> {
  let url: URL;
  try {
    url = new URL(instanceUrl);
  } catch {
    return undefined;
  }
  const { connect } = await import('node:net');
  const port = Number(url.port || (url.protocol === 'http:' ? 80 : 443));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: unknown) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    socket.once('connect', () => done(undefined));
    socket.once('error', (error) => done(isUnreachable(error) ? error : undefined));
  });
}

/**
 * Whether the host answers as a Salesforce org: every instance serves its API versions, unauthenticated, at
 * `GET /services/data/` as a JSON array of `{ version, url, label }` (REST API Developer Guide, "Versions").
 * Resolves to a short description of what answered instead ("HTTP 404", "not JSON") when it does not, and to
 * undefined when it does or when the probe itself fails (the caller then keeps its own diagnosis).
 * Used after a login failure, so a wrong --instance-url is not reported as an expired session.
 */
export async function probeNotSalesforce(instanceUrl: string, timeoutMs = 5_000): Promise<string | undefined> {
  let response: Response;
  try {
    response = await fetch(new URL('/services/data/', instanceUrl), { signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    return undefined;
  }
  if (!response.ok) return `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as unknown;
    const speaksRest = Array.isArray(body) && body.length > 0 && body.every((v) => typeof (v as { version?: unknown })?.version === 'string');
    return speaksRest ? undefined : messageText('org-errors', 'notSalesforce.noVersions');
  } catch {
    return messageText('org-errors', 'notSalesforce.notJson');
  }
}

/** A message that says a request failed below HTTP ("fetch failed", "socket hang up", an errno). */
export function looksLikeNetworkFailure(error: unknown): boolean {
  return /fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT/i.test(String((error as Error)?.message ?? error));
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Request Entity Too Large',
  414: 'URI Too Long',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The message for an error, never empty: jsforce reports an HTTP error with an empty body as
 * `ERROR_HTTP_<status>` with message "", which is filled with the status and its meaning here.
 */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error ?? '');
  if (message.trim() !== '') return message;
  const name = (error as { name?: string; errorCode?: string })?.errorCode ?? (error as { name?: string })?.name ?? '';
  const status = /^ERROR_HTTP_(\d{3})$/.exec(name)?.[1];
  if (status) return messageText('org-errors', 'http.noMessage', [status, statusText(Number(status))]);
  return messageText('org-errors', 'http.emptyError', [name || 'Error']);
}

/** The reason phrase of an HTTP status (RFC 9110), with what it means for a Salesforce request where it says more. */
function statusText(status: number): string {
  if (status === 413) return messageText('org-errors', 'http.413');
  if (status === 431) return messageText('org-errors', 'http.431');
  return STATUS_TEXT[status] ?? messageText('org-errors', 'http.error');
}
