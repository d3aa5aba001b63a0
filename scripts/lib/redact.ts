/**
 * Last line of defence against printing secrets: every byte the CLI writes passes through here.
 * Salesforce access tokens look like `00D…!AQ…`; refresh tokens `5Aep…`; plus anything in
 * `Bearer …`, `access_token=…`, `"accessToken": "…"` and `<sessionId>…</sessionId>` forms.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [/\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]{20,}/g, '<redacted-token>'],
  [/\b5Aep[A-Za-z0-9._]{40,}/g, '<redacted-token>'],
  [/(Bearer\s+)[A-Za-z0-9!._~+/=-]{16,}/gi, '$1<redacted>'],
  // A value starting with <, $ or … is a placeholder in help text (SF_ACCESS_TOKEN=<token>), not a secret.
  [/((?:access_token|refresh_token|client_secret|password|sessionId)=)(?![<$…])[^&\s"']+/gi, '$1<redacted>'],
  [/("(?:accessToken|access_token|refreshToken|refresh_token|password|clientSecret|sessionId)"\s*:\s*")[^"]*(")/gi, '$1<redacted>$2'],
  [/(<(?:[A-Za-z]+:)?sessionId>)[^<]*(<\/(?:[A-Za-z]+:)?sessionId>)/gi, '$1<redacted>$2'],
];

const extraSecrets = new Set<string>();

/** Register a secret value (e.g. a token read from the environment) so it is masked wherever it appears. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) extraSecrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  // includes() first: split/join would copy the whole text even when the secret is absent, and a
  // --json result can be tens of MB (a plan for 100,000 users).
  for (const secret of extraSecrets) if (out.includes(secret)) out = out.split(secret).join('<redacted>');
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

const UNREDACTED = Symbol.for('omni-presence.unredacted-write');

/**
 * Writes `text` to stdout as it is, past the output routing's redaction (scripts/cli/run-context.ts): the
 * one deliberate exception, `omni org local --json`, whose throwaway loopback token scripts need.
 */
export function writeUnredacted(text: string): void {
  const flags = globalThis as Record<symbol, unknown>;
  flags[UNREDACTED] = true;
  try {
    process.stdout.write(text);
  } finally {
    flags[UNREDACTED] = false;
  }
}

/** True while {@link writeUnredacted} writes. */
export function redactionSuspended(): boolean {
  return (globalThis as Record<symbol, unknown>)[UNREDACTED] === true;
}
