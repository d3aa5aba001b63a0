/** Human rendering of `omni plan` (kept apart from plan.ts so the command's render stays light). */
import type { PlanAction, PlanCommandResult } from './plan.ts';
import { formatChange } from './semantic.ts';

export function renderPlan(result: PlanCommandResult, log: (s: string) => void): void {
  const sign: Record<PlanAction, string> = { create: '+', update: '~', unchanged: '=', 'only-in-org': '?' };
  for (const item of result.items) {
    if (item.action === 'unchanged') continue;
    log(`${sign[item.action]} ${item.action.padEnd(11)} ${item.type} ${item.fullName}${item.file ? `  (${item.file})` : ''}`);
    for (const c of item.changes) log(`      ${formatChange(item.fullName, c)}`);
  }
  const s = result.summary;
  log(result.hasChanges ? '' : 'No changes: the org matches the source.');
  log(`Plan: ${s.create} to create, ${s.update} to update, ${s.unchanged} unchanged, ${s['only-in-org']} only in the org.`);
}
