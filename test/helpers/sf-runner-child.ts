/**
 * The sf runner: one Node process that runs many sf CLI commands, one after the other, through the sf CLI's
 * own entry (`@salesforce/cli/dist/cli.js` `run()`: its autoupdate settings, `Config.load` of its own root and
 * plugins, oclif's `execute`) — what `node_modules/.bin/sf` does once per process. Started by
 * test/helpers/sf-runner.ts with the environment a spawned sf gets, one runner per test worker; the ~1,000 modules
 * of the sf CLI, @salesforce/core and jsforce then load once instead of once per command (≈ 1 s of CPU each).
 * Each command's environment carries its own sf HOME: oclif's config (data, config and cache folders, linked
 * plugins) is loaded for every command from it, and @salesforce/core finds its auth store, config and key through
 * `os.homedir()` on every call (its caches are keyed by that folder and dropped before each command anyway).
 *
 * Per command (an IPC message `{ id, argv, cwd, env }`): process.argv, process.env and the cwd are set as a
 * fresh process would see them; what a fresh process would not have is dropped (@salesforce/core's auth,
 * config and project caches, its Lifecycle listeners, process.exitCode); stdout and stderr writes are
 * captured; `process.exit(code)` (oclif's error handler) records the exit code instead of ending the runner.
 * The reply is `{ id, code, stdout, stderr }`, as a spawned run would give it.
 *
 * Run: `node --no-deprecation sf-runner-child.ts <sf package root>` with an IPC channel (child_process.fork).
 */
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
