/**
 * The desired assignments, wherever they come from (an assignment file, read by assignment-file.ts; the quick form
 * of flags; CSV files): their types, where each selector came from (`formatOrigin`), the quick form
 * (`desiredFromFlags`) and the CSV readers. No zod here: `omni assign apply --csv …` loads no schema library.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { type InputFileError, describeCharacter, firstForbiddenCharacter, readInputTextSync, unreadableInput } from '../lib/input-file.ts';
import { messageText } from '../lib/messages.ts';
import { parseUsernameCsv, readAssignmentCsv } from './csv.ts';
import { checkWhereCondition } from './where.ts';
import { findProjectRoot } from '../metadata/project.ts';
import { MAX_ENCODED_QUERY, encodedLiteralLength } from '../org/soql.ts';
import { inFileOrder, type ConfigProblem, type Origin } from './origin.ts';

export type { ConfigProblem, Origin };


export type UserSelectorKind = 'username' | 'email' | 'federationId' | 'permissionSet' | 'profileUsers' | 'where';

export interface UserSelector {
  kind: UserSelectorKind;
  value: string;
  config: string;
  origin: Origin;
}

export interface ProfileSelector {
  profile: string;
  config: string;
  origin: Origin;
}

/**
 * Desired members of queues or skills. Selectors reuse `UserSelector`, with `config` holding the queue or
 * skill developer name. A user may be a member of many queues and hold many skills.
 */
export interface DesiredMembership {
  /** Queues (skills) the source manages, in file order; prune removes other members of these only. */
  targets: Array<{ name: string; origin: Origin; /** Skills: ServiceResourceSkill.SkillLevel (0–10). */ level?: number }>;
  users: UserSelector[];
}

/** The desired state, independent of where it came from (YAML, flags, CSV). */
export interface DesiredAssignments {
  /** Configurations the source manages (prune removes others' holders of these only). */
  configs: Array<{ name: string; origin: Origin }>;
  profiles: ProfileSelector[];
  users: UserSelector[];
  /** The `queues:` section (absent when the file has none). */
  queues?: DesiredMembership;
  /** The `skills:` section (absent when the file has none). */
  skills?: DesiredMembership;
}

export function formatOrigin(origin: Origin): string {
  return `${origin.file}${origin.line ? `:${origin.line}:${origin.column ?? 1}` : ''}`;
}

/**
 * Reads one assignment CSV into `desired` as it is parsed: each good row becomes a username selector (a
 * CsvRowSelector), the configurations it names become managed ones. Returns the file's problems, which
 * name `display` (never quote the file's content); the good rows are added all the same.
 */
export function addCsvFile(desired: DesiredAssignments, absolute: string, display: string): ConfigProblem[] {
  const read = readCsvText(absolute, display);
  if (read.problem) return [read.problem];
  const managed = new Set(desired.configs.map((c) => c.name.toLowerCase()));
  // Each configuration name as written, once (100,000 rows name a handful of configurations).
  const spelled = new Map<string, string>();
  return readAssignmentCsv(read.text, display, (username, written, line) => {
    let config = spelled.get(written);
    if (config === undefined) spelled.set(written, (config = written));
    const lower = config.toLowerCase();
    if (!managed.has(lower)) {
      managed.add(lower);
      desired.configs.push({ name: config, origin: { file: display, line, column: 1 } });
    }
    desired.users.push(new CsvRowSelector(username, config, display, line));
  });
}

/**
 * The username selector of one CSV row. Its origin (file:line, column 1) is made when a message asks for
 * it: a CSV of 100,000 rows keeps a line number per row, not an origin object.
 */
class CsvRowSelector implements UserSelector {
  readonly kind = 'username' as const;
  readonly value: string;
  readonly config: string;
  private readonly file: string;
  private readonly line: number;
  constructor(value: string, config: string, file: string, line: number) {
    this.value = value;
    this.config = config;
    this.file = file;
    this.line = line;
  }
  get origin(): Origin {
    return { file: this.file, line: this.line, column: 1 };
  }
  /** How it selects, as a plan's messages say it: it is its own pick (resolve.ts `Pick`), one object per row. */
  get via(): string {
    return `username ${this.value}`;
  }
}

/** A CSV file of usernames (a `username` column; other columns ignored), for queue and skill members. */
export function loadUsernameCsv(absolute: string, display: string): { rows: Array<{ username: string; origin: Origin }>; problems: ConfigProblem[] } {
  const read = readCsvText(absolute, display);
  return read.problem ? { rows: [], problems: [read.problem] } : parseUsernameCsv(read.text, display);
}

/** The text of a CSV file: a regular file, at most 50 MB, valid UTF-8 (or UTF-16 with a BOM). */
function readCsvText(absolute: string, display: string): { text: string; problem?: undefined } | { text?: undefined; problem: ConfigProblem } {
  try {
    const text = readInputTextSync(absolute);
    // Usernames go into queries and journals: no control character or U+FFFD (a lossy decoding) gets there.
    const bad = firstForbiddenCharacter(text);
    if (bad >= 0) {
      const before = text.slice(0, bad);
      const line = before.split('\n').length;
      const column = bad - before.lastIndexOf('\n');
      const char = describeCharacter(text, bad);
      return {
        problem: {
          ...(char === 'U+FFFD'
            ? { message: messageText('assign-findings', 'CsvForbiddenCharacter.replacement', [display, line, column]), hint: messageText('assign-findings', 'CsvForbiddenCharacter.replacement.hint') }
            : { message: messageText('assign-findings', 'CsvForbiddenCharacter', [display, char, line, column]), hint: messageText('assign-findings', 'CsvForbiddenCharacter.hint') }),
          origin: { file: display, line, column },
        },
      };
    }
    return { text };
  } catch (error) {
    const problem = asInputError(error);
    return {
      problem: {
        message: messageText('assign-findings', 'CsvUnreadable', [display, problem.message]),
        hint: problem.kind === 'not-found' ? messageText('assign-findings', 'CsvNotFound.hint') : problem.hint,
        origin: { file: display, ...(problem.line ? { line: problem.line, column: problem.column } : {}) },
      },
    };
  }
}


/** The quick form: `omni assign apply --config X --user a --profile P --csv F`. */
export function desiredFromFlags(input: {
  config?: string;
  users?: string[];
  emails?: string[];
  profiles?: string[];
  permissionSets?: string[];
  where?: string;
  csv?: string[];
  cwd: string;
}): { desired: DesiredAssignments; problems: ConfigProblem[] } {
  const desired: DesiredAssignments = { configs: [], profiles: [], users: [] };
  const problems: ConfigProblem[] = [];
  const origin = (flag: string): Origin => ({ file: `--${flag}` });
  const config = input.config;
  const needsConfig = [input.users, input.emails, input.profiles, input.permissionSets].some((v) => v?.length) || input.where !== undefined;
  if (needsConfig && !config) {
    problems.push({ message: messageText('assign-findings', 'ConfigFlagMissing'), origin: origin('config') });
  }
  if (config) {
    desired.configs.push({ name: config, origin: origin('config') });
    for (const u of input.users ?? []) desired.users.push({ kind: 'username', value: u, config, origin: origin('user') });
    for (const e of input.emails ?? []) desired.users.push({ kind: 'email', value: e, config, origin: origin('email') });
    for (const p of input.permissionSets ?? []) desired.users.push({ kind: 'permissionSet', value: p, config, origin: origin('permission-set') });
    for (const p of input.profiles ?? []) desired.profiles.push({ profile: p, config, origin: origin('profile') });
    if (input.where !== undefined) {
      const problem = checkWhereCondition(input.where);
      if (problem) problems.push({ message: messageText('assign-findings', 'InvalidWhere', [problem]), origin: origin('where') });
      else desired.users.push({ kind: 'where', value: input.where, config, origin: origin('where') });
    }
  }
  const root = projectRootOf(input.cwd);
  for (const csv of input.csv ?? []) {
    const absolute = path.resolve(input.cwd, csv);
    const outside = outsideProject(absolute, root);
    if (outside) {
      problems.push({ message: outsideMessage(outside, csv), hint: messageText('assign-findings', 'CsvPathOutside.flagHint'), origin: origin('csv') });
      continue;
    }
    problems.push(...addCsvFile(desired, absolute, csv));
  }
  problems.push(...valueLengthProblems(desired));
  return { desired, problems: inFileOrder(problems) };
}

/** The problem of a CSV path outside the project, by `outsideProject`'s reason. */
export const outsideMessage = (reason: 'leaves' | 'link', csvPath: string) =>
  reason === 'link' ? messageText('assign-findings', 'CsvPathOutside.link', [csvPath]) : messageText('assign-findings', 'CsvPathOutside', [csvPath]);

export function asInputError(error: unknown): InputFileError {
  return unreadableInput(error);
}

/** The sfdx project holding `dir`, or `dir` itself outside a project. */
export function projectRootOf(dir: string): string {
  try {
    return findProjectRoot(dir);
  } catch {
    return path.resolve(dir);
  }
}

/** Why `absolute` is not a file inside `root` (it leaves it, or is a link out of it), or undefined when it is. */
export function outsideProject(absolute: string, root: string): 'leaves' | 'link' | undefined {
  const inside = (p: string, r: string) => {
    const rel = path.relative(r, p);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  if (!inside(absolute, root)) return 'leaves';
  let real: string;
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(absolute);
  } catch {
    return undefined; // Missing: the read reports "does not exist".
  }
  return inside(real, realRoot) ? undefined : 'link';
}

/**
 * Salesforce field limits (User.Username and Email 80, FederationIdentifier 512, PermissionSet.Name 80,
 * Profile.Name 255 characters): a longer value can match nobody, and one value must fit in a query URL
 * (16,384 bytes of URI and headers, Salesforce Help 000386264). Refused here, located, before any request.
 */
export const SELECTOR_MAX_LENGTH: Record<UserSelectorKind | 'profile' | 'config', number> = {
  username: 80,
  email: 80,
  federationId: 512,
  permissionSet: 80,
  profileUsers: 255,
  profile: 255,
  config: 80,
  where: MAX_ENCODED_QUERY / 2,
};

export function valueLengthProblems(desired: DesiredAssignments): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  // `what` names the value in the message: read only for one that is too long (the bundle is not loaded otherwise).
  const check = (kind: keyof typeof SELECTOR_MAX_LENGTH, value: string, origin: Origin, what: () => string) => {
    const max = SELECTOR_MAX_LENGTH[kind];
    const tooLong = kind === 'where' ? encodeURIComponent(value).length > MAX_ENCODED_QUERY / 2 : value.length > max || encodedLiteralLength(value) > MAX_ENCODED_QUERY / 2;
    if (!tooLong) return;
    const length = value.length.toLocaleString('en-US');
    problems.push(
      kind === 'where'
        ? {
            message: messageText('assign-findings', 'ValueTooLong.where', [what(), length, (MAX_ENCODED_QUERY / 2).toLocaleString('en-US')]),
            hint: messageText('assign-findings', 'ValueTooLong.where.hint'),
            origin,
          }
        : { message: messageText('assign-findings', 'ValueTooLong', [what(), length, max]), hint: messageText('assign-findings', 'ValueTooLong.hint'), origin },
    );
  };
  for (const c of desired.configs) check('config', c.name, c.origin, () => messageText('assign-findings', 'Selector.configurationName'));
  for (const p of desired.profiles) check('profile', p.profile, p.origin, () => messageText('assign-findings', 'Selector.profileName'));
  const labels: Record<UserSelectorKind, () => string> = {
    username: () => messageText('assign-findings', 'Selector.username'),
    email: () => messageText('assign-findings', 'Selector.email'),
    federationId: () => messageText('assign-findings', 'Selector.federationId'),
    permissionSet: () => messageText('assign-findings', 'Selector.permissionSetName'),
    profileUsers: () => messageText('assign-findings', 'Selector.profileName'),
    where: () => messageText('assign-findings', 'Selector.where'),
  };
  for (const u of desired.users) check(u.kind, u.value, u.origin, labels[u.kind]);
  return problems;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}