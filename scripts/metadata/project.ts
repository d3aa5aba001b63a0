/** Finding the sfdx project, its package directories, API version and metadata files. */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { OmniError } from '../cli/errors.ts';
import type { Diagnostic } from '../validate/diagnostic.ts';
import { parseMetadata, type MetadataDocument } from './document.ts';
import { typeForFile, type MetadataTypeDef } from './registry.ts';

export interface SfdxProject {
  root: string;
  packageDirectories: { path: string; default: boolean }[];
  sourceApiVersion: string;
}

export function findProjectRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'sfdx-project.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new OmniError(`No sfdx-project.json found in ${resolve(from)} or any parent folder.`, {
        name: 'NoProjectFound',
        actions: ['Run the command inside a Salesforce DX project (where sfdx-project.json is).'],
      });
    }
    dir = parent;
  }
}

export function readSfdxProject(root: string): SfdxProject {
  const file = join(root, 'sfdx-project.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // A missing file needs a different fix than a broken one.
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new OmniError(missing ? `No sfdx-project.json in ${root}.` : `Cannot read ${file}: ${(error as Error).message}`, {
      name: missing ? 'NoProjectFound' : 'InvalidProject',
      cause: error,
      actions: missing
        ? ['Run the command inside a Salesforce DX project (where sfdx-project.json is), or create one with "sf project generate".']
        : ['Check that sfdx-project.json is a readable file.'],
    });
  }
  let json: { packageDirectories?: unknown; sourceApiVersion?: unknown };
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new OmniError(`Cannot read ${file}: ${(error as Error).message}`, {
      name: 'InvalidProject',
      cause: error,
      actions: ['Fix the JSON syntax of sfdx-project.json.'],
    });
  }
  // Valid JSON of the wrong shape (null, an array, a string…) must fail the same way, not with a TypeError.
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new OmniError(`${file} is not a JSON object.`, {
      name: 'InvalidProject',
      actions: ['Make sfdx-project.json an object with "packageDirectories" and "sourceApiVersion".'],
    });
  }
  const listed = Array.isArray(json.packageDirectories) ? (json.packageDirectories as { path?: unknown; default?: unknown }[]) : [];
  const packageDirectories = listed
    .filter((p): p is { path: string; default?: unknown } => typeof p?.path === 'string')
    .map((p) => ({ path: p.path, default: p.default === true }));
  if (packageDirectories.length === 0) {
    throw new OmniError(`${file} lists no packageDirectories.`, {
      name: 'InvalidProject',
      actions: ['Add "packageDirectories": [{ "path": "force-app", "default": true }].'],
    });
  }
  if (!packageDirectories.some((p) => p.default)) packageDirectories[0].default = true;
  const version = json.sourceApiVersion;
  // sfdx-project.json sometimes has the version as a number (66): keep the string form the type promises.
  const sourceApiVersion = typeof version === 'string' ? version : typeof version === 'number' ? version.toFixed(1) : '66.0';
  return { root, packageDirectories, sourceApiVersion };
}

export function apiVersionNumber(version: string | number): number {
  const n = typeof version === 'number' ? version : parseFloat(version);
  if (!Number.isFinite(n)) throw new OmniError(`"${version}" is not an API version like 66.0.`, { name: 'InvalidApiVersion', exitCode: 2 });
  return Math.floor(n);
}

export interface MetadataFileRef {
  path: string;
  type: MetadataTypeDef;
  fullName: string;
}

// ---- .forceignore (the gitignore basics the sf CLI honours) ----

export interface IgnoreRule {
  /** Matches the path itself. */
  self: RegExp;
  /** Matches anything below the path. */
  below: RegExp;
  negate: boolean;
  directoryOnly: boolean;
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // '**/' is zero or more directories; any other '**' is anything.
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

export function parseForceIgnore(content: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const rawLine of content.split(/\r?\n/)) {
    let line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    const directoryOnly = line.endsWith('/');
    if (directoryOnly) line = line.slice(0, -1);
    // A slash other than a trailing one anchors the pattern to the .forceignore folder.
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const prefix = `^${anchored ? '' : '(?:.*/)?'}${globToRegex(line)}`;
    rules.push({ self: new RegExp(`${prefix}$`), below: new RegExp(`${prefix}/.+$`), negate, directoryOnly });
  }
  return rules;
}

/** Whether `relativePath` (forward slashes, relative to the .forceignore folder) is ignored; the last matching rule wins. */
export function isIgnored(rules: readonly IgnoreRule[], relativePath: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const rule of rules) {
    if (rule.below.test(relativePath) || ((isDirectory || !rule.directoryOnly) && rule.self.test(relativePath))) ignored = !rule.negate;
  }
  return ignored;
}

function forceIgnoreFor(path: string): { root: string; rules: IgnoreRule[] } | undefined {
  let root: string;
  try {
    root = findProjectRoot(path);
  } catch {
    return undefined;
  }
  const file = join(root, '.forceignore');
  return existsSync(file) ? { root, rules: parseForceIgnore(readFileSync(file, 'utf8')) } : undefined;
}

/**
 * Every file of a registry type below the given folders (or the files themselves), sorted by path;
 * skips node_modules, dot-folders and whatever the project's .forceignore excludes.
 */
export async function listMetadataFiles(paths: string[]): Promise<MetadataFileRef[]> {
  const found: MetadataFileRef[] = [];
  let ignore: { root: string; rules: IgnoreRule[] } | undefined;
  const ignored = (path: string, isDirectory: boolean) => {
    if (!ignore) return false;
    const rel = projectRelative(ignore.root, path);
    return rel !== '' && !rel.startsWith('..') && isIgnored(ignore.rules, rel, isDirectory);
  };
  const visit = async (path: string) => {
    let entries;
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') {
        const match = typeForFile(path);
        if (match) found.push({ path, ...match });
        return;
      }
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new OmniError(`${path} does not exist.`, { name: 'PathNotFound', exitCode: 2 });
      }
      throw error;
    }
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = join(path, entry.name);
      if (entry.isDirectory()) {
        if (!ignored(full, true)) await visit(full);
      } else if (entry.isFile()) {
        // The full path: a Metadata API format file is known by its folder (presenceUserConfigs/X.presenceUserConfig).
        const match = typeForFile(full);
        if (match && !ignored(full, false)) found.push({ path: full, ...match });
      }
    }
  };
  for (const path of paths) {
    ignore = forceIgnoreFor(resolve(path));
    await visit(path);
  }
  // Overlapping arguments (a folder and a file inside it) must not list a file twice.
  const unique = [...new Map(found.map((f) => [resolve(f.path), f])).values()];
  return unique.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Project-relative path with forward slashes, as shown in diagnostics. */
export function projectRelative(projectRoot: string, path: string): string {
  return relative(projectRoot, path).split(sep).join('/');
}

export async function readMetadataFile(
  filePath: string,
  projectRoot: string,
): Promise<{ document?: MetadataDocument; diagnostics: Diagnostic[]; source: string }> {
  const source = await readFile(filePath, 'utf8');
  const { document, diagnostics } = parseMetadata(source, { path: projectRelative(projectRoot, filePath) });
  return { document, diagnostics, source };
}
