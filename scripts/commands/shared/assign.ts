/** Flags and rendering shared by the `omni assign …` commands (the engines are scripts/assign/engines.ts). */
import type { AssignmentSource } from '../../assign/run.ts';
import type { Plan } from '../../assign/plan.ts';
import type { RunReport } from '../../assign/run.ts';
import type { FlagDefinition, FlagValues, OutputDetail } from '../../cli/command.ts';
import type { Ui } from '../../lib/io.ts';
import { ORG_FLAGS } from './org.ts';

export const SOURCE_FLAGS: Record<string, FlagDefinition> = {
  file: { type: 'string', short: 'f', valueName: 'FILE' },
  config: { type: 'string', valueName: 'NAME' },
  user: { type: 'string', multiple: true, valueName: 'USERNAME' },
  email: { type: 'string', multiple: true, valueName: 'EMAIL' },
  profile: { type: 'string', multiple: true, valueName: 'NAME' },
  'permission-set': { type: 'string', multiple: true, valueName: 'NAME' },
  where: { type: 'string', valueName: 'CONDITION' },
  csv: { type: 'string', multiple: true, valueName: 'FILE' },
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
  for (const i of plan.inactive.slice(0, 50)) ui.info(`Skipped inactive user ${i.username} (${i.via}, ${i.location}).`);
  if (plan.inactive.length > 50) ui.info(`… ${plan.inactive.length - 50} more inactive users skipped.`);
  const s = plan.summary;
  ui.log(`Plan: ${s.create} to create, ${s.move} to move, ${s.remove} to remove, ${s.unchanged} unchanged (${count(s.users, 'user')}, ${count(s.profiles, 'profile')}${s.queueMembers ? `, ${count(s.queueMembers, 'queue membership')}` : ''}${s.skills ? `, ${count(s.skills, 'agent skill')}` : ''}).`);
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
    if (shown.length > limit) ui.log(`… and ${shown.length - limit} more (use --concise for one line per configuration, --json for all).`);
  }
}

export function renderRun(report: RunReport, ui: Ui): void {
  if (report.status === 'unchanged') {
    ui.log(report.undoOf ? `Nothing to undo: what run ${report.undoOf} changed already holds its prior configuration.` : 'Nothing to change: the org already matches.');
    return;
  }
  const s = report.summary;
  for (const f of report.failures.slice(0, 100)) ui.log(`FAILED ${f.kind} ${f.name} → ${f.configuration ?? 'none'}: ${f.errorCode}: ${f.message}`);
  if (report.failures.length > 100) ui.log(`… ${report.failures.length - 100} more failures (see --json or the journal).`);
  // An undo is a run of its own: say which run it restored.
  if (report.undoOf) ui.log(`Undo of run ${report.undoOf}:`);
  ui.log(`Run ${report.runId} ${report.status}: ${s.done} done, ${s.failed} failed, ${s.pending} pending (${report.apiCalls} API calls).`);
  if (report.status !== 'completed') {
    ui.log(`Continue: ${report.resume}`);
    ui.log(`Restore the prior state: ${report.undo}`);
  }
  ui.log(`Journal: ${report.journal}`);
}

/** "1 user", "2 users". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
