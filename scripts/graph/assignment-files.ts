/**
 * Where a project's assignment files are by default, apart from reading them (scripts/graph/build.ts): a
 * command that only needs to know whether there are any (validate, explain) does not load the assignment
 * reader (zod, the YAML and CSV readers) for a project that has none.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** The assignment files `omni graph` reads by default: every `config/assignments/*.yaml`, sorted. */
export function defaultAssignmentFiles(projectRoot: string): string[] {
  const dir = path.join(projectRoot, 'config', 'assignments');
  try {
    return readdirSync(dir)
      .filter((f) => /\.ya?ml$/i.test(f))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}
