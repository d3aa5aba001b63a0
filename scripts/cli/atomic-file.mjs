/**
 * The launcher caches' one way of writing a file (scripts/ts-cache.mjs, resolve-cache.mjs, code-cache.mjs): plain
 * JavaScript, loaded before any TypeScript can be.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes `data` to `file` through a temporary file renamed over it, so that a concurrent run reads the whole file or
 * the one before. A write that fails (a full disk, a file-size limit) leaves no temporary file behind and throws.
 */
export function writeFileAtomicSync(file, data) {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
