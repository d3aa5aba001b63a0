/** Human rendering of `omni plan` (kept apart from plan.ts so the command's render stays light). */
import type { PlanAction, PlanCommandResult } from '../../deploy/plan.ts';
import { formatChange } from '../../deploy/semantic.ts';
import { formatRecordChange } from '../../deploy/record-settings.ts';
import { ORG_HELD_MEMBER_LISTS } from '../../metadata/org-held.ts';
import { countText, messageText } from '../../lib/messages.ts';

export function renderPlan(result: PlanCommandResult, log: (s: string) => void): void {
  const sign: Record<PlanAction, string> = { create: '+', update: '~', unchanged: '=', 'only-in-org': '?' };
  const pending = result.items.filter((i) => i.action === 'create' || i.action === 'update');
  const orgOnly = result.items.filter((i) => i.action === 'only-in-org');
  // What a deploy would do first (creates, then updates, each by type and name), then what it leaves alone.
  pending.sort((a, b) => (a.action === b.action ? 0 : a.action === 'create' ? -1 : 1));
  for (const item of pending) {
    log(`${sign[item.action]} ${item.action.padEnd(6)}  ${item.type} ${item.fullName}${item.file ? `  ${item.file}` : ''}`);
    for (const c of item.changes) log(`      ${formatChange(item.fullName, c)}`);
    for (const a of item.assignments ?? []) log(`      ${assignmentLine(item.type, a)}`);
  }
  // Members the org holds on components the deploy sends unchanged: a deploy keeps (or, with
  // --replace-assignments, removes) them too, so they are named even when nothing else changes.
  const heldOnUnchanged = result.items.filter((i) => i.action === 'unchanged' && i.assignments?.length);
  if (heldOnUnchanged.length) {
    if (pending.length) log('');
    for (const item of heldOnUnchanged) for (const a of item.assignments!) log(`= ${item.type} ${item.fullName}  ${assignmentLine(item.type, a)}`);
  }
  const records = result.recordSettings ?? [];
  const recordsPending = records.filter((r) => r.action !== 'unchanged');
  if (recordsPending.length) {
    if (pending.length) log('');
    log(messageText('deploy-output', 'records.heading'));
    for (const r of recordsPending) {
      const at = r.keys[0];
      log(`~ ${r.action === 'missing' ? messageText('deploy-output', 'plan.setAfterCreate') : messageText('deploy-output', 'plan.update')}  ${r.sobject} ${r.fullName}${at ? `  ${at.file}${at.line ? `:${at.line}` : ''}` : ''}`);
      for (const c of r.changes) log(`      ${formatRecordChange(c)}`);
    }
  }
  for (const n of result.notes ?? []) log(messageText('deploy-output', 'note', [n]));
  if (!pending.length && !records.some((r) => r.action === 'update')) log(messageText('deploy-output', 'plan.noChanges'));
  if (orgOnly.length) {
    log('');
    log(messageText('deploy-output', 'plan.onlyInOrg'));
    for (const item of orgOnly) log(`${sign[item.action]} ${item.type} ${item.fullName}`);
  }
  const s = result.summary;
  log('');
  // The counts count the records listed above: `missing` ones (set after their create) included.
  const count = (action: string) => records.filter((r) => r.action === action).length;
  // The bundle's texts are trimmed: the space before the next count is added here.
  const afterCreate = count('missing') ? `${messageText('deploy-output', 'plan.summary.afterCreate', [count('missing')])} ` : '';
  log(
    records.length
      ? messageText('deploy-output', 'plan.summary.records', [s.create, s.update, s.unchanged, s['only-in-org'], afterCreate, count('update'), count('unchanged')])
      : messageText('deploy-output', 'plan.summary', [s.create, s.update, s.unchanged, s['only-in-org']]),
  );
}

/** At most this many member names on one plan line; the rest are counted. */
const NAMED_MEMBERS = 10;

/** "assignments kept: N user assignments the org holds: a, b (…)" — the members named, as the deploy reports them. */
function assignmentLine(type: string, a: NonNullable<PlanCommandResult['items'][number]['assignments']>[number]): string {
  const members = memberCount(ORG_HELD_MEMBER_LISTS.find((l) => l.type === type && l.path === a.element)?.path, a.count);
  const shown = a.members.slice(0, NAMED_MEMBERS).join(', ');
  const names = a.members.length > NAMED_MEMBERS ? messageText('deploy-output', 'plan.members.more', [shown, a.members.length - NAMED_MEMBERS]) : shown;
  return a.action === 'kept' ? messageText('deploy-output', 'plan.assignments.kept', [members, names]) : messageText('deploy-output', 'plan.assignments.removed', [members, names]);
}

/**
 * "1 user assignment" / "2 user assignments": the count with the noun of the org-held member list (registry
 * `userMembers`, told apart by its element path), in the bundle's one/other forms.
 */
function memberCount(path: string | undefined, count: number): string {
  if (path === 'assignments.users.user') return countText('deploy-output', 'plan.members.userAssignment', count, [count]);
  if (path === 'queueMembers.users.user') return countText('deploy-output', 'plan.members.queueUserMember', count, [count]);
  return countText('deploy-output', 'plan.members.member', count, [count]);
}
