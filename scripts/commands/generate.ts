/**
 * `omni generate`: writes the metadata XML described by config/omni-channel.yaml (and keeps the spec's
 * JSON Schema current). `--check` is the CI drift gate: nothing is written, exit 1 when anything would change or a file of the spec's
 * types is not described by the spec (an extra file, which --prune would delete).
 */
import { defineCommand } from '../cli/command.ts';
import { formatTable } from '../cli/ui.ts';
import type { GenerateResult } from '../yaml-spec/generate-engine.ts';
import { commandPrefix } from '../lib/io.ts';
import { messageText } from '../lib/messages.ts';

export default defineCommand<GenerateResult>({
  id: 'generate',
  flags: {
    spec: { type: 'string', valueName: 'FILE' },
    out: { type: 'string', valueName: 'DIR' },
    check: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    prune: { type: 'boolean' },
  },
  async run(ctx) {
    const { runGenerate } = await import('../yaml-spec/generate-engine.ts');
    const f = ctx.flags;
    return runGenerate({
      specFile: typeof f.spec === 'string' ? f.spec : undefined,
      outDir: typeof f.out === 'string' ? f.out : undefined,
      check: f.check === true,
      dryRun: f['dry-run'] === true,
      prune: f.prune === true,
    }, ctx);
  },
  render(result, ui) {
    if (result.dryRun) for (const f of result.files) if (f.diff) ui.log(f.diff.trimEnd());
    const rows = [
      ...result.files.map((f) => ({ action: f.action, type: f.type, path: f.path })),
      ...result.extra.map((e) => ({ action: e.action, type: e.type, path: e.path })),
    ];
    ui.log(formatTable(rows, ['action', 'type', 'path']));
    const count = (a: string) => result.files.filter((f) => f.action === a).length;
    const summary = messageText('deploy-output', 'generate.summary', [count('created'), count('updated'), count('unchanged'), result.extra.length, result.apiVersion]);
    if (result.check) {
      const prefix = commandPrefix();
      // Extra files are fixed by --prune (or by describing them: import), not by a plain generate.
      const differ = result.files.some((f) => f.action !== 'unchanged');
      if (result.extra.length > 0) ui.log(differ ? messageText('deploy-output', 'generate.driftBoth', [summary, prefix, prefix]) : messageText('deploy-output', 'generate.driftExtra', [summary, prefix, prefix]));
      else ui.log(result.changed ? messageText('deploy-output', 'generate.drift', [summary, prefix]) : messageText('deploy-output', 'generate.upToDate', [summary]));
    }
    else if (result.dryRun) ui.log(messageText('deploy-output', 'generate.dryRun', [summary]));
    else ui.log(messageText('deploy-output', 'generate.done', [summary]));
  },
});
