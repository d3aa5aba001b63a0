/**
 * Reads what the plan needs from the org in as few calls as possible: configurations, profiles, the users
 * the selectors name and the current junction rows. Large username lists are matched against one paged
 * scan of User when that takes fewer calls than `Username IN (…)` chunks (and the same for junction rows).
 */
import { inListCalls, type OrgApi } from './api.ts';
import { runQueries, type QueryOutcome, type QuerySpec } from './batch-query.ts';
import { escapeSoqlLike, inListQueries, orQueries, soqlQuote } from '../org/soql.ts';
import { closest } from '../lib/suggest.ts';
import { formatOrigin, type DesiredAssignments, type Origin, type UserSelector } from './config.ts';
import { wrapWhereCondition } from './where.ts';
import { warningText } from '../lib/messages.ts';

export interface OrgUser {
  Id: string;
  Username: string;
  /** '' when the read did not ask for it: a scan of every user reads it only for email selectors. */
  Email: string;
  /** null when unset, or not read (a scan of every user reads it only for federation id selectors). */
  FederationIdentifier: string | null;
  IsActive: boolean;
  ProfileId: string;
}

export interface JunctionRow {
  id: string;
  configId: string;
}

export interface Named {
  id: string;
  name: string;
}

export const USER_FIELDS = 'Id, Username, Email, FederationIdentifier, IsActive, ProfileId';

export interface OrgCatalog {
  configsByName: Map<string, Named>;
  configsById: Map<string, Named>;
  profilesByName: Map<string, Named>;
  profilesById: Map<string, Named>;
}

/** The catalog queries (configurations; profiles when names are needed), to run in a batch of reads. */
export function catalogSpecs(catalog: OrgCatalog, options: { profiles?: boolean } = {}): ReadSpec[] {
  const specs: ReadSpec[] = [
    {
      soql: 'SELECT Id, DeveloperName FROM PresenceUserConfig',
      onRows: (rows: Array<{ Id: string; DeveloperName: string }>) => {
        for (const c of rows) {
          const named = { id: c.Id, name: c.DeveloperName };
          catalog.configsByName.set(c.DeveloperName.toLowerCase(), named);
          catalog.configsById.set(c.Id, named);
        }
      },
    },
  ];
  if (options.profiles !== false) {
    specs.push({
      soql: 'SELECT Id, Name FROM Profile',
      onRows: (rows: Array<{ Id: string; Name: string }>) => {
        for (const p of rows) {
          const named = { id: p.Id, name: p.Name };
          catalog.profilesByName.set(p.Name.toLowerCase(), named);
          catalog.profilesById.set(p.Id, named);
        }
      },
    });
  }
  return specs;
}

export function emptyCatalog(): OrgCatalog {
  return { configsByName: new Map(), configsById: new Map(), profilesByName: new Map(), profilesById: new Map() };
}

/** Configurations, and profiles when names are needed (a CSV of usernames needs none): one request. */
export async function readCatalog(api: OrgApi, options: { profiles?: boolean } = {}): Promise<OrgCatalog> {
  const catalog = emptyCatalog();
  await runReads(api, catalogSpecs(catalog, options));
  return catalog;
}

/**
 * A query of a batch of reads (see QuerySpec) with what to do with its outcome; rows are streamed through
 * onRows, typed by each caller (`never[]` here so that any row type is accepted).
 */
export interface ReadSpec extends Omit<QuerySpec<unknown>, 'onRows' | 'bulk'> {
  onRows?: (rows: never[]) => void;
  bulk?: { fromCsv: (value: (column: string) => string) => unknown; afterFirstPage?: boolean };
  after?: (outcome: QueryOutcome<unknown>) => void;
}

/**
 * Runs a batch of independent reads together (Composite requests of 5 query operations, in parallel; see
 * batch-query.ts). A read the org refuses throws, unless its spec handles the outcome (`after`).
 */
export async function runReads(api: OrgApi, specs: readonly ReadSpec[]): Promise<void> {
  if (!specs.length) return;
  const outcomes = await runQueries(api, specs as never);
  specs.forEach((spec, i) => {
    const outcome = (outcomes as Array<QueryOutcome<unknown>>)[i];
    if (spec.after) spec.after(outcome);
    else if (outcome.error) throw Object.assign(new Error(outcome.error.message), { errorCode: outcome.error.code, name: outcome.error.code });
  });
}

/**
 * Rows above which a full read goes through a Bulk API 2.0 query job rather than REST pages: its CSV
 * (~80 bytes a user) streams in and is parsed as it comes (batch-query.ts), where REST pages are JSON
 * with each record's attributes, parsed whole, 2,000 to a page and several pages at once. At 50,000 users
 * the REST scan peaked ~45 MiB higher than the Bulk read (261–264 against 211–223 MiB, bench/assign/
 * plan-memory.ts) and took more requests (18 against 10); below ~20,000 the REST scan's one round trip wins.
 */
const BULK_READ_ROWS = 20_000;
/** Rows of a REST query page, and the pages one Composite request can chain (5 query operations). */
const PAGE_ROWS = 2000;
const CHAIN_PAGES = 5;
/** Selected users a Username range is sized for: 3½ pages, leaving room in a chain of 5 for the org's other users. */
const RANGE_USERS = 7000;

/** One Username range of a scan split to go out side by side (see usernameRanges). */
export interface UsernameRange {
  /**
   * The SOQL condition selecting the range on a username field (`Username` on User, `User.Username` on a
   * junction row). The ranges are complementary (`< b1`, `>= b1 AND < b2`, …, `>= bk`), so every row falls
   * in exactly one of them whatever order the org compares usernames in; that order only decides how
   * evenly they split.
   */
  condition(field: string): string;
  /** Pages its scan is expected to take (the hint chained into the first request): its selected users, a tenth more and 200 rows for the org's others, at most 5. */
  pages: number;
}

/**
 * Splits a paged scan over these usernames into Username ranges of at most RANGE_USERS selected users
 * each. A Composite request chains at most 5 pages of one query, so a scan of more than 10,000 rows
 * (10,000 agents and the org's own users) takes one request after another, each waiting for the last;
 * ranges are independent queries that go out side by side in one round trip. Bounds are quantiles of the
 * lower-cased usernames. [] when one chain holds them.
 */
export function usernameRanges(usernames: readonly string[]): UsernameRange[] {
  const sorted = unique(usernames.map((u) => u.toLowerCase())).sort();
  const count = Math.ceil(sorted.length / RANGE_USERS);
  if (count < 2) return [];
  const cut = (i: number) => Math.floor((i * sorted.length) / count);
  return Array.from({ length: count }, (_, i) => {
    const lower = i > 0 ? sorted[cut(i)] : undefined;
    const upper = i < count - 1 ? sorted[cut(i + 1)] : undefined;
    const selected = cut(i + 1) - cut(i);
    return {
      condition: (field: string) => [lower === undefined ? '' : `${field} >= ${soqlQuote(lower)}`, upper === undefined ? '' : `${field} < ${soqlQuote(upper)}`].filter(Boolean).join(' AND '),
      pages: Math.min(CHAIN_PAGES, Math.ceil((selected * 1.1 + 200) / PAGE_ROWS)),
    };
  });
}

/**
 * The Username ranges resolveUsers scans User in for these selectors, and plan scans the junction rows in:
 * selectors by username only (an email or federation id can't be placed in a Username range), more than
 * one chain of them and no more than the Bulk read's threshold. [] otherwise (one scan, or IN chunks).
 */
export function userScanRanges(desired: DesiredAssignments): UsernameRange[] {
  // Counted first: over BULK_READ_ROWS there are no ranges, and no list of 100,000 selectors to build.
  if (readsEveryUser(desired)) return [];
  const identifiers = desired.users.filter(isIdentifier);
  if (identifiers.some((u) => u.kind !== 'username')) return [];
  return usernameRanges(identifiers.map((u) => u.value));
}

/**
 * Whether resolving these selectors reads every User through one Bulk query (more than BULK_READ_ROWS
 * identifiers): then other reads need no user fields of their own.
 */
export function readsEveryUser(desired: DesiredAssignments): boolean {
  let count = 0;
  for (let i = 0; i < desired.users.length; i++) if (isIdentifier(desired.users[i])) count++;
  return count > BULK_READ_ROWS;
}

/** A list of selectors by kind, and each kind's distinct values: see selectorFacts. */
export interface SelectorFacts {
  /** The selectors of one kind, in order. */
  byKind(kind: UserSelector['kind']): readonly UserSelector[];
  /** The distinct values of one kind's selectors, in order. */
  values(kind: UserSelector['kind']): string[];
}

const selectorFactsOf = new WeakMap<readonly UserSelector[], { length: number; facts: SelectorFacts }>();

/**
 * The selectors of this list by kind and their distinct values, worked out once however many readers ask
 * (the plan's page budget, then resolveUsers): for a CSV of 100,000 usernames each distinct-values pass is a
 * Set of 100,000 entries (~7 MB with the tables it outgrows, among the long-lived objects, where only a full
 * collection frees them). All of one kind, the list is its own kind's list (not copied). Worked out again
 * when the list has grown since.
 */
export function selectorFacts(users: readonly UserSelector[]): SelectorFacts {
  const known = selectorFactsOf.get(users);
  if (known && known.length === users.length) return known.facts;
  const kinds = new Map<UserSelector['kind'], readonly UserSelector[]>();
  const first = users[0]?.kind;
  if (users.every((s) => s.kind === first)) {
    if (first) kinds.set(first, users);
  } else {
    for (const s of users) {
      const list = kinds.get(s.kind) as UserSelector[] | undefined;
      if (list) list.push(s);
      else kinds.set(s.kind, [s]);
    }
  }
  const values = new Map<UserSelector['kind'], string[]>();
  const facts: SelectorFacts = {
    byKind: (kind) => kinds.get(kind) ?? [],
    values: (kind) => {
      let list = values.get(kind);
      if (!list) values.set(kind, (list = unique((kinds.get(kind) ?? []).map((s) => s.value))));
      return list;
    },
  };
  selectorFactsOf.set(users, { length: users.length, facts });
  return facts;
}

/** The selector kinds matched against User fields. */
export const IDENTIFIER_KINDS: ReadonlyArray<UserSelector['kind']> = ['username', 'email', 'federationId'];

/** A username, email or federation id selector (matched against User fields). */
export function isIdentifier(u: UserSelector): boolean {
  return u.kind === 'username' || u.kind === 'email' || u.kind === 'federationId';
}

/**
 * User rows of a Bulk API 2.0 query's CSV (every value a string, null as empty). The few profile ids are
 * shared among the rows rather than one string per user.
 */
function usersFromCsv(): (value: (column: string) => string) => OrgUser {
  const profileIds = new Map<string, string>();
  return (value) => {
    const read = value('ProfileId');
    let profileId = profileIds.get(read);
    if (profileId === undefined) profileIds.set(read, (profileId = read));
    return { Id: value('Id'), Username: value('Username'), Email: value('Email'), FederationIdentifier: value('FederationIdentifier') || null, IsActive: value('IsActive') === 'true', ProfileId: profileId };
  };
}

/** A User row as the API returns it, reduced to the fields the plan uses (no attributes). */
function compactUser(r: OrgUser): OrgUser {
  return { Id: r.Id, Username: r.Username, Email: r.Email ?? '', FederationIdentifier: r.FederationIdentifier ?? null, IsActive: r.IsActive, ProfileId: r.ProfileId };
}

/** Why a user is selected: the selector's configuration (as written), its origin, and how it selects ("username a@b"). */
export interface Pick {
  readonly config: string;
  readonly origin: Origin;
  readonly via: string;
}

/**
 * The pick of one selector, shared by every user it selects; `via` is spelled out only when a message
 * needs it (a CSV of 100,000 usernames would otherwise hold 100,000 "username …" strings).
 */
class SelectorPick implements Pick {
  readonly selector: UserSelector;
  private readonly label: string | undefined;
  constructor(selector: UserSelector, label?: string) {
    this.selector = selector;
    this.label = label;
  }
  get config(): string {
    return this.selector.config;
  }
  get origin(): Origin {
    return this.selector.origin;
  }
  get via(): string {
    return this.label ?? `${this.selector.kind} ${this.selector.value}`;
  }
}

/**
 * A selected user and why: almost every user has one pick, held as is (an array per user only for the
 * few picked twice); `picks` lists them all.
 */
class SelectedUser {
  readonly user: OrgUser;
  /** The first pick (most users have no other). */
  readonly first: Pick;
  private more: Pick[] | undefined;
  constructor(user: OrgUser, first: Pick) {
    this.user = user;
    this.first = first;
  }
  add(pick: Pick): void {
    (this.more ??= []).push(pick);
  }
  /** Whether another pick follows the first. */
  get pickedAgain(): boolean {
    return this.more !== undefined;
  }
  /** Every pick, in order (a new array: for the few users picked twice, and for messages). */
  get picks(): readonly Pick[] {
    return this.more ? [this.first, ...this.more] : [this.first];
  }
}

export interface ResolvedSelection {
  /** Active users selected, with the configuration (lower-cased developer name → as written) and origins. */
  users: Map<string, SelectedUser>;
  inactive: Array<{ username: string; via: string; origin: Origin }>;
  /** Selectors the org does not know; an unknown username or email carries the org's likeliest one (`suggestion`) when it has one. */
  unknown: Array<{ kind: string; value: string; origin: Origin; message?: string; suggestion?: string }>;
  /** Selections that are valid but possibly not meant (an email shared by several active users). */
  warnings: string[];
  /**
   * Every user read, by Id: selected or not — except the users a full scan of User read for identifier
   * selectors, which are kept only when selected unless `keepUnselected` asked for them.
   */
  knownUsers: Map<string, OrgUser>;
}

export interface ResolveOptions {
  /**
   * Keep every user a full scan of User reads, selected or not (default true): prune names the holders of
   * rows nobody selects from them. False keeps memory in proportion to the selection, not to the org.
   */
  keepUnselected?: boolean;
}

/**
 * Resolves every user selector; unknown names are collected, never thrown. The first batch of reads holds
 * every selector's query (identifiers, users of profiles, permission sets, SOQL conditions) plus `extra`
 * (the caller's own independent reads: catalog, junction rows…), so a plan's reads go out together; a second
 * batch only reads what the first one showed to be missing. `preknown` (users already read, e.g. with their
 * junction rows) is consulted once the first batch is back: callers may fill it from an `extra` read.
 */
export async function resolveUsers(api: OrgApi, desired: DesiredAssignments, catalog: OrgCatalog, preknown: readonly OrgUser[] = [], extra: readonly ReadSpec[] = [], options: ResolveOptions = {}): Promise<ResolvedSelection> {
  const out: ResolvedSelection = { users: new Map(), inactive: [], unknown: [], warnings: [], knownUsers: new Map() };
  // Rows reach here already compact (compactUser): kept as they are, one object per user.
  const remember = (rows: OrgUser[]) => {
    for (const r of rows) if (!out.knownUsers.has(r.Id)) out.knownUsers.set(r.Id, r);
  };
  const pick = (user: OrgUser, why: Pick) => {
    if (!user.IsActive) {
      out.inactive.push({ username: user.Username, via: why.via, origin: why.origin });
      return;
    }
    const entry = out.users.get(user.Id);
    if (entry) entry.add(why);
    else out.users.set(user.Id, new SelectedUser(user, why));
  };
  // Selectors by kind, in order, and their distinct values (shared with the plan's page budget).
  const facts = selectorFacts(desired.users);
  const byKind = facts.byKind;
  const values = facts.values;
  const first: ReadSpec[] = [...extra];

  // Identifier selectors: IN chunks (one query operation each), or one paged scan of User when that takes
  // fewer pages than the chunks (its first page tells; over the limit the chunks are read next).
  const identifiers: Array<{ kind: UserSelector['kind']; field: keyof OrgUser }> = [
    { kind: 'username', field: 'Username' },
    { kind: 'email', field: 'Email' },
    { kind: 'federationId', field: 'FederationIdentifier' },
  ];
  const inSelect = (field: keyof OrgUser) => (l: string) => `SELECT ${USER_FIELDS} FROM User WHERE ${field} IN ${l}`;
  const inQueries = (field: keyof OrgUser, list: readonly string[]) => (list.length ? inListQueries(list, inSelect(field)) : []);
  // Counted from lengths: building 100,000 values' IN lists only to count them is tens of MB of strings.
  const identifierCount = identifiers.reduce((n, { kind }) => n + values(kind).length, 0);
  // Above ~20,000 identifiers every user is read by one Bulk job (BULK_READ_ROWS): the chunk count would only be
  // compared with 2 (20,000 values take at least 20 chunks), so it is not worked out over 100,000 values.
  const bulk = identifierCount > BULK_READ_ROWS;
  const chunkCount = bulk ? Infinity : identifiers.reduce((n, { kind, field }) => n + (values(kind).length ? inListCalls(values(kind), encodeURIComponent(inSelect(field)("('')")).length) : 0), 0);
  let scanned = 'no' as 'no' | 'yes' | 'tooLarge';
  const identifierRows: OrgUser[] = [];
  // The identifiers' lower-cased values, per field: the scan's filter, then the index that matches them.
  let wanted: IdentifierKeys | undefined;
  if (chunkCount > 2) {
    scanned = 'yes';
    // A scan reads every user of the org: unless all are wanted (or permission set members may be among
    // them: their second read looks here first), only those an identifier names are kept.
    const keepAll = options.keepUnselected !== false || byKind('permissionSet').length > 0;
    if (!keepAll) wanted = identifierKeys(identifiers.map(({ kind, field }) => ({ field, selectors: byKind(kind) })));
    const filter = wanted;
    // The fields the identifiers match on and the plan uses, no more (a CSV of usernames needs no email).
    const scanFields = ['Id', 'Username', ...identifiers.filter(({ kind, field }) => field !== 'Username' && byKind(kind).length).map(({ field }) => field), 'IsActive', 'ProfileId'];
    // More than one chain of pages: Username ranges read side by side (usernameRanges), each as long as
    // its share of the IN chunks allows; one scan otherwise.
    const ranges = userScanRanges(desired);
    const scans = ranges.length ? ranges.map((r) => ({ where: ` WHERE ${r.condition('Username')}`, pages: r.pages, maxPages: Math.max(r.pages, Math.ceil((chunkCount - 1) / ranges.length)) })) : [{ where: '', pages: Math.ceil(identifierCount / PAGE_ROWS), maxPages: Math.max(chunkCount - 1, 1) }];
    for (const scan of scans) {
      first.push({
        soql: `SELECT ${scanFields.join(', ')} FROM User${scan.where}`,
        pages: scan.pages,
        // Above ~20,000 users one Bulk API 2.0 query job (3 requests) reads them all; below, REST pages
        // chained 5 to a Composite request, as long as they are fewer than the IN chunks.
        ...(bulk ? { bulk: { fromCsv: usersFromCsv() } } : { maxPages: scan.maxPages }),
        // Bulk rows are built compact (usersFromCsv) and go straight to the users read (no list of 100,000
        // on the way); REST rows carry their attributes, and a scan too large is read again by IN chunks.
        onRows: bulk
          ? (rows: OrgUser[]) => {
              for (const user of rows) if ((!filter || keepWanted(user, filter)) && !out.knownUsers.has(user.Id)) out.knownUsers.set(user.Id, user);
            }
          : (rows: OrgUser[]) => {
              for (const r of rows) {
                const user = compactUser(r);
                if (!filter || keepWanted(user, filter)) identifierRows.push(user);
              }
            },
        after: (o) => {
          if (o.error) throw Object.assign(new Error(o.error.message), { errorCode: o.error.code, name: o.error.code });
          if (o.tooLarge) scanned = 'tooLarge';
        },
      });
    }
  } else {
    for (const { kind, field } of identifiers) for (const soql of inQueries(field, values(kind))) first.push({ soql, onRows: (rows: OrgUser[]) => identifierRows.push(...rows.map(compactUser)) });
  }

  // Users of a profile (user-level assignment), by profile name: no need to wait for the catalog.
  const profileSelectors = byKind('profileUsers');
  const profileUserRows: OrgUser[] = [];
  if (profileSelectors.length) {
    for (const soql of inListQueries(unique(profileSelectors.map((s) => s.value)), (l) => `SELECT ${USER_FIELDS} FROM User WHERE Profile.Name IN ${l}`)) {
      first.push({ soql, onRows: (rows: OrgUser[]) => profileUserRows.push(...rows.map(compactUser)) });
    }
  }

  // Permission sets by name and their assignments, side by side.
  const psSelectors = byKind('permissionSet');
  const sets: Array<{ Id: string; Name: string }> = [];
  const assignments: Array<{ AssigneeId: string; PermissionSetId: string }> = [];
  if (psSelectors.length) {
    const names = unique(psSelectors.map((s) => s.value));
    for (const soql of inListQueries(names, (l) => `SELECT Id, Name FROM PermissionSet WHERE Name IN ${l}`)) first.push({ soql, onRows: (rows: Array<{ Id: string; Name: string }>) => sets.push(...rows.map((r) => ({ Id: r.Id, Name: r.Name }))) });
    for (const soql of inListQueries(names, (l) => `SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment WHERE PermissionSet.Name IN ${l}`)) {
      first.push({ soql, onRows: (rows: Array<{ AssigneeId: string; PermissionSetId: string }>) => assignments.push(...rows.map((r) => ({ AssigneeId: r.AssigneeId, PermissionSetId: r.PermissionSetId }))) });
    }
  }

  // SOQL conditions: the org validates field names; a failure is reported at the selector.
  const whereRows = new Map<UserSelector, OrgUser[]>();
  for (const s of byKind('where')) {
    const rows: OrgUser[] = [];
    whereRows.set(s, rows);
    first.push({
      soql: `SELECT ${USER_FIELDS} FROM User WHERE ${wrapWhereCondition(s.value)}`,
      onRows: (page: OrgUser[]) => rows.push(...page.map(compactUser)),
      after: (o) => {
        if (o.error) {
          whereRows.delete(s);
          out.unknown.push({ kind: 'where', value: s.value, origin: s.origin, message: `${o.error.code}: ${o.error.message}` });
        }
      },
    });
  }

  await runReads(api, first);

  // Second batch: identifiers the scan could not cover (too large), permission set members not yet read.
  remember(preknown as OrgUser[]);
  const second: ReadSpec[] = [];
  if (scanned === 'tooLarge') {
    // Users already read: with junction rows, or by a Username range that was not too large.
    const known = new Set([...preknown, ...identifierRows].map((u) => u.Username.toLowerCase()));
    for (const { kind, field } of identifiers) {
      const list = values(kind).filter((v) => kind !== 'username' || !known.has(v.toLowerCase()));
      for (const soql of inQueries(field, list)) second.push({ soql, onRows: (rows: OrgUser[]) => identifierRows.push(...rows.map(compactUser)) });
    }
  }
  remember(identifierRows);
  remember(profileUserRows);
  for (const rows of whereRows.values()) remember(rows);
  const missing = unique(assignments.map((a) => a.AssigneeId).filter((id) => !out.knownUsers.has(id)));
  for (const soql of missing.length ? inListQueries(missing, (l) => `SELECT ${USER_FIELDS} FROM User WHERE Id IN ${l}`) : []) second.push({ soql, onRows: (rows: OrgUser[]) => remember(rows.map(compactUser)) });
  await runReads(api, second);
  remember(identifierRows);
  identifierRows.length = 0;

  // The scan's filter becomes the index (no second map of 100,000 keys): each key a selector asks for
  // comes to hold the one user, or the users sharing the value (emails), that every user read gives it.
  const indexes = wanted ?? identifierKeys(identifiers.map(({ kind, field }) => ({ field, selectors: byKind(kind) })));
  for (const { kind, field } of identifiers) {
    const selectors = byKind(kind);
    if (!selectors.length) continue;
    const index = indexes.find((k) => k.field === field)!.keys;
    // Every user read may answer an identifier (a scan reads them all; chunks only the asked ones).
    out.knownUsers.forEach((u) => {
      const value = u[field];
      if (typeof value !== 'string' || !value) return;
      const key = value.toLowerCase();
      const held = index.get(key);
      if (held === undefined) return;
      if (typeof held === 'string') index.set(key, u);
      else if (!Array.isArray(held)) {
        if (held.Id !== u.Id) index.set(key, [held, u]);
      } else if (!held.some((x) => x.Id === u.Id)) held.push(u);
    });
    for (const s of selectors) {
      const held = index.get(s.value.toLowerCase());
      const found = held === undefined || typeof held === 'string' ? undefined : Array.isArray(held) ? held : [held];
      if (!found) {
        out.unknown.push({ kind, value: s.value, origin: s.origin });
        continue;
      }
      // Emails (and, rarely, federation ids) are not unique: every active holder is selected, but say so.
      const active = found.filter((u) => u.IsActive);
      if (kind !== 'username' && active.length > 1) {
        const shown = active.slice(0, 5).map((u) => u.Username).join(', ');
        const tokens = [formatOrigin(s.origin), s.value, active.length, `${shown}${active.length > 5 ? ', …' : ''}`, s.config];
        out.warnings.push(kind === 'email' ? warningText('SelectorMatchesSeveral.email', tokens) : warningText('SelectorMatchesSeveral.federationId', tokens));
      }
      // A selector that carries its own `via` (a CSV row's) is its own pick.
      const why = 'via' in s ? (s as UserSelector & Pick) : new SelectorPick(s);
      for (const u of found) pick(u, why);
    }
  }

  for (const s of profileSelectors) {
    const p = catalog.profilesByName.get(s.value.toLowerCase());
    if (!p) {
      out.unknown.push({ kind: 'profile', value: s.value, origin: s.origin });
      continue;
    }
    const why = new SelectorPick(s, `users of profile ${p.name}`);
    for (const u of profileUserRows) if (u.ProfileId === p.id) pick(out.knownUsers.get(u.Id) ?? u, why);
  }

  if (psSelectors.length) {
    const setByName = new Map(sets.map((p) => [p.Name.toLowerCase(), p]));
    for (const s of psSelectors) {
      const set = setByName.get(s.value.toLowerCase());
      if (!set) {
        out.unknown.push({ kind: 'permissionSet', value: s.value, origin: s.origin });
        continue;
      }
      const why = new SelectorPick(s, `permission set ${set.Name}`);
      for (const a of assignments) {
        const u = a.PermissionSetId === set.Id ? out.knownUsers.get(a.AssigneeId) : undefined;
        if (u) pick(u, why);
      }
    }
  }

  for (const [s, rows] of whereRows) {
    const why = new SelectorPick(s);
    for (const u of rows) pick(out.knownUsers.get(u.Id) ?? u, why);
  }
  // Only active users are selected (an inactive one is reported, not assigned): only they are worth suggesting.
  await suggestUsers(api, out.unknown, { activeOnly: true });
  return out;
}

/** Candidate rows a suggestion query reads per query (one page): enough to choose from, bounded whatever the org. */
const SUGGESTION_ROWS = 2000;
/**
 * Unknown selectors that get a suggestion: the first 1,000 (≤ 5 queries of 200 conditions, one Composite
 * request). A file of more unknown users is the wrong org or the sandbox's suffix throughout; its first
 * suggestions show which.
 */
const SUGGESTED_SELECTORS = 1000;

/**
 * Gives each unknown username or email selector the org's likeliest one ("Did you mean"), in one batch of
 * reads made only when there are such selectors (the path with none reads nothing more). A sandbox copy
 * appends `.<sandbox name>` to every username and `.invalid` to every email (Salesforce Help, "Sandbox
 * Setup Considerations"), so a production username names no user there; a typo in the domain is the other
 * common miss. Both keep the local part, so the candidates are the users whose value starts with it
 * (`Username LIKE 'jane.doe@%'`, every value escaped for LIKE), OR'ed into queries under the URI limit
 * (a file of 5,000 unknown users makes at most 5 queries, not 5,000: see SUGGESTED_SELECTORS). The suggestion is the shortest
 * candidate that starts with the unknown value, else the closest by edit distance (a typo), else none.
 * Each entry's `suggestion` is set in place (kinds other than `username` and `email` are left alone).
 * `activeOnly`: only active users are candidates (assign selects no other; explain, which explains an inactive
 * user too, takes any).
 */
export async function suggestUsers(api: OrgApi, unknown: Array<{ kind: string; value: string; message?: string; suggestion?: string }>, options: { activeOnly?: boolean } = {}): Promise<void> {
  const fields: Record<string, 'Username' | 'Email'> = { username: 'Username', email: 'Email' };
  const misses = unknown.filter((u) => fields[u.kind] && !u.message).slice(0, SUGGESTED_SELECTORS);
  if (!misses.length) return;
  const prefix = (value: string) => {
    const at = value.indexOf('@');
    return (at > 0 ? value.slice(0, at + 1) : value).toLowerCase();
  };
  const specs: ReadSpec[] = [];
  const candidates: Record<'Username' | 'Email', string[]> = { Username: [], Email: [] };
  for (const field of ['Username', 'Email'] as const) {
    const prefixes = unique(misses.filter((u) => fields[u.kind] === field).map((u) => prefix(u.value)));
    const conditions = prefixes.map((p) => `${field} LIKE '${escapeSoqlLike(p)}%'`);
    const active = options.activeOnly ? 'IsActive = true AND ' : '';
    for (const soql of conditions.length ? orQueries(conditions, (c) => `SELECT ${field} FROM User WHERE ${active}${c} LIMIT ${SUGGESTION_ROWS}`) : []) {
      specs.push({ soql, onRows: (rows: Array<Record<string, string>>) => candidates[field].push(...rows.map((r) => r[field]).filter(Boolean)) });
    }
  }
  await runReads(api, specs);
  for (const u of misses) {
    const value = u.value.toLowerCase();
    const own = candidates[fields[u.kind]].filter((c) => c.toLowerCase().startsWith(prefix(u.value)));
    const extended = own.filter((c) => c.toLowerCase().startsWith(value)).sort((a, b) => a.length - b.length)[0];
    const suggestion = extended ?? closest(u.value, own);
    if (suggestion && suggestion.toLowerCase() !== value) u.suggestion = suggestion;
  }
}

/**
 * The lower-cased values identifier selectors name, per User field: each key mapped to itself until the
 * matching puts the user (or users) holding that value in its place.
 */
type IdentifierKeys = Array<{ field: keyof OrgUser; keys: Map<string, string | OrgUser | OrgUser[]> }>;

function identifierKeys(groups: Array<{ field: keyof OrgUser; selectors: readonly UserSelector[] }>): IdentifierKeys {
  return groups
    .filter((g) => g.selectors.length)
    .map(({ field, selectors }) => {
      const keys = new Map<string, string | OrgUser | OrgUser[]>();
      for (const s of selectors) {
        const key = s.value.toLowerCase();
        keys.set(key, key);
      }
      return { field, keys };
    });
}

/**
 * Whether a scanned user is one an identifier names. Its username is then the selector's own string
 * when they are spelled alike (one string per selected user, not two).
 */
function keepWanted(user: OrgUser, wanted: IdentifierKeys): boolean {
  for (const { field, keys } of wanted) {
    const value = user[field];
    if (typeof value !== 'string' || !value) continue;
    const key = keys.get(value.toLowerCase());
    if (key === undefined) continue;
    if (field === 'Username' && typeof key === 'string' && key === value) user.Username = key;
    return true;
  }
  return false;
}

export interface JunctionState {
  userRows: Map<string, JunctionRow[]>;
  profileRows: Map<string, JunctionRow[]>;
}

const JUNCTION_SELECT = 'SELECT Id, UserId, PresenceUserConfigId FROM PresenceUserConfigUser';

function addRow(map: Map<string, JunctionRow[]>, key: string, row: JunctionRow): void {
  const list = map.get(key);
  if (list) list.push(row);
  else map.set(key, [row]);
}

/**
 * Returns one string per distinct value: junction rows name a handful of configurations, and a page's
 * JSON gives each row its own copy of the id (50,000 rows: 2 MB of copies).
 */
function interner(): (value: string) => string {
  const seen = new Map<string, string>();
  return (value) => {
    const kept = seen.get(value);
    if (kept !== undefined) return kept;
    seen.set(value, value);
    return value;
  };
}

/** Every PresenceUserConfigProfile row into `map` (at most one per profile: a single page in any org). */
export function profileRowsSpec(map: Map<string, JunctionRow[]>): ReadSpec {
  return {
    soql: 'SELECT Id, ProfileId, PresenceUserConfigId FROM PresenceUserConfigProfile',
    onRows: (rows: Array<{ Id: string; ProfileId: string; PresenceUserConfigId: string }>) => {
      for (const r of rows) addRow(map, r.ProfileId, { id: r.Id, configId: r.PresenceUserConfigId });
    },
  };
}

/** PresenceUserConfigUser rows of these users, by `UserId IN (…)` chunks, into `map`. */
function junctionsByUser(map: Map<string, JunctionRow[]>, userIds: readonly string[]): ReadSpec[] {
  if (!userIds.length) return [];
  const configIds = interner();
  return inListQueries(unique(userIds), (l) => `${JUNCTION_SELECT} WHERE UserId IN ${l}`).map((soql) => ({
    soql,
    onRows: (rows: Array<{ Id: string; UserId: string; PresenceUserConfigId: string }>) => {
      for (const r of rows) addRow(map, r.UserId, { id: r.Id, configId: configIds(r.PresenceUserConfigId) });
    },
  }));
}

/**
 * Current PresenceUserConfigUser rows for `userIds` (all rows when `all`), and every profile row, in one
 * batch of reads: one paged scan or `UserId IN (…)` chunks, whichever takes fewer query operations.
 */
export async function readJunctions(api: OrgApi, options: { userIds?: readonly string[]; all?: boolean }): Promise<JunctionState> {
  const state: JunctionState = { userRows: new Map(), profileRows: new Map() };
  const userIds = unique(options.userIds ?? []);
  const specs: ReadSpec[] = [profileRowsSpec(state.profileRows)];
  const chunks = options.all || !userIds.length ? 0 : inListCalls(userIds, 120);
  let tooLarge = false;
  if (options.all || chunks > 2) {
    const scan = new Map<string, JunctionRow[]>();
    const configIds = interner();
    specs.push({
      soql: JUNCTION_SELECT,
      pages: options.all ? 5 : Math.min(chunks - 1, 5),
      maxPages: options.all ? undefined : chunks - 1,
      onRows: (rows: Array<{ Id: string; UserId: string; PresenceUserConfigId: string }>) => {
        for (const r of rows) addRow(scan, r.UserId, { id: r.Id, configId: configIds(r.PresenceUserConfigId) });
      },
      after: (o) => {
        if (o.error) throw Object.assign(new Error(o.error.message), { errorCode: o.error.code, name: o.error.code });
        tooLarge = Boolean(o.tooLarge);
        if (!tooLarge) for (const [id, rows] of scan) state.userRows.set(id, rows);
      },
    });
  } else specs.push(...junctionsByUser(state.userRows, userIds));
  await runReads(api, specs);
  if (tooLarge) await runReads(api, junctionsByUser(state.userRows, userIds));
  return state;
}

export interface JunctionScan {
  rows: Map<string, JunctionRow[]>;
  users: OrgUser[];
  /** More pages than allowed: nothing was kept; read the selected users' rows instead. */
  tooLarge: boolean;
}

/**
 * Every PresenceUserConfigUser row with its user's fields, when that is cheap (≤ maxPages pages; every
 * page when maxPages is undefined), as a read of a batch: the usernames of everyone who holds a
 * configuration then need no second read — what makes a re-run a handful of requests. With `range`, the
 * rows of the users in that Username range only (one spec per range, sharing `scan`; one range too large
 * makes the whole scan too large).
 */
export function userJunctionScanSpec(scan: JunctionScan, maxPages: number | ((pages: number) => boolean) | undefined, options: { userFields?: boolean; range?: UsernameRange } = {}): ReadSpec {
  type Row = { Id: string; UserId: string; PresenceUserConfigId: string; User?: Omit<OrgUser, 'Id'> | null };
  const seen = new Set<string>();
  const configIds = interner();
  // Without user fields (every user is read anyway) a row is a third of the size to receive and parse.
  const fields = options.userFields === false ? '' : ', User.Username, User.Email, User.FederationIdentifier, User.IsActive, User.ProfileId';
  return {
    soql: `SELECT Id, UserId, PresenceUserConfigId${fields} FROM PresenceUserConfigUser${options.range ? ` WHERE ${options.range.condition('User.Username')}` : ''}`,
    // One page first (it shares a request with the catalog reads); its totalSize says how many follow. A
    // range of a split scan chains as many pages as the users of its range take: read in one round trip
    // when every selected user holds a row (a re-run, a move).
    pages: options.range?.pages ?? 1,
    ...(typeof maxPages === 'function' ? { tooLarge: maxPages } : { maxPages }),
    // Tens of thousands of rows (the first page tells): the rest as one streamed Bulk job, not JSON pages.
    bulk: {
      afterFirstPage: true,
      fromCsv: (value): Row => ({
        Id: value('Id'),
        UserId: value('UserId'),
        PresenceUserConfigId: value('PresenceUserConfigId'),
        User: fields ? { Username: value('User.Username'), Email: value('User.Email'), FederationIdentifier: value('User.FederationIdentifier') || null, IsActive: value('User.IsActive') === 'true', ProfileId: value('User.ProfileId') } : null,
      }),
    },
    onRows: (rows: Row[]) => {
      for (const r of rows) {
        addRow(scan.rows, r.UserId, { id: r.Id, configId: configIds(r.PresenceUserConfigId) });
        if (r.User && !seen.has(r.UserId)) {
          seen.add(r.UserId);
          scan.users.push({ Id: r.UserId, Username: r.User.Username, Email: r.User.Email, FederationIdentifier: r.User.FederationIdentifier ?? null, IsActive: r.User.IsActive, ProfileId: r.User.ProfileId });
        }
      }
    },
    after: (o) => {
      if (o.error) throw Object.assign(new Error(o.error.message), { errorCode: o.error.code, name: o.error.code });
      if (o.tooLarge) {
        scan.tooLarge = true;
        scan.rows.clear();
        scan.users.length = 0;
      }
    },
  };
}

/** The user rows of these users, after a junction scan that was too large. */
export async function readUserJunctions(api: OrgApi, userIds: readonly string[]): Promise<Map<string, JunctionRow[]>> {
  const map = new Map<string, JunctionRow[]>();
  await runReads(api, junctionsByUser(map, userIds));
  return map;
}

export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

