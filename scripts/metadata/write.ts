/** Atomic file writes: a crash or Ctrl-C never leaves a half-written file behind. */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { catalogueError } from '../lib/messages.ts';
import { dirname, basename, join } from 'node:path';

/**
 * `mode` is applied exactly (the umask does not narrow it). Without `mode`, a replaced file keeps its
 * own mode, so rewriting a 0600 file never widens it. `verify` sees the bytes as written to the temporary
 * file; a message from it removes the temporary file and throws IllFormedOutput (the target is untouched).
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, mode?: number, verify?: (written: Buffer) => string | undefined): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let finalMode = mode;
  if (finalMode === undefined) {
    try {
      finalMode = (await stat(path)).mode & 0o7777;
    } catch {
      // No existing file: the default mode (subject to the umask) is right.
    }
  }
  try {
    // Created 0600 at most until chmod, so content meant to be private is never readable by others.
    await writeFile(temp, content, finalMode === undefined ? undefined : { mode: finalMode & 0o600 });
    if (finalMode !== undefined) await chmod(temp, finalMode);
    if (verify) {
      const problem = verify(await readFile(temp));
      if (problem) throw catalogueError('IllFormedOutput', { tokens: [path, problem] });
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
