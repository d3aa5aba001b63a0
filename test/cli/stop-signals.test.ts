/**
 * A command with no trap of its own ends on SIGINT/SIGTERM with 130/143, as Node's default action would, even
 * though a dependency listens to the signals too (signal-exit, which proper-lockfile loads, swallows a signal
 * when its subscriber and listener counts differ: `omni validate` then ran to its end and exited 0). The signal
 * is sent from inside the run, deterministically: a preload makes the process signal itself when validate
 * looks at the project's package directory (its first read of the project, inside the command's run).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { OMNI_BIN, REPO_ROOT } from '../helpers/paths.ts';
import { NODE } from '../helpers/traced-bin.ts';

const work = mkdtempSync(path.join(tmpdir(), 'omni-stop-signals-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A preload that sends `signal` to its own process at the first statSync of the sample's force-app folder. */
function preload(signal: string): string {
  const file = path.join(work, `signal-${signal}.cjs`);
  writeFileSync(
    file,
    [
      "const fs = require('node:fs');",
      'const statSync = fs.statSync;',
      'let sent = false;',
      `fs.statSync = function (p, ...rest) { if (!sent && String(p) === ${JSON.stringify(path.join(REPO_ROOT, 'force-app'))}) { sent = true; process.kill(process.pid, ${JSON.stringify(signal)}); } return statSync.call(this, p, ...rest); };`,
      "require('node:module').syncBuiltinESMExports();",
    ].join('\n'),
  );
  return file;
}

describe('stop signals in a command without a trap', () => {
  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])('%s during omni validate ends it with exit %i, not a finished run', (signal, code) => {
    const child = spawnSync(NODE, ['--require', preload(signal), OMNI_BIN, 'validate'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(child.signal, child.stderr).toBeNull();
    expect(child.status, child.stdout + child.stderr).toBe(code);
    // Stopped before its summary: the run did not go on to report the project valid.
    expect(child.stdout).not.toMatch(/errors?, \d+ warnings?/);
  });
});
