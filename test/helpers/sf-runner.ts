/**
 * Runs sf CLI commands in a long-lived sf runner process (test/helpers/sf-runner-child.ts) instead of one
 * process per command: the unmodified sf CLI's own entry, oclif config, plugins, commands, error handling and
 * exit codes, without loading its ~1,000 modules again for every command (a spawned `sf` costs ≈ 1 s of CPU
 * before it does anything; a command in a warm runner ≈ 0.1 s). One runner per test worker, started on first use
 * and serving every sf HOME of the files that worker runs: each command brings its own environment (its HOME, its
 * SF_ variables) and cwd, and the runner drops what a fresh process would not have before each one (core's auth,
 * config and project caches, keyed by HOME and cwd anyway; its Lifecycle), so a command reads its HOME from disk
 * as a new process would. The runner ends with its worker (it exits when its IPC channel closes; on the worker's
 * SIGTERM it is stopped and waited for first, so its CPU is counted with the worker's), or by `stopSfRunner`.
 *
 * What stays spawned: runs whose process boundary is the point (signals, TTY, a printed command run by a shell),
 * and one plain spawn per test file that runs several sf commands, as the proof that the real process answers the
 * same (runSf / runProcess). A plugin linked with `sf plugins link` is loaded by the runner's next command that
 * needs it; its modules then stay loaded (oclif's config is read again once the HOME's plugin list changes): a
 * plugin relinked with changed code needs `stopSfRunner()` first.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.ts';
import { parseJson, runProcess, type ProcessResult } from './process.ts';

const SF_ROOT = join(REPO_ROOT, 'node_modules', '@salesforce', 'cli');
const CHILD = join(import.meta.dirname, 'sf-runner-child.ts');

/** What an sf command gave: exit code, stdout, stderr, stdout as JSON — as a spawned process gives them. */
export type SfRunResult = ProcessResult;

interface Runner {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
  pending: Map<number, { resolve(r: SfRunResult): void; reject(e: Error): void }>;
  next: number;
  /** What the runner wrote outside any command (Node's own warnings at its start). */
  stray: string;
}

/** This worker's runner, while it runs. */
let runner: Runner | undefined;

function start(env: NodeJS.ProcessEnv): Runner {
  // The sf bin's own node options (`#!/usr/bin/env -S node --no-deprecation`).
  const child = fork(CHILD, [SF_ROOT], { env, cwd: REPO_ROOT, execArgv: ['--no-deprecation'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  // The runner outlives the test files that use it: it keeps the worker alive only while a command is in flight.
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?(): void } | null)?.unref?.();
  busy(child, false);
  const started: Runner = { child, pending: new Map(), next: 1, stray: '', ready: Promise.resolve(), exited: Promise.resolve() };
  child.stdout!.on('data', (d) => (started.stray += d));
  child.stderr!.on('data', (d) => (started.stray += d));
  started.exited = new Promise((resolve) => child.on('exit', () => resolve()));
  started.ready = new Promise((resolve, reject) => {
    child.on('message', (message: { ready?: boolean; id?: number; error?: string } & SfRunResult) => {
      if (message.ready) return resolve();
      const waiter = started.pending.get(message.id!);
      if (!waiter) return;
      started.pending.delete(message.id!);
      if (message.error) return waiter.reject(new Error(`sf runner: ${message.error}`));
      waiter.resolve({ code: message.code, stdout: message.stdout, stderr: message.stderr, json: parseJson(message.stdout) });
    });
    child.on('exit', (code, signal) => {
      const error = new Error(`sf runner exited (${code ?? signal}): ${started.stray.slice(-2000)}`);
      reject(error);
      for (const waiter of started.pending.values()) waiter.reject(error);
      started.pending.clear();
      if (runner === started) runner = undefined;
    });
  });
  if (!stopOnExit) {
    stopOnExit = true;
    // The worker's last act: end the runner and reap it, so that its CPU is counted in the worker's (a process its
    // parent reaps is, as a spawned sf is). A vitest fork ends when its event loop is empty after the run's
    // teardown (the runner does not hold it), or on the SIGTERM sent after it, with SIGKILL 500 ms later: the
    // runner is killed at once (it has written Node's compile cache after every command) and waited for.
    process.on('beforeExit', () => {
      if (runner) void stopSfRunner({ kill: true });
    });
    // Registered until the runner is down: signal-exit (loaded by @salesforce/core's dependencies) ends the
    // process on SIGTERM at once when it finds no other listener.
    const onSigterm = () => {
      void stopSfRunner({ kill: true }).finally(() => {
        process.off('SIGTERM', onSigterm);
        process.kill(process.pid, 'SIGTERM');
      });
    };
    process.on('SIGTERM', onSigterm);
  }
  return started;
}

let stopOnExit = false;

/** Whether the runner's process and IPC channel keep this process's event loop alive: only while it works. */
function busy(child: ChildProcess, on: boolean): void {
  if (on) {
    child.ref();
    child.channel?.ref();
  } else {
    child.unref();
    child.channel?.unref();
  }
}

/**
 * Runs `sf ARGS` in this worker's runner (started with `homeEnv` on first use), with `env` (default `homeEnv`) as
 * the command's whole environment, its sf HOME included, and `cwd` as its working directory. Resolves with what
 * a spawned `sf` gives: exit code, stdout, stderr, and stdout parsed when it is JSON. Rejects when the runner
 * does not answer within `timeoutMs` (the runner is then stopped). With `OMNI_SF_RUNNER=spawn` every command is a
 * spawned sf instead; with `OMNI_SF_RUN_LOG=FILE` each command and its answer is appended to FILE as a JSON line.
 */
export async function sfRun(homeEnv: NodeJS.ProcessEnv, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<SfRunResult> {
  const result = process.env.OMNI_SF_RUNNER === 'spawn' ? await spawned(args, { ...options, env: options.env ?? homeEnv }) : await inRunner(homeEnv, args, options);
  // bench/suite/sf-runner-parity.ts runs test files both ways and compares these lines.
  if (process.env.OMNI_SF_RUN_LOG) appendFileSync(process.env.OMNI_SF_RUN_LOG, `${JSON.stringify({ args, cwd: options.cwd ?? REPO_ROOT, code: result.code, stdout: result.stdout, stderr: result.stderr })}\n`);
  return result;
}

/** `OMNI_SF_RUNNER=spawn`: the same command as a process of its own (node_modules/.bin/sf), for the parity check. */
function spawned(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number }): Promise<SfRunResult> {
  return runProcess(join(REPO_ROOT, 'node_modules', '.bin', 'sf'), args, { ...options, timeoutMs: options.timeoutMs ?? 110_000 });
}

async function inRunner(homeEnv: NodeJS.ProcessEnv, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number }): Promise<SfRunResult> {
  const env = Object.fromEntries(Object.entries(options.env ?? homeEnv).filter((e): e is [string, string] => e[1] !== undefined));
  if (!env.HOME) throw new Error('sfRun needs an sf HOME (makeSfHome)');
  runner ??= start(homeEnv);
  const r = runner;
  const id = r.next++;
  r.pending.set(id, { resolve: () => {}, reject: () => {} });
  busy(r.child, true);
  const done = () => {
    r.pending.delete(id);
    if (r.pending.size === 0) busy(r.child, false);
  };
  try {
    await r.ready;
  } catch (error) {
    done();
    throw error;
  }
  return new Promise<SfRunResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      done();
      if (runner === r) void stopSfRunner();
      reject(new Error(`sf ${args.join(' ')}: no answer from the sf runner in ${options.timeoutMs ?? 110_000} ms`));
    }, options.timeoutMs ?? 110_000);
    r.pending.set(id, {
      resolve: (result) => {
        clearTimeout(timer);
        done();
        resolve(result);
      },
      reject: (error) => {
        clearTimeout(timer);
        done();
        reject(error);
      },
    });
    r.child.send({ id, argv: args, cwd: options.cwd ?? REPO_ROOT, env });
  });
}

/**
 * Stops this worker's runner (if any) and resolves once it has exited; the next sfRun starts a fresh one. The runner
 * exits when its IPC channel closes; one stuck in a command, or any with `kill`, is killed.
 */
export function stopSfRunner(options: { kill?: boolean } = {}): Promise<void> {
  const stopped = runner;
  if (!stopped) return stopping;
  runner = undefined;
  busy(stopped.child, true);
  if (options.kill) stopped.child.kill('SIGKILL');
  else if (stopped.child.connected) stopped.child.disconnect();
  const kill = setTimeout(() => stopped.child.kill('SIGKILL'), 5_000);
  stopping = stopped.exited.then(() => clearTimeout(kill));
  return stopping;
}

/** The last stop's exit (a later stop, e.g. on SIGTERM, waits for one still under way). */
let stopping: Promise<void> = Promise.resolve();

/** The process id of this worker's runner, while it runs. */
export function sfRunnerPid(): number | undefined {
  return runner?.child.pid;
}
