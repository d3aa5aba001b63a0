/**
 * `deploy`, `checkDeployStatus`, `cancelDeploy`. A deploy is an async job (id with the real `0Af`
 * prefix) that goes Pending → InProgress → Succeeded / SucceededPartial / Failed / Canceled over a
 * short time so clients poll. The zip is unpacked and parsed off the store; the components are then
 * applied in one synchronous store transaction in dependency order (registry order), each in its own
 * nested transaction, and the whole is undone on checkOnly or on failure with rollbackOnError.
 * Deletions come from destructiveChangesPre.xml (before the other components), destructiveChangesPost.xml
 * and destructiveChanges.xml (after them) beside package.xml, inside the same all-or-none transaction.
 */
import JSZip from 'jszip';
import type { LocalOrgContext } from '../context.ts';
import { PlatformError } from '../store.ts';
import { METADATA_TYPES, type MetadataTypeDef } from './types.ts';
import { localName, parseXml, serializeComponent, type XmlNode } from './xml.ts';
import { ComponentError, bindingForPackageType, metadataState, type ApplyContext, type Binding } from './components.ts';
import { parsePackageXml, type PackageManifest } from './package-xml.ts';
import { checkDocument } from './schema-check.ts';
import { argBool, argText, argTexts, argTree, SoapFault, type SoapTree, type XmlValue } from './soap.ts';
import { isoDate, checkAsyncId } from './jobs.ts';
import { MAX_API_VERSION } from '../platform.ts';

/** How long a deploy stays Pending, then InProgress, before it completes: long enough that clients poll. */
export const DEPLOY_TIMING = { pendingMs: 60, inProgressMs: 120 };

/** How each deployment not yet completed completes now, by its job data: `finishDeploymentsNow` runs them. */
const completions = new WeakMap<DeployJob, () => void>();

/**
 * A test's control of the org's clock: every deployment of `org` that is Pending or InProgress completes now, as
 * it would when its `DEPLOY_TIMING` ran out. A test that needs a deployment running while a client is
 * stopped sets a long `inProgressMs`, then ends it here instead of waiting. Returns how many were finished.
 */
export function finishDeploymentsNow(org: LocalOrgContext): number {
  let finished = 0;
  for (const job of org.jobs.list('deploy')) {
    const complete = completions.get(job.data as DeployJob);
    if (complete) {
      complete();
      finished++;
    }
  }
  return finished;
}

type DeployStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';

export interface DeployMessage {
  changed: boolean;
  columnNumber?: number;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id?: string;
  lineNumber?: number;
  problem?: string;
  problemType?: string;
  success: boolean;
}

interface DeployOptions {
  checkOnly: boolean;
  rollbackOnError: boolean;
  ignoreWarnings: boolean;
  singlePackage: boolean;
  testLevel?: string;
  runTests: string[];
}

interface DeployJob {
  status: DeployStatus;
  done: boolean;
  options: DeployOptions;
  apiVersion: number;
  createdDate: string;
  lastModifiedDate: string;
  startDate?: string;
  completedDate?: string;
  stateDetail?: string;
  cancelRequested: boolean;
  successes: DeployMessage[];
  failures: DeployMessage[];
  numberComponentsTotal: number;
  numberComponentsDeployed: number;
  numberComponentErrors: number;
  errorMessage?: string;
  errorStatusCode?: string;
}

interface PreparedComponent {
  binding?: Binding;
  typeName: string;
  fullName: string;
  fileName: string;
  root?: XmlNode;
  /** Set when the file already failed before apply (parse error, unknown type, missing file). */
  failure?: { problem: string; line?: number; column?: number };
}

/** When a destructive manifest's members are deleted relative to the package.xml components. */
type DeletePhase = 'pre' | 'post';

/** A member of a destructive manifest. */
interface PreparedDeletion {
  phase: DeletePhase;
  /** The manifest's path in the zip (where a "No X named: Y found" warning points). */
  manifestFile: string;
  binding?: Binding;
  typeName: string;
  fullName: string;
  fileName: string;
}

interface Prepared {
  packageFile?: string;
  packageFailure?: string;
  components: PreparedComponent[];
  deletions: PreparedDeletion[];
}

/**
 * The destructive manifests beside package.xml. Plain destructiveChanges.xml is applied after the
 * additive part, like destructiveChangesPost.xml (what SDR writes for `sf project delete source`).
 */
const DESTRUCTIVE_MANIFESTS: ReadonlyArray<{ name: string; phase: DeletePhase }> = [
  { name: 'destructiveChangesPre.xml', phase: 'pre' },
  { name: 'destructiveChanges.xml', phase: 'post' },
  { name: 'destructiveChangesPost.xml', phase: 'post' },
];

function deployOptions(tree: SoapTree | undefined): DeployOptions {
  return {
    checkOnly: argBool(tree, 'checkOnly', false),
    rollbackOnError: argBool(tree, 'rollbackOnError', true),
    ignoreWarnings: argBool(tree, 'ignoreWarnings', false),
    singlePackage: argBool(tree, 'singlePackage', false),
    testLevel: argText(tree, 'testLevel'),
    runTests: argTexts(tree, 'runTests'),
  };
}

const TEST_LEVELS = ['NoTestRun', 'RunSpecifiedTests', 'RunLocalTests', 'RunAllTestsInOrg', 'RunRelevantTests'];

export function startDeploy(org: LocalOrgContext, apiVersion: string, args: SoapTree): XmlValue {
  const zipBase64 = argText(args, 'ZipFile');
  if (!zipBase64) throw new SoapFault('INVALID_OPERATION', 'ZipFile is required');
  const options = deployOptions(argTree(args, 'DeployOptions'));
  // The SOAP layer rejects an enum value it doesn't know, even '' (and jsforce writes an undefined
  // option as the text "undefined"): "'' is not a valid value for the enum 'TestLevel'".
  if (options.testLevel !== undefined && !TEST_LEVELS.includes(options.testLevel)) {
    throw new SoapFault('soapenv:Client', `'${options.testLevel}' is not a valid value for the enum 'TestLevel'`);
  }
  if (options.testLevel === 'RunSpecifiedTests' && options.runTests.length === 0) {
    throw new SoapFault('INVALID_OPERATION', 'You must specify at least one test class when testLevel is RunSpecifiedTests.');
  }
  const now = isoDate();
  const job = org.jobs.create<DeployJob>('deploy', '0Af', {
    status: 'Pending',
    done: false,
    options,
    apiVersion: Number(apiVersion),
    createdDate: now,
    lastModifiedDate: now,
    cancelRequested: false,
    successes: [],
    failures: [],
    numberComponentsTotal: 0,
    numberComponentsDeployed: 0,
    numberComponentErrors: 0,
  });
  const prepared = prepare(Buffer.from(zipBase64.replace(/\s+/g, ''), 'base64'), Number(apiVersion));
  // Swallow here; the rejection is handled where it is awaited.
  prepared.catch(() => undefined);
  const data = job.data;
  const later = (ms: number, fn: () => void) => setTimeout(fn, ms).unref();
  let timer = later(DEPLOY_TIMING.pendingMs, () => start());
  // Pending → InProgress, then done: each once, on its timer or at once after finishDeploymentsNow.
  let hurried = false;
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    clearTimeout(timer);
    if (data.cancelRequested) {
      completions.delete(data);
      return finishCanceled(data);
    }
    data.status = 'InProgress';
    data.startDate = isoDate();
    data.lastModifiedDate = data.startDate;
    data.stateDetail = 'Processing components';
    if (hurried) return end();
    timer = later(DEPLOY_TIMING.inProgressMs, () => end());
  };
  const end = () => {
    if (!completions.delete(data)) return;
    clearTimeout(timer);
    prepared.then(
      (p) => {
        if (data.cancelRequested) return finishCanceled(data);
        complete(org, data, p);
      },
      (error: Error) => {
        data.errorMessage = error.message;
        data.errorStatusCode = 'UNKNOWN_EXCEPTION';
        finish(data, 'Failed');
      },
    );
  };
  completions.set(data, () => {
    hurried = true;
    if (started) end();
    else start();
  });
  return { done: false, id: job.id, state: 'Queued' };
}

function finish(data: DeployJob, status: DeployStatus): void {
  data.status = status;
  data.done = true;
  data.stateDetail = undefined;
  data.completedDate = isoDate();
  data.lastModifiedDate = data.completedDate;
}

function finishCanceled(data: DeployJob): void {
  finish(data, 'Canceled');
}

// ---- unzip and parse (no store access) ------------------------------------------------------------

async function prepare(zipBytes: Buffer, apiVersion: number): Promise<Prepared> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(zipBytes);
  } catch (error) {
    return { packageFailure: `The zip file is not valid: ${(error as Error).message}`, components: [], deletions: [] };
  }
  const files = Object.values(zip.files).filter((f) => !f.dir);
  const manifestEntry = files.filter((f) => /(^|\/)package\.xml$/.test(f.name)).sort((a, b) => a.name.length - b.name.length)[0];
  if (!manifestEntry) return { packageFailure: 'No package.xml found', components: [], deletions: [] };
  const root = manifestEntry.name.slice(0, manifestEntry.name.length - 'package.xml'.length);
  let manifest: PackageManifest;
  try {
    manifest = parsePackageXml(await manifestEntry.async('string'));
  } catch (error) {
    return { packageFile: manifestEntry.name, packageFailure: `Error parsing file: ${(error as Error).message}`, components: [], deletions: [] };
  }
  const deletions: PreparedDeletion[] = [];
  const manifestNames = new Set([manifestEntry.name]);
  for (const { name, phase } of DESTRUCTIVE_MANIFESTS) {
    const entry = zip.file(`${root}${name}`);
    if (!entry) continue;
    manifestNames.add(entry.name);
    let destructive: PackageManifest;
    try {
      destructive = parsePackageXml(await entry.async('string'));
    } catch (error) {
      return { packageFile: entry.name, packageFailure: `Error parsing file: ${(error as Error).message}`, components: [], deletions: [] };
    }
    for (const type of destructive.types) {
      const binding = bindingForPackageType(type.name);
      for (const member of type.members) {
        const fileName = binding ? `${root}${binding.type.directoryName}/${member}.${binding.type.suffix}` : `${root}${type.name}`;
        deletions.push({ phase, manifestFile: entry.name, binding, typeName: binding?.type.name ?? type.name, fullName: member, fileName });
      }
    }
  }
  // The manifest's version says which shape the files have (SDR deploys "v66.0 metadata using SOAP v62.0").
  const manifestVersion = Number(manifest.version);
  // [F-03] A manifest newer than the org serves fails the whole deploy against package.xml.
  if (Number.isFinite(manifestVersion) && manifestVersion > MAX_API_VERSION) {
    return { packageFile: manifestEntry.name, packageFailure: `Invalid version specified:${manifest.version}`, components: [], deletions: [] };
  }
  if (Number.isFinite(manifestVersion) && manifestVersion > 0) apiVersion = manifestVersion;
  const contents = new Map<string, string>();
  for (const f of files) {
    if (manifestNames.has(f.name) || !f.name.startsWith(root)) continue;
    contents.set(f.name.slice(root.length), await f.async('string'));
  }
  const components: PreparedComponent[] = [];
  for (const entry of manifest.types) {
    const binding = bindingForPackageType(entry.name);
    const type = binding?.type;
    const members = entry.members.includes('*') && type ? membersInZip(type, contents) : entry.members;
    for (const member of members) {
      if (member === '*') continue;
      if (!binding || !type) {
        components.push({ typeName: entry.name, fullName: member, fileName: `${root}${entry.name}`, failure: { problem: 'Not available for deploy for this organization' } });
        continue;
      }
      const relative = `${type.directoryName}/${member}.${type.suffix}`;
      const fileName = `${root}${relative}`;
      // Content types (StaticResource): the XML is the -meta.xml beside the content file.
      const contentFile = 'contentFile' in binding && binding.contentFile === true;
      const source = contentFile ? (contents.has(relative) ? contents.get(`${relative}-meta.xml`) : undefined) : contents.get(relative);
      if (type.fixedFullName && member !== type.fixedFullName) {
        components.push({ binding, typeName: type.name, fullName: member, fileName, failure: { problem: 'Not available for deploy for this organization' } });
        continue;
      }
      if (source === undefined) {
        components.push({
          binding,
          typeName: type.name,
          fullName: member,
          fileName,
          failure: { problem: `An object '${member}' of type ${entry.name} was named in package.xml, but was not found in zipped directory` },
        });
        continue;
      }
      const parsed = parseXml(source);
      if (!parsed.root) {
        const e = parsed.error ?? { message: 'unknown error', line: 1, column: 1 };
        components.push({ binding, typeName: type.name, fullName: member, fileName, failure: { problem: `Error parsing file: ${e.message}`, line: e.line, column: e.column } });
        continue;
      }
      if (contentFile) parsed.root.children.unshift({ name: 'content', text: await zip.file(`${root}${relative}`)!.async('base64'), children: [], line: 0, column: 0 });
      const problems = checkDocument(type, parsed.root, apiVersion);
      if (problems.length) {
        components.push({ binding, typeName: type.name, fullName: member, fileName, root: parsed.root, failure: problems[0] });
        continue;
      }
      components.push({ binding, typeName: type.name, fullName: member, fileName, root: parsed.root });
    }
  }
  return { packageFile: manifestEntry.name, components, deletions };
}

function membersInZip(type: MetadataTypeDef, contents: Map<string, string>): string[] {
  const prefix = `${type.directoryName}/`;
  const suffix = `.${type.suffix}`;
  return [...contents.keys()]
    .filter((k) => k.startsWith(prefix) && k.endsWith(suffix) && !k.slice(prefix.length).includes('/'))
    .map((k) => k.slice(prefix.length, k.length - suffix.length));
}

// ---- apply ----------------------------------------------------------------------------------------

class Rollback extends Error {}

/** Change detection compares every element, whatever the deploy's version. */
const ALL_VERSIONS = Number.MAX_SAFE_INTEGER;

function complete(org: LocalOrgContext, data: DeployJob, prepared: Prepared): void {
  const now = isoDate();
  if (prepared.packageFailure) {
    data.failures.push(message({ fileName: prepared.packageFile ?? 'package.xml', fullName: prepared.packageFile ?? 'package.xml', componentType: '', createdDate: now, problem: prepared.packageFailure }));
    data.numberComponentErrors = 1;
    finish(data, 'Failed');
    return;
  }
  const order = (name: string) => {
    const i = METADATA_TYPES.findIndex((t) => t.name === name);
    return i < 0 ? METADATA_TYPES.length : i;
  };
  const components = [...prepared.components].sort((a, b) => order(a.typeName) - order(b.typeName));
  const deploying = new Map<string, Set<string>>();
  for (const c of components) {
    if (!c.failure) (deploying.get(c.typeName) ?? deploying.set(c.typeName, new Set()).get(c.typeName)!).add(c.fullName.toLowerCase());
  }
  const state = metadataState(org);
  const snapshot = { state: structuredClone(state), omniEnabled: org.omniEnabled };
  const ctx: ApplyContext = { org, state, apiVersion: data.apiVersion, deploying, claims: new Map(), deferred: [] };
  const successes: DeployMessage[] = [];
  const failures: DeployMessage[] = [];
  const { store } = org;
  // Deletions: dependents before what they depend on (reverse registry order), per phase.
  const deletions = [...prepared.deletions].sort((a, b) => order(b.typeName) - order(a.typeName));
  const remove = (d: PreparedDeletion) => {
    const type = d.binding?.type;
    const base = { fileName: d.fileName, fullName: d.fullName, componentType: type?.packageTypeName ?? d.typeName, createdDate: now };
    if (!d.binding || !type) {
      failures.push(message({ ...base, problem: 'Not available for deploy for this organization' }));
      return;
    }
    if (type.requiresOmni && !org.omniEnabled) {
      failures.push(message({ ...base, problem: 'Not available for deploy for this organization' }));
      return;
    }
    if (!d.binding.find(org, d.fullName)) {
      // A member the org doesn't have: the rest of the deletions are still attempted, and the deploy
      // reports it against the manifest as a warning (the message SDR recognises).
      successes.push(
        message({
          fileName: d.manifestFile,
          fullName: d.manifestFile,
          componentType: type.packageTypeName,
          createdDate: now,
          success: true,
          problem: `No ${type.packageTypeName} named: ${d.fullName} found`,
          problemType: 'Warning',
        }),
      );
      return;
    }
    try {
      const id = store.transaction(() => d.binding!.remove(ctx, d.fullName));
      successes.push(message({ ...base, success: true, deleted: true, id }));
    } catch (error) {
      if (error instanceof ComponentError) failures.push(message({ ...base, problem: error.message }));
      else if (error instanceof PlatformError) failures.push(message({ ...base, problem: platformProblem(error) }));
      else throw error;
    }
  };
  try {
    store.transaction(() => {
      for (const d of deletions) if (d.phase === 'pre') remove(d);
      for (const c of components) {
        // Messages name the package.xml type (Settings, not OmniChannelSettings), as SDR matches on it.
        const base = { fileName: c.fileName, fullName: c.fullName, componentType: c.binding?.type.packageTypeName ?? c.typeName, createdDate: now };
        if (c.failure) {
          failures.push(message({ ...base, problem: c.failure.problem, lineNumber: c.failure.line, columnNumber: c.failure.column }));
          continue;
        }
        const binding = c.binding!;
        if (binding.type.requiresOmni && !org.omniEnabled) {
          failures.push(message({ ...base, problem: 'Not available for deploy for this organization' }));
          continue;
        }
        const before = storedForm(org, binding, c.fullName);
        const existed = binding.find(org, c.fullName) !== undefined;
        // A failing component's records and what the org remembers of its file (undo steps of
        // components.ts setMemory) roll back with its own transaction; the others stay.
        try {
          const id = store.transaction(() => binding.apply(ctx, c.fullName, c.root!));
          const after = storedForm(org, binding, c.fullName);
          const ref = binding.find(org, c.fullName);
          successes.push(
            message({
              ...base,
              success: true,
              id,
              created: !existed,
              changed: existed && before !== after,
              createdDate: ref?.createdDate ? isoDate(ref.createdDate) : now,
            }),
          );
        } catch (error) {
          if (error instanceof ComponentError) failures.push(message({ ...base, problem: error.message, lineNumber: error.line, columnNumber: error.column }));
          else if (error instanceof PlatformError) failures.push(message({ ...base, problem: platformProblem(error) }));
          else throw error;
        }
      }
      for (const job of ctx.deferred) {
        try {
          store.transaction(() => job.run());
        } catch (error) {
          const problem =
            error instanceof ComponentError ? { problem: error.message, lineNumber: error.line, columnNumber: error.column } : error instanceof PlatformError ? { problem: platformProblem(error) } : undefined;
          if (!problem) throw error;
          // The component applied, then failed on what it resolves against later components: it fails.
          const at = successes.findIndex((s) => s.componentType === job.typeName && s.fullName.toLowerCase() === job.fullName.toLowerCase());
          const base = at >= 0 ? successes.splice(at, 1)[0] : undefined;
          const fileName = base?.fileName ?? job.fullName;
          failures.push(message({ fileName, fullName: job.fullName, componentType: job.typeName, createdDate: now, ...problem }));
        }
      }
      for (const d of deletions) if (d.phase === 'post') remove(d);
      if (data.options.checkOnly || (failures.length > 0 && data.options.rollbackOnError)) throw new Rollback();
    });
  } catch (error) {
    restoreState(org, state, snapshot);
    if (!(error instanceof Rollback)) {
      data.errorMessage = `UNKNOWN_EXCEPTION: ${(error as Error).message}`;
      data.errorStatusCode = 'UNKNOWN_EXCEPTION';
      finish(data, 'Failed');
      return;
    }
  }
  const packageEntry = prepared.packageFile ?? 'package.xml';
  data.successes = [message({ fileName: packageEntry, fullName: 'package.xml', componentType: '', createdDate: now, success: true, changed: true }), ...successes];
  data.failures = failures;
  data.numberComponentsTotal = components.length + deletions.length;
  data.numberComponentErrors = failures.length;
  data.numberComponentsDeployed = successes.length;
  const committed = !data.options.checkOnly && (failures.length === 0 || !data.options.rollbackOnError);
  if (committed && successes.length) {
    try {
      org.persist();
    } catch {
      // The server logs persistence failures; the deploy itself is done.
    }
  }
  finish(data, failures.length === 0 ? 'Succeeded' : !data.options.rollbackOnError && successes.length > 0 ? 'SucceededPartial' : 'Failed');
}

function restoreState(org: LocalOrgContext, state: ReturnType<typeof metadataState>, snapshot: { state: ReturnType<typeof metadataState>; omniEnabled: boolean }): void {
  // Every key (components, settings, static resource content): the state is put back as it was.
  const copy = structuredClone(snapshot.state) as unknown as Record<string, unknown>;
  const live = state as unknown as Record<string, unknown>;
  for (const key of Object.keys(live)) if (!(key in copy)) delete live[key];
  Object.assign(live, copy);
  org.omniEnabled = snapshot.omniEnabled;
}

/**
 * What the org stores of a component, for a deploy's `changed` [F-62]: every element with its value,
 * whatever shape the deployed file had, an optional boolean that is false the same as an absent one (the
 * XSD's optional booleans default to false: an absent element deploys as false). A file that only spells
 * out what the org already holds is no change.
 */
function storedForm(org: LocalOrgContext, binding: Binding, fullName: string): string | undefined {
  const root = binding.render(org, fullName, ALL_VERSIONS, true);
  if (!root) return undefined;
  const booleans = new Set(binding.type.elements.filter((e) => e.kind === 'boolean' && !e.required).map((e) => e.name));
  const kept = { ...root, children: root.children.filter((c) => !(booleans.has(localName(c.name)) && c.text?.trim() === 'false')) };
  return serializeComponent(binding.type.name, binding.type.elements, kept);
}

function platformProblem(error: PlatformError): string {
  return error.errorCode === 'DUPLICATE_VALUE' || error.message.startsWith(error.errorCode) ? error.message : `${error.errorCode}: ${error.message}`;
}

function message(m: Partial<DeployMessage> & Pick<DeployMessage, 'fileName' | 'fullName' | 'componentType' | 'createdDate'>): DeployMessage {
  const success = m.success ?? false;
  return {
    changed: m.changed ?? false,
    columnNumber: m.columnNumber,
    componentType: m.componentType,
    created: m.created ?? false,
    createdDate: m.createdDate,
    deleted: m.deleted ?? false,
    fileName: m.fileName,
    fullName: m.fullName,
    id: m.id,
    lineNumber: m.lineNumber,
    problem: m.problem,
    problemType: m.problemType ?? (success ? undefined : 'Error'),
    success,
  };
}

// ---- status and cancel ----------------------------------------------------------------------------

export function checkDeployStatus(org: LocalOrgContext, args: SoapTree): XmlValue {
  const id = argText(args, 'asyncProcessId') ?? '';
  const job = checkAsyncId(org, id, 'deploy', '0Af');
  const data = job.data as DeployJob;
  const includeDetails = argBool(args, 'includeDetails', false);
  const admin = org.store.get(org.userId);
  const canceled = data.status === 'Canceled' || data.status === 'Canceling';
  return {
    canceledBy: canceled ? org.userId : undefined,
    canceledByName: canceled ? String(admin?.Name ?? org.username) : undefined,
    checkOnly: data.options.checkOnly,
    completedDate: data.completedDate,
    createdBy: org.userId,
    createdByName: String(admin?.Name ?? org.username),
    createdDate: data.createdDate,
    details: includeDetails
      ? {
          componentFailures: data.failures as unknown as XmlValue[],
          componentSuccesses: data.successes as unknown as XmlValue[],
          runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: '0.0' },
        }
      : undefined,
    done: data.done,
    errorMessage: data.errorMessage,
    errorStatusCode: data.errorStatusCode,
    id: job.id,
    ignoreWarnings: data.options.ignoreWarnings,
    lastModifiedDate: data.lastModifiedDate,
    numberComponentErrors: data.numberComponentErrors,
    numberComponentsDeployed: data.numberComponentsDeployed,
    numberComponentsTotal: data.numberComponentsTotal,
    numberTestErrors: 0,
    numberTestsCompleted: 0,
    numberTestsTotal: 0,
    rollbackOnError: data.options.rollbackOnError,
    runTestsEnabled: data.options.testLevel !== undefined && data.options.testLevel !== 'NoTestRun',
    startDate: data.startDate,
    stateDetail: data.stateDetail,
    status: data.status,
    success: data.status === 'Succeeded' || data.status === 'SucceededPartial',
  };
}

export function cancelDeploy(org: LocalOrgContext, args: SoapTree): XmlValue {
  const id = argText(args, 'id') ?? '';
  const job = checkAsyncId(org, id, 'deploy', '0Af');
  const data = job.data as DeployJob;
  if (data.done) {
    throw new SoapFault('INVALID_ID_FIELD', data.status === 'Canceled' ? 'The deployment has already been canceled.' : 'The deployment has already completed.');
  }
  data.cancelRequested = true;
  data.status = 'Canceling';
  data.lastModifiedDate = isoDate();
  return { done: false, id: job.id };
}

