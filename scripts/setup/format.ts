/** Human text for doctor and setup results (no heavy imports: command `render` functions use it). */
import type { CheckStatus } from './checks.ts';
import type { DoctorReport } from './doctor.ts';

const MARK: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

/** One line per check, the fix indented under anything not ok. */
export function formatDoctor(report: DoctorReport): string[] {
  const lines: string[] = [];
  if (report.org) lines.push(`Org: ${report.org.name} (${report.org.username}, ${report.org.orgType})${report.assignments ? ` — assignments: ${report.assignments}` : ''}`);
  for (const c of report.checks) {
    lines.push(`${MARK[c.status]}  ${c.title}: ${c.message}`);
    if (c.fix && (c.status === 'fail' || c.status === 'warn')) lines.push(`      fix: ${c.fix}`);
  }
  const s = report.summary;
  lines.push(`${s.ok} ok, ${s.warn} warning(s), ${s.fail} failed, ${s.skip} skipped.`);
  return lines;
}
