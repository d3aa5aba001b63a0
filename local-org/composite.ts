/**
 * The REST Composite resource (`POST /services/data/vXX.X/composite`): up to 25 subrequests in one API
 * call, run in order, later ones able to use earlier results through `@{referenceId.field}`.
 *
 * Followed from Salesforce's REST API Developer Guide ("Composite", "Composite Request Body",
 * "allOrNone Parameters in Composite and Collections Requests"):
 * - `allOrNone: true` runs the whole request as one transaction: the first failing subrequest rolls back
 *   every write of every subrequest; the failing one reports its own error, every other one
 *   `PROCESSING_HALTED`. The top-level answer is still HTTP 200.
 * - With the outer `allOrNone: true`, sObject Collections subrequests behave as all-or-none too, whatever
 *   their own `allOrNone` says (one failing record fails the subrequest, and so the whole request).
 * - With `allOrNone: false` each subrequest stands alone (Collections per their own flag); a subrequest
 *   referring to a failed one is not run (`PROCESSING_HALTED`).
 * - At most 25 subrequests, of which at most 5 sObject Collections or query operations [F-60].
 *
 * - Query subrequests (`query?q=`, `queryAll?q=`) and "Query More" ones (`query/<locator>`, usually written
 *   `@{ref.nextRecordsUrl}`) count towards those 5; the whole request is one call against the API limit.
 *   A Query More whose reference has no `nextRecordsUrl` (the query was done) is not run: 400
 *   PROCESSING_HALTED "Invalid reference specified" like any missing reference.
 *
 * Supported subrequests: sObject Collections (POST create, PATCH update, DELETE by ids), single-record
 * sObject create / get / update / delete, and GET query / queryAll / Query More (`httpHeaders` may carry
 * `Sforce-Query-Options: batchSize=N`). Anything else is answered per subrequest with NOT_FOUND.
 */
import { PlatformError } from './store.ts';
import {
  compositeCreate,
  compositeDelete,
  compositeUpdate,
  createRecord,
  deleteRecord,
  errorReply,
  getRecord,
  isPlainObject,
  platformErrorReply,
  updateRecord,
  type Reply,
  type RestScope,
} from './rest.ts';
import type { DataRouteModule, ServerState } from './routes/router.ts';
import type { QueryService } from './routes/rest.ts';

export const COMPOSITE_SUBREQUEST_LIMIT = 25;
export const COMPOSITE_COLLECTION_LIMIT = 5;

const HALTED = 'The transaction was rolled back since another operation in the same transaction failed.';

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

class Rollback extends Error {}

/** The `/composite` resource as a data API route module (registered in server.ts). */
export function compositeRoutes(state: ServerState, queries: QueryService): DataRouteModule {
  return {
    name: 'composite',
    route(method, parts) {
      if (parts[0] !== 'composite' || parts.length !== 1) return undefined;
      if (method !== 'POST') return () => errorReply(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are POST`);
      return async (request) => {
        const body = parseBody(request.body);
        // Query subrequests run synchronously (allOrNone runs inside one transaction): load SOQL first.
        const usesQueries = /\/query(?:All)?\b|nextRecordsUrl/.test(request.body);
        const soql = usesQueries ? await queries.ready() : undefined;
        const reply = handleComposite({ store: state.store, apiVersion: request.apiVersion, omniEnabled: state.context.omniEnabled }, body, soql ? queries : undefined);
        // The request log shows each subrequest under its composite (tests read the SOQL of query ones).
        if (state.log) logSubrequests(state.log, body, reply);
        return reply;
      };
    },
  };
}

function logSubrequests(log: (line: string) => void, body: unknown, reply: Reply): void {
  if (!isPlainObject(body) || !Array.isArray(body.compositeRequest)) return;
  const answers = isPlainObject(reply.body) && Array.isArray(reply.body.compositeResponse) ? (reply.body.compositeResponse as SubResponse[]) : [];
  const status = new Map(answers.map((a) => [a.referenceId, a.httpStatusCode]));
  for (const sub of body.compositeRequest as Array<Partial<Subrequest>>) {
    log(`  composite ${String(sub.method ?? '').toUpperCase()} ${String(sub.url ?? '')} ${status.get(String(sub.referenceId)) ?? '-'}`);
  }
}

function parseBody(body: string): unknown {
  try {
    return body.trim() ? JSON.parse(body) : undefined;
  } catch (error) {
    throw new PlatformError('JSON_PARSER_ERROR', `Unexpected character in the request body: ${(error as Error).message}`);
  }
}

/** POST /composite. `body` is the parsed JSON request body; `queries` answers query subrequests (loaded). */
function handleComposite(scope: RestScope, body: unknown, queries?: QueryService): Reply {
  if (!isPlainObject(body) || !Array.isArray(body.compositeRequest)) {
    return errorReply(400, 'JSON_PARSER_ERROR', 'Expected { allOrNone, compositeRequest: [...] }');
  }
  const requests = body.compositeRequest as unknown[];
  if (requests.length === 0) return errorReply(400, 'INVALID_INPUT', 'compositeRequest must contain at least one subrequest');
  if (requests.length > COMPOSITE_SUBREQUEST_LIMIT) {
    return errorReply(400, 'LIMIT_EXCEEDED', `Composite request cannot have more than ${COMPOSITE_SUBREQUEST_LIMIT} subrequests`);
  }
  const parsed: Subrequest[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of requests.entries()) {
    if (!isPlainObject(raw) || typeof raw.method !== 'string' || typeof raw.url !== 'string' || typeof raw.referenceId !== 'string') {
      return errorReply(400, 'JSON_PARSER_ERROR', `Subrequest ${i} needs method, url and referenceId`);
    }
    if (!/^[A-Za-z0-9_]+$/.test(raw.referenceId)) return errorReply(400, 'INVALID_INPUT', `Invalid referenceId: ${raw.referenceId}`);
    if (seen.has(raw.referenceId)) return errorReply(400, 'INVALID_INPUT', `Duplicate referenceId: ${raw.referenceId}`);
    seen.add(raw.referenceId);
    const httpHeaders = isPlainObject(raw.httpHeaders) ? Object.fromEntries(Object.entries(raw.httpHeaders).map(([k, v]) => [k.toLowerCase(), String(v)])) : undefined;
    parsed.push({ method: raw.method.toUpperCase(), url: raw.url, referenceId: raw.referenceId, body: raw.body, httpHeaders });
  }
  if (parsed.filter((r) => isCollectionOrQuery(r.url)).length > COMPOSITE_COLLECTION_LIMIT) {
    return errorReply(400, 'LIMIT_EXCEEDED', `Composite request cannot have more than ${COMPOSITE_COLLECTION_LIMIT} sObject Collections or query subrequests`);
  }
  const allOrNone = body.allOrNone === true;
  const responses: SubResponse[] = [];
  const results = new Map<string, unknown>();
  const failedRefs = new Set<string>();
  let written = 0;

  // Query More subrequests written as a reference are counted once their URL is known.
  let heavy = parsed.filter((r) => isCollectionOrQuery(r.url)).length;
  const runAll = () => {
    for (const sub of parsed) {
      const resolved = resolveReferences(sub, results, failedRefs);
      if ('halted' in resolved) {
        responses.push(respond(sub, 400, [{ errorCode: 'PROCESSING_HALTED', message: resolved.halted }]));
        failedRefs.add(sub.referenceId);
        if (allOrNone) throw new Rollback();
        continue;
      }
      let reply: Reply;
      if (!isCollectionOrQuery(sub.url) && isCollectionOrQuery(resolved.url) && ++heavy > COMPOSITE_COLLECTION_LIMIT) {
        reply = errorReply(400, 'LIMIT_EXCEEDED', `Composite request cannot have more than ${COMPOSITE_COLLECTION_LIMIT} sObject Collections or query subrequests`);
      } else reply = runSubrequest(scope, resolved.method, resolved.url, resolved.body, allOrNone, queries, sub.httpHeaders);
      const failed = reply.status >= 400 || collectionFailed(reply);
      responses.push(respond(sub, failed && reply.status < 400 ? 400 : reply.status, reply.body ?? null, reply.headers));
      if (failed) {
        failedRefs.add(sub.referenceId);
        if (allOrNone) throw new Rollback();
        continue;
      }
      written += reply.written ?? 0;
      results.set(sub.referenceId, reply.body);
    }
  };

  if (!allOrNone) {
    runAll();
    return { status: 200, body: { compositeResponse: responses }, written };
  }
  try {
    scope.store.transaction(runAll);
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    // Everything was undone: the failing subrequest keeps its error, every other one is halted.
    const failedAt = responses.length - 1;
    const out = parsed.map((sub, i) => (i === failedAt ? rolledBackCollection(responses[i]) : respond(sub, 400, [{ errorCode: 'PROCESSING_HALTED', message: HALTED }])));
    return { status: 200, body: { compositeResponse: out }, written: 0 };
  }
  return { status: 200, body: { compositeResponse: responses }, written };
}

function respond(sub: Subrequest, status: number, body: unknown, headers: Record<string, string> = {}): SubResponse {
  return { body: status === 204 ? null : body, httpHeaders: headers, httpStatusCode: status, referenceId: sub.referenceId };
}

function isCollectionOrQuery(url: string): boolean {
  return /\/composite\/sobjects(?:[/?]|$)|\/query(?:All)?(?:[/?]|$)/.test(url);
}

/** A Collections answer (array of save results) with a failed record. */
function collectionFailed(reply: Reply): boolean {
  return Array.isArray(reply.body) && reply.body.some((r) => isPlainObject(r) && r.success === false);
}

/** Records of a rolled-back Collections subrequest that had succeeded now say so, as in a Collections allOrNone call. */
function rolledBackCollection(response: SubResponse): SubResponse {
  if (!Array.isArray(response.body)) return response;
  const body = response.body.map((r) =>
    isPlainObject(r) && r.success === true
      ? { id: null, success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }] }
      : r,
  );
  return { ...response, body };
}

/** Replaces `@{ref.path}` in the url and body with values of earlier results; a failed or unknown ref halts. */
function resolveReferences(sub: Subrequest, results: Map<string, unknown>, failed: Set<string>): Subrequest | { halted: string } {
  let problem: string | undefined;
  const substitute = (text: string) =>
    text.replace(/@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g, (whole, ref: string, path: string) => {
      if (failed.has(ref)) {
        problem ??= `Invalid reference specified. No value for ${ref}${path} found in ${ref}. Provided referenceId ('${ref}') refers to a subrequest that failed.`;
        return whole;
      }
      let value: unknown = results.get(ref);
      for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
        if (value === null || value === undefined) break;
        value = step.startsWith('[') ? (value as unknown[])[Number(step.slice(1, -1))] : (value as Record<string, unknown>)[step.slice(1)];
      }
      if (value === undefined || value === null || typeof value === 'object') {
        problem ??= `Invalid reference specified. No value for ${ref}${path} found in ${ref}.`;
        return whole;
      }
      return String(value);
    });
  const url = substitute(sub.url);
  const body = sub.body === undefined ? undefined : JSON.parse(substitute(JSON.stringify(sub.body)));
  return problem ? { halted: problem } : { ...sub, url, body };
}

/** Runs one subrequest against the REST handlers; platform errors become its error reply. */
function runSubrequest(scope: RestScope, method: string, rawUrl: string, body: unknown, forceAllOrNone: boolean, queries?: QueryService, headers?: Record<string, string>): Reply {
  const url = new URL(rawUrl, 'http://127.0.0.1');
  const match = /^\/services\/data\/v(\d+\.\d)\/(.*)$/.exec(url.pathname.replace(/\/+$/, ''));
  if (!match) return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
  const parts = match[2].split('/').filter(Boolean).map(decodeURIComponent);
  const sub: RestScope = { ...scope, apiVersion: match[1] };
  const [a, b, c, d] = parts;
  try {
    if ((a === 'query' || a === 'queryAll') && !c && method === 'GET' && queries) {
      return b ? queries.next(b, a) : queries.runLoaded(url.searchParams.get('q'), a, sub.apiVersion, headers?.['sforce-query-options']);
    }
    if (a === 'composite' && b === 'sobjects' && !c) {
      const withFlag = (x: unknown) => (forceAllOrNone && isPlainObject(x) ? { ...x, allOrNone: true } : x);
      if (method === 'POST') return compositeCreate(sub, withFlag(body));
      if (method === 'PATCH') return compositeUpdate(sub, withFlag(body));
      if (method === 'DELETE') return compositeDelete(sub, url.searchParams.get('ids'), forceAllOrNone ? 'true' : url.searchParams.get('allOrNone'));
    }
    if (a === 'sobjects' && b && !d) {
      if (!c && method === 'POST') return createRecord(sub, b, body);
      if (c && method === 'GET') return getRecord(sub, b, c, url.searchParams.get('fields'));
      if (c && method === 'PATCH') return updateRecord(sub, b, c, body);
      if (c && method === 'DELETE') return deleteRecord(sub, b, c);
    }
  } catch (error) {
    if (error instanceof PlatformError) return platformErrorReply(error);
    throw error;
  }
  return errorReply(404, 'NOT_FOUND', `The requested resource does not exist (not supported in a composite subrequest here: ${method} ${url.pathname})`);
}
