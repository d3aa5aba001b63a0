/**
 * `omni plan`: what a deploy would change, compared semantically (see semantic.ts). The org side
 * is read with one retrieve of the project's components plus listMetadata of the Omni types.
 */
import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { commandPrefix, type EngineIo } from '../lib/io.ts';
import { contentChanges, projectContentComponents } from './content-compare.ts';
import { ExitCode } from '../lib/errors.ts';
import { parseMetadata, type MetadataDocument } from '../metadata/document.ts';
import { describeOrg, resolveOrg, type OrgTarget } from '../org/connection.ts';
import { readStatusAccesses } from '../yaml-spec/status-access.ts';
import { formatDiagnostic, inReadingOrder } from '../lib/diagnostic.ts';
import { listOrgMembers, OMNI_TYPES, retrieveMembers } from './org-read.ts';
import { omniDisabledError } from './pipeline.ts';
import { loadProjectDocuments } from './project-docs.ts';
import { withStages } from './stages.ts';
import { diffDocuments } from './semantic.ts';
import type { FieldChange, SemNode } from './semantic.ts';
import { serializeMetadata } from '../metadata/serialize.ts';
import { loadRecordSettings, planRecordSettings, unresolvedStaticResources } from './record-settings.ts';
import type { RecordChange } from './record-settings.ts';
import { orgHeldListsOf } from '../metadata/org-held.ts';
import { readOrgHeldMembers, type OrgHeldMembers } from './guard.ts';
import { compositeReader } from '../org/composite-query.ts';
import { nodesAt, textOf } from '../validate/nodes.ts';
import { catalogueError, messageText, warningText } from '../lib/messages.ts';

export type PlanAction = 'create' | 'update' | 'unchanged' | 'only-in-org';

export interface PlanItem {
  type: string;
  fullName: string;
  action: PlanAction;
  file: string | null;
  changes: FieldChange[];
  /**
   * Org-held members (scripts/metadata/org-held.ts) the file doesn't list: kept by a deploy, or removed with
   * --replace-assignments; `members` are their usernames as the org holds them (what `omni deploy` reports too).
   */
  assignments?: Array<{ element: string; action: 'kept' | 'removed'; count: number; members: string[] }>;
}

export interface PlanCommandResult {
  org: { username: string; instanceUrl: string };
  items: PlanItem[];
  summary: Record<PlanAction, number>;
  hasChanges: boolean;
  /**
   * Record settings of the spec (fields without a metadata element, set after the deploy), field by
   * field; `update` counts as a pending change. Records not in the org yet are `missing` (created by
   * the deploy, then set).
   */
  recordSettings: RecordChange[];
  /** One-line notes (e.g. selected transfer destinations are chosen in Setup). */
  notes: string[];
}

/** What to compare: the typed input of the plan engine (omni plan's flags; omni setup builds it directly). */
export interface PlanRequest {
  /** One source directory, relative to the working directory; absent: the package directories. */
  sourceDir?: string;
  /** Assignment rows the org holds and the files do not list count as changes (they would be removed). */
  replaceAssignments: boolean;
  /** Exit 3 when there are changes (terraform's --detailed-exitcode). */
  detailedExitCode: boolean;
}

/**
 * The plan engine: the source compared with the org, read-only. The org is `org.session` when the caller
 * already resolved it (omni setup resolves it once per run), else `org.connect` is resolved here.
 */
export async function runPlan(
  org: OrgTarget,
  request: PlanRequest,
  ctx: EngineIo,
): Promise<{ status: number; result: PlanCommandResult }> {
  const { sourceDir } = request;
  const project = await loadProjectDocuments(ctx.cwd, sourceDir ? [sourceDir] : []);
  // What `omni deploy` refuses, the plan of it refuses too, with the same findings: the same validation over the
  // same source (deploy's loadDeploymentSource), not only the parse (a capacity of 0 parses).
  const { validateProject } = await import('../validate/index.ts');
  const validation = await validateProject({ projectRoot: project.projectRoot, paths: project.sourcePaths.filter((p) => existsSync(p)), apiVersion: project.sourceApiVersion, keepDocuments: false });
  const errors = inReadingOrder(validation.diagnostics.filter((d) => d.severity === 'error'), (d) => d);
  if (errors.length) {
    throw catalogueError('ValidationFailed', {
      variant: 'plan',
      tokens: [errors.map((d) => '  ' + formatDiagnostic(d).replace(/\n/g, '\n  ')).join('\n')],
      actionTokens: [commandPrefix(ctx)],
      data: { diagnostics: errors },
    });
  }
  const records = await loadRecordSettings(project.projectRoot);
  const specErrors = records.diagnostics.filter((d) => d.severity === 'error');
  if (specErrors.length) {
    throw catalogueError('SpecInvalid', { variant: 'plan', tokens: [specErrors.map((d) => '  ' + formatDiagnostic(d)).join('\n')], data: { diagnostics: specErrors } });
  }
  const members = project.documents.map((d) => ({ type: d.type.name, fullName: d.fullName }));
  // Content components (StaticResource) the deploy sends too: retrieved in the same call, compared by bytes.
  const sourceContents = await projectContentComponents(project.sourcePaths.filter((p) => existsSync(p)));
  const contentMembers = sourceContents.map((c) => ({ type: c.type.name, fullName: c.fullName }));
  const { session, read, listed, recordSettings, held } = await withStages(ctx, messageText('deploy-output', 'stages.plan'), [messageText('deploy-output', 'stages.connect'), messageText('deploy-output', 'stages.readOrg')], async (stages) => {
    const session = await resolveOrg(org, ctx.env);
    const info = await describeOrg(session);
    if (!info.omniEnabled) throw omniDisabledError(session, ctx);
    // What omni deploy would refuse (the doctor's deploy checks) shows up in the plan as a warning, same id and text.
    const { deployCheckFailures } = await import('../setup/deploy-checks.ts');
    for (const c of await deployCheckFailures({ cwd: ctx.cwd, sourceDirs: sourceDir ? [sourceDir] : [], session, info, env: ctx.env })) {
      ctx.warn(c.fix ? warningText('DeployCheckInPlan', [c.id, c.message, c.fix, commandPrefix(ctx)]) : warningText('DeployCheckInPlan.noFix', [c.id, c.message, commandPrefix(ctx)]));
    }
    stages.goto(messageText('deploy-output', 'stages.readOrg'));
    const [read, listed, recordSettings, held, unknownSounds] = await Promise.all([
      retrieveMembers(session.connection, [...members, ...contentMembers], project.sourceApiVersion),
      listOrgMembers(session.connection, OMNI_TYPES),
      planRecordSettings(session.connection, records),
      readOrgHeldMembers(compositeReader(session.connection), members),
      // Sounds named in the spec but in neither the project nor the org: deploy refuses them (doctor's record-settings).
      unresolvedStaticResources(session.connection, records),
    ]);
    if (unknownSounds.length) {
      const { unknownStaticResourcesFailure } = await import('../setup/deploy-checks.ts');
      const c = unknownStaticResourcesFailure(unknownSounds);
      ctx.warn(warningText('DeployCheckInPlan', [c.id, c.message, c.fix, commandPrefix(ctx)]));
    }
    return { session, read, listed, recordSettings, held };
  });
  const orgFiles = new Map(read.files.map((x) => [`${x.type.name}:${x.fullName.toLowerCase()}`, x]));
  const items: PlanItem[] = [];
  for (const doc of project.documents) {
    const org = orgFiles.get(`${doc.type.name}:${doc.fullName.toLowerCase()}`);
    const base = { type: doc.type.name, fullName: doc.fullName, file: doc.path ?? null };
    if (!org) {
      items.push({ ...base, action: 'create', changes: [] });
      continue;
    }
    let changes: FieldChange[];
    if (doc.type.partial) {
      changes = diffStatusAccess(org.text, serializeMetadata(doc));
    } else {
      const parsed = parseMetadata(org.text, { type: org.type, fullName: org.fullName });
      if (!parsed.document) throw catalogueError('RetrieveParseFailed', { variant: 'plan', tokens: [doc.type.name, doc.fullName] });
      changes = diffDocuments(doc.type.name, withoutOrgHeldUsers(parsed.document.root, doc.root, doc.type.name) as SemNode, doc.root as SemNode);
    }
    const assignments = heldMembers(doc, held, changes, request.replaceAssignments);
    items.push({ ...base, action: changes.length ? 'update' : 'unchanged', changes, ...(assignments.length ? { assignments } : {}) });
  }
  const orgContents = new Map(read.contents.map((c) => [`${c.type.name}:${c.fullName.toLowerCase()}`, c]));
  for (const c of sourceContents) {
    const org = orgContents.get(`${c.type.name}:${c.fullName.toLowerCase()}`);
    const base = { type: c.type.name, fullName: c.fullName, file: relative(project.projectRoot, c.xml).split(sep).join('/') };
    if (!org) items.push({ ...base, action: 'create', changes: [] });
    else {
      const changes = contentChanges(org, c);
      items.push({ ...base, action: changes.length ? 'update' : 'unchanged', changes });
    }
  }
  const inSource = new Set(project.documents.map((d) => `${d.type.name}:${d.fullName.toLowerCase()}`));
  const sourceTypes = sourceDir ? new Set(project.documents.map((d) => d.type.name)) : undefined;
  for (const m of listed) {
    if (inSource.has(`${m.type}:${m.fullName.toLowerCase()}`)) continue;
    if (sourceTypes && !sourceTypes.has(m.type)) continue;
    items.push({ type: m.type, fullName: m.fullName, action: 'only-in-org', file: null, changes: [] });
  }
  items.sort((a, b) => a.type.localeCompare(b.type) || a.fullName.localeCompare(b.fullName));
  const summary: Record<PlanAction, number> = { create: 0, update: 0, unchanged: 0, 'only-in-org': 0 };
  for (const i of items) summary[i.action]++;
  // only-in-org is reported but is not a pending change: a deploy never deletes.
  // A record that differs is pending; a missing one is created by the deploy (counted there) and then set.
  const hasChanges = summary.create + summary.update > 0 || recordSettings.some((r) => r.action === 'update');
  const notes = [...new Set(recordSettings.flatMap((r) => r.notes))];
  const detailed = request.detailedExitCode;
  return {
    status: detailed && hasChanges ? ExitCode.ChangesPending : ExitCode.Ok,
    result: { org: { username: session.username, instanceUrl: session.instanceUrl }, items, summary, hasChanges, recordSettings, notes },
  };
}

function diffStatusAccess(orgText: string, sourceText: string): FieldChange[] {
  const enabled = (t: string) => readStatusAccesses(t).filter((a) => a.enabled).map((a) => a.status).sort();
  const a = enabled(orgText);
  const b = enabled(sourceText);
  if (a.join('\n') === b.join('\n')) return [];
  return [{ field: 'servicePresenceStatusAccesses', old: a, new: b }];
}

/**
 * Where a type holds user members that a deploy keeps when its file lists none (usernames differ per org:
 * they live in assignment files, `omni assign` manages them), so the org's are not a difference. A source
 * that does list users is compared as usual. Every org-held list (scripts/metadata/org-held.ts): `omni
 * deploy` merges the org's members of both PresenceUserConfig and Queue into what it sends (heldMembers
 * below reports them as kept, or as removed with --replace-assignments).
 *
 * The wrapper element of each type's org-held user list (scripts/metadata/org-held.ts): `assignments`, `queueMembers`. */
const userMemberWrapper = (type: string) => orgHeldListsOf(type).find((l) => l.path.endsWith('.users.user'))?.path.split('.')[0];

function withoutOrgHeldUsers<T extends { name: string; children: T[] }>(orgRoot: T, sourceRoot: T, type: string): T {
  const wrapper = userMemberWrapper(type);
  if (!wrapper) return orgRoot;
  const usersOf = (root: T) => root.children.find((c) => c.name === wrapper)?.children.find((c) => c.name === 'users');
  if (usersOf(sourceRoot) || !usersOf(orgRoot)) return orgRoot;
  return {
    ...orgRoot,
    children: orgRoot.children
      .map((c) => (c.name === wrapper ? { ...c, children: c.children.filter((x) => x.name !== 'users') } : c))
      .filter((c) => c.name !== wrapper || c.children.length > 0),
  };
}

/**
 * What a deploy does to the org's members of each org-held list (user assignments, queue user members),
 * from the members read from the org (a retrieve may not show them): by default it keeps them (the deploy
 * merges them in), so their absence from the file is no change; with `replace` they are removed — a
 * change. Edits `changes` accordingly; returns the kept/removed counts.
 */
function heldMembers(doc: MetadataDocument, held: OrgHeldMembers, changes: FieldChange[], replace: boolean): NonNullable<PlanItem['assignments']> {
  const out: NonNullable<PlanItem['assignments']> = [];
  for (const list of orgHeldListsOf(doc.type.name)) {
    const org = held.get(`${doc.type.name}:${list.path}`)?.members.get(doc.fullName.toLowerCase()) ?? [];
    const fileList = nodesAt(doc.root, list.path).map((n) => textOf(n)).filter((x): x is string => Boolean(x));
    const inFile = new Set(fileList.map((m) => m.toLowerCase()));
    const orgOnly = org.filter((m) => !inFile.has(m.toLowerCase()));
    const i = changes.findIndex((c) => c.field === list.path);
    if (!orgOnly.length) continue;
    out.push({ element: list.path, action: replace ? 'removed' : 'kept', count: orgOnly.length, members: orgOnly });
    const merged = [...new Set([...org, ...fileList].map((m) => m.toLowerCase()))].sort();
    const orgSet = [...new Set(org.map((m) => m.toLowerCase()))].sort();
    if (replace) {
      if (i < 0) changes.push({ field: list.path, old: orgSet, new: [...inFile].sort() });
    } else if (merged.length === orgSet.length) {
      if (i >= 0) changes.splice(i, 1);
    } else {
      const change = { field: list.path, old: orgSet, new: merged };
      if (i >= 0) changes[i] = change;
      else changes.push(change);
    }
  }
  return out;
}
