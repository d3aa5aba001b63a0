/**
 * Org-aware reference check: every name the deployment points at but does not itself contain must
 * already exist in the org. One query per kind of target (never one per name), all kinds at once, so they
 * share the reader's composite requests.
 * Also finds users and profiles that the deployment would give a second presence configuration.
 */
import { closest } from '../lib/suggest.ts';
import type { SoqlReader } from '../org/composite-query.ts';
import { PROFILE_ASSIGNMENTS_SOQL } from './guard.ts';
import { errorMessage } from '../org/http-errors.ts';
import { inListQueries } from '../org/soql.ts';
import { profileNameCandidates } from '../metadata/profiles.ts';
import { catalogueError } from '../lib/messages.ts';
import { REFERENCE_TARGETS, type ReferenceTarget } from '../metadata/registry.ts';

/** The kinds of thing a metadata file can point at (registry `references` targets). */
export type RefKind = ReferenceTarget;

/** One use of a name in a file, located for the message. */
export interface RefUse {
  kind: RefKind;
  name: string;
  /** Project-relative path, forward slashes. */
  file: string;
  line?: number;
  column?: number;
  /** Element path that holds the name, e.g. `assignments.users.user`. */
  element?: string;
}

async function queryAll<T>(reader: SoqlReader, soql: string): Promise<T[]> {
  try {
    return await reader.query<T>(soql);
  } catch (error) {
    const code = (error as { errorCode?: string }).errorCode ?? '';
    // An object the org does not have (e.g. Skill without skills-based routing): nothing of that kind exists.
    if (code === 'INVALID_TYPE') return [];
    throw catalogueError('OrgCheckQueryFailed', { tokens: [errorMessage(error)], cause: error });
  }
}

export interface MissingRef extends RefUse {
  noun: string;
  /** The org's closest name when one is a typo away (never for usernames). */
  suggestion?: string;
}

export interface AssignmentConflict {
  kind: 'user' | 'profile';
  name: string;
  /** The configuration the org already assigns it to (not part of this deployment). */
  existingConfig: string;
  /** The configuration in this deployment that assigns it too. */
  newConfig: string;
  file: string;
  line?: number;
  column?: number;
}

export interface OrgRefCheck {
  missing: MissingRef[];
  conflicts: AssignmentConflict[];
  /** Kinds skipped because Omni-Channel is off (their sObjects do not exist yet). */
  skippedKinds: RefKind[];
  queries: number;
}

export interface OrgRefCheckInput {
  /** References that the deployment does not satisfy itself. */
  uses: RefUse[];
  /** DeveloperNames of the presence configurations in the deployment. */
  deployedConfigs: string[];
  omniEnabled: boolean;
}

/** The lower-case names an org may hold for a reference value (a standard profile: its API name and its label). */
function nameCandidates(kind: RefKind, name: string): string[] {
  return REFERENCE_TARGETS[kind].standardProfileNames ? profileNameCandidates(name) : [name.toLowerCase()];
}

/** Looks up, in the org, every name in `uses`: one query per kind (chunked only for very long lists). */
export async function checkOrgReferences(reader: SoqlReader, input: OrgRefCheckInput): Promise<OrgRefCheck> {
  const byKind = new Map<RefKind, RefUse[]>();
  for (const use of input.uses) {
    if (REFERENCE_TARGETS[use.kind].builtIn?.includes(use.name.toLowerCase())) continue;
    const list = byKind.get(use.kind) ?? [];
    list.push(use);
    byKind.set(use.kind, list);
  }
  const skippedKinds: RefKind[] = [];
  let queries = 0;
  const missing: MissingRef[] = [];
  const tasks: Array<Promise<void>> = [];
  const foundSets = new Map<RefKind, Set<string>>();
  function found(kind: RefKind): Set<string> {
    let set = foundSets.get(kind);
    if (!set) foundSets.set(kind, (set = new Set()));
    return set;
  }

  for (const [kind, uses] of byKind) {
    const lookup = REFERENCE_TARGETS[kind];
    if (lookup.omni && !input.omniEnabled) {
      skippedKinds.push(kind);
      continue;
    }
    const candidates = new Map<string, string[]>();
    for (const use of uses) {
      if (!candidates.has(use.name)) {
        candidates.set(use.name, nameCandidates(kind, use.name));
      }
    }
    const values = [...new Set([...candidates.values()].flat())];
    for (const soql of inListQueries(values, (inList) => `SELECT ${lookup.field} FROM ${lookup.sobject} WHERE ${lookup.field} IN ${inList}${lookup.where ? ` AND ${lookup.where}` : ''}`)) {
      queries++;
      tasks.push(
        queryAll<Record<string, string>>(reader, soql).then((rows) => {
          for (const row of rows) found(kind).add(String(row[lookup.field]).toLowerCase());
        }),
      );
    }
  }

  // Conflicts: assignments in the org to configurations outside this deployment.
  const userUses = (byKind.get('User') ?? []).filter((u) => u.element?.startsWith('assignments'));
  const profileUses = (byKind.get('Profile') ?? []).filter((u) => u.element?.startsWith('assignments'));
  const conflicts: AssignmentConflict[] = [];
  const deployed = new Set(input.deployedConfigs.map((c) => c.toLowerCase()));
  if (input.omniEnabled) {
    for (const [kind, uses, junction, path] of [
      ['user', userUses, 'PresenceUserConfigUser', 'User.Username'],
      ['profile', profileUses, 'PresenceUserConfigProfile', 'Profile.Name'],
    ] as const) {
      if (uses.length === 0) continue;
      const values = [...new Set(uses.flatMap((u) => (kind === 'profile' ? profileNameCandidates(u.name) : [u.name.toLowerCase()])))];
      // Profile rows are few (one configuration per profile): the snapshot's unfiltered read serves both.
      const soqls = kind === 'profile' ? [PROFILE_ASSIGNMENTS_SOQL] : inListQueries(values, (inList) => `SELECT ${path}, PresenceUserConfig.DeveloperName FROM ${junction} WHERE ${path} IN ${inList}`);
      for (const soql of soqls) {
        queries++;
        tasks.push(
          queryAll<{ PresenceUserConfig?: { DeveloperName?: string }; User?: { Username?: string }; Profile?: { Name?: string } }>(
            reader,
            soql,
          ).then((rows) => {
            for (const row of rows) {
              const existing = row.PresenceUserConfig?.DeveloperName;
              if (!existing || deployed.has(existing.toLowerCase())) continue;
              const orgName = (kind === 'user' ? row.User?.Username : row.Profile?.Name) ?? '';
              for (const use of uses) {
                const names = kind === 'profile' ? profileNameCandidates(use.name) : [use.name.toLowerCase()];
                if (!names.includes(orgName.toLowerCase())) continue;
                conflicts.push({
                  kind,
                  name: use.name,
                  existingConfig: existing,
                  newConfig: configOfFile(use.file),
                  file: use.file,
                  line: use.line,
                  column: use.column,
                });
              }
            }
          }),
        );
      }
    }
  }

  await Promise.all(tasks);

  for (const [kind, uses] of byKind) {
    if (skippedKinds.includes(kind)) continue;
    const set = found(kind);
    for (const use of uses) {
      const names = nameCandidates(kind, use.name);
      if (!names.some((n) => set.has(n))) missing.push({ ...use, noun: REFERENCE_TARGETS[kind].noun });
    }
  }
  // "Did you mean": for the kinds with a miss (usernames aside: the org may have many thousands), the
  // org's names of that kind, read once, only on this failure path.
  const missedKinds = [...new Set(missing.map((m) => m.kind))].filter((k) => k !== 'User');
  await Promise.all(
    missedKinds.map(async (kind) => {
      const lookup = REFERENCE_TARGETS[kind];
      queries++;
      const rows = await queryAll<Record<string, string>>(reader, `SELECT ${lookup.field} FROM ${lookup.sobject}${lookup.where ? ` WHERE ${lookup.where}` : ''} LIMIT 2000`);
      const names = rows.map((r) => String(r[lookup.field]));
      for (const m of missing) {
        if (m.kind !== kind) continue;
        const suggestion = closest(REFERENCE_TARGETS[kind].standardProfileNames ? (profileNameCandidates(m.name)[1] ?? m.name) : m.name, names);
        if (suggestion) m.suggestion = suggestion;
      }
    }),
  );
  missing.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  conflicts.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  return { missing, conflicts, skippedKinds, queries };
}

/** `…/Tier1.presenceUserConfig-meta.xml` → `Tier1`. */
function configOfFile(file: string): string {
  const base = file.split('/').pop() ?? file;
  return base.replace(/\.presenceUserConfig-meta\.xml$/, '');
}
