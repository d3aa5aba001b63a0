/**
 * The offline validator: parse-layer diagnostics + the §10 rules over a set of metadata documents.
 * `validateDocuments` checks documents already in memory; `validateProject` reads a project (its package
 * directories or the given paths, plus the spec) and never writes anything. Neither throws on bad input.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ruleText } from '../lib/messages.ts';
import type { MetadataDocument } from '../metadata/document.ts';
import { parseApiVersion, listMetadataFiles, packageDirectoryPaths, projectApiVersion, readMetadataFileSync, readSfdxProject, refusedDiagnostic, resolvedPath, type RefusedMetadataPath } from '../metadata/project.ts';
import { typeForFile, type MetadataTypeDef } from '../metadata/registry.ts';
import { belowLevel, createContext, displayPath, type HiddenTally } from './context.ts';
import { HeldSpec, type SpecCompiler } from './held.ts';
import type { SpecToDocumentsOptions } from '../yaml-spec/compile.ts';
import type { OmniSpec } from '../yaml-spec/schema.ts';
import { inKeyOrder, type Diagnostic, type Severity } from '../lib/diagnostic.ts';
import type { HiddenFindings } from './format.ts';
import { checkDocument } from './document-rules.ts';
import { signalTurn } from '../lib/signals.ts';
import { checkProject, projectFacts } from './project-rules.ts';
import type { MembershipFacts } from '../graph/analyze.ts';

export type { Diagnostic } from '../lib/diagnostic.ts';

import { DEFAULT_SPEC_FILE } from '../metadata/project.ts';

export interface ValidateDocumentsOptions {
  /** API version to check elements against (66 or "66.0"); omitted → no version check (rule 3 skipped). */
  apiVersion?: number | string;
  /** Absolute project root: document paths are reported relative to it. */
  projectRoot?: string;
  /** Who holds which configuration / is in which queue (assignment files): enables PUC-NOT-HELD and QUEUE-NO-MEMBERS. */
  membership?: MembershipFacts;
}

/** The §10 rules over documents already parsed (the parse layer's own diagnostics are not repeated). */
export function validateDocuments(documents: readonly MetadataDocument[], options: ValidateDocumentsOptions & { projectFacts?: boolean } = {}): Diagnostic[] {
  const stream = validationStream(options, options.projectFacts ?? false);
  for (const doc of documents) stream.add(doc);
  return stream.finish(options.membership);
}

/**
 * Validation as documents arrive, in the order the project rules see them: `add` runs a document's own
 * rules at once (unless `check` is false: a document read only so that references to it resolve) and keeps
 * what the project rules need of it; `finish` runs the project rules over what was kept. With
 * `projectFacts`, a document is kept as `projectFacts` prunes it (the top-level elements the project rules
 * read), so a 10,000-configuration project never holds its whole trees; the findings are the same
 * (test/validate/facts.test.ts). The findings are in `diagnostics`, document rules first.
 */
function validationStream(options: ValidateDocumentsOptions & { hidden?: HiddenTally }, pruned: boolean) {
  const diagnostics: Diagnostic[] = [];
  // Pruned, the spec's entries are held uncompiled, and as positions over their XML twins (held.ts).
  const compact = pruned ? new HeldSpec() : undefined;
  // Findings counted rather than built count as findings too: a document with either is not clean (held.ts).
  let hiddenAdds = 0;
  const hidden = options.hidden;
  const ctx = createContext(diagnostics, {
    apiVersion: parseApiVersion(options.apiVersion),
    projectRoot: options.projectRoot,
    ...(hidden
      ? {
          hidden: {
            level: hidden.level,
            add(severity: Severity, file: string | undefined) {
              hiddenAdds++;
              hidden.add(severity, file);
            },
          },
        }
      : {}),
    ...(compact ? { positionOf: compact.positionOf } : {}),
  });
  const kept: MetadataDocument[] = [];
  const held: MetadataDocument[] = [];
  // The spec's twins (held.ts): their entries and their files' indexes in `kept`, not documents of their own.
  const twinEntries: number[] = [];
  const twinSources: number[] = [];
  return {
    diagnostics,
    add(doc: MetadataDocument, check = true): void {
      let clean = false;
      if (check) {
        const reported = diagnostics.length;
        const counted = hiddenAdds;
        checkDocument(doc, ctx);
        clean = diagnostics.length === reported && hiddenAdds === counted;
      }
      const facts = pruned ? projectFacts(doc) : doc;
      kept.push(facts);
      if (compact?.size) compact.offer(doc, facts, clean, kept.length - 1);
    },
    /**
     * As `add`, but what is kept joins the project rules' documents only at `release`: a document checked
     * before the ones that come first in that order (the spec's, read before the XML files). Whole documents
     * only (pruned, the spec is held with `holdSpec`).
     */
    hold(doc: MetadataDocument): void {
      checkDocument(doc, ctx);
      held.push(doc);
    },
    /**
     * Pruned: the spec's entries, held until `release` (held.ts); each entry's document is checked and pruned
     * then, unless its XML twin stands for it. Returns how many documents the spec has.
     */
    holdSpec(spec: OmniSpec, specOptions: SpecToDocumentsOptions, compiler: SpecCompiler): number {
      return compact!.hold(spec, specOptions, compiler);
    },
    release(): void {
      compact?.release(
        (doc) => {
          checkDocument(doc, ctx);
          kept.push(projectFacts(doc));
        },
        (entry, source) => {
          twinEntries.push(entry);
          twinSources.push(source);
        },
      );
      for (const doc of held) kept.push(doc);
      held.length = 0;
    },
    finish(membership?: MembershipFacts): Diagnostic[] {
      checkProject(kept, ctx, membership, twinEntries.length ? { sources: twinSources, file: compact!.file, document: (t) => compact!.twinDocument(twinEntries[t]) } : undefined);
      return diagnostics;
    },
  };
}

export interface ValidateProjectOptions {
  projectRoot: string;
  /** Files or directories to validate (relative to projectRoot or absolute); default: the package directories. */
  paths?: string[];
  /**
   * The spec: a path, `null` for none. Undefined → `config/omni-channel.yaml` if present, but only when no
   * `paths` are given (validating chosen paths validates just those).
   */
  specFile?: string | null;
  /** Overrides sourceApiVersion of sfdx-project.json (66 or "66.0"). */
  apiVersion?: number | string;
  /**
   * No sfdx-project.json is expected (a Metadata API format folder validated on its own): `paths` are
   * validated with `apiVersion` (e.g. package.xml's <version>) and nothing else is read.
   */
  withoutProject?: boolean;
  /**
   * false: the documents are not returned (`documents` is empty) and each is dropped once its own rules
   * ran, only what the project rules read being kept (`omni validate`: 10,000 files in a fraction of the
   * memory). Default true: every document is returned whole (deploy reads them).
   */
  keepDocuments?: boolean;
  /**
   * Only findings at or above this severity are returned in `diagnostics`; the others are counted in
   * `hidden` and, where a rule reports them by the thousand, never worded (the text output below `--level
   * info` prints only their number). Default: every finding is returned.
   */
  shownLevel?: Severity;
}

export interface ValidateProjectResult {
  diagnostics: Diagnostic[];
  /** Every document read: the validated ones plus the rest of the project (reference context); empty with `keepDocuments: false`. */
  documents: MetadataDocument[];
  filesChecked: number;
  /** With `shownLevel`: the findings left out of `diagnostics`, counted. */
  hidden?: HiddenFindings;
}

export async function validateProject(options: ValidateProjectOptions): Promise<ValidateProjectResult> {
  const projectRoot = path.resolve(options.projectRoot);
  const diagnostics: Diagnostic[] = [];
  let packageDirs: string[] = [];
  let sourceApiVersion: string | undefined;
  try {
    if (!options.withoutProject) {
      const sfdx = readSfdxProject(projectRoot);
      packageDirs = packageDirectoryPaths(sfdx);
      sourceApiVersion = projectApiVersion(sfdx);
    }
  } catch (error) {
    diagnostics.push({
      ruleId: 'FILE-READ',
      severity: 'error',
      message: ruleText('FILE-READ.project', [(error as Error).message]),
      hint: ruleText('FILE-READ.project.hint'),
      file: 'sfdx-project.json',
    });
  }
  const apiVersionText =
    options.apiVersion !== undefined ? (typeof options.apiVersion === 'number' ? options.apiVersion.toFixed(1) : options.apiVersion) : sourceApiVersion;
  const apiVersion = apiVersionText !== undefined ? safeApiVersion(apiVersionText) : undefined;

  // The files whose diagnostics are reported…
  const requested = options.paths?.length ? options.paths.map((p) => path.resolve(projectRoot, p)) : packageDirs;
  const targets = await listTargets(requested, projectRoot, diagnostics);
  // …and the rest of the project, read so that references to it resolve.
  // A package directory at or below a requested folder is listed already: not listed twice.
  const covered = (dir: string) => requested.some((r) => dir === r || dir.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
  const contextDirs = options.paths?.length ? packageDirs.filter((d) => existsSync(d) && !covered(d)) : [];
  const targetPaths = contextDirs.length ? new Set(targets.map((t) => t.path)) : undefined;
  const contextFiles = targetPaths ? (await listTargets(contextDirs, projectRoot, [])).filter((f) => !targetPaths.has(f.path)) : [];
  // The spec first: its YAML tree is dropped once compiled, so it never sits in memory beside thousands
  // of parsed XML files (peak memory of a 10,000-configuration project, bench/RESULTS.md).
  const specFile =
    options.specFile === null
      ? undefined
      : options.specFile !== undefined
        ? path.resolve(projectRoot, options.specFile)
        : !options.paths?.length && existsSync(path.join(projectRoot, DEFAULT_SPEC_FILE))
          ? path.join(projectRoot, DEFAULT_SPEC_FILE)
          : undefined;
  // Each file is checked as it is parsed (its parse diagnostics first, then its own rules) and, without
  // keepDocuments, only what the project rules read of it is kept: the order of documents (validated,
  // spec, context) and of findings is that of the whole-tree path.
  const keepDocuments = options.keepDocuments ?? true;
  const documents: MetadataDocument[] = [];
  const tally = options.shownLevel ? hiddenTally(options.shownLevel) : undefined;
  const stream = validationStream({ apiVersion, projectRoot, ...(tally ? { hidden: tally } : {}) }, !keepDocuments);
  const specDocuments: MetadataDocument[] = [];
  let specShown: string | undefined;
  if (specFile) {
    // Each document is checked and pruned as soon as it is built, so the spec's whole trees are never
    // held together, nor while the XML files are read; what is kept joins the project rules' documents
    // after the validated files (`release`), in the order above.
    const spec = await readSpec(specFile, projectRoot, apiVersionText, packageDirs, (loaded, specOptions, compiler) => {
      if (!keepDocuments) return stream.holdSpec(loaded, specOptions, compiler);
      let count = 0;
      compiler.eachSpecDocument(loaded, specOptions, (doc) => {
        count++;
        stream.hold(doc);
        specDocuments.push(doc);
      });
      return count;
    });
    diagnostics.push(...spec.diagnostics);
    specShown = spec.file;
    // What the spec's read left behind (its text, the scanner's tables) is not collected here for a run that hides
    // some findings: a full collection now marks the whole live heap on the main thread (16–24 ms at 10,000
    // configurations, ~40 ms of CPU with its helper) to save ~7 MiB of peak memory, and a run that stays below V8's
    // limit for starting one (the text output at 10,000 configurations) then needs none at all. A run that returns
    // every finding (the JSON and SARIF outputs, --level info) makes 20,000 of them at the end of a 10,000-configuration
    // run: collected first, they take the place of what the spec left (bench/RESULTS.md, "Validate at scale").
    if (!options.shownLevel && spec.documents >= LARGE_SPEC_DOCUMENTS) {
      const { collectGarbage } = await import('../lib/gc.ts');
      collectGarbage();
    }
  }
  // The files whose project-rule findings are reported. Without context files every document the project rules
  // see is one of them (a validated file, or the spec, whose documents' file is the spec's as shown): no set of
  // 10,000 paths to ask, kept to the end of the run.
  const reported = contextFiles.length ? new Set<string>() : undefined;
  // A signal that came while the spec was read stops the run here, not after the XML (lib/signals.ts).
  await signalTurn();
  readAll(targets, projectRoot, apiVersion, diagnostics, (doc) => {
    reported?.add(doc.path ? displayPath(doc.path, projectRoot) : '');
    stream.add(doc);
    if (keepDocuments) documents.push(doc);
  });
  await signalTurn();
  stream.release();
  for (const doc of specDocuments) documents.push(doc);
  specDocuments.length = 0;
  // The rest of the project: its parse and document findings are not reported (another file's).
  readAll(contextFiles, projectRoot, apiVersion, [], (doc) => {
    stream.add(doc, false);
    if (keepDocuments) documents.push(doc);
  });
  if (specShown) reported?.add(specShown);
  // The whole project with assignment files: they say who holds what (membership findings). Without them
  // (chosen paths, or a project that assigns elsewhere) holders and members are unknown, not missing.
  let membership: MembershipFacts | undefined;
  if (!options.paths?.length) {
    // The assignment reader (zod, YAML, CSV) is loaded only for a project that has assignment files.
    const { defaultAssignmentFiles } = await import('../graph/assignment-files.ts');
    const files = defaultAssignmentFiles(projectRoot);
    if (files.length) {
      const { sourceFacts } = await import('../graph/build.ts');
      membership = sourceFacts(files, projectRoot).facts;
    }
  }
  for (const d of stream.finish(membership)) {
    if (d.file === undefined || !reported || reported.has(d.file)) diagnostics.push(d);
  }
  const filesChecked = targets.length + (specFile ? 1 : 0);
  if (!tally) return { diagnostics: sortDiagnostics(diagnostics), documents, filesChecked };
  // The rules' hidden findings pass the same filter as the ones they built; the others (parse, spec, files)
  // were built already and are counted here.
  const hidden: HiddenFindings = { warnings: 0, infos: 0, files: new Set() };
  const hide = (severity: Severity, file: string | undefined, count = 1) => {
    if (severity === 'warning') hidden.warnings += count;
    else hidden.infos += count;
    if (file) hidden.files.add(file);
  };
  for (let i = 0; i < tally.severities.length; i++) {
    const file = tally.files[i];
    if (file === undefined || !reported || reported.has(file)) hide(tally.severities[i], file, tally.counts[i]);
  }
  let shown = 0;
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i];
    if (belowLevel(d.severity, tally.level)) hide(d.severity, d.file);
    else diagnostics[shown++] = d;
  }
  diagnostics.length = shown;
  return { diagnostics: sortDiagnostics(diagnostics), documents, filesChecked, hidden };
}

/**
 * A HiddenTally kept as runs of findings of one severity in one file (three parallel lists, no object per
 * finding), filtered once the project is read: a rule's findings in one file come one after another (the
 * spec's 10,000 hidden infos are one run).
 */
function hiddenTally(level: Severity) {
  const severities: Severity[] = [];
  const files: (string | undefined)[] = [];
  const counts: number[] = [];
  return {
    level,
    severities,
    files,
    counts,
    add(severity: Severity, file: string | undefined) {
      const last = counts.length - 1;
      if (last >= 0 && files[last] === file && severities[last] === severity) counts[last]++;
      else {
        severities.push(severity);
        files.push(file);
        counts.push(1);
      }
    },
  };
}

function safeApiVersion(text: string): number | undefined {
  const n = parseApiVersion(text);
  return n === undefined ? undefined : Math.floor(n);
}

interface Target {
  path: string;
  type: MetadataTypeDef;
  fullName: string;
  /** A directory listing saw a regular file (see `readInputTextSync`'s `listedFile`). */
  listedFile?: boolean;
}

/** Metadata files under the given files/directories; a path that cannot be read becomes FILE-READ. */
async function listTargets(paths: string[], projectRoot: string, diagnostics: Diagnostic[]): Promise<Target[]> {
  let targets: Target[] = [];
  const dirs: string[] = [];
  for (const p of paths) {
    let info;
    try {
      // Synchronous, as the listing's own reads: no thread-pool round trip for a handful of paths.
      info = statSync(p);
    } catch (error) {
      diagnostics.push({
        ruleId: 'FILE-READ',
        severity: 'error',
        message:
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? ruleText('FILE-READ.pathMissing', [displayPath(p, projectRoot)])
            : ruleText('FILE-READ.path', [displayPath(p, projectRoot), (error as Error).message]),
        hint: ruleText('FILE-READ.path.hint'),
        file: displayPath(p, projectRoot),
      });
      continue;
    }
    if (info.isDirectory()) dirs.push(p);
    else {
      const found = typeForFile(p);
      if (found) targets.push({ path: p, type: found.type, fullName: found.fullName });
      else
        diagnostics.push({
          ruleId: 'FILE-READ',
          severity: 'error',
          message: ruleText('FILE-READ.notMetadata', [displayPath(p, projectRoot)]),
          hint: ruleText('FILE-READ.notMetadata.hint'),
          file: displayPath(p, projectRoot),
        });
    }
  }
  if (dirs.length) {
    const refused: RefusedMetadataPath[] = [];
    const listed = await listMetadataFiles(dirs, refused);
    // Below resolved folders the listing's paths are resolved already (joined by concatenation, never a `.`
    // segment): its entries are the targets as they are, not copied with each path resolved again.
    if (dirs.every((d) => path.resolve(d) === d)) {
      if (targets.length === 0) targets = listed;
      else for (let i = 0; i < listed.length; i++) targets.push(listed[i]);
    } else for (const f of listed) targets.push({ path: resolvedPath(f.path), type: f.type, fullName: f.fullName, listedFile: f.listedFile });
    diagnostics.push(...refused.map((r) => refusedDiagnostic(r, projectRoot)));
  }
  if (paths.length <= 1) return targets; // one file, or one folder's listing: each path once
  const seen = new Set<string>();
  return targets.filter((t) => (seen.has(t.path) ? false : (seen.add(t.path), true)));
}

/**
 * Reads and parses each file in turn, handing each document to `take` as soon as it is built. Synchronous
 * on purpose: for thousands of small files synchronous reads cost a fraction of promise-based ones (no
 * thread-pool round trip per open/stat/read/close), no promise is made per file, and each source string is
 * dropped as soon as its tree is built. Parse findings go to `diagnostics`.
 */
function readAll(targets: Target[], projectRoot: string, apiVersion: number | undefined, diagnostics: Diagnostic[], take: (doc: MetadataDocument) => void): void {
  for (let t = 0; t < targets.length; t++) {
    const target = targets[t];
    let result: ReturnType<typeof readMetadataFileSync>;
    try {
      result = readMetadataFileSync(target.path, projectRoot, target, apiVersion);
    } catch (error) {
      diagnostics.push({
        ruleId: 'FILE-READ',
        severity: 'error',
        message: ruleText('FILE-READ.path', [displayPath(target.path, projectRoot), (error as Error)?.message ?? String(error)]),
        hint: ruleText('FILE-READ.file.hint'),
        file: displayPath(target.path, projectRoot),
      });
      continue;
    }
    for (let i = 0; i < result.diagnostics.length; i++) diagnostics.push(result.diagnostics[i]);
    if (result.document) {
      if (!result.document.path) result.document.path = target.path;
      take(result.document);
    }
  }
}

/**
 * After a spec with this many documents, a run that returns every finding collects what the spec's read left behind
 * (validateProject): ~7 MB at 10,000 configurations; a small spec leaves little behind, and a collection costs
 * its ~10 ms whatever the size.
 */
const LARGE_SPEC_DOCUMENTS = 1000;

/**
 * Loads the spec and hands it to `take` with its documents' options and the compiler (loaded only for a spec),
 * which holds or builds its documents and says how many there are; returns the spec's own findings (YAML,
 * schema, versions, StaticResources) and that count.
 */
async function readSpec(
  file: string,
  projectRoot: string,
  apiVersion: string | undefined,
  packageDirs: readonly string[],
  take: (spec: OmniSpec, options: SpecToDocumentsOptions, compiler: SpecCompiler & Pick<typeof import('../yaml-spec/compile.ts'), 'eachSpecDocument'>) => number,
) {
  const { loadSpec } = await import('../yaml-spec/load.ts');
  // Read by key only: a valid spec is checked in place, not copied (~4 MB at 10,000 configurations).
  const loaded = await loadSpec(file, { projectRoot, checkInPlace: true, ...(apiVersion ? { apiVersion } : {}) });
  let documents = 0;
  const version = loaded.apiVersion ?? apiVersion;
  if (loaded.spec && version) {
    const compiler = await import('../yaml-spec/compile.ts');
    documents = take(loaded.spec, { apiVersion: version, locate: loaded.locate, file: loaded.displayFile }, compiler);
  }
  // Record settings name StaticResources: those outside the project are checked in the org by deploy. A spec whose text
  // cannot name one is not walked for them (~2.5 ms at 10,000 configurations).
  if (loaded.spec && loaded.mayNameStaticResources !== false) {
    const { findProjectStaticResources, staticResourceDiagnostics, staticResourceNames } = await import('../yaml-spec/static-resources.ts');
    // Only a spec that names one has something to report, and only then is the project walked for them.
    if (staticResourceNames(loaded.spec as Record<string, unknown>).length) {
      const resources = await findProjectStaticResources(packageDirs);
      loaded.diagnostics.push(...staticResourceDiagnostics(loaded.spec as Record<string, unknown>, resources, loaded.displayFile, loaded.locate));
    }
  }
  return { diagnostics: loaded.diagnostics, documents, file: loaded.displayFile };
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  // One key order for every finding (the spec loader, the parser and the rules each build theirs).
  for (let i = 0; i < diagnostics.length; i++) diagnostics[i] = inKeyOrder(diagnostics[i]);
  return diagnostics.sort(
    (a, b) =>
      compareText(a.file ?? '', b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      compareText(a.ruleId, b.ruleId),
  );
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
