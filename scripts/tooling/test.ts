/**
 * `npm test`: checks the pinned Node runtime, runs vitest, then prints one plain closing line
 * ("N passed, N failed, N skipped") that CI systems and humans read without knowing vitest's format.
 * Extra arguments go to vitest (`npm test -- test/metadata`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `omni-presence needs Node >= 22.18 (found ${process.version}). Run "npm ci" so the pinned node@22 devDependency is installed, then use the npm scripts (npm test, npm run omni).`,
  );
  process.exit(1);
}
console.log(`node ${process.version}`);

// The oclif manifests answer --help and list the commands: written from the current sources, never stale.
const { writeManifests } = await import('./manifest.ts');
await writeManifests();

const reportDir = mkdtempSync(join(tmpdir(), 'omni-test-'));
const reportFile = join(reportDir, 'vitest.json');
const vitest = spawnSync(
  process.execPath,
  [join('node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);

let summary = 'no test results were written';
try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  summary = `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`;
} catch {
  // vitest crashed before reporting; its own output says why.
}
rmSync(reportDir, { recursive: true, force: true });
console.log(summary);
process.exit(vitest.status ?? 1);
