/** Human rendering of `omni plan` (kept apart from plan.ts so the command's render stays light). */
import type { PlanAction, PlanCommandResult } from './plan.ts';
import { formatChange } from './semantic.ts';
import { formatRecordChange } from './record-settings.ts';
import { ORG_HELD_MEMBER_LISTS } from '../metadata/org-held.ts';

export function renderPlan(result: PlanCommandResult, log: (s: string) => void): void {
  const sign: Record<PlanAction, string> = { create: '+', update: '~', unchanged: '=', 'only-in-org': '?' };
  const pending = result.items.filter((i) => i.action === 'create' || i.action === 'update');
  const orgOnly = result.items.filter((i) => i.action === 'only-in-org');
  // What a deploy would do first (creates, then updates, each by type and name), then what it leaves alone.
  pending.sort((a, b) => (a.action === b.action ? 0 : a.action === 'create' ? -1 : 1));
  for (const item of pending) {
    log(`${sign[item.action]} ${item.action.padEnd(6)}  ${item.type} ${item.fullName}${item.file ? `  ${item.file}` : ''}`);
    for (const c of item.changes) log(`      ${formatChange(item.fullName, c)}`);
    for (const a of item.assignments ?? []) {
      const noun = ORG_HELD_MEMBER_LISTS.find((l) => l.type === item.type && l.path === a.element)?.noun ?? 'member';
      log(a.action === 'kept' ? `      assignments kept: ${a.count} ${noun}(s) the org holds (not in the file; --replace-assignments removes them)` : `      assignments removed: ${a.count} ${noun}(s) the org holds (--replace-assignments)`);
    }
  }
  const records = result.recordSettings ?? [];
  const recordsPending = records.filter((r) => r.action !== 'unchanged');
  if (recordsPending.length) {
    if (pending.length) log('');
    log('Record settings (set on the records after the deployment):');
    for (const r of recordsPending) {
      const at = r.keys[0];
      log(`~ ${r.action === 'missing' ? 'set after create' : 'update'}  ${r.sobject} ${r.fullName}${at ? `  ${at.file}${at.line ? `:${at.line}` : ''}` : ''}`);
      for (const c of r.changes) log(`      ${formatRecordChange(c)}`);
    }
  }
  for (const n of result.notes ?? []) log(`Note: ${n}`);
  if (!pending.length && !records.some((r) => r.action === 'update')) log('No changes: the org matches the source.');
  if (orgOnly.length) {
    log('');
    log('Only in the org (a deploy leaves them as they are):');
    for (const item of orgOnly) log(`${sign[item.action]} ${item.type} ${item.fullName}`);
  }
  const s = result.summary;
  log('');
  const recordUpdates = records.filter((r) => r.action === 'update').length;
  log(
    `Plan: ${s.create} to create, ${s.update} to update, ${s.unchanged} unchanged, ${s['only-in-org']} only in the org` +
      (records.length ? `; record settings: ${recordUpdates} to update, ${records.filter((r) => r.action === 'unchanged').length} unchanged.` : '.'),
  );
}
