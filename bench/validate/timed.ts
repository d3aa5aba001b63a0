/**
 * One whole process timed by GNU time (`/usr/bin/time -f "%e %M %U %S"`), for the validate benches (scale.ts,
 * outputs.ts): wall seconds, user + system CPU seconds and peak RSS, with CI=true in its environment (no progress
 * output) and its output discarded.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Sample {
  /** Wall seconds. */
  wall: number;
  /** user + system CPU seconds: less disturbed than wall by other work on a shared machine. */
  cpu: number;
  /** Peak resident set size, MiB (GNU time's KB / 1024). */
  peakMiB: number;
  /** The process's exit code (null when a signal ended it). */
  code: number | null;
}

/** Runs `command` (program and arguments) in `cwd` under GNU time. */
export function timed(command: string[], cwd: string): Sample {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'omni-time-')), 'time');
  const run = spawnSync('/usr/bin/time', ['-o', out, '-f', '%e %M %U %S', ...command], { cwd, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
  const [wall, kb, user, system] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  rmSync(path.dirname(out), { recursive: true, force: true });
  return { wall, cpu: user + system, peakMiB: kb / 1024, code: run.status };
}
