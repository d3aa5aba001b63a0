/**
 * The `omni explain` engine: why an agent does (or does not) get work — from the org (its session,
 * resolved once), or offline from the project's XML and assignment files.
 */
import path from 'node:path';
import type { EngineIo } from '../lib/io.ts';
import type { OrgTarget } from '../org/connection.ts';
import type { ExplainReport } from './explain.ts';

/** What `omni explain` is asked (its argument and flags, typed). */
export interface ExplainRequest {
  /** The agent's username. */
  username: string;
  /** Explain this queue only (developer name). */
  queue?: string;
  /** Read the project instead of the org: the assignment files to read (relative to io.cwd; default: config/assignments/*.yaml). */
  offline?: { assignments?: string[] };
}

/**
 * Explains `request.username`'s routing. Online (no `offline`): connects with `org.connect` (or uses
 * `org.session`). Exit 0 when the agent can receive work (or offline cannot tell), 1 otherwise; offline warnings go to `io.warn`.
 */
export async function runExplain(
  org: OrgTarget,
  request: ExplainRequest,
  io: Pick<EngineIo, 'cwd' | 'env' | 'warn'>,
): Promise<{ status: number; result: ExplainReport }> {
  const { username, queue } = request;
  let report: ExplainReport;
  if (request.offline) {
    const { loadProjectDocuments } = await import('../deploy/project-docs.ts');
    const { defaultAssignmentFiles } = await import('../graph/assignment-files.ts');
    const { explainOffline } = await import('./offline.ts');
    const project = await loadProjectDocuments(io.cwd, []);
    const given = request.offline.assignments;
    const files = (given?.length ? given.map((f) => path.resolve(io.cwd, f)) : defaultAssignmentFiles(project.projectRoot)).map((file) => ({ file, shown: path.relative(io.cwd, file) || file }));
    const out = explainOffline(project.documents, files, username, { queue });
    for (const w of out.warnings) io.warn(w);
    report = out.report;
  } else {
    const { isOmniEnabled, resolveOrg } = await import('../org/connection.ts');
    const { OrgApi } = await import('../assign/api.ts');
    const { explainInOrg } = await import('./explain.ts');
    const session = await resolveOrg(org, io.env);
    report = await explainInOrg(new OrgApi(session.connection), username, { queue, omniEnabled: await isOmniEnabled(session) });
  }
  // Exit 1 only on a definite "cannot": what offline cannot tell (null) is not a failure.
  return { status: report.canReceiveWork === false ? 1 : 0, result: report };
}
