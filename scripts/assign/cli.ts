/** Flags, connection, signal handling and rendering shared by the `omni assign …` commands. */
import type { CommandContext, FlagDefinition } from '../cli/command.ts';
import type { Ui } from '../cli/ui.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { Plan } from './plan.ts';
import type { RunReport, SourceFlags } from './run.ts';

export const SOURCE_FLAGS: Record<string, FlagDefinition> = {
  file: { type: 'string', short: 'f', valueName: 'FILE', summary: 'Assignment file, e.g. config/assignments/uat.yaml.' },
  config: { type: 'string', valueName: 'NAME', summary: 'Quick form: the presence configuration (developer name) for --user/--email/--profile/--permission-set/--where.' },
  user: { type: 'string', multiple: true, valueName: 'USERNAME', summary: 'Quick form: a user to assign.' },
  email: { type: 'string', multiple: true, valueName: 'EMAIL', summary: 'Quick form: active users with this email.' },
  profile: { type: 'string', multiple: true, valueName: 'NAME', summary: 'Quick form: a profile that gets the configuration (profile-level assignment).' },
  'permission-set': { type: 'string', multiple: true, valueName: 'NAME', summary: 'Quick form: users assigned this permission set.' },
  where: { type: 'string', valueName: 'CONDITION', summary: "Quick form: users matching a SOQL condition on User, e.g. \"Department = 'Support'\"." },
  csv: { type: 'string', multiple: true, valueName: 'FILE', summary: 'CSV with the header username,presenceConfig.' },
  prune: { type: 'boolean', default: false, summary: 'Also remove the configurations the source manages from users and profiles it does not select.' },
  ...ORG_FLAGS,
};

export const RUN_RESULT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    runId: { type: ['string', 'null'] },
    journal: { type: ['string', 'null'] },
    status: { enum: ['unchanged', 'completed', 'partial', 'interrupted', 'failed', 'running'] },
    summary: { type: 'object' },
    failures: {
      type: 'array',
      items: { type: 'object', properties: { kind: { enum: ['user', 'profile'] }, name: { type: 'string' }, configuration: { type: ['string', 'null'] }, errorCode: { type: 'string' }, message: { type: 'string' }, compensated: { type: 'boolean' } } },
    },
    apiCalls: { type: 'integer' },
    writes: { type: 'integer' },
  },
};

/**
 * Requests in flight (default 5). OMNI_ASSIGN_CONCURRENCY lowers it for orgs with tight concurrent-request
 * limits or busy hours (1–10).
 */
export function concurrencyFrom(env: NodeJS.ProcessEnv): number | undefined {
  const n = Number(env.OMNI_ASSIGN_CONCURRENCY);
  return Number.isInteger(n) && n >= 1 && n <= 10 ? n : undefined;
}

export function sourceFlags(ctx: CommandContext): SourceFlags {
  const f = ctx.flags;
  return {
    file: f.file as string | undefined,
    config: f.config as string | undefined,
    user: f.user as string[] | undefined,
    email: f.email as string[] | undefined,
    profile: f.profile as string[] | undefined,
    'permission-set': f['permission-set'] as string[] | undefined,
    where: f.where as string | undefined,
    csv: f.csv as string[] | undefined,
  };
}

/**
 * SIGINT: the first one lets in-flight requests finish and the journal be written; a second one exits
 * at once (the journal on disk is always a complete version, written atomically).
 */
export function trapInterrupt(ui: Ui): { signal: { stopping: boolean }; release(): void } {
  const signal = { stopping: false };
  const handler = () => {
    if (signal.stopping) process.exit(130);
    signal.stopping = true;
    ui.error('Interrupted: finishing the requests in flight and writing the journal (Ctrl-C again to quit now)…');
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal,
    release() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

export function renderPlan(plan: Plan, ui: Ui, options: { verbose?: boolean } = {}): void {
  const changed = plan.items.filter((i) => i.action !== 'unchanged');
  const shown = options.verbose ? plan.items : changed;
  const limit = 200;
  if (shown.length) {
    ui.table(
      shown.slice(0, limit).map((i) => ({ kind: i.kind, name: i.name, action: i.action, from: i.from ?? '—', to: i.to ?? '—', effective: i.kind === 'user' ? `${i.effective ?? 'none'}${i.effectiveSource ? ` (${i.effectiveSource})` : ''}` : '' })),
      ['kind', 'name', 'action', 'from', 'to', 'effective'],
    );
    if (shown.length > limit) ui.log(`… and ${shown.length - limit} more (use --json for all).`);
  }
  for (const i of plan.inactive.slice(0, 50)) ui.info(`Skipped inactive user ${i.username} (${i.via}, ${i.location}).`);
  if (plan.inactive.length > 50) ui.info(`… ${plan.inactive.length - 50} more inactive users skipped.`);
  const s = plan.summary;
  ui.log(`Plan: ${s.create} to create, ${s.move} to move, ${s.remove} to remove, ${s.unchanged} unchanged (${s.users} users, ${s.profiles} profiles).`);
}

export function renderRun(report: RunReport, ui: Ui): void {
  if (report.status === 'unchanged') {
    ui.log('Nothing to change: the org already matches.');
    return;
  }
  const s = report.summary;
  for (const f of report.failures.slice(0, 100)) ui.log(`${f.compensated ? 'kept' : 'FAILED'} ${f.kind} ${f.name} → ${f.configuration ?? 'none'}: ${f.errorCode}: ${f.message}`);
  if (report.failures.length > 100) ui.log(`… ${report.failures.length - 100} more failures (see --json or the journal).`);
  ui.log(`Run ${report.runId} ${report.status}: ${s.done} done, ${s.failed} failed, ${s.compensated} kept their old configuration, ${s.pending} pending (${report.apiCalls} API calls).`);
  if (report.status !== 'completed') {
    ui.log(`Continue: ${report.resume}`);
    ui.log(`Restore the prior state: ${report.undo}`);
  }
  ui.log(`Journal: ${report.journal}`);
}
