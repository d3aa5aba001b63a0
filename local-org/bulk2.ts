/**
 * Bulk API 2.0 ingest: create a job, PUT CSV data, PATCH UploadComplete, then the job runs in the
 * background (UploadComplete → InProgress → JobComplete) so clients poll as they do against a real org.
 * Rows are processed one by one (no all-or-none), results come back as CSV with the sf__ columns.
 */
import { randomBytes } from 'node:crypto';
import { bulkJobInfoHead } from './bulk2-job.ts';
import { parseCsv, formatCsv } from './csv.ts';
import { to18 } from './ids.ts';
import { PlatformError, sfNow, type OrgStore } from './store.ts';
import { errorReply, visibleSObject, type Reply } from './rest.ts';

type Operation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

interface IngestJob {
  id: string;
  object: string;
  operation: Operation;
  externalIdFieldName?: string;
  lineEnding: 'LF' | 'CRLF';
  state: JobState;
  apiVersion: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  csv: string[];
  header: string[];
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
  processed: number;
  failedCount: number;
  errorMessage?: string;
  totalProcessingTime: number;
}

export interface BulkScope {
  store: OrgStore;
  apiVersion: string;
  omniEnabled: () => boolean;
  userId: string;
  /** Records written by background processing (stats). */
  onWritten(count: number): void;
}

const OPERATIONS: Operation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];
/** Rows per event-loop turn, so a large job doesn't starve other requests. */
const ROWS_PER_TICK = 2000;

export class BulkIngest {
  private readonly jobs = new Map<string, IngestJob>();
  private counter = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  private readonly scopeOf: () => BulkScope;

  constructor(scopeOf: () => BulkScope) {
    this.scopeOf = scopeOf;
  }

  /** Stops background processing (server shutdown). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  handle(method: string, rest: string[], body: string, scope: BulkScope): Reply {
    // rest: [] | [jobId] | [jobId, 'batches'] | [jobId, 'successfulResults'|'failedResults'|'unprocessedrecords']
    if (rest.length === 0) {
      if (method === 'POST') return this.create(body, scope);
      if (method === 'GET') return { status: 200, body: { done: true, records: [...this.jobs.values()].map((j) => this.info(j)), nextRecordsUrl: null } };
      return methodNotAllowed();
    }
    const job = this.jobs.get(rest[0]) ?? this.jobs.get(to18(rest[0]));
    if (!job) return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
    const sub = rest[1];
    if (sub === undefined) {
      if (method === 'GET') return { status: 200, body: this.info(job) };
      if (method === 'PATCH') return this.changeState(job, body);
      if (method === 'DELETE') {
        if (job.state === 'Open' || job.state === 'UploadComplete' || job.state === 'InProgress') {
          return errorReply(400, 'INVALIDJOBSTATE', `Job ${job.id} can't be deleted in state ${job.state}.`);
        }
        this.jobs.delete(job.id);
        return { status: 204 };
      }
      return methodNotAllowed();
    }
    if (sub === 'batches' && method === 'PUT') {
      if (job.state !== 'Open') return errorReply(409, 'INVALIDJOBSTATE', `Job ${job.id} is not open for data upload (state ${job.state}).`);
      job.csv.push(body);
      return { status: 201 };
    }
    if (method === 'GET' && (sub === 'successfulResults' || sub === 'failedResults' || sub === 'unprocessedrecords')) {
      const eol = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
      if (sub === 'successfulResults') return csvReply(formatCsv(['sf__Id', 'sf__Created', ...job.header], job.successful, eol));
      if (sub === 'failedResults') return csvReply(formatCsv(['sf__Id', 'sf__Error', ...job.header], job.failed, eol));
      return csvReply(formatCsv(job.header, job.unprocessed, eol));
    }
    return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  private create(body: string, scope: BulkScope): Reply {
    let spec: Record<string, unknown>;
    try {
      spec = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return errorReply(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON');
    }
    const operation = spec.operation as Operation;
    if (!OPERATIONS.includes(operation)) return errorReply(400, 'INVALIDJOB', `InvalidJob : Invalid operation: ${String(spec.operation)}`);
    const schema = typeof spec.object === 'string' ? visibleSObject(spec.object, scope.omniEnabled()) : undefined;
    if (!schema) return errorReply(400, 'INVALIDENTITY', `Entity '${String(spec.object)}' is not supported by the Bulk API.`);
    if (spec.contentType !== undefined && spec.contentType !== 'CSV') return errorReply(400, 'INVALIDJOB', 'InvalidJob : Only CSV content is supported');
    if (operation === 'upsert' && typeof spec.externalIdFieldName !== 'string') {
      return errorReply(400, 'INVALIDJOB', 'InvalidJob : External ID was blank for ' + schema.name + '. An External ID must be specified for upsert.');
    }
    this.counter += 1;
    const id = to18(`7508d${randomBytes(2).toString('hex').slice(0, 3)}${String(this.counter).padStart(7, '0')}`.slice(0, 15));
    const now = sfNow();
    const job: IngestJob = {
      id,
      object: schema.name,
      operation,
      externalIdFieldName: spec.externalIdFieldName as string | undefined,
      lineEnding: spec.lineEnding === 'CRLF' ? 'CRLF' : 'LF',
      state: 'Open',
      apiVersion: scope.apiVersion,
      createdById: scope.userId,
      createdDate: now,
      systemModstamp: now,
      csv: [],
      header: [],
      successful: [],
      failed: [],
      unprocessed: [],
      processed: 0,
      failedCount: 0,
      totalProcessingTime: 0,
    };
    this.jobs.set(id, job);
    return { status: 200, body: this.info(job) };
  }

  private changeState(job: IngestJob, body: string): Reply {
    let state: string | undefined;
    try {
      state = (JSON.parse(body) as { state?: string }).state;
    } catch {
      return errorReply(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON');
    }
    if (state === 'Aborted') {
      if (job.state === 'JobComplete' || job.state === 'Failed') return errorReply(400, 'INVALIDJOBSTATE', `Job ${job.id} is already finished.`);
      job.state = 'Aborted';
      return { status: 200, body: this.info(job) };
    }
    if (state !== 'UploadComplete') return errorReply(400, 'INVALIDJOBSTATE', `Invalid state: ${String(state)}`);
    if (job.state !== 'Open') return errorReply(409, 'INVALIDJOBSTATE', `Job ${job.id} is not open (state ${job.state}).`);
    job.state = 'UploadComplete';
    this.later(() => this.start(job), 20);
    return { status: 200, body: this.info(job) };
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private start(job: IngestJob): void {
    if (job.state !== 'UploadComplete') return;
    job.state = 'InProgress';
    job.systemModstamp = sfNow();
    let rows: string[][] = [];
    try {
      for (const [i, chunk] of job.csv.entries()) {
        const parsed = parseCsv(chunk);
        if (parsed.length === 0) continue;
        const [header, ...data] = parsed;
        if (i === 0 || job.header.length === 0) job.header = header;
        else if (header.join(',') !== job.header.join(',')) throw new Error('all uploaded batches must have the same header row');
        rows = rows.concat(data);
      }
    } catch (error) {
      job.state = 'Failed';
      job.errorMessage = `InvalidBatch : ${(error as Error).message}`;
      return;
    }
    job.csv = [];
    const started = Date.now();
    let next = 0;
    const step = () => {
      if (job.state === 'Aborted') {
        job.unprocessed.push(...rows.slice(next));
        return;
      }
      const end = Math.min(rows.length, next + ROWS_PER_TICK);
      let written = 0;
      for (; next < end; next++) if (this.processRow(job, rows[next])) written++;
      if (written) this.scopeOf().onWritten(written);
      if (next < rows.length) {
        this.later(step, 0);
        return;
      }
      job.totalProcessingTime += Date.now() - started;
      job.state = 'JobComplete';
      job.systemModstamp = sfNow();
    };
    step();
  }

  private processRow(job: IngestJob, values: string[]): boolean {
    const scope = this.scopeOf();
    const fields: Record<string, unknown> = {};
    job.header.forEach((name, i) => {
      const v = values[i] ?? '';
      // Bulk CSV: an empty cell leaves the field alone, #N/A sets it to null.
      if (v === '#N/A') fields[name] = null;
      else if (v !== '') fields[name] = v;
    });
    const idOf = () => String(fields.Id ?? fields.id ?? '');
    job.processed += 1;
    try {
      let id: string;
      let created = false;
      if (job.operation === 'insert') {
        id = scope.store.insert(job.object, fields).Id;
        created = true;
      } else if (job.operation === 'update') {
        const { Id: _a, id: _b, ...rest } = fields;
        void _a;
        void _b;
        id = scope.store.update(requireId(idOf(), job.object, scope.store), rest).Id;
      } else if (job.operation === 'upsert') {
        const key = job.externalIdFieldName!;
        const match = scope.store.findBy(job.object, key, fields[key]);
        if (match.length > 1) throw new PlatformError('DUPLICATE_EXTERNAL_ID', `${key}: more than one record found for external id field: ${String(fields[key])}`, [key]);
        if (match.length === 1) {
          const { Id: _a, id: _b, ...rest } = fields;
          void _a;
          void _b;
          id = scope.store.update(match[0].Id, rest).Id;
        } else {
          id = scope.store.insert(job.object, fields).Id;
          created = true;
        }
      } else {
        id = requireId(idOf(), job.object, scope.store);
        scope.store.delete(id);
      }
      job.successful.push([id, String(created), ...values]);
      return true;
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      job.failedCount += 1;
      const rowId = job.operation === 'insert' ? '' : idOf();
      job.failed.push([rowId, `${error.errorCode}:${error.message}:${error.fields.join(',')} --`, ...values]);
      return false;
    }
  }

  private info(job: IngestJob): Record<string, unknown> {
    return {
      ...bulkJobInfoHead(job, job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
      jobType: 'V2Ingest',
      contentUrl: `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`,
      lineEnding: job.lineEnding,
      columnDelimiter: 'COMMA',
      numberRecordsProcessed: job.processed,
      numberRecordsFailed: job.failedCount,
      retries: 0,
      totalProcessingTime: job.totalProcessingTime,
      apiActiveProcessingTime: job.totalProcessingTime,
      apexProcessingTime: 0,
      ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    };
  }
}

function requireId(id: string, object: string, store: OrgStore): string {
  if (!id) throw new PlatformError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
  const row = store.get(id);
  if (!row) {
    if (store.getDeleted(id)) throw new PlatformError('ENTITY_IS_DELETED', 'entity is deleted');
    throw new PlatformError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
  }
  if (row.Id.slice(0, 3) !== visibleSObject(object, true)!.keyPrefix) {
    throw new PlatformError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${id} is not a ${object}`);
  }
  return row.Id;
}

function csvReply(text: string): Reply {
  return { status: 200, body: text, contentType: 'text/csv' };
}

function methodNotAllowed(): Reply {
  return errorReply(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed for this resource');
}
