/** Human rendering of deploy results: a component table, failures at file:line, and what to do next. */
import type { OutputDetail } from '../../cli/command.ts';
import { commandPrefix, type Ui } from '../../lib/io.ts';
import { countText, messageText } from '../../lib/messages.ts';
import type { DeployCommandResult } from '../../deploy/pipeline.ts';
import type { ComponentRow } from '../../deploy/sdr-deploy.ts';
import { formatRecordChange, type RecordSettingsResult } from '../../deploy/record-settings.ts';

/**
 * `detail`: concise = no component table (failures and the summary line only), verbose = the unchanged
 * components in the table too, normal = created/changed/failed rows.
 */
export function renderDeploy(result: DeployCommandResult, ui: Ui, detail: OutputDetail = 'normal'): void {
  if (!result.done) {
    ui.log(messageText('deploy-output', 'deploy.running', [result.id, result.status, result.reportCommand]));
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
    if (!rows.length && result.components.length) ui.log(messageText('deploy-output', 'deploy.allUnchanged'));
  }
  const failures = result.components.filter((c) => c.state === 'Failed');
  if (failures.length) {
    ui.log('');
    ui.log(messageText('deploy-output', 'deploy.failures'));
    for (const f of failures) ui.log(`  ${locationOf(f)}  ${f.problem ?? messageText('deploy-output', 'deploy.failed')}`);
  }
  if (result.errorMessage && !failures.length) ui.log(messageText('deploy-output', 'deploy.error', [result.errorMessage]));
  const s = result.summary;
  ui.log('');
  const line = rolledBack
    ? messageText('deploy-output', 'deploy.summary.rolledBack', [result.id, result.status, s.failed, result.components.length - s.failed])
    : result.checkOnly
      ? messageText('deploy-output', 'deploy.summary.dryRun', [result.id, result.status, s.created, s.changed, s.unchanged, s.failed])
      : messageText('deploy-output', 'deploy.summary', [result.id, result.status, s.created, s.changed, s.unchanged, s.failed]);
  ui.log(result.org ? messageText('deploy-output', 'deploy.summary.org', [line, result.org.username]) : line);
  if (result.status === 'SucceededPartial') ui.log(messageText('deploy-output', 'deploy.partial'));
  if (result.recordSettings) renderRecordSettings(result.recordSettings, ui.log.bind(ui));
}

/** The "record settings" stage: each record written with old → new, failures at the spec line. */
export function renderRecordSettings(r: RecordSettingsResult, log: (s: string) => void): void {
  log('');
  log(messageText('deploy-output', 'records.heading'));
  const failed = new Set(r.failures.map((f) => `${f.sobject}:${f.fullName}`));
  const dryRun = r.dryRun === true;
  for (const rec of r.records.filter((x) => x.action === 'update' || (dryRun && x.action === 'missing'))) {
    const state = (failed.has(`${rec.sobject}:${rec.fullName}`) ? messageText('deploy-output', 'records.state.failed') : dryRun ? messageText('deploy-output', 'records.state.wouldSet') : messageText('deploy-output', 'records.state.updated')).padEnd(7);
    log(`  ${state}  ${rec.sobject} ${rec.fullName}`);
    for (const c of rec.changes) log(`      ${formatRecordChange(c)}`);
  }
  for (const f of r.failures) log(`  ${f.file}${f.line ? `:${f.line}` : ''}  ${f.sobject} ${f.fullName}: ${f.errorCode}: ${f.message}`);
  // The notes of what only Setup sets went out as warnings (stderr in text, `warnings` under --json); only
  // the dry run's own line is printed here.
  // The preview's own line is its last note.
  if (dryRun && r.notes.length) log(`  ${messageText('deploy-output', 'note', [r.notes[r.notes.length - 1]])}`);
  const s = r.summary;
  const counts = r.requests
    ? countText('deploy-output', 'records.summary.requests', r.requests, [s.updated, s.unchanged, s.failed, r.requests])
    : messageText('deploy-output', 'records.summary', [s.updated, s.unchanged, s.failed]);
  log(`  ${r.journal ? messageText('deploy-output', 'records.summary.journal', [counts, r.journal]) : counts}.`);
  if (r.failures.length) log(`  ${messageText('deploy-output', 'records.fixFailures', [commandPrefix()])}`);
}

/** `file:line:col` (or `file`, or `Type Name` for a component without a local file). */
function locationOf(c: ComponentRow): string {
  if (!c.file) return `${c.type} ${c.fullName}`;
  return c.line ? `${c.file}:${c.line}:${c.column ?? 1}` : c.file;
}
