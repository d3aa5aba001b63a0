/**
 * A child process run to its end with its output collected: the one way tests start a process whose output they
 * read (the sf CLI, the bin, `script`), with a deadline after which it is killed.
 */
import { spawn } from 'node:child_process';
import { REPO_ROOT } from './paths.ts';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is JSON. */
  json?: any;
}

/** `text` parsed as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Runs `command args` (cwd: the repository unless given; env: this process's unless given) and resolves with its
 * exit code, stdout, stderr and stdout as JSON; SIGKILLed after `timeoutMs` (default 55 s). Rejects only when it
 * cannot be started.
 */
export function runProcess(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd ?? REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 55_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr, json: parseJson(stdout) });
    });
  });
}
