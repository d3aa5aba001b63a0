/**
 * A failed run as sf shows it: the error envelope under `--json` (SfCommandError.toJson's fields: name,
 * message, exitCode, status, code, context, commandName, actions, warnings; `result` keeps omni's
 * structured detail) and "Error (Name): message" with a "Try this:" list otherwise. Exit codes: an
 * OmniError's own, oclif's for parse errors (2), an SfError's, else 1. No stack trace unless OMNI_DEBUG.
 * https://github.com/salesforcecli/sf-plugins-core/blob/main/src/SfCommandError.ts
 */
import { ExitCode, OmniError } from '../lib/errors.ts';
import { errorMessage, expiredSessionError, isSessionError, isUnreachable, unreachableError } from '../org/http-errors.ts';

export interface Failure {
  exitCode: number;
  /** The `--json` envelope. */
  envelope: Record<string, unknown>;
  /** The human form for stderr (no trailing newline). */
  text: string;
}

/** The exit code sf would give: an oclif error's `oclif.exit` (2 for bad flags), else `exitCode`, else 1. */
function exitCodeOf(error: unknown): number {
  const oclifExit = (error as { oclif?: { exit?: unknown } })?.oclif?.exit;
  if (typeof oclifExit === 'number') return oclifExit;
  const exitCode = (error as { exitCode?: unknown })?.exitCode;
  return typeof exitCode === 'number' ? exitCode : ExitCode.Failed;
}

/**
 * The envelope and text for `thrown` in command `commandName` (its class name, `Omni` outside a command).
 * A request that never reached the org (jsforce/undici's "fetch failed") becomes OrgUnreachable, and a session
 * lost after the connect (no refresh cures it) ExpiredSession with the login action.
 */
export function describeFailure(thrown: unknown, commandName: string, warnings: string[], env: NodeJS.ProcessEnv): Failure {
  // A session the org refused and no refresh could cure, met after connectOrg (assign's reads: SessionLost; core's
  // failed refresh: "Unable to refresh session…"): ExpiredSession for the org connected to, with its login.
  const error = thrown instanceof OmniError ? thrown : isUnreachable(thrown) ? unreachableError(thrown) : isSessionError(thrown) ? expiredSessionError(thrown) : thrown;
  const known = error instanceof OmniError;
  const exitCode = exitCodeOf(error);
  const message = errorMessage(error);
  const rawActions = (error as { actions?: unknown })?.actions;
  const actions = Array.isArray(rawActions) ? rawActions.map(String) : [];
  const name = error instanceof Error ? error.name : 'Error';
  const debug = Boolean(env.OMNI_DEBUG) && !known && error instanceof Error;
  const envelope: Record<string, unknown> = {
    name,
    message,
    exitCode,
    actions,
    context: commandName,
    result: known ? (error.data ?? null) : ((error as { data?: unknown })?.data ?? null),
    warnings,
    code: name,
    status: exitCode,
    commandName,
    ...(debug ? { stack: (error as Error).stack } : {}),
  };
  const lines = [`Error (${name}): ${message}`];
  if (actions.length) lines.push('', 'Try this:', ...actions.map((a) => `  - ${a}`));
  if (debug && (error as Error).stack) lines.push((error as Error).stack as string);
  return { exitCode, envelope, text: lines.join('\n') };
}
