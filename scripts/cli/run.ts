/**
 * The `omni` CLI: oclif running the command classes of scripts/sf/commands/omni — the same classes
 * `sf omni …` runs — under the bin name `omni`, so `omni deploy` ≡ `sf omni deploy` (flags, parsing,
 * help, --json envelope, exit codes). oclif finds the command (`omni assign plan`), answers `--help`,
 * `help <command>`, topic help (`omni assign`) and `--version`; an unknown command gets "Did you mean".
 * Its oclif configuration: scripts/cli/bin-config.ts; its manifest: scripts/tooling/manifest.ts.
 */
import { createRequire } from 'node:module';
import type { Command, Config } from '@oclif/core';
import type { OmniError } from '../lib/errors.ts';
import { catalogueError } from '../lib/messages.ts';
import { closest } from '../lib/suggest.ts';
import { BIN_ROOT, binPjson } from './bin-config.ts';
import { describeFailure } from './failure.ts';
import { asProcessRun, type OutputStream, type RunContext, withRun } from './run-context.ts';

export interface RunOptions {
  /**
   * The process's own command line (the `omni` bin, scripts/omni.ts): one run per process, with the process's
   * cwd, env and streams, kept without an AsyncLocalStorage (see `asProcessRun`). The other options are then
   * not given.
   */
  processOwn?: boolean;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdout?: OutputStream;
  stderr?: OutputStream;
}

/** @oclif/core, required: an ES import reads every export of its index, so loads all of oclif (help, ux…). */
const oclif = () => createRequire(import.meta.url)('@oclif/core') as typeof import('@oclif/core');

let loaded: Promise<Config> | undefined;

/** The oclif Config of the `omni` bin (loaded once per process). */
function omniConfig(): Promise<Config> {
  loaded ??= (async () => {
    const { Config } = oclif();
    const config = await Config.load({ root: BIN_ROOT, pjson: binPjson(), userPlugins: false, devPlugins: false, jitPlugins: false });
    // The command classes are imported from here rather than by oclif's loader, so an in-process caller
    // whose module loader is not Node's (vitest) runs the same module instances it imported itself.
    for (const command of config.commands) {
      const file = `../sf/commands/omni/${command.id.split(':').join('/')}.ts`;
      command.load = async () => {
        const loaded = ((await import(file)) as { default: Command.Class }).default;
        // What oclif's loader sets on a command class it loads (Plugin.findCommand).
        return Object.assign(loaded, { id: command.id, plugin: config.plugins.get(config.name) });
      };
    }
    return config;
  })();
  return loaded;
}

/**
 * Runs one `omni` command line and returns its exit code (0, 1, 2, 3, 68, 69); never throws. `options`
 * give the run its own cwd, env and streams (in-process callers: tests, `npm start`); by default the
 * process's own.
 */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<number> {
  const context: RunContext = {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
  };
  // `omni help deploy` = `omni deploy --help`; `omni version` = `omni --version`.
  const args = argv[0] === 'help' ? [...argv.slice(1), '--help'] : argv[0] === 'version' ? ['--version'] : argv;
  let config: Config | undefined;
  return (options.processOwn ? asProcessRun : withRun)(context, async () => {
    try {
      const { run } = oclif();
      config = await omniConfig();
      await run(args, config);
      return context.status ?? 0;
    } catch (thrown) {
      if (context.failurePrinted) return context.status ?? 1;
      // Failures before a command ran (an unknown command, a broken install): printed as sf prints them.
      const unknown = config && /^command (\S+) not found$/.exec((thrown as Error)?.message ?? '')?.[1];
      const error = unknown && config ? unknownCommand(unknown, config) : thrown;
      const failure = describeFailure(error, 'Omni', [], context.env);
      const json = args.includes('--json') || context.env.SF_CONTENT_TYPE?.toUpperCase() === 'JSON';
      if (json) context.stdout.write(`${JSON.stringify(failure.envelope, null, 2)}\n`);
      else context.stderr.write(`${failure.text}\n`);
      return failure.exitCode;
    }
  });
}

/**
 * An unknown command: a usage error (exit 2) naming the words typed before the first flag, with the
 * nearest command or topic as "Did you mean" (as sf's plugin-not-found suggests, without its prompt).
 */
function unknownCommand(id: string, config: Config): OmniError {
  const typed = id.split(':').join(' ');
  const known = [...config.commandIDs, ...config.topics.map((t) => t.name)].map((name) => name.split(':').join(' '));
  const suggestion = closest(typed.toLowerCase(), [...new Set(known)]);
  return suggestion
    ? catalogueError('UsageError', { variant: 'unknownCommandSuggestion', tokens: [typed, suggestion], actionTokens: [`${config.bin} ${suggestion}`, config.bin] })
    : catalogueError('UsageError', { variant: 'unknownCommand', tokens: [typed], actionTokens: [config.bin] });
}
