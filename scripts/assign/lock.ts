/**
 * One writing run per org at a time: `.omni/locks/<org>.lock` at the project root (0600), created with
 * O_EXCL and holding the PID, host, run id and command of its owner. A second `omni assign apply|resume|undo`
 * or `omni setup` on the same org is refused with the running run named (or waits with `--wait`); a lock
 * whose process is gone (killed, crashed) is taken over with a warning. The lock is written and synced
 * before any org write, like the journal.
 */
import { closeSync, fsyncSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { catalogueError, warningText } from '../lib/messages.ts';
import { omniRoot } from './journal.ts';
import { stateWriteError } from '../lib/state-file.ts';
import { mkdirSync } from 'node:fs';
import { omniCommandLine } from '../lib/io.ts';

export interface LockOwner {
  pid: number;
  host: string;
  runId: string;
  command: string;
  org: string;
  startedAt: string;
}

export interface OrgLock {
  file: string;
  owner: LockOwner;
  /** Removes the lock if it is still ours (idempotent, synchronous: safe in exit paths). */
  release(): void;
}

export interface LockOptions {
  /** Org id (or instance URL when the id is unknown) — the lock's key. */
  org: string;
  /** For messages: how the user named the org. */
  label: string;
  runId: string;
  command: string;
  /** Wait for a running run to finish instead of refusing (polls every `pollMs`). */
  wait?: boolean;
  pollMs?: number;
  warn?: (message: string) => void;
  /** How the user runs omni (`omni`, `sf omni`), for the resume hint. */
  commandPrefix?: string;
  /** Called once when waiting starts. */
  onWait?: (owner: LockOwner) => void;
  /** Stops waiting when set (a signal arrived). */
  signal?: { stopping: boolean };
}

export function lockPath(cwd: string, org: string): string {
  const key = org.replace(/^https?:\/\//, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'org';
  return path.join(omniRoot(cwd), '.omni', 'locks', `${key}.lock`);
}

/** Whether a process with this PID exists on this machine (EPERM: it exists, owned by someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the org's lock or throws RunInProgress (exit 1); with `wait`, waits for it. */
export async function acquireOrgLock(cwd: string, options: LockOptions): Promise<OrgLock> {
  const file = lockPath(cwd, options.org);
  const rel = path.relative(cwd, file) || file;
  const owner: LockOwner = { pid: process.pid, host: hostname(), runId: options.runId, command: options.command, org: options.org, startedAt: new Date().toISOString() };
  let waiting = false;
  for (;;) {
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(owner));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        file,
        owner,
        release() {
          if (released) return;
          released = true;
          if (readOwner(file)?.runId === owner.runId && readOwner(file)?.pid === owner.pid) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw stateWriteError(rel, error);
      }
    }
    const current = readOwner(file);
    const stale = !current || (current.host === owner.host && !alive(current.pid));
    if (stale) {
      options.warn?.(
        current
          ? warningText('LockTakenOver', [rel, current.runId, current.command, current.pid, current.startedAt, omniCommandLine(options, `assign resume ${current.runId}`)])
          : warningText('LockTakenOver.unreadable', [rel]),
      );
      rmSync(file, { force: true });
      continue;
    }
    if (!options.wait) {
      throw catalogueError('RunInProgress', {
        tokens: [options.label, current.runId, omniCommandLine(options, current.command), current.pid, current.host, current.startedAt],
        actionTokens: [rel],
        data: { lock: rel, owner: current },
      });
    }
    if (!waiting) {
      waiting = true;
      options.onWait?.(current);
    }
    if (options.signal?.stopping) throw catalogueError('Interrupted', { variant: 'waiting' });
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
}
