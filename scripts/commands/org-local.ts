/**
 * `omni org local`: runs the local org (local-org/index.ts) in the foreground until SIGINT or
 * SIGTERM, then flushes its state file and exits 0.
 */
import { accessSync, chmodSync, constants, existsSync, mkdirSync, rmSync } from 'node:fs';
import { writePrivateFileSync } from '../lib/state-file.ts';
import { delimiter, dirname, join, relative, resolve, sep } from 'node:path';
import { defineCommand, type CommandContext } from '../cli/command.ts';
import type { LocalOrg } from '../../local-org/index.ts';
import { catalogueError, messageText, warningText } from '../lib/messages.ts';
import { writeUnredacted } from '../lib/redact.ts';
import { commandPrefix, omniCommandLine } from '../lib/io.ts';
import { salesforceCore } from '../org/core.ts';
import { onStopSignals, type StopSignal } from '../lib/signals.ts';

export interface OrgLocalResult {
  instanceUrl: string;
  username: string;
  orgId: string;
  stateFile: string | null;
  alias: string | null;
  /** Features the org has (each brings its built-in service channel). */
  features: string[];
  /** API versions the org serves. */
  apiVersions: { min: string; max: string };
  /** Only in the `--json` line printed at start-up; never in human output. */
  accessToken?: string;
}

const DEFAULT_STATE_FILE = '.local-org/state.json';

function integerFlag(ctx: CommandContext, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = ctx.flags[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw catalogueError('UsageError', { variant: 'integerRange', tokens: [name, min, max, String(raw)], actionTokens: [omniCommandLine(ctx, 'org local')] });
  return n;
}

/**
 * Registers the org in the sf CLI auth store as a web login leaves it: AuthInfo from the refresh token
 * (core runs the refresh_token grant, then /services/oauth2/userinfo to learn the username), save, then
 * the alias. Throws what @salesforce/core throws (the caller warns). Finding: core and the sf CLI accept http://127.0.0.1:<port> as
 * instance and login URL — they only warn "Using insecure protocol: http:" — so no https or
 * *.salesforce.com login URL is needed.
 */
export async function registerAlias(org: Pick<LocalOrg, 'instanceUrl' | 'refreshToken'>, alias: string): Promise<void> {
  const { AuthInfo } = salesforceCore();
  // With the refresh token, as a real login stores it: an access token that expires or is revoked (the
  // injected `session` fault) is refreshed through the org's refresh_token grant instead of breaking the alias.
  const authInfo = await AuthInfo.create({
    oauth2Options: { refreshToken: org.refreshToken, loginUrl: org.instanceUrl },
  });
  await authInfo.save();
  await authInfo.handleAliasAndDefaultSettings({ alias, setDefault: false, setDefaultDevHub: false });
}

/**
 * Resolves on the first SIGINT/SIGTERM. The listeners stay installed until the process ends: the
 * signal-exit module (loaded by @salesforce/core) re-raises a signal when it finds itself the only
 * listener left, which would kill us before the state is flushed.
 */
/**
 * A command line as the user can type it: `bin …` when `bin` is an executable on PATH outside any
 * node_modules/.bin (those entries are what npx and npm scripts add, the user's shell has none), else
 * `npx bin …` — the sf CLI and the omni bin of this project run only that way from a project.
 */
function shellCommand(line: string, env: NodeJS.ProcessEnv): string {
  const bin = line.split(' ')[0] as string;
  const names = process.platform === 'win32' ? [`${bin}.cmd`, `${bin}.exe`, bin] : [bin];
  const onPath = (env.PATH ?? '').split(delimiter).some((dir) => dir && !dir.split(sep).includes('node_modules') && names.some((name) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }));
  return onPath ? line : `npx ${line}`;
}

/**
 * The alias the printed login command sets: `local`, or `local-2`, `local-3`, … when the sf CLI's auth store
 * already gives that alias to another user (another local org, one stopped long ago, a real org), so that
 * running the command never silently repoints an alias scripts use. An alias that already names this org's
 * user (the same state file, restarted) is kept. An unreadable auth store: `local`.
 */
async function freeLocalAlias(username: string): Promise<string> {
  for (let n = 1; ; n++) {
    const alias = n === 1 ? 'local' : `local-${n}`;
    const holder = await aliasHolder(alias);
    if (!holder || holder === username) return alias;
  }
}

/** The username the sf CLI's auth store gives `alias`, or undefined (none, or an unreadable store). */
async function aliasHolder(alias: string): Promise<string | undefined> {
  try {
    return (await salesforceCore().StateAggregator.getInstance()).aliases.getUsername(alias) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first SIGINT/SIGTERM. A trap (scripts/lib/signals.ts), kept for the rest of the run: the command stops the
 * server, flushes its state and exits 0 itself, and a second signal while it stops changes nothing.
 */
function waitForSignal(): Promise<StopSignal> {
  return new Promise((resolveSignal) => {
    onStopSignals(resolveSignal);
  });
}

export default defineCommand<OrgLocalResult>({
  id: 'org local',
  flags: {
    port: { type: 'string', integer: { min: 0, max: 65535 }, default: '0', valueName: 'N' },
    state: { type: 'string', default: DEFAULT_STATE_FILE, valueName: 'FILE' },
    alias: { type: 'string', valueName: 'NAME' },
    'seed-users': { type: 'string', integer: { min: 0, max: 1_000_000 }, valueName: 'N' },
    'latency-ms': { type: 'string', integer: { min: 0, max: 60_000 }, valueName: 'N' },
    'fault-rate': { type: 'string', valueName: 'R' },
    'fault-seed': { type: 'string', integer: { min: 0, max: 2 ** 32 - 1 }, valueName: 'S' },
    'omni-disabled': { type: 'boolean' },
    'api-requests-remaining': { type: 'string', integer: { min: 0, max: 15_000 }, valueName: 'N' },
    features: {
      type: 'string',
      valueName: 'LIST',
    },
  },
  async run(ctx) {
    const port = integerFlag(ctx, 'port', 0, 65535) ?? 0;
    const seedUsers = integerFlag(ctx, 'seed-users', 0, 1_000_000);
    const latencyMs = integerFlag(ctx, 'latency-ms', 0, 60_000);
    const faultSeed = integerFlag(ctx, 'fault-seed', 0, 2 ** 32 - 1);
    const apiRequestsRemaining = integerFlag(ctx, 'api-requests-remaining', 0, 15_000);
    let faultRate: number | undefined;
    if (ctx.flags['fault-rate'] !== undefined) {
      faultRate = Number(ctx.flags['fault-rate']);
      if (!Number.isFinite(faultRate) || faultRate < 0 || faultRate > 1) throw catalogueError('UsageError', { variant: 'faultRate', tokens: [String(ctx.flags['fault-rate'])] });
    }
    const stateFile = resolve(ctx.cwd, String(ctx.flags.state ?? DEFAULT_STATE_FILE));
    try {
      mkdirSync(dirname(stateFile), { recursive: true, mode: 0o700 });
      if (dirname(stateFile).endsWith('.local-org')) chmodSync(dirname(stateFile), 0o700);
      // The org saves its state there on every change: writable before it starts, not at its first save.
      const probe = `${stateFile}.${process.pid}.probe`;
      writePrivateFileSync(probe, '', { sync: false });
      rmSync(probe, { force: true });
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      const shown = relative(ctx.cwd, stateFile) || stateFile;
      throw catalogueError('StateFileUnusable', { variant: 'unwritable', tokens: [shown, e.code ?? 'error', e.message.replace(/^[A-Z]+: /, '')], cause: error });
    }
    const alias = typeof ctx.flags.alias === 'string' ? ctx.flags.alias : undefined;
    // Warnings go to stderr in human mode and into the one JSON line under --json.
    const warnings: string[] = [];
    const warn = (message: string) => {
      warnings.push(message);
      ctx.warn(message);
    };
    const omniDisabled = ctx.flags['omni-disabled'] === true;
    let features: Array<'Voice' | 'Messaging' | 'Chat'> | undefined;
    if (typeof ctx.flags.features === 'string') {
      const known = ['Voice', 'Messaging', 'Chat'] as const;
      const names = ctx.flags.features.split(',').map((f) => f.trim()).filter(Boolean);
      const unknown = names.filter((n) => !known.some((k) => k.toLowerCase() === n.toLowerCase()));
      if (unknown.length) throw catalogueError('UsageError', { variant: 'features', tokens: [unknown.join(', ')] });
      features = known.filter((k) => names.some((n) => n.toLowerCase() === k.toLowerCase()));
    }
    if (existsSync(stateFile)) {
      // Seeding happens only when the org is created; say so instead of silently ignoring the flags.
      const ignored = [seedUsers !== undefined ? '--seed-users' : '', omniDisabled ? '--omni-disabled' : '', features ? '--features' : ''].filter(Boolean);
      if (ignored.length) warn(warningText('LocalOrgFlagsIgnored', [ignored.join(' and '), stateFile]));
    }

    const { startLocalOrg, StateFileError, StateFileInUse } = await import('../../local-org/index.ts');
    let org: LocalOrg;
    try {
      org = await startLocalOrg({
        port,
        stateFile,
        seedUsers,
        latencyMs,
        faultRate,
        faultSeed,
        omniDisabled,
        features,
        dailyApiRequests: apiRequestsRemaining === undefined ? undefined : { remaining: apiRequestsRemaining },
      });
    } catch (error) {
      if (error instanceof StateFileInUse) {
        throw error.port
          ? catalogueError('StateFileInUse', { tokens: [error.message], actionTokens: [error.port] })
          : catalogueError('StateFileInUse', { variant: 'starting', tokens: [error.message] });
      }
      if (error instanceof StateFileError) {
        throw catalogueError('StateFileUnusable', { tokens: [error.message] });
      }
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw catalogueError('PortInUse', { tokens: [String(port)] });
      }
      throw error;
    }
    const signal = waitForSignal();
    try {
      if (alias) {
        // Repointing an alias another org holds is what --alias asks for; said, not done silently.
        const holder = await aliasHolder(alias);
        if (holder && holder !== org.username) warn(warningText('AliasReplaced', [alias, holder]));
        try {
          await registerAlias(org, alias);
        } catch (error) {
          warn(warningText('AliasNotRegistered', [alias, (error as Error).message]));
        }
      }
      const result: OrgLocalResult = { instanceUrl: org.instanceUrl, username: org.username, orgId: org.orgId, stateFile, alias: alias ?? null, features: org.features, apiVersions: org.apiVersions };
      if (ctx.json) {
        // Deliberately unredacted and only here: scripts need the token to talk to this loopback dev
        // org. Written straight to stdout because the framework prints its envelope only at the end.
        writeUnredacted(
          JSON.stringify({
            status: 0,
            result: { instanceUrl: org.instanceUrl, accessToken: org.accessToken, username: org.username, orgId: org.orgId, stateFile, features: org.features, apiVersions: org.apiVersions },
            warnings,
          }) + '\n',
        );
      } else {
        ctx.ui.log(messageText('command-output', 'orgLocal.running', [org.instanceUrl]));
        ctx.ui.log(`  username  ${org.username}`);
        ctx.ui.log(`  org id    ${org.orgId}`);
        ctx.ui.log(`  state     ${stateFile}`);
        ctx.ui.log(`  features  ${messageText('command-output', 'orgLocal.features', [org.features.join(', ') || messageText('command-output', 'orgLocal.none'), org.apiVersions.min, org.apiVersions.max])}`);
        ctx.ui.log('');
        if (alias) {
          ctx.ui.log(messageText('command-output', 'orgLocal.useWithAlias', [shellCommand('sf', ctx.env), alias]));
          ctx.ui.log(messageText('command-output', 'orgLocal.useWithAlias.omni', [shellCommand(commandPrefix(ctx), ctx.env), alias]));
        } else {
          // Never the token itself: the command reads it from the 0600 state file. (Asking a second
          // `omni org local --json` for it would start a second server writing the same state file.)
          // Quoted, so that redact()'s `access_token=<value>` rule leaves the command intact.
          const tokenFromState = `"$(node -p 'require(${JSON.stringify(stateFile)}).meta.credentials.accessToken')"`;
          ctx.ui.log(messageText('command-output', 'orgLocal.useWith'));
          const loginAlias = await freeLocalAlias(org.username);
          ctx.ui.log(`  SF_ACCESS_TOKEN=${tokenFromState} ${shellCommand('sf', ctx.env)} org login access-token --instance-url ${org.instanceUrl} --alias ${loginAlias} --no-prompt`);
        }
        ctx.ui.log(messageText('command-output', 'orgLocal.stop'));
      }
      await signal;
      await org.stop();
      if (ctx.json) {
        // The start-up line was this command's one JSON line; exiting here keeps the framework from
        // printing a second envelope (state is already flushed by stop()).
        process.exit(0);
      }
      return { status: 0, result };
    } catch (error) {
      await org.stop();
      throw error;
    }
  },
  render(result, ui) {
    ui.log(messageText('command-output', 'orgLocal.stopped', [result.stateFile]));
  },
});
