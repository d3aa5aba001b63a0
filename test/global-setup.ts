/**
 * vitest globalSetup: marks every process the suite starts, and at the end asserts none survives.
 *
 * The marker is an environment variable (inherited by test workers, the CLIs they spawn, the sf CLI and
 * anything those detach, such as an `sf update --autoupdate`), so a leaked process is found even after it
 * has been re-parented to init. vitest's own processes (workers, watchdog) are not counted.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MARKER = 'OMNI_TEST_RUN';

/**
 * The workers' sf runners (test/helpers/sf-runner.ts): each serves its worker's files and ends with its worker —
 * after this teardown, which vitest runs before it stops the workers — so they are checked when vitest exits.
 */
const WORKER_BOUND = /sf-runner-child/;

/** Processes (pid → command line) whose environment carries this run's marker, other than this process. */
function marked(run: string, options: { workerBound?: boolean } = {}): Map<number, string> {
  const found = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${MARKER}=${run}`)) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
      // vitest's own helpers (pool workers, its watchdog) end with vitest itself, after this teardown.
      if (/vitest/.test(command)) continue;
      if (WORKER_BOUND.test(command) !== Boolean(options.workerBound)) continue;
      found.set(pid, command);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

export function setup(): () => Promise<void> {
  const run = randomUUID();
  process.env[MARKER] = run;
  // Every process the suite spawns (the omni bin, the sf CLI, helper scripts) and the test workers themselves
  // inherit this: Node's compile cache keeps V8's code for the modules they load, checked against each
  // module's source, so the ~1,000 modules of @salesforce/core, jsforce and the sf CLI are parsed and
  // compiled once per run instead of once per process (≈ 15 % of an sf CLI start's CPU). A folder of its own,
  // not the launcher's default (node_modules/.cache/omni-presence/compile), which test/cli/launcher.test.ts
  // deletes and refills while the other files' processes would be writing to it.
  // https://nodejs.org/api/module.html#module-compile-cache
  process.env.NODE_COMPILE_CACHE ??= join(import.meta.dirname, '..', 'node_modules', '.cache', 'omni-presence', 'test-compile');
  // vitest exits once its workers are down: by then every worker has stopped its sf runner (or the runner, whose
  // IPC channel closed, has ended itself). One still running is a leak like any other: killed, and the run fails.
  process.once('exit', () => {
    if (process.platform !== 'linux') return;
    const deadline = Date.now() + 2_000;
    let left = marked(run, { workerBound: true });
    while (left.size > 0 && Date.now() < deadline) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100); // an 'exit' listener cannot await
      left = marked(run, { workerBound: true });
    }
    if (left.size === 0) return;
    for (const pid of left.keys()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    process.stderr.write(`${left.size} sf runner(s) were still running after the test workers ended (killed now):\n${[...left].map(([pid, cmd]) => `  ${pid} ${cmd.slice(0, 200)}`).join('\n')}\n`);
    process.exitCode = 1;
  });
  return async () => {
    if (process.platform !== 'linux') return;
    let survivors = marked(run);
    // Pool workers and servers closing in afterAll get a moment; a real leak is still there after it.
    for (let waited = 0; survivors.size > 0 && waited < 10_000; waited += 250) {
      await new Promise((r) => setTimeout(r, 250));
      survivors = marked(run);
    }
    if (survivors.size > 0) {
      const list = [...survivors].map(([pid, cmd]) => `  ${pid} ${cmd.slice(0, 200)}`).join('\n');
      for (const pid of survivors.keys()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      throw new Error(`${survivors.size} process(es) started by the test suite were still running after it (killed now):\n${list}`);
    }
  };
}
