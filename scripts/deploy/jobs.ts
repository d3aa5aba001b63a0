/**
 * Deploys remembered per project in `.omni/deploys/` (gitignored, 0600): `omni deploy report` and
 * `omni deploy resume` without an id pick the last one, and know which org and sources it used.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { catalogueError } from '../lib/messages.ts';
import type { AssignmentSnapshot } from './guard.ts';
import { writePrivateJson } from './files.ts';
import type { DeployOptions } from './sdr-deploy.ts';
import { commandPrefix } from '../lib/io.ts';

export interface DeployRecord {
  id: string;
  createdAt: string;
  org: { label: string; username: string; orgId: string; instanceUrl: string; viaAccessToken: boolean };
  /** Project-relative source directories that were deployed. */
  sourceDirs: string[];
  options: DeployOptions;
  /** Assignments before the deploy, so report/resume can finish the data-loss check. */
  assignmentsBefore?: AssignmentSnapshot;
}

const dir = (projectRoot: string) => join(projectRoot, '.omni', 'deploys');

export async function saveDeployRecord(projectRoot: string, record: DeployRecord): Promise<void> {
  await writePrivateJson(join(dir(projectRoot), `${record.id}.json`), record);
  await writePrivateJson(join(dir(projectRoot), 'last.json'), { id: record.id });
}

export async function loadDeployRecord(projectRoot: string, id?: string): Promise<DeployRecord | undefined> {
  let jobId = id;
  if (!jobId) {
    try {
      jobId = (JSON.parse(await readFile(join(dir(projectRoot), 'last.json'), 'utf8')) as { id: string }).id;
    } catch {
      throw catalogueError('DeployNotFound', { variant: 'noneRemembered', actionTokens: [commandPrefix(), commandPrefix()] });
    }
  }
  if (!/^0Af[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(jobId)) {
    throw catalogueError('InvalidJobId', { tokens: [jobId], actionTokens: [commandPrefix()] });
  }
  for (const candidate of [jobId, jobId.slice(0, 15)]) {
    try {
      return JSON.parse(await readFile(join(dir(projectRoot), `${candidate}.json`), 'utf8')) as DeployRecord;
    } catch {
      // try the next form of the id
    }
  }
  // A deploy started elsewhere (sf, another checkout): report it without local file mapping.
  return undefined;
}
