/**
 * Usernames taken out of metadata XML (PresenceUserConfig `<assignments><users>`, Queue
 * `<queueMembers><users>`) go into a per-org assignment file (config/assignments/<org>.yaml, the format
 * `omni assign plan --file` reads): `presenceConfigurations.<name>.users.usernames` and
 * `queues.<name>.users.usernames`. Shared by `omni retrieve --extract-assignments` and
 * `omni import --extract-assignments`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { catalogueError, messageText } from '../lib/messages.ts';
import { commandPrefix } from '../lib/io.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { findType } from '../metadata/registry.ts';
import { writeFileAtomic } from '../metadata/write.ts';
import { mappingForType } from '../yaml-spec/mapping.ts';

/** The assignment-file sections usernames are extracted into. */
export type ExtractSection = 'presenceConfigurations' | 'queues';

/** Usernames per section and component (developer name), and which components were read at all. */
export interface ExtractedUsers {
  users: Record<ExtractSection, Record<string, string[]>>;
  /** Components read (with or without users): their usernames in an existing file are replaced. */
  components: Record<ExtractSection, string[]>;
}

export function emptyExtraction(): ExtractedUsers {
  return { users: { presenceConfigurations: {}, queues: {} }, components: { presenceConfigurations: [], queues: [] } };
}

/** The section a document's users belong to (its spec section), or undefined for types without user members (registry `userMembers`). */
export function extractSectionOf(typeName: string): ExtractSection | undefined {
  if (!findType(typeName)?.userMembers) return undefined;
  return mappingForType(typeName)?.specKey as ExtractSection | undefined;
}

/**
 * Removes the user list at the type's `userMembers` path (`<assignments><users>` of a PresenceUserConfig,
 * `<queueMembers><users>` of a Queue) from the document (the wrapper too when nothing else is left in it)
 * and returns the usernames, sorted.
 */
export function takeUsers(doc: MetadataDocument): string[] {
  const path = doc.type.userMembers?.path.split('.');
  if (!path) return [];
  // wrapper.list.item, e.g. assignments.users.user
  const [wrapperName, listName, itemName] = path;
  const wrapper = doc.root.children.find((c) => c.name === wrapperName);
  if (!wrapper) return [];
  const users = wrapper.children.find((c) => c.name === listName);
  if (!users) return [];
  const names = users.children.filter((c) => c.name === itemName).map((c) => (c.text ?? '').trim());
  wrapper.children = wrapper.children.filter((c) => c !== users);
  if (wrapper.children.length === 0) doc.root.children = doc.root.children.filter((c) => c !== wrapper);
  return names.sort();
}

/** Records a document's usernames (without changing it) into `into`. */
export function recordUsers(into: ExtractedUsers, typeName: string, fullName: string, users: readonly string[]): void {
  const section = extractSectionOf(typeName);
  if (!section) return;
  into.components[section].push(fullName);
  if (users.length) into.users[section][fullName] = [...users].sort();
}

/**
 * Writes the extracted usernames into the assignment file at `path`. An existing file keeps everything
 * else (profiles, other selectors, other sections, comments): only `users.usernames` of the components
 * read are replaced by the org's (removed when the component has none). A new file is created 0600
 * (it holds usernames).
 * @throws OmniError AssignmentFileInvalid when the existing file is not valid YAML (nothing is written).
 */
export async function writeAssignmentFile(path: string, extracted: ExtractedUsers, options: { projectRoot: string; header: string }): Promise<void> {
  const YAML = await import('yaml');
  let existing: string | undefined;
  try {
    existing = await readFile(path, 'utf8');
  } catch {
    existing = undefined;
  }
  const sections: ExtractSection[] = ['presenceConfigurations', 'queues'];
  let text: string;
  if (existing !== undefined) {
    const doc = YAML.parseDocument(existing);
    if (doc.errors.length) {
      const e = doc.errors[0];
      throw catalogueError('InvalidAssignments', { variant: 'extract', tokens: [`${rel(options.projectRoot, path)}:${e.linePos?.[0].line ?? 1}:${e.linePos?.[0].col ?? 1}`, e.message.split('\n')[0]] });
    }
    for (const section of sections) {
      for (const name of extracted.components[section]) {
        const users = extracted.users[section][name] ?? [];
        const at = [section, name];
        const entry = doc.getIn(at);
        if (users.length === 0) {
          if (YAML.isMap(entry) && doc.hasIn([...at, 'users', 'usernames'])) doc.deleteIn([...at, 'users', 'usernames']);
          continue;
        }
        // A component key with no value (`miaw:`) is null: give it a map first.
        if (!YAML.isMap(entry)) doc.setIn(at, doc.createNode({}));
        const selector = doc.getIn([...at, 'users']);
        if (!YAML.isMap(selector)) doc.setIn([...at, 'users'], doc.createNode({}));
        doc.setIn([...at, 'users', 'usernames'], doc.createNode(users));
      }
    }
    text = doc.toString();
  } else {
    const schema = join(options.projectRoot, 'config', 'assignments', 'assignments.schema.json');
    let schemaRef: string | undefined;
    try {
      await readFile(schema, 'utf8');
      schemaRef = relative(dirname(path), schema).split(sep).join('/');
      if (!schemaRef.startsWith('.')) schemaRef = `./${schemaRef}`;
    } catch {
      schemaRef = undefined;
    }
    const body: Record<string, unknown> = schemaRef ? { $schema: schemaRef } : {};
    for (const section of sections) {
      const out: Record<string, { users: { usernames: string[] } }> = Object.create(null);
      for (const name of Object.keys(extracted.users[section]).sort()) {
        if (extracted.users[section][name].length) out[name] = { users: { usernames: extracted.users[section][name] } };
      }
      // presenceConfigurations is always written (the file's main section); queues only when it has members.
      if (section === 'presenceConfigurations' || Object.keys(out).length) body[section] = out;
    }
    text =
      (schemaRef ? `# yaml-language-server: $schema=${schemaRef}\n` : '') +
      `# ${options.header}\n# ${messageText('assign-output', 'assignmentsFile.header', [commandPrefix()])}\n` +
      YAML.stringify(body);
  }
  // A new file holds usernames: owner-only. An existing (perhaps committed) file keeps its mode.
  await writeFileAtomic(path, text, existing === undefined ? 0o600 : undefined);
}

function rel(root: string, p: string): string {
  return relative(root, p).split(sep).join('/') || '.';
}
