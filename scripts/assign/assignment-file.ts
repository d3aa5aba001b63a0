/**
 * The per-org assignment file `config/assignments/<org>.yaml`: which profiles and which users get which
 * presence configuration. Usernames differ per org, so they live here and not in the metadata spec.
 * Loaded with locations (file:line:col) for every problem; the JSON Schema is generated from the zod schema.
 * Its own module, loaded only when a command reads an assignment file: zod (~95 modules) is no start-up cost of
 * `omni assign apply --csv …` or `--user …` (config.ts, the desired state and the quick form, needs none of it).
 * A file that passes is checked by code generated from the schema (assignment-file-check.generated.ts, `npm run
 * docs`), so zod is loaded and the schema built only for a file that fails (zod words its errors) or by tooling.
 */
import path from 'node:path';
import type { z } from 'zod';
import { renderJsonSchemaFile } from '../lib/json-schema.ts';
import { zod } from '../lib/zod.ts';
import { parseValidAssignmentFile } from './assignment-file-check.generated.ts';
import { readInputTextSync } from '../lib/input-file.ts';
import { messageText } from '../lib/messages.ts';
import { nullPrototypeDeep } from '../lib/null-proto.ts';
import { parseYamlInput } from '../lib/yaml-input.ts';
import { readPlainYaml } from '../lib/yaml-plain.ts';
import { closest } from '../lib/suggest.ts';
import { yamlPosition } from '../lib/yaml-position.ts';
import { commandPrefix } from '../lib/io.ts';
import { checkWhereCondition } from './where.ts';
import {
  addCsvFile,
  asInputError,
  loadUsernameCsv,
  outsideMessage,
  outsideProject,
  projectRootOf,
  toPosix,
  valueLengthProblems,
  type ConfigProblem,
  type DesiredAssignments,
  type DesiredMembership,
  type Origin,
  type UserSelectorKind,
} from './config.ts';
import { inFileOrder } from './origin.ts';

/** The paths of a `csv:` value, each with the YAML path of its own entry (for located messages). */
const csvEntries = (value: string | string[] | undefined, at: readonly (string | number)[]): Array<{ csvPath: string; at: (string | number)[] }> =>
  value === undefined ? [] : typeof value === 'string' ? [{ csvPath: value, at: [...at] }] : value.map((csvPath, i) => ({ csvPath, at: [...at, i] }));

/** The schemas of an assignment file, built (and zod loaded) on first use. */
function buildSchemas() {
  const z = zod();
  const names = z.array(z.string().min(1)).describe('One entry per value.');

  /** One CSV path or a list of them: `csv: agents.csv` reads as `csv: [agents.csv]`. */
  const csvPaths = (description: string) => z.union([z.string().min(1), z.array(z.string().min(1))]).optional().describe(description);
  const UserSelectorSchema = z
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
  const MemberSelectorSchema = UserSelectorSchema.describe('Users selected by any mix of selectors; only active users become members, inactive ones are reported.');

  const QueueMembershipSchema = z
    .strictObject({
      users: MemberSelectorSchema.optional(),
    })
    .describe('User members of this queue (GroupMember rows, user → queue). Group and role members stay in the Queue metadata.');

  const SkillAssignmentSchema = z
    .strictObject({
      level: z.number().min(0).max(10).optional().describe('ServiceResourceSkill.SkillLevel, 0–10 (default 0).'),
      users: MemberSelectorSchema.optional(),
    })
    .describe("Agents with this skill: each gets a ServiceResource (created when missing) and a ServiceResourceSkill at this level.");

  const ConfigurationAssignmentSchema = z
    .strictObject({
      profiles: names.optional().describe('Profiles that get this configuration (Profile.Name, case-insensitive).'),
      users: UserSelectorSchema.optional(),
    })
    .describe('Who gets this presence configuration. A user-level assignment beats the profile-level one.');

  const AssignmentFileSchema = z
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
  return { UserSelectorSchema, MemberSelectorSchema, QueueMembershipSchema, SkillAssignmentSchema, ConfigurationAssignmentSchema, AssignmentFileSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;
let built: Schemas | undefined;
const schemas = (): Schemas => (built ??= buildSchemas());

/** The assignment files' zod schema (built, and zod loaded, on the first call). */
export function assignmentFileSchema(): Schemas['AssignmentFileSchema'] {
  return schemas().AssignmentFileSchema;
}

/** The JSON Schema text committed as config/assignments/assignments.schema.json. */
export function renderAssignmentsJsonSchema(): string {
  return renderJsonSchemaFile(assignmentFileSchema(), {
    id: 'assignments.schema.json',
    title: 'Presence configuration assignments, queue members and skills (omni assign)',
    description: 'config/assignments/<org>.yaml. Generated from scripts/assign/assignment-file.ts; do not edit.',
  });
}

const SELECTOR_KEYS: Array<[keyof z.infer<Schemas['UserSelectorSchema']>, UserSelectorKind]> = [
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
  const loaded = readAssignmentText(text, options);
  // Each file's problems (the YAML's, each CSV's it names) in line:column order, as they are read.
  return { ...loaded, problems: inFileOrder(loaded.problems) };
}

function readAssignmentText(text: string, options: { file: string; baseDir: string; projectRoot?: string }): { desired?: DesiredAssignments; problems: ConfigProblem[] } {
  const file = options.file;
  const read = readAssignmentYaml(text, file);
  if (!read.locate) return { problems: read.problems };
  const problems = read.problems;
  const locate = read.locate;
  let data = read.value;
  if (data === null || data === undefined) data = {};
  // A file that passes: the generated check gives zod's value without zod; one that fails: zod words the errors.
  const valid = parseValidAssignmentFile(data) as z.infer<Schemas['AssignmentFileSchema']> | undefined;
  const parsed = valid === undefined ? assignmentFileSchema().safeParse(data) : undefined;
  if (parsed && !parsed.success) {
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
  const data2 = nullPrototypeDeep(valid ?? parsed?.data ?? {});
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
      const level = section === 'skills' ? ((entry as z.infer<Schemas['SkillAssignmentSchema']> | null)?.level ?? 0) : undefined;
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

type Locate = (p: (string | number)[], key?: boolean) => Origin;

/**
 * The file's data and its locations. Plain YAML (nearly every assignment file) through readPlainYaml, as the spec
 * is read: its block scanner (or js-yaml) with positions, without loading the `yaml` package (~70 modules); any
 * other text, and every one with a problem to report, through parseYamlInput (the `yaml` package), which words
 * the problems. The two give the same value and positions (test/lib/yaml-plain.test.ts). No `locate`: the
 * problems are all there is.
 */
function readAssignmentYaml(text: string, file: string): { value?: unknown; problems: ConfigProblem[]; locate?: Locate } {
  const plain = readPlainYaml(text);
  if (plain) return { value: plain.value, problems: [], locate: (specPath, key = false) => ({ file, ...plain.position(specPath, key) }) };
  const parsedYaml = parseYamlInput(text);
  const problems: ConfigProblem[] = parsedYaml.problems
    .filter((p) => p.severity === 'error')
    .map((p) => ({ message: p.message, hint: p.hint, origin: { file, line: p.line, column: p.column } }));
  const doc = parsedYaml.doc;
  if (problems.length || !doc) return { problems };
  const lineCounter = parsedYaml.lineCounter;
  return { value: parsedYaml.value, problems, locate: (specPath, key = false) => ({ file, ...yamlPosition(doc, lineCounter, specPath, key) }) };
}

function knownKeys(issuePath: (string | number)[]): string[] {
  const { AssignmentFileSchema, ConfigurationAssignmentSchema, QueueMembershipSchema, SkillAssignmentSchema, MemberSelectorSchema, UserSelectorSchema } = schemas();
  if (issuePath.length === 0) return Object.keys(AssignmentFileSchema.shape);
  if (issuePath.length === 2 && issuePath[0] === 'presenceConfigurations') return Object.keys(ConfigurationAssignmentSchema.shape);
  if (issuePath.length === 2 && issuePath[0] === 'queues') return Object.keys(QueueMembershipSchema.shape);
  if (issuePath.length === 2 && issuePath[0] === 'skills') return Object.keys(SkillAssignmentSchema.shape);
  if (issuePath.length === 3 && issuePath[2] === 'users' && issuePath[0] !== 'presenceConfigurations') return Object.keys(MemberSelectorSchema.shape);
  if (issuePath.length === 3 && issuePath[2] === 'users') return Object.keys(UserSelectorSchema.shape);
  return [];
}
