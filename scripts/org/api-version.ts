/**
 * An API version the org does not serve, said plainly. A version asked for by `--api-version`, the sf config's
 * `org-api-version` or its environment variable (SF_ORG_API_VERSION, or the older SFDX_API_VERSION) is used as
 * given, as sf uses it; an org on an older release then answers every REST call with
 * `404 NOT_FOUND: The requested resource does not exist` and every Metadata API call with the fault
 * UNSUPPORTED_API_VERSION, neither of which names the version. After such a failure (never before: the good
 * path sends no extra request) the org's versions are read once, unauthenticated (`GET /services/data/`, REST API
 * Developer Guide, "Versions"), and a version outside them becomes ApiVersionNotServed: the version, where it came
 * from, the versions the org serves, and the fix for that source. Doctor's api-version check (the project's
 * sourceApiVersion) uses the same catalogue entry.
 */
import type { OmniError } from '../lib/errors.ts';
import { catalogueError } from '../lib/messages.ts';

/** Where the API version of a connection came from, when the user chose it (not the org's highest). */
export type ApiVersionSource = { kind: 'flag' } | { kind: 'env'; variable: string } | { kind: 'config'; global: boolean };

/** The version the command's connection uses, chosen by the user, and the org it talks to. */
interface Chosen {
  instanceUrl: string;
  /** How the user named the org (alias, username, host). */
  label: string;
  version: string;
  source: ApiVersionSource;
}

let chosen: Chosen | undefined;

/** What connectOrg chose for this command (undefined: the org's own highest version, or no connection yet). */
export function rememberApiVersionChoice(choice: Chosen | undefined): void {
  chosen = choice;
}

/**
 * Where a chosen version came from: the `org-api-version` entry of @salesforce/core's ConfigAggregator (`getInfo`:
 * its location, and `$VARIABLE` as its path for an environment variable), unless `--api-version` gives another
 * value. sf's `Flags.orgApiVersion` defaults to that config value, so a flag value equal to it is the config's.
 * `env`: the environment core read (process.env), to tell SF_ORG_API_VERSION from its older synonym SFDX_API_VERSION.
 * Undefined when nothing chose one (the org's highest is used).
 */
export function apiVersionSource(
  flagValue: string | undefined,
  info: { value?: unknown; path?: string; isEnvVar(): boolean; isGlobal(): boolean } | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ApiVersionSource | undefined {
  const configured = info?.value === undefined || info.value === null || info.value === '' ? undefined : String(info.value);
  if (flagValue && flagValue !== configured) return { kind: 'flag' };
  if (!info || configured === undefined) return undefined;
  // core names the new variable (`$SF_ORG_API_VERSION`) even when the value came from its older synonym.
  if (info.isEnvVar()) return { kind: 'env', variable: !env.SF_ORG_API_VERSION && env.SFDX_API_VERSION ? 'SFDX_API_VERSION' : info.path?.replace(/^\$/, '') || 'SF_ORG_API_VERSION' };
  return { kind: 'config', global: info.isGlobal() };
}

/** Whether an error (or one of its causes) is the org's answer to a version it does not serve. */
function refusedVersion(error: unknown): boolean {
  let e = error as { name?: unknown; errorCode?: unknown; message?: unknown; statusCode?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 6; depth++) {
    const said = `${String(e.name ?? '')} ${String(e.errorCode ?? '')} ${String(e.message ?? '')}`;
    if (/\bNOT_FOUND\b|UNSUPPORTED_API_VERSION|ERROR_HTTP_404/.test(said) || e.statusCode === 404) return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** The versions the org serves (`GET /services/data/`, no session needed), lowest and highest; undefined when unknown. */
export async function servedApiVersions(instanceUrl: string): Promise<{ min: number; max: number } | undefined> {
  try {
    const response = await fetch(new URL('/services/data/', instanceUrl), { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) return undefined;
    const versions = ((await response.json()) as Array<{ version?: unknown }>).map((v) => Number(v?.version)).filter((n) => Number.isFinite(n));
    return versions.length ? { min: Math.min(...versions), max: Math.max(...versions) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * ApiVersionNotServed for `error` when the org refused a request (REST NOT_FOUND, Metadata API
 * UNSUPPORTED_API_VERSION) and the version the user chose for this command is outside what the org serves;
 * undefined otherwise (the error stands as it is). Sends one request, and only after such a failure.
 */
export async function apiVersionNotServed(error: unknown): Promise<OmniError | undefined> {
  const choice = chosen;
  if (!choice || (error as { name?: unknown })?.name === 'ApiVersionNotServed' || !refusedVersion(error)) return undefined;
  const served = await servedApiVersions(choice.instanceUrl);
  const asked = Number(choice.version);
  if (!served || !Number.isFinite(asked) || (asked >= served.min && asked <= served.max)) return undefined;
  return notServedError(choice.label, choice.version, choice.source, served, error);
}

/** The catalogue error for `version` from `source` on an org serving `served`. */
export function notServedError(label: string, version: string, source: ApiVersionSource | { kind: 'sourceApiVersion' }, served: { min: number; max: number }, cause?: unknown): OmniError {
  const min = served.min.toFixed(1);
  const max = served.max.toFixed(1);
  switch (source.kind) {
    case 'flag':
      return catalogueError('ApiVersionNotServed', { variant: 'flag', tokens: [label, min, max, version], actionTokens: [max], cause });
    case 'env':
      return catalogueError('ApiVersionNotServed', { variant: 'env', tokens: [label, min, max, source.variable, version], actionTokens: [source.variable, source.variable, max], cause });
    case 'config': {
      const scope = source.global ? ' --global' : '';
      return catalogueError('ApiVersionNotServed', { variant: source.global ? 'globalConfig' : 'localConfig', tokens: [label, min, max, version], actionTokens: [scope, max, scope], cause });
    }
    default:
      return catalogueError('ApiVersionNotServed', { variant: 'sourceApiVersion', tokens: [label, min, max, version], actionTokens: [max], cause });
  }
}
