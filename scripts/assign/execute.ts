/**
 * Brings every pending subject of a journal (user or profile) to its target configuration, safely:
 *
 * - The junction rows can't be updated, so a move is delete-old then create-new. When the create fails
 *   for good, the old configuration is recreated (compensation): a half-done move never leaves a user
 *   without the configuration they had.
 * - Writes go through sObject Collections (200 records a call, allOrNone=false, a few chunks in flight);
 *   large runs of creates and removes go through Bulk API 2.0 first (moves never: see executeJournal) and
 *   anything it leaves undone goes through Collections.
 * - A failed request may or may not have been applied (a dropped connection on a create). Such subjects
 *   are re-read from the org before anything is retried, so a retry never duplicates or loses a row;
 *   per-record transient errors (UNABLE_TO_LOCK_ROW) are retried with backoff, permanent ones reported.
 * - A subject whose rows hold a configuration that is neither its prior nor its target was changed by
 *   someone else meanwhile: it is reported, not overwritten.
 */
import { backoffMs, classifyError, errorInfo, isTransientCode, sleep, type OrgApi, type SaveResult } from './api.ts';
import type { JournalFailure, JournalSubject, JournalWriter } from './journal.ts';
import { rereadRows, type JunctionRow } from './resolve.ts';
import type { SubjectKind } from './plan.ts';

export interface ExecuteOptions {
  concurrency?: number;
  chunkSize?: number;
  /** Above this many writes, Bulk API 2.0 ingest is used first. */
  bulkThreshold?: number;
  rounds?: number;
  /** Set by the SIGINT handler: finish what is in flight, start nothing new. */
  signal?: { stopping: boolean };
  onProgress?: (done: number, total: number) => void;
  /** Known current rows (from the plan) so the first round needs no read. */
  known?: { user: Map<string, JunctionRow[]>; profile: Map<string, JunctionRow[]> };
}

export interface ExecuteResult {
  done: number;
  failed: JournalFailure[];
  pending: number;
  interrupted: boolean;
}

const OBJECT: Record<SubjectKind, { object: string; field: string }> = {
  user: { object: 'PresenceUserConfigUser', field: 'UserId' },
  profile: { object: 'PresenceUserConfigProfile', field: 'ProfileId' },
};

/** Errors meaning "that row is already gone": the state is re-read rather than trusted. */
const GONE = new Set(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY', 'INVALID_ID_FIELD']);
const DUPLICATE = new Set(['DUPLICATE_VALUE', 'DUPLICATES_DETECTED', 'FIELD_INTEGRITY_EXCEPTION_DUPLICATE']);

interface Work {
  s: JournalSubject;
  goal: string | null;
  /** Known rows; undefined = must be re-read before acting. */
  rows: JunctionRow[] | undefined;
  compensating: boolean;
  firstError?: { code: string; message: string };
  finished: boolean;
}

export async function executeJournal(api: OrgApi, writer: JournalWriter, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const journal = writer.journal;
  const signal = options.signal ?? { stopping: false };
  const chunkSize = options.chunkSize ?? 200;
  const concurrency = options.concurrency ?? 5;
  const rounds = options.rounds ?? 10;
  const configName = (id: string | null) => (id ? (journal.configs[id] ?? id) : null);
  const pendingSubjects = journal.subjects.filter((s) => s.status !== 'done');
  journal.failures = journal.failures.filter((f) => !pendingSubjects.some((s) => s.kind === f.kind && s.id === f.id));
  const total = pendingSubjects.length;
  let doneCount = 0;
  const works: Work[] = pendingSubjects.map((s) => ({ s, goal: s.target, rows: options.known?.[s.kind].get(s.id) ?? (options.known ? [] : undefined), compensating: false, finished: false }));

  const finish = (w: Work, status: JournalSubject['status'], failure?: Omit<JournalFailure, 'kind' | 'id' | 'name'>) => {
    if (w.finished) return;
    w.finished = true;
    w.s.status = status;
    if (failure) journal.failures.push({ kind: w.s.kind, id: w.s.id, name: w.s.name, ...failure });
    doneCount++;
    options.onProgress?.(doneCount, total);
    writer.touch();
  };
  const step = (op: string, kind: SubjectKind, records: number, ok: number, failed: number, error?: string) => {
    journal.steps.push({ at: new Date().toISOString(), op, object: OBJECT[kind].object, records, ok, failed, ...(error ? { error } : {}) });
    writer.touch();
  };
  /** Settles subjects whose rows already match their goal; flags concurrent changes. */
  const settle = (w: Work) => {
    if (w.finished || w.rows === undefined) return;
    const configs = w.rows.map((r) => r.configId);
    const foreign = configs.find((c) => c !== w.s.prior && c !== w.s.target);
    if (foreign) {
      finish(w, 'failed', { configuration: configName(w.s.target), errorCode: 'CONCURRENT_CHANGE', message: `Now holds ${configName(foreign)}, which is neither its prior (${configName(w.s.prior) ?? 'none'}) nor its target configuration: changed by someone else during the run; left as is.` });
      return;
    }
    const matches = w.goal === null ? configs.length === 0 : configs.length === 1 && configs[0] === w.goal;
    if (!matches) return;
    if (w.compensating) finish(w, 'compensated', { configuration: configName(w.s.target), errorCode: w.firstError?.code ?? 'FAILED', message: `${w.firstError?.message ?? 'create failed'} — kept ${configName(w.s.prior)} (old row recreated).`, compensated: true });
    else finish(w, 'done');
  };
  /** A permanent failure to create the target: fall back to the prior configuration if the row is gone. */
  const createFailed = (w: Work, code: string, message: string) => {
    if (!w.compensating && w.s.prior !== null && w.goal !== w.s.prior) {
      w.compensating = true;
      w.firstError = { code, message };
      w.goal = w.s.prior;
      return;
    }
    if (w.compensating) {
      finish(w, 'failed', { configuration: configName(w.s.target), errorCode: code, message: `${w.firstError?.message ?? ''}; recreating ${configName(w.s.prior)} also failed: ${message}. The user has no configuration now: run "omni assign undo ${journal.runId}".` });
    } else finish(w, 'failed', { configuration: configName(w.goal), errorCode: code, message });
  };

  const fail = (w: Work, code: string, message: string) => {
    if (w.compensating) createFailed(w, code, message);
    else finish(w, 'failed', { configuration: configName(w.s.target), errorCode: code, message });
  };

  // Bulk API 2.0 for large runs of creates and removes: one delete job and one insert job per object. Moves
  // never go through Bulk: between a delete job and an insert job every moved user would hold nothing for
  // as long as the insert job queues and runs (minutes on a busy org, or until a resume after a crash).
  // Through Collections a move's delete and create are consecutive requests for the same 200 users.
  const writes = works.reduce((n, w) => n + (w.rows === undefined ? 1 : isMove(w) ? 0 : w.rows.filter((r) => r.configId !== w.goal).length + (w.goal && !w.rows.some((r) => r.configId === w.goal) ? 1 : 0)), 0);
  if (writes > (options.bulkThreshold ?? 2000) && !signal.stopping) {
    for (const kind of ['profile', 'user'] as const) {
      const ws = works.filter((w) => w.s.kind === kind && !w.finished);
      if (ws.length) await bulkPass(api, writer, kind, ws, { settle, createFailed, step, signal });
    }
  }

  // Collections: chunks of one kind, grouped so that a chunk needs as few calls as possible.
  const order = (w: Work) => (w.rows === undefined ? 3 : w.rows.length && w.goal ? 2 : w.rows.length ? 1 : 0);
  const queue: Work[][] = [];
  for (const kind of ['profile', 'user'] as const) {
    const ws = works.filter((w) => w.s.kind === kind && !w.finished).sort((a, b) => order(a) - order(b));
    for (let i = 0; i < ws.length; i += chunkSize) queue.push(ws.slice(i, i + chunkSize));
  }
  const worker = async () => {
    for (;;) {
      if (signal.stopping) return;
      const chunk = queue.shift();
      if (!chunk) return;
      await runChunk(api, chunk[0].s.kind, chunk, { rounds, signal, settle, createFailed, fail, step, chunkSize });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));

  const pending = works.filter((w) => !w.finished).length;
  return { done: works.filter((w) => w.s.status === 'done').length, failed: journal.failures, pending, interrupted: signal.stopping && pending > 0 };
}

interface ChunkHooks {
  rounds: number;
  chunkSize: number;
  signal: { stopping: boolean };
  settle: (w: Work) => void;
  createFailed: (w: Work, code: string, message: string) => void;
  fail: (w: Work, code: string, message: string) => void;
  step: (op: string, kind: SubjectKind, records: number, ok: number, failed: number, error?: string) => void;
}

async function runChunk(api: OrgApi, kind: SubjectKind, chunk: Work[], hooks: ChunkHooks): Promise<void> {
  const { object, field } = OBJECT[kind];
  chunk.forEach(hooks.settle);
  // Extra rounds once a move starts compensating, so the old row gets its own retries.
  let budget = hooks.rounds;
  for (let round = 0; round < budget; round++) {
    // Once stopping, only subjects that may be left with nothing (old row deleted, new not yet created, or
    // unknown after an ambiguous call) are finished; the others stay pending for resume.
    const live = chunk.filter((w) => !w.finished && (!hooks.signal.stopping || midMove(w)));
    if (!live.length) return;
    if (round === hooks.rounds - 1 && live.some((w) => !w.compensating && w.s.prior !== null)) {
      // Out of retries for the target: restore the prior configuration where the row is gone.
      for (const w of live) if (!w.compensating && w.s.prior !== null && w.goal !== w.s.prior) hooks.createFailed(w, 'RETRIES_EXHAUSTED', `Transient errors persisted after ${hooks.rounds} attempts`);
      budget = hooks.rounds + 5;
    }
    let retry = false;

    const unknown = live.filter((w) => w.rows === undefined);
    if (unknown.length) {
      try {
        const rows = await api.retried(() => rereadRows(api, kind, unknown.map((w) => w.s.id)));
        for (const w of unknown) w.rows = rows.get(w.s.id) ?? [];
        hooks.step('reread', kind, unknown.length, unknown.length, 0);
      } catch (error) {
        hooks.step('reread', kind, unknown.length, 0, unknown.length, errorInfo(error).code);
        await sleep(backoffMs(round, api.retry));
        continue;
      }
      live.forEach(hooks.settle);
    }

    // Deletes: every row that is not the goal (and any duplicate beyond the first).
    const deletions: Array<{ w: Work; rowId: string }> = [];
    for (const w of live) {
      if (w.finished || !w.rows) continue;
      let kept = false;
      for (const r of w.rows) {
        if (r.configId === w.goal && !kept) kept = true;
        else deletions.push({ w, rowId: r.id });
      }
    }
    if (deletions.length && !(hooks.signal.stopping && deletions.some((d) => !midMove(d.w)))) {
      const outcome = await attempt(() => api.deleteMany(deletions.map((d) => d.rowId)));
      if ('error' in outcome) {
        for (const d of deletions) {
          if (outcome.transient) d.w.rows = undefined;
          else hooks.fail(d.w, outcome.code, outcome.message);
        }
        hooks.step('delete', kind, deletions.length, 0, deletions.length, outcome.code);
        retry = true;
      } else {
        let ok = 0;
        outcome.results.forEach((r, i) => {
          const d = deletions[i];
          if (!d) return;
          if (r.success) {
            ok++;
            d.w.rows = d.w.rows?.filter((row) => row.id !== d.rowId);
            return;
          }
          const code = r.errors[0]?.statusCode ?? 'UNKNOWN';
          if (GONE.has(code)) d.w.rows = undefined;
          else if (isTransientCode(code)) retry = true;
          // The old row is still there: nothing lost, report it.
          else hooks.fail(d.w, code, r.errors[0]?.message ?? code);
        });
        hooks.step('delete', kind, deletions.length, ok, deletions.length - ok);
      }
    }

    // Creates: subjects known to hold nothing that should hold something.
    const creations = live.filter((w) => !w.finished && w.rows !== undefined && w.rows.length === 0 && w.goal !== null);
    if (creations.length) {
      const records = creations.map((w) => ({ attributes: { type: object }, PresenceUserConfigId: w.goal, [field]: w.s.id }));
      const outcome = await attempt(() => api.createMany(records));
      if ('error' in outcome) {
        // Ambiguous: the rows may exist now. Re-read before any retry.
        for (const w of creations) {
          if (outcome.transient) w.rows = undefined;
          else hooks.createFailed(w, outcome.code, outcome.message);
        }
        hooks.step('create', kind, creations.length, 0, creations.length, outcome.code);
        retry = true;
      } else {
        let ok = 0;
        outcome.results.forEach((r, i) => {
          const w = creations[i];
          if (!w) return;
          if (r.success && r.id) {
            ok++;
            w.rows = [{ id: r.id, configId: w.goal! }];
            return;
          }
          const code = r.errors[0]?.statusCode ?? 'UNKNOWN';
          if (DUPLICATE.has(code)) w.rows = undefined;
          else if (isTransientCode(code)) retry = true;
          else hooks.createFailed(w, code, r.errors[0]?.message ?? code);
        });
        hooks.step('create', kind, creations.length, ok, creations.length - ok);
      }
    }
    chunk.forEach(hooks.settle);
    if (retry || live.some((w) => !w.finished && w.rows === undefined)) await sleep(backoffMs(round, api.retry));
  }
  for (const w of chunk) {
    if (w.finished || (hooks.signal.stopping && !midMove(w))) continue;
    hooks.fail(w, 'RETRIES_EXHAUSTED', `Not done after ${budget} attempts (transient errors); resume the run to retry.`);
  }
}

/** Holds a configuration other than its goal and none that is its goal: a delete-then-create. */
function isMove(w: Work): boolean {
  return w.goal !== null && w.rows !== undefined && w.rows.length > 0 && !w.rows.some((r) => r.configId === w.goal);
}

/** A subject that held a configuration and may now hold none: never left like that by an interruption. */
function midMove(w: Work): boolean {
  return w.s.prior !== null && w.goal !== null && (w.rows === undefined || w.rows.length === 0);
}

type Attempt<T> = { results: T } | { error: true; transient: boolean; code: string; message: string };

async function attempt(fn: () => Promise<SaveResult[]>): Promise<Attempt<SaveResult[]>> {
  try {
    return { results: await fn() };
  } catch (error) {
    const info = errorInfo(error);
    return { error: true, transient: classifyError(error) === 'transient', code: info.code, message: info.message };
  }
}

// ── Bulk API 2.0 ────────────────────────────────────────────────────────────

interface BulkHooks {
  settle: (w: Work) => void;
  createFailed: (w: Work, code: string, message: string) => void;
  step: ChunkHooks['step'];
  signal: { stopping: boolean };
}

async function bulkPass(api: OrgApi, writer: JournalWriter, kind: SubjectKind, works: Work[], hooks: BulkHooks): Promise<void> {
  const { object, field } = OBJECT[kind];
  const unknown = works.filter((w) => w.rows === undefined);
  if (unknown.length) {
    try {
      const rows = await api.retried(() => rereadRows(api, kind, unknown.map((w) => w.s.id)));
      for (const w of unknown) w.rows = rows.get(w.s.id) ?? [];
    } catch {
      return; // Collections re-reads per chunk.
    }
  }
  works.forEach(hooks.settle);
  // Moves are left to Collections (see executeJournal).
  const bulkable = works.filter((w) => !w.finished && !isMove(w));
  const byRow = new Map<string, Work>();
  for (const w of bulkable) for (const r of w.rows ?? []) if (r.configId !== w.goal) byRow.set(r.id, w);
  if (byRow.size) {
    const result = await runBulkJob(api, writer, object, 'delete', 'Id\n' + [...byRow.keys()].join('\n') + '\n');
    if (!result) for (const w of byRow.values()) w.rows = undefined;
    else {
      for (const r of result.successful) {
        const w = byRow.get(r.sf__Id ?? r.Id);
        if (w) w.rows = w.rows?.filter((row) => row.id !== (r.sf__Id ?? r.Id));
      }
      for (const r of [...result.failed, ...result.unprocessed]) {
        const w = byRow.get(r.Id ?? r.sf__Id);
        if (!w) continue;
        const code = (r.sf__Error ?? '').split(':')[0];
        if (!code || isTransientCode(code) || GONE.has(code)) w.rows = undefined;
      }
      hooks.step('bulk-delete', kind, byRow.size, result.successful.length, byRow.size - result.successful.length);
    }
  }
  // The creates complete the moves whose old rows the delete job removed, even when stopping.
  const creates = bulkable.filter((w) => !w.finished && w.rows !== undefined && w.rows.length === 0 && w.goal !== null && (!hooks.signal.stopping || midMove(w)));
  if (creates.length) {
    const byId = new Map(creates.map((w) => [w.s.id, w]));
    const csv = `PresenceUserConfigId,${field}\n` + creates.map((w) => `${w.goal},${w.s.id}`).join('\n') + '\n';
    const result = await runBulkJob(api, writer, object, 'insert', csv);
    if (!result) for (const w of creates) w.rows = undefined;
    else {
      for (const r of result.successful) {
        const w = byId.get(r[field]);
        if (w && r.sf__Id) w.rows = [{ id: r.sf__Id, configId: w.goal! }];
      }
      for (const r of result.failed) {
        const w = byId.get(r[field]);
        if (!w) continue;
        const [code, ...rest] = (r.sf__Error ?? 'UNKNOWN').split(':');
        if (DUPLICATE.has(code) || isTransientCode(code)) w.rows = undefined;
        else hooks.createFailed(w, code, rest.join(':').trim() || code);
      }
      for (const r of result.unprocessed) {
        const w = byId.get(r[field]);
        if (w) w.rows = undefined;
      }
      hooks.step('bulk-insert', kind, creates.length, result.successful.length, creates.length - result.successful.length);
    }
  }
  works.forEach(hooks.settle);
}

interface BulkResult {
  successful: Array<Record<string, string>>;
  failed: Array<Record<string, string>>;
  unprocessed: Array<Record<string, string>>;
}

const FINAL = new Set(['JobComplete', 'Failed', 'Aborted']);

/**
 * One ingest job: create, upload, close, poll, fetch results. Every call is safe to repeat (a stray open
 * job from a dropped create is harmless); undefined when the job can't be completed — the caller then
 * re-reads the org and carries on through Collections. The job id goes into the journal first, so an
 * interrupted run can wait for it before resuming.
 */
export async function runBulkJob(api: OrgApi, writer: JournalWriter, object: string, operation: 'insert' | 'delete', csv: string): Promise<BulkResult | undefined> {
  const base = `${api.base}/jobs/ingest`;
  let entry: { id: string; object: string; operation: string; state: string } | undefined;
  try {
    const job = await api.retried(() => api.call<{ id: string }>('POST', base, { object, operation, contentType: 'CSV', lineEnding: 'LF', columnDelimiter: 'COMMA' }));
    entry = { id: job.id, object, operation, state: 'Open' };
    writer.journal.bulkJobs.push(entry);
    writer.flush();
    await api.retried(() => api.call('PUT', `${base}/${job.id}/batches`, csv, { 'content-type': 'text/csv' }));
    await api.retried(async () => {
      try {
        await api.call('PATCH', `${base}/${job.id}`, { state: 'UploadComplete' });
      } catch (error) {
        const info = await api.call<{ state: string }>('GET', `${base}/${job.id}`);
        if (info.state === 'Open') throw error;
      }
    });
    entry.state = 'UploadComplete';
    writer.touch();
    const final = await waitForJob(api, job.id);
    entry.state = final;
    writer.touch();
    if (final !== 'JobComplete') return undefined;
    api.stats.writes += csv.split('\n').length - 2;
    const get = (what: string) => api.retried(() => api.call<Array<Record<string, string>> | string>('GET', `${base}/${job.id}/${what}`)).then(asRows);
    const [successful, failed, unprocessed] = await Promise.all([get('successfulResults'), get('failedResults'), get('unprocessedrecords')]);
    return { successful, failed, unprocessed };
  } catch {
    if (entry && entry.state === 'Open') {
      // Never leave an open job behind: abort it (best effort).
      await api.call('PATCH', `${base}/${entry.id}`, { state: 'Aborted' }).then(() => (entry!.state = 'Aborted')).catch(() => undefined);
    }
    return undefined;
  }
}

export async function waitForJob(api: OrgApi, id: string): Promise<string> {
  let interval = 150;
  for (;;) {
    const info = await api.retried(() => api.call<{ state: string }>('GET', `${api.base}/jobs/ingest/${id}`));
    if (FINAL.has(info.state)) return info.state;
    await sleep(interval);
    interval = Math.min(2000, Math.round(interval * 1.6));
  }
}

/** jsforce parses text/csv bodies into objects; a string body (other content type) is parsed here. */
function asRows(body: Array<Record<string, string>> | string): Array<Record<string, string>> {
  if (Array.isArray(body)) return body;
  if (!body?.trim()) return [];
  const lines = body.replace(/\r\n/g, '\n').split('\n').filter(Boolean);
  const header = splitCsvLine(lines[0]);
  return lines.slice(1).map((line) => {
    const values = splitCsvLine(line);
    return Object.fromEntries(header.map((h, i) => [h, values[i] ?? '']));
  });
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}
