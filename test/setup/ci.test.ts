/**
 * The CI workflow and the scratch-org flow files, checked as files: the workflow parses as YAML and has
 * the jobs, gate and cleanup the project relies on; every command it runs exists (npm scripts, the omni
 * and sf binaries, the files they name); `npm run test:org` without a target explains and exits 0.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { REPO_ROOT, runProcess } from '../helpers/local-org.ts';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  'runs-on': string;
  env?: Record<string, string>;
  steps: Step[];
}

function loadWorkflow(): { on: Record<string, unknown>; jobs: Record<string, Job> } {
  const doc = parseDocument(readFileSync(join(REPO_ROOT, '.github/workflows/ci.yml'), 'utf8'), { prettyErrors: true });
  expect(doc.errors.map((e) => e.message)).toEqual([]);
  expect(doc.warnings.map((e) => e.message)).toEqual([]);
  return doc.toJS();
}

/** Files a command names (config/…, scripts/…), which must be in the repository. */
const namedFiles = (command: string) => [...command.matchAll(/(?:^|\s)((?:config|scripts)\/[\w./%-]+)/g)].map((m) => m[1]);

/** Every command line of a `run:` (continuations, && chains) that calls a project tool, checked to exist. */
function checkCommand(command: string): void {
  for (const part of command.split(/&&|\n/).map((s) => s.trim()).filter(Boolean)) {
    const words = part.split(/\s+/);
    if (words[0] === 'npm') {
      if (words[1] === 'run') expect(pkg.scripts, part).toHaveProperty([words[2]]);
      else expect(['ci', 'test'], part).toContain(words[1]);
    }
    if (words[0] === 'npx') {
      // omni included: npm ci links it there from the file: devDependency bin/ (test/cli/launcher.test.ts)
      const bin = words[1];
      expect(existsSync(join(REPO_ROOT, 'node_modules/.bin', bin)), `${part}: ${bin} is not installed by npm ci`).toBe(true);
    }
    if (words[0] === 'sf') expect(existsSync(join(REPO_ROOT, 'node_modules/.bin/sf')), part).toBe(true);
    if (words[0] === 'node') expect(existsSync(join(REPO_ROOT, words[1])), part).toBe(true);
    for (const file of namedFiles(part)) expect(existsSync(join(REPO_ROOT, file)), `${part}: ${file}`).toBe(true);
  }
}

describe('.github/workflows/ci.yml', () => {
  const wf = loadWorkflow();

  it('runs on every push and pull request', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
  });

  it('job test: Node 22, npm ci, npm run lint, npm test', () => {
    const steps = wf.jobs.test.steps;
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(22);
    const runs = steps.filter((s) => s.run).map((s) => s.run!.trim());
    expect(runs.slice(-3)).toEqual(['npm ci', 'npm run lint', 'npm test']);
  });

  it('job scratch-org: needs test, gated on DEVHUB_SFDX_URL with a notice for forks, doctor → setup → real-org suite, always deletes the org', () => {
    const job = wf.jobs['scratch-org'];
    expect(job.needs).toBe('test');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    expect(job.env?.DEVHUB_SFDX_URL).toBe('${{ secrets.DEVHUB_SFDX_URL }}');
    const [skip, ...rest] = job.steps;
    expect(skip.if).toBe("env.DEVHUB_SFDX_URL == ''");
    expect(skip.run).toMatch(/^echo "::notice::DEVHUB_SFDX_URL is not set .*skipping the scratch-org job\."$/);
    // Every other step runs only with the secret; the last one also after a failure.
    for (const s of rest) expect(s.if, s.name ?? s.run ?? s.uses).toMatch(/env\.DEVHUB_SFDX_URL != ''$/);
    const last = rest.at(-1)!;
    expect(last.if).toBe("always() && env.DEVHUB_SFDX_URL != ''");
    expect(last.run).toBe('npm run org:delete');
    expect(rest.filter((s) => s.if?.includes('always()'))).toEqual([last]);
    const runs = rest.filter((s) => s.run).map((s) => s.run!.trim());
    const order = [/sf org login sfdx-url --sfdx-url-file/, /^npm run org:create$/, /^npx omni doctor --target-org omni-scratch$/, /^npm run org:setup -- --no-prompt$/, /^npm run test:org$/, /^npm run org:delete$/];
    let at = -1;
    for (const pattern of order) {
      const found = runs.findIndex((r, i) => i > at && pattern.test(r));
      expect(found, `${pattern} after step ${at}`).toBeGreaterThan(at);
      at = found;
    }
    expect(rest.find((s) => s.run === 'npm run test:org')?.env).toEqual({ OMNI_E2E_TARGET_ORG: 'omni-scratch' });
    // The auth URL is a secret: it goes through a file that is removed, never onto a command line.
    const login = runs.find((r) => r.includes('sfdx-url'))!;
    expect(login).not.toMatch(/--sfdx-url\s+["$]/);
    expect(login).toMatch(/rm "\$RUNNER_TEMP\/devhub\.url"/);
  });

  it('every run: line calls npm scripts, binaries and files that exist (and so do the npm scripts it calls)', () => {
    const runs = Object.values(wf.jobs).flatMap((j) => j.steps.filter((s) => s.run).map((s) => s.run!));
    expect(runs.length).toBeGreaterThan(8);
    for (const r of runs) checkCommand(r.replace(/\\\n/g, ' '));
    const called = runs.flatMap((r) => [...r.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]));
    expect(new Set(called)).toEqual(new Set(['lint', 'org:create', 'org:setup', 'org:delete', 'test:org']));
    for (const name of called) checkCommand(pkg.scripts[name]);
  });
});

describe('package.json scripts', () => {
  it('run the omni CLI through the bin launcher (its Node-version check), never its .ts entry directly', () => {
    const omniRuns = Object.entries(pkg.scripts).filter(([, cmd]) => /scripts\/omni\.(ts|mjs)\b/.test(cmd));
    expect(omniRuns.map(([name]) => name)).toEqual(expect.arrayContaining(['omni', 'org:setup']));
    for (const [name, cmd] of omniRuns) expect(cmd, name).not.toMatch(/scripts\/omni\.ts\b/);
    // and so does the omni bin of node_modules/.bin (npx omni): bin/omni.mjs imports the launcher
    expect(readFileSync(join(REPO_ROOT, 'node_modules/.bin/omni'), 'utf8')).toMatch(/^import '\.\.\/scripts\/omni\.mjs';$/m);
  });
});

describe('npm run test:org', () => {
  it('without OMNI_E2E_TARGET_ORG says why nothing ran and exits 0', async () => {
    const env = { ...process.env };
    delete env.OMNI_E2E_TARGET_ORG;
    const npm = spawnSync('which', ['npm'], { encoding: 'utf8' }).stdout.trim();
    expect(npm, 'npm on the PATH').not.toBe('');
    const r = await runProcess(npm, ['run', '--silent', 'test:org'], { env, cwd: REPO_ROOT });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('test:org: OMNI_E2E_TARGET_ORG is not set, so the real-org suite did not run (nothing was tested).');
    expect(r.stdout).toContain('OMNI_E2E_TARGET_ORG=omni-scratch npm run test:org');
    expect(r.stdout).not.toContain('RUN'); // vitest never started
  });
});
