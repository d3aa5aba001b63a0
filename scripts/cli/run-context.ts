/**
 * What one command run sees of its surroundings — working directory, environment, output streams — and
 * what it leaves behind (exit code), kept per run in an AsyncLocalStorage. The oclif command classes read
 * the world through {@link currentRun}, so `runCli` can run them in-process for tests and `npm start` with
 * their own cwd, env and captured streams, several at a time, without touching process.cwd()/process.env.
 * Under the `omni` bin and under `sf` there is no stored run: the process's own cwd, env and streams apply.
 * https://nodejs.org/api/async_context.html#class-asynclocalstorage
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import { redact, redactionSuspended } from '../lib/redact.ts';

export type OutputStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface RunContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: OutputStream;
  stderr: OutputStream;
  /** The run's exit code, set by the command (its outcome's status, or the failure's exit code). */
  status?: number;
  /** Set once the failure has been printed (by the command's catch), so the runner doesn't print it again. */
  failurePrinted?: boolean;
}

// One store per process, even if this module is loaded twice (a test runner's loader and Node's).
const STORE = Symbol.for('omni-presence.run-context');
const runs: AsyncLocalStorage<RunContext> = ((globalThis as Record<symbol, unknown>)[STORE] ??= new AsyncLocalStorage<RunContext>()) as AsyncLocalStorage<RunContext>;
const ROUTED = Symbol.for('omni-presence.output-routed');

/** The process's own command's run (the bin: `asProcessRun`), kept without an AsyncLocalStorage. */
let processRun: RunContext | undefined;

/** The run the caller is part of; without one (sf), the process's own cwd, env and streams. */
export function currentRun(): RunContext {
  return runs.getStore() ?? processRun ?? { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr };
}

/** Whether the caller runs inside {@link withRun} (in-process), not as the process's own command. */
export function inRun(): boolean {
  return runs.getStore() !== undefined;
}

/**
 * Runs `fn` as the process's own command (the `omni` bin: one command, the process's cwd, env and streams):
 * `context` holds what it leaves behind (status) without entering an AsyncLocalStorage, whose first `run`
 * turns on Node's async hooks for the rest of the process — an init hook for every promise, the module
 * loader's included (bench/RESULTS.md, "Validate at scale"). `inRun()` stays false: the command is the
 * process's, and sets its exit code.
 */
export function asProcessRun<T>(context: RunContext, fn: () => Promise<T>): Promise<T> {
  routeOutput();
  processRun = context;
  return fn();
}

/** Runs `fn` as run `context`: everything it starts (awaits, timers, streams) sees that context. */
export function withRun<T>(context: RunContext, fn: () => Promise<T>): Promise<T> {
  routeOutput();
  return runs.run(context, fn);
}

/**
 * Every write to process.stdout/stderr is redacted (the last line of defence against printing a token)
 * and, inside a run with its own streams, goes to those streams: the commands write through
 * process.stdout/stderr and oclif/sf-plugins-core through console.log/console.error, so these are the
 * places where output is routed (console too, since a test runner may replace console). Installed once.
 */
export function routeOutput(): void {
  const global = globalThis as Record<symbol, unknown>;
  if (global[ROUTED]) return;
  global[ROUTED] = true;
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const original = stream.write.bind(stream) as (chunk: string, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const raw = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const text = redactionSuspended() ? raw : redact(raw);
      const sink = runs.getStore()?.[name];
      if (sink && sink !== stream) {
        const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        const ok = sink.write(text);
        done?.();
        return ok;
      }
      return original(text, ...rest);
    }) as typeof stream.write;
  }
  for (const [method, name] of [['log', 'stdout'], ['error', 'stderr']] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const sink = runs.getStore()?.[name];
      if (sink && sink !== process[name]) sink.write(`${redact(format(...args))}\n`);
      else original(...args);
    };
  }
}
