/**
 * From the desired assignments and the org's current rows to a plan: per user and profile create, move,
 * remove (with prune) or unchanged, plus each user's effective configuration after apply. Every conflict
 * is collected so that one run shows all of them, and a plan with conflicts is never applied.
 */
import { closest } from '../lib/suggest.ts';
import type { OrgApi } from './api.ts';
import { formatOrigin, type DesiredAssignments, type Origin } from './config.ts';
import { inListCalls, inListCallsAtLeast } from './api.ts';
import { catalogSpecs, emptyCatalog, IDENTIFIER_KINDS, isIdentifier, selectorFacts, profileRowsSpec, readsEveryUser, readUserJunctions, resolveUsers, runReads, unique, USER_FIELDS, userJunctionScanSpec, userScanRanges, type JunctionRow, type JunctionScan, type OrgCatalog, type OrgUser, type ReadSpec } from './resolve.ts';
import { inListQueries } from '../org/soql.ts';
import type { OrganizationRow } from '../org/connection.ts';
import { messageText } from '../lib/messages.ts';

export type Action = 'create' | 'move' | 'remove' | 'unchanged';
/** What a plan item changes: a user's or a profile's presence configuration, one user's membership of one queue, or one agent's skill. */
export type SubjectKind = 'user' | 'profile' | 'queueMember' | 'skill';

export interface PlanItem {
  kind: SubjectKind;
  id: string;
  /** Username or profile name. */
  name: string;
  action: Action;
  /** Configuration developer names; null = none. */
  from: string | null;
  to: string | null;
  fromConfigId: string | null;
  toConfigId: string | null;
  /** The rows the subject holds now (ids), deleted by a move or remove. */
  rowIds: string[];
  /** Users: the configuration in effect after apply, and whether it comes from the user or the profile row. */
  effective?: string | null;
  effectiveSource?: 'user' | 'profile' | null;
}

export interface Conflict {
  code: 'UNKNOWN_CONFIGURATION' | 'UNKNOWN_QUEUE' | 'UNKNOWN_SKILL' | 'UNKNOWN_PROFILE' | 'UNKNOWN_USER' | 'UNKNOWN_PERMISSION_SET' | 'INVALID_CONDITION' | 'USER_SELECTED_TWICE' | 'PROFILE_SELECTED_TWICE';
  message: string;
  locations: string[];
}

export interface Plan {
  items: PlanItem[];
  conflicts: Conflict[];
  inactive: Array<{ username: string; via: string; location: string }>;
  warnings: string[];
  summary: Record<Action, number> & { users: number; profiles: number; queueMembers?: number; skills?: number };
  managedConfigs: string[];
}

export interface PlanInput {
  desired: DesiredAssignments;
  prune: boolean;
}


/**
 * Reads the org and plans. Every independent read goes out in one batch (Composite requests of 5 query
 * operations, in parallel): configurations, profiles, profile rows, the Organization row when
 * `organization` asks for it (apply: production check), every junction row with its user's fields (when
 * that is no dearer than reading the selected users' rows), and each selector's query. A second batch
 * reads only what the first showed to be missing.
 */
export async function buildPlan(api: OrgApi, input: PlanInput & { organization?: boolean }): Promise<{ plan: Plan; catalog: OrgCatalog; organization?: OrganizationRow }> {
  const needsProfiles = input.prune || input.desired.profiles.length > 0 || input.desired.users.some((u) => u.kind === 'profileUsers');
  const catalog = emptyCatalog();
  const profileRows = new Map<string, JunctionRow[]>();
  const extra: ReadSpec[] = [...catalogSpecs(catalog, { profiles: needsProfiles }), profileRowsSpec(profileRows)];
  let organization: OrganizationRow | undefined;
  if (input.organization) {
    extra.push({
      soql: 'SELECT Id, Name, IsSandbox, TrialExpirationDate, OrganizationType FROM Organization LIMIT 1',
      onRows: (rows: OrganizationRow[]) => (organization ??= rows[0] ? { Id: rows[0].Id, Name: rows[0].Name, IsSandbox: rows[0].IsSandbox, TrialExpirationDate: rows[0].TrialExpirationDate ?? null, OrganizationType: rows[0].OrganizationType } : undefined),
      // Not fatal here: the org check before writing reads it again and reports its own error.
      after: () => undefined,
    });
  }
  // Junction rows with user fields when a scan is no dearer than reading the selected users' rows by IN
  // chunks; prune needs every row anyway.
  // The identifiers' distinct values: one kind's are the ones resolveUsers reads by (worked out once for both).
  const facts = selectorFacts(input.desired.users);
  const identifierKinds = IDENTIFIER_KINDS.filter((kind) => facts.byKind(kind).length);
  const identifierCount = identifierKinds.reduce((n, kind) => n + facts.byKind(kind).length, 0);
  const otherSelectors = identifierCount < input.desired.users.length;
  const identifiers = identifierKinds.length === 1 ? facts.values(identifierKinds[0]) : unique(input.desired.users.filter(isIdentifier).map((u) => u.value));
  // Other selectors (a profile's users, a condition…) may select any number of users: a scan page brings
  // 2,000 rows per query operation where an IN chunk brings the rows of ~500 users, so scanning up to
  // 25 pages (5 Composite requests) stays the cheaper read for selections of more than ~12,000 users.
  const floor = otherSelectors ? 25 : 1;
  const budget = () => Math.max(identifiers.length ? inListCalls(identifiers, 200) : 0, floor);
  // The same budget as a question, asked when the scan's first page tells its pages: packing 100,000 values
  // into IN chunks stops as soon as there are that many.
  const overBudget = (pages: number) => pages > floor && !(identifiers.length && inListCallsAtLeast(identifiers, 200, pages));
  const scan: JunctionScan = { rows: new Map(), users: [], tooLarge: false };
  const userFields = !readsEveryUser(input.desired);
  // When resolveUsers splits its User scan into Username ranges, the junction rows are read in the same
  // ranges, so that every read of the plan goes out in one round trip.
  const ranges = userScanRanges(input.desired);
  if (ranges.length) {
    const pages = budget();
    for (const range of ranges) extra.push(userJunctionScanSpec(scan, input.prune ? undefined : Math.max(range.pages, Math.ceil(pages / ranges.length)), { userFields, range }));
  }
  else extra.push(userJunctionScanSpec(scan, input.prune ? undefined : overBudget, { userFields }));
  // Without prune, users a scan reads but nobody selects are not kept (memory follows the selection).
  const selection = await resolveUsers(api, input.desired, catalog, scan.users, extra, { keepUnselected: input.prune });
  // The reads' leftovers (the Bulk CSV's buffers, the distinct values and the scan's filter, tables outgrown by
  // the maps of 100,000 users, the parser's rows) are dead now, and the plan's items are yet to be made: collected
  // here rather than when the old generation next reaches V8's limit, which may fall just as the items are made
  // and decides the peak (see scripts/lib/gc.ts). 100,000 users, alternated runs: peak RSS 219–230 -> 203–215 MiB
  // (bench/RESULTS.md, Assign plan memory).
  if (selection.knownUsers.size > COLLECT_AFTER_READS) {
    const { collectGarbage } = await import('../lib/gc.ts');
    collectGarbage();
  }
  const conflicts: Conflict[] = [];
  const warnings: string[] = [...selection.warnings];
  const loc = (o: Origin) => formatOrigin(o);

  const configId = (name: string) => catalog.configsByName.get(name.toLowerCase())?.id;
  for (const c of input.desired.configs) {
    if (!configId(c.name)) {
      conflicts.push({ code: 'UNKNOWN_CONFIGURATION', message: messageText('assign-findings', 'Conflict.unknownConfiguration', [c.name, didYouMean(c.name, catalog.configsByName)]), locations: [loc(c.origin)] });
    }
  }
  const unknownKinds: Record<string, Conflict['code']> = { username: 'UNKNOWN_USER', email: 'UNKNOWN_USER', federationId: 'UNKNOWN_USER', profile: 'UNKNOWN_PROFILE', permissionSet: 'UNKNOWN_PERMISSION_SET', where: 'INVALID_CONDITION' };
  for (const u of selection.unknown) {
    conflicts.push({ code: unknownKinds[u.kind] ?? 'UNKNOWN_USER', message: unknownSelection(u, catalog.profilesByName), locations: [loc(u.origin)] });
  }

  // Profiles (profile-level assignment).
  const desiredProfiles = new Map<string, { config: string; origins: Origin[] }>();
  const profileConflicts = new Map<string, Set<string>>();
  for (const p of input.desired.profiles) {
    const profile = catalog.profilesByName.get(p.profile.toLowerCase());
    if (!profile) {
      conflicts.push({ code: 'UNKNOWN_PROFILE', message: messageText('assign-findings', 'Conflict.unknownProfile', [p.profile, didYouMean(p.profile, catalog.profilesByName)]), locations: [loc(p.origin)] });
      continue;
    }
    const existing = desiredProfiles.get(profile.id);
    if (existing && existing.config.toLowerCase() !== p.config.toLowerCase()) profileConflicts.set(profile.id, new Set([existing.config, p.config, ...(profileConflicts.get(profile.id) ?? [])]));
    if (existing) existing.origins.push(p.origin);
    else desiredProfiles.set(profile.id, { config: p.config, origins: [p.origin] });
  }
  for (const [id, configs] of profileConflicts) {
    conflicts.push({ code: 'PROFILE_SELECTED_TWICE', message: messageText('assign-findings', 'Conflict.profileTwice', [catalog.profilesById.get(id)!.name, [...configs].join(' and ')]), locations: desiredProfiles.get(id)!.origins.map(loc) });
  }

  // Users: one configuration each. The selection's own map is walked (forEach: no entry pair per user);
  // a user picked for two configurations is a conflict, every other selected user gets an item below.
  const selectedTwice = new Set<string>();
  selection.users.forEach((entry, id) => {
    if (!entry.pickedAgain) return;
    const first = entry.first.config.toLowerCase();
    if (entry.picks.every((p) => p.config.toLowerCase() === first)) return;
    selectedTwice.add(id);
    conflicts.push({
      code: 'USER_SELECTED_TWICE',
      message: messageText('assign-findings', 'Conflict.userTwice', [entry.user.Username, unique(entry.picks.map((p) => p.config)).join(' and '), unique(entry.picks.map((p) => p.via)).join('; ')]),
      locations: unique(entry.picks.map((p) => loc(p.origin))),
    });
  });
  const desiredUserIds = () => [...selection.users.keys()].filter((id) => !selectedTwice.has(id));

  const managedIds = new Set(input.desired.configs.map((c) => configId(c.name)).filter((x): x is string => Boolean(x)));
  const junctions = { userRows: scan.tooLarge ? await readUserJunctions(api, desiredUserIds()) : scan.rows, profileRows };
  const items: PlanItem[] = [];
  const cname = (id: string | null | undefined) => (id ? (catalog.configsById.get(id)?.name ?? id) : null);

  const itemFor = (kind: SubjectKind, id: string, name: string, rows: readonly JunctionRow[], target: string | null): PlanItem => {
    const current = rows[0]?.configId ?? null;
    let action: Action;
    if (rows.length === 1 && current === target) action = 'unchanged';
    else if (rows.length === 0 && target === null) action = 'unchanged';
    else if (target === null) action = 'remove';
    else if (rows.length === 0) action = 'create';
    else action = 'move';
    const rowIds = action === 'unchanged' ? NO_ROWS : rows.map((r) => r.id);
    // Users' items are made with the fields the effective pass fills in (one object shape, no later growth).
    if (kind === 'user') return { kind, id, name, action, from: cname(current), to: cname(target), fromConfigId: current, toConfigId: target, rowIds, effective: null, effectiveSource: null };
    return { kind, id, name, action, from: cname(current), to: cname(target), fromConfigId: current, toConfigId: target, rowIds };
  };

  for (const [id, d] of desiredProfiles) {
    const target = configId(d.config);
    if (!target) continue;
    items.push(itemFor('profile', id, catalog.profilesById.get(id)!.name, junctions.profileRows.get(id) ?? [], target));
  }
  selection.users.forEach((entry, id) => {
    if (selectedTwice.has(id)) return;
    const target = configId(entry.first.config);
    if (target) items.push(itemFor('user', id, entry.user.Username, junctions.userRows.get(id) ?? NO_ROWS_HELD, target));
  });
  if (input.prune) {
    for (const [id, rows] of junctions.profileRows) {
      if (!desiredProfiles.has(id) && rows.some((r) => managedIds.has(r.configId))) items.push(itemFor('profile', id, catalog.profilesById.get(id)?.name ?? id, rows, null));
    }
    const pruneUsers = [...junctions.userRows].filter(([id, rows]) => !selection.users.has(id) && rows.some((r) => managedIds.has(r.configId)));
    const missing = pruneUsers.map(([id]) => id).filter((id) => !selection.knownUsers.has(id));
    if (missing.length) {
      const specs = inListQueries(missing, (list) => `SELECT ${USER_FIELDS} FROM User WHERE Id IN ${list}`).map((soql) => ({
        soql,
        onRows: (rows: OrgUser[]) => {
          for (const u of rows) selection.knownUsers.set(u.Id, { Id: u.Id, Username: u.Username, Email: u.Email, FederationIdentifier: u.FederationIdentifier ?? null, IsActive: u.IsActive, ProfileId: u.ProfileId });
        },
      }));
      await runReads(api, specs);
    }
    for (const [id, rows] of pruneUsers) items.push(itemFor('user', id, selection.knownUsers.get(id)?.Username ?? id, rows, null));
  }

  // Effective configuration per user after apply: the user row, else the row of the user's profile.
  const profileAfter = new Map<string, string | null>();
  for (const [id, rows] of junctions.profileRows) profileAfter.set(id, rows[0]?.configId ?? null);
  for (const item of items) if (item.kind === 'profile') profileAfter.set(item.id, item.toConfigId);
  for (const item of items) {
    if (item.kind !== 'user') continue;
    if (item.toConfigId) {
      item.effective = cname(item.toConfigId);
      item.effectiveSource = 'user';
    } else {
      const profileId = (selection.users.get(item.id)?.user ?? selection.knownUsers.get(item.id))?.ProfileId;
      const viaProfile = profileId ? (profileAfter.get(profileId) ?? null) : null;
      item.effective = cname(viaProfile);
      item.effectiveSource = viaProfile ? 'profile' : null;
    }
  }

  const inactive = selection.inactive.map((i) => ({ username: i.username, via: i.via, location: loc(i.origin) }));
  const summary = { create: 0, move: 0, remove: 0, unchanged: 0, users: 0, profiles: 0 };
  for (const item of items) {
    summary[item.action]++;
    if (item.kind === 'user') summary.users++;
    else summary.profiles++;
  }
  items.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'profile' ? -1 : 1));
  return { plan: { items, conflicts, inactive, warnings, summary, managedConfigs: input.desired.configs.map((c) => c.name) }, catalog, organization };
}

/**
 * Users read above which the plan collects the reads' leftovers before making its items (a full collection:
 * ~20–60 ms at 100,000 users): the Bulk read's threshold, so that the 10,000-agent runs of bench/assign/peers.ts
 * (10,000 users, 10,000 rows) pay none.
 */
const COLLECT_AFTER_READS = 20_000;

/** The row ids of an unchanged subject: none (one shared, frozen array rather than one per item). */
const NO_ROWS = Object.freeze([]) as unknown as string[];
/** A subject holding no row. */
const NO_ROWS_HELD: readonly JunctionRow[] = Object.freeze([]);

/** The writes a plan needs (a move is two: delete then create). */
export function writeCount(plan: Plan): number {
  return plan.items.reduce((n, i) => n + (i.action === 'move' ? 2 : i.action === 'unchanged' ? 0 : 1), 0);
}

/** ` Did you mean "Name"?` when a name of the org is one typo away (issue #12: newcomers' typos), else ''. */
function didYouMean(name: string, known: ReadonlyMap<string, { name: string }>): string {
  const suggestion = closest(name, [...known.values()].map((n) => n.name));
  return suggestion && suggestion.toLowerCase() !== name.toLowerCase() ? ` ${messageText('assign-findings', 'Conflict.didYouMean', [suggestion])}` : '';
}

/**
 * The conflict text of a selector the org does not know (or refused), by the kind of selector; a profile
 * one typo from a known one gets "Did you mean" when `profiles` are given, a user the suggestion resolveUsers found.
 */
export function unknownSelection(u: { kind: string; value: string; message?: string; suggestion?: string }, profiles?: ReadonlyMap<string, { name: string }>): string {
  const label = () => {
    switch (u.kind) {
      case 'username':
        return messageText('assign-findings', 'Selector.username');
      case 'email':
        return messageText('assign-findings', 'Selector.email');
      case 'federationId':
        return messageText('assign-findings', 'Selector.federationId');
      case 'profile':
        return messageText('assign-findings', 'Selector.profile');
      case 'permissionSet':
        return messageText('assign-findings', 'Selector.permissionSet');
      case 'where':
        return messageText('assign-findings', 'Selector.where');
      default:
        return u.kind;
    }
  };
  if (u.message) return messageText('assign-findings', 'Conflict.selectorFailed', [label(), u.value, u.message]);
  if (u.kind === 'profile') return messageText('assign-findings', 'Conflict.noProfile', [u.value, profiles ? didYouMean(u.value, profiles) : '']);
  if (u.kind === 'permissionSet') return messageText('assign-findings', 'Conflict.noPermissionSet', [u.value]);
  return messageText('assign-findings', 'Conflict.noUser', [label(), u.value, u.suggestion ? ` ${messageText('assign-findings', 'Conflict.didYouMean', [u.suggestion])}` : '']);
}
