/**
 * Durable private files for local state the safety of an org write depends on (run journals, org locks,
 * assignment snapshots): written to a temp file (0600), fsynced, renamed over the old one, folder fsynced,
 * so that once the call returns the file survives a crash or power cut. A failure is a StateWriteError
 * naming the file, the OS error and what had (not) been done in the org.
 */
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { OmniError } from './errors.ts';

/** A local state file could not be written (exit 1). `done` says what happened in the org by then. */
export class StateWriteError extends OmniError {
  readonly file: string;
  constructor(file: string, error: unknown, done: string, actions: string[]) {
    const e = error as NodeJS.ErrnoException;
    super(`Could not write ${file}: ${e?.code ?? 'error'} (${(e?.message ?? String(error)).replace(/^[A-Z]+: /, '')}). ${done}`, {
      name: 'StateWriteFailed',
      cause: error,
      actions,
      data: { file, code: e?.code ?? null },
    });
    this.file = file;
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
