/** Flags and rendering shared by the `omni assign …` commands (the engines are scripts/assign/engines.ts). */
import type { AssignmentSource } from '../../assign/run.ts';
import type { Plan } from '../../assign/plan.ts';
import type { RunReport } from '../../assign/run.ts';
import type { FlagDefinition, FlagValues, OutputDetail } from '../../cli/command.ts';
import type { Ui } from '../../lib/io.ts';
import { ORG_FLAGS } from './org.ts';
import { countText, messageText, warningText } from '../../lib/messages.ts';

export const SOURCE_FLAGS: Record<string, FlagDefinition> = {
  file: { type: 'string', short: 'f', valueName: 'FILE', path: 'file' },
  config: { type: 'string', valueName: 'NAME' },
  user: { type: 'string', multiple: true, valueName: 'USERNAME' },
  email: { type: 'string', multiple: true, valueName: 'EMAIL' },
  profile: { type: 'string', multiple: true, valueName: 'NAME' },
  'permission-set': { type: 'string', multiple: true, valueName: 'NAME' },
  where: { type: 'string', valueName: 'CONDITION' },
  csv: { type: 'string', multiple: true, valueName: 'FILE', path: 'file' },
  prune: { type: 'boolean', default: false },
  ...ORG_FLAGS,
};

/** The typed assignment source of the flags (--file or the quick flags). */
export function sourceFromFlags(flags: FlagValues): AssignmentSource {
  return {
    file: flags.file as string | undefined,
    config: flags.config as string | undefined,
    users: flags.user as string[] | undefined,
    emails: flags.email as string[] | undefined,
    profiles: flags.profile as string[] | undefined,
    permissionSets: flags['permission-set'] as string[] | undefined,
    where: flags.where as string | undefined,
    csv: flags.csv as string[] | undefined,
  };
}

export const LOCK_FLAGS: Record<string, FlagDefinition> = {
  wait: { type: 'boolean', default: false },
};

/**
 * The plan for a person: each changed row (verbose: every row), or with detail 'concise' one line per
 * presence configuration with its counts (`to` for create/move/unchanged, `from` for remove).
 */
export function renderPlan(plan: Plan, ui: Ui, options: { detail?: OutputDetail } = {}): void {
  if (options.detail === 'concise') {
    renderPlanByConfiguration(plan, ui);
  } else {
    renderPlanRows(plan, ui, options.detail === 'verbose');
  }
  for (const i of plan.inactive.slice(0, 50)) ui.info(warningText('InactiveUserSkipped', [i.username, i.via, i.location]));
  if (plan.inactive.length > 50) ui.info(messageText('assign-output', 'plan.moreInactive', [plan.inactive.length - 50]));
  const s = plan.summary;
  const subjects = [countText('assign-output', 'count.user', s.users, [s.users]), countText('assign-output', 'count.profile', s.profiles, [s.profiles])];
  if (s.queueMembers) subjects.push(countText('assign-output', 'count.queueMembership', s.queueMembers, [s.queueMembers]));
  if (s.skills) subjects.push(countText('assign-output', 'count.agentSkill', s.skills, [s.skills]));
  ui.log(messageText('assign-output', 'plan.summary', [s.create, s.move, s.remove, s.unchanged, subjects.join(', ')]));
}

/** One row per (configuration, kind): how many users/profiles it gains, moves in, loses and keeps. */
function renderPlanByConfiguration(plan: Plan, ui: Ui): void {
  const rows = new Map<string, { configuration: string; kind: string; create: number; move: number; remove: number; unchanged: number }>();
  for (const i of plan.items) {
    const configuration = (i.action === 'remove' ? i.from : i.to) ?? 'none';
    const key = `${configuration}\0${i.kind}`;
    const row = rows.get(key) ?? { configuration, kind: i.kind, create: 0, move: 0, remove: 0, unchanged: 0 };
    row[i.action]++;
    rows.set(key, row);
  }
  ui.table(
    [...rows.values()].sort((a, b) => a.configuration.localeCompare(b.configuration) || a.kind.localeCompare(b.kind)),
    ['configuration', 'kind', 'create', 'move', 'remove', 'unchanged'],
  );
}

function renderPlanRows(plan: Plan, ui: Ui, verbose: boolean): void {
  const changed = plan.items.filter((i) => i.action !== 'unchanged');
  const shown = verbose ? plan.items : changed;
  const limit = 200;
  if (shown.length) {
    ui.table(
      shown.slice(0, limit).map((i) => ({ kind: i.kind, name: i.name, action: i.action, from: i.from ?? '—', to: i.to ?? '—', effective: i.kind === 'user' ? `${i.effective ?? 'none'}${i.effectiveSource ? ` (${i.effectiveSource})` : ''}` : '' })),
      ['kind', 'name', 'action', 'from', 'to', 'effective'],
    );
    if (shown.length > limit) ui.log(messageText('assign-output', 'plan.moreRows', [shown.length - limit]));
  }
}

export function renderRun(report: RunReport, ui: Ui): void {
  if (report.status === 'unchanged') {
    ui.log(report.undoOf ? messageText('assign-output', 'run.nothingToUndo', [report.undoOf]) : messageText('assign-output', 'run.nothingToChange'));
    return;
  }
  const s = report.summary;
  for (const f of report.failures.slice(0, 100)) ui.log(messageText('assign-output', 'run.failure', [f.kind, f.name, f.configuration ?? 'none', f.errorCode, f.message]));
  if (report.failures.length > 100) ui.log(messageText('assign-output', 'run.moreFailures', [report.failures.length - 100]));
  // An undo is a run of its own: say which run it restored.
  if (report.undoOf) ui.log(messageText('assign-output', 'run.undoOf', [report.undoOf]));
  ui.log(messageText('assign-output', 'run.summary', [report.runId, report.status, s.done, s.failed, s.pending, report.apiCalls]));
  if (report.status !== 'completed') {
    ui.log(messageText('assign-output', 'run.continue', [report.resume]));
    ui.log(messageText('assign-output', 'run.restore', [report.undo]));
  } else if (report.undo && !report.undoOf) {
    // the way back, as the user would type it (--json has the run id and this line in `undo`)
    ui.log(messageText('assign-output', 'run.undo', [report.undo]));
  }
  ui.log(messageText('assign-output', 'run.journal', [report.journal]));
}
