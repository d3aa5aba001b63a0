/**
 * Durable private files for local state the safety of an org write depends on (run journals, org locks,
 * assignment snapshots): written to a temp file (0600), fsynced, renamed over the old one, folder fsynced,
 * so that once the call returns the file survives a crash or power cut. A failure is a StateWriteFailed
 * error (`stateWriteError`) naming the file, the OS error and what had (not) been done in the org. The
 * folders a command will write are probed before it sends anything (`assertStateWritable`); files a
 * command is asked to write (exports, reports, source files) fail as OutputWriteFailed (`outputWriteError`,
 * `assertOutputWritable`).
 */
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { OmniError } from './errors.ts';
import { catalogueError } from './messages.ts';

/**
 * StateWriteFailed (exit 1): the local state file `file` could not be written. The variant says what
 * happened in the org by then: none, nothing was sent; `snapshot`, nothing was deployed; `midRun` and
 * `midRunStale`, an assignment run stopped sending (tokens: done, subjects, not done; action tokens: the
 * resume and undo commands); `deploySent` and `checkOnlySent`, the deployment (check-only) was sent
 * before its record could be saved (token: the job id; action token: the report command);
 * `recordSettings`, no record setting was written; `recordSettingsSent`, they were (tokens: updated, failed)
 * and the journal on disk still lists them as pending.
 */
export function stateWriteError(
  file: string,
  error: unknown,
  what: { variant?: 'snapshot' | 'midRun' | 'midRunStale' | 'deploySent' | 'checkOnlySent' | 'recordSettings' | 'recordSettingsSent'; tokens?: Array<string | number>; actionTokens?: string[] } = {},
): OmniError {
  const e = error as NodeJS.ErrnoException;
  return catalogueError('StateWriteFailed', {
    variant: what.variant,
    tokens: [file, e?.code ?? 'error', (e?.message ?? String(error)).replace(/^[A-Z]+: /, ''), ...(what.tokens ?? [])],
    actionTokens: what.actionTokens,
    cause: error,
    data: { file, code: e?.code ?? null },
  });
}

/**
 * Checks, before anything is sent to the org, that the state folder `dir` (absolute) takes new files the
 * way the command will write them: creates it (0700) and writes, syncs and removes a probe file. Run as
 * root, permission bits alone deny nothing, but a read-only file system or a file in the folder's place
 * still fails here. Throws StateWriteFailed ("Nothing was sent to the org") naming `shown`, the folder as
 * the user sees it (project-relative).
 */
export function assertStateWritable(dir: string, shown: string): void {
  const probe = path.join(dir, `.probe.${process.pid}`);
  try {
    // Not synced: the probe is removed at once, and a deploy or a suite pays no fsync for it.
    writePrivateFileSync(probe, '', { sync: false });
    rmSync(probe, { force: true });
  } catch (error) {
    throw stateWriteError(shown, error);
  }
}

/**
 * OutputWriteFailed (exit 1): the file `shown` a command was asked to write (an export, a report, a
 * generated, retrieved or imported source file) could not be written; nothing was written there and any
 * earlier version is intact (writes are atomic). An OmniError is returned as it is.
 */
export function outputWriteError(shown: string, error: unknown): OmniError {
  // Already a catalogue error (IllFormedOutput from a write's check): it says more than this one.
  if (error instanceof OmniError) return error;
  const e = error as NodeJS.ErrnoException;
  return catalogueError('OutputWriteFailed', {
    tokens: [shown, e?.code ?? 'error', (e?.message ?? String(error)).replace(/^[A-Z]+: /, '')],
    cause: error,
    data: { file: shown, code: e?.code ?? null },
  });
}

/**
 * Checks, before the org is read, that the file `absolute` can be written where it is asked for: creates
 * its folder and writes and removes a probe file beside it (so a long read never ends in a failed write
 * for want of permission). Throws OutputWriteFailed naming `shown`.
 */
export function assertOutputWritable(absolute: string, shown: string): void {
  const probe = path.join(path.dirname(absolute), `.${path.basename(absolute)}.${process.pid}.probe`);
  try {
    mkdirSync(path.dirname(absolute), { recursive: true });
    closeSync(openSync(probe, 'w', 0o600));
    rmSync(probe, { force: true });
  } catch (error) {
    throw outputWriteError(shown, error);
  }
}

/**
 * Writes `content` to `file` atomically; durably (fsync of the data and the folder) unless `sync: false`
 * — for progress updates whose loss a crash can afford (the journal's periodic saves: resume re-reads the
 * org). The folder is created 0700. Throws the OS error.
 */
export function writePrivateFileSync(file: string, content: string, options: { sync?: boolean } = {}): void {
  const sync = options.sync !== false;
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w', 0o600);
    fchmodSync(fd, 0o600);
    const data = Buffer.from(content);
    for (let off = 0; off < data.length; ) off += writeSync(fd, data, off);
    if (sync) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  // The rename must survive a power cut too (best effort: not every platform can fsync a folder).
  if (!sync) return;
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // not supported here
  }
}
