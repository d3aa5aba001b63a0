/**
 * The run journal `.omni/runs/<runId>.json`: written before the first write with the prior state of every
 * user and profile the run may touch, then kept up to date with each completed step. It holds usernames,
 * so the folder is 0700 and the file 0600; writes are atomic (temp file + rename) so a crash or SIGKILL
 * leaves either the previous or the next version, never half a file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogueError } from '../lib/messages.ts';
import { findProjectRoot } from '../metadata/project.ts';
import { writePrivateFileSync } from '../lib/state-file.ts';
import type { SubjectKind } from './plan.ts';
import { commandPrefix } from '../lib/io.ts';

/** 'compensated' only appears in journals written before moves became atomic (read as not done). */
export type SubjectStatus = 'pending' | 'done' | 'failed' | 'compensated';
export type RunStatus = 'running' | 'completed' | 'partial' | 'interrupted' | 'failed';

export interface JournalSubject {
  kind: SubjectKind;
  id: string;
  name: string;
  /** Configuration Id held before the run (null: none). */
  prior: string | null;
  target: string | null;
  status: SubjectStatus;
}

export interface JournalFailure {
  kind: SubjectKind;
  id: string;
  name: string;
  configuration: string | null;
  errorCode: string;
  message: string;
}

export interface Journal {
  version: 1;
  runId: string;
  command: 'apply' | 'undo';
  createdAt: string;
  updatedAt: string;
  status: RunStatus;
  org: { orgId: string; username: string; instanceUrl: string; label: string };
  /** The assignment file or flags the run came from. */
  source: string;
  undoOf?: string;
  /** Configuration Id → developer name, for messages and undo. */
  configs: Record<string, string>;
  subjects: JournalSubject[];
  steps: Array<{ at: string; op: string; object: string; records: number; ok: number; failed: number; error?: string }>;
  bulkJobs: Array<{ id: string; object: string; operation: string; state: string }>;
  failures: JournalFailure[];
  resumes: Array<{ at: string; status: RunStatus }>;
}

/**
 * The folder holding the project's local state: the project root (sfdx-project.json) at or above `cwd`,
 * so journals and locks are the same wherever in the project a command runs; `cwd` outside a project.
 */
export function omniRoot(cwd: string): string {
  try {
    return findProjectRoot(cwd);
  } catch {
    return path.resolve(cwd);
  }
}

export function runsDir(cwd: string): string {
  return path.join(omniRoot(cwd), '.omni', 'runs');
}

export function newRunId(label: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  const org = label.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 60) || 'org';
  return `${stamp}-${org}`;
}

export function journalPath(cwd: string, runId: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(runId) || runId.includes('..')) {
    throw catalogueError('InvalidRunId', { tokens: [runId], actionTokens: [path.join('.omni', 'runs')] });
  }
  return path.join(runsDir(cwd), `${runId}.json`);
}

/** `sync: false` for periodic progress saves (atomic, not fsynced); every other write is durable. */
export function writeJournalNow(cwd: string, journal: Journal, options: { sync?: boolean } = {}): void {
  journal.updatedAt = new Date().toISOString();
  writePrivateFileSync(journalPath(cwd, journal.runId), JSON.stringify(journal), options);
}

export function readJournal(cwd: string, runId: string): Journal {
  const file = journalPath(cwd, runId.replace(/\.json$/, ''));
  if (!existsSync(file)) {
    const known = existsSync(runsDir(cwd)) ? readdirSync(runsDir(cwd)).filter((f) => f.endsWith('.json')).slice(-5).map((f) => f.replace(/\.json$/, '')) : [];
    const tokens = [runId, path.join('.omni', 'runs')];
    throw known.length ? catalogueError('RunNotFound', { tokens, actionTokens: [known.join(', ')] }) : catalogueError('RunNotFound', { variant: 'noRuns', tokens, actionTokens: [commandPrefix()] });
  }
  try {
    const journal = JSON.parse(readFileSync(file, 'utf8')) as Journal;
    if (journal.version !== 1 || !Array.isArray(journal.subjects)) throw new Error('unknown journal version');
    return journal;
  } catch (error) {
    throw catalogueError('JournalCorrupt', { tokens: [`${path.join('.omni', 'runs', runId)}.json`, (error as Error).message], cause: error });
  }
}

/**
 * Coalesces frequent updates into at most one write per interval; `flush` writes now. A failed background
 * write never crashes the process: it is kept in `error` and reported through `onError` (the engine then
 * stops sending), and the next `flush` throws it as a StateWriteFailed error.
 */
export class JournalWriter {
  readonly journal: Journal;
  private readonly cwd: string;
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  error: unknown;
  onError: ((error: unknown) => void) | undefined;

  constructor(cwd: string, journal: Journal, intervalMs = 150) {
    this.cwd = cwd;
    this.journal = journal;
    this.intervalMs = intervalMs;
  }

  touch(): void {
    if (this.timer || this.error) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        // Progress only: atomic but not fsynced (a crash that loses it costs a re-read on resume, nothing more).
        writeJournalNow(this.cwd, this.journal, { sync: false });
      } catch (error) {
        this.error = error;
        this.onError?.(error);
      }
    }, this.intervalMs);
  }

  /** Writes now; throws the OS error (first the one a background write met, if any). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    writeJournalNow(this.cwd, this.journal);
    this.error = undefined;
  }

  get file(): string {
    return journalPath(this.cwd, this.journal.runId);
  }
}
