/**
 * Errors and exit codes shared by every command.
 *
 * Exit codes follow the sf CLI: 0 ok, 1 failed, 2 usage error, 68 partial success, 69 still running.
 * `omni plan --detailed-exitcode` adds 3 (changes pending), like terraform.
 */
export const ExitCode = {
  Ok: 0,
  Failed: 1,
  Usage: 2,
  ChangesPending: 3,
  Partial: 68,
  Running: 69,
} as const;

export interface OmniErrorOptions {
  /** Stable machine-readable name, e.g. `NoOrgFound`, `ValidationFailed`. */
  name?: string;
  exitCode?: number;
  /** What the user can do about it, one sentence each (shown as "Try this:"). */
  actions?: string[];
  cause?: unknown;
  /** Structured detail included as `result` in the JSON envelope. */
  data?: unknown;
}

/**
 * An expected failure: message, cause and actions, never a stack trace for the user. Built by
 * `catalogueError` (scripts/lib/messages.ts) from the error catalogue, never with inline text.
 */
export class OmniError extends Error {
  readonly exitCode: number;
  readonly actions: string[];
  readonly data: unknown;

  constructor(message: string, options: OmniErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.name ?? 'OmniError';
    this.exitCode = options.exitCode ?? ExitCode.Failed;
    this.actions = options.actions ?? [];
    this.data = options.data;
  }
}
