/**
 * User text lives in message bundles (`messages/*.md`, one per area), loaded with @salesforce/core's
 * `Messages` as sf plugins do (https://github.com/forcedotcom/sfdx-core#messages). A heading is a key;
 * `<key>.actions` holds the "Try this" list. Error names are headings of `messages/errors.md`: one name per
 * condition, variants of a condition are `<name>.<variant>` headings.
 */
import { createRequire } from 'node:module';
import type { Messages } from '@salesforce/core/messages';
import { OmniError } from './errors.ts';

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

export interface CatalogueErrorOptions {
  /** `<name>.<variant>` heading to take the text from (the error's name stays `name`). */
  variant?: string;
  /** Tokens for the `%s` placeholders of the message. */
  tokens?: Token[];
  /** Tokens for the `%s` placeholders of the actions. */
  actionTokens?: Token[];
  /** Actions that come from another catalogue (e.g. the fixes of failed doctor checks), after the bundle's. */
  moreActions?: string[];
  exitCode?: number;
  cause?: unknown;
  data?: unknown;
}

/**
 * An OmniError whose name is a heading of `messages/errors.md`, with the message and actions of that
 * heading (or of its variant). Throws (a programming error) when the heading does not exist.
 */
export function catalogueError(name: string, options: CatalogueErrorOptions = {}): OmniError {
  const errors = bundle('errors');
  const key = options.variant ? `${name}.${options.variant}` : name;
  const actionsKey = `${key}.actions`;
  return new OmniError(errors.getMessage(key, options.tokens ?? []), {
    name,
    exitCode: options.exitCode,
    cause: options.cause,
    data: options.data,
    actions: [...(errors.messages.has(actionsKey) ? errors.getMessages(actionsKey, options.actionTokens ?? []) : []), ...(options.moreActions ?? [])],
  });
}
