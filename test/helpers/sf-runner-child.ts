/**
 * The sf runner: one Node process that runs many sf CLI commands, one after the other, through the sf CLI's
 * own entry (`@salesforce/cli/dist/cli.js` `run()`: its autoupdate settings, `Config.load` of its own root and
 * plugins, oclif's `execute`) — what `node_modules/.bin/sf` does once per process. Started by
 * test/helpers/sf-runner.ts with the environment a spawned sf gets, one runner per test worker; the ~1,000 modules
 * of the sf CLI, @salesforce/core and jsforce then load once instead of once per command (≈ 1 s of CPU each).
 * Each command's environment carries its own sf HOME: oclif's config (data, config and cache folders, linked
 * plugins) is the one loaded from that environment (kept while its plugin list is unchanged, below), and
 * @salesforce/core finds its auth store, config and key through `os.homedir()` on every call (its caches are keyed
 * by that folder and dropped before each command anyway).
 *
 * Per command (an IPC message `{ id, argv, cwd, env }`): process.argv, process.env and the cwd are set as a
 * fresh process would see them; what a fresh process would not have is dropped (@salesforce/core's auth,
 * config and project caches, its Lifecycle listeners, process.exitCode); stdout and stderr writes are
 * captured; `process.exit(code)` (oclif's error handler) records the exit code instead of ending the runner.
 * The reply is `{ id, code, stdout, stderr }`, as a spawned run would give it.
 *
 * Run: `node --no-deprecation sf-runner-child.ts <sf package root>` with an IPC channel (child_process.fork).
 */
import { realpathSync, statSync } from 'node:fs';
import { createRequire, flushCompileCache } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Request {
  id: number;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

const sfRoot = process.argv[2];
if (!sfRoot || !process.send) throw new Error('usage: node sf-runner-child.ts <sf package root> (with an IPC channel)');
const binPath = join(sfRoot, 'bin', 'run.js');
const sfRequire = createRequire(join(sfRoot, 'dist', 'cli.js'));

// Streams and exit are wrapped before the sf CLI loads: oclif's spinner keeps the write functions it finds
// when it is created (to write around its own mocks).
const realWrite = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
const realExit = process.exit.bind(process);
let current: { stdout: string[]; stderr: string[]; exit?: number } | undefined;

function capture(target: 'stdout' | 'stderr') {
  return function write(this: unknown, chunk: string | Uint8Array, encoding?: unknown, cb?: unknown): boolean {
    if (!current) return (target === 'stdout' ? realWrite.out : realWrite.err)(chunk as string, encoding as BufferEncoding, cb as () => void);
    current[target].push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  };
}
process.stdout.write = capture('stdout') as typeof process.stdout.write;
process.stderr.write = capture('stderr') as typeof process.stderr.write;
process.exit = ((code?: number | string | null) => {
  // oclif's error handler ends the process with the command's exit code as its last step: record it.
  if (!current) realExit(code as number);
  else current.exit ??= Number(code ?? process.exitCode ?? 0);
}) as typeof process.exit;

// What bin/run.js does once per process before loading the CLI.
process.setMaxListeners(Number.parseInt(process.env.SF_MAX_EVENT_LISTENERS ?? '', 10) || 1000);
const { preprocessCliFlags } = (await import(pathToFileURL(join(sfRoot, 'dist', 'flags.js')).href)) as { preprocessCliFlags(p: NodeJS.Process): void };
const cli = (await import(pathToFileURL(join(sfRoot, 'dist', 'cli.js')).href)) as { run(): Promise<unknown> };
// The same @salesforce/core the sf CLI and its plugins resolve (one copy, hoisted).
const core = sfRequire('@salesforce/core') as typeof import('@salesforce/core');

/**
 * sf's oclif Config, loaded once per environment instead of twice per command (sf's `run()` loads it, then
 * oclif's `run` loads it again from that one): every plugin's package.json and manifest, their commands and id
 * permutations, and the garbage of it — ≈ 50–100 ms of CPU a command, most of what a command that fails at its
 * flags cost in the runner (test/sf-plugin/link.test.ts's 36 sf commands: 10.7 → 6.2 s of CPU). It is what a
 * fresh process with that environment loads as long as the HOME's plugin list (the data folder's package.json,
 * which `sf plugins link`/`install` write) is unchanged: each one is keyed by the command's whole environment (its
 * HOME, its SF_ variables) and loaded again once that file's size or time changes. Only sf's own loads are kept
 * (`plugins link` loads the linked plugin's config itself), and only the last few (each holds every plugin's
 * manifest; a test file's commands share one HOME).
 */
const { Config } = (await import(pathToFileURL(sfRequire.resolve('@oclif/core/config')).href)) as typeof import('@oclif/core/config');
type OclifConfig = InstanceType<typeof Config>;
const loadConfig = Config.load.bind(Config);
/** A kept Config, the plugin list it was loaded with, and the warnings its load emitted (sf's missing dev plugins under NODE_ENV=test). */
const configs = new Map<string, { config: OclifConfig; plugins: string; warnings: Parameters<typeof process.emitWarning>[] }>();
const KEEP_CONFIGS = 4;
/** The environment of the command being run, as the key of its Config. */
let configKey: string | undefined;
/** The data folder's plugin list as it is now: size and modification time of its package.json, or absent. */
function pluginList(config: OclifConfig): string {
  try {
    const stat = statSync(join(config.dataDir, 'package.json'));
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'absent';
  }
}
/** What sf's `run()` passes to Config.load (`root`: its dist folder, as its module URL names it); other loads (a plugin's, by `plugins link`) are not cached. */
const sfRootDir = realpathSync(join(sfRoot, 'dist'));
(Config as { load: typeof Config.load }).load = async (opts) => {
  const kept = configKey === undefined ? undefined : configs.get(configKey);
  if (kept && opts === kept.config) return kept.config;
  if (configKey === undefined || typeof opts !== 'object' || opts instanceof Config || opts.root !== sfRootDir) return loadConfig(opts);
  if (kept && pluginList(kept.config) === kept.plugins) {
    // Most recently used last; its load's warnings again, as a fresh process prints them.
    configs.delete(configKey);
    configs.set(configKey, kept);
    for (const warning of kept.warnings) process.emitWarning(...warning);
    return kept.config;
  }
  const warnings: Parameters<typeof process.emitWarning>[] = [];
  const emitWarning = process.emitWarning;
  process.emitWarning = ((...args: Parameters<typeof process.emitWarning>) => {
    warnings.push(args);
    emitWarning.apply(process, args);
  }) as typeof process.emitWarning;
  let config: OclifConfig;
  try {
    config = await loadConfig(opts);
  } finally {
    process.emitWarning = emitWarning;
  }
  configs.delete(configKey);
  configs.set(configKey, { config, plugins: pluginList(config), warnings });
  while (configs.size > KEEP_CONFIGS) configs.delete(configs.keys().next().value as string);
  return config;
};

/** Drops what a fresh process would not have: core's per-HOME/per-project caches and its global Lifecycle. */
async function freshState(): Promise<void> {
  core.StateAggregator.clearInstance();
  (core.StateAggregator as unknown as { instanceMap: Map<string, unknown> }).instanceMap.clear();
  (core.ConfigAggregator as unknown as { instances: Map<string, unknown> }).instances.clear();
  core.SfProject.clearInstances();
  delete (globalThis as { salesforceCoreLifecycle?: unknown }).salesforceCoreLifecycle;
  process.exitCode = undefined;
}

async function runOne(request: Request): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!request.env.HOME) throw new Error('each command of the sf runner brings its sf HOME in its environment');
  for (const key of Object.keys(process.env)) if (!(key in request.env)) delete process.env[key];
  Object.assign(process.env, request.env);
  process.chdir(request.cwd);
  process.argv = [process.execPath, binPath, ...request.argv];
  await freshState();
  configKey = JSON.stringify(Object.entries(request.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  current = { stdout: [], stderr: [] };
  // oclif's flush() waits for 'drain' on stdout after every command; captured writes never reach the real
  // stream, so that listener would stay (one per command: Node's MaxListenersExceededWarning after ten).
  const drains = { stdout: process.stdout.listeners('drain'), stderr: process.stderr.listeners('drain') };
  try {
    preprocessCliFlags(process);
    await cli.run();
    // What a process does after its last statement: pending callbacks run before it exits.
    await new Promise((r) => setImmediate(r));
    const code = current.exit ?? (typeof process.exitCode === 'number' ? process.exitCode : Number(process.exitCode ?? 0));
    return { code, stdout: current.stdout.join(''), stderr: current.stderr.join('') };
  } finally {
    current = undefined;
    process.exitCode = undefined;
    for (const name of ['stdout', 'stderr'] as const) {
      for (const listener of process[name].listeners('drain')) if (!drains[name].includes(listener)) process[name].removeListener('drain', listener as () => void);
    }
  }
}

// One command at a time, in arrival order.
let queue: Promise<unknown> = Promise.resolve();
process.on('message', (message: Request) => {
  queue = queue.then(async () => {
    try {
      process.send!({ id: message.id, ...(await runOne(message)) });
    } catch (error) {
      process.send!({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
    // Node writes its compile cache at exit; the runner may be killed when its worker ends (test/helpers/sf-runner.ts),
    // so what this command compiled is written now (nothing when it compiled nothing new).
    flushCompileCache();
  });
});
process.on('disconnect', () => realExit(0));
process.send({ ready: true });
