/** Human rendering of deploy results: a component table, failures at file:line, and what to do next. */
import type { OutputDetail } from '../../cli/command.ts';
import type { Ui } from '../../lib/io.ts';
import type { DeployCommandResult } from '../../deploy/pipeline.ts';
import type { ComponentRow } from '../../deploy/sdr-deploy.ts';
import { formatRecordChange, type RecordSettingsResult } from '../../deploy/record-settings.ts';

/**
 * `detail`: concise = no component table (failures and the summary line only), verbose = the unchanged
 * components in the table too, normal = created/changed/failed rows.
 */
export function renderDeploy(result: DeployCommandResult, ui: Ui, detail: OutputDetail = 'normal'): void {
  if (!result.done) {
    ui.log(`Deploy ${result.id} is ${result.status}. Follow it with: ${result.reportCommand}`);
    return;
  }
  // A failed deploy is rolled back (all or none): the org still lists the other components as
  // created/changed, but nothing was, so only the failures are shown.
  const rolledBack = result.status === 'Failed' && !result.checkOnly;
  // Unchanged components are counted in the summary line (and listed under --json), not in the table.
  const rows = result.components
    .filter((c) => (rolledBack ? c.state === 'Failed' : detail === 'verbose' || c.state !== 'Unchanged'))
    .map((c) => ({ state: c.state, type: c.type, name: c.fullName, file: c.file ?? '' }));
  if (detail !== 'concise') {
    ui.table(rows, ['state', 'type', 'name', 'file']);
    if (!rows.length && result.components.length) ui.log('Every component was already as in the source.');
  }
  const failures = result.components.filter((c) => c.state === 'Failed');
  if (failures.length) {
    ui.log('');
    ui.log('Failures:');
    for (const f of failures) ui.log(`  ${locationOf(f)}  ${f.problem ?? 'failed'}`);
  }
  if (result.errorMessage && !failures.length) ui.log(`Error: ${result.errorMessage}`);
  const s = result.summary;
  const verb = result.checkOnly ? 'Dry run (validated in the org, nothing changed)' : 'Deploy';
  ui.log('');
  const counts = rolledBack
    ? `nothing was changed (all or none): ${s.failed} failed, ${result.components.length - s.failed} not deployed`
    : `${s.created} created, ${s.changed} changed, ${s.unchanged} unchanged, ${s.failed} failed`;
  ui.log(`${verb} ${result.id}: ${result.status} — ${counts}` + (result.org ? ` (${result.org.username})` : ''));
  if (result.status === 'SucceededPartial') ui.log('Some components failed and the rest were deployed (--ignore-errors).');
  if (result.recordSettings) renderRecordSettings(result.recordSettings, ui.log.bind(ui));
}

/** The "record settings" stage: each record written with old → new, failures at the spec line. */
export function renderRecordSettings(r: RecordSettingsResult, log: (s: string) => void): void {
  log('');
  log('Record settings (set on the records after the deployment):');
  const failed = new Set(r.failures.map((f) => `${f.sobject}:${f.fullName}`));
  const dryRun = r.dryRun === true;
  for (const rec of r.records.filter((x) => x.action === 'update' || (dryRun && x.action === 'missing'))) {
    const state = failed.has(`${rec.sobject}:${rec.fullName}`) ? 'failed ' : dryRun ? 'would set' : 'updated';
    log(`  ${state}  ${rec.sobject} ${rec.fullName}`);
    for (const c of rec.changes) log(`      ${formatRecordChange(c)}`);
  }
  for (const f of r.failures) log(`  ${f.file}${f.line ? `:${f.line}` : ''}  ${f.sobject} ${f.fullName}: ${f.errorCode}: ${f.message}`);
  // The notes of what only Setup sets went out as warnings (stderr in text, `warnings` under --json); only
  // the dry run's own line is printed here.
  for (const n of r.notes) if (dryRun && n.startsWith('Dry run:')) log(`  Note: ${n}`);
  const s = r.summary;
  log(`  ${s.updated} updated, ${s.unchanged} unchanged, ${s.failed} failed${r.requests ? ` (${r.requests} PATCH request${r.requests > 1 ? 's' : ''})` : ''}${r.journal ? `; journal ${r.journal}` : ''}.`);
  if (r.failures.length) log('  Fix the values (spec file:line) and run "omni deploy" again: only records that still differ are written.');
}

/** `file:line:col` (or `file`, or `Type Name` for a component without a local file). */
function locationOf(c: ComponentRow): string {
  if (!c.file) return `${c.type} ${c.fullName}`;
  return c.line ? `${c.file}:${c.line}:${c.column ?? 1}` : c.file;
}
