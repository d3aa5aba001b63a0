import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Files that change process-wide state the next file in the same worker would inherit (HOME, read once by
 * @salesforce/core, unless switched per test with test/helpers/sf-home.ts): they get a fresh worker. None
 * now. Every other file shares its worker's loaded modules (`isolate: false`): the CLI's dependencies (@salesforce/core, SDR, jsforce) load once per worker instead
 * of once per file, and no worker is started per file (≈ 0.4 s each).
 */
const OWN_WORKER: string[] = [];

/**
 * The longest files (by their own wall time: latency, kill loops, the sf CLI), started first so that no
 * long file starts last and runs alone on an otherwise finished suite. Others follow vitest's order.
 */
const LONGEST_FIRST = [
  // sf CLI interop: sf's bulk commands poll every 5 s, each sf start is ~1-2 s of CPU.
  'test/sf-plugin/link.test.ts',
  'test/local-org/sf-data.test.ts',
  'test/org/hostile-org.test.ts',
  'test/assign/kill-loop.test.ts',
  'test/assign/fault-scenario.test.ts',
  'test/local-org/sf-cli.test.ts',
  'test/local-org/metadata-api/rules.test.ts',
  'test/local-org/metadata-api/sf-cli.test.ts',
  'test/org/resolution.test.ts',
  'test/deploy/e2e.test.ts',
  'test/deploy/terminal.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((f) => spec.moduleId.endsWith(f));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    return sorted.map((spec, i) => ({ spec, i })).sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i).map((x) => x.spec);
  }
}

export default defineConfig({
  test: {
    // Asserts at the end that no process the suite started is still running.
    globalSetup: ['test/global-setup.ts'],
    // console.Console for ink (sf's tables, multi-stage output) under vitest's console
    setupFiles: ['test/helpers/console-setup.ts'],
    // Tests start local orgs and spawn the real CLI (and the sf CLI), six files at a time on 2 CPUs: room for
    // a loaded machine (six spawns of `omni --help` took 30–40 s at load average 30). A deadline, not a budget.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one worker per CPU minus one: a single worker on 2 CPUs, so the suite ran one file
    // at a time while most files wait on sockets, org latency, sf's polls and child processes. With four, the
    // two CPUs still idled whenever the four files running were waiting (the first minute: kill-loop, link,
    // sf-data, hostile-org together kept ~1.6 CPUs busy); six keep them busy (bench/suite/timeline.ts shows
    // it; re-check with `CI=true node bench/suite/run.ts --maxWorkers=4` against the default).
    maxWorkers: 6,
    sequence: { sequencer: LongestFirst },
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'shared-worker', include: ['test/**/*.test.ts'], exclude: OWN_WORKER, isolate: false } },
      ...(OWN_WORKER.length ? [{ extends: true, test: { name: 'own-worker', include: OWN_WORKER, isolate: true } }] : []),
    ],
  },
});
