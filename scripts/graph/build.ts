/**
 * Gathers what the routing analysis needs: the project's documents, and who holds what — from the
 * assignment files (offline) or from the org's rows (`-o`): agents per presence configuration and
 * members per queue, counted with aggregate SOQL (a handful of calls in any org size).
 */
import path from 'node:path';
import { loadAssignmentFile } from '../assign/assignment-file.ts';
import type { OrgApi } from '../assign/api.ts';
import { loadProjectDocuments } from '../deploy/project-docs.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { analyzeRouting, type MembershipFacts, type RoutingGraph } from './analyze.ts';
import { defaultAssignmentFiles } from './assignment-files.ts';
import { warningText } from '../lib/messages.ts';
import { commandPrefix } from '../lib/io.ts';


/**
 * Membership named by assignment files: a configuration is held when some file selects users or profiles
 * for it, a queue has members when some file selects users for it. Files that do not load are skipped
 * with a warning (`omni assign plan` reports their problems in full).
 */
export function sourceFacts(files: readonly string[], projectRoot: string): { facts: MembershipFacts; warnings: string[] } {
  const facts: MembershipFacts = { kind: 'source', configHolders: new Map(), queueMembers: new Map() };
  const warnings: string[] = [];
  const bump = (map: Map<string, number>, name: string) => map.set(name.toLowerCase(), (map.get(name.toLowerCase()) ?? 0) + 1);
  for (const file of files) {
    const shown = path.relative(projectRoot, file).split(path.sep).join('/') || file;
    const { desired, problems } = loadAssignmentFile(file, shown);
    if (!desired) {
      warnings.push(problems.length === 1 ? warningText('AssignmentFileSkipped.one', [shown, commandPrefix(), shown]) : warningText('AssignmentFileSkipped', [shown, problems.length, commandPrefix(), shown]));
      continue;
    }
    for (const u of desired.users) bump(facts.configHolders, u.config);
    for (const p of desired.profiles) bump(facts.configHolders, p.config);
    for (const u of desired.queues?.users ?? []) bump(facts.queueMembers, u.config);
  }
  return { facts, warnings };
}

/**
 * Counts from the org: active users holding each presence configuration (their own row, or their
 * profile's when they have none — a user row beats the profile's, as in Salesforce) and GroupMember rows
 * per queue (users and groups). Seven queries at most, whatever the org size.
 */
export async function orgFacts(api: OrgApi): Promise<MembershipFacts> {
  type Count = { n: number };
  const [configs, userRows, profileRows, queues] = await Promise.all([
    api.query<{ Id: string; DeveloperName: string }>('SELECT Id, DeveloperName FROM PresenceUserConfig'),
    api.query<Count & { PresenceUserConfigId: string }>('SELECT PresenceUserConfigId, COUNT(Id) n FROM PresenceUserConfigUser WHERE User.IsActive = true GROUP BY PresenceUserConfigId'),
    // (Worded as the assign engine's and the capacity check's reads, so a run's read cache answers all from one.)
    api.query<{ ProfileId: string; PresenceUserConfigId: string }>('SELECT Id, ProfileId, PresenceUserConfigId FROM PresenceUserConfigProfile'),
    api.query<{ Id: string; DeveloperName: string }>("SELECT Id, DeveloperName, QueueRoutingConfigId FROM Group WHERE Type = 'Queue'"),
  ]);
  const members = queues.length ? await api.queryIn<Count & { GroupId: string }>(queues.map((q) => q.Id), (list) => `SELECT GroupId, COUNT(Id) n FROM GroupMember WHERE GroupId IN ${list} GROUP BY GroupId`) : [];
  const facts: MembershipFacts = { kind: 'org', configHolders: new Map(), queueMembers: new Map() };
  const nameOf = new Map(configs.map((c) => [c.Id, c.DeveloperName.toLowerCase()]));
  const add = (map: Map<string, number>, key: string | undefined, n: number) => {
    if (key) map.set(key, (map.get(key) ?? 0) + n);
  };
  for (const r of userRows) add(facts.configHolders, nameOf.get(r.PresenceUserConfigId), Number(r.n));
  if (profileRows.length) {
    // Active users of assigned profiles, minus those whose own user row takes precedence.
    const profileIds = [...new Set(profileRows.map((r) => r.ProfileId))];
    const [ofProfile, withOwnRow] = await Promise.all([
      api.queryIn<Count & { ProfileId: string }>(profileIds, (list) => `SELECT ProfileId, COUNT(Id) n FROM User WHERE IsActive = true AND ProfileId IN ${list} GROUP BY ProfileId`),
      api.queryIn<Count & { ProfileId: string }>(profileIds, (list) => `SELECT User.ProfileId, COUNT(Id) n FROM PresenceUserConfigUser WHERE User.IsActive = true AND User.ProfileId IN ${list} GROUP BY User.ProfileId`),
    ]);
    const own = new Map(withOwnRow.map((r) => [r.ProfileId, Number(r.n)]));
    for (const r of profileRows) {
      const users = ofProfile.find((p) => p.ProfileId === r.ProfileId);
      add(facts.configHolders, nameOf.get(r.PresenceUserConfigId), Math.max(0, Number(users?.n ?? 0) - (own.get(r.ProfileId) ?? 0)));
    }
  }
  const queueName = new Map(queues.map((q) => [q.Id, q.DeveloperName.toLowerCase()]));
  for (const q of queues) facts.queueMembers.set(q.DeveloperName.toLowerCase(), 0);
  for (const m of members) add(facts.queueMembers, queueName.get(m.GroupId), Number(m.n));
  return facts;
}

export interface GraphBuild {
  graph: RoutingGraph;
  documents: MetadataDocument[];
  projectRoot: string;
  /** Assignment files read (project-relative), when membership came from the source. */
  assignmentFiles: string[];
  warnings: string[];
}

/** The project's routing graph, with membership from the org (`api`) or from assignment files. */
export async function buildRoutingGraph(options: { cwd: string; assignments?: string[]; api?: OrgApi }): Promise<GraphBuild> {
  const project = await loadProjectDocuments(options.cwd, []);
  const warnings: string[] = [];
  let facts: MembershipFacts;
  let files: string[] = [];
  if (options.api) facts = await orgFacts(options.api);
  else {
    files = options.assignments?.length ? options.assignments.map((f) => path.resolve(options.cwd, f)) : defaultAssignmentFiles(project.projectRoot);
    const read = sourceFacts(files, project.projectRoot);
    facts = read.facts;
    warnings.push(...read.warnings);
  }
  const { graph } = analyzeRouting(project.documents, facts);
  return {
    graph,
    documents: project.documents,
    projectRoot: project.projectRoot,
    assignmentFiles: files.map((f) => path.relative(project.projectRoot, f).split(path.sep).join('/')),
    warnings,
  };
}
