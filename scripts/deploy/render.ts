/** Human rendering of deploy results: a component table, failures at file:line, and what to do next. */
import type { Ui } from '../cli/ui.ts';
import type { DeployCommandResult } from './pipeline.ts';
import type { ComponentRow } from './sdr-deploy.ts';

export function renderDeploy(result: DeployCommandResult, ui: Ui): void {
  if (!result.done) {
    ui.log(`Deploy ${result.id} is ${result.status}. Follow it with: ${result.reportCommand}`);
    return;
  }
  // A failed deploy is rolled back (all or none): the org still lists the other components as
  // created/changed, but nothing was, so only the failures are shown.
  const rolledBack = result.status === 'Failed' && !result.checkOnly;
  // Unchanged components are counted in the summary line (and listed under --json), not in the table.
  const rows = result.components
    .filter((c) => (rolledBack ? c.state === 'Failed' : c.state !== 'Unchanged'))
    .map((c) => ({ state: c.state, type: c.type, name: c.fullName, file: c.file ?? '' }));
  ui.table(rows, ['state', 'type', 'name', 'file']);
  if (!rows.length && result.components.length) ui.log('Every component was already as in the source.');
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
}

/** `file:line:col` (or `file`, or `Type Name` for a component without a local file). */
function locationOf(c: ComponentRow): string {
  if (!c.file) return `${c.type} ${c.fullName}`;
  return c.line ? `${c.file}:${c.line}:${c.column ?? 1}` : c.file;
}
