/**
 * Each command's help text lives in its message bundle `messages/<command id, dashed>.md` (as the sf plugins'
 * `messages/<command>.md`, loaded with @salesforce/core's Messages): `summary`, `description`, `examples`
 * (a list; `<%= config.bin %> <%= command.id %>` is filled in by the help renderer), `flags.<name>.summary`,
 * `args.<name>.summary` and `error-codes.<code>` (the ERROR CODES help section: exit code → meaning).
 * https://github.com/salesforcecli/plugin-deploy-retrieve/tree/main/messages
 */
import { bundle } from '../lib/messages.ts';

export interface CommandHelpText {
  summary: string;
  description?: string;
  /** Example command lines, with oclif's `<%= config.bin %> <%= command.id %>` placeholders. */
  examples: string[];
  /** Flag name → one-line summary. */
  flags: Record<string, string>;
  /** Argument name → one-line summary. */
  args: Record<string, string>;
  /** Exit code → meaning, in ascending order of the code. */
  errorCodes: Record<string, string>;
}

/** The bundle's name for a command id: `assign plan` → `assign-plan` (messages/assign-plan.md). */
export function helpBundleName(id: string): string {
  return id.replace(/ /g, '-');
}

/** The help text of command `id` from its bundle. Throws when the bundle or its summary is missing. */
export function commandHelpText(id: string): CommandHelpText {
  const messages = bundle(helpBundleName(id));
  const keys = [...messages.messages.keys()];
  const under = (prefix: string, suffix = ''): Record<string, string> =>
    Object.fromEntries(keys.filter((k) => k.startsWith(prefix) && k.endsWith(suffix)).map((k) => [k.slice(prefix.length, k.length - suffix.length), messages.getMessage(k)]));
  return {
    summary: messages.getMessage('summary'),
    ...(messages.messages.has('description') ? { description: messages.getMessage('description') } : {}),
    examples: messages.messages.has('examples') ? messages.getMessages('examples') : [],
    flags: under('flags.', '.summary'),
    args: under('args.', '.summary'),
    errorCodes: under('error-codes.'),
  };
}
