/**
 * One server per state file [F-50]: `<stateFile>.lock` (mode 0600) holds the owning process id and,
 * once it listens, its port. A second start on the same file is refused while the owner lives; a lock
 * left by a process that is gone is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Thrown when another live local org holds the state file. */
export class StateFileInUse extends Error {
  readonly stateFile: string;
  readonly pid: number;
  readonly port?: number;
  constructor(stateFile: string, pid: number, port: number | undefined) {
    super(
      port
        ? `The state file ${stateFile} is in use by the local org running on port ${port} (http://127.0.0.1:${port}, process ${pid}).`
        : `The state file ${stateFile} is in use by a local org that is starting (process ${pid}).`,
    );
    this.name = 'StateFileInUse';
    this.stateFile = stateFile;
    this.pid = pid;
    this.port = port;
  }
}

interface LockContent {
  pid: number;
  port?: number;
  startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function read(path: string): LockContent | undefined {
  try {
    const content = JSON.parse(readFileSync(path, 'utf8')) as LockContent;
    return typeof content.pid === 'number' ? content : undefined;
  } catch {
    return undefined;
  }
}

/** A held lock: record the port once listening, release on stop. */
export interface StateLock {
  setPort(port: number): void;
  release(): void;
}

/**
 * Takes the lock of `stateFile`. Throws StateFileInUse when a live process (this one included: a
 * second server in the same process is refused too) holds it.
 */
export function lockStateFile(stateFile: string): StateLock {
  const path = `${stateFile}.lock`;
  const mine: LockContent = { pid: process.pid, startedAt: new Date().toISOString() };
  // The state's folder holds usernames: created private, as the store creates it.
  mkdirSync(dirname(stateFile), { recursive: true, mode: 0o700 });
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(mine));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const held = read(path);
      if (held && alive(held.pid)) throw new StateFileInUse(stateFile, held.pid, held.port);
      // Stale (its process is gone, or unreadable): take it over.
      unlinkSync(path);
    }
  }
  let released = false;
  const onExit = () => release();
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', onExit);
    const held = read(path);
    if (held?.pid === mine.pid && held.startedAt === mine.startedAt) {
      try {
        unlinkSync(path);
      } catch {
        // Already gone.
      }
    }
  };
  process.on('exit', onExit);
  return {
    setPort(port) {
      mine.port = port;
      writeFileSync(`${path}.tmp`, JSON.stringify(mine), { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
    },
    release,
  };
}
