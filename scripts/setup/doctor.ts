/**
 * `omni doctor`: connect, read the project and the assignment file once, then run every check of
 * CHECKS in order. Used on its own (health: exit 1 on any fail) and as setup's first stage (preflight:
 * what setup's later stages repair is a warning there).
 */
import path from 'node:path';
import { OmniError } from '../lib/errors.ts';
import { messageText } from '../lib/messages.ts';
import type { EngineIo } from '../lib/io.ts';
import type { OrgInfo, OrgTarget } from '../org/connection.ts';
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

/** What `omni doctor` is asked (its flags, typed), plus what a calling engine has already read. */
export interface DoctorRequest {
  /** Assignment file (relative to io.cwd) whose users to check. */
  assignments?: string;
  /** Setup's first stage: a failure setup's later stages repair is a warning. */
  preflight?: boolean;
  /** The project as the caller read it (default: read here). */
  source?: ProjectSource;
  /** The assignment file's desired state as the caller loaded it (null: none; default: loaded here). */
  desired?: DesiredAssignments | null;
  /** The checks to run (default: every check of CHECKS). */
  checks?: Check[];
}

/**
 * The doctor engine. The org is `org.session` (with its `org.info` when the caller described it) or
 * `org.connect`, resolved here: a failure to connect is the first check's result, the others skip.
 * Exit 1 when a check failed.
 */
export async function runDoctor(
  org: OrgTarget & { info?: OrgInfo },
  request: DoctorRequest,
  io: Pick<EngineIo, 'cwd' | 'env'>,
): Promise<{ status: number; result: DoctorReport }> {
  const options = { ...request, cwd: io.cwd, env: io.env };
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
      desired = (await loadDesired({ file: options.assignments }, options.cwd)).desired;
    }
  }
  const outcomes: DoctorCheckOutcome[] = [];
  const report = (orgShown: DoctorReport['org']): { status: number; result: DoctorReport } => {
    const summary: Record<CheckStatus, number> = { ok: 0, warn: 0, fail: 0, skip: 0 };
    for (const c of outcomes) summary[c.status]++;
    return { status: summary.fail > 0 ? 1 : 0, result: { org: orgShown, assignments: assignmentsFile, preflight, checks: outcomes, summary, failed: summary.fail > 0 } };
  };

  // Connecting is the first check's job: a failure there is its result (with the fix), the rest skip.
  let session = org.session;
  let info = org.info;
  const started = Date.now();
  try {
    session ??= await resolveOrg({ connect: org.connect }, options.env);
    info ??= await describeOrg(session);
  } catch (thrown) {
    // A version the user chose that the org does not serve: the same ApiVersionNotServed the other commands give.
    const { apiVersionNotServed } = await import('../org/api-version.ts');
    const e = ((await apiVersionNotServed(thrown)) ?? thrown) as OmniError;
    outcomes.push({
      id: checks[0]?.id ?? 'api-version',
      title: checks[0]?.title ?? messageText('doctor-checks', 'unreachable.title'),
      status: 'fail',
      message: e.message,
      fix: e instanceof OmniError && e.actions.length ? e.actions.join(' ') : messageText('doctor-checks', 'api-version.fix.unreachable'),
      durationMs: Date.now() - started,
    });
    // The org answered but refused the session: it is reachable, the login is what to fix.
    const skipped =
      e instanceof OmniError && e.name === 'ExpiredSession'
        ? messageText('doctor-checks', 'skipped.sessionExpired')
        : e instanceof OmniError && e.name === 'ApiVersionNotServed'
          ? messageText('doctor-checks', 'skipped.apiVersion')
          : messageText('doctor-checks', 'skipped.unreachable');
    for (const c of checks.slice(1)) outcomes.push({ id: c.id, title: c.title, status: 'skip', message: skipped, durationMs: 0 });
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
      result = { status: 'skip', message: enables ? messageText('doctor-checks', 'skipped.omniOff.deployTurnsOn') : messageText('doctor-checks', 'skipped.omniOff'), repairedBySetup: enables ? 'deploy' : undefined };
    } else {
      try {
        result = await check.run(ctx);
      } catch (error) {
        const e = error as Error & { errorCode?: string };
        result = { status: 'fail', message: messageText('doctor-checks', 'checkFailed', [`${e.errorCode ? `${e.errorCode}: ` : ''}${e.message}`]), fix: messageText('doctor-checks', 'fix.checkFailed') };
      }
    }
    if (preflight && result.status === 'fail' && result.repairedBySetup) {
      result = { ...result, status: 'warn', message: messageText('doctor-checks', 'repairedBySetup', [result.message, result.repairedBySetup]) };
    }
    return { id: check.id, title: check.title, ...result, durationMs: Date.now() - t };
  };
  outcomes.push(...(await Promise.all(checks.map(run))));
  return report({ username: session.username, instanceUrl: session.instanceUrl, name: info.name, orgType: info.orgType, omniEnabled: info.omniEnabled });
}

