/**
 * Reading Omni metadata from the org: one SDR retrieve (source format, into a temp dir) plus
 * listMetadata for what exists only in the org. Shared by `omni retrieve` and `omni plan`.
 */
import type { Connection } from '@salesforce/core';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { OmniError } from '../lib/errors.ts';
import { authError } from '../org/connection.ts';
import { isSessionError } from '../org/http-errors.ts';
import { METADATA_TYPES, typeForFile } from '../metadata/registry.ts';
import type { MetadataTypeDef } from '../metadata/registry.ts';
import { catalogueError } from '../lib/messages.ts';
import { contentComponents, type ContentComponent } from './content-compare.ts';

/** Interval of the retrieve's status polls (ms), and the wait before the first. */
const RETRIEVE_POLL_MS = 500;

/** The types that exist only with Omni-Channel on and are retrieved by wildcard. */
export const OMNI_TYPES = METADATA_TYPES.filter((t) => t.requiresOmni && !t.fixedFullName).map((t) => t.name);

export interface Member {
  type: string;
  fullName: string;
}

export interface RetrievedFile {
  type: MetadataTypeDef;
  fullName: string;
  text: string;
}

export interface OrgRead {
  files: RetrievedFile[];
  /** Retrieve warnings (e.g. a component that does not exist in the org). */
  messages: string[];
  /** Content components retrieved (the registry's content types), read before the temp dir goes. */
  contents: ContentComponent[];
}

/** One retrieve of `members` (fullName `*` = all of that type). */
export async function retrieveMembers(connection: Connection, members: Member[], apiVersion?: string): Promise<OrgRead> {
  if (members.length === 0) return { files: [], messages: [], contents: [] };
  const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
  const cs = new ComponentSet(members.map((m) => ({ fullName: m.fullName, type: packageTypeOf(m.type) })));
  if (apiVersion) {
    cs.apiVersion = apiVersion;
    cs.sourceApiVersion = apiVersion;
  }
  const dir = await mkdtemp(join(tmpdir(), 'omni-retrieve-'));
  try {
    const retrieve = await cs.retrieve({ usernameOrConnection: connection, output: dir, merge: false, format: 'source' });
    // Small retrieves finish within a second; poll at 500 ms rather than SDR's default 1 s. SDR polls at once,
    // when a just-queued job cannot be done yet: the first poll waits one interval (same finish, one request fewer).
    await sleep(RETRIEVE_POLL_MS);
    const result = await retrieve.pollStatus(RETRIEVE_POLL_MS, 30 * 60);
    const files: RetrievedFile[] = [];
    const seen = new Set<string>();
    for (const r of result.getFileResponses()) {
      if (!r.filePath || seen.has(r.filePath) || r.state === 'Failed') continue;
      seen.add(r.filePath);
      const typed = typeForFile(r.filePath);
      if (!typed) continue;
      files.push({ type: typed.type, fullName: typed.fullName, text: await readFile(r.filePath, 'utf8') });
    }
    const messages = ensureArray(result.response.messages).map((m) => `${m.fileName}: ${m.problem}`);
    const contents = await contentComponents(result.components.getSourceComponents());
    return { files, messages, contents };
  } catch (error) {
    if (error instanceof OmniError) throw error;
    // A token that expired during the command: the login hint, not "check Omni-Channel".
    if (isSessionError(error)) throw authError(error, connection.getUsername() ?? connection.instanceUrl, connection.instanceUrl);
    throw catalogueError('RetrieveFailed', { tokens: [(error as Error).message], cause: error });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** fullNames per type in the org, via listMetadata (3 types per call, as the API allows). */
export async function listOrgMembers(connection: Connection, types: string[]): Promise<Member[]> {
  const out: Member[] = [];
  const calls: Array<Promise<void>> = [];
  for (let i = 0; i < types.length; i += 3) {
    const batch = types.slice(i, i + 3).map((type) => ({ type }));
    calls.push(
      connection.metadata.list(batch).then((props) => {
        for (const p of ensureArray(props)) if (p?.fullName && p.type) out.push({ type: p.type, fullName: p.fullName });
      }),
    );
  }
  await Promise.all(calls);
  return out;
}

function packageTypeOf(typeName: string): string {
  return METADATA_TYPES.find((t) => t.name === typeName)?.packageTypeName ?? typeName;
}

export function ensureArray<T>(value: T | T[] | undefined | null): T[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}
