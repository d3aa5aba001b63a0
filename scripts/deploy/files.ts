/** Deploy state under `.omni/`: atomic writes with private modes for files that hold usernames. */
import { chmod, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../metadata/write.ts';

export { writeFileAtomic };

/** JSON state that names users: readable by the owner only. */
export async function writePrivateJson(path: string, value: unknown): Promise<void> {
  // The folder too: its file names are job ids and snapshot times, but nobody else needs to list them.
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n', 0o600);
  // rename keeps the temp file's mode, but a umask may have narrowed or an old file widened it: pin it.
  await chmod(path, 0o600);
}
