import { defineCommand } from '../cli/command.ts';
import { ORG_FLAGS } from '../org/connection.ts';
import type { ExportedAssignments } from '../assign/export.ts';

export type ExportResult = ExportedAssignments & { written?: string; counts: { users: number; profiles: number; queueMembers: number } };

export default defineCommand<ExportResult>({
  id: 'assign export',
  flags: {
    ...ORG_FLAGS,
    csv: { type: 'string', valueName: 'FILE' },
    yaml: { type: 'string', valueName: 'FILE' },
  },
  resultSchema: { type: 'object', properties: { users: { type: 'array' }, profiles: { type: 'array' }, written: { type: 'string' }, counts: { type: 'object' } } },
  async run(ctx) {
    const path = await import('node:path');
    const { writeFileSync, renameSync, mkdirSync } = await import('node:fs');
    const { UsageError } = await import('../lib/errors.ts');
    const { connectOrg, connectOptionsFromFlags } = await import('../org/connection.ts');
    const { OrgApi } = await import('../assign/api.ts');
    const { readAssignments, toCsv, toYaml } = await import('../assign/export.ts');
    if (ctx.flags.csv && ctx.flags.yaml) throw new UsageError('Pass --csv or --yaml, not both.');
    const session = await connectOrg(connectOptionsFromFlags(ctx.flags, ctx.env));
    const data = await readAssignments(new OrgApi(session.connection));
    const target = (ctx.flags.csv ?? ctx.flags.yaml) as string | undefined;
    let written: string | undefined;
    if (target) {
      const absolute = path.resolve(ctx.cwd, target);
      const schemaPath = path.relative(path.dirname(absolute), path.resolve(ctx.cwd, 'config/assignments/assignments.schema.json')).split(path.sep).join('/');
      const text = ctx.flags.csv ? toCsv(data) : toYaml(data, schemaPath.startsWith('.') ? schemaPath : `./${schemaPath}`, session.label);
      mkdirSync(path.dirname(absolute), { recursive: true });
      // Usernames: not world-readable; atomic so a failed export never truncates a previous backup.
      const tmp = `${absolute}.${process.pid}.tmp`;
      writeFileSync(tmp, text, { mode: 0o600 });
      renameSync(tmp, absolute);
      written = path.relative(ctx.cwd, absolute);
    }
    return { status: 0, result: { ...data, ...(written ? { written } : {}), counts: { users: data.users.length, profiles: data.profiles.length, queueMembers: data.queueMembers.length } } };
  },
  render(result, ui) {
    if (!result.written) {
      ui.table(result.profiles.map((p) => ({ kind: 'profile', name: p.profile, configuration: p.presenceConfig })), ['kind', 'name', 'configuration']);
      ui.table(result.users.slice(0, 500).map((u) => ({ kind: 'user', name: u.username, configuration: u.presenceConfig, active: u.active })), ['kind', 'name', 'configuration', 'active']);
    }
    if (!result.written) ui.table(result.queueMembers.slice(0, 500).map((m) => ({ kind: 'queue member', name: m.username, queue: m.queue, active: m.active })), ['kind', 'name', 'queue', 'active']);
    ui.log(`${result.counts.profiles} profile and ${result.counts.users} user assignment(s), ${result.counts.queueMembers} queue member(s)${result.written ? ` written to ${result.written}` : ''}.`);
  },
});
