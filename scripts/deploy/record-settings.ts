/**
 * The "record settings" stage: spec keys the Metadata API has no element for (reference spec §1.4 and §4 —
 * PresenceUserConfig.CustomSoundId/SoundLength/OptionsIsAllowAnyDestination…ForTransferEnabled,
 * ServiceChannel.DoesOverridePresenceAudio/CustomSoundId/SoundLength) are set on the org's records after
 * the Metadata API deployment, in the same `omni deploy` / `omni setup` run:
 *
 * 1. desired values come from the spec (config/omni-channel.yaml) with their YAML locations;
 * 2. the org's records are read by DeveloperName (one query per object) and StaticResource ids are
 *    resolved by name in one query;
 * 3. every record that differs is written in one sObject Collections PATCH (200 records a request,
 *    allOrNone=false so a failure is per record); nothing differs → no write at all;
 * 4. the run is journalled in `.omni/records/<run id>.json` (0600) before the write — prior and target
 *    values per record — and updated with each record's outcome. Re-running the deploy retries: only
 *    records that still differ are written.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from '@salesforce/core';
import { ExitCode } from '../lib/errors.ts';
import { countText, messageText } from '../lib/messages.ts';
import { OrgApi, errorInfo } from '../assign/api.ts';
import { newRunId } from '../assign/journal.ts';
import { soqlInList } from '../org/soql.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import { loadSpec } from '../yaml-spec/load.ts';
import { findProjectStaticResources } from '../yaml-spec/static-resources.ts';
import { TYPE_MAPPINGS, type RecordFieldMapping, type RecordValues } from '../yaml-spec/mapping.ts';
import { writePrivateJson } from './files.ts';
import { stateWriteError } from '../lib/state-file.ts';
import { readProject } from './project-docs.ts';

/** One spec key of one entry: the field values it wants on the record, and where it is written. */
export interface DesiredSetting {
  sobject: RecordFieldMapping['sobject'];
  /** The spec section the entry is in (`channels`, `presenceConfigurations`). */
  section: string;
  /** DeveloperName of the record. */
  fullName: string;
  key: string;
  /** Wanted values; reference fields (CustomSoundId) hold the StaticResource name or null. */
  fields: RecordValues;
  references: Readonly<Record<string, 'StaticResource'>>;
  file: string;
  line?: number;
  column?: number;
  /** One-line notes (what only Setup can set). */
  notes: string[];
  /** Where the StaticResource name is written (`…notificationSound.staticResource`). */
  referenceAt?: { line: number; column: number };
}

export interface DesiredRecordSettings {
  /** The spec file (project-relative), or null when the project has none. */
  specFile: string | null;
  settings: DesiredSetting[];
  /** Spec diagnostics (errors stop a deploy before any API call). */
  diagnostics: Diagnostic[];
  /** StaticResources in the project's package directories: lower-case name → the content file's path. */
  projectStaticResources: Map<string, string>;
}

/** A static resource the spec names, with the location of the name. */
export interface StaticResourceUse {
  name: string;
  file: string;
  line?: number;
  column?: number;
  /** `presenceConfigurations.miaw.notificationSound`. */
  where: string;
}

/** One field that differs: old (the org) → new (the spec). References show StaticResource names. */
export interface RecordFieldChange {
  field: string;
  old: string | number | boolean | null;
  new: string | number | boolean | null;
}

export type RecordAction = 'update' | 'unchanged' | 'missing';

/** One record as the plan sees it. */
export interface RecordChange {
  sobject: string;
  fullName: string;
  /** The record's Id, null when the org has no record of that DeveloperName. */
  id: string | null;
  action: RecordAction;
  changes: RecordFieldChange[];
  /** Spec keys that set it and where (file:line). */
  keys: Array<{ key: string; file: string; line?: number; column?: number }>;
  notes: string[];
}

export interface RecordFailure {
  sobject: string;
  fullName: string;
  id: string | null;
  errorCode: string;
  message: string;
  fields: string[];
  /** The spec key's location (file:line). */
  file: string;
  line?: number;
}

/** The stage's result, in `omni deploy --json` under `recordSettings` and in `omni setup`. */
export interface RecordSettingsResult {
  /** Records compared. */
  records: RecordChange[];
  summary: { updated: number; unchanged: number; failed: number };
  failures: RecordFailure[];
  /** Journal of the write (project-relative), null when nothing was written. */
  journal: string | null;
  /** Composite PATCH requests made (0 when nothing differed). */
  requests: number;
  notes: string[];
  /** deploy --dry-run: compared only, nothing written. */
  dryRun?: boolean;
}

// ── desired state ────────────────────────────────────────────────────────────────────────────────────

/**
 * The record settings of the project's spec (config/omni-channel.yaml unless `specFile`), with their
 * YAML locations, and the static resources the project holds. No spec → no settings. Never throws for
 * bad input: spec problems come back as diagnostics.
 */
export async function loadRecordSettings(projectRoot: string, options: { specFile?: string } = {}): Promise<DesiredRecordSettings> {
  const project = await readProject(projectRoot);
  const projectStaticResources = await findProjectStaticResources(project.packageDirs);
  const absolute = path.resolve(project.projectRoot, options.specFile ?? 'config/omni-channel.yaml');
  if (!existsSync(absolute)) return { specFile: null, settings: [], diagnostics: [], projectStaticResources };
  const loaded = await loadSpec(absolute, { projectRoot: project.projectRoot });
  const out: DesiredRecordSettings = { specFile: loaded.displayFile, settings: [], diagnostics: loaded.diagnostics, projectStaticResources };
  if (!loaded.spec || loaded.diagnostics.some((d) => d.severity === 'error')) return out;
  const sections = loaded.spec as Record<string, unknown>;
  for (const mapping of TYPE_MAPPINGS) {
    const section = sections[mapping.specKey] as Record<string, Record<string, unknown>> | undefined;
    if (!mapping.keyed || !section || !mapping.records?.length) continue;
    for (const [fullName, entry] of Object.entries(section)) {
      for (const row of mapping.records) {
        const value = entry?.[row.key];
        if (value === undefined) continue;
        const pos = loaded.locate([mapping.specKey, fullName, row.key], { key: true });
        const referenceAt = row.references ? loaded.locate([mapping.specKey, fullName, row.key, 'staticResource']) : undefined;
        out.settings.push({
          referenceAt,
          sobject: row.sobject,
          section: mapping.specKey,
          fullName,
          key: row.key,
          fields: row.toFields(value),
          references: row.references ?? {},
          file: loaded.displayFile,
          line: pos.line,
          column: pos.column,
          notes: row.notes?.(value, fullName) ?? [],
        });
      }
    }
  }
  return out;
}

/** Every StaticResource name the settings use, located at the `staticResource` value in the YAML. */
export function staticResourceUses(settings: readonly DesiredSetting[]): StaticResourceUse[] {
  const uses: StaticResourceUse[] = [];
  for (const s of settings) {
    for (const [field, target] of Object.entries(s.references)) {
      const name = s.fields[field];
      // Every reference field of a record setting names a StaticResource (DesiredSetting.references' type).
      if (!target || typeof name !== 'string') continue;
      const pos = s.referenceAt ?? { line: s.line, column: s.column };
      uses.push({ name, file: s.file, line: pos.line, column: pos.column, where: `${s.section}.${s.fullName}.${s.key}.staticResource` });
    }
  }
  return uses;
}

/**
 * Offline: StaticResource names that are not in the project. Deploy checks them against the org
 * (`unresolvedStaticResources`); validate reports them as info.
 */
export function staticResourcesOutsideProject(desired: DesiredRecordSettings): StaticResourceUse[] {
  return staticResourceUses(desired.settings).filter((u) => !desired.projectStaticResources.has(u.name.toLowerCase()));
}

// ── the org ──────────────────────────────────────────────────────────────────────────────────────────

/** StaticResource Id by lower-case Name, for the given names: one query. */
export async function resolveStaticResources(api: OrgApi, names: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(names.map((n) => n.toLowerCase()))];
  const out = new Map<string, string>();
  if (!unique.length) return out;
  const rows = await api.query<{ Id: string; Name: string; NamespacePrefix?: string | null }>(
    `SELECT Id, Name, NamespacePrefix FROM StaticResource WHERE Name IN ${soqlInList(unique)}`,
  );
  // The org's own (no namespace) wins over a managed package's resource of the same name.
  for (const row of rows.sort((a, b) => Number(Boolean(a.NamespacePrefix)) - Number(Boolean(b.NamespacePrefix)))) {
    if (!out.has(row.Name.toLowerCase())) out.set(row.Name.toLowerCase(), row.Id);
  }
  return out;
}

/** Static resources the spec names that are neither in the project nor in the org (deploy refuses them). */
export async function unresolvedStaticResources(connection: Connection, desired: DesiredRecordSettings): Promise<StaticResourceUse[]> {
  const outside = staticResourcesOutsideProject(desired);
  if (!outside.length) return [];
  const found = await resolveStaticResources(new OrgApi(connection), outside.map((u) => u.name));
  return outside.filter((u) => !found.has(u.name.toLowerCase()));
}

type OrgRecord = Record<string, unknown> & { Id: string; DeveloperName: string };

/** The org's records for the settings, by `sobject:developername` (one query per object). */
async function readRecords(api: OrgApi, settings: readonly DesiredSetting[]): Promise<Map<string, OrgRecord>> {
  const out = new Map<string, OrgRecord>();
  const bySObject = new Map<string, { names: Set<string>; fields: Set<string>; refs: Map<string, string> }>();
  for (const s of settings) {
    const group = bySObject.get(s.sobject) ?? { names: new Set(), fields: new Set(), refs: new Map() };
    bySObject.set(s.sobject, group);
    group.names.add(s.fullName);
    for (const f of Object.keys(s.fields)) group.fields.add(f);
    for (const f of Object.keys(s.references)) group.refs.set(f, relationshipOf(f));
  }
  for (const [sobject, group] of bySObject) {
    const select = ['Id', 'DeveloperName', ...group.fields, ...[...group.refs.values()].map((r) => `${r}.Name`)];
    const rows = await api.query<OrgRecord>(`SELECT ${[...new Set(select)].join(', ')} FROM ${sobject} WHERE DeveloperName IN ${soqlInList([...group.names])}`);
    for (const row of rows) out.set(`${sobject}:${row.DeveloperName.toLowerCase()}`, row);
  }
  return out;
}

/** `CustomSoundId` → `CustomSound` (the relationship name the Object Reference gives). */
function relationshipOf(field: string): string {
  return field.replace(/Id$/, '');
}

function orgValue(record: OrgRecord, field: string, isReference: boolean): string | number | boolean | null {
  if (isReference) {
    const parent = record[relationshipOf(field)] as { Name?: string } | null | undefined;
    if (parent?.Name) return parent.Name;
    return record[field] === null || record[field] === undefined ? null : String(record[field]);
  }
  const v = record[field];
  return v === undefined ? null : (v as string | number | boolean | null);
}

function same(a: unknown, b: unknown, isReference: boolean): boolean {
  if (isReference && typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/** The plan of the record settings: what differs between the spec and the org, field by field. */
export async function planRecordSettings(connection: Connection, desired: DesiredRecordSettings): Promise<RecordChange[]> {
  if (!desired.settings.length) return [];
  const api = new OrgApi(connection);
  const records = await readRecords(api, desired.settings);
  return compareRecords(desired.settings, records);
}

function compareRecords(settings: readonly DesiredSetting[], records: Map<string, OrgRecord>): RecordChange[] {
  const byRecord = new Map<string, RecordChange>();
  for (const s of settings) {
    const id = `${s.sobject}:${s.fullName.toLowerCase()}`;
    const record = records.get(id);
    let change = byRecord.get(id);
    if (!change) {
      change = { sobject: s.sobject, fullName: s.fullName, id: record?.Id ?? null, action: record ? 'unchanged' : 'missing', changes: [], keys: [], notes: [] };
      byRecord.set(id, change);
    }
    change.keys.push({ key: s.key, file: s.file, line: s.line, column: s.column });
    change.notes.push(...s.notes);
    for (const [field, wanted] of Object.entries(s.fields)) {
      const isRef = field in s.references;
      const old = record ? orgValue(record, field, isRef) : null;
      if (!record || !same(old, wanted, isRef)) change.changes.push({ field, old, new: wanted });
    }
    if (record && change.changes.length) change.action = 'update';
  }
  return [...byRecord.values()].sort((a, b) => a.sobject.localeCompare(b.sobject) || a.fullName.localeCompare(b.fullName));
}

// ── the write ────────────────────────────────────────────────────────────────────────────────────────

/** `.omni/records/<run id>.json`: prior and target values of every record the stage writes. */
export interface RecordJournal {
  version: 1;
  kind: 'omni-record-settings';
  runId: string;
  createdAt: string;
  updatedAt: string;
  status: 'running' | 'completed' | 'partial' | 'failed';
  org: { orgId: string; username: string; instanceUrl: string };
  deployId: string | null;
  records: Array<{
    sobject: string;
    fullName: string;
    id: string;
    /** Field → the org's value before (references by StaticResource name). */
    prior: RecordValues;
    target: RecordValues;
    status: 'pending' | 'done' | 'failed';
    errorCode?: string;
    message?: string;
  }>;
}

export interface ApplyRecordSettingsOptions {
  projectRoot: string;
  org: { orgId: string; username: string; instanceUrl: string; label: string };
  deployId?: string | null;
}

const COLLECTION_LIMIT = 200;

/**
 * Compares and writes: one Collections PATCH per 200 changed records, none when nothing differs.
 * StaticResource ids are resolved by name in one query. Failures are per record (never thrown);
 * an unreachable org or a failed request throws OmniError.
 */
export async function applyRecordSettings(connection: Connection, desired: DesiredRecordSettings, options: ApplyRecordSettingsOptions): Promise<RecordSettingsResult> {
  const notes = [...new Set(desired.settings.flatMap((s) => s.notes))];
  const empty: RecordSettingsResult = { records: [], summary: { updated: 0, unchanged: 0, failed: 0 }, failures: [], journal: null, requests: 0, notes };
  if (!desired.settings.length) return empty;
  const api = new OrgApi(connection);
  const records = compareRecords(desired.settings, await readRecords(api, desired.settings));
  const result: RecordSettingsResult = { ...empty, records };
  const locate = (r: RecordChange) => r.keys[0];
  for (const r of records) {
    if (r.action === 'missing') {
      const at = locate(r);
      result.failures.push({
        sobject: r.sobject,
        fullName: r.fullName,
        id: null,
        errorCode: 'NOT_FOUND',
        message: messageText('deploy-output', 'records.notInOrg', [r.sobject, r.fullName]),
        fields: r.changes.map((c) => c.field),
        file: at.file,
        line: at.line,
      });
    }
  }
  const pending = records.filter((r) => r.action === 'update');
  result.summary.unchanged = records.filter((r) => r.action === 'unchanged').length;
  if (!pending.length) {
    result.summary.failed = result.failures.length;
    return result;
  }

  const names = pending.flatMap((r) => r.changes.filter((c) => isReferenceField(desired, r, c.field) && typeof c.new === 'string').map((c) => c.new as string));
  const ids = await resolveStaticResources(api, names);
  const journal: RecordJournal = {
    version: 1,
    kind: 'omni-record-settings',
    runId: newRunId(options.org.label),
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    status: 'running',
    org: { orgId: options.org.orgId, username: options.org.username, instanceUrl: options.org.instanceUrl },
    deployId: options.deployId ?? null,
    records: pending.map((r) => ({
      sobject: r.sobject,
      fullName: r.fullName,
      id: r.id!,
      prior: Object.fromEntries(r.changes.map((c) => [c.field, c.old])),
      target: Object.fromEntries(r.changes.map((c) => [c.field, c.new])),
      status: 'pending' as const,
    })),
  };
  const journalFile = path.join(options.projectRoot, '.omni', 'records', `${journal.runId}.json`);
  const shown = path.relative(options.projectRoot, journalFile).split(path.sep).join('/');
  // The journal (each record's prior values) is on disk before a record is written, or none is.
  try {
    await writePrivateJson(journalFile, journal);
  } catch (error) {
    throw stateWriteError(shown, error, { variant: 'recordSettings' });
  }
  result.journal = shown;

  // Records whose StaticResource is missing in the org fail alone; the others are written.
  const writable: Array<{ change: RecordChange; body: Record<string, unknown> }> = [];
  for (const [i, r] of pending.entries()) {
    const body: Record<string, unknown> = { attributes: { type: r.sobject }, id: r.id };
    let missing: string | undefined;
    for (const c of r.changes) {
      if (isReferenceField(desired, r, c.field) && typeof c.new === 'string') {
        const id = ids.get(c.new.toLowerCase());
        if (!id) missing = c.new;
        body[c.field] = id ?? null;
      } else body[c.field] = c.new;
    }
    if (missing) {
      const at = locate(r);
      const failure = { sobject: r.sobject, fullName: r.fullName, id: r.id, errorCode: 'INVALID_CROSS_REFERENCE_KEY', message: messageText('deploy-output', 'records.staticResourceNotInOrg', [missing]), fields: ['CustomSoundId'], file: at.file, line: at.line };
      result.failures.push(failure);
      Object.assign(journal.records[i], { status: 'failed', errorCode: failure.errorCode, message: failure.message });
      continue;
    }
    writable.push({ change: r, body });
  }
  for (let start = 0; start < writable.length; start += COLLECTION_LIMIT) {
    const chunk = writable.slice(start, start + COLLECTION_LIMIT);
    let saved: Array<{ id?: string | null; success: boolean; errors: Array<{ statusCode: string; message: string; fields?: string[] }> }>;
    try {
      result.requests++;
      saved = await api.call('PATCH', `${api.base}/composite/sobjects`, { allOrNone: false, records: chunk.map((c) => c.body) });
    } catch (error) {
      const info = errorInfo(error);
      saved = chunk.map(() => ({ success: false, errors: [{ statusCode: info.code, message: info.message }] }));
    }
    for (const [k, { change }] of chunk.entries()) {
      const entry = journal.records.find((j) => j.id === change.id)!;
      const r = saved[k];
      if (r?.success) {
        entry.status = 'done';
        result.summary.updated++;
        continue;
      }
      const e = r?.errors?.[0] ?? { statusCode: 'UNKNOWN_EXCEPTION', message: messageText('deploy-output', 'records.noResult') };
      const at = locate(change);
      Object.assign(entry, { status: 'failed', errorCode: e.statusCode, message: e.message });
      result.failures.push({ sobject: change.sobject, fullName: change.fullName, id: change.id, errorCode: e.statusCode, message: e.message, fields: e.fields ?? [], file: at.file, line: at.line });
    }
  }
  result.summary.failed = result.failures.length;
  journal.status = result.failures.length ? (result.summary.updated ? 'partial' : 'failed') : 'completed';
  journal.updatedAt = new Date().toISOString();
  try {
    await writePrivateJson(journalFile, journal);
  } catch (error) {
    throw stateWriteError(shown, error, { variant: 'recordSettingsSent', tokens: [result.summary.updated, result.summary.failed] });
  }
  return result;
}

function isReferenceField(desired: DesiredRecordSettings, r: RecordChange, field: string): boolean {
  return desired.settings.some((s) => s.sobject === r.sobject && s.fullName === r.fullName && field in s.references);
}

/**
 * What applyRecordSettings would do, without writing (deploy --dry-run): the records compared, no
 * request, no journal. Records the deployment would create are `missing` (set after a real deploy).
 */
export async function previewRecordSettings(connection: Connection, desired: DesiredRecordSettings): Promise<RecordSettingsResult> {
  const records = await planRecordSettings(connection, desired);
  const pending = records.filter((r) => r.action !== 'unchanged').length;
  return {
    records,
    summary: { updated: 0, unchanged: records.filter((r) => r.action === 'unchanged').length, failed: 0 },
    failures: [],
    journal: null,
    requests: 0,
    dryRun: true,
    // The preview's own line last (the deploy render prints it; the others go out as warnings).
    notes: [...new Set(desired.settings.flatMap((s) => s.notes)), countText('deploy-output', 'records.dryRun', pending, [pending])],
  };
}

/** Exit code of the stage: 68 when a record failed (the metadata deployed, some settings did not). */
export function recordSettingsExitCode(result: RecordSettingsResult | null): number {
  return result?.failures.length ? ExitCode.Partial : ExitCode.Ok;
}

/** `old → new` of one field, as plan and deploy print it. */
export function formatRecordChange(c: RecordFieldChange): string {
  const show = (v: unknown) => (v === null ? '(none)' : typeof v === 'string' ? `"${v}"` : String(v));
  return `${c.field}: ${show(c.old)} → ${show(c.new)}`;
}

// ── import ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * Reads the record settings of every entry of `spec` from the org into it (`omni import --target-org`):
 * one query per object (reference fields by their StaticResource's Name), then each key's fromFields.
 * Entries whose record the org lacks are left as they are. Returns how many keys were written.
 */
export async function readRecordSettingsIntoSpec(connection: Connection, spec: Record<string, unknown>): Promise<{ keys: number; missing: string[] }> {
  const api = new OrgApi(connection);
  let keys = 0;
  const missing: string[] = [];
  for (const mapping of TYPE_MAPPINGS) {
    const section = spec[mapping.specKey] as Record<string, Record<string, unknown>> | undefined;
    if (!mapping.keyed || !section || !mapping.records?.length || !Object.keys(section).length) continue;
    const sobject = mapping.records[0].sobject;
    const fields = [...new Set(mapping.records.flatMap((r) => r.fields))];
    const refs = [...new Set(mapping.records.flatMap((r) => Object.keys(r.references ?? {})))];
    const select = [...new Set(['Id', 'DeveloperName', ...fields, ...refs.map((f) => `${relationshipOf(f)}.Name`)])];
    const rows = await api.query<OrgRecord>(`SELECT ${select.join(', ')} FROM ${sobject} WHERE DeveloperName IN ${soqlInList(Object.keys(section))}`);
    const byName = new Map(rows.map((r) => [r.DeveloperName.toLowerCase(), r]));
    for (const [fullName, entry] of Object.entries(section)) {
      const record = byName.get(fullName.toLowerCase());
      if (!record) {
        missing.push(`${sobject} ${fullName}`);
        continue;
      }
      const values: RecordValues = Object.fromEntries(fields.map((f) => [f, orgValue(record, f, refs.includes(f))]));
      for (const row of mapping.records) {
        const value = row.fromFields(values);
        if (value === undefined) delete entry[row.key];
        else {
          entry[row.key] = value;
          keys++;
        }
      }
    }
  }
  return { keys, missing };
}

/**
 * Copies the record settings of `previous` (the spec being replaced) into `next` for the entries both
 * have: `omni import` from XML alone cannot see them (no metadata element), so they are kept.
 */
export function keepRecordSettings(previous: Record<string, unknown>, next: Record<string, unknown>): number {
  let kept = 0;
  for (const mapping of TYPE_MAPPINGS) {
    const before = previous[mapping.specKey] as Record<string, Record<string, unknown>> | undefined;
    const after = next[mapping.specKey] as Record<string, Record<string, unknown>> | undefined;
    if (!mapping.keyed || !before || !after || !mapping.records?.length) continue;
    for (const [fullName, entry] of Object.entries(after)) {
      const old = before[fullName];
      if (!old) continue;
      for (const row of mapping.records) {
        if (old[row.key] !== undefined && entry[row.key] === undefined) {
          entry[row.key] = old[row.key];
          kept++;
        }
      }
    }
  }
  return kept;
}
