/** Human text for doctor and setup results (no heavy imports: command `render` functions use it). */
import type { CheckStatus } from '../../setup/checks.ts';
import type { DoctorReport } from '../../setup/doctor.ts';
import type { SetupResult } from '../../setup/run.ts';
import { countText, messageText } from '../../lib/messages.ts';

/** The org line: name (username, type) and the assignment file when one is given. */
function orgLine(org: { name: string; username: string; orgType: string }, assignments: string | null | undefined): string {
  return assignments ? messageText('setup-output', 'org.assignments', [org.name, org.username, org.orgType, assignments]) : messageText('setup-output', 'org', [org.name, org.username, org.orgType]);
}

const MARK: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

/** One line per check, the fix indented under anything not ok. */
/**
 * One check as lines: the first line of its message after `head`, each further line (a listed finding)
 * and each fix (one per line of `fix`, for warnings and failures) under it, indented by `indent`.
 */
function checkLines(head: string, indent: string, c: { status: string; message: string; fix?: string }): string[] {
  const [first, ...more] = c.message.split('\n');
  const lines = [`${head}${first}`, ...more.map((m) => `${indent}${m}`)];
  if (c.fix && (c.status === 'fail' || c.status === 'warn')) for (const f of c.fix.split('\n')) lines.push(`${indent}${messageText('setup-output', 'fix', [f])}`);
  return lines;
}

export function formatDoctor(report: DoctorReport): string[] {
  const lines: string[] = [];
  if (report.org) lines.push(orgLine(report.org, report.assignments));
  for (const c of report.checks) lines.push(...checkLines(`${MARK[c.status]}  ${c.title}: `, '      ', c));
  const s = report.summary;
  lines.push(messageText('setup-output', 'doctor.summary', [s.ok, countText('setup-output', 'count.warning', s.warn, [s.warn]), s.fail, s.skip]));
  return lines;
}

/** The stage table, the failing stage's fix, and what the org now holds (deployed, who has what, who can go online). */
export function formatSetup(result: SetupResult): string[] {
  const lines: string[] = [];
  if (result.org) lines.push(orgLine(result.org, result.assignments));
  const width = Math.max(...result.stages.map((s) => s.stage.length));
  for (const s of result.stages) {
    const first = s.summary.split('\n')[0];
    // The doctor's warnings are listed below the line, one each: the line keeps the counts.
    const shown = s.stage === 'doctor' && s.status === 'warn' ? first.replace(/ \(.*\), (\d+ skipped\.)$/, ', $1') : first;
    lines.push(`${s.stage.padEnd(width)}  ${s.status.padEnd(7)} ${(s.durationMs / 1000).toFixed(1).padStart(5)} s  ${shown}`);
    if (s.status === 'failed') {
      for (const more of s.summary.split('\n').slice(1)) lines.push(`${' '.repeat(width + 20)}${more.trim()}`);
      const actions = (s.details.actions as string[] | undefined) ?? [];
      for (const a of actions) lines.push(`${' '.repeat(width + 20)}${messageText('setup-output', 'fix', [a])}`);
    }
    if (s.stage === 'doctor' && s.status === 'warn') {
      // Each doctor warning on its own line with its fix, as `omni doctor` prints it.
      const checks = (s.details.checks as Array<{ status: string; id: string; message: string; fix?: string; title?: string }> | undefined) ?? [];
      for (const c of checks.filter((x) => x.status === 'warn')) lines.push(...checkLines(`${' '.repeat(width + 20)}WARN ${c.id}: `, ' '.repeat(width + 25), c));
    }
  }
  lines.push(...formatOutcome(result));
  return lines;
}

export function formatOutcome(result: SetupResult): string[] {
  const lines: string[] = [];
  const o = result.outcome;
  if (o.writes.deploy) {
    const byType = new Map<string, string[]>();
    for (const c of o.deployed) (byType.get(c.type) ?? byType.set(c.type, []).get(c.type)!).push(c.fullName);
    lines.push('', countText('setup-output', 'deployed', o.deployed.length, [o.deployed.length]));
    for (const [type, names] of [...byType].sort()) lines.push(`  ${type}: ${names.sort().join(', ')}`);
  } else if (result.stages.some((s) => s.stage === 'deploy' && s.status === 'skipped' && !s.summary.startsWith('Not run'))) {
    lines.push('', messageText('setup-output', 'deployed.nothing'));
  }
  if (o.agents.length) {
    const byConfig = new Map<string, string[]>();
    for (const a of o.agents) (byConfig.get(a.configuration) ?? byConfig.set(a.configuration, []).get(a.configuration)!).push(a.source === 'profile' ? messageText('setup-output', 'viaProfile', [a.username]) : a.username);
    lines.push('', messageText('setup-output', 'configurations'));
    for (const [config, users] of [...byConfig].sort()) lines.push(`  ${config} (${users.length}): ${users.slice(0, 8).join(', ')}${users.length > 8 ? ` … (+${users.length - 8})` : ''}`);
    const online = o.agents.filter((a) => a.canGoOnline).length;
    const blocked = o.agents.filter((a) => !a.canGoOnline).map((a) => a.username);
    const total = o.agents.length;
    lines.push('', blocked.length ? countText('setup-output', 'online.blocked', total, [online, total, blocked.slice(0, 8).join(', ')]) : countText('setup-output', 'online', total, [online, total]));
  }
  if (o.recordSettings?.length) {
    lines.push('', messageText('setup-output', 'records'));
    for (const r of o.recordSettings) lines.push(`  ${r.sobject} ${r.fullName}: ${describeRecordFields(r.fields)}${r.state === 'unchanged' ? '' : ` (${r.state})`}`);
  }
  const w = o.writes;
  const deploy = w.deploy ? messageText('setup-output', 'writes.deploy') : messageText('setup-output', 'writes.noDeploy');
  const rows = countText('setup-output', 'count.assignmentRow', w.assignments, [w.assignments]);
  const grants = countText('setup-output', 'count.permissionSetAssignment', w.permissionSetAssignments, [w.permissionSetAssignments]);
  lines.push(
    '',
    w.records !== undefined
      ? messageText('setup-output', 'writes.records', [deploy, rows, grants, countText('setup-output', 'count.recordSetting', w.records, [w.records])])
      : messageText('setup-output', 'writes', [deploy, rows, grants]),
  );
  return lines;
}

/** `sound "chime", 5 s; transfer to queues: selected, flows: selected, profiles: any` from the record's fields. */
function describeRecordFields(fields: Record<string, string | number | boolean | null>): string {
  const parts: string[] = [];
  if (fields.DoesOverridePresenceAudio === false) parts.push(messageText('setup-output', 'record.noOverride'));
  if ('CustomSoundId' in fields || 'SoundLength' in fields) {
    const named = fields.CustomSoundId ? messageText('setup-output', 'record.sound', [fields.CustomSoundId]) : messageText('setup-output', 'record.defaultSound');
    const sound = fields.SoundLength ? messageText('setup-output', 'record.soundLength', [named, fields.SoundLength]) : named;
    parts.push(fields.DoesOverridePresenceAudio ? messageText('setup-output', 'record.overrides', [sound]) : sound);
  }
  const transfer = (['Queue', 'Flow', 'Profile'] as const)
    .filter((k) => typeof fields[`OptionsIsAllowAnyDestination${k}ForTransferEnabled`] === 'boolean')
    .map((k) => `${k.toLowerCase()}s: ${fields[`OptionsIsAllowAnyDestination${k}ForTransferEnabled`] ? messageText('setup-output', 'record.any') : messageText('setup-output', 'record.selected')}`);
  if (transfer.length) parts.push(messageText('setup-output', 'record.transfer', [transfer.join(', ')]));
  return parts.join('; ');
}
