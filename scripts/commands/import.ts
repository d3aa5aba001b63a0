/**
 * `omni import`: builds config/omni-channel.yaml from existing XML (e.g. a retrieve), source format or
 * Metadata API format. `import` then `generate` reproduces canonical files byte for byte (elements omni
 * does not model ride along under otherElements). A file that cannot be read is refused with its
 * file:line and the rest is imported (exit 68). Usernames are not imported (they differ per org): they
 * are reported, or with --extract-assignments written to an assignment file. Over an existing spec the
 * import is merged into it (comments, header and key order survive); removing entries needs --force;
 * --dry-run prints the diff and writes nothing.
 */
import { defineCommand } from '../cli/command.ts';
import type { ImportCommandResult, RefusedFile } from '../deploy/import-spec.ts';
import { connectOptionsFromFlags, ORG_FLAGS, LOCAL_INPUT_FIRST } from './shared/org.ts';
import { countText, messageText } from '../lib/messages.ts';

export default defineCommand<ImportCommandResult>({
  id: 'import',
  ...LOCAL_INPUT_FIRST,
  flags: {
    'target-org': { ...ORG_FLAGS['target-org'] },
    'instance-url': ORG_FLAGS['instance-url'],
    'source-dir': { type: 'string', valueName: 'DIR' },
    out: { type: 'string', valueName: 'FILE' },
    'api-version': { type: 'string', valueName: 'VERSION' },
    'extract-assignments': { type: 'string', valueName: 'FILE' },
    force: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  async run(ctx) {
    const { runImport } = await import('../deploy/import-spec.ts');
    const f = ctx.flags;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return runImport(
      { connect: f['target-org'] || f['instance-url'] ? connectOptionsFromFlags(f, ctx.env) : undefined },
      { sourceDir: str(f['source-dir']), out: str(f.out), apiVersion: str(f['api-version']), extractAssignments: str(f['extract-assignments']), force: Boolean(f.force), dryRun: Boolean(f['dry-run']) },
      ctx,
    );
  },
  render(result, ui) {
    if (result.yaml !== undefined) {
      // Through the ui (redaction, the caller's stdout); log adds the final newline back.
      ui.log(result.yaml.replace(/\n$/, ''));
      return;
    }
    if (result.diff !== undefined) ui.log(result.diff === '' ? messageText('deploy-output', 'import.noChange', [result.spec]) : result.diff.replace(/\n$/, ''));
    const total = Object.values(result.imported).reduce((a, b) => a + b, 0);
    const verb = {
      created: () => messageText('deploy-output', 'import.verb.created'),
      merged: () => messageText('deploy-output', 'import.verb.merged'),
      unchanged: () => messageText('deploy-output', 'import.verb.unchanged'),
      'dry-run': () => messageText('deploy-output', 'import.verb.dryRun'),
      printed: () => messageText('deploy-output', 'import.verb.created'),
    }[result.action]();
    ui.log(countText('deploy-output', 'import.summary', total, [verb, total, result.sourceDir, result.spec]));
    for (const [type, n] of Object.entries(result.imported)) ui.log(`  ${type}: ${n}`);
    if (result.removed.length) ui.log(messageText('deploy-output', 'import.removed', [result.removed.join(', ')]));
    if (result.recordSettings.keys) {
      ui.log(result.recordSettings.from === 'org' ? countText('deploy-output', 'import.records.org', result.recordSettings.keys, [result.recordSettings.keys]) : countText('deploy-output', 'import.records.kept', result.recordSettings.keys, [result.recordSettings.keys]));
    }
    if (result.refused.length) {
      ui.log(countText('deploy-output', 'import.refused', result.refused.length, [result.refused.length]));
      for (const r of result.refused) ui.log(`  ${formatRefused(r)}`);
    }
    const users = result.userAssignments.reduce((a, u) => a + u.users.length, 0);
    if (users) {
      ui.log(
        result.assignmentsFile
          ? countText('deploy-output', 'import.usernamesWritten', users, [users, result.assignmentsFile])
          : countText('deploy-output', 'import.usersNotImported', users, [users]),
      );
    }
  },
});

function formatRefused(r: RefusedFile): string {
  return `${r.file}${r.line !== undefined ? `:${r.line}${r.column !== undefined ? `:${r.column}` : ''}` : ''}: ${r.ruleId}: ${r.message}`;
}

