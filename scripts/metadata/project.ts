/**
 * Salesforce DX project discovery: project root, sfdx-project.json, metadata files under package
 * directories (honouring .forceignore), and reading one metadata file into a document.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { OmniError } from '../cli/errors.ts';
import type { Diagnostic } from '../validate/diagnostic.ts';
import { parseMetadata, type MetadataDocument } from './document.ts';
import { typeForFile, type MetadataTypeDef } from './registry.ts';

export interface SfdxProject {
  root: string;
  packageDirectories: { path: string; default: boolean }[];
  sourceApiVersion: string;
}

const PROJECT_FILE = 'sfdx-project.json';

/** Walks up from `from` to the directory holding sfdx-project.json. */
export function findProjectRoot(from: string): string {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, PROJECT_FILE))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new OmniError(`No ${PROJECT_FILE} found in ${path.resolve(from)} or any parent directory.`, {
        name: 'NoProjectFound',
        actions: ['Run the command inside a Salesforce DX project (a folder with sfdx-project.json), or create one with `sf project generate`.'],
      });
    }
    dir = parent;
  }
}

export function readSfdxProject(root: string): SfdxProject {
  const file = path.join(root, PROJECT_FILE);
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    throw new OmniError(`Cannot read ${file}: ${(error as Error).message}`, {
      name: 'NoProjectFound',
      actions: ['Check that sfdx-project.json exists and is readable.'],
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new OmniError(`${file} is not valid JSON: ${(error as Error).message}`, {
      name: 'InvalidProjectFile',
      actions: ['Fix the JSON syntax of sfdx-project.json.'],
      cause: error,
    });
  }
  const obj = (json ?? {}) as { packageDirectories?: unknown; sourceApiVersion?: unknown };
  const dirs = Array.isArray(obj.packageDirectories) ? obj.packageDirectories : [];
  const packageDirectories = dirs
    .filter((d): d is { path: string; default?: unknown } => typeof d === 'object' && d !== null && typeof (d as { path?: unknown }).path === 'string')
    .map((d) => ({ path: d.path, default: d.default === true }));
  if (packageDirectories.length === 0) {
    throw new OmniError(`${file} lists no packageDirectories.`, {
      name: 'InvalidProjectFile',
      actions: ['Add "packageDirectories": [{ "path": "force-app", "default": true }] to sfdx-project.json.'],
    });
  }
  if (!packageDirectories.some((d) => d.default)) packageDirectories[0].default = true;
  const version = obj.sourceApiVersion;
  if (typeof version !== 'string' || !/^\d+\.\d$/.test(version)) {
    throw new OmniError(`${file}: sourceApiVersion ${version === undefined ? 'is missing' : `"${String(version)}" is not of the form "66.0"`}.`, {
      name: 'InvalidProjectFile',
      actions: ['Set "sourceApiVersion": "66.0" (or the API version of your org) in sfdx-project.json.'],
    });
  }
  return { root: path.resolve(root), packageDirectories, sourceApiVersion: version };
}

/** '66.0' → 66; throws on anything else. */
export function apiVersionNumber(v: string): number {
  const match = /^\s*(\d+)(?:\.(\d+))?\s*$/.exec(String(v));
  if (!match) throw new OmniError(`"${v}" is not an API version (expected a number such as 66.0).`, { actions: ['Use an API version such as 66.0.'] });
  return Number(match[1]) + (match[2] ? Number(`0.${match[2]}`) : 0);
}

// ---- .forceignore (gitignore-style basics) ----

interface IgnoreRule {
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
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // '**/' matches zero or more directories; any other '**' matches everything.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

export function parseForceIgnore(content: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (let line of content.split(/\r?\n/)) {
    line = line.replace(/\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    }
    let directoryOnly = false;
    if (line.endsWith('/')) {
      directoryOnly = true;
      line = line.slice(0, -1);
    }
    // A pattern with a slash (other than a trailing one) is anchored to the .forceignore directory.
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const prefix = `^${anchored ? '' : '(?:.*/)?'}${globToRegex(line)}`;
    rules.push({ self: new RegExp(`${prefix}$`), below: new RegExp(`${prefix}/.+$`), negate, directoryOnly });
  }
  return rules;
}

/** Whether `relativePath` (forward slashes, relative to the .forceignore directory) is ignored; last matching rule wins. */
export function isIgnored(rules: readonly IgnoreRule[], relativePath: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const rule of rules) {
    const matches = rule.below.test(relativePath) || ((isDirectory || !rule.directoryOnly) && rule.self.test(relativePath));
    if (matches) ignored = !rule.negate;
  }
  return ignored;
}

function loadForceIgnore(from: string): { base: string; rules: IgnoreRule[] } | undefined {
  let root: string;
  try {
    root = findProjectRoot(from);
  } catch {
    return undefined;
  }
  const file = path.join(root, '.forceignore');
  if (!existsSync(file)) return undefined;
  return { base: root, rules: parseForceIgnore(readFileSync(file, 'utf8')) };
}

/**
 * Omni metadata files (by `<fullName>.<suffix>-meta.xml`) under `dirs`, recursively, sorted by path;
 * skips node_modules, dot-directories and paths the project's .forceignore excludes.
 */
export async function listMetadataFiles(dirs: string[]): Promise<{ path: string; type: MetadataTypeDef; fullName: string }[]> {
  const out: { path: string; type: MetadataTypeDef; fullName: string }[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    const absolute = path.resolve(dir);
    const ignore = loadForceIgnore(absolute);
    const ignored = (p: string, isDir: boolean) => {
      if (!ignore) return false;
      const rel = path.relative(ignore.base, p).split(path.sep).join('/');
      if (rel === '' || rel.startsWith('..')) return false;
      return isIgnored(ignore.rules, rel, isDir);
    };
    const walk = async (current: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(current, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' && current === absolute) return;
        throw error;
      }
      for (const entry of entries) {
        const full = path.join(current, entry.name);
        if (entry.isDirectory()) {
          if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
          if (ignored(full, true)) continue;
          await walk(full);
        } else if (entry.isFile()) {
          const typed = typeForFile(entry.name);
          if (!typed || seen.has(full) || ignored(full, false)) continue;
          seen.add(full);
          out.push({ path: full, ...typed });
        }
      }
    };
    await walk(absolute);
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

/** Reads and parses one metadata file; the document's path is relative to `projectRoot`. Never throws for bad XML. */
export async function readMetadataFile(
  filePath: string,
  projectRoot: string,
): Promise<{ document?: MetadataDocument; diagnostics: Diagnostic[]; source: string }> {
  const absolute = path.resolve(projectRoot, filePath);
  const relative = path.relative(projectRoot, absolute).split(path.sep).join('/');
  let source: string;
  try {
    source = await readFile(absolute, 'utf8');
  } catch (error) {
    return {
      source: '',
      diagnostics: [
        {
          ruleId: 'FILE-READ',
          severity: 'error',
          message: `Cannot read ${relative}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
          hint: 'Check that the file exists and is readable.',
          file: relative,
        },
      ],
    };
  }
  const typed = typeForFile(absolute);
  const result = parseMetadata(source, { path: relative, type: typed?.type, fullName: typed?.fullName });
  return { ...result, source };
}
