/**
 * The sf plugin face of omni: each `omni` command as an oclif/sf-plugins-core `SfCommand`
 * (`sf omni deploy`, `sf omni assign plan`, …), declared with typed oclif flags and run through the
 * same `run(ctx)` as `npx omni`, so both paths share one engine call and one result.
 *
 * Why an adapter: the command definitions in scripts/commands/ stay the single description of each
 * command (flags, summaries, exit codes); here each flag gets its sf type (`Flags.optionalOrg` for
 * `-o/--target-org` with sf's alias resolution and "Did you mean" suggestion, `Flags.orgApiVersion`,
 * `Flags.integer({ min, max })` for minutes, `Flags.directory` for output folders) and the parsed values
 * are handed back to `run(ctx)` in the shape it reads (strings), see {@link toFlagValues}.
 * Errors become `SfError`s so `SfCommand` prints sf's error envelope
 * (`{ name, message, exitCode, status, commandName, actions, warnings, context }`).
 * https://github.com/salesforcecli/sf-plugins-core
 */
import type { Interfaces } from '@oclif/core';
import { Flags, SfCommand, toHelpSection } from '@salesforce/sf-plugins-core';
import { Org, SfError } from '@salesforce/core';
import { commandClassName, type CommandContext, type CommandDefinition, type FlagDefinition, type FlagValues } from '../cli/command.ts';
import { OmniError } from '../lib/errors.ts';
import { commandHelpText, helpBundleName } from '../cli/help-text.ts';
import { createUi } from '../cli/ui.ts';

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
 * The oclif flag for one omni flag definition. Org, API version and minutes flags get sf's typed flags;
 * the rest keep their string/boolean type with char, options, multiple, default and required.
 */
export function toSfFlag(name: string, def: FlagDefinition, summary: string, relations: FlagRelations = {}): AnyFlag {
  const common = {
    summary,
    ...(def.short ? { char: def.short as 'a' } : {}),
    ...(def.required ? { required: true as const } : {}),
    ...(def.aliases ? { aliases: def.aliases } : {}),
    ...relations,
  };
  if (name === 'target-org') return Flags.optionalOrg({ ...common, char: 'o' });
  if (name === 'api-version') return Flags.orgApiVersion({ ...common });
  if (name === 'wait' && def.type === 'string') {
    // As sf project deploy start's --wait: a duration in minutes (sf-plugins-core checks the range).
    return Flags.duration({ ...common, unit: 'minutes', ...MINUTES, ...(def.default !== undefined ? { defaultValue: Number(def.default) } : {}) });
  }
  if (name === 'output-dir' && def.type === 'string' && !def.multiple) return Flags.directory({ ...common });
  if (def.integer && def.type === 'string' && !def.multiple) {
    return Flags.integer({ ...common, ...def.integer, ...(def.default !== undefined ? { default: Number(def.default) } : {}) });
  }
  if (def.type === 'boolean') return Flags.boolean({ ...common, ...(def.default !== undefined ? { default: Boolean(def.default) } : {}) });
  const stringOptions = {
    ...common,
    ...(def.options ? { options: [...def.options] } : {}),
    ...(def.valueName ? { helpValue: def.valueName } : {}),
  };
  if (def.multiple) return Flags.string({ ...stringOptions, multiple: true });
  return Flags.string({ ...stringOptions, ...(def.default !== undefined ? { default: String(def.default) } : {}) });
}

/** oclif's parsed flags → the strings and booleans `run(ctx)` reads (an Org becomes its username). */
export function toFlagValues(parsed: Record<string, unknown>): FlagValues {
  const values: FlagValues = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (name === 'json' || name === 'flags-dir') continue;
    if (value instanceof Org) values[name] = value.getUsername();
    // Flags.duration's value is @salesforce/kit's Duration (not a dependency of ours: read it by shape).
    else if (value && typeof value === 'object' && (value as object).constructor?.name === 'Duration') values[name] = String((value as { minutes: number }).minutes);
    else if (typeof value === 'number') values[name] = String(value);
    else values[name] = value as string | boolean | string[] | undefined;
  }
  return values;
}

/** An OmniError as the SfError sf prints: same name, message, actions and exit code; data → `data`. */
export function toSfError(error: unknown): unknown {
  if (!(error instanceof OmniError)) return error;
  const sfError = new SfError(error.message, error.name, error.actions.length ? error.actions : undefined, error.exitCode, error.cause);
  if (error.data !== undefined) sfError.setData(error.data as Parameters<SfError['setData']>[0]);
  return sfError;
}

/**
 * An SfCommand class for an omni command definition. `relations` adds oclif's exclusive/dependsOn per flag.
 * The returned class is what the oclif loader (and the manifest) reads: summary, description, examples,
 * flags, errorCodes (the exit-code table).
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
    flags[name] = toSfFlag(name, def, summary, related[name]);
  }
  const args: Record<string, Interfaces.Arg<string | undefined>> = {};

  const command = class extends SfCommand<unknown> {
    public static readonly summary = text.summary;
    public static readonly description = text.description ?? text.summary;
    public static readonly examples = text.examples;
    public static readonly flags = flags;
    public static readonly args = args;
    /** Commands with positionals (ids, file names) take them as-is; run(ctx) checks them as under `npx omni`. */
    public static readonly strict = !definition.args?.length;
    public static readonly errorCodes = toHelpSection('ERROR CODES', text.errorCodes);

    public async run(): Promise<unknown> {
      const { flags: parsed, argv } = await this.parse(this.constructor as typeof command);
      const json = this.jsonEnabled();
      const ui = createUi({ json, env: process.env });
      const ctx: CommandContext = {
        flags: toFlagValues(parsed as Record<string, unknown>),
        args: argv as string[],
        json,
        cwd: process.cwd(),
        env: process.env,
        ui,
        warn: (message) => {
          this.warn(message);
        },
      };
      let outcome;
      try {
        outcome = await definition.run(ctx);
      } catch (error) {
        throw toSfError(error);
      }
      process.exitCode = outcome.status;
      if (!json && !outcome.printed && definition.render) definition.render(outcome.result, ui, ctx.flags);
      return outcome.result;
    }
  };
  // sf's error JSON names the command by its class (`commandName`): OmniDeploy, OmniAssignPlan, …
  Object.defineProperty(command, 'name', { value: commandClassName(definition.id) });
  return command;
}

