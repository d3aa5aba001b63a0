/**
 * Each command's help text lives in its message bundle `messages/<command id, dashed>.md` (as the sf plugins'
 * `messages/<command>.md`, loaded with @salesforce/core's Messages): `summary`, `description`, `examples`
 * (a list; `<%= config.bin %> <%= command.id %>` is filled in by the help renderer), `flags.<name>.summary`,
 * `flags.<name>.description` (the longer text under the flag in --help, where sf's default does not fit),
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
  /** Flag name → its longer description, where the bundle gives one (else sf's, e.g. for --api-version). */
  flagDescriptions: Record<string, string>;
  /** Argument name → one-line summary. */
  args: Record<string, string>;
  /** Exit code → meaning, in ascending order of the code. */
  errorCodes: Record<string, string>;
}

/** The bundle's name for a command id: `assign plan` → `assign-plan` (messages/assign-plan.md). */
export function helpBundleName(id: string): string {
  return id.replace(/ /g, '-');
}

/**
 * `<%= omni %>` in a help text names the omni commands as the user runs them — `omni` under the omni bin,
 * `sf omni` under sf — for a command line of another command (`<%= omni %> deploy report JOB_ID`); the
 * help renderer (oclif, under either bin) fills it from its config when it prints the help.
 */
const OMNI = "<%= config.bin === 'omni' ? 'omni' : config.bin + ' omni' %>";
const withOmni = (text: string) => text.replaceAll('<%= omni %>', OMNI);

/** The help text of command `id` from its bundle. Throws when the bundle or its summary is missing. */
export function commandHelpText(id: string): CommandHelpText {
  const messages = bundle(helpBundleName(id));
  const keys = [...messages.messages.keys()];
  const under = (prefix: string, suffix = ''): Record<string, string> =>
    Object.fromEntries(keys.filter((k) => k.startsWith(prefix) && k.endsWith(suffix)).map((k) => [k.slice(prefix.length, k.length - suffix.length), withOmni(messages.getMessage(k))]));
  return {
    summary: withOmni(messages.getMessage('summary')),
    ...(messages.messages.has('description') ? { description: withOmni(messages.getMessage('description')) } : {}),
    examples: messages.messages.has('examples') ? messages.getMessages('examples') : [],
    flags: under('flags.', '.summary'),
    flagDescriptions: under('flags.', '.description'),
    args: under('args.', '.summary'),
    errorCodes: under('error-codes.'),
  };
}
