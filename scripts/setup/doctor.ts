/**
 * `omni doctor`: connect, read the project and the assignment file once, then run every check of
 * CHECKS in order. Used on its own (health: exit 1 on any fail) and as setup's first stage (preflight:
 * what setup's later stages repair is a warning there).
 */
import path from 'node:path';
import { OmniError } from '../lib/errors.ts';
import { messageText } from '../lib/messages.ts';
import type { ConnectOptions, OrgInfo, OrgSession } from '../org/connection.ts';
import { CHECKS, type Check, type CheckResult, type CheckStatus } from './checks.ts';
import { createDoctorContext } from './context.ts';
import { readProjectSource, type ProjectSource } from './source.ts';
import type { DesiredAssignments } from '../assign/config.ts';

export interface DoctorCheckOutcome extends CheckResult {
  id: string;
  title: string;
  durationMs: number;
}

export interface DoctorReport {
  org: { username: string; instanceUrl: string; name: string; orgType: string; omniEnabled: boolean } | null;
  assignments: string | null;
  preflight: boolean;
  checks: DoctorCheckOutcome[];
  summary: Record<CheckStatus, number>;
  /** true when a check failed (exit 1). */
  failed: boolean;
}

export interface DoctorOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** How to reach the org when no `session` is given; a failure to connect is the first check's result. */
  connect?: ConnectOptions;
  /** Assignment file (relative to cwd) whose users to check. */
  assignments?: string;
  preflight?: boolean;
  /** Reuse a session (setup) instead of connecting. */
  session?: OrgSession;
  info?: OrgInfo;
  source?: ProjectSource;
  desired?: DesiredAssignments | null;
  checks?: Check[];
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { describeOrg, resolveOrg } = await import('../org/connection.ts');
  const { OrgApi } = await import('../assign/api.ts');
  const checks = options.checks ?? CHECKS;
  const preflight = Boolean(options.preflight);
  const source = options.source ?? (await readProjectSource(options.cwd));
  let desired = options.desired ?? null;
  let assignmentsFile: string | null = null;
  if (options.assignments) {
    assignmentsFile = path.relative(source.projectRoot, path.resolve(options.cwd, options.assignments)) || options.assignments;
    if (options.desired === undefined) {
      const { loadDesired } = await import('../assign/run.ts');
      desired = loadDesired({ file: options.assignments }, options.cwd).desired;
    }
  }
  const outcomes: DoctorCheckOutcome[] = [];
  const report = (org: DoctorReport['org']): DoctorReport => {
    const summary: Record<CheckStatus, number> = { ok: 0, warn: 0, fail: 0, skip: 0 };
    for (const c of outcomes) summary[c.status]++;
    return { org, assignments: assignmentsFile, preflight, checks: outcomes, summary, failed: summary.fail > 0 };
  };

  // Connecting is the first check's job: a failure there is its result (with the fix), the rest skip.
  let session = options.session;
  let info = options.info;
  const started = Date.now();
  try {
    session ??= await resolveOrg({ connect: options.connect }, options.env);
    info ??= await describeOrg(session);
  } catch (error) {
    const e = error as OmniError;
    outcomes.push({
      id: checks[0]?.id ?? 'api-version',
      title: checks[0]?.title ?? messageText('doctor-checks', 'unreachable.title'),
      status: 'fail',
      message: e.message,
      fix: e instanceof OmniError && e.actions.length ? e.actions.join(' ') : messageText('doctor-checks', 'api-version.fix.unreachable'),
      durationMs: Date.now() - started,
    });
    for (const c of checks.slice(1)) outcomes.push({ id: c.id, title: c.title, status: 'skip', message: 'Not checked: the org is not reachable.', durationMs: 0 });
    return report(null);
  }
  const ctx = createDoctorContext({ session, info, source, api: new OrgApi(session.connection), assignmentsFile, desired, preflight });
  // The checks run side by side (they only read): their queries share requests (composite batches, the
  // read cache of a setup run); the report keeps the catalogue's order.
  const run = async (check: (typeof checks)[number]): Promise<DoctorCheckOutcome> => {
    const t = Date.now();
    let result: CheckResult;
    if (check.needsOmni && !info.omniEnabled) {
      const enables = source.settings?.enableOmniChannel === true;
      result = { status: 'skip', message: `Not checked: Omni-Channel is off${enables ? ' (the deploy turns it on)' : ''}.`, repairedBySetup: enables ? 'deploy' : undefined };
    } else {
      try {
        result = await check.run(ctx);
      } catch (error) {
        const e = error as Error & { errorCode?: string };
        result = { status: 'fail', message: `The check could not run: ${e.errorCode ? `${e.errorCode}: ` : ''}${e.message}`, fix: messageText('doctor-checks', 'fix.checkFailed') };
      }
    }
    if (preflight && result.status === 'fail' && result.repairedBySetup) {
      result = { ...result, status: 'warn', message: `${result.message} (setup's ${result.repairedBySetup} stage takes care of this)` };
    }
    return { id: check.id, title: check.title, ...result, durationMs: Date.now() - t };
  };
  outcomes.push(...(await Promise.all(checks.map(run))));
  return report({ username: session.username, instanceUrl: session.instanceUrl, name: info.name, orgType: info.orgType, omniEnabled: info.omniEnabled });
}

