/**
 * What a person sees on a terminal versus a script: the production confirmation (sf's prompt, asked on a TTY,
 * refused without one unless --no-prompt), sf's multi-stage output only on a TTY, and nothing but the JSON
 * envelope under --json — against local orgs over HTTP, the TTY being a real pseudo-terminal.
 *
 * Six `omni` processes on a pseudo-terminal, each showing what only a TTY shows: the production question answered
 * "n" and "y" (two answers, two runs), the sandbox deploy (no question; its stages and table — one run read by
 * both tests, the same command line), and --json of deploy, plan and a dry run (three commands: the envelope and
 * nothing else where progress would otherwise be drawn). What needs no terminal runs in-process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../local-org/server.ts';
import { api, dataPath, makeSfHome, startTestOrg, type ProcessResult, type SfHome } from '../helpers/local-org.ts';
import { omni, omniOnTty } from './helpers.ts';
import { omniInProcess } from '../helpers/omni.ts';
import { makeProject } from '../helpers/project.ts';

let home: SfHome;
beforeAll(() => {
  home = makeSfHome();
});
afterAll(() => home?.cleanup());

/**
 * The text a terminal shows of `raw`, as one string: escape sequences (colours, cursor moves) removed, and the
 * line breaks a prompt puts where the terminal's width ends joined (sf's prompt wraps at 80 columns).
 */
function screenText(raw: string): string {
  return raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r?\n/g, '');
}

async function declineReasons(org: LocalOrg): Promise<number> {
  const r = await api(org, 'GET', dataPath(`/query?q=${encodeURIComponent('SELECT Id FROM PresenceDeclineReason')}`));
  return r.body.totalSize;
}

const deployCalls = (org: LocalOrg) => Object.entries(org.stats().byEndpoint).filter(([k]) => k === 'soap/metadata:deploy').reduce((n, [, v]) => n + v, 0);

describe('production org confirmation', () => {
  let prod: LocalOrg;
  beforeAll(async () => {
    prod = await startTestOrg({ orgType: 'production' });
  });
  afterAll(async () => prod?.stop());

  it('without a TTY: refused with the --no-prompt hint, no deploy request, org unchanged', async () => {
    const p = makeProject();
    try {
      prod.resetStats();
      const r = await omni(prod, home, p.dir, ['deploy', '--json']);
      expect(r.code).toBe(1);
      expect(r.json.name).toBe('ProductionConfirmationRequired');
      expect(r.json.actions.join(' ')).toContain('--no-prompt');
      expect(deployCalls(prod)).toBe(0);
      expect(await declineReasons(prod)).toBe(0);
    } finally {
      p.cleanup();
    }
  });

  it('on a TTY: asks; "n" deploys nothing, "y" deploys', async () => {
    const p = makeProject();
    try {
      prod.resetStats();
      const no = await omniOnTty(prod, home, p.dir, ['deploy'], 'n');
      // sf's prompt (@inquirer/confirm): "? question (y/N)", then "✔ question No" once answered. It breaks
      // the line at the terminal's width and redraws with cursor moves, so the screen's text is compared.
      expect(screenText(no.stdout)).toMatch(/\? Deploy Omni-Channel metadata in PRODUCTION org "Omni Local Org" \(127\.0\.0\.1:\d+\)\? \(y\/N\)/);
      expect(screenText(no.stdout)).toMatch(/✔ Deploy Omni-Channel metadata in PRODUCTION org "Omni Local Org" \(127\.0\.0\.1:\d+\)\? No/);
      expect(no.code).toBe(1);
      expect(no.stdout).toContain('ProductionConfirmationRequired');
      expect(deployCalls(prod)).toBe(0);
      expect(await declineReasons(prod)).toBe(0);

      const yes = await omniOnTty(prod, home, p.dir, ['deploy'], 'y');
      expect(yes.code, yes.stdout).toBe(0);
      expect(screenText(yes.stdout)).toMatch(/✔ Deploy Omni-Channel metadata in PRODUCTION org "Omni Local Org" \(127\.0\.0\.1:\d+\)\? Yes/);
      // The stages pause for the question (drawn above it) and go on below the answer, from the paused stage.
      const shown = screenText(yes.stdout);
      const answered = shown.indexOf('✔ Deploy Omni-Channel metadata in PRODUCTION');
      expect(shown.indexOf('✔ Validating the files ')).toBeLessThan(shown.indexOf('? Deploy Omni-Channel metadata in PRODUCTION'));
      expect(shown.indexOf('✔ Connecting to the org ', answered)).toBeGreaterThan(answered);
      expect(shown.indexOf('✔ Deploying ', answered)).toBeGreaterThan(answered);
      expect(deployCalls(prod)).toBe(1);
      expect(await declineReasons(prod)).toBe(3);
    } finally {
      p.cleanup();
    }
  });

  it('--no-prompt deploys without asking (scripts and CI)', async () => {
    const p = makeProject();
    try {
      for (const flag of ['--no-prompt', '--yes']) {
        const r = await omni(prod, home, p.dir, ['deploy', flag, '--json']);
        expect(r.code, `${flag}: ${r.stdout}`).toBe(0);
        expect(r.json.result.org.orgType).toBe('production');
      }
    } finally {
      p.cleanup();
    }
  });

});

describe('a sandbox: not asked, progress and --json', () => {
  let org: LocalOrg;
  beforeAll(async () => {
    org = await startTestOrg({ orgType: 'sandbox' });
  });
  afterAll(async () => org?.stop());

  /**
   * `omni deploy` on a pseudo-terminal against the sandbox, run once: the two tests below read the same command
   * line's screen (one asks whether it was asked, the other what its progress showed), so one process serves both.
   */
  let ttyDeploy: Promise<ProcessResult> | undefined;
  const deployOnTty = () =>
    (ttyDeploy ??= (async () => {
      const p = makeProject();
      try {
        return await omniOnTty(org, home, p.dir, ['deploy']);
      } finally {
        p.cleanup();
      }
    })());

  it('a sandbox is not asked about', async () => {
    const r = await deployOnTty();
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).not.toContain('(y/N)');
  });

  it("on a TTY: sf's multi-stage output (each stage done, the components deployed), then sf's table", async () => {
    const r = await deployOnTty();
    expect(r.code, r.stdout).toBe(0);
    const out = screenText(r.stdout);
    const at = (s: string) => {
      const i = out.indexOf(s);
      expect(i, `${s} in\n${out}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    // @oclif/multi-stage-output's last frame: every stage ticked with its time, in order, the deploy's
    // component count under it (22: the 21 Omni components of the sample and miaw's sound, a StaticResource).
    expect(at('✔ Validating the files ')).toBeLessThan(at('✔ Connecting to the org '));
    expect(at('✔ Connecting to the org ')).toBeLessThan(at('✔ Checking references and assignments in the org '));
    expect(at('✔ Checking references and assignments in the org ')).toBeLessThan(at('✔ Deploying '));
    expect(out).toMatch(/✔ Deploying \d+(\.\d+)?m?s *▸ Components: 22\/22/);
    expect(out).toMatch(/Elapsed Time: /);
    // sf's table (sf-plugins-core's, as sf project deploy start prints its components), below the stages
    expect(at('Elapsed Time: ')).toBeLessThan(at('│ State '));
    expect(r.stdout).toMatch(/^│ State +│ Type +│ Name +│ File +│\r?$/m);
    expect(r.stdout).toMatch(/^│ Created +│ PresenceUserConfig +│ miaw +│ force-app\/main\/default\/presenceUserConfigs\/miaw\.presenceUserConfig-meta\.xml +│\r?$/m);
    expect(r.stdout).not.toContain(org.accessToken);
  });

  it('without a TTY (and not in CI): no progress at all', async () => {
    const p = makeProject();
    try {
      // In-process, stderr not a terminal and CI unset: the decision is the CLI's, from its streams and env (a
      // real process on a pipe is the same answer; the pseudo-terminal cases above are the spawned ones).
      const r = await omniInProcess(org, p.dir, ['deploy'], { env: { ...home.env, CI: undefined } });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stderr).not.toContain('\r');
      expect(r.stdout + r.stderr).not.toMatch(/Validating the files|Connecting to the org|Components: \d/);
      expect(r.stdout).toMatch(/^Deploy 0Af\w+: Succeeded — /m);
    } finally {
      p.cleanup();
    }
  });

  it('--json on a TTY: the terminal shows the JSON envelope and nothing else', async () => {
    const p = makeProject();
    try {
      for (const args of [['deploy', '--json'], ['plan', '--json'], ['deploy', '--dry-run', '--json']]) {
        const r = await omniOnTty(org, home, p.dir, args);
        expect(r.code, r.stdout).toBe(0);
        const json = JSON.parse(r.stdout);
        expect(json.status).toBe(0);
        expect(json.result).toBeTruthy();
      }
    } finally {
      p.cleanup();
    }
  });
});
