/** The project's vitest config plus the per-file CPU probe of bench/suite/run.ts. */
import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

export default mergeConfig(base, {
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: { setupFiles: [fileURLToPath(new URL('./cpu-per-file.ts', import.meta.url))] },
});
