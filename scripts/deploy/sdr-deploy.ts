/**
 * The Metadata API deploy, through SDR: one ComponentSet, one deployment, adaptive polling, and the
 * result turned into per-component rows located at the local file (and line/column when the org
 * reports one). SDR and @salesforce/core are imported lazily (heavy) by the callers' `run`.
 */
import type { Connection } from '@salesforce/core';
import type { ComponentSet, FileResponse, MetadataApiDeploy, MetadataApiDeployStatus } from '@salesforce/source-deploy-retrieve';
import { relative, sep } from 'node:path';
import { messageText } from '../lib/messages.ts';

export const TEST_LEVELS = ['NoTestRun', 'RunSpecifiedTests', 'RunLocalTests', 'RunAllTestsInOrg'] as const;
export type TestLevel = (typeof TEST_LEVELS)[number];

export interface DeployOptions {
  checkOnly: boolean;
  testLevel?: TestLevel;
  runTests?: string[];
  ignoreErrors: boolean;
  ignoreWarnings: boolean;
}

export type ComponentState = 'Created' | 'Changed' | 'Unchanged' | 'Deleted' | 'Failed';

export interface ComponentRow {
  type: string;
  fullName: string;
  state: ComponentState;
  /** Project-relative path, forward slashes. */
  file?: string;
  line?: number;
  column?: number;
  problem?: string;
  problemType?: 'Warning' | 'Error';
}

export interface DeployOutcome {
  id: string;
  status: string;
  success: boolean;
  checkOnly: boolean;
  done: boolean;
  numberComponentsTotal: number;
  numberComponentsDeployed: number;
  numberComponentErrors: number;
  components: ComponentRow[];
  /** Deploy-level error (e.g. an org-wide failure without component detail). */
  errorMessage?: string;
  errorStatusCode?: string;
}

/**
 * The deployment's components from the source paths. `overrides` (absolute path → content) replaces what
 * SDR reads for those files — the source files themselves are never touched — so a deploy can send the
 * file with the org's assignments merged in (guard.ts) while results still map to the real files. The map
 * is read when SDR reads the files (building the deployment's zip), so it may be filled after this returns.
 */
export async function loadComponentSet(sourcePaths: string[], sourceApiVersion?: string, apiVersion?: string, overrides?: ReadonlyMap<string, string>): Promise<ComponentSet> {
  const { ComponentSet, NodeFSTreeContainer } = await import('@salesforce/source-deploy-retrieve');
  let tree: InstanceType<typeof NodeFSTreeContainer> | undefined;
  if (overrides) {
    const { Readable } = await import('node:stream');
    class Overlay extends NodeFSTreeContainer {
      override readFile(fsPath: string): Promise<Buffer> {
        const text = overrides!.get(fsPath);
        return text === undefined ? super.readFile(fsPath) : Promise.resolve(Buffer.from(text));
      }
      override readFileSync(fsPath: string): Buffer {
        const text = overrides!.get(fsPath);
        return text === undefined ? super.readFileSync(fsPath) : Buffer.from(text);
      }
      override stream(fsPath: string): InstanceType<typeof Readable> {
        const text = overrides!.get(fsPath);
        return text === undefined ? super.stream(fsPath) : Readable.from([Buffer.from(text)]);
      }
    }
    tree = new Overlay();
  }
  const cs = ComponentSet.fromSource({ fsPaths: sourcePaths, ...(tree ? { tree } : {}) });
  if (sourceApiVersion) cs.sourceApiVersion = sourceApiVersion;
  if (apiVersion) cs.apiVersion = apiVersion;
  return cs;
}

/**
 * The time every entry of an archive SDR builds gets: 1980-01-01 UTC, the first time a zip entry can hold
 * (DOS date). SDR zips a StaticResource whose content is a folder (`staticresources/Name/…`) with JSZip,
 * whose entries take the time they are added; so the same folder made other bytes at every deploy, and the
 * org stores (and reports changed) what `omni plan`, comparing the folder's files, calls unchanged.
 */
const ARCHIVE_ENTRY_TIME = new Date(Date.UTC(1980, 0, 1));

/** The compression level SDR's ZipWriter asks for the deployment archive (its static resource archives: 9). */
const DEPLOY_ARCHIVE_LEVEL = 3;

/** One JSZip compression: `lib/compressions.js` holds `STORE` and `DEFLATE` (`lib/flate.js`, pako). */
interface JSZipCompression {
  magic: string;
  compressWorker(options: { level?: number }): unknown;
  uncompressWorker(): unknown;
}

/**
 * A JSZip DEFLATE whose compressor for the deployment archive is Node's zlib (raw deflate, the zip format's
 * method 8, at the level asked). JSZip deflates each entry with a new pako state, ≈ 256 KB of typed arrays set
 * up and zeroed per entry: for 5,000 small components ≈ 0.7 s of CPU and most of the zip's garbage, where zlib's
 * native deflate of the same entries costs a fraction. Other levels (SDR's static resource archives, which the
 * org stores and compares byte for byte) and decompression stay pako's, so those archives keep their bytes.
 * `jszipRequire` resolves from SDR's JSZip (lib/stream/GenericWorker.js: the worker protocol — chunks in
 * processChunk, the deflated entry pushed on flush — and lib/utils.js's transformTo).
 */
function zlibDeflate(jszipRequire: NodeJS.Require, pako: JSZipCompression, deflateRaw: (data: Uint8Array, options: { level: number }) => Uint8Array): JSZipCompression {
  const GenericWorker = jszipRequire('jszip/lib/stream/GenericWorker.js') as new (name: string) => { push(chunk: { data: Uint8Array; meta: unknown }): void; flush(): void };
  const { transformTo } = jszipRequire('jszip/lib/utils.js') as { transformTo(type: 'uint8array', data: unknown): Uint8Array };
  class ZlibDeflateWorker extends GenericWorker {
    readonly level: number;
    chunks: Uint8Array[] = [];
    meta: unknown = {};
    constructor(level: number) {
      super('ZlibDeflateWorker');
      this.level = level;
    }
    processChunk(chunk: { data: unknown; meta: unknown }): void {
      this.meta = chunk.meta;
      this.chunks.push(transformTo('uint8array', chunk.data));
    }
    override flush(): void {
      super.flush();
      const data = deflateRaw(this.chunks.length === 1 ? (this.chunks[0] as Uint8Array) : Buffer.concat(this.chunks), { level: this.level });
      this.chunks = [];
      this.push({ data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), meta: this.meta });
    }
  }
  return {
    magic: pako.magic,
    compressWorker: (options) => (options?.level === DEPLOY_ARCHIVE_LEVEL ? new ZlibDeflateWorker(DEPLOY_ARCHIVE_LEVEL) : pako.compressWorker(options)),
    uncompressWorker: () => pako.uncompressWorker(),
  };
}

/**
 * Runs `fn` (a deploy that zips its source) with SDR's JSZip set for it, then restores it: the default entry time
 * fixed at ARCHIVE_ENTRY_TIME, so the same folder makes the same archive (JSZip reads `JSZip.defaults.date` for an
 * entry given no date, its lib/object.js `fileAdd`; SDR's static resource transformer gives none), and the
 * deployment archive deflated by Node's zlib (zlibDeflate). The JSZip instance is SDR's own (resolved from SDR's
 * folder).
 */
export async function withArchiveSettings<T>(fn: () => Promise<T>): Promise<T> {
  const { createRequire } = await import('node:module');
  const { deflateRawSync } = await import('node:zlib');
  const jszipRequire = createRequire(createRequire(import.meta.url).resolve('@salesforce/source-deploy-retrieve'));
  const jszip = jszipRequire('jszip') as { defaults: { date: Date | null } };
  const compressions = jszipRequire('jszip/lib/compressions.js') as { DEFLATE: JSZipCompression };
  const previous = { date: jszip.defaults.date, deflate: compressions.DEFLATE };
  jszip.defaults.date = ARCHIVE_ENTRY_TIME;
  compressions.DEFLATE = zlibDeflate(jszipRequire, previous.deflate, deflateRawSync);
  try {
    return await fn();
  } finally {
    jszip.defaults.date = previous.date;
    compressions.DEFLATE = previous.deflate;
  }
}

export async function startDeploy(connection: Connection, cs: ComponentSet, options: DeployOptions): Promise<MetadataApiDeploy> {
  // The zip is built and sent before deploy() resolves (it returns once the org has queued the job).
  return withArchiveSettings(() => cs.deploy({
    usernameOrConnection: connection,
    apiOptions: {
      checkOnly: options.checkOnly,
      // jsforce writes an undefined option as the text "undefined", which the SOAP API rejects as a TestLevel;
      // leave both out unless set (the org default applies), and runTests only goes with RunSpecifiedTests.
      ...(options.testLevel ? { testLevel: options.testLevel } : {}),
      ...(options.testLevel === 'RunSpecifiedTests' && options.runTests?.length ? { runTests: options.runTests } : {}),
      rollbackOnError: !options.ignoreErrors,
      ignoreWarnings: options.ignoreWarnings,
      singlePackage: true,
    },
  }));
}

/** Re-attaches to a running or finished deployment by id (for `deploy report`/`resume`). */
export async function attachDeploy(connection: Connection, id: string, cs?: ComponentSet): Promise<MetadataApiDeploy> {
  const { MetadataApiDeploy } = await import('@salesforce/source-deploy-retrieve');
  return new MetadataApiDeploy({ usernameOrConnection: connection, id, components: cs });
}

export class PollTimeout extends Error {
  readonly lastStatus: MetadataApiDeployStatus | undefined;
  constructor(lastStatus: MetadataApiDeployStatus | undefined) {
    super(messageText('deploy-output', 'deploy.waitElapsed'));
    this.lastStatus = lastStatus;
    this.name = 'PollTimeout';
  }
}

/** Polling stopped by `signal` (SIGINT/SIGTERM): the deployment goes on in the org; `lastStatus` as last seen. */
export class PollStopped extends Error {
  readonly lastStatus: MetadataApiDeployStatus | undefined;
  constructor(lastStatus: MetadataApiDeployStatus | undefined) {
    super('PollStopped');
    this.lastStatus = lastStatus;
    this.name = 'PollStopped';
  }
}

/** Waits `ms`, or less when `signal` aborts first (no timer is left behind). */
function waitUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

/**
 * The wait (ms) before the next checkDeployStatus of a deployment queued `elapsedMs` ago: a quarter of that
 * age, at least `minMs` (100) and at most `maxMs` (2,000). So a deployment is seen done within 100 ms of
 * finishing while it is young and within a quarter of its running time after that, and a long one costs a
 * poll every 2 s. SDR polls every 1 s from the start (so sf waits up to a second more on a small deployment).
 */
export function nextDeployPollMs(elapsedMs: number, minMs = 100, maxMs = 2000): number {
  const quarter = Number.isFinite(elapsedMs) ? Math.round(Math.max(0, elapsedMs) / 4) : maxMs;
  return Math.min(maxMs, Math.max(minMs, quarter));
}

/**
 * Polls checkDeployStatus until done, at least once. Each check is due {@link nextDeployPollMs} (for the
 * deployment's age) after the previous one went out, and at least half that after its answer came (no
 * check right on the heels of a slow answer from a busy org). A deployment just queued (`justQueued`: the
 * deploy call's answer, at `queuedAt`) cannot be done yet, so its first check is due 100 ms after
 * `queuedAt` rather than at once. `queuedAt` (ms since the epoch, default now) dates the deployment, so one
 * resumed long after it was queued is polled at its age's pace. Throws PollTimeout (with the last status)
 * once `timeoutMs` has passed, PollStopped once `signal` aborts (a check in flight is let finish).
 */
export async function pollDeploy(
  deploy: MetadataApiDeploy,
  options: { timeoutMs: number; justQueued?: boolean; queuedAt?: number; onUpdate?: (status: MetadataApiDeployStatus) => void; signal?: AbortSignal },
): Promise<MetadataApiDeployStatus> {
  const deadline = Date.now() + options.timeoutMs;
  const queuedAt = Number.isFinite(options.queuedAt) ? (options.queuedAt as number) : Date.now();
  let last: MetadataApiDeployStatus | undefined;
  let transientFailures = 0;
  let due = options.justQueued ? queuedAt + nextDeployPollMs(0) : Date.now();
  for (;;) {
    // A timer runs on the event loop's cached clock, so it can fire a few ms before Date.now() reaches `due` (more
    // on a busy machine): wait out the rest, so no check goes out early.
    for (let wait = Math.min(due, deadline) - Date.now(); wait > 0 && !options.signal?.aborted; wait = Math.min(due, deadline) - Date.now()) {
      await waitUnlessAborted(wait, options.signal);
    }
    if (options.signal?.aborted) throw new PollStopped(last);
    const sent = Date.now();
    const interval = nextDeployPollMs(sent - queuedAt);
    try {
      last = await deploy.checkStatus();
      transientFailures = 0;
    } catch (error) {
      // Network blips while a long deployment runs are retried; anything else is a real failure.
      if (!isTransient(error) || ++transientFailures > 10) throw error;
    }
    // On the deployment's clock, but never right on the heels of a slow answer (a busy org).
    due = Math.max(sent + interval, Date.now() + interval / 2);
    if (last?.done) return last;
    if (options.signal?.aborted) throw new PollStopped(last);
    if (last) options.onUpdate?.(last);
    if (Date.now() >= deadline) throw new PollTimeout(last);
  }
}

function ensureArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function isTransient(error: unknown): boolean {
  const text = `${(error as { errorCode?: string })?.errorCode ?? ''} ${(error as Error)?.message ?? ''}`;
  return /ECONNRESET|ETIMEDOUT|socket hang up|ERROR_HTTP_50[234]|ERROR_HTTP_420/i.test(text);
}

/** Turns the final status into rows located at local files (SDR maps fileName → local source path). */
export async function toOutcome(
  status: MetadataApiDeployStatus,
  cs: ComponentSet | undefined,
  projectRoot: string,
): Promise<DeployOutcome> {
  const { DeployResult } = await import('@salesforce/source-deploy-retrieve');
  const result = new DeployResult(status, cs);
  let responses: FileResponse[] = [];
  try {
    responses = cs ? result.getFileResponses() : [];
  } catch {
    // No local components (report on a foreign deploy): fall back to the raw messages below.
    responses = [];
  }
  const rows = new Map<string, ComponentRow>();
  const rel = (p?: string) => (p ? relative(projectRoot, p).split(sep).join('/') : undefined);
  for (const r of responses) {
    // SDR lists every file of a component; keep one row per component, preferring the -meta.xml.
    const key = `${r.type}:${r.fullName}:${r.state === 'Failed' ? `${r.lineNumber ?? ''}:${r.error}` : ''}`;
    const row: ComponentRow = { type: r.type, fullName: r.fullName, state: r.state as ComponentState, file: rel(r.filePath) };
    if (r.state === 'Failed') {
      row.line = r.lineNumber;
      row.column = r.columnNumber;
      row.problem = r.error;
      row.problemType = r.problemType;
    }
    if (!rows.has(key) || row.file?.endsWith('-meta.xml')) rows.set(key, row);
  }
  if (rows.size === 0) {
    for (const m of [...ensureArray(status.details?.componentSuccesses), ...ensureArray(status.details?.componentFailures)]) {
      if (m.fullName === 'package.xml' || !m.componentType) continue;
      const failed = String(m.success) !== 'true';
      rows.set(`${m.componentType}:${m.fullName}:${m.problem ?? ''}`, {
        type: m.componentType,
        fullName: m.fullName,
        state: failed ? 'Failed' : String(m.created) === 'true' ? 'Created' : String(m.changed) === 'true' ? 'Changed' : String(m.deleted) === 'true' ? 'Deleted' : 'Unchanged',
        file: m.fileName,
        line: m.lineNumber ? Number(m.lineNumber) : undefined,
        column: m.columnNumber ? Number(m.columnNumber) : undefined,
        problem: m.problem,
        problemType: m.problemType,
      });
    }
  }
  const components = [...rows.values()].sort(
    (a, b) => a.type.localeCompare(b.type) || a.fullName.localeCompare(b.fullName) || (a.line ?? 0) - (b.line ?? 0),
  );
  return {
    id: status.id,
    status: status.status,
    success: Boolean(status.success) && String(status.success) !== 'false',
    checkOnly: String(status.checkOnly) === 'true',
    done: String(status.done) === 'true',
    numberComponentsTotal: Number(status.numberComponentsTotal ?? 0),
    numberComponentsDeployed: Number(status.numberComponentsDeployed ?? 0),
    numberComponentErrors: Number(status.numberComponentErrors ?? 0),
    components,
    errorMessage: status.errorMessage,
    errorStatusCode: status.errorStatusCode,
  };
}
