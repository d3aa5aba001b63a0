/** Human rendering of deploy results: a component table, failures at file:line, and what to do next. */
import type { Ui } from '../cli/ui.ts';
import type { DeployCommandResult } from './pipeline.ts';

export function renderDeploy(result: DeployCommandResult, ui: Ui): void {
  if (!result.done) {
    ui.log(`Deploy ${result.id} is ${result.status}. Follow it with: ${result.reportCommand}`);
    return;
  }
  const rows = result.components.map((c) => ({
    state: c.state,
    type: c.type,
    name: c.fullName,
    file: c.file ? `${c.file}${c.line ? `:${c.line}:${c.column ?? 1}` : ''}` : '',
  }));
  ui.table(rows, ['state', 'type', 'name', 'file']);
  const failures = result.components.filter((c) => c.state === 'Failed');
  if (failures.length) {
    ui.log('');
    ui.log('Failures:');
    for (const f of failures) ui.log(`  ${f.file ?? f.fullName}${f.line ? `:${f.line}:${f.column ?? 1}` : ''}: ${f.type} ${f.fullName}: ${f.problem ?? 'failed'}`);
  }
  if (result.errorMessage && !failures.length) ui.log(`Error: ${result.errorMessage}`);
  const s = result.summary;
  const verb = result.checkOnly ? 'Dry run (validated in the org, nothing changed)' : 'Deploy';
  ui.log('');
  ui.log(
    `${verb} ${result.id}: ${result.status} — ${s.created} created, ${s.changed} changed, ${s.unchanged} unchanged, ${s.failed} failed` +
      (result.org ? ` (${result.org.username})` : ''),
  );
  if (result.status === 'SucceededPartial') ui.log('Some components failed and the rest were deployed (--ignore-errors).');
}
