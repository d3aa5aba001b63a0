#!/usr/bin/env node
/**
 * `npm run test:org`: the end-to-end scenarios against the org named by OMNI_E2E_TARGET_ORG (an sf alias).
 * Without it this says why it is skipping and exits 0 — a plain message, not a skipped test.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const alias = process.env.OMNI_E2E_TARGET_ORG;
if (!alias) {
  process.stdout.write('test:org: OMNI_E2E_TARGET_ORG is not set, so the real-org suite did not run (nothing was tested).\n' + '  Set it to an authenticated sf alias, e.g. OMNI_E2E_TARGET_ORG=omni-scratch npm run test:org (after npm run org:create).\n');
  process.exit(0);
}
const vitest = join(root, 'node_modules/.bin/vitest');
const result = spawnSync(vitest, ['run', '--config', 'vitest.org.config.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env: process.env });
process.exit(result.status ?? 1);
