/** Finding the sfdx project, its package directories, API version and metadata files. */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Ignore } from 'ignore';
import { catalogueError, ruleText } from '../lib/messages.ts';
import { InputFileError, NO_FOLLOW, readInputText, readInputTextSync, unreadableInput, type ReadInputOptions } from '../lib/input-file.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import { parseMetadata, type MetadataDocument } from './document.ts';
import { typeForFile, typeForSourceFileName, type MetadataTypeDef } from './registry.ts';

/**
 * sfdx-project.json as every command reads it (https://developer.salesforce.com/docs/atlas.en-us.sfdx_dev.meta/sfdx_dev/sfdx_dev_ws_config.htm).
 * This module is the one project reader: commands find the root with `findProjectRoot` (from any subfolder,
 * as sf does) and read it with `readSfdxProject`; nothing else parses sfdx-project.json.
 */
export interface SfdxProject {
  /** Absolute folder holding sfdx-project.json. */
  root: string;
  /** As listed (paths relative to `root`); exactly one is the default (the first when none says so). */
  packageDirectories: { path: string; default: boolean }[];
  /** As declared ("66.0"; a number 66 becomes "66.0"); absent when the file declares none. */
  sourceApiVersion?: string;
}

/** Where the spec lives, relative to the project root, unless a command is told otherwise. */
export const DEFAULT_SPEC_FILE = 'config/omni-channel.yaml';

/** The API version offline checks and generation use when sfdx-project.json declares none. */
const FALLBACK_API_VERSION = '66.0';

/**
 * The folder holding sfdx-project.json at or above `from` (as sf finds the project from any subfolder).
 * @throws OmniError `NoProjectFound` when there is none up to the file-system root.
 */
export function findProjectRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'sfdx-project.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw catalogueError('NoProjectFound', { tokens: [resolve(from)] });
    }
    dir = parent;
  }
}

/** `findProjectRoot`, or `from` itself outside a project (for commands that also work without one). */
export function findProjectRootOrCwd(from: string): string {
  try {
    return findProjectRoot(from);
  } catch {
    return resolve(from);
  }
}

/**
 * Reads `root/sfdx-project.json`.
 * @throws OmniError `NoProjectFound` (no file), `InvalidProject` (unreadable, not JSON, not an object, no packageDirectories).
 */
export function readSfdxProject(root: string): SfdxProject {
  const file = join(root, 'sfdx-project.json');
  let text: string;
  try {
    text = readInputTextSync(file);
  } catch (error) {
    // A missing file needs a different fix than a broken one.
    const missing = (error as InputFileError).kind === 'not-found';
    throw missing
      ? catalogueError('NoProjectFound', { variant: 'missingFile', tokens: [root], cause: error })
      : catalogueError('InvalidProject', { tokens: [file, (error as Error).message], cause: error });
  }
  let json: { packageDirectories?: unknown; sourceApiVersion?: unknown };
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw catalogueError('InvalidProject', { variant: 'syntax', tokens: [file, (error as Error).message], cause: error });
  }
  // Valid JSON of the wrong shape (null, an array, a string…) must fail the same way, not with a TypeError.
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw catalogueError('InvalidProject', { variant: 'notObject', tokens: [file] });
  }
  const listed = Array.isArray(json.packageDirectories) ? (json.packageDirectories as { path?: unknown; default?: unknown }[]) : [];
  const packageDirectories = listed
    .filter((p): p is { path: string; default?: unknown } => typeof p?.path === 'string')
    .map((p) => ({ path: p.path, default: p.default === true }));
  if (packageDirectories.length === 0) {
    throw catalogueError('InvalidProject', { variant: 'noPackageDirectories', tokens: [file] });
  }
  if (!packageDirectories.some((p) => p.default)) packageDirectories[0].default = true;
  const version = json.sourceApiVersion;
  // sfdx-project.json sometimes has the version as a number (66): keep the string form the type promises.
  const sourceApiVersion = typeof version === 'string' ? version : typeof version === 'number' ? version.toFixed(1) : undefined;
  return sourceApiVersion === undefined ? { root, packageDirectories } : { root, packageDirectories, sourceApiVersion };
}

/** The declared sourceApiVersion, else the version offline checks assume (66.0). */
export function projectApiVersion(project: SfdxProject): string {
  return project.sourceApiVersion ?? FALLBACK_API_VERSION;
}

/** Absolute paths of the package directories, in sfdx-project.json order. */
export function packageDirectoryPaths(project: SfdxProject): string[] {
  return project.packageDirectories.map((p) => resolve(project.root, p.path));
}

/** Absolute path of the default package directory. */
export function defaultPackageDirectory(project: SfdxProject): string {
  return resolve(project.root, (project.packageDirectories.find((p) => p.default) ?? project.packageDirectories[0]).path);
}

/** An API version as sfdx-project.json, the spec and `--api-version` write it: two or three digits and `.0`. */
export const API_VERSION_PATTERN = /^\d{2,3}\.0$/;

/** `"66.0"` or `66` → 66 (a registry `since`, a sourceApiVersion); undefined when it is no number. */
export function parseApiVersion(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : Number.parseFloat(String(value));
  return Number.isFinite(n) ? n : undefined;
}

/** The major API version of `version` (`"66.0"` → 66). Throws the InvalidApiVersion usage error (exit 2) when it is no number. */
export function apiVersionNumber(version: string | number): number {
  const n = parseApiVersion(version);
  if (n === undefined) throw catalogueError('InvalidApiVersion', { tokens: [String(version)] });
  return Math.floor(n);
}

export interface MetadataFileRef {
  path: string;
  type: MetadataTypeDef;
  fullName: string;
  /** The listing saw a regular file (its directory entry's type): read without asking its kind again. */
  listedFile?: boolean;
}

/** A path with a metadata file name that is not a regular file (link, folder, pipe…): refused, located. */
export interface RefusedMetadataPath {
  path: string;
  /** Completes "<path> …", e.g. "is a symbolic link". */
  reason: string;
  hint: string;
}

// ---- .forceignore: the `ignore` package (gitignore rules), as SDR's ForceIgnore uses it ----

/** A parsed .forceignore: gitignore semantics (last matching rule wins, `!` negates, `dir/` matches folders). */
export type ForceIgnoreRules = Ignore;

/**
 * SDR's built-in rules come first (ForceIgnore.DEFAULT_IGNORE, minus the dot-file ones: the listing
 * below skips dot entries itself), so `omni validate` and `omni deploy` skip the same files.
 */
const SDR_DEFAULT_IGNORE = ['**/*.dup', '**/package2-descriptor.json', '**/package2-manifest.json'];

/**
 * `ignore` (CommonJS), required when a .forceignore is parsed: an ES import of it had Node lex its 50 KB source for
 * export names at every start of every command that reads a project, ~4 ms of CPU (bench/RESULTS.md, CLI start-up).
 */
const requireHere = createRequire(import.meta.url);

/** Parses .forceignore text with SDR's default rules in front of it. */
export function parseForceIgnore(content: string): ForceIgnoreRules {
  const ignore = requireHere('ignore') as typeof import('ignore');
  return ignore().add(SDR_DEFAULT_IGNORE).add(content);
}

/** Whether `relativePath` (forward slashes, relative to the .forceignore folder) is ignored; the last matching rule wins. */
export function isIgnored(rules: ForceIgnoreRules, relativePath: string, isDirectory: boolean): boolean {
  // `ignore` tells a folder from a file by the trailing slash (a `build/` rule matches only folders).
  return rules.ignores(isDirectory ? `${relativePath}/` : relativePath);
}

function forceIgnoreFor(path: string): { root: string; rules: ForceIgnoreRules } | undefined {
  let root: string;
  try {
    root = findProjectRoot(path);
  } catch {
    return undefined;
  }
  const file = join(root, '.forceignore');
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readInputTextSync(file);
  } catch (error) {
    const problem = error as InputFileError;
    throw catalogueError('InvalidProject', { variant: 'forceIgnore', tokens: [`${file}${problem.line ? `:${problem.line}:${problem.column}` : ''}`, problem.message], cause: error, moreActions: problem.hint ? [problem.hint] : [] });
  }
  return { root, rules: parseForceIgnore(text) };
}

/**
 * Every file of a registry type below the given folders (or the files themselves), sorted by path;
 * skips node_modules, dot-folders and whatever the project's .forceignore excludes. Links, folders and
 * pipes/devices with a metadata file name (and links to folders) go to `refused` instead (never read).
 */
export async function listMetadataFiles(paths: string[], refused?: RefusedMetadataPath[]): Promise<MetadataFileRef[]> {
  const found: MetadataFileRef[] = [];
  let forceIgnore: { root: string; rules: ForceIgnoreRules } | undefined;
  const ignored = (path: string, isDirectory: boolean) => {
    if (!forceIgnore) return false;
    const rel = projectRelative(forceIgnore.root, path);
    return rel !== '' && !rel.startsWith('..') && isIgnored(forceIgnore.rules, rel, isDirectory);
  };
  // Paths below a normalized absolute root are joined by concatenation: path.join and path.resolve
  // normalize character by character, which for 10,000 files was most of the listing's time and garbage.
  let normalizedRoot = false;
  const childPath = (dir: string, name: string) => (normalizedRoot ? (dir.endsWith(sep) ? dir + name : dir + sep + name) : join(dir, name));
  const visit = async (path: string) => {
    let entries;
    try {
      // Synchronous: a handful of folders, each listed in one call, without a thread-pool round trip (under
      // load, the wait for a pool thread was most of listing 10,000 files, bench/RESULTS.md "Validate at scale").
      entries = readdirSync(path, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') {
        const match = typeForFile(path);
        if (match) found.push({ path, ...match });
        return;
      }
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw catalogueError('PathNotFound', { tokens: [path] });
      }
      throw error;
    }
    for (let e = 0; e < entries.length; e++) {
      const entry = entries[e];
      const name = entry.name;
      if (name === 'node_modules' || name.charCodeAt(0) === 46) continue;
      if (entry.isFile()) {
        // A regular file is known by its name alone (`<fullName>.<suffix>-meta.xml`); only another name needs
        // the path (a Metadata API format file is known by its folder: presenceUserConfigs/X.presenceUserConfig).
        const byName = typeForSourceFileName(name);
        const full = childPath(path, name);
        const match = byName === null ? typeForFile(full) : byName;
        if (match && !ignored(full, false)) found.push({ path: full, type: match.type, fullName: match.fullName, listedFile: true });
        continue;
      }
      const full = childPath(path, name);
      const match = typeForFile(full);
      if (entry.isSymbolicLink()) {
        // SDR follows links (a linked file or folder is deployed), so what we validate must be what it sends:
        // a link is refused rather than skipped (a skipped link to a capacity of -5 reached the org).
        const isDirectory = await stat(full).then((s) => s.isDirectory(), () => false);
        if ((match || isDirectory) && !ignored(full, isDirectory)) refused?.push(refusal(full, 'symlink'));
      } else if (entry.isDirectory()) {
        if (match && !ignored(full, true)) refused?.push(refusal(full, 'directory'));
        else if (!ignored(full, true)) await visit(full);
      } else if (match && !ignored(full, false)) {
        refused?.push(refusal(full, 'special'));
      }
    }
  };
  let allNormalized = true;
  for (const path of paths) {
    const absolute = resolve(path);
    forceIgnore = forceIgnoreFor(absolute);
    normalizedRoot = absolute === path;
    allNormalized &&= normalizedRoot;
    await visit(path);
  }
  // Overlapping arguments (a folder and a file inside it) must not list a file twice; one argument lists each once.
  const unique = paths.length === 1 ? found : [...new Map(found.map((f) => [allNormalized ? f.path : resolvedPath(f.path), f])).values()];
  return unique.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Project-relative path with forward slashes, as shown in diagnostics. */
export function projectRelative(projectRoot: string, path: string): string {
  // A normalized path below a normalized root is the rest of the string: path.relative normalizes both
  // character by character (a good part of reading 10,000 files, bench/RESULTS.md).
  if (path.length > projectRoot.length + 1 && path.startsWith(projectRoot) && path[projectRoot.length] === sep && isNormalizedAbsolute(projectRoot) && isNormalizedAbsolute(path)) {
    const rest = path.slice(projectRoot.length + 1);
    return sep === '/' ? rest : rest.split(sep).join('/');
  }
  return relative(projectRoot, path).split(sep).join('/');
}

/** `path.resolve(p)`, without its cost when `p` is already absolute and normalized (what the listing gives). */
export function resolvedPath(p: string): string {
  return isNormalizedAbsolute(p) ? p : resolve(p);
}

// A `.` or `..` segment, a doubled separator or a trailing one: what path.resolve would change.
const NOT_NORMALIZED = /[\\/]\.{1,2}(?:[\\/]|$)|[\\/]{2}|[\\/]$/;

/** Absolute, and unchanged by path.resolve (POSIX; elsewhere only when resolve says so). */
function isNormalizedAbsolute(p: string): boolean {
  if (sep !== '/') return resolve(p) === p;
  if (p === lastNormalized || p === lastRootNormalized) return true;
  // No `/.`, `//`, backslash nor trailing `/`: nothing for the pattern to find (a listed path, without running it).
  if (p.charCodeAt(0) !== 47 || (p.includes('/.') || p.includes('//') || p.includes('\\') || p.endsWith('/') ? NOT_NORMALIZED.test(p) : false)) return false;
  // A path below the last one (a file below the project root asked before it, as projectRelative asks) moves
  // that one to the second slot: the root is then not checked again for each of its 10,000 files.
  if (lastNormalized !== undefined && p.length > lastNormalized.length && p.startsWith(lastNormalized) && p.charCodeAt(lastNormalized.length) === 47) lastRootNormalized = lastNormalized;
  lastNormalized = p;
  return true;
}
/** The last path found normalized, and the last one found above the path after it (the project root). */
let lastNormalized: string | undefined;
let lastRootNormalized: string | undefined;

function refusal(path: string, kind: 'symlink' | 'directory' | 'special'): RefusedMetadataPath {
  switch (kind) {
    case 'symlink':
      return { path, reason: ruleText('FILE-READ.symlink'), hint: ruleText('FILE-READ.symlink.hint') };
    case 'directory':
      return { path, reason: ruleText('FILE-READ.directory'), hint: ruleText('FILE-READ.directory.hint') };
    default:
      return { path, reason: ruleText('FILE-READ.special'), hint: ruleText('FILE-READ.special.hint') };
  }
}

/** A FILE-READ error diagnostic for a refused path, located at the file. */
export function refusedDiagnostic(refused: RefusedMetadataPath, projectRoot: string): Diagnostic {
  const file = projectRelative(projectRoot, refused.path);
  return { ruleId: 'FILE-READ', severity: 'error', message: `${file} ${refused.reason}.`, hint: refused.hint, file, line: 1, column: 1 };
}

/**
 * The text of a metadata file: a regular file (links refused, see listMetadataFiles), at most 50 MB, decoded
 * as its XML declaration says. Throws InputFileError.
 */
export async function readMetadataSource(filePath: string): Promise<string> {
  const info = await lstat(filePath).catch(() => undefined);
  if (info?.isSymbolicLink()) {
    throw symlinkRefused(filePath);
  }
  return readInputText(filePath, { xml: true });
}

/**
 * readMetadataSource, synchronously: for thousands of small files a synchronous open/stat/read/close costs a
 * fraction of the promise-based one (no thread-pool round trip per call), which is most of reading a big
 * project (bench/validate). Same refusals and errors.
 */
/** readMetadataSourceSync's options, one object each (not one per file read). */
const LISTED_XML: ReadInputOptions = Object.freeze({ xml: true, noFollow: true, listedFile: true });
const UNLISTED_XML: ReadInputOptions = Object.freeze({ xml: true, noFollow: true });

function readMetadataSourceSync(filePath: string, listedFile = false): string {
  // Opened without following links, so a link costs no lstat per file: only a failed open asks what the path is.
  if (NO_FOLLOW) {
    try {
      return readInputTextSync(filePath, listedFile ? LISTED_XML : UNLISTED_XML);
    } catch (error) {
      if (isSymbolicLink(filePath)) throw symlinkRefused(filePath);
      throw error;
    }
  }
  if (isSymbolicLink(filePath)) throw symlinkRefused(filePath);
  return readInputTextSync(filePath, { xml: true });
}

function isSymbolicLink(filePath: string): boolean {
  try {
    return lstatSync(filePath).isSymbolicLink();
  } catch {
    return false;
  }
}

function symlinkRefused(filePath: string): InputFileError {
  return new InputFileError(
    'not-regular',
    () => refusal(filePath, 'symlink').reason,
    () => refusal(filePath, 'symlink').hint,
  );
}

/**
 * Reads and parses one metadata file; unreadable files become a located FILE-READ diagnostic (never a
 * throw). The read is synchronous (see readMetadataSourceSync) so a caller looping over files stays fast.
 */
export async function readMetadataFile(
  filePath: string,
  projectRoot: string,
  /** The API version the file is read at (parseMetadata's `apiVersion`). */
  apiVersion?: number,
): Promise<{ document?: MetadataDocument; diagnostics: Diagnostic[]; source: string }> {
  return readMetadataFileSync(filePath, projectRoot, undefined, apiVersion);
}

/**
 * readMetadataFile without the promise: a loop over 10,000 files (omni validate) then makes no promise and
 * no microtask per file (with async hooks on, as under oclif, each costs its hooks too).
 */
export function readMetadataFileSync(
  filePath: string,
  projectRoot: string,
  /** The file's type and fullName when the caller has them (from `typeForFile`, as a listing gives them), and whether the listing saw a regular file. */
  known?: { type: MetadataTypeDef; fullName: string; listedFile?: boolean },
  /** The API version the file is read at (parseMetadata's `apiVersion`). */
  apiVersion?: number,
): { document?: MetadataDocument; diagnostics: Diagnostic[]; source: string } {
  const file = projectRelative(projectRoot, filePath);
  let source: string;
  try {
    source = readMetadataSourceSync(filePath, known?.listedFile);
  } catch (error) {
    const problem = unreadableInput(error);
    return {
      diagnostics: [{ ruleId: problem.kind === 'encoding' ? 'FILE-ENCODING' : 'FILE-READ', severity: 'error', message: `${file} ${problem.message}.`, hint: problem.hint, file, line: problem.line ?? 1, column: problem.column ?? 1 }],
      source: '',
    };
  }
  const { document, diagnostics } = parseMetadata(source, known ? { path: file, type: known.type, fullName: known.fullName, apiVersion } : { path: file, apiVersion });
  return { document, diagnostics, source };
}

/** Where a validation runs: a project root, or a Metadata API format folder outside any project. */
export interface LocatedProject {
  root: string;
  /** Metadata API format folder outside any sfdx project. */
  withoutProject?: boolean;
  /** package.xml <version> of that folder. */
  apiVersion?: string;
}

/**
 * The project `omni validate` checks: the one at or above `cwd`; else the one holding a given path (files
 * of another project validated from outside it); else a Metadata API format folder (package.xml +
 * type folders) among the paths, validated on its own at its package.xml <version>. Throws the
 * NoProjectFound of `findProjectRoot` when none applies.
 */
export function locateProject(cwd: string, paths: string[]): LocatedProject {
  try {
    return { root: findProjectRoot(cwd) };
  } catch (error) {
    // Validating files of another project from outside it: use that project.
    for (const p of paths) {
      try {
        return { root: findProjectRoot(dirname(p)) };
      } catch {
        // try the next path
      }
    }
    for (const p of paths) {
      const manifest = mdapiManifest(p);
      if (manifest) return { root: cwd, withoutProject: true, ...(manifest.version ? { apiVersion: manifest.version } : {}) };
    }
    throw error;
  }
}

/** The package.xml of a Metadata API format folder (the path itself or a folder above a file in it). */
function mdapiManifest(p: string): { version?: string } | undefined {
  for (const dir of [p, dirname(p), dirname(dirname(p))]) {
    const file = join(dir, 'package.xml');
    if (!existsSync(file)) continue;
    const version = /<version>\s*(\d+\.\d+)\s*<\/version>/.exec(readFileSync(file, 'utf8'))?.[1];
    return version ? { version } : {};
  }
  return undefined;
}
