/**
 * The `omni` bin (scripts/omni.mjs, linked into node_modules/.bin through bin/omni.mjs): the same CLI as scripts/omni.ts — output, exit codes, no warning of its
 * own — with each TypeScript file stripped once and cached by content hash under node_modules/.cache, and
 * Node's compile cache of the loaded modules kept there too. The bin and npx are processes (what they load, cache
 * and print is the point); what they are compared with is the CLI entry in this process (runCli, as scripts/omni.ts
 * calls it, on Node's own type stripping without the bin's hooks), not a third process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { omniOffline } from '../helpers/omni.ts';
import { REPO_ROOT } from '../helpers/paths.ts';


const NODE = path.join(REPO_ROOT, 'node_modules/.bin/node');
const run = (entry: string, args: string[], cwd = REPO_ROOT, extraEnv: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync(NODE, [path.join(REPO_ROOT, entry), ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', ...extraEnv } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** `omni …` without the bin: scripts/omni.ts's runCli in this process, same cwd, CI=true. */
const direct = (args: string[]) => omniOffline(REPO_ROOT, args);

const dir = mkdtempSync(path.join(tmpdir(), 'omni-launcher-'));
/** Where the bin's `--help` run below keeps Node's compile cache (NODE_COMPILE_CACHE, a folder of its own). */
const chosenCompileCache = path.join(dir, 'compile-cache');
/**
 * `scripts/omni.mjs --help` with NODE_COMPILE_CACHE set to a folder of its own, run once for the three tests that
 * need a bin run of it: its output and exit code, the TypeScript cache and the compile cache it leaves.
 */
let helpViaBin: ReturnType<typeof run> | undefined;
const binHelp = () => (helpViaBin ??= run('scripts/omni.mjs', ['--help'], REPO_ROOT, { NODE_COMPILE_CACHE: chosenCompileCache }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('omni bin', () => {
  // npx (npm's libnpmexec) first asks the project's own package.json for a bin of that name: when the root
  // declares one, `npx omni` installs the project into npx's cache (<npm cache>/_npx/<hash>), reading the
  // whole dependency tree with arborist (~1 s) before anything runs. A bin found in node_modules/.bin runs
  // at once; npm ci links it there from the file: devDependency bin/ (bench/RESULTS.md, CLI start-up).
  test('npx omni runs the bin npm ci linked into node_modules/.bin, with nothing installed into npx\'s cache', async () => {
    expect(realpathSync(path.join(REPO_ROOT, 'node_modules/.bin/omni'))).toBe(path.join(realpathSync(REPO_ROOT), 'bin/omni.mjs'));
    const cache = path.join(dir, 'npm-cache');
    const viaNpx = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/npx'), ['omni', '--version'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${path.join(REPO_ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`, npm_config_cache: cache, npm_config_update_notifier: 'false' },
    });
    expect(viaNpx.status, viaNpx.stderr).toBe(0);
    expect(viaNpx.stdout).toBe((await direct(['--version'])).stdout);
    expect(viaNpx.stdout).toMatch(/^omni-presence\/\d+\.\d+\.\d+ /);
    expect(existsSync(path.join(cache, '_npx')), 'npx installed the project into its cache').toBe(false);
  });

  test('prints what scripts/omni.ts prints, with the same exit codes and no warning of its own', async () => {
    for (const args of [['--help'], ['no-such-command'], ['validate', '--help']]) {
      const plain = await direct(args);
      // the launcher, and the bin npm links to node_modules/.bin (which imports the launcher)
      for (const entry of ['scripts/omni.mjs', 'node_modules/.bin/omni']) {
        const viaBin = entry === 'scripts/omni.mjs' && args.join(' ') === '--help' ? binHelp() : run(entry, args);
        expect(viaBin.code, `${entry} ${args.join(' ')}`).toBe(plain.code);
        expect(viaBin.stdout).toBe(plain.stdout);
        expect(viaBin.stderr).toBe(plain.stderr);
        expect(viaBin.stderr).not.toMatch(/ExperimentalWarning/);
      }
    }
  });

  test('a command that fails keeps its exit code and located message', () => {
    writeFileSync(path.join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
    mkdirSync(path.join(dir, 'force-app/main/default/presenceDeclineReasons'), { recursive: true });
    writeFileSync(path.join(dir, 'force-app/main/default/presenceDeclineReasons/Bad.presenceDeclineReason-meta.xml'), '<PresenceDeclineReason>\n<label>x</lab>\n');
    const result = run('scripts/omni.mjs', ['validate'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/Bad\.presenceDeclineReason-meta\.xml:2:\d+/);
  });

  test('each TypeScript source is cached once, in an entry named after its path that holds the bytes it was made from', () => {
    expect(binHelp().code).toBe(0);
    const cacheDir = path.join(REPO_ROOT, 'node_modules/.cache/omni-presence/ts');
    for (const file of ['scripts/omni.ts', 'scripts/cli/run.ts']) {
      const source = readFileSync(path.join(REPO_ROOT, file));
      const cached = path.join(cacheDir, `${path.join(REPO_ROOT, file).replaceAll('/', '!')}.js`);
      expect(existsSync(cached), file).toBe(true);
      // The lengths of Node's version and of the source, the two, then the stripped text.
      const entry = readFileSync(cached);
      const header = `${Buffer.byteLength(process.version)} ${source.length}\n`;
      expect(entry.subarray(0, header.length).toString()).toBe(header);
      expect(entry.subarray(header.length, header.length + Buffer.byteLength(process.version)).toString()).toBe(process.version);
      const start = header.length + Buffer.byteLength(process.version);
      expect(entry.subarray(start, start + source.length).equals(source)).toBe(true);
      // Type stripping keeps every line where it was, so stack traces and positions stay true.
      expect(entry.subarray(start + source.length).toString('utf8').split('\n').length).toBe(source.toString('utf8').split('\n').length);
    }
  });

  test("keeps Node's compile cache of the modules it loads under node_modules/.cache, or where NODE_COMPILE_CACHE says", () => {
    const entries = (folder: string) => (existsSync(folder) ? readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length : 0);
    const own = path.join(REPO_ROOT, 'node_modules/.cache/omni-presence/compile');
    expect(binHelp().code).toBe(0);
    // Node writes the cache when the process ends: the oclif modules --help loads, at least.
    expect(entries(chosenCompileCache)).toBeGreaterThan(50);
    const { NODE_COMPILE_CACHE: _, ...env } = process.env;
    rmSync(own, { recursive: true, force: true }); // a cache only: the next run writes it again
    expect(spawnSync(NODE, [path.join(REPO_ROOT, 'scripts/omni.mjs'), '--help'], { cwd: REPO_ROOT, env }).status).toBe(0);
    expect(entries(own)).toBeGreaterThan(50);
  });
});
