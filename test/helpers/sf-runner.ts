/**
 * Runs sf CLI commands in a long-lived sf runner process (test/helpers/sf-runner-child.ts) instead of one
 * process per command: the unmodified sf CLI's own entry, oclif config, plugins, commands, error handling and
 * exit codes, without loading its ~1,000 modules again for every command (a spawned `sf` costs ≈ 1 s of CPU
 * before it does anything; a command in a warm runner ≈ 0.1 s). One runner per sf HOME, started on first use
 * with the HOME's environment (as a spawned sf gets it), stopped by `stopSfRunner` (SfHome.cleanup does).
 *
 * What stays spawned: runs whose process boundary is the point (signals, TTY, a login under test), and one or
 * two plain spawns per test file as the proof that the real process answers the same (runSf / runProcess).
 * After `sf plugins link` / `unlink` in a HOME, stop its runner: the modules of a plugin already loaded stay
 * loaded (oclif's config itself is read again for every command).
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.ts';

const SF_ROOT = join(REPO_ROOT, 'node_modules', '@salesforce', 'cli');
const CHILD = join(import.meta.dirname, 'sf-runner-child.ts');

export interface SfRunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is JSON. */
  json?: any;
}

interface Runner {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
  pending: Map<number, { resolve(r: SfRunResult): void; reject(e: Error): void }>;
  next: number;
  /** What the runner wrote outside any command (Node's own warnings at its start). */
  stray: string;
}

const runners = new Map<string, Runner>();

function start(env: NodeJS.ProcessEnv): Runner {
  // The sf bin's own node options (`#!/usr/bin/env -S node --no-deprecation`).
  const child = fork(CHILD, [SF_ROOT], { env, cwd: REPO_ROOT, execArgv: ['--no-deprecation'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const runner: Runner = { child, pending: new Map(), next: 1, stray: '', ready: Promise.resolve(), exited: Promise.resolve() };
  child.stdout!.on('data', (d) => (runner.stray += d));
  child.stderr!.on('data', (d) => (runner.stray += d));
  runner.exited = new Promise((resolve) => child.on('exit', () => resolve()));
  runner.ready = new Promise((resolve, reject) => {
    child.on('message', (message: { ready?: boolean; id?: number; error?: string } & SfRunResult) => {
      if (message.ready) return resolve();
      const waiter = runner.pending.get(message.id!);
      if (!waiter) return;
      runner.pending.delete(message.id!);
      if (message.error) return waiter.reject(new Error(`sf runner: ${message.error}`));
      waiter.resolve({ code: message.code, stdout: message.stdout, stderr: message.stderr, json: parseJson(message.stdout) });
    });
    child.on('exit', (code, signal) => {
      const error = new Error(`sf runner exited (${code ?? signal}): ${runner.stray.slice(-2000)}`);
      reject(error);
      for (const waiter of runner.pending.values()) waiter.reject(error);
      runner.pending.clear();
      for (const [home, r] of runners) if (r === runner) runners.delete(home);
    });
  });
  return runner;
}

/**
 * Runs `sf ARGS` in the runner of `homeEnv.HOME` (started with `homeEnv` on first use), with `env` as the
 * command's whole environment (it must keep that HOME) and `cwd` as its working directory. Resolves with what
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
  return new Promise((resolve, reject) => {
    const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'sf'), args, { env: options.env, cwd: options.cwd ?? REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 110_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, json: parseJson(stdout) });
    });
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function inRunner(homeEnv: NodeJS.ProcessEnv, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number }): Promise<SfRunResult> {
  const home = homeEnv.HOME;
  if (!home) throw new Error('sfRun needs an sf HOME (makeSfHome)');
  let runner = runners.get(home);
  if (!runner) {
    runner = start(homeEnv);
    runners.set(home, runner);
  }
  await runner.ready;
  const id = runner.next++;
  const env = Object.fromEntries(Object.entries(options.env ?? homeEnv).filter((e): e is [string, string] => e[1] !== undefined));
  const r = runner;
  return new Promise<SfRunResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      r.pending.delete(id);
      void stopSfRunner(home);
      reject(new Error(`sf ${args.join(' ')}: no answer from the sf runner in ${options.timeoutMs ?? 110_000} ms`));
    }, options.timeoutMs ?? 110_000);
    r.pending.set(id, {
      resolve: (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      reject: (error) => {
        clearTimeout(timer);
        reject(error);
      },
    });
    r.child.send({ id, argv: args, cwd: options.cwd ?? REPO_ROOT, env });
  });
}

/** Stops the runner of `home` (if any) and resolves once it has exited; the next sfRun for it starts a fresh one. */
export function stopSfRunner(home: string): Promise<void> {
  const runner = runners.get(home);
  if (!runner) return Promise.resolve();
  runners.delete(home);
  // A normal exit (the runner exits when its IPC channel closes) lets Node write its compile cache; a runner
  // stuck in a command is killed.
  if (runner.child.connected) runner.child.disconnect();
  const kill = setTimeout(() => runner.child.kill('SIGKILL'), 5_000);
  return runner.exited.then(() => clearTimeout(kill));
}

/** The process id of the runner of `home`, while it runs. */
export function sfRunnerPid(home: string): number | undefined {
  return runners.get(home)?.child.pid;
}
