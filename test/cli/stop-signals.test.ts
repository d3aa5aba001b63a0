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

/**
 * A preload that sends `signal` to its own process at the first statSync of the sample's force-app folder (the
 * listing, before the run's first turn of the event loop) or, with `atXml`, at the first open of an XML file (the
 * synchronous read of every file, after which nothing else would give the loop a turn before the run's end).
 */
function preload(signal: string, atXml = false): string {
  const file = path.join(work, `signal-${signal}-${atXml}.cjs`);
  const [fn, test] = atXml ? ['openSync', "String(p).endsWith('-meta.xml')"] : ['statSync', `String(p) === ${JSON.stringify(path.join(REPO_ROOT, 'force-app'))}`];
  writeFileSync(
    file,
    [
      "const fs = require('node:fs');",
      `const original = fs.${fn};`,
      'let sent = false;',
      `fs.${fn} = function (p, ...rest) { if (!sent && ${test}) { sent = true; process.kill(process.pid, ${JSON.stringify(signal)}); } return original.call(this, p, ...rest); };`,
      "require('node:module').syncBuiltinESMExports();",
    ].join('\n'),
  );
  return file;
}

describe('stop signals in a command without a trap', () => {
  test.each([
    ['SIGINT', 130, false],
    ['SIGTERM', 143, false],
    ['SIGINT', 130, true],
    ['SIGTERM', 143, true],
  ])('%s during omni validate ends it with exit %i, not a finished run (during the synchronous XML read: %s)', (signal, code, atXml) => {
    const child = spawnSync(NODE, ['--require', preload(signal, atXml), OMNI_BIN, 'validate'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(child.signal, child.stderr).toBeNull();
    expect(child.status, child.stdout + child.stderr).toBe(code);
    // Stopped before its summary: the run did not go on to report the project valid.
    expect(child.stdout).not.toMatch(/errors?, \d+ warnings?/);
  });
});
