/**
 * Runs one command: finds it by id, parses flags, prints help, runs it and writes the result —
 * the `{ status, result, warnings }` envelope under `--json`, the command's own rendering otherwise.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { COMMANDS, type CommandEntry } from '../commands/index.ts';
import { commandClassName, type CommandContext, type CommandDefinition, type FlagValues } from './command.ts';
import { ExitCode, OmniError } from '../lib/errors.ts';
import { catalogueError } from '../lib/messages.ts';
import { errorMessage, isUnreachable, unreachableError } from '../org/http-errors.ts';
import { redact } from '../lib/redact.ts';
import { createUi } from './ui.ts';
import { closest } from '../lib/suggest.ts';
import { commandHelpText } from './help-text.ts';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Returns the exit code; never throws. */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  // SF_CONTENT_TYPE=JSON asks every sf command for JSON output, as --json does (sf-plugins-core's jsonEnabled).
  const json = argv.includes('--json') || env.SF_CONTENT_TYPE?.toUpperCase() === 'JSON';
  const warnings: string[] = [];
  /** sf's `commandName`/`context` of the error envelope: the command's class name (OmniDeploy, …). */
  let commandName = 'Omni';
  const writeOut = (text: string) => {
    // Two writes, not `text + '\n'`: a big --json result is not copied once more for its line break.
    stdout.write(redact(text));
    stdout.write('\n');
  };

  const fail = (thrown: unknown): number => {
    // A request that never reached the org fails deep inside jsforce/undici as "TypeError: fetch failed".
    const error = !(thrown instanceof OmniError) && isUnreachable(thrown) ? unreachableError(thrown) : thrown;
    const known = error instanceof OmniError;
    const exitCode = known ? error.exitCode : ExitCode.Failed;
    const message = errorMessage(error);
    const actions = known ? error.actions : [];
    const name = error instanceof Error ? error.name : 'Error';
    if (json) {
      // sf's error envelope (SfCommandError.toJson): name, message, exitCode, actions, context, warnings,
      // code, status, commandName; `result` keeps the structured detail omni has always given.
      const envelope: Record<string, unknown> = {
        name,
        message,
        exitCode,
        actions,
        context: commandName,
        result: known ? (error.data ?? null) : null,
        warnings,
        code: name,
        status: exitCode,
        commandName,
      };
      if (!known && env.OMNI_DEBUG) envelope.stack = (error as Error)?.stack;
      writeOut(JSON.stringify(envelope, null, 2));
    } else {
      stderr.write(redact(`Error (${name}): ${message}`) + '\n');
      if (actions.length) stderr.write(redact(`\nTry this:\n${actions.map((a) => `  - ${a}`).join('\n')}`) + '\n');
      if (!known && env.OMNI_DEBUG && error instanceof Error && error.stack) stderr.write(redact(error.stack) + '\n');
    }
    return exitCode;
  };

  try {
    if (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version') {
      stdout.write(`${versionLine()}\n`);
      return ExitCode.Ok;
    }
    // `omni help deploy` = `omni deploy --help`, as oclif's help command.
    if (argv[0] === 'help') return runCli([...argv.slice(1).filter((a) => a !== '--help' && a !== '-h'), '--help'], options);
    const { entry, rest } = findCommand(argv);
    if (!entry) {
      // Only the leading words name a command; flag values after them are not part of it.
      const words = leadingWords(argv);
      if (words.length === 0) {
        stdout.write(topLevelHelp());
        return ExitCode.Ok;
      }
      const topic = words.join(' ');
      const inTopic = COMMANDS.filter((c) => c.id.startsWith(`${topic} `));
      if (inTopic.length) {
        // A topic (`omni assign`): list its commands, like oclif's topic help.
        stdout.write(topicHelp(topic, inTopic));
        return ExitCode.Ok;
      }
      const suggestion = closestCommand(topic);
      throw suggestion
        ? catalogueError('UsageError', { variant: 'unknownCommandSuggestion', tokens: [topic, suggestion], actionTokens: [suggestion] })
        : catalogueError('UsageError', { variant: 'unknownCommand', tokens: [topic] });
    }
    commandName = commandClassName(entry.id);
    if (rest.includes('--help') || rest.includes('-h')) {
      const command = (await entry.load()).default;
      stdout.write(commandHelp(command));
      return ExitCode.Ok;
    }
    const command = (await entry.load()).default;
    const { flags, args } = parseFlags(command, rest);
    const ui = createUi({ json, env, stdout, stderr });
    const ctx: CommandContext = {
      flags,
      args,
      json,
      cwd: options.cwd ?? process.cwd(),
      env,
      ui,
      warn(message) {
        warnings.push(message);
        if (!json) stderr.write(redact(`Warning: ${message}`) + '\n');
      },
    };
    const outcome = await command.run(ctx);
    if (outcome.printed) {
      // The command wrote its own output (e.g. a foreground server that prints before it waits).
    } else if (json) {
      // Written piece by piece: a plan of 100,000 users is tens of MB of JSON, never held as one string.
      writeJson({ status: outcome.status, result: outcome.result, warnings }, (chunk) => stdout.write(redact(chunk)));
      stdout.write('\n');
    } else if (command.render) {
      command.render(outcome.result, ui, flags);
    }
    return outcome.status;
  } catch (error) {
    return fail(error);
  }
}

/** The words before the first flag: the command id as typed. */
function leadingWords(argv: string[]): string[] {
  const words: string[] = [];
  for (const token of argv) {
    if (token.startsWith('-')) break;
    words.push(token);
  }
  return words;
}

/** `omni-presence/0.1.0 linux-x64 node-v22.18.0`, the shape of `sf --version`. */
function versionLine(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return `${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}`;
}

/** Levenshtein distance (insert, delete, substitute: 1 each). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** The command id (or topic) nearest a mistyped one, when it is close enough to be a typo (≤ 1/3 of its length). */
export function closestCommand(typed: string): string | undefined {
  const candidates = new Set(COMMANDS.flatMap((c) => [c.id, c.id.split(' ')[0]]));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(typed.toLowerCase(), candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

function topicHelp(topic: string, commands: CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.id.length));
  return [
    `omni ${topic} — commands`,
    '',
    'USAGE',
    `  omni ${topic} <command> [flags] [--json]`,
    '',
    'COMMANDS',
    ...commands.map((c) => `  ${c.id.padEnd(width)}  ${commandHelpText(c.id).summary}`),
    '',
    `Run "omni ${topic} <command> --help" for a command's flags, exit codes and examples.`,
    '',
  ].join('\n');
}

function findCommand(argv: string[]): { entry?: CommandEntry; rest: string[] } {
  const words: string[] = [];
  for (const token of argv) {
    if (token.startsWith('-')) break;
    words.push(token);
  }
  for (let n = words.length; n > 0; n--) {
    const id = words.slice(0, n).join(' ');
    const entry = COMMANDS.find((c) => c.id === id);
    if (entry) {
      const index = argv.indexOf(words[n - 1]);
      return { entry, rest: argv.slice(index + 1) };
    }
  }
  return { rest: argv };
}

function parseFlags(command: CommandDefinition<unknown>, rest: string[]): { flags: FlagValues; args: string[] } {
  const options: NonNullable<ParseArgsConfig['options']> = { json: { type: 'boolean' } };
  for (const [name, def] of Object.entries(command.flags)) {
    options[name] = { type: def.type, multiple: def.multiple ?? false, ...(def.short ? { short: def.short } : {}) };
  }
  // Old flag names (`aliases`) still work: `--assignments x` is read as `--file x`.
  const renamed = new Map<string, string>();
  for (const [name, def] of Object.entries(command.flags)) for (const alias of def.aliases ?? []) renamed.set(`--${alias}`, `--${name}`);
  const tokens = !renamed.size
    ? rest
    : rest.map((token) => {
      const [flag, ...value] = token.split('=');
      const target = renamed.get(flag);
      return target ? [target, ...value].join('=') : token;
    });
  let parsed;
  try {
    parsed = parseArgs({ args: tokens, options, allowPositionals: true, strict: true, allowNegative: true });
  } catch (error) {
    // node:util names the unknown flag as 'Unknown option '--taget-org''; suggest the nearest declared one as sf does.
    const message = (error as Error).message.replace(/\. To specify a positional.*$/s, '.');
    const unknown = /^Unknown option '--([^'=]+)'/.exec(message)?.[1];
    const nearest = unknown ? closest(unknown, ['json', ...Object.keys(command.flags)]) : undefined;
    throw nearest
      ? catalogueError('UsageError', { variant: 'unknownFlagSuggestion', tokens: [message, nearest], actionTokens: [command.id] })
      : catalogueError('UsageError', { variant: 'unknownFlag', tokens: [message], actionTokens: [command.id] });
  }
  const flags: FlagValues = { ...(parsed.values as FlagValues) };
  // allowNegative reads --no-x as x=false; a flag declared as `no-x` (e.g. --no-prompt) means --no-x itself.
  for (const name of Object.keys(command.flags)) {
    const positive = name.slice(3);
    if (name.startsWith('no-') && !(positive in command.flags) && flags[positive] === false) {
      flags[name] = true;
      delete flags[positive];
    }
  }
  for (const [name, def] of Object.entries(command.flags)) {
    if (flags[name] === undefined && def.default !== undefined) flags[name] = def.default;
    const value = flags[name];
    if (def.required && (value === undefined || (Array.isArray(value) && value.length === 0))) {
      throw catalogueError('UsageError', { variant: 'missingFlag', tokens: [name], actionTokens: [command.id] });
    }
    if (def.integer && typeof value === 'string') {
      const n = Number(value);
      const { min, max } = def.integer;
      if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
        throw catalogueError('UsageError', { variant: 'integerRange', tokens: [name, min, max, value], actionTokens: [command.id] });
      }
    }
    if (def.options && value !== undefined) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (!def.options.includes(String(v))) {
          throw catalogueError('UsageError', { variant: 'flagOption', tokens: [name, def.options.join(', '), String(v)], actionTokens: [command.id] });
        }
      }
    }
  }
  const declared = command.args ?? [];
  const required = declared.filter((a) => a.required).length;
  if (parsed.positionals.length < required) {
    throw catalogueError('UsageError', { variant: 'missingArgument', tokens: [declared[parsed.positionals.length].name.toUpperCase()], actionTokens: [command.id] });
  }
  if (!declared.some((a) => a.variadic) && parsed.positionals.length > declared.length) {
    throw catalogueError('UsageError', { variant: 'unexpectedArgument', tokens: [parsed.positionals[declared.length]], actionTokens: [command.id] });
  }
  return { flags, args: parsed.positionals };
}

export function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.id.length));
  return [
    'omni — Omni-Channel presence configuration as code for Salesforce orgs',
    '',
    'USAGE',
    '  omni <command> [flags] [--json]',
    '',
    'COMMANDS',
    ...COMMANDS.map((c) => `  ${c.id.padEnd(width)}  ${commandHelpText(c.id).summary}`),
    '',
    'Run "omni <command> --help" for a command\'s flags, exit codes and examples.',
    '',
  ].join('\n');
}

export function commandHelp(command: CommandDefinition<unknown>): string {
  const text = commandHelpText(command.id);
  const lines: string[] = [text.summary, ''];
  if (text.description) lines.push(text.description, '');
  const argsUsage = (command.args ?? []).map((a) => {
    const word = a.name.toUpperCase() + (a.variadic ? '…' : '');
    return a.required ? word : `[${word}]`;
  });
  lines.push('USAGE', `  omni ${command.id}${argsUsage.length ? ' ' + argsUsage.join(' ') : ''} [flags]`, '');
  if (command.args?.length) {
    lines.push('ARGUMENTS');
    for (const a of command.args) lines.push(`  ${a.name.toUpperCase().padEnd(20)}  ${text.args[a.name]}`);
    lines.push('');
  }
  lines.push('FLAGS');
  const rows: Array<[string, string]> = Object.entries(command.flags).map(([name, def]) => {
    const value = def.type === 'string' ? ` ${def.valueName ?? (def.options ? def.options.join('|') : 'VALUE')}` : '';
    const left = `${def.short ? `-${def.short}, ` : '    '}--${name}${value}${def.aliases?.length ? ` (also --${def.aliases.join(', --')})` : ''}`;
    const extra = [def.multiple ? 'repeatable' : '', def.default !== undefined ? `default: ${def.default}` : '', def.required ? 'required' : '']
      .filter(Boolean)
      .join('; ');
    return [left, text.flags[name] + (extra ? ` (${extra})` : '')];
  });
  rows.push(['    --json', 'Print only the JSON envelope { status, result, warnings }.']);
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [left, right] of rows) lines.push(`  ${left.padEnd(width)}  ${right}`);
  lines.push('', 'ERROR CODES');
  for (const [code, meaning] of Object.entries(text.errorCodes)) lines.push(`  ${code.padStart(3)}  ${meaning}`);
  if (text.examples.length) {
    lines.push('', 'EXAMPLES');
    for (const example of text.examples) lines.push(`  ${example.replace('<%= config.bin %> <%= command.id %>', `omni ${command.id}`)}`);
  }
  lines.push('');
  return lines.join('\n');
}

/** Arrays longer than this are written element by element. */
const STREAM_ARRAY = 500;

/**
 * Writes `value` as `JSON.stringify(value, null, 2)` would, byte for byte, but in pieces: arrays of more
 * than STREAM_ARRAY elements (and the objects holding them) are written one element at a time, each
 * piece a whole JSON value (so no string, and no secret inside one, is ever split between two pieces).
 */
export function writeJson(value: unknown, write: (chunk: string) => void, indent = ''): void {
  const inner = `${indent}  `;
  const nested = (text: string) => text.replace(/\n/g, `\n${inner}`);
  if (Array.isArray(value) && value.length > STREAM_ARRAY) {
    write('[');
    let pending = '';
    value.forEach((element, i) => {
      const text = JSON.stringify(element, null, 2);
      pending += `${i ? ',' : ''}\n${inner}${text === undefined ? 'null' : nested(text)}`;
      if (pending.length > 65_536) {
        write(pending);
        pending = '';
      }
    });
    write(`${pending}\n${indent}]`);
    return;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== 'function' && holdsLongArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
    if (!entries.length) {
      write('{}');
      return;
    }
    write('{');
    entries.forEach(([key, v], i) => {
      write(`${i ? ',' : ''}\n${inner}${JSON.stringify(key)}: `);
      writeJson(v, write, inner);
    });
    write(`\n${indent}}`);
    return;
  }
  const text = JSON.stringify(value, null, 2);
  write(text === undefined ? 'undefined' : indent ? text.replace(/\n/g, `\n${indent}`) : text);
}

/** Whether an array worth streaming sits in `value` (a few levels down: envelope → result → items). */
function holdsLongArray(value: unknown, depth = 0): boolean {
  if (Array.isArray(value)) return value.length > STREAM_ARRAY;
  if (value === null || typeof value !== 'object' || depth > 3) return false;
  return Object.values(value as Record<string, unknown>).some((v) => holdsLongArray(v, depth + 1));
}
