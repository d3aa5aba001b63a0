/**
 * The omni commands as oclif/sf-plugins-core `SfCommand` classes: the one set of commands that both
 * `sf omni …` (the plugin) and the `omni` bin (scripts/cli/run.ts, oclif over the same classes) run.
 *
 * Each command's behaviour is its definition in scripts/commands/ (flags' kinds, `run(ctx)`, `render`);
 * its help text is its bundle messages/<id>.md. Here each flag gets its sf type (`Flags.orgApiVersion`,
 * `Flags.duration` for waits, `Flags.integer({ min, max })`, `Flags.directory` for output folders) and the
 * parsed values are handed to `run(ctx)` in the shape it reads (strings), see {@link toFlagValues}.
 * Failures print sf's error envelope (`{ name, message, exitCode, status, commandName, actions, warnings,
 * context }`, scripts/cli/failure.ts). cwd, env and streams come from the run (scripts/cli/run-context.ts).
 * https://github.com/salesforcecli/sf-plugins-core
 */
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import type { Interfaces } from '@oclif/core';
import { Flags, SfCommand, toHelpSection } from '@salesforce/sf-plugins-core';
import { commandClassName, type CommandContext, type CommandDefinition, type CommandOutcome, type FlagDefinition, type FlagValues } from '../cli/command.ts';
import { commandHelpText, helpBundleName } from '../cli/help-text.ts';
import { describeFailure } from '../cli/failure.ts';
import { catalogueError } from '../lib/messages.ts';
import { SUPPORTED_API_VERSIONS, supportedApiVersionsText } from '../metadata/api-versions.ts';
import { closest } from '../lib/suggest.ts';
import { currentRun, inRun } from '../cli/run-context.ts';
import { createUi } from '../cli/ui.ts';
import { LiveOutput, multiStageOutput } from '../cli/stage-output.ts';
import { loadSfTable } from '../cli/sf-table.ts';
import { collectGarbage } from '../lib/gc.ts';
import { isCi, type StageOutput, withCommandPrefix } from '../lib/io.ts';
import { writeJson } from '../cli/write-json.ts';
import { checkInputPaths } from '../cli/input-paths.ts';
import { exitOnStopSignals } from '../lib/signals.ts';

/**
 * core's SfError (CommonJS), required where a failure is thrown: an ES import had Node lex core's sfError.js for export
 * names and build its facade at every start, for a class only a failed run reaches (bench/RESULTS.md, CLI start-up).
 */
const requireHere = createRequire(import.meta.url);

/** oclif's names this module uses, required: an ES import of @oclif/core reads every export of its index (help, ux…). */
const { Args, Command, toConfiguredId } = requireHere('@oclif/core') as typeof import('@oclif/core');

// biome-ignore lint/suspicious/noExplicitAny: oclif's flag map is heterogeneous by design
type AnyFlag = Interfaces.Flag<any>;

/** Per-flag constraints oclif checks before `run` (instead of hand checks in the command). */
export interface FlagRelations {
  exclusive?: string[];
  dependsOn?: string[];
}

/** Minutes flags: sf's deploy waits are minutes; 0 returns at once, a day is the longest sensible wait. */
const MINUTES = { min: 0, max: 1440 };

/**
 * The oclif flag for one omni flag definition. API version and minutes flags get sf's typed flags;
 * the rest keep their string/boolean type with char, options, multiple, default and required. `help` is the
 * bundle's summary and, where it has one, description (which replaces sf's own, as Flags.orgApiVersion's
 * "Override the api version used for api requests…" on a command that makes none).
 */
export function toSfFlag(
  name: string,
  def: FlagDefinition,
  help: { summary: string; description?: string },
  relations: FlagRelations = {},
  command: Pick<CommandDefinition, 'reportsUnreachableOrg'> = {},
): AnyFlag {
  const common = {
    summary: help.summary,
    ...(help.description ? { description: help.description } : {}),
    ...(def.short ? { char: def.short as 'a' } : {}),
    ...(def.required ? { required: true as const } : {}),
    ...(def.aliases ? { aliases: def.aliases } : {}),
    ...relations,
  };
  if (name === 'target-org') return targetOrgFlag(common, def, Boolean(command.reportsUnreachableOrg));
  // defaultHelp: oclif builds each command's manifest entry at start (no manifest file) from the flag's defaultHelp,
  // else by calling its default — sf's reads org-api-version and warns "configuration overridden" through core's
  // Lifecycle, which before SfCommand listens goes to process.emitWarning: once per command with this flag, on every
  // run of any command. The default itself still applies when the flags are parsed (one warning, sf's).
  if (name === 'api-version') return apiVersionFlag(common);
  if (name === 'instance-url') return instanceUrlFlag(common, def);
  if (name === 'wait' && def.type === 'string') {
    // As sf project deploy start's --wait: a duration in minutes (sf-plugins-core checks the range).
    return Flags.duration({ ...common, unit: 'minutes', ...MINUTES, ...(def.default !== undefined ? { defaultValue: Number(def.default) } : {}) });
  }
  if (name === 'output-dir' && def.type === 'string' && !def.multiple) return Flags.directory({ ...common });
  if (def.integer && def.type === 'string' && !def.multiple) {
    return Flags.integer({ ...common, ...def.integer, ...(def.default !== undefined ? { default: Number(def.default) } : {}) });
  }
  // A flag that is on by default is turned off with --no-x (--no-grant-access); a flag named no-x (--no-prompt) is itself.
  if (def.type === 'boolean') return Flags.boolean({ ...common, ...(def.default === true ? { allowNo: true } : {}), ...(def.default !== undefined ? { default: Boolean(def.default) } : {}) });
  const stringOptions = {
    ...common,
    ...(def.options ? { options: [...def.options] } : {}),
    ...(def.valueName ? { helpValue: def.valueName } : {}),
  };
  if (def.multiple) return Flags.string({ ...stringOptions, multiple: true });
  return Flags.string({ ...stringOptions, ...(def.default !== undefined ? { default: String(def.default) } : {}) });
}

/**
 * -o/--target-org: sf's optionalOrg — an alias or username that is not in the sf auth store is refused while
 * the command line is parsed, with sf's "Did you mean" (catch() maps it to omni's NoOrgFound, exit 2). Optional,
 * not requiredOrg: --instance-url + SF_ACCESS_TOKEN is the other way in (CI without an auth store) and takes
 * precedence, so with --instance-url on the command line -o is not resolved (it is ignored, as before); and
 * without -o nothing is resolved at parse (no `default`): graph, import and explain --offline use an org only
 * when one is named, and the other commands resolve the default target-org after --instance-url. run(ctx) gets
 * the alias or username as typed (toFlagValues), so messages, locks and journals name the org as the user does.
 * An alias whose org does not accept a connection fails here with OrgUnreachable (exit 1), unless the command
 * reports that in its result or checks its local input first (`reportsUnreachableOrg`: doctor; `LOCAL_INPUT_FIRST`
 * in scripts/commands/shared/org.ts: deploy, plan, setup, assign plan/apply, access check, import), which then
 * gets the alias unresolved and meets the same check where `run` connects.
 */
function targetOrgFlag(common: Record<string, unknown>, def: FlagDefinition, reportsUnreachable: boolean): AnyFlag {
  const sf = Flags.optionalOrg({ ...common, char: 'o', helpValue: def.valueName ?? 'ALIAS|USERNAME', default: undefined, defaultHelp: undefined });
  return {
    ...sf,
    parse: async (input: string, ctx: { argv?: string[] }, opts: unknown) => {
      if (ctx.argv?.some((a) => a === '--instance-url' || a.startsWith('--instance-url='))) return undefined;
      // An org that is down fails here at once, before sf's Org.create waits out jsforce's retries (checkOrgReachable).
      const { checkOrgReachable } = await import('../org/connection.ts');
      try {
        await checkOrgReachable(input, currentRun().env);
      } catch (error) {
        // Doctor diagnoses it: its connect meets the same check and reports it as its first check's failure. The
        // alias as typed, unresolved (an undefined value would drop the flag from oclif's parsed flags).
        if (reportsUnreachable && (error as Error).name === 'OrgUnreachable') return input;
        throw error;
      }
      return sf.parse(input, ctx as never, opts as never);
    },
  };
}

/**
 * --api-version: sf's orgApiVersion (its format and retired-version checks, its messages; the default from the sf
 * config's org-api-version, not checked here: an org that does not serve it says so, ApiVersionNotServed), then the
 * versions the product knows (SUPPORTED_API_VERSIONS, metadata/api-versions.ts: the Omni types' first version to the registry's newest, which the flag's help names): one
 * outside them is a usage error naming the range (exit 2, as sf refuses a flag value), before anything is read.
 */
function apiVersionFlag(common: Record<string, unknown>): AnyFlag {
  // The help names the range the parse below holds the value to (the same constant).
  const summary = `${String(common.summary).replace(/\.$/, '')}; one of ${supportedApiVersionsText()}.`;
  const sf = Flags.orgApiVersion({ ...common, summary, defaultHelp: async () => undefined });
  return {
    ...sf,
    parse: async (input: string, ctx: unknown, opts: unknown) => {
      // A version in sf's form (66.0) is held to the range first, so that a retired one (20.0) or a deprecated one
      // (30.0, which sf warns about) is told the product's range too; any other text gets sf's format message.
      if (/^\d+\.0$/.test(input)) {
        const known = SUPPORTED_API_VERSIONS;
        const n = Number(input);
        if (n < known.min || n > known.max) throw catalogueError('UsageError', { variant: 'apiVersionRange', tokens: [input, `${known.min}.0`, `${known.max}.0`] }); // the help action is added with the flag's name (usageError)
      }
      return sf.parse(input, ctx as never, opts as never);
    },
  };
}

/**
 * --instance-url: checked at parse as sf's `Flags.url` checks a URL (a value that is not one is a usage error,
 * exit 2, before any connection is tried), but kept as typed (`Flags.url` yields a URL object, whose string
 * form adds a trailing slash to the path the engines append to it). Only http and https can reach an org.
 */
function instanceUrlFlag(common: Record<string, unknown>, def: FlagDefinition): AnyFlag {
  return Flags.string({
    ...common,
    helpValue: def.valueName ?? 'URL',
    parse: async (input: string) => {
      if (!URL.canParse(input) || !['http:', 'https:'].includes(new URL(input).protocol)) throw catalogueError('UsageError', { variant: 'instanceUrl', tokens: [input] }); // the help action is added with the flag's name (usageError)
      return input;
    },
  });
}

/**
 * Heap (bytes) a command's run must have added before its table loads for a collection to run first: the
 * 100,000-user plan adds ~60 MB, 50,000 ~28 MB, a 10-user plan or an in-process test's command a few.
 */
const COLLECT_BEFORE_TABLE_BYTES = 40 * 1024 * 1024;

/**
 * sf's table renderer, loaded once the command's run is over — after a full collection when the run grew the
 * heap by more than {@link COLLECT_BEFORE_TABLE_BYTES} since `heapAtStart` (bytes used then). @oclif/table's
 * render (ink's React tree, yoga's layout) allocates ~40 MB for 200 rows; on the heap `omni assign plan` leaves
 * at 100,000 users (~95 MB used, part of it the run's garbage) no collection came before the process ended, so
 * all of it stacked on the peak (244–263 MiB against ~200 with `--json`). Collected first (~30 ms), V8 collects
 * the render's garbage as it goes: 211–220 MiB (bench/RESULTS.md "Assign plan memory").
 */
async function loadTableAfterRun(env: NodeJS.ProcessEnv, heapAtStart: number): Promise<(rows: Array<Record<string, unknown>>, columns: string[]) => string> {
  if (v8.getHeapStatistics().used_heap_size - heapAtStart > COLLECT_BEFORE_TABLE_BYTES) collectGarbage();
  return loadSfTable(env);
}

/** The org flag, resolved by sf at parse (an Org); `run(ctx)` reads what was typed. */
const TARGET_ORG = 'target-org';

/**
 * oclif's parsed flags → the strings and booleans `run(ctx)` reads (numbers and durations as strings).
 * `--target-org` is the alias or username as typed (`typedOrg`; optionalOrg parsed it into an sf Org, which
 * proved it known), or absent when it was not given: the engines resolve the default target-org themselves,
 * after --instance-url.
 */
export function toFlagValues(parsed: Record<string, unknown>, typedOrg?: string): FlagValues {
  const values: FlagValues = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (name === 'json' || name === 'flags-dir') continue;
    if (name === TARGET_ORG) {
      values[name] = typedOrg;
      continue;
    }
    // Flags.duration's value is @salesforce/kit's Duration (not a dependency of ours: read it by shape).
    if (value && typeof value === 'object' && (value as object).constructor?.name === 'Duration') values[name] = String((value as { minutes: number }).minutes);
    else if (typeof value === 'number') values[name] = String(value);
    else values[name] = value as string | boolean | string[] | undefined;
  }
  return values;
}

/** @salesforce/core's SfdcUrl warning for an http URL, when the URL is the loopback local org's. */
const LOOPBACK_HTTP_WARNING = /^Using insecure protocol: http: on url: http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/;

/** The signals SfCommand's _run subscribes to (each run, with `this.exit(130)`); see {@link omniCommand}. */
const SF_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGBREAK', 'SIGHUP'] as const;

/**
 * How the user invoked the `omni` topic: the oclif bin plus the topic words before the command's own id
 * (`sf omni` for the id `omni:deploy:report` under sf, `omni` for `deploy:report` under the omni bin).
 */
function commandPrefix(oclifId: string, definitionId: string, bin: string): string {
  const own = definitionId.split(/[: ]/).length;
  const words = oclifId.split(':');
  return [bin, ...words.slice(0, Math.max(0, words.length - own))].join(' ');
}

/**
 * An SfCommand class for an omni command definition: `sf omni …` and the `omni` bin (scripts/cli/run.ts)
 * both run it. `relations` adds oclif's exclusive/dependsOn per flag. The returned class is what the oclif
 * loader (and the manifest) reads: summary, description, examples, flags, args and errorCodes, all from
 * the command's bundle messages/<id>.md.
 */
// biome-ignore lint/suspicious/noExplicitAny: the table erases each command's result type
export function omniCommand(definition: CommandDefinition<any>, relations: Record<string, FlagRelations> = {}) {
  const flags: Record<string, AnyFlag> = {};
  const related: Record<string, FlagRelations> = { ...relations };
  // --concise and --verbose exclude each other (oclif checks it before run, as in sf project deploy start).
  if (definition.flags.concise && definition.flags.verbose) {
    related.concise = { ...related.concise, exclusive: ['verbose'] };
    related.verbose = { ...related.verbose, exclusive: ['concise'] };
  }
  const text = commandHelpText(definition.id);
  for (const [name, def] of Object.entries(definition.flags)) {
    const summary = text.flags[name];
    if (!summary) throw new Error(`messages/${helpBundleName(definition.id)}.md has no "flags.${name}.summary"`);
    flags[name] = toSfFlag(name, def, { summary, description: text.flagDescriptions[name] }, related[name], definition);
  }
  const args: Record<string, Interfaces.Arg<string | undefined>> = {};
  for (const arg of definition.args ?? []) {
    // ignoreStdin: oclif would otherwise read a missing optional argument from piped stdin (`echo x | omni
    // validate`, or a `while read` loop whose input `omni deploy report` swallowed); omni never takes args there.
    args[arg.name] = Args.string({ description: text.args[arg.name], ignoreStdin: true, ...(arg.required ? { required: true } : {}) });
  }
  const commandName = commandClassName(definition.id);

  const command = class extends SfCommand<unknown> {
    public static readonly summary = text.summary;
    public static readonly description = text.description;
    public static readonly examples = text.examples;
    public static readonly flags = flags;
    public static readonly args = args;
    /** Unexpected arguments are refused by oclif (exit 2), except where the last one collects the rest. */
    public static readonly strict = !definition.args?.some((a) => a.variadic);
    public static readonly errorCodes = toHelpSection('ERROR CODES', text.errorCodes);

    /** The exit code of the outcome: `status` of the success envelope (SfCommand reads process.exitCode). */
    private status = 0;

    /**
     * SfCommand's _run subscribes `this.exit(130)` to SIGINT/SIGTERM/SIGBREAK/SIGHUP on every run. omni's
     * long commands trap signals themselves (journal, resume hint, exit 130 or 143), and without a trap
     * Node's default (130/143) is right; so those listeners, added synchronously at the start of _run, are
     * removed again — an in-process caller running many commands would also collect one per run.
     */
    public async _run<T>(): Promise<T> {
      const before = new Map(SF_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
      const running = super._run<T>();
      for (const signal of SF_SIGNALS) {
        for (const listener of process.listeners(signal)) if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
      }
      // …and Node's default made explicit: another listener (a dependency's) must not swallow the signal.
      const untrap = exitOnStopSignals();
      try {
        return await running;
      } finally {
        // After the loop's next poll: a signal that came during the run's last synchronous work is handled first.
        setImmediate(untrap);
      }
    }

    /** `--json`, or SF_CONTENT_TYPE=JSON in the run's environment (sf-plugins-core reads process.env). */
    public jsonEnabled(): boolean {
      return Command.prototype.jsonEnabled.call(this) || currentRun().env.SF_CONTENT_TYPE?.toUpperCase() === 'JSON';
    }

    /**
     * The --json envelope, written in pieces (scripts/cli/write-json.ts) rather than as one string as
     * sf-plugins-core's logJson does: a plan of 100,000 users is tens of MB of JSON.
     */
    public logJson(json: unknown): void {
      writeJson(json, (chunk) => process.stdout.write(chunk));
      process.stdout.write('\n');
    }

    protected toSuccessJson(result: unknown): SfCommand.Json<unknown> {
      return { ...super.toSuccessJson(result), status: this.status };
    }

    /**
     * SfCommand prints core's lifecycle warnings at the end of the run. Core warns "Using insecure protocol:
     * http: on url: …" for every http instance URL; the loopback local org is http by design, so that one
     * warning is dropped for a loopback URL (127.0.0.1, localhost, [::1]) and kept for any other host.
     */
    protected async finally(error: Error | undefined): Promise<unknown> {
      const self = this as unknown as { warningsToFlush: Array<string | Error> };
      self.warningsToFlush = self.warningsToFlush.filter((w) => !LOOPBACK_HTTP_WARNING.test(typeof w === 'string' ? w : w.message));
      return super.finally(error);
    }

    /** Warnings of this run, for the error envelope (SfCommand keeps its own list private). */
    private readonly warned: string[] = [];

    public async run(): Promise<unknown> {
      // Whatever the parse throws is the command line's fault (bad value, missing value, unknown flag, flags that
      // exclude or need each other, a duration or API version that does not parse): classified here by where it
      // came from, not by oclif's exit code, which the host's `oclif.exitCodes` decides (sf sets default: 1 and
      // failedFlagParsing: 2, the omni bin sets none), so both hosts give the same UsageError, exit 2.
      // Under the command's prefix, as run: an error raised while the flags are parsed (OrgUnreachable, an
      // expired session at sf's org lookup) names commands as the user runs them (`sf omni org local` under sf).
      const prefix = commandPrefix(this.id ?? '', definition.id, this.config.bin);
      const { flags: parsed, argv, raw } = await withCommandPrefix(prefix, () =>
        this.parse(this.constructor as typeof command).catch(async (error: Error) => {
          throw (await this.orgFlagError(error)) ?? this.usageError(error);
        }),
      );
      const run = currentRun();
      const json = this.jsonEnabled();
      // sf's multi-stage output, loaded only by a command that draws stages, on a terminal (ink and React
      // are not loaded otherwise); warnings and notes are held while it draws and printed below it.
      const live = new LiveOutput();
      let drawn: StageOutput | undefined;
      let multiStage: ((title: string, labels: string[], detailed: string[]) => StageOutput) | undefined;
      if (definition.stages && !json && !isCi(run.env) && (run.stdout as { isTTY?: boolean }).isTTY) {
        const mso = await import('@oclif/multi-stage-output');
        multiStage = (title, labels, detailed) => (drawn = multiStageOutput(mso, title, labels, detailed, live));
      }
      // sf's table (@oclif/table with sf's defaults), loaded only by a command that prints one, and only once its
      // run is over, before `render` (the one place tables are printed; engines get no `table`): so a collection
      // of what the run left can come first (loadTableAfterRun), and ink, React and yoga are not alive while it works.
      const heapAtStart = definition.tables && !json ? v8.getHeapStatistics().used_heap_size : 0;
      let renderTable: ((rows: Array<Record<string, unknown>>, columns: string[]) => string) | undefined;
      const ui = createUi({
        json,
        env: run.env,
        stdout: run.stdout,
        stderr: run.stderr,
        renderTable: definition.tables && !json ? (rows, columns) => renderTable!(rows, columns) : undefined,
        // sf's yes/no prompt (@inquirer/confirm; on a TTY only, never under --json or CI=true: createUi asks only
        // when interactive).
        ask: (message) => this.confirm({ message }),
        multiStage,
        live,
      });
      const ctx: CommandContext = {
        flags: toFlagValues(parsed as Record<string, unknown>, raw.findLast((r) => r.type === 'flag' && r.flag === TARGET_ORG)?.input),
        args: argv as string[],
        json,
        cwd: run.cwd,
        env: run.env,
        ui,
        commandPrefix: prefix,
        warn: (message) => {
          this.warned.push(message);
          live.write(() => this.warn(message));
        },
      };
      let outcome: CommandOutcome<unknown>;
      try {
        checkInputPaths(definition, ctx.flags, ctx.cwd);
        outcome = await withCommandPrefix(ctx.commandPrefix ?? 'omni', () => definition.run(ctx));
      } catch (error) {
        // an engine that threw mid-stage: the stage shows failed, what was held is printed, then the error
        drawn?.stop('failed');
        live.release();
        throw error;
      }
      drawn?.stop('completed');
      live.release();
      this.status = outcome.status;
      run.status = outcome.status;
      if (!inRun()) process.exitCode = outcome.status;
      if (outcome.printed) return undefined; // the command wrote its own output (a foreground server)
      const render = definition.render;
      if (!json && render && definition.tables) renderTable = await loadTableAfterRun(run.env, heapAtStart);
      if (!json && render) withCommandPrefix(ctx.commandPrefix ?? 'omni', () => render(outcome.result, ui, ctx.flags));
      // oclif prints the envelope of a truthy result only; an empty one still gets its envelope.
      if (json && !outcome.result) this.logJson(this.toSuccessJson(outcome.result));
      return outcome.result;
    }

    /**
     * An error of the command line's parse (unknown flag, bad option value, a flag without its value, missing
     * or unexpected argument, exclusive or dependent flags, a value a typed flag refuses: sf's
     * InvalidDurationError, InvalidApiVersionError, an integer out of range) as omni's UsageError (exit 2, in
     * both hosts): oclif's message without its "See more help" line and with "--flag: " for its "Parsing --flag"
     * header, "Did you mean" for a misspelt flag, and the command's help as the action.
     */
    private usageError(error: Error): Error {
      const flagNames = Object.entries(flags).flatMap(([name, flag]) => [name, ...(flag.aliases ?? [])]);
      const unknown = /Nonexistent flags?: --([\w-]+)/.exec(error.message)?.[1];
      const nearest = unknown ? closest(unknown, ['json', 'flags-dir', ...flagNames]) : undefined;
      const message = error.message
        .replace(/\n\s*See more help with --help\s*$/, '')
        .replace(/^Parsing (--[\w-]+)\s*\n\t/, '$1: ')
        .trim();
      const id = `${this.config.bin} ${toConfiguredId(this.id ?? '', this.config)}`;
      return nearest
        ? catalogueError('UsageError', { variant: 'unknownFlagSuggestion', tokens: [message.replace(/\.?$/, '.'), nearest], actionTokens: [id] })
        : catalogueError('UsageError', { variant: 'unknownFlag', tokens: [message], actionTokens: [id] });
    }

    /**
     * An alias or username of -o/--target-org that sf's optionalOrg could not resolve at parse: omni's
     * NoOrgFound (as when the engine resolves it: exit 2, sf's "Did you mean …?" first among the actions).
     * oclif prefixes the message with "Parsing --target-org" and keeps the error's name and actions.
     */
    private async orgFlagError(error: Error): Promise<Error | undefined> {
      if (!error.message.startsWith(`Parsing --${TARGET_ORG}`)) return undefined;
      const typed = /^Parsing --[\w-]+\s*\n\t([\s\S]*?)\nSee more help with --help\s*$/.exec(error.message)?.[1] ?? error.message;
      // The org the alias names is down (checkOrgReachable): not the flag's fault, so not a usage error. Its own
      // message, and its own exit code (1): oclif marked it with the host's failedFlagParsing exit (sf: 2).
      if (error.name === 'OrgUnreachable') {
        delete (error as { oclif?: unknown }).oclif;
        return Object.assign(error, { message: typed });
      }
      // the value as typed: -o X, --target-org X, --target-org=X or -oX (the last one given wins, as in oclif)
      let target = '';
      for (const [i, arg] of this.argv.entries()) {
        if (arg === '-o' || arg === `--${TARGET_ORG}`) target = this.argv[i + 1] ?? '';
        else if (arg.startsWith(`--${TARGET_ORG}=`)) target = arg.slice(TARGET_ORG.length + 3);
        else if (/^-o./.test(arg)) target = arg.slice(2).replace(/^=/, '');
      }
      const { authError } = await import('../org/connection.ts');
      return authError(Object.assign(error, { message: typed }), target);
    }

    /**
     * Prints the failure as sf does (scripts/cli/failure.ts: the error envelope under --json, "Error
     * (Name): …" and "Try this:" otherwise, no stack trace), records its exit code, and rethrows it marked
     * as handled so oclif's (and sf's) handler only exits with that code.
     */
    public async catch(thrown: Error): Promise<never> {
      this.spinner.stop('Error');
      const run = currentRun();
      // A request the org refused for an API version the user chose and the org does not serve (REST NOT_FOUND,
      // SOAP UNSUPPORTED_API_VERSION): ApiVersionNotServed, naming the version, its source and the fix. The org's
      // versions are read only here, after such a failure.
      const { apiVersionNotServed } = await import('../org/api-version.ts');
      const error: Error = (await apiVersionNotServed(thrown)) ?? thrown;
      // Under the command's prefix: an error mapped here (a request that never reached the org, a session lost after
      // the connect) names commands as the user runs them.
      const prefix = commandPrefix(this.id ?? '', definition.id, this.config.bin);
      const failure = withCommandPrefix(prefix, () => describeFailure(error, commandName, this.warned, run.env));
      if (this.jsonEnabled()) this.logJson(failure.envelope);
      else this.logToStderr(failure.text);
      run.status = failure.exitCode;
      run.failurePrinted = true;
      if (!inRun()) process.exitCode = failure.exitCode;
      const { SfError } = requireHere('@salesforce/core/sfError') as typeof import('@salesforce/core/sfError');
      const handled = new SfError(String(failure.envelope.message), String(failure.envelope.name), failure.envelope.actions as string[], failure.exitCode, error);
      throw Object.assign(handled, { skipOclifErrorHandling: true, oclif: { exit: failure.exitCode } });
    }
  };
  // sf's error JSON names the command by its class (`commandName`): OmniDeploy, OmniAssignPlan, …
  Object.defineProperty(command, 'name', { value: commandName });
  // The definition it was built from, for the tests; not enumerable, so not copied into oclif's manifest.
  Object.defineProperty(command, 'definition', { value: definition, enumerable: false });
  return command;
}
