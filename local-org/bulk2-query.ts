/**
 * Bulk API 2.0 query jobs (`/jobs/query`), as `sf data export bulk` (jsforce QueryJobV2 + paged result
 * downloads) uses them: create (state UploadComplete), the job runs in the background (InProgress →
 * JobComplete) so clients poll, results come as CSV pages with every field quoted, the next page's
 * locator in `Sforce-Locator` ("null" on the last page) and the page's row count in
 * `Sforce-NumberOfRecords`; `maxRecords` bounds a page. Abort and delete as documented.
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_create_job.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
 */
import { randomBytes } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { bulkJobInfoHead } from './bulk2-job.ts';
import { to18 } from './ids.ts';
import { sfNow, type OrgStore } from './store.ts';
import { errorReply, type Reply } from './rest.ts';
import { soqlSource } from './soql-source.ts';

type QueryState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

/** [F-41] Rows per result page when the client gives no maxRecords (assumed; see FIDELITY.md). */
export const BULK_QUERY_DEFAULT_PAGE = 2000;

/** [F-42] Column delimiters Bulk API 2.0 accepts, by name. */
const DELIMITERS: Record<string, string> = { COMMA: ',', TAB: '\t', PIPE: '|', SEMICOLON: ';', CARET: '^', BACKQUOTE: '`' };

interface QueryJob {
  id: string;
  operation: 'query' | 'queryAll';
  object: string;
  query: string;
  state: QueryState;
  apiVersion: string;
  lineEnding: 'LF' | 'CRLF';
  columnDelimiter: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  columns: string[][];
  rows: unknown[][];
  errorMessage?: string;
  totalProcessingTime: number;
}

export interface BulkQueryScope {
  store: OrgStore;
  apiVersion: string;
  omniEnabled: () => boolean;
  userId: string;
}

type SoqlModule = typeof import('./soql/index.ts');

export class BulkQuery {
  private readonly jobs = new Map<string, QueryJob>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private counter = 0;
  private soql?: Promise<SoqlModule>;

  /** Stops background processing (server shutdown). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** `rest`: [] | [jobId] | [jobId, 'results']. */
  async handle(method: string, rest: string[], body: string, params: URLSearchParams, scope: BulkQueryScope): Promise<Reply> {
    if (rest.length === 0) {
      if (method === 'POST') return this.create(body, scope);
      if (method === 'GET') return { status: 200, body: { done: true, records: [...this.jobs.values()].map((j) => info(j)), nextRecordsUrl: null } };
      return errorReply(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed for this resource');
    }
    const job = this.jobs.get(rest[0]) ?? this.jobs.get(to18(rest[0]));
    if (!job) return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (rest.length === 1) {
      if (method === 'GET') return { status: 200, body: info(job) };
      if (method === 'PATCH') return this.abort(job, body);
      if (method === 'DELETE') {
        if (job.state === 'UploadComplete' || job.state === 'InProgress') return errorReply(400, 'INVALIDJOBSTATE', `Job ${job.id} can't be deleted in state ${job.state}; abort it first.`);
        this.jobs.delete(job.id);
        return { status: 204 };
      }
      return errorReply(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed for this resource');
    }
    if (rest[1] === 'results' && rest.length === 2 && method === 'GET') return results(job, params, scope.apiVersion);
    return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  private async create(body: string, scope: BulkQueryScope): Promise<Reply> {
    let spec: Record<string, unknown>;
    try {
      spec = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return errorReply(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON');
    }
    if (spec.operation !== 'query' && spec.operation !== 'queryAll') return errorReply(400, 'INVALIDJOB', `InvalidJob : Invalid operation: ${String(spec.operation)}`);
    if (typeof spec.query !== 'string' || spec.query.trim() === '') return errorReply(400, 'INVALIDJOB', 'InvalidJob : query is required');
    if (spec.contentType !== undefined && spec.contentType !== 'CSV') return errorReply(400, 'INVALIDJOB', 'InvalidJob : Only CSV content is supported');
    const delimiter = spec.columnDelimiter === undefined ? 'COMMA' : String(spec.columnDelimiter);
    if (!DELIMITERS[delimiter]) return errorReply(400, 'INVALIDJOB', `InvalidJob : Invalid column delimiter: ${delimiter}`);
    if (spec.lineEnding !== undefined && spec.lineEnding !== 'LF' && spec.lineEnding !== 'CRLF') return errorReply(400, 'INVALIDJOB', `InvalidJob : Invalid line ending: ${String(spec.lineEnding)}`);
    const soql = await (this.soql ??= import('./soql/index.ts'));
    // [F-43] The query is checked when the job is created: a bad query never becomes a job.
    let parsed: ReturnType<SoqlModule['parseSoql']>;
    let executed: { records: object[] };
    try {
      parsed = soql.parseSoql(spec.query);
      if (parsed.countOnly || parsed.groupBy.length || parsed.offset !== undefined || parsed.select.some((s) => s.kind === 'aggregate')) {
        return errorReply(400, 'INVALIDJOB', 'InvalidJob : Bulk API 2.0 query does not support aggregate functions, GROUP BY, OFFSET or COUNT().');
      }
      executed = soql.executeSoql(parsed, soqlSource(scope.store, scope.omniEnabled(), spec.operation === 'queryAll'), { apiVersion: scope.apiVersion, tooling: false });
    } catch (error) {
      if (error instanceof soql.SoqlError) return errorReply(400, 'INVALIDJOB', `InvalidJob : ${error.message}`);
      throw error;
    }
    this.counter += 1;
    const id = to18(`750${randomBytes(2).toString('hex').slice(0, 2)}Q${String(this.counter).padStart(9, '0')}`.slice(0, 15));
    const now = sfNow();
    const columns = parsed.select.map((s) => (s.kind === 'field' ? s.field.path : []));
    const job: QueryJob = {
      id,
      operation: spec.operation,
      object: parsed.from.name,
      query: spec.query,
      state: 'UploadComplete',
      apiVersion: scope.apiVersion,
      lineEnding: spec.lineEnding === 'CRLF' ? 'CRLF' : 'LF',
      columnDelimiter: delimiter,
      createdById: scope.userId,
      createdDate: now,
      systemModstamp: now,
      columns,
      // The rows are read when the job is created (a consistent snapshot), handed out once it completes.
      rows: executed.records.map((r) => columns.map((path) => cell(r, path))),
      totalProcessingTime: 0,
    };
    this.jobs.set(id, job);
    this.later(() => {
      if (job.state !== 'UploadComplete') return;
      job.state = 'InProgress';
      job.systemModstamp = sfNow();
      this.later(() => {
        if (job.state !== 'InProgress') return;
        job.state = 'JobComplete';
        job.systemModstamp = sfNow();
        job.totalProcessingTime = 40;
      }, 40);
    }, 20);
    return { status: 200, body: info(job) };
  }

  private abort(job: QueryJob, body: string): Reply {
    let state: unknown;
    try {
      state = (JSON.parse(body) as { state?: unknown }).state;
    } catch {
      return errorReply(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON');
    }
    if (state !== 'Aborted') return errorReply(400, 'INVALIDJOBSTATE', `Invalid state: ${String(state)}`);
    if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') return errorReply(400, 'INVALIDJOBSTATE', `Job ${job.id} is already finished (state ${job.state}).`);
    job.state = 'Aborted';
    job.systemModstamp = sfNow();
    return { status: 200, body: info(job) };
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}

/** A field of a SOQL result record by its path (`Profile.Name`), matched case-insensitively. */
function cell(record: object, path: string[]): unknown {
  let value: unknown = record;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return null;
    const key = Object.keys(value).find((k) => k.toLowerCase() === segment.toLowerCase());
    value = key === undefined ? null : (value as Record<string, unknown>)[key];
  }
  return value;
}

function results(job: QueryJob, params: URLSearchParams, apiVersion: string): Reply {
  // [F-44] Results are read with the API version the job was created with; another answers 409.
  if (apiVersion !== job.apiVersion) return errorReply(409, 'INVALIDJOBSTATE', `Results of job ${job.id} must be requested with API version ${job.apiVersion}.`);
  if (job.state !== 'JobComplete') return errorReply(400, 'INVALIDJOBSTATE', `Job ${job.id} is not complete (state ${job.state}); results are available once it is JobComplete.`);
  const rawMax = params.get('maxRecords');
  const maxRecords = rawMax === null ? BULK_QUERY_DEFAULT_PAGE : Number(rawMax);
  if (!Number.isInteger(maxRecords) || maxRecords < 1) return errorReply(400, 'INVALIDREQUEST', `maxRecords must be a positive integer; got ${rawMax}`);
  const locator = params.get('locator');
  let offset = 0;
  if (locator !== null && locator !== '') {
    offset = Number(Buffer.from(locator, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0 || offset > job.rows.length) return errorReply(400, 'INVALIDLOCATOR', `Invalid locator: ${locator}`);
  }
  const page = job.rows.slice(offset, offset + maxRecords);
  const next = offset + page.length;
  const header = job.columns.map((p) => p.join('.'));
  const text = stringify([header, ...page.map((r) => r.map(format))], {
    quoted: true,
    quoted_empty: false,
    delimiter: DELIMITERS[job.columnDelimiter],
    record_delimiter: job.lineEnding === 'CRLF' ? 'windows' : 'unix',
  });
  return {
    status: 200,
    body: text,
    contentType: 'text/csv',
    headers: {
      // A locator names an offset into the job's results; it stays valid while the job exists.
      'sforce-locator': next < job.rows.length ? Buffer.from(String(next)).toString('base64url') : 'null',
      'sforce-numberofrecords': String(page.length),
    },
  };
}

/** A CSV value: empty for null, `true`/`false`, numbers and text as they are. */
function format(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function info(job: QueryJob): Record<string, unknown> {
  return {
    ...bulkJobInfoHead(job),
    jobType: 'V2Query',
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    numberRecordsProcessed: job.state === 'JobComplete' ? job.rows.length : 0,
    retries: 0,
    totalProcessingTime: job.totalProcessingTime,
    ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
  };
}
