/**
 * Running @salesforce/core in this process as if it were a process of its own with another HOME: core reads the
 * auth store and the sf config from this process's HOME and cwd (not from an env it is given), and caches them per
 * HOME and cwd. So for the duration of `fn` both are switched (HOME, the SF_ variables, the cwd) and core's
 * caches are dropped, then everything is restored. Test files run one test at a time, so no other run sees the
 * switch. The process boundary itself (a real process reading its own HOME) stays covered by the spawned runs in
 * test/cli/, test/local-org/sf-cli.test.ts and test/org/.
 */
export async function withSfHome<T>(env: NodeJS.ProcessEnv, cwd: string | undefined, fn: () => Promise<T>): Promise<T> {
  const core = await import('@salesforce/core');
  const saved = new Map<string, string | undefined>();
  const keys = Object.keys(env).filter((k) => k === 'HOME' || k.startsWith('SF_'));
  for (const key of [...keys, 'SF_ACCESS_TOKEN', 'SF_TARGET_ORG']) saved.set(key, process.env[key]);
  const before = process.cwd();
  const reset = async () => {
    core.StateAggregator.clearInstance();
    await core.ConfigAggregator.clearInstance();
  };
  try {
    delete process.env.SF_ACCESS_TOKEN;
    delete process.env.SF_TARGET_ORG;
    for (const key of keys) process.env[key] = env[key];
    if (cwd) process.chdir(cwd);
    await reset();
    return await fn();
  } finally {
    process.chdir(before);
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await reset();
  }
}

/**
 * Stores `alias` in the sf HOME of `env` for `org`, logged in with a refresh token (as `sf org login web` stores it)
 * that the org does not grant, then ends the org's sessions: the next request through the alias needs a refresh,
 * which the org refuses (invalid_grant) — a session lost for good, not cured by a refresh.
 */
export async function aliasWithRevokedRefreshToken(env: NodeJS.ProcessEnv, org: { refreshToken: string; instanceUrl: string; revokeSessions(): void }, alias: string): Promise<void> {
  await withSfHome(env, undefined, async () => {
    const { AuthInfo } = await import('@salesforce/core');
    const auth = await AuthInfo.create({ oauth2Options: { clientId: 'PlatformCLI', refreshToken: org.refreshToken, loginUrl: org.instanceUrl } as never });
    auth.update({ refreshToken: 'revoked-refresh-token' });
    await auth.save();
    await auth.handleAliasAndDefaultSettings({ alias, setDefault: false, setDefaultDevHub: false });
  });
  org.revokeSessions();
}
