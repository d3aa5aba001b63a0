/**
 * Brings every pending subject of a journal (user or profile) to its target configuration, safely:
 *
 * - The junction rows can't be updated, so a move is delete-old plus create-new. Both go into ONE REST
 *   Composite request (`allOrNone: true`) per chunk of up to 200 subjects: an sObject Collections DELETE and
 *   an sObject Collections POST that the org applies or rolls back together. A subject is therefore always
 *   on its prior or its target configuration — also when the process is killed between two requests.
 * - Creates alone and removes alone go through plain sObject Collections (200 records a call, a few chunks
 *   in flight); large runs of them through Bulk API 2.0 first (moves never) and what it leaves undone
 *   through Collections.
 * - Bounded progress: a chunk has an attempt budget; every round that settles no subject (a transient
 *   error, a rolled-back composite, an ambiguous answer) spends one. Ambiguous answers (a dropped
 *   connection) are resolved by one batched re-read of the chunk's rows, never by blind retries. A chunk
 *   that exhausts its budget is reported failed (RETRIES_EXHAUSTED, exit 68) and stays resumable.
 * - A 401 no token refresh can cure stops the whole run at once (SessionLost), journal kept.
 * - A subject whose rows hold a configuration that is neither its prior nor its target was changed by
 *   someone else meanwhile: it is reported, not overwritten.
 */
import { backoffMs, classifyError, errorInfo, isTransientCode, SessionLost, sleep, type OrgApi, type SaveResult } from './api.ts';
import type { JournalFailure, JournalSubject, JournalWriter } from './journal.ts';
import { ensureServiceResources, memberSubject, splitMemberSubject, splitSkillValue } from './membership.ts';
import { rereadRows } from './reread.ts';
import type { JunctionRow } from './resolve.ts';
import type { SubjectKind } from './plan.ts';
import { messageText } from '../lib/messages.ts';

export interface ExecuteOptions {
  concurrency?: number;
  chunkSize?: number;
  /** Above this many writes, Bulk API 2.0 ingest is used first (creates and removes only). */
  bulkThreshold?: number;
  /** Rounds without progress a chunk may spend before it is reported failed (default 8). */
  attempts?: number;
  /** Set by the signal handler: start no new request. */
  signal?: { stopping: boolean };
  onProgress?: (done: number, total: number) => void;
  /** Known current rows (from the plan) so the first round needs no read. */
  known?: Partial<Record<SubjectKind, Map<string, JunctionRow[]>>>;
}

export interface ExecuteResult {
  done: number;
  failed: JournalFailure[];
  pending: number;
  interrupted: boolean;
}

/**
 * The junction object of each subject kind: `field` points at the subject (user, profile, member user),
 * `valueField` at what it holds (configuration or queue). A membership subject id is `<userId>:<queueId>`.
 */
const OBJECT: Record<SubjectKind, { object: string; field: string; valueField: string }> = {
  user: { object: 'PresenceUserConfigUser', field: 'UserId', valueField: 'PresenceUserConfigId' },
  profile: { object: 'PresenceUserConfigProfile', field: 'ProfileId', valueField: 'PresenceUserConfigId' },
  queueMember: { object: 'GroupMember', field: 'UserOrGroupId', valueField: 'GroupId' },
  // A skill subject is `<userId>:<skillId>`; its rows are written against the user's ServiceResource.
  skill: { object: 'ServiceResourceSkill', field: 'ServiceResourceId', valueField: 'SkillId' },
};
/** Subjects are written profiles first, then users, then queue memberships, then skills. */
const KINDS: readonly SubjectKind[] = ['profile', 'user', 'queueMember', 'skill'];
/** Kinds Bulk API 2.0 may write (skills go through Collections: their rows need the agent's resource first). */
const BULK_KINDS: readonly SubjectKind[] = ['profile', 'user', 'queueMember'];

/** The new row a subject needs to hold `goal`. */
function newRecord(kind: SubjectKind, subjectId: string, goal: string, resources: Map<string, string>): Record<string, unknown> {
  const { object, field, valueField } = OBJECT[kind];
  if (kind !== 'skill') return { attributes: { type: object }, [valueField]: goal, [field]: subjectRef(kind, subjectId) };
  const { skillId, level } = splitSkillValue(goal);
  return { attributes: { type: object }, ServiceResourceId: resources.get(splitMemberSubject(subjectId).userId), SkillId: skillId, SkillLevel: level, EffectiveStartDate: new Date().toISOString() };
}

/** The value of `field` in a new row: the subject id, or the user part of a membership subject. */
const subjectRef = (kind: SubjectKind, id: string) => (kind === 'queueMember' || kind === 'skill' ? splitMemberSubject(id).userId : id);
/** The subject a result row (Bulk CSV) belongs to. */
const subjectOfRow = (kind: SubjectKind, row: Record<string, string>) => (kind === 'queueMember' ? memberSubject(row[OBJECT[kind].field], row[OBJECT[kind].valueField]) : row[OBJECT[kind].field]);

/** Errors meaning "that row is already gone": the state is re-read rather than trusted. */
const GONE = new Set(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY', 'INVALID_ID_FIELD']);
const DUPLICATE = new Set(['DUPLICATE_VALUE', 'DUPLICATES_DETECTED', 'FIELD_INTEGRITY_EXCEPTION_DUPLICATE']);
/** A record that did nothing wrong itself: its request was rolled back because of another one. */
const ROLLED_BACK = new Set(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'PROCESSING_HALTED']);

interface Work {
  s: JournalSubject;
  goal: string | null;
  /** Known rows; undefined = must be re-read before acting. */
  rows: JunctionRow[] | undefined;
  finished: boolean;
}

export async function executeJournal(api: OrgApi, writer: JournalWriter, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const journal = writer.journal;
  const signal = options.signal ?? { stopping: false };
  const chunkSize = options.chunkSize ?? 200;
  const concurrency = options.concurrency ?? 5;
  const attempts = options.attempts ?? 8;
  const configName = (id: string | null) => (id ? (journal.configs[id] ?? id) : null);
  const pendingSubjects = journal.subjects.filter((s) => s.status !== 'done');
  journal.failures = journal.failures.filter((f) => !pendingSubjects.some((s) => s.kind === f.kind && s.id === f.id));
  const total = pendingSubjects.length;
  let doneCount = 0;
  const works: Work[] = pendingSubjects.map((s) => ({ s, goal: s.target, rows: options.known?.[s.kind]?.get(s.id) ?? (options.known?.[s.kind] ? [] : undefined), finished: false }));

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
      finish(w, 'failed', { configuration: configName(w.s.target), errorCode: 'CONCURRENT_CHANGE', message: messageText('assign-output', 'execute.concurrentChange', [configName(foreign), configName(w.s.prior) ?? messageText('assign-output', 'none')]) });
      return;
    }
    const matches = w.goal === null ? configs.length === 0 : configs.length === 1 && configs[0] === w.goal;
    if (matches) finish(w, 'done');
  };
  /** A permanent error for this subject: it keeps what it has (its prior: moves are atomic), reported. */
  const fail = (w: Work, code: string, message: string) => finish(w, 'failed', { configuration: configName(w.s.target), errorCode: code, message });

  // Bulk API 2.0 for large runs of creates and removes: one delete job and one insert job per object. Moves
  // never go through Bulk: between a delete job and an insert job every moved user would hold nothing.
  const writes = works.reduce((n, w) => n + (w.rows === undefined ? 1 : isMove(w) ? 0 : w.rows.filter((r) => r.configId !== w.goal).length + (w.goal && !w.rows.some((r) => r.configId === w.goal) ? 1 : 0)), 0);
  if (writes > (options.bulkThreshold ?? 2000) && !signal.stopping) {
    for (const kind of BULK_KINDS) {
      const ws = works.filter((w) => w.s.kind === kind && !w.finished);
      if (ws.length && !signal.stopping) await bulkPass(api, writer, kind, ws, { settle, fail, step, signal });
    }
  }

  // Skills are rows of the agent's ServiceResource: make sure every agent who gains a skill has one.
  const resources = new Map<string, string>();
  const gaining = works.filter((w) => w.s.kind === 'skill' && !w.finished && w.goal !== null);
  if (gaining.length && !signal.stopping) {
    const found = await ensureServiceResources(api, gaining.map((w) => ({ userId: splitMemberSubject(w.s.id).userId, name: w.s.name.split(' → ')[0] })));
    for (const [user, resource] of found) resources.set(user, resource);
    step('resources', 'skill', gaining.length, found.size, 0);
  }

  // Collections and Composite: chunks of one kind, moves together so one composite carries 200 of them.
  const order = (w: Work) => (w.rows === undefined ? 3 : w.rows.length && w.goal ? 2 : w.rows.length ? 1 : 0);
  const queue: Work[][] = [];
  for (const kind of KINDS) {
    const ws = works.filter((w) => w.s.kind === kind && !w.finished).sort((a, b) => order(a) - order(b));
    for (let i = 0; i < ws.length; i += chunkSize) queue.push(ws.slice(i, i + chunkSize));
  }
  let lost: SessionLost | undefined;
  const worker = async () => {
    for (;;) {
      if (signal.stopping) return;
      const chunk = queue.shift();
      if (!chunk) return;
      try {
        await runChunk(api, chunk[0].s.kind, chunk, { attempts, signal, settle, fail, step, resources });
      } catch (error) {
        if (!(error instanceof SessionLost)) throw error;
        lost ??= error;
        // No request of this run can succeed any more: the others stop too.
        signal.stopping = true;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  if (lost) throw lost;

  const pending = works.filter((w) => !w.finished).length;
  return { done: works.filter((w) => w.s.status === 'done').length, failed: journal.failures, pending, interrupted: signal.stopping && pending > 0 };
}

interface ChunkHooks {
  attempts: number;
  /** userId → ServiceResource Id, for skill rows. */
  resources: Map<string, string>;
  signal: { stopping: boolean };
  settle: (w: Work) => void;
  fail: (w: Work, code: string, message: string) => void;
  step: (op: string, kind: SubjectKind, records: number, ok: number, failed: number, error?: string) => void;
}

/**
 * One chunk to its goal: [re-read what is unknown] → one write (Composite for moves, Collections
 * otherwise) → settle, until every subject is settled, the budget is spent, or the run stops.
 */
async function runChunk(api: OrgApi, kind: SubjectKind, chunk: Work[], hooks: ChunkHooks): Promise<void> {
  const once = api.single();
  chunk.forEach(hooks.settle);
  let spent = 0;
  let lastError = '';
  while (spent < hooks.attempts) {
    const live = chunk.filter((w) => !w.finished);
    if (!live.length || hooks.signal.stopping) return;
    const settledBefore = live.length;
    let transient = false;

    const unknown = live.filter((w) => w.rows === undefined);
    if (unknown.length) {
      try {
        const rows = await rereadRows(once, kind, unknown.map((w) => w.s.id));
        for (const w of unknown) w.rows = rows.get(w.s.id) ?? [];
        hooks.step('reread', kind, unknown.length, unknown.length, 0);
        live.forEach(hooks.settle);
      } catch (error) {
        if (error instanceof SessionLost) throw error;
        const info = errorInfo(error);
        hooks.step('reread', kind, unknown.length, 0, unknown.length, info.code);
        lastError = `${info.code}: ${info.message}`;
        transient = true;
      }
    }

    const ready = live.filter((w) => !w.finished && w.rows !== undefined);
    // Every row that is not the goal (and any duplicate beyond the first) goes; the goal row comes.
    const deletions: Array<{ w: Work; rowId: string }> = [];
    const creations: Work[] = [];
    for (const w of ready) {
      let kept = false;
      for (const r of w.rows!) {
        if (r.configId === w.goal && !kept) kept = true;
        else deletions.push({ w, rowId: r.id });
      }
      if (!kept && w.goal !== null) creations.push(w);
    }
    const records = creations.map((w) => newRecord(kind, w.s.id, w.goal!, hooks.resources));

    if (!hooks.signal.stopping && (deletions.length || creations.length)) {
      try {
        if (deletions.length && creations.length) {
          // Atomic: the old rows go and the new ones come in one transaction, or nothing happens.
          const r = await api.moveMany(deletions.map((d) => d.rowId), records);
          if (r.committed) {
            for (const d of deletions) d.w.rows = d.w.rows!.filter((row) => row.id !== d.rowId);
            for (const [i, w] of creations.entries()) w.rows = [...(w.rows ?? []), { id: r.created[i].id!, configId: w.goal! }];
            hooks.step('move', kind, deletions.length + creations.length, deletions.length + creations.length, 0);
          } else {
            // Rolled back as a whole: nothing changed. Find the records that caused it.
            const culprits = rolledBack(deletions.map((d) => d.w), r.deleted, 'delete').concat(rolledBack(creations, r.created, 'create'));
            for (const c of culprits) {
              if (c.kind === 'gone') c.w.rows = undefined;
              else if (c.kind === 'transient') transient = true;
              else hooks.fail(c.w, c.code, c.w.s.prior ? messageText('assign-output', 'execute.notChanged.prior', [c.message]) : messageText('assign-output', 'execute.notChanged.none', [c.message]));
            }
            if (!culprits.length) transient = true;
            const code = culprits[0]?.code ?? 'ROLLED_BACK';
            hooks.step('move', kind, deletions.length + creations.length, 0, deletions.length + creations.length, code);
            lastError = `${code}: ${culprits[0]?.message ?? 'rolled back'}`;
          }
        } else if (deletions.length) {
          const results = await api.deleteMany(deletions.map((d) => d.rowId));
          let ok = 0;
          results.forEach((r, i) => {
            const d = deletions[i];
            if (!d) return;
            if (r.success) {
              ok++;
              d.w.rows = d.w.rows!.filter((row) => row.id !== d.rowId);
              return;
            }
            const code = r.errors[0]?.statusCode ?? 'UNKNOWN';
            if (GONE.has(code)) d.w.rows = undefined;
            else if (isTransientCode(code)) transient = true;
            else hooks.fail(d.w, code, r.errors[0]?.message ?? code);
          });
          hooks.step('delete', kind, deletions.length, ok, deletions.length - ok);
        } else {
          const results = await api.createMany(records);
          let ok = 0;
          results.forEach((r, i) => {
            const w = creations[i];
            if (!w) return;
            if (r.success && r.id) {
              ok++;
              w.rows = [{ id: r.id, configId: w.goal! }];
              return;
            }
            const code = r.errors[0]?.statusCode ?? 'UNKNOWN';
            if (DUPLICATE.has(code)) w.rows = undefined;
            else if (isTransientCode(code)) transient = true;
            else hooks.fail(w, code, r.errors[0]?.message ?? code);
          });
          hooks.step('create', kind, creations.length, ok, creations.length - ok);
        }
      } catch (error) {
        const cls = classifyError(error);
        if (cls === 'session') throw new SessionLost(errorInfo(error));
        const info = errorInfo(error);
        const op = deletions.length && creations.length ? 'move' : deletions.length ? 'delete' : 'create';
        hooks.step(op, kind, deletions.length + creations.length, 0, deletions.length + creations.length, info.code);
        lastError = `${info.code}: ${info.message}`;
        const touched = new Set<Work>([...deletions.map((d) => d.w), ...creations]);
        if (cls === 'transient') {
          // Ambiguous (the request may have been applied): re-read these subjects before anything else.
          for (const w of touched) w.rows = undefined;
          transient = true;
        } else for (const w of touched) hooks.fail(w, info.code, info.message);
      }
    }
    chunk.forEach(hooks.settle);
    const progressed = chunk.filter((w) => !w.finished).length < settledBefore;
    if (!progressed) {
      spent++;
      if (spent < hooks.attempts && !hooks.signal.stopping && (transient || chunk.some((w) => !w.finished))) await sleep(backoffMs(spent - 1, api.retry));
    }
  }
  for (const w of chunk) {
    if (w.finished) continue;
    hooks.fail(w, 'RETRIES_EXHAUSTED', messageText('assign-output', 'execute.retriesExhausted', [hooks.attempts, lastError || messageText('assign-output', 'execute.noAnswer')]));
  }
}

interface Culprit {
  w: Work;
  kind: 'gone' | 'transient' | 'permanent';
  code: string;
  message: string;
}

/** The records of a rolled-back Composite that failed on their own (not merely rolled back with the rest). */
function rolledBack(works: Work[], results: SaveResult[], op: 'delete' | 'create'): Culprit[] {
  const out: Culprit[] = [];
  results.forEach((r, i) => {
    const w = works[i];
    if (!w || r.success) return;
    const e = r.errors[0];
    const code = e?.statusCode ?? 'UNKNOWN';
    if (ROLLED_BACK.has(code)) return;
    const message = e?.message ?? code;
    if ((op === 'delete' && GONE.has(code)) || (op === 'create' && DUPLICATE.has(code))) out.push({ w, kind: 'gone', code, message });
    else if (isTransientCode(code)) out.push({ w, kind: 'transient', code, message });
    else out.push({ w, kind: 'permanent', code, message });
  });
  return out;
}

/** Holds a configuration other than its goal and none that is its goal: a delete-then-create. */
function isMove(w: Work): boolean {
  return w.goal !== null && w.rows !== undefined && w.rows.length > 0 && !w.rows.some((r) => r.configId === w.goal);
}

// ── Bulk API 2.0 ────────────────────────────────────────────────────────────

interface BulkHooks {
  settle: (w: Work) => void;
  fail: (w: Work, code: string, message: string) => void;
  step: ChunkHooks['step'];
  signal: { stopping: boolean };
}

async function bulkPass(api: OrgApi, writer: JournalWriter, kind: SubjectKind, works: Work[], hooks: BulkHooks): Promise<void> {
  const { object, field, valueField } = OBJECT[kind];
  const unknown = works.filter((w) => w.rows === undefined);
  if (unknown.length) {
    try {
      const rows = await rereadRows(api, kind, unknown.map((w) => w.s.id));
      for (const w of unknown) w.rows = rows.get(w.s.id) ?? [];
    } catch (error) {
      if (error instanceof SessionLost) throw error;
      return; // Collections re-reads per chunk.
    }
  }
  works.forEach(hooks.settle);
  // Moves are left to Collections (see executeJournal).
  const bulkable = works.filter((w) => !w.finished && !isMove(w));
  const byRow = new Map<string, Work>();
  for (const w of bulkable) for (const r of w.rows ?? []) if (r.configId !== w.goal) byRow.set(r.id, w);
  if (byRow.size) {
    const result = await runBulkJob(api, writer, object, 'delete', 'Id\n' + [...byRow.keys()].join('\n') + '\n', hooks.signal);
    if (!result) for (const w of byRow.values()) w.rows = undefined;
    else if (result.everySucceeded) {
      for (const [rowId, w] of byRow) w.rows = w.rows?.filter((row) => row.id !== rowId);
      hooks.step('bulk-delete', kind, byRow.size, byRow.size, 0);
    } else {
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
  if (hooks.signal.stopping) return;
  const creates = bulkable.filter((w) => !w.finished && w.rows !== undefined && w.rows.length === 0 && w.goal !== null);
  if (creates.length) {
    const byId = new Map(creates.map((w) => [w.s.id, w]));
    const csv = `${valueField},${field}\n` + creates.map((w) => `${w.goal},${subjectRef(kind, w.s.id)}`).join('\n') + '\n';
    const result = await runBulkJob(api, writer, object, 'insert', csv, hooks.signal);
    if (!result) for (const w of creates) w.rows = undefined;
    else if (result.everySucceeded) {
      // Every row was inserted (the job's counts say so) but their Ids were not fetched: the subject holds its
      // goal and is settled below, so the row's Id is never needed again in this run (undo and resume re-read).
      for (const w of creates) w.rows = [{ id: '', configId: w.goal! }];
      hooks.step('bulk-insert', kind, creates.length, creates.length, 0);
    } else {
      for (const r of result.successful) {
        const w = byId.get(subjectOfRow(kind, r));
        if (w && r.sf__Id) w.rows = [{ id: r.sf__Id, configId: w.goal! }];
      }
      for (const r of result.failed) {
        const w = byId.get(subjectOfRow(kind, r));
        if (!w) continue;
        const [code, ...rest] = (r.sf__Error ?? 'UNKNOWN').split(':');
        if (DUPLICATE.has(code) || isTransientCode(code)) w.rows = undefined;
        else hooks.fail(w, code, rest.join(':').trim() || code);
      }
      for (const r of result.unprocessed) {
        const w = byId.get(subjectOfRow(kind, r));
        if (w) w.rows = undefined;
      }
      hooks.step('bulk-insert', kind, creates.length, result.successful.length, creates.length - result.successful.length);
    }
  }
  works.forEach(hooks.settle);
}

interface BulkResult {
  /**
   * The job reports every uploaded record processed and none failed (numberRecordsProcessed = uploaded,
   * numberRecordsFailed = 0): every record succeeded, and no result set was fetched (all three lists empty).
   */
  everySucceeded: boolean;
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
export async function runBulkJob(api: OrgApi, writer: JournalWriter, object: string, operation: 'insert' | 'delete', csv: string, signal?: { stopping: boolean }): Promise<BulkResult | undefined> {
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
    // Kept with the journal's next write, not written for itself: a resume asks the org for the state of
    // every job the journal names that is not final (Open and UploadComplete alike), so writing the whole
    // journal (1.5 MB at 10,000 subjects) just for this would only delay the first poll.
    entry.state = 'UploadComplete';
    const uploaded = csv.split('\n').length - 2;
    const info = await waitForJobInfo(api, job.id, signal, uploaded);
    const final = info.state;
    entry.state = final;
    writer.touch();
    if (final !== 'JobComplete') return undefined;
    api.stats.writes += uploaded;
    // The job's own counts say when there is nothing to fetch (Bulk API 2.0 job info: numberRecordsProcessed
    // counts failed records too, so processed = uploaded with none failed means every record succeeded).
    // Then no result set is fetched at all: the journal keeps subjects, not row Ids (undo and resume re-read
    // the rows), so successfulResults — 10,000 rows of CSV to download and parse — would only cost time.
    if (info.numberRecordsFailed === 0 && info.numberRecordsProcessed === uploaded) return { everySucceeded: true, successful: [], failed: [], unprocessed: [] };
    const get = (what: string) => api.retried(() => api.call<Array<Record<string, string>> | string>('GET', `${base}/${job.id}/${what}`, undefined, {}, { text: true })).then(asRows);
    const none = Promise.resolve<Array<Record<string, string>>>([]);
    const [successful, failed, unprocessed] = await Promise.all([
      get('successfulResults'),
      info.numberRecordsFailed === 0 ? none : get('failedResults'),
      info.numberRecordsProcessed === uploaded ? none : get('unprocessedrecords'),
    ]);
    return { everySucceeded: false, successful, failed, unprocessed };
  } catch {
    if (entry && entry.state === 'Open') {
      // Never leave an open job behind: abort it (best effort).
      await api.call('PATCH', `${base}/${entry.id}`, { state: 'Aborted' }).then(() => (entry!.state = 'Aborted')).catch(() => undefined);
    }
    return undefined;
  }
}

/** Polls a job until it is final; stops (throws) as soon as the run is stopping — resume waits for it then. */
export async function waitForJob(api: OrgApi, id: string, signal?: { stopping: boolean }): Promise<string> {
  return (await waitForJobInfo(api, id, signal)).state;
}

/** A Bulk API 2.0 ingest job's info, as far as we read it. */
interface IngestJobInfo {
  state: string;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
}

/**
 * waitForJob with the final job info (its record counts tell which result sets are empty). The first poll
 * goes out at once for a job found in a journal (it may be done), 150 ms after the close for a job just
 * closed (a poll then finds nothing done); later ones back off from 150 ms (×1.6, at most 2 s) — or, once
 * two polls have seen records processed, are timed by `nextPollMs` for when the rest should be done at the
 * rate seen between them, so a long job costs a few polls rather than one every 2 s.
 */
async function waitForJobInfo(api: OrgApi, id: string, signal?: { stopping: boolean }, records?: number): Promise<IngestJobInfo> {
  let interval = 150;
  const samples: PollSample[] = [];
  const closedAt = records === undefined ? undefined : performance.now();
  if (records !== undefined) await sleep(interval);
  for (;;) {
    if (signal?.stopping) throw new Error(`stopped while Bulk job ${id} runs`);
    const sent = performance.now();
    const info = await api.retried(() => api.call<IngestJobInfo>('GET', `${api.base}/jobs/ingest/${id}`));
    if (FINAL.has(info.state)) return info;
    // The org counted somewhere between the request and its answer: the midpoint is the best guess of when.
    samples.push({ at: (sent + performance.now()) / 2, processed: info.numberRecordsProcessed ?? 0 });
    const wait = nextPollMs(samples, records, interval, closedAt);
    // Stop waiting as soon as the run is stopping (the signal is checked between short sleeps).
    for (let slept = 0; slept < wait && !signal?.stopping; slept += 250) await sleep(Math.min(250, wait - slept));
    interval = Math.min(2000, Math.round(interval * 1.6));
  }
}

/** One poll of a running job: when the org answered it (ms, `performance.now()` clock) and the records processed by then. */
export interface PollSample {
  at: number;
  processed: number;
}

/**
 * Milliseconds until the next poll of an ingest job of `records` records, after the polls in `samples`.
 * With a rate — two polls that saw records processed, with progress between them — the next poll comes a
 * fifth after the rest should be done at that rate (one poll that finds the job done beats two around its
 * end), 150 ms to 10 s away. Without one, the backoff `interval` — or sooner, when one poll has seen records
 * processed since the close (`closedAt`, same clock) and the rest should be done before the interval is out
 * even at the rate since the close. That rate counts the job's start and the poll's round trip as processing
 * time, so it is too slow: a wait from it overshoots several times on a fast job and is only ever used to
 * shorten the backoff, never to lengthen it.
 */
export function nextPollMs(samples: readonly PollSample[], records: number | undefined, interval: number, closedAt?: number): number {
  const seen = samples.filter((s) => s.processed > 0);
  const first = seen[0];
  const last = seen.at(-1);
  if (records && first && seen.length === 1 && closedAt !== undefined && first.at > closedAt) {
    const eta = (Math.max(0, records - first.processed) * (first.at - closedAt)) / first.processed;
    return Math.max(50, Math.min(interval, Math.round(eta * 1.2)));
  }
  if (!records || !first || !last || last.processed <= first.processed || last.at <= first.at) return interval;
  const rate = (last.processed - first.processed) / (last.at - first.at);
  const eta = Math.max(0, records - last.processed) / rate;
  return Math.min(10_000, Math.max(150, Math.round(eta * 1.2)));
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
