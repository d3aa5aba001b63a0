/**
 * `omni retrieve`: fetch the Omni metadata from the org and write it in the project's canonical
 * form (the serializer's order and format), so retrieving what was just deployed changes no byte.
 * PermissionSets/Profiles only get their status-access part replaced; usernames can be moved out of
 * the XML into a per-org assignment file.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { EngineIo } from '../lib/io.ts';
import { ExitCode, } from '../lib/errors.ts';
import { parseMetadata } from '../metadata/document.ts';
import { METADATA_TYPES, getType, isOmniComponent, sourceFilePath } from '../metadata/registry.ts';
import { serializeMetadata } from '../metadata/serialize.ts';
import { writeFileAtomic } from '../metadata/write.ts';
import { describeOrg, resolveOrg, type OrgTarget } from '../org/connection.ts';
import { readStatusAccesses, setStatusAccesses } from '../yaml-spec/status-access.ts';
import { retrieveMembers } from './org-read.ts';
import type { Member } from './org-read.ts';
import { omniDisabledError } from './pipeline.ts';
import { loadProjectDocuments } from './project-docs.ts';
import { withStages } from './stages.ts';
import { emptyExtraction, extractSectionOf, recordUsers, takeUsers, writeAssignmentFile } from './assignments-file.ts';
import { catalogueError, countText, messageText } from '../lib/messages.ts';
import { outputWriteError } from '../lib/state-file.ts';

export type FileAction = 'created' | 'updated' | 'unchanged';

export interface RetrieveCommandResult {
  org: { username: string; instanceUrl: string };
  outputDir: string;
  files: Array<{ type: string; fullName: string; file: string; action: FileAction }>;
  summary: Record<FileAction, number>;
  /** Set with --extract-assignments: where the usernames went. */
  assignmentsFile: string | null;
  messages: string[];
}

/** What to retrieve and where: the typed input of the retrieve engine (omni retrieve's flags). */
export interface RetrieveRequest {
  /** Package directory to write to, relative to the working directory; absent: the default package directory. */
  outputDir?: string;
  /**
   * What to retrieve, as sf's `--metadata`: `TYPE` (every component of the type in the org) or `TYPE:NAME`
   * (that component); empty: what the project has (or every Omni type in an empty project).
   */
  metadata: string[];
  /** Assignment file that receives the usernames the retrieved files hold. */
  extractAssignments?: string;
}

/** The retrieve engine: org → canonical XML in the project. `org.connect` names the org. */
export async function runRetrieve(
  org: OrgTarget,
  request: RetrieveRequest,
  ctx: EngineIo,
): Promise<{ status: number; result: RetrieveCommandResult }> {
  const project = await loadProjectDocuments(ctx.cwd, []);
  const outputDir = resolve(ctx.cwd, request.outputDir ?? project.defaultPackageDir);
  // TYPE or TYPE:NAME (a name may itself hold colons: only the first one separates).
  const requested = request.metadata.map((entry) => {
    const at = entry.indexOf(':');
    return at < 0 ? { type: entry, fullName: undefined } : { type: entry.slice(0, at), fullName: entry.slice(at + 1) };
  });
  const known = METADATA_TYPES.map((t) => t.name);
  for (const { type } of requested) {
    if (!known.includes(type)) throw catalogueError('UsageError', { variant: 'unknownType', tokens: [type, known.join(', ')] });
  }

  // What to retrieve: the named types (all of them in the org), else what the project has, else every Omni type.
  const members: Member[] = [];
  const projectByKey = new Map(project.documents.map((d) => [`${d.type.name}:${d.fullName}`, d]));
  if (requested.length) {
    for (const { type: t, fullName } of requested) {
      // PermissionSet/Profile: only files the project has (their status access is all that is ours).
      if (getType(t).partial) members.push(...project.documents.filter((d) => d.type.name === t && (fullName === undefined || d.fullName === fullName)).map((d) => ({ type: t, fullName: d.fullName })));
      else members.push({ type: t, fullName: fullName ?? METADATA_TYPES.find((x) => x.name === t)?.fixedFullName ?? '*' });
    }
  } else if (project.documents.length) {
    members.push(...project.documents.map((d) => ({ type: d.type.name, fullName: d.fullName })));
  } else {
    // An empty project gets the whole Omni setup: the Omni types, the queues (only the Omni-routed ones
    // are kept, below) and the Omni-Channel settings, so retrieve → import → generate --check is clean.
    members.push(...METADATA_TYPES.filter((t) => !t.partial).map((t) => ({ type: t.name, fullName: t.fixedFullName ?? '*' })));
  }
  const queueWildcardForEmptyProject = !requested.length && !project.documents.length;

  const { session, info, read } = await withStages(ctx, messageText('deploy-output', 'stages.retrieve'), [messageText('deploy-output', 'stages.connect'), messageText('deploy-output', 'stages.retrieving')], async (stages) => {
    const session = await resolveOrg(org, ctx.env);
    const info = await describeOrg(session);
    if (!info.omniEnabled) throw omniDisabledError(session, ctx);
    stages.goto(messageText('deploy-output', 'stages.retrieving'));
    const read = await retrieveMembers(session.connection, members, project.sourceApiVersion);
    return { session, info, read };
  });

  const extractTo = request.extractAssignments;
  const extracted = emptyExtraction();
  const files: RetrieveCommandResult['files'] = [];
  const messages = [...read.messages];
  const notRouted: string[] = [];
  for (const file of read.files) {
    // Queues without a routing configuration are not part of the Omni setup (email, case or lead queues).
    if (queueWildcardForEmptyProject && !isOmniComponent(file.type, file.text)) {
      notRouted.push(file.fullName);
      continue;
    }
    const existing = projectByKey.get(`${file.type.name}:${file.fullName}`);
    // Keep a component where the project has it (if that is under the output dir); new ones go to the default layout.
    const target =
      existing?.path && resolve(project.projectRoot, existing.path).startsWith(outputDir + sep) && !request.outputDir
        ? resolve(project.projectRoot, existing.path)
        : join(outputDir, sourceFilePath(file.type, file.fullName));
    let current: string | undefined;
    try {
      current = await readFile(target, 'utf8');
    } catch {
      current = undefined;
    }
    let next: string;
    if (file.type.partial) {
      // Only the status-access part of files the project has is ours: the rest comes from the project's
      // file (also when writing to another --output-dir), never from the org's full permission set.
      const base = current ?? (existing?.path ? await readFile(resolve(project.projectRoot, existing.path), 'utf8') : undefined);
      if (base === undefined) continue;
      const enabled = readStatusAccesses(file.text).filter((a) => a.enabled).map((a) => a.status);
      next = setStatusAccesses(base, enabled) ?? base;
    } else {
      const parsed = parseMetadata(file.text, { type: file.type, fullName: file.fullName });
      if (!parsed.document) {
        throw catalogueError('RetrieveParseFailed', { tokens: [file.type.name, file.fullName, parsed.diagnostics[0]?.message ?? 'unknown error'] });
      }
      // Usernames (configuration users, queue user members) move into the assignment file: none stays in source.
      if (extractTo && extractSectionOf(file.type.name)) recordUsers(extracted, file.type.name, file.fullName, takeUsers(parsed.document));
      next = serializeMetadata(parsed.document);
    }
    const action: FileAction = current === undefined ? 'created' : current === next ? 'unchanged' : 'updated';
    if (action !== 'unchanged') {
      await writeFileAtomic(target, next).catch((error) => {
        throw outputWriteError(rel(project.projectRoot, target), error);
      });
    }
    files.push({ type: file.type.name, fullName: file.fullName, file: rel(project.projectRoot, target), action });
  }

  let assignmentsFile: string | null = null;
  if (extractTo) {
    const path = resolve(ctx.cwd, extractTo);
    await writeAssignmentFile(path, extracted, {
      projectRoot: project.projectRoot,
      header: messageText('deploy-output', 'retrieve.assignmentsHeader', [session.username, info.name]),
    });
    assignmentsFile = rel(project.projectRoot, path);
  }
  if (notRouted.length) {
    messages.push(countText('deploy-output', 'retrieve.notRouted', notRouted.length, [notRouted.length, notRouted.sort().join(', ')]));
  }
  files.sort((a, b) => a.file.localeCompare(b.file));
  const summary = { created: 0, updated: 0, unchanged: 0 };
  for (const x of files) summary[x.action]++;
  return {
    status: ExitCode.Ok,
    result: {
      org: { username: session.username, instanceUrl: session.instanceUrl },
      outputDir: rel(project.projectRoot, outputDir),
      files,
      summary,
      assignmentsFile,
      messages,
    },
  };
}

function rel(root: string, p: string): string {
  return relative(root, p).split(sep).join('/') || '.';
}

