/**
 * User text lives in message bundles (`messages/*.md`, one per area), loaded with @salesforce/core's
 * `Messages` as sf plugins do (https://github.com/forcedotcom/sfdx-core#messages). A heading is a key;
 * `<key>.actions` holds the "Try this" list. Error names are headings of `messages/errors.md`: one name per
 * condition, variants of a condition are `<name>.<variant>` headings.
 */
import { createRequire } from 'node:module';
import type { Messages } from '@salesforce/core/messages';
import { OmniError } from './errors.ts';
import { ERROR_CATALOGUE, type ErrorKey, type ErrorName, type ErrorVariant } from './error-catalogue.ts';
import type { WarningKey } from './warning-catalogue.ts';

const PACKAGE = 'omni-presence';
const bundles = new Map<string, Messages<string>>();
let messagesClass: typeof Messages | undefined;

/**
 * @salesforce/core's Messages, loaded on the first message asked for: loading it (and its logger) costs
 * ~20 MB and ~0.15 s, which every command would pay at start although most runs never build an error.
 */
function messages(): typeof Messages {
  if (!messagesClass) {
    const core = createRequire(import.meta.url)('@salesforce/core/messages') as { Messages: typeof Messages };
    core.Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
    messagesClass = core.Messages;
  }
  return messagesClass;
}

/** The bundle `messages/<name>.md`; throws when it does not exist. */
export function bundle(name: string): Messages<string> {
  let loaded = bundles.get(name);
  if (!loaded) {
    loaded = messages().loadMessages(PACKAGE, name);
    bundles.set(name, loaded);
  }
  return loaded;
}

type Token = string | number | boolean;

interface CatalogueErrorOptions<V extends string> {
  /** `<name>.<variant>` heading to take the text from (the error's name stays `name`). */
  variant?: V;
  /** Tokens for the `%s` placeholders of the message. */
  tokens?: Token[];
  /** Tokens for the `%s` placeholders of the actions. */
  actionTokens?: Token[];
  /** Actions that come from another catalogue (e.g. the fixes of failed doctor checks), after the bundle's. */
  moreActions?: string[];
  /**
   * Only where the exit code depends on the run, not on the condition (130 or 143 by the signal that
   * interrupted it); otherwise the catalogue's code applies.
   */
  exitCode?: number;
  cause?: unknown;
  data?: unknown;
}

/** The options of `catalogueError(name, …)`: `variant` is required when `name` has no text of its own. */
type OptionsFor<N extends ErrorName> = N extends ErrorKey ? CatalogueErrorOptions<ErrorVariant<N>> : CatalogueErrorOptions<ErrorVariant<N>> & { variant: ErrorVariant<N> };

/**
 * The OmniError of a catalogue entry (scripts/lib/error-catalogue.ts): named `name`, with the message and
 * actions of the heading `name` (or `name.variant`) of `messages/errors.md` and the catalogue's exit code.
 * Throws (a programming error) when the heading does not exist.
 */
export function catalogueError<N extends ErrorName>(name: N, ...[options]: N extends ErrorKey ? [OptionsFor<N>?] : [OptionsFor<N>]): OmniError {
  const o: CatalogueErrorOptions<string> = options ?? {};
  const errors = bundle('errors');
  const key = o.variant ? `${name}.${o.variant}` : name;
  const actionsKey = `${key}.actions`;
  return new OmniError(errors.getMessage(key, o.tokens ?? []), {
    name,
    exitCode: o.exitCode ?? (ERROR_CATALOGUE as Record<string, number>)[key],
    cause: o.cause,
    data: o.data,
    actions: [...(errors.messages.has(actionsKey) ? errors.getMessages(actionsKey, o.actionTokens ?? []) : []), ...(o.moreActions ?? [])],
  });
}

/**
 * The text of a warning (scripts/lib/warning-catalogue.ts): the heading `key` of `messages/warnings.md`
 * with its `%s` placeholders filled from `tokens`, in order. Throws (a programming error) when the heading
 * does not exist.
 */
export function warningText(key: WarningKey, tokens: Token[] = []): string {
  return bundle('warnings').getMessage(key, tokens);
}

/**
 * A warning whose text depends on a count: the heading `key` of `messages/warnings.md` lists the whole text
 * for one, then for any other count (as `countText`), `%s` filled from `tokens` in order.
 */
export function warningCountText(key: WarningKey, count: number, tokens: Token[] = []): string {
  return oneOrOther('warnings', key, count, tokens);
}

/**
 * `text` stored one byte per character when every character fits in one (Latin-1). The bundle's file holds a few
 * characters beyond Latin-1 (–, …, ≥), so V8 keeps the whole file, and every text cut from it, two bytes per
 * character, and so is every finding worded from such a text: 20,000 findings at 10,000 configurations,
 * ~2.3 MB more kept (bench/RESULTS.md, "Validate at scale").
 */
function latin1Copy(text: string): string {
  return /[^\u0000-\u00ff]/.test(text) ? text : Buffer.from(text, 'latin1').toString('latin1');
}

/** The texts of messages/rules.md split at their `%s`, by key: each is looked up and split once per run. */
const ruleTemplates = new Map<string, readonly string[]>();

/**
 * The text of a validation finding: the heading `key` of `messages/rules.md` (a rule id or
 * `<id>.<variant>`; `<key>.hint` is its fix, `<key>.related` the note of a related location) with its `%s`
 * placeholders filled from `tokens` in order, as core's `Messages.getMessage` fills them. validate may report
 * thousands of findings, so the bundle is loaded on the first one and each text is split once: a finding
 * then costs a map lookup and a join, no format call. Throws (a programming error) when the
 * heading does not exist.
 */
export function ruleText(key: string, tokens: ReadonlyArray<Token | undefined> = []): string {
  let parts = ruleTemplates.get(key);
  if (!parts) {
    const text = bundle('rules').messages.get(key);
    if (typeof text !== 'string') throw new Error(`messages/rules.md has no text under "# ${key}"`);
    parts = text.split('%s').map(latin1Copy);
    ruleTemplates.set(key, parts);
  }
  if (parts.length === 1) return parts[0];
  // Joined, not concatenated: one flat string per text instead of a chain of pieces (20,000 findings kept).
  // The pieces' array made at its size, not grown by push (a new backing store per growth).
  const pieces = new Array<string>(2 * parts.length - 1);
  pieces[0] = parts[0];
  for (let i = 1; i < parts.length; i++) {
    pieces[2 * i - 1] = i <= tokens.length ? String(tokens[i - 1]) : '%s';
    pieces[2 * i] = parts[i];
  }
  return pieces.join('');
}

/**
 * The summary of validation rule `id` (scripts/validate/catalogue.ts): the heading `id` of
 * `messages/rule-summaries.md`, its `%s` filled from `tokens` in order. Throws when the heading is missing.
 */
export function ruleSummary(id: string, tokens: Token[] = []): string {
  return bundle('rule-summaries').getMessage(id, tokens);
}

/** Bundles of engine text read with `messageText`/`messageList` (one per area; a command's help is its own bundle). */
export type TextBundle = 'setup-stages' | 'assign-findings' | 'assign-output' | 'command-output' | 'deploy-output' | 'doctor-checks' | 'explain-checks' | 'graph-output' | 'org-errors' | 'setup-output' | 'validate-output' | 'input';

/**
 * The text under the heading `key` of `messages/<name>.md`, its `%s` placeholders filled from `tokens` in
 * order (core's `Messages.getMessage`). Throws (a programming error) when the heading does not exist.
 */
export function messageText(name: TextBundle, key: string, tokens: Array<Token | null | undefined> = []): string {
  return bundle(name).getMessage(key, tokens);
}

/**
 * A text that depends on a count (`1 profile`, `2 profiles`; `1 record differs`, `2 records differ`): the
 * heading `key` of `messages/<name>.md` is a list of two forms of the whole text, the one for a count of 1
 * first, then the one for every other count, each with the same `%s` placeholders, filled from `tokens` in
 * order (the count itself is one of them where the text shows it). Whole texts, not a noun with an "s"
 * appended, so verbs and articles agree as well; a language with more plural forms adds items.
 */
export function countText(name: TextBundle, key: string, count: number, tokens: Array<Token | null | undefined> = []): string {
  return oneOrOther(name, key, count, tokens);
}

/** The form for one or for any other count of the two-item list under `key` (core fills `%s` across items). */
function oneOrOther(name: string, key: string, count: number, tokens: Array<Token | null | undefined>): string {
  const forms = bundle(name).getMessages(key, [...tokens, ...tokens]);
  if (forms.length !== 2) throw new Error(`messages/${name}.md "# ${key}" must list two forms (one, other)`);
  return count === 1 ? forms[0] : forms[1];
}

/**
 * The list under the heading `key` of `messages/<name>.md` (its `- ` items; e.g. a failure's "Try this"
 * actions), the `%s` of the items filled from `tokens` in order, across items (core's `Messages.getMessages`).
 */
export function messageList(name: TextBundle, key: string, tokens: Array<Token | null | undefined> = []): string[] {
  return bundle(name).getMessages(key, tokens);
}
