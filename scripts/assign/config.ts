/**
 * The per-org assignment file `config/assignments/<org>.yaml`: which profiles and which users get which
 * presence configuration. Usernames differ per org, so they live here and not in the metadata spec.
 * Loaded with locations (file:line:col) for every problem; the JSON Schema is generated from the zod schema.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { z } from 'zod';
import { type InputFileError, describeCharacter, firstForbiddenCharacter, readInputTextSync, unreadableInput } from '../lib/input-file.ts';
import { renderJsonSchemaFile } from '../lib/json-schema.ts';
import { messageText } from '../lib/messages.ts';
import { nullPrototypeDeep } from '../lib/null-proto.ts';
import { parseYamlInput } from '../lib/yaml-input.ts';
import { closest } from '../lib/suggest.ts';
import { yamlPosition } from '../lib/yaml-position.ts';
import { parseUsernameCsv, readAssignmentCsv } from './csv.ts';
import { checkWhereCondition } from './where.ts';
import { findProjectRoot } from '../metadata/project.ts';
import { MAX_ENCODED_QUERY, encodedLiteralLength } from '../org/soql.ts';
import type { ConfigProblem, Origin } from './origin.ts';
import { commandPrefix } from '../lib/io.ts';

export type { ConfigProblem, Origin };

const names = z.array(z.string().min(1)).describe('One entry per value.');

/** One CSV path or a list of them: `csv: agents.csv` reads as `csv: [agents.csv]`. */
const csvPaths = (description: string) => z.union([z.string().min(1), z.array(z.string().min(1))]).optional().describe(description);
/** The paths of a `csv:` value, each with the YAML path of its own entry (for located messages). */
const csvEntries = (value: string | string[] | undefined, at: readonly (string | number)[]): Array<{ csvPath: string; at: (string | number)[] }> =>
  value === undefined ? [] : typeof value === 'string' ? [{ csvPath: value, at: [...at] }] : value.map((csvPath, i) => ({ csvPath, at: [...at, i] }));

export const UserSelectorSchema = z
  .strictObject({
    usernames: names.optional().describe('User.Username, exact (case-insensitive).'),
    emails: names.optional().describe('User.Email: every active user with that email.'),
    federationIds: names.optional().describe('User.FederationIdentifier (SSO id).'),
    permissionSets: names.optional().describe('Users assigned one of these permission sets (PermissionSet.Name, the API name).'),
    profiles: names.optional().describe('Users of these profiles get a user-level assignment (Profile.Name, case-insensitive).'),
    where: z.string().min(1).optional().describe("A SOQL condition on User, WHERE clause only, e.g. Department = 'Support'."),
    csv: csvPaths('A CSV file (or a list of them) with a username column, paths relative to this file; other columns are ignored.'),
  })
  .describe('Users selected by any mix of selectors; only active users are assigned, inactive ones are reported.');

/** Queue and skill members: the same selectors as a presence configuration's users. */
export const MemberSelectorSchema = UserSelectorSchema.describe('Users selected by any mix of selectors; only active users become members, inactive ones are reported.');

export const QueueMembershipSchema = z
  .strictObject({
    users: MemberSelectorSchema.optional(),
  })
  .describe('User members of this queue (GroupMember rows, user → queue). Group and role members stay in the Queue metadata.');

export const SkillAssignmentSchema = z
  .strictObject({
    level: z.number().min(0).max(10).optional().describe('ServiceResourceSkill.SkillLevel, 0–10 (default 0).'),
    users: MemberSelectorSchema.optional(),
  })
  .describe("Agents with this skill: each gets a ServiceResource (created when missing) and a ServiceResourceSkill at this level.");

export const ConfigurationAssignmentSchema = z
  .strictObject({
    profiles: names.optional().describe('Profiles that get this configuration (Profile.Name, case-insensitive).'),
    users: UserSelectorSchema.optional(),
  })
  .describe('Who gets this presence configuration. A user-level assignment beats the profile-level one.');

export const AssignmentFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path of the JSON Schema, for editors.'),
    presenceConfigurations: z
      .record(z.string().min(1), ConfigurationAssignmentSchema.nullable())
      .optional()
      .describe('Keyed by the presence configuration developer name (PresenceUserConfig.DeveloperName).'),
    csv: csvPaths('A CSV file (or a list of them) with the header username,presenceConfig, paths relative to this file.'),
    queues: z
      .record(z.string().min(1), QueueMembershipSchema.nullable())
      .optional()
      .describe('Queue user members, keyed by the queue developer name (Group.DeveloperName, Type Queue).'),
    skills: z
      .record(z.string().min(1), SkillAssignmentSchema.nullable())
      .optional()
      .describe('Skills-based routing: agent skills keyed by the skill developer name (Skill.DeveloperName).'),
  })
  .describe('Presence configuration assignments, queue members and agent skills for one org (omni assign plan/apply).');

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

/** The JSON Schema text committed as config/assignments/assignments.schema.json. */
export function renderAssignmentsJsonSchema(): string {
  return renderJsonSchemaFile(AssignmentFileSchema, {
    id: 'assignments.schema.json',
    title: 'Presence configuration assignments, queue members and skills (omni assign)',
    description: 'config/assignments/<org>.yaml. Generated from scripts/assign/config.ts; do not edit.',
  });
}

const SELECTOR_KEYS: Array<[keyof z.infer<typeof UserSelectorSchema>, UserSelectorKind]> = [
  ['usernames', 'username'],
  ['emails', 'email'],
  ['federationIds', 'federationId'],
  ['permissionSets', 'permissionSet'],
  ['profiles', 'profileUsers'],
];

/**
 * Reads an assignment file (and the CSV files it names). Returns every problem at once; `desired` only
 * when there are none. `displayFile` is the path shown in messages (relative to the project).
 */
export function loadAssignmentFile(file: string, displayFile: string = file): { desired?: DesiredAssignments; problems: ConfigProblem[] } {
  let text: string;
  try {
    text = readInputTextSync(file);
  } catch (error) {
    const problem = asInputError(error);
    return {
      problems: [
        {
          message: problem.kind === 'not-found' ? messageText('assign-findings', 'AssignmentFileNotFound') : messageText('assign-findings', 'AssignmentFileUnreadable', [problem.message]),
          hint: problem.kind === 'not-found' ? messageText('assign-findings', 'AssignmentFileNotFound.hint', [commandPrefix()]) : problem.hint,
          // Only a located read problem has a line: a file that is not there has none.
          origin: { file: displayFile, ...(problem.line ? { line: problem.line, column: problem.column ?? 1 } : {}) },
        },
      ],
    };
  }
  return loadAssignmentText(text, { file: displayFile, baseDir: path.dirname(file), projectRoot: projectRootOf(path.dirname(file)) });
}

/**
 * Same as loadAssignmentFile, from text. `baseDir` resolves CSV paths; CSV files must stay inside
 * `projectRoot` (default: `baseDir`), so a crafted file cannot make the tool read /etc/passwd.
 */
export function loadAssignmentText(text: string, options: { file: string; baseDir: string; projectRoot?: string }): { desired?: DesiredAssignments; problems: ConfigProblem[] } {
  const file = options.file;
  const parsedYaml = parseYamlInput(text);
  const problems: ConfigProblem[] = parsedYaml.problems
    .filter((p) => p.severity === 'error')
    .map((p) => ({ message: p.message, hint: p.hint, origin: { file, line: p.line, column: p.column } }));
  const doc = parsedYaml.doc;
  if (problems.length || !doc) return { problems };
  const lineCounter = parsedYaml.lineCounter;
  const locate = makeLocate(doc, lineCounter, file);
  let data = parsedYaml.value;
  if (data === null || data === undefined) data = {};
  const parsed = AssignmentFileSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const issuePath = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const known = knownKeys(issuePath);
          const suggestion = closest(key, known);
          problems.push({
            message: issuePath.length ? messageText('assign-findings', 'UnknownKey.in', [key, issuePath.join('.')]) : messageText('assign-findings', 'UnknownKey', [key]),
            hint: suggestion ? messageText('assign-findings', 'UnknownKey.didYouMean', [suggestion]) : messageText('assign-findings', 'UnknownKey.known', [known.join(', ')]),
            origin: locate([...issuePath, key], true),
          });
        }
        continue;
      }
      problems.push({
        message: messageText('assign-findings', 'SchemaIssue', [issuePath.length ? issuePath.join('.') : 'file', issue.message]),
        hint: messageText('assign-findings', 'SchemaIssue.hint'),
        origin: locate(issuePath),
      });
    }
    return { problems };
  }
  const desired: DesiredAssignments = { configs: [], profiles: [], users: [] };
  const data2 = nullPrototypeDeep(parsed.data);
  /** A `users.csv` file of usernames: its rows, its problems added to `problems` (located at `origin` when not in the file). */
  const readUsernameCsvSelector = (csvPath: string, origin: Origin, problems: ConfigProblem[]) => {
    const absolute = path.resolve(options.baseDir, csvPath);
    const outside = outsideProject(absolute, options.projectRoot ?? options.baseDir);
    if (outside) {
      problems.push({ message: outsideMessage(outside, csvPath), hint: messageText('assign-findings', 'CsvPathOutside.hint'), origin });
      return [];
    }
    const loaded = loadUsernameCsv(absolute, toPosix(path.join(path.dirname(file), csvPath)));
    problems.push(...loaded.problems.map((p) => (p.origin.line ? p : { ...p, origin })));
    return loaded.rows;
  };
  for (const [config, entry] of Object.entries(data2.presenceConfigurations ?? {})) {
    desired.configs.push({ name: config, origin: locate(['presenceConfigurations', config], true) });
    entry?.profiles?.forEach((profile, i) => {
      desired.profiles.push({ profile, config, origin: locate(['presenceConfigurations', config, 'profiles', i]) });
    });
    const users = entry?.users;
    if (!users) continue;
    for (const [key, kind] of SELECTOR_KEYS) {
      (users[key] as string[] | undefined)?.forEach((value, i) => {
        desired.users.push({ kind, value, config, origin: locate(['presenceConfigurations', config, 'users', key, i]) });
      });
    }
    if (users.where !== undefined) {
      const origin = locate(['presenceConfigurations', config, 'users', 'where']);
      const problem = checkWhereCondition(users.where);
      if (problem) problems.push({ message: messageText('assign-findings', 'InvalidWhere', [problem]), hint: messageText('assign-findings', 'InvalidWhere.hint'), origin });
      else desired.users.push({ kind: 'where', value: users.where, config, origin });
    }
    for (const { csvPath, at } of csvEntries(users.csv, ['presenceConfigurations', config, 'users', 'csv'])) {
      for (const row of readUsernameCsvSelector(csvPath, locate(at), problems)) desired.users.push({ kind: 'username', value: row.username, config, origin: row.origin });
    }
  }
  for (const section of ['queues', 'skills'] as const) {
    const entries = data2[section];
    if (!entries) continue;
    const membership: DesiredMembership = { targets: [], users: [] };
    for (const [name, entry] of Object.entries(entries)) {
      const level = section === 'skills' ? ((entry as z.infer<typeof SkillAssignmentSchema> | null)?.level ?? 0) : undefined;
      membership.targets.push({ name, origin: locate([section, name], true), ...(level === undefined ? {} : { level }) });
      const users = entry?.users;
      if (!users) continue;
      const at = (...rest: (string | number)[]) => locate([section, name, 'users', ...rest]);
      for (const [key, kind] of SELECTOR_KEYS) {
        (users[key] as string[] | undefined)?.forEach((value, i) => {
          membership.users.push({ kind, value, config: name, origin: at(key, i) });
        });
      }
      if (users.where !== undefined) {
        const problem = checkWhereCondition(users.where);
        if (problem) problems.push({ message: messageText('assign-findings', 'InvalidWhere', [problem]), hint: messageText('assign-findings', 'InvalidWhere.hint'), origin: at('where') });
        else membership.users.push({ kind: 'where', value: users.where, config: name, origin: at('where') });
      }
      for (const entry of csvEntries(users.csv, [section, name, 'users', 'csv'])) {
        for (const row of readUsernameCsvSelector(entry.csvPath, locate(entry.at), problems)) membership.users.push({ kind: 'username', value: row.username, config: name, origin: row.origin });
      }
    }
    desired[section] = membership;
  }
  for (const { csvPath, at } of csvEntries(data2.csv, ['csv'])) {
    const origin = locate(at);
    const absolute = path.resolve(options.baseDir, csvPath);
    const display = toPosix(path.join(path.dirname(file), csvPath));
    const outside = outsideProject(absolute, options.projectRoot ?? options.baseDir);
    if (outside) {
      problems.push({ message: outsideMessage(outside, csvPath), hint: messageText('assign-findings', 'CsvPathOutside.hint'), origin });
      continue;
    }
    for (const p of addCsvFile(desired, absolute, display)) problems.push(p.origin.line ? p : { ...p, origin });
  }
  problems.push(...valueLengthProblems(desired));
  return problems.length ? { problems } : { desired, problems };
}

/**
 * Reads one assignment CSV into `desired` as it is parsed: each good row becomes a username selector (a
 * CsvRowSelector), the configurations it names become managed ones. Returns the file's problems, which
 * name `display` (never quote the file's content); the good rows are added all the same.
 */
function addCsvFile(desired: DesiredAssignments, absolute: string, display: string): ConfigProblem[] {
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
  return { desired, problems };
}

type Locate = (p: (string | number)[], key?: boolean) => Origin;

function makeLocate(doc: Document.Parsed, lineCounter: LineCounter, file: string): Locate {
  return (specPath, key = false) => ({ file, ...yamlPosition(doc, lineCounter, specPath, key) });
}

function knownKeys(issuePath: (string | number)[]): string[] {
  if (issuePath.length === 0) return Object.keys(AssignmentFileSchema.shape);
  if (issuePath.length === 2 && issuePath[0] === 'presenceConfigurations') return Object.keys(ConfigurationAssignmentSchema.shape);
  if (issuePath.length === 2 && issuePath[0] === 'queues') return Object.keys(QueueMembershipSchema.shape);
  if (issuePath.length === 2 && issuePath[0] === 'skills') return Object.keys(SkillAssignmentSchema.shape);
  if (issuePath.length === 3 && issuePath[2] === 'users' && issuePath[0] !== 'presenceConfigurations') return Object.keys(MemberSelectorSchema.shape);
  if (issuePath.length === 3 && issuePath[2] === 'users') return Object.keys(UserSelectorSchema.shape);
  return [];
}


/** The problem of a CSV path outside the project, by `outsideProject`'s reason. */
const outsideMessage = (reason: 'leaves' | 'link', csvPath: string) =>
  reason === 'link' ? messageText('assign-findings', 'CsvPathOutside.link', [csvPath]) : messageText('assign-findings', 'CsvPathOutside', [csvPath]);

function asInputError(error: unknown): InputFileError {
  return unreadableInput(error);
}

/** The sfdx project holding `dir`, or `dir` itself outside a project. */
function projectRootOf(dir: string): string {
  try {
    return findProjectRoot(dir);
  } catch {
    return path.resolve(dir);
  }
}

/** Why `absolute` is not a file inside `root` (it leaves it, or is a link out of it), or undefined when it is. */
function outsideProject(absolute: string, root: string): 'leaves' | 'link' | undefined {
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

function valueLengthProblems(desired: DesiredAssignments): ConfigProblem[] {
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

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
