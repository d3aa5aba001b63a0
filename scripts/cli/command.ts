/**
 * The contract every command implements: one command per file in `scripts/commands/`, made an oclif
 * command class by `omniCommand` in `scripts/sf/commands/omni/<id words>.ts` (where oclif finds it).
 */
import type { EngineIo, Ui } from '../lib/io.ts';

/** A flag's kind and constraints; its summary is `flags.<name>.summary` in the command's bundle (scripts/cli/help-text.ts). */
export interface FlagDefinition {
  type: 'string' | 'boolean';
  /** Accept the flag several times (`--user a --user b`); the value is then a string[]. */
  multiple?: boolean;
  short?: string;
  default?: string | boolean;
  /** Allowed values for a string flag (checked before `run`, exit 2 otherwise). */
  options?: readonly string[];
  required?: boolean;
  /** Value placeholder shown in help, e.g. `FILE`. */
  valueName?: string;
  /**
   * A whole number in this range (a string flag whose value is checked before `run`, exit 2 otherwise;
   * `Flags.integer({ min, max })` under sf).
   */
  integer?: { min: number; max: number };
  /**
   * A path read by the command: `file` must be an existing file, `exists` an existing file or folder
   * (checked before `run`, exit 2 otherwise: scripts/cli/input-paths.ts).
   */
  path?: 'file' | 'exists';
  /** Former names still accepted (`--assignments` for `--file`), so scripts written for them keep working. */
  aliases?: string[];
}

/** A positional argument; its summary is `args.<name>.summary` in the command's bundle. */
export interface ArgumentDefinition {
  name: string;
  required?: boolean;
  /** Collects the rest of the positionals. */
  variadic?: boolean;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** What `run` gets: the engine's io (cwd, env, json, ui, warn) plus the parsed command line. */
export interface CommandContext extends EngineIo {
  /** The whole terminal: commands also print (`log`, `table`). */
  ui: Ui;
  /** Parsed flags (defaults applied). Global flags: `json`. */
  flags: FlagValues;
  /** Positional arguments after the command id. */
  args: string[];
}

export interface CommandOutcome<R = unknown> {
  /** Exit code: 0, 1, 3 (plan --detailed-exitcode), 68 or 69. */
  status: number;
  result: R;
  /** Set when the command already wrote its output itself (the framework then prints nothing). */
  printed?: boolean;
}

export interface CommandDefinition<R = unknown> {
  /** Space-separated id, e.g. `deploy report`. */
  id: string;
  flags: Record<string, FlagDefinition>;
  args?: ArgumentDefinition[];
  /**
   * The command draws named stages or a count (`ui.stages`, `ui.progress`: deploy, plan, retrieve, setup,
   * assign apply): on a terminal the CLI then loads sf's multi-stage output for it; other commands never load it.
   */
  stages?: boolean;
  /** The command prints tables (`ui.table`: sf's, @oclif/table); only these load it. */
  tables?: boolean;
  /**
   * The command reports an org that cannot be reached in its result (doctor: the first check fails with the
   * URL and the fix, the others skip; exit 1) instead of failing with OrgUnreachable while -o/--target-org is
   * parsed: the alias is then not resolved at parse (sf's Org.create would wait out jsforce's retries) and
   * `run` meets the same fast connection check in connectOrg.
   */
  reportsUnreachableOrg?: boolean;
  run(ctx: CommandContext): Promise<CommandOutcome<R>>;
  /** Human rendering of the result (not called under `--json`); `flags` for output options (--concise, --verbose). */
  render?(result: R, ui: Ui, flags: FlagValues): void;
}

/** sf's `commandName` for a command id: `assign plan` → `OmniAssignPlan` (the class name under `sf omni …`). */
export function commandClassName(id: string): string {
  return `Omni${id
    .split(' ')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}`;
}

export function defineCommand<R>(definition: CommandDefinition<R>): CommandDefinition<R> {
  return definition;
}

/**
 * sf's output-detail flags (`sf project deploy start --concise/--verbose`): only the summary and failures,
 * or every row. They shape the human output only; --json always has everything.
 */
export const OUTPUT_DETAIL_FLAGS: Record<string, FlagDefinition> = {
  concise: { type: 'boolean' },
  verbose: { type: 'boolean' },
};

export type OutputDetail = 'concise' | 'verbose' | 'normal';

/** The detail asked for; `--concise` with `--verbose` never gets here (oclif's `exclusive` refuses it, exit 2). */
export function outputDetail(flags: FlagValues): OutputDetail {
  return flags.concise ? 'concise' : flags.verbose ? 'verbose' : 'normal';
}

