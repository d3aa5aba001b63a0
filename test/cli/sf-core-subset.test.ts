/**
 * The `omni` bin serves sf-plugins-core's `@salesforce/core` import from scripts/cli/sf-core-subset.ts and
 * its `@oclif/table` import from scripts/cli/oclif-table-absent.ts (scripts/omni.mjs), so that an offline
 * command does not load all of core (org, auth, jsforce) nor ink/react. Here: every name the installed
 * sf-plugins-core imports from those two packages is served, as the very object core's index exports; and
 * the bin, run as a process, still runs its commands as SfCommands without loading what they do not use.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import * as subset from '../../scripts/cli/sf-core-subset.ts';
import * as kitSubset from '../../scripts/cli/sf-kit-subset.ts';
import * as tsTypesSubset from '../../scripts/cli/sf-ts-types-subset.ts';
import * as tableAbsent from '../../scripts/cli/oclif-table-absent.ts';
import * as oclifSubset from '../../scripts/cli/oclif-core-subset.ts';
import { SERVED_TO_SF_PLUGINS_CORE } from '../../scripts/cli/standins/served.mjs';
import { REPO_ROOT } from '../helpers/paths.ts';
import { MODULE_TRACER, NODE, tracedBinProject } from '../helpers/traced-bin.ts';
import { makeSfHome, runProcess, startTestOrg } from '../helpers/local-org.ts';
import { makeProject } from '../helpers/project.ts';
import { omniOffline } from '../helpers/omni.ts';

const pluginsCoreLib = path.join(path.dirname(createRequire(import.meta.url).resolve('@salesforce/sf-plugins-core')));
const core = createRequire(path.join(pluginsCoreLib, 'x.js'))('@salesforce/core') as Record<string, unknown>;

/** Every name sf-plugins-core's modules import from `pkg` (static and dynamic imports, re-exports), per file. */
function namesImportedFrom(pkg: string): Map<string, string[]> {
  const quoted = `['"]${pkg.replace('/', '\\/')}['"]`;
  const forms = [
    new RegExp(`import\\s*\\{([^{}]*)\\}\\s*from\\s*${quoted}`, 'g'),
    new RegExp(`export\\s*\\{([^{}]*)\\}\\s*from\\s*${quoted}`, 'g'),
    new RegExp(`\\{([^{}]*)\\}\\s*=\\s*await\\s+import\\(\\s*${quoted}\\s*\\)`, 'g'),
  ];
  const wholeModule = new RegExp(`(import\\s+\\*\\s+as\\s+\\w+|import\\s+\\w+|export\\s+\\*)\\s+from\\s*${quoted}`);
  const dynamicImport = new RegExp(`import\\(\\s*${quoted}\\s*\\)`, 'g');
  const names = new Map<string, string[]>();
  const files = readdirSync(pluginsCoreLib, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  for (const file of files) {
    const source = readFileSync(path.join(pluginsCoreLib, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    // A namespace, default or `export *` import needs the whole module: the subset could not serve it.
    expect(source, `${file} imports ${pkg} as a whole`).not.toMatch(wholeModule);
    // A dynamic import must be destructured where it is awaited (the names are then read below).
    expect(source.match(dynamicImport)?.length ?? 0, `${file}: a dynamic import of ${pkg} not destructured`).toBe([...source.matchAll(forms[2])].length);
    for (const form of forms) {
      for (const match of source.matchAll(form)) {
        for (const part of match[1].split(',')) {
          const name = part.trim().split(/\s+as\s+|\s*:\s*/)[0];
          if (name) names.set(name, [...(names.get(name) ?? []), file]);
        }
      }
    }
  }
  return names;
}

const DEFERRED = ['Org', 'SfProject'];
/** The served modules of SERVED_TO_SF_PLUGINS_CORE, by file. */
const SERVED_MODULES = { 'sf-core-subset.ts': subset, 'sf-kit-subset.ts': kitSubset, 'sf-ts-types-subset.ts': tsTypesSubset };

describe('what the omni bin serves to sf-plugins-core', () => {
  test("every name sf-plugins-core imports from @salesforce/core is served, as core's own object", () => {
    const names = namesImportedFrom('@salesforce/core');
    // SfCommand's own imports (lib/sfCommand.js) are among them: the scan reads the installed package.
    expect(names.get('ConfigAggregator')).toContain('sfCommand.js');
    for (const [name, files] of names) {
      expect(Object.keys(subset), `${name}, imported by ${files.join(', ')}, is not in scripts/cli/sf-core-subset.ts`).toContain(name);
      expect(core[name], `@salesforce/core exports ${name}`).toBeDefined();
      if (!DEFERRED.includes(name)) expect((subset as Record<string, unknown>)[name], name).toBe(core[name]);
    }
  });

  test('Org and SfProject stand in for the real classes: statics, new, instanceof and prototype go to them', () => {
    for (const name of DEFERRED) {
      const real = core[name] as { prototype: object; resolve?: unknown; create?: unknown };
      const standIn = (subset as Record<string, unknown>)[name] as typeof real;
      expect(standIn.prototype).toBe(real.prototype);
      expect(Object.getPrototypeOf(standIn)).toBe(Object.getPrototypeOf(real));
      expect(Object.create(real.prototype) instanceof (standIn as unknown as new () => object)).toBe(true);
      expect({} instanceof (standIn as unknown as new () => object)).toBe(false);
    }
    expect((subset.Org as unknown as { create: unknown }).create).toBe((core.Org as { create: unknown }).create);
    expect((subset.SfProject as unknown as { resolve: unknown }).resolve).toBe((core.SfProject as { resolve: unknown }).resolve);
    // `new` builds a real instance (SfProject's constructor only stores the path).
    const project = new (subset.SfProject as unknown as new (p: string) => { getPath(): string })('/nowhere');
    expect(project).toBeInstanceOf(core.SfProject as new () => object);
    expect(project.getPath()).toBe('/nowhere');
  });

  test("every other package the bin serves to sf-plugins-core (kit, ts-types, core's sfError and messages files) gives each imported name as the package's own object", () => {
    const fromPlugins = createRequire(path.join(pluginsCoreLib, 'x.js'));
    const others = SERVED_TO_SF_PLUGINS_CORE.filter(([specifier]) => !['@salesforce/core', '@oclif/table', '@oclif/core'].includes(specifier));
    expect(others.map(([specifier]) => specifier)).toEqual(expect.arrayContaining(['@salesforce/kit', '@salesforce/ts-types', '@salesforce/core/sfError', '@salesforce/core/messages']));
    for (const [specifier, file] of others) {
      const names = namesImportedFrom(specifier);
      // Each is imported somewhere (an entry nothing imports would serve nothing).
      expect(names.size, specifier).toBeGreaterThan(0);
      const served = (SERVED_MODULES as Record<string, Record<string, unknown>>)[file];
      expect(served, `scripts/cli/${file} is imported by this test`).toBeDefined();
      const real = fromPlugins(specifier) as Record<string, unknown>;
      for (const [name, files] of names) {
        expect(real[name], `${specifier} exports ${name}`).toBeDefined();
        expect(served[name], `${name} from ${specifier}, imported by ${files.join(', ')}, served by scripts/cli/${file}`).toBe(real[name]);
      }
    }
  });

  test("every name sf-plugins-core imports from @oclif/core is served: Command and Flags as oclif's own objects, ux forwarding to oclif's", () => {
    const names = namesImportedFrom('@oclif/core');
    expect([...names.keys()].sort()).toEqual(expect.arrayContaining(['Command', 'Flags', 'ux']));
    const real = createRequire(path.join(pluginsCoreLib, 'x.js'))('@oclif/core') as Record<string, Record<string, unknown>>;
    for (const [name, files] of names) {
      expect(Object.keys(oclifSubset), `${name}, imported by ${files.join(', ')}, is not in scripts/cli/oclif-core-subset.ts`).toContain(name);
      if (name !== 'ux') expect((oclifSubset as Record<string, unknown>)[name], name).toBe(real[name]);
    }
    // sf-plugins-core reads ux's members (ux.stdout, ux.action.start…): each is oclif's own.
    for (const key of Object.keys(real.ux)) {
      expect(key in oclifSubset.ux, key).toBe(true);
      expect((oclifSubset.ux as unknown as Record<string, unknown>)[key], key).toBe(real.ux[key]);
    }
  });

  test('every name sf-plugins-core imports from @oclif/table is served, and says why it fails if called', () => {
    const names = namesImportedFrom('@oclif/table');
    expect(names.size).toBeGreaterThan(0);
    for (const name of names.keys()) expect(Object.keys(tableAbsent), name).toContain(name);
    expect(() => tableAbsent.printTable({ data: [] })).toThrow(/not loaded by the omni bin.*scripts\/cli\/ui\.ts/);
  });
});

describe('the omni bin as a process', () => {
  const { dir, traced, cleanup } = tracedBinProject('omni-subset-');
  afterAll(cleanup);

  // One process serves the checks of both the subset and the stand-ins (scripts/cli/standins/, test/cli/standins.test.ts):
  // the same command in the same one-file project.
  test('omni validate runs its SfCommand without core index, org, jsforce, ink or @oclif/table, and without the stood-in modules; sf omni prints the same', async () => {
    const run = traced(['validate', 'force-app', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 0, result: { summary: { errors: 0 } } });
    const loaded = (fragment: string) => run.loaded.filter((url) => url.includes(fragment));
    expect(loaded('/@salesforce/sf-plugins-core/lib/sfCommand.js')).toHaveLength(1);
    expect(loaded('/@salesforce/core/lib/config/configAggregator.js')).toHaveLength(1);
    for (const heavy of ['/@salesforce/core/lib/index.js', '/@salesforce/core/lib/org/org.js', '/@jsforce/', '/jsforce/', '/ink/', '/react/', '/@oclif/table/', '/@oclif/multi-stage-output/', '/@inquirer/', '/undici/', '/zod/']) {
      expect(loaded(heavy), heavy).toEqual([]);
    }
    // The stood-in modules (scripts/cli/standins/served.mjs), and what the bin's deferred requires keep out
    // (scripts/cli/deferred-requires.mjs): oclif's plugin patterns and config search.
    // oclif's help and ux and pino's transports (deferred to first use), change-case's other cases (core's envVars reads two).
    for (const pkg of ['/@oclif/core/lib/help/index.js', '/@oclif/core/lib/ux/index.js', '/cli-spinners/', '/ansi-escapes/', 'node:readline', '/thread-stream/', '/pino/lib/transport.js', 'node:worker_threads', '/change-case/', '/capital-case/', '/sentence-case/']) {
      expect(loaded(pkg), pkg).toEqual([]);
    }
    for (const pkg of ['/memfs/', '/semver/', '/ejs/', '/tinyglobby/', '/clean-stack/', '/wrap-ansi/', '/indent-string/', '/string-width/', '/widest-line/', '/cli-progress/', '/terminal-link/', '/core/lib/status/myDomainResolver.js', '/core/lib/crypto/crypto.js', 'node:dns', '/minimatch/', '/brace-expansion/', '/lilconfig/']) {
      expect(loaded(pkg), pkg).toEqual([]);
    }
    // The stand-ins' importers ran (the bin's own TypeScript is loaded by its hooks, which this tracer does not see).
    expect(run.loaded.some((url) => url.endsWith('/@salesforce/core/lib/fs/fs.js'))).toBe(true);
    expect(run.loaded.some((url) => url.endsWith('/@oclif/core/lib/errors/errors/cli.js'))).toBe(true);
    expect(run.loaded.some((url) => url.endsWith('/@salesforce/core/lib/config/envVars.js'))).toBe(true);
    // The same command without the bin's hooks, on the whole of core and every stood-in module: the CLI entry in
    // this process (runCli, which loads the real @salesforce/core), so the subset and stand-ins are what the
    // comparison isolates.
    const direct = await omniOffline(dir, ['validate', 'force-app', '--json']);
    expect(direct.code).toBe(0);
    expect(run.stdout).toBe(direct.stdout);
  });

  test("validate loads zod only for a spec that fails its generated check, and then the CommonJS build core requires (one copy, no ES import for Node to lex)", () => {
    const spec = path.join(dir, 'config', 'omni-channel.yaml');
    mkdirSync(path.dirname(spec), { recursive: true });
    const zodOf = (run: ReturnType<typeof traced>) => run.loaded.filter((url) => url.includes('/node_modules/zod/'));
    try {
      writeFileSync(spec, 'declineReasons:\n  Busy:\n    label: Busy\n');
      const valid = traced(['validate', '--json']);
      expect(valid.code, valid.stderr).toBe(0);
      expect(zodOf(valid)).toEqual([]);
      // A label that is a number: the spec fails, and zod words the error.
      writeFileSync(spec, 'declineReasons:\n  Busy:\n    label: 12\n');
      const failing = traced(['validate', '--json']);
      expect(failing.code).toBe(1);
      expect(JSON.parse(failing.stdout).result.diagnostics).toContainEqual(expect.objectContaining({ ruleId: 'SPEC-SCHEMA', line: 3 }));
      expect(zodOf(failing).length).toBeGreaterThan(0);
      expect(zodOf(failing).filter((url) => !url.endsWith('.cjs'))).toEqual([]);
    } finally {
      rmSync(path.dirname(spec), { recursive: true, force: true });
    }
  });

  test("sf-plugins-core's own flag checks and messages work through the subset: a bad --api-version, as without it", async () => {
    const run = traced(['validate', 'force-app', '--api-version', '12']);
    // Without the subset: the CLI entry in this process, as above.
    const direct = await omniOffline(dir, ['validate', 'force-app', '--api-version', '12']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/12 is not a valid API version/);
    expect([run.code, run.stdout, run.stderr]).toEqual([direct.code, direct.stdout, direct.stderr]);
  });
  test('omni deploy through the bin loads the whole of core and jsforce when it connects, and deploys', async () => {
    const org = await startTestOrg();
    const home = makeSfHome();
    const project = makeProject();
    try {
      // Asynchronously: the org answers from this process.
      const out = path.join(dir, 'deploy-loaded.txt');
      const run = await runProcess(NODE, ['--import', MODULE_TRACER, path.join(REPO_ROOT, 'scripts/omni.mjs'), 'deploy', '--instance-url', org.instanceUrl, '--json'], {
        cwd: project.dir,
        env: { ...home.env, CI: 'true', SF_ACCESS_TOKEN: org.accessToken, OMNI_TRACE_OUT: out },
        timeoutMs: 110_000,
      });
      expect(run.code, run.stderr).toBe(0);
      const loaded = readFileSync(out, 'utf8').split('\n');
      const files = (JSON.parse(run.stdout) as { result: { files: Array<{ fullName: string; state: string }> } }).result.files;
      expect(files.map((f) => f.fullName)).toContain('Case_Agents');
      // The org's own record of what it now holds (not omni's report).
      const held = await fetch(`${org.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent('SELECT DeveloperName FROM PresenceUserConfig')}`, {
        headers: { Authorization: `Bearer ${org.accessToken}` },
      }).then((r) => r.json() as Promise<{ records: Array<{ DeveloperName: string }> }>);
      expect(held.records.map((r) => r.DeveloperName)).toContain('Case_Agents');
      expect(loaded.filter((url) => url.includes('/@salesforce/core/lib/index.js'))).toHaveLength(1);
      expect(loaded.some((url) => url.includes('/@jsforce/jsforce-node/'))).toBe(true);
    } finally {
      project.cleanup();
      home.cleanup();
      await org.stop();
    }
  }, 120_000);
});
