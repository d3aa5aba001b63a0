/**
 * How an engine talks to its caller, without knowing it is a CLI: the working directory, the
 * environment, whether output is machine-read (`--json`), a Ui for progress, questions and notes, and a
 * sink for warnings. The CLI (scripts/cli/ui.ts) implements Ui; tests pass their own.
 */

import { AsyncLocalStorage } from 'node:async_hooks';

export interface Progress {
  /** Advance by `n` (default 1). */
  tick(n?: number): void;
  /** Set the absolute count (and optionally a new label). */
  update(done: number, label?: string): void;
  done(label?: string): void;
}

/**
 * The named stages of a long command (deploy, plan, retrieve, setup), as sf shows them: on a TTY sf's
 * multi-stage output (@oclif/multi-stage-output, as `sf project deploy start`), each stage with its time and
 * an optional detail line under it; nothing under `--json`, `CI=true` or without a terminal.
 */
export interface StageOutput {
  /** Starts stage `label` (the stages before it are done); `detail` is shown under it (`Components: 5/22`). */
  goto(label: string, detail?: string): void;
  /** Shows `detail` under the current stage (one of the stages given as detailed at the start). */
  detail(text: string): void;
  /** Stops drawing before a question to the user; the next goto() draws the stages that remain. */
  pause(): void;
  /** Ends the output: `completed` (stages not reached are shown skipped) or `failed` (the current stage). */
  stop(outcome: 'completed' | 'failed'): void;
}

export const NO_STAGES: StageOutput = { goto() {}, detail() {}, pause() {}, stop() {} };

/**
 * The stage output of `ui` (silent when the Ui has none, as an engine called by another one). `detailed`: the
 * stages that show a detail line (sf's multi-stage output fixes them at the start).
 */
export function startStageOutput(ui: Pick<Ui, 'stages'>, title: string, labels: string[], detailed: string[] = []): StageOutput {
  return ui.stages?.(title, labels, detailed) ?? NO_STAGES;
}

export interface Ui {
  readonly quiet: boolean;
  readonly interactive: boolean;
  log(message?: string): void;
  /**
   * `value` on stdout as `JSON.stringify(value, null, 2)` prints it, then a line end: written in pieces (long arrays
   * a hundred elements at a time, scripts/cli/write-json.ts), never held as one string (validate's SARIF of 20,000
   * findings is ~20 MB).
   */
  logJson(value: unknown): void;
  /** Printed to stderr even in quiet mode? No: suppressed under --json (warnings go into the envelope). */
  info(message: string): void;
  error(message: string): void;
  table(rows: Array<Record<string, unknown>>, columns?: string[]): void;
  progress(label: string, total: number): Progress;
  /** Named stages (see {@link StageOutput}); absent where nothing is drawn. */
  stages?(title: string, labels: string[], detailed?: string[]): StageOutput;
  /** Ask yes/no on a TTY; returns false when not interactive. */
  confirm(question: string): Promise<boolean>;
}

/**
 * What an engine may do with the terminal: progress, notes and errors on stderr, a yes/no question.
 * Not `log`/`logJson`/`table`: stdout is the command's (its `render`, or the `--json` envelope).
 */
export type EngineUi = Omit<Ui, 'log' | 'logJson' | 'table'>;

/** What every engine gets from its caller: never flags, never argv. */
export interface EngineIo {
  /** Where the command runs; the project is found at or above it. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Machine-read output (`--json`): engines then print nothing themselves. */
  json: boolean;
  ui: EngineUi;
  /** Collect a warning: printed to stderr in human mode, listed in `warnings` under `--json`. */
  warn(message: string): void;
  /**
   * How the user runs omni's commands, as next-step hints must name them: `omni` (the bin, the default)
   * or `sf omni` (the plugin): oclif's config bin plus the topic the command sits under.
   */
  commandPrefix?: string;
}

// One store per process, even if this module is loaded twice (a test runner's loader and Node's).
const PREFIX_STORE = Symbol.for('omni-presence.command-prefix');
const prefixes: AsyncLocalStorage<string> = ((globalThis as Record<symbol, unknown>)[PREFIX_STORE] ??= new AsyncLocalStorage<string>()) as AsyncLocalStorage<string>;

/**
 * Runs `fn` with `prefix` as the command prefix of everything it starts: the command classes (scripts/sf)
 * wrap each run (and its render) in it, so text built below the engines, where no EngineIo reaches (the parser's hints,
 * the org connection's errors), names commands as the user runs them.
 * https://nodejs.org/api/async_context.html#class-asynclocalstorage
 */
export function withCommandPrefix<T>(prefix: string, fn: () => T): T {
  // `omni` outside any stored prefix is what `commandPrefix` answers anyway: no store is entered. The first
  // `run` of an AsyncLocalStorage turns on Node's async hooks for the rest of the process (every promise,
  // the module loader's included, then pays an init hook): ~20–40 ms of `omni validate` (bench/RESULTS.md).
  if (prefix === 'omni' && prefixes.getStore() === undefined) return fn();
  return prefixes.run(prefix, fn);
}

/**
 * How the user runs omni's commands: `io.commandPrefix` when given, else the running command's (see
 * {@link withCommandPrefix}), else `omni` (the bin). `sf omni` under the sf CLI.
 */
export function commandPrefix(io: Pick<EngineIo, 'commandPrefix'> = {}): string {
  return io.commandPrefix ?? prefixes.getStore() ?? 'omni';
}

/** A command line to suggest, as the user would type it: `omniCommandLine(io, 'deploy report 0Af…')` → `sf omni deploy report 0Af…` under sf. */
export function omniCommandLine(io: Pick<EngineIo, 'commandPrefix'>, rest: string): string {
  return `${commandPrefix(io)} ${rest}`;
}

/** `CI` set to anything but empty, 0 or false (as sf reads it): no progress, no prompts. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

const NOOP_PROGRESS: Progress = { tick() {}, update() {}, done() {} };

/**
 * The io of an engine called by another one (omni setup's stages): same cwd and env, machine-read output
 * (prints nothing, asks nothing, no progress), errors still on the parent's stderr, warnings to `warn`.
 */
export function quietIo(parent: EngineIo, warn: (message: string) => void): EngineIo {
  const ui: EngineUi = {
    quiet: true,
    interactive: false,
    info() {},
    error: (message) => parent.ui.error(message),
    progress: () => NOOP_PROGRESS,
    confirm: async () => false,
  };
  return { cwd: parent.cwd, env: parent.env, json: true, ui, warn, commandPrefix: parent.commandPrefix };
}
