/**
 * Parity of the sf runner (test/helpers/sf-runner.ts) with spawned sf processes: runs the given test files twice,
 * once with every runner command spawned as its own `sf` process (`OMNI_SF_RUNNER=spawn`) and once in the
 * runner, logs each command's exit code, stdout and stderr (`OMNI_SF_RUN_LOG`), and compares them command by
 * command: the same exit code and the same stdout once run-specific values (ids, ports, temporary folders,
 * times, stack frames) are masked. stderr is compared too but only reported: Node prints its
 * "(Use `node --trace-warnings …`)" hint once per process, and oclif's warnings about sf's missing dev plugins
 * come in either order.
 *
 *   node bench/suite/sf-runner-parity.ts                  (every test file that runs sf commands in the runner)
 *   node bench/suite/sf-runner-parity.ts test/sf-plugin/link.test.ts test/local-org/sf-data.test.ts …
 *
 * Exit 0 when every command agrees on exit code and stdout, 1 otherwise (the differences printed).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
/**
 * The test files whose sf commands run in the runner (sfRun, sfInRunner, loginSf). Not the runner's own test
 * (test/helpers/sf-runner.test.ts), which compares the runner with spawned sf itself and asserts on its process.
 */
const RUNNER_FILES = [
  'test/sf-plugin/link.test.ts',
  'test/local-org/sf-data.test.ts',
  'test/local-org/sf-cli.test.ts',
  'test/local-org/metadata-api/rules.test.ts',
  'test/local-org/metadata-api/sf-cli.test.ts',
  'test/org/resolution.test.ts',
  'test/deploy/e2e.test.ts',
  'test/deploy/record-settings.test.ts',
  'test/setup/scratch.test.ts',
  'test/generate/generate.test.ts',
];
const files = process.argv.length > 2 ? process.argv.slice(2) : RUNNER_FILES;

interface Logged {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(mode: 'spawn' | 'runner', log: string): Logged[] {
  const vitest = join(ROOT, 'node_modules', '.bin', 'vitest');
  const env = { ...process.env, CI: 'true', OMNI_SF_RUN_LOG: log, OMNI_SF_RUNNER: mode === 'spawn' ? 'spawn' : '' };
  const started = performance.now();
  const result = spawnSync(vitest, ['run', ...files], { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  console.log(`${mode}: vitest exit ${result.status} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (result.status !== 0) console.log(result.stdout.slice(-3000));
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Logged);
}

/** Drops `stack` fields (their frames name the runner) and masks what differs from run to run. */
function mask(text: string): string {
  let out = text;
  try {
    out = JSON.stringify(
      JSON.parse(text),
      (key, value) => (key === 'stack' ? undefined : value),
      2,
    );
  } catch {
    // not JSON: masked as text
  }
  return out
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/\b\d{8}T\d{6,9}Z/g, '<time>')
    .replace(/\d{1,2}\/\d{1,2}\/\d{4}, \d{1,2}:\d\d:\d\d [AP]M/g, '<time>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .replace(/\/tmp\/[\w.-]+/g, '<tmp>')
    // record and job ids (15 or 18 characters; the local org's ids start with 0 or 7)
    .replace(/\b[07][0-9A-Za-z]{14}(?:[0-9A-Za-z]{3})?\b/g, '<id>')
    .replace(/(asyncId%3D)[0-9A-Za-z]{15,18}/g, '$1<id>')
    .replace(/\b[a-z]+\.[0-9a-f]{8}@omni\.local\b/g, '<admin>')
    .replace(/"(elapsedTime|duration|durationMs|lastUsed|createdDate|lastModifiedDate|systemModstamp|totalProcessingTime|apiActiveProcessingTime|apexProcessingTime)": ?"?[^",\n]*"?/gi, '"$1": <masked>')
    .replace(/\d+(\.\d+)?ms\b/g, '<ms>')
    .replace(/\b\d+(\.\d+)?s\b/g, '<s>');
}

const dir = mkdtempSync(join(tmpdir(), 'omni-sf-parity-'));
try {
  const spawned = run('spawn', join(dir, 'spawn.jsonl'));
  const runner = run('runner', join(dir, 'runner.jsonl'));
  let differences = 0;
  let stderrDifferences = 0;
  // Files run side by side, so commands are paired by their (masked) command line, the n-th with the n-th.
  const key = (c: Logged) => mask(c.args.join(' '));
  const byKey = new Map<string, Logged[]>();
  for (const c of runner) byKey.set(key(c), [...(byKey.get(key(c)) ?? []), c]);
  for (const a of spawned) {
    const name = `sf ${a.args.join(' ')}`.slice(0, 160);
    const b = byKey.get(key(a))?.shift();
    if (!b) {
      console.log(`${name}: spawned, but not run in the runner`);
      differences++;
      continue;
    }
    const sameOut = mask(a.stdout) === mask(b.stdout);
    if (a.code !== b.code || !sameOut) {
      differences++;
      console.log(`${name}: exit ${a.code} spawned, ${b.code} in the runner${sameOut ? '' : '; stdout differs'}`);
      if (!sameOut) {
        // The lines of each that the other lacks (first ten).
        const la = mask(a.stdout).split('\n');
        const lb = mask(b.stdout).split('\n');
        console.log(`  only spawned: ${JSON.stringify(la.filter((l) => !lb.includes(l)).slice(0, 10))}`);
        console.log(`  only runner:  ${JSON.stringify(lb.filter((l) => !la.includes(l)).slice(0, 10))}`);
      }
      continue;
    }
    const warningsOnly = (s: string) =>
      mask(s)
        .replace(/\(node:\d+\) /g, '')
        .replace(/\(Use `node --trace-warnings[^\n]*\n/g, '')
        .split('\n')
        .sort()
        .join('\n');
    const linesA = warningsOnly(a.stderr).split('\n');
    const linesB = warningsOnly(b.stderr).split('\n');
    const onlyA = linesA.filter((l) => !linesB.includes(l));
    const onlyB = linesB.filter((l) => !linesA.includes(l));
    if (onlyA.length + onlyB.length > 0) {
      stderrDifferences++;
      console.log(`${name}: same exit code and stdout; stderr differs\n  only spawned: ${JSON.stringify(onlyA).slice(0, 800)}\n  only runner:  ${JSON.stringify(onlyB).slice(0, 800)}`);
    }
  }
  for (const rest of byKey.values()) for (const b of rest) {
    console.log(`sf ${b.args.join(' ').slice(0, 160)}: run in the runner, but not spawned`);
    differences++;
  }
  console.log(`${spawned.length} sf commands compared: ${differences} with a different exit code or stdout, ${stderrDifferences} with a different stderr only`);
  process.exitCode = differences === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
