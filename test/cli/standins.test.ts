/**
 * The stand-ins the `omni` bin serves for dependencies an offline command loads at start but never calls
 * (scripts/cli/standins/, the table in served.mjs): every importer reads of its stand-in only names the
 * stand-in has, in the way the stand-in is shaped for (a CommonJS importer's `__importDefault`/`__importStar`,
 * an ES module's named or default import); each stand-in gives the real module's objects and results; and the
 * bin, as a process, prints its help and an oclif parse error as without them. That it loads none of those modules
 * for a validate while printing what it printed without them is checked on sf-core-subset.test.ts's validate run.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { STAND_INS } from '../../scripts/cli/standins/served.mjs';
import * as cleanStack from '../../scripts/cli/standins/clean-stack.ts';
import * as cliProgress from '../../scripts/cli/standins/cli-progress.ts';
import * as changeCase from '../../scripts/cli/standins/change-case.ts';
import * as crypto from '../../scripts/cli/standins/crypto.ts';
import * as ejs from '../../scripts/cli/standins/ejs.ts';
import * as indentString from '../../scripts/cli/standins/indent-string.ts';
import * as memfs from '../../scripts/cli/standins/memfs.ts';
import * as myDomainResolver from '../../scripts/cli/standins/my-domain-resolver.ts';
import * as semver from '../../scripts/cli/standins/semver.ts';
import * as stringWidth from '../../scripts/cli/standins/string-width.ts';
import * as terminalLink from '../../scripts/cli/standins/terminal-link.ts';
import * as tinyglobby from '../../scripts/cli/standins/tinyglobby.ts';
import * as widestLine from '../../scripts/cli/standins/widest-line.ts';
import * as wrapAnsi from '../../scripts/cli/standins/wrap-ansi.ts';
import { omniOffline } from '../helpers/omni.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { tracedBinProject } from '../helpers/traced-bin.ts';


const MODULES: Record<string, Record<string, unknown> & { IMPORTER: string }> = {
  'memfs.ts': memfs,
  'semver.ts': semver,
  'my-domain-resolver.ts': myDomainResolver,
  'crypto.ts': crypto,
  'change-case.ts': changeCase,
  'ejs.ts': ejs,
  'tinyglobby.ts': tinyglobby,
  'clean-stack.ts': cleanStack,
  'wrap-ansi.ts': wrapAnsi,
  'indent-string.ts': indentString,
  'string-width.ts': stringWidth,
  'widest-line.ts': widestLine,
  'cli-progress.ts': cliProgress,
  'terminal-link.ts': terminalLink,
};

/** The installed file whose path ends with `ending` (from the stand-in's importer, the same install). */
function importerFile(ending: string, standIn: { IMPORTER: string }): string {
  const pkgRoot = standIn.IMPORTER.slice(0, standIn.IMPORTER.lastIndexOf('/lib/'));
  return path.join(pkgRoot, ending.slice(ending.indexOf('/lib/')));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * How `file` binds `specifier` and which names it reads through the binding: a CommonJS `const x =
 * [__importDefault(|__importStar(]require("…")` read as `x.name`, or an ES module's named/default import.
 */
function readsOf(file: string, specifier: string): { wrapper: 'default' | 'star' | 'plain' | 'esm'; names: string[] } {
  // Comments aside (they name modules too).
  const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const cjs = new RegExp(`const (\\w+) = (__importDefault\\(|__importStar\\()?require\\("${escapeRegExp(specifier)}"\\)\\)?;`).exec(source);
  if (cjs) {
    const binding = cjs[1];
    const uses = [...source.slice(cjs.index + cjs[0].length).matchAll(new RegExp(`\\b${binding}\\b(\\.(\\w+))?`, 'g'))];
    // Every use of the binding reads a property of it (nothing hands the module itself around).
    for (const use of uses) expect(use[2], `${file}: ${binding} used as a whole`).toBeDefined();
    return { wrapper: cjs[2]?.startsWith('__importDefault') ? 'default' : cjs[2] ? 'star' : 'plain', names: [...new Set(uses.map((u) => u[2]))] };
  }
  const named = new RegExp(`import \\{([^}]*)\\} from '${escapeRegExp(specifier)}';`).exec(source);
  if (named) return { wrapper: 'esm', names: named[1].split(',').map((n) => n.trim().split(/\s+as\s+/)[0]).filter(Boolean) };
  const byDefault = new RegExp(`import \\w+ from '${escapeRegExp(specifier)}';`).exec(source);
  if (byDefault) return { wrapper: 'esm', names: ['default'] };
  throw new Error(`${file} does not import ${specifier} in a form this test reads`);
}

describe('the stand-ins the omni bin serves', () => {
  test('every served importer reads only names its stand-in has, in the shape it reads them', () => {
    expect(STAND_INS.map(([, file]) => file).sort()).toEqual(Object.keys(MODULES).sort());
    for (const [specifier, file, ...endings] of STAND_INS) {
      const standIn = MODULES[file];
      // The stand-in loads the copy its importers see: its own importer is one of them.
      expect(endings.some((ending) => standIn.IMPORTER.endsWith(ending)), `${file}: ${standIn.IMPORTER}`).toBe(true);
      for (const ending of endings) {
        const { wrapper, names } = readsOf(importerFile(ending, standIn), specifier);
        expect(names.length, `${ending} reads something of ${specifier}`).toBeGreaterThan(0);
        // __importDefault and __importStar hand a module marked __esModule back as it is (so `default` and
        // the names are read from the stand-in); a plain require or an ES import reads the names directly.
        if (wrapper === 'default' || wrapper === 'star') expect(standIn.__esModule, `${file} for ${ending}`).toBe(true);
        for (const name of names) expect(Object.keys(standIn), `${ending} reads ${specifier}.${name}`).toContain(name);
      }
    }
  });

  test("each stand-in gives the real module's classes and results", () => {
    const real = (standIn: { IMPORTER: string }, specifier: string) => createRequire(standIn.IMPORTER)(specifier);
    expect(semver.compare('1.2.3', '1.10.0')).toBe(-1);
    // change-case's own functions (its index re-exports them), not copies.
    expect(changeCase.camelCase).toBe(real(changeCase, 'change-case').camelCase);
    expect(changeCase.snakeCase).toBe(real(changeCase, 'change-case').snakeCase);
    expect([changeCase.camelCase('SF_TARGET_ORG'), changeCase.snakeCase('targetOrg')]).toEqual(['sfTargetOrg', 'target_org']);
    expect(semver.compare('2.0.0', '2.0.0')).toBe(real(semver, 'semver').compare('2.0.0', '2.0.0'));
    for (const [standIn, specifier, name] of [
      [memfs, 'memfs', 'Volume'],
      [myDomainResolver, '../status/myDomainResolver', 'MyDomainResolver'],
      [crypto, '../crypto/crypto', 'Crypto'],
      [cliProgress, 'cli-progress', 'SingleBar'],
    ] as const) {
      const realClass = real(standIn, specifier)[name] as { prototype: object; create?: unknown };
      const deferred = (standIn as unknown as Record<string, typeof realClass>)[name];
      expect(deferred.prototype, name).toBe(realClass.prototype);
      expect(Object.create(realClass.prototype) instanceof (deferred as unknown as new () => object), name).toBe(true);
      if (realClass.create) expect(deferred.create, name).toBe(realClass.create);
    }
    const fs = memfs.createFsFromVolume(new memfs.Volume()) as { writeFileSync(p: string, d: string): void; readFileSync(p: string, e: string): string };
    fs.writeFileSync('/a.txt', 'omni');
    expect(fs.readFileSync('/a.txt', 'utf8')).toBe('omni');
    const bar = new cliProgress.SingleBar({}) as object;
    expect(bar).toBeInstanceOf(real(cliProgress, 'cli-progress').SingleBar);
    expect(ejs.default.render('<%= who %>!', { who: 'omni' })).toBe('omni!');
    expect(indentString.default('a\nb', 2)).toBe(real(indentString, 'indent-string')('a\nb', 2));
    expect(wrapAnsi.default('one two three', 5, { hard: true })).toBe(real(wrapAnsi, 'wrap-ansi')('one two three', 5, { hard: true }));
    expect(stringWidth.default('a😀')).toBe(real(stringWidth, 'string-width')('a😀'));
    expect(widestLine.default('a\nabc')).toBe(3);
    const stack = new Error('x').stack ?? '';
    expect(cleanStack.default(stack, { pretty: true })).toBe(real(cleanStack, 'clean-stack')(stack, { pretty: true }));
    expect(terminalLink.default('docs', 'https://example.com', { fallback: false })).toBe(real(terminalLink, 'terminal-link').default('docs', 'https://example.com', { fallback: false }));
  });

  test('tinyglobby through its stand-in finds what it finds itself', async () => {
    const cwd = path.join(REPO_ROOT, 'scripts/cli/standins');
    const found = (await tinyglobby.glob(['*.ts'], { cwd })) as string[];
    expect(found.sort()).toEqual(((await createRequire(tinyglobby.IMPORTER)('tinyglobby').glob(['*.ts'], { cwd })) as string[]).sort());
    expect(found).toContain('lazy.ts');
  });
});

describe('the omni bin with its stand-ins, as a process', () => {
  const { dir, traced, cleanup } = tracedBinProject('omni-standins-');
  afterAll(cleanup);
  const bin = (args: string[]) => {
    const run = traced(args);
    return { ...run, status: run.code };
  };
  // The same command without the bin's hooks, every module as it is: the CLI entry in this process (runCli, which
  // loads the real modules; the worker registers none of the bin's hooks), so the stand-ins are what the
  // comparison isolates. What stays a process is the bin, whose loaded modules are the point.
  const direct = (args: string[]) => omniOffline(dir, args);

  // What `omni validate` loads through the bin (none of the stood-in modules, their importers run) and prints (as
  // without the bin) is checked on the one validate run of test/cli/sf-core-subset.test.ts: the same command in the
  // same one-file project, whose loaded modules that file checks for the subset, so one process serves both.

  test("help (oclif's layout through the stand-ins) and an oclif parse error print as without the bin", async () => {
    const runs = new Map<string, ReturnType<typeof bin>>();
    for (const args of [['validate', '--help'], ['validate', 'force-app', '--level', 'loud']]) {
      const run = bin(args);
      runs.set(args.join(' '), run);
      const plain = await direct(args);
      expect([run.status, run.stdout, run.stderr], args.join(' ')).toEqual([plain.code, plain.stdout, plain.stderr]);
    }
    // The help run above is the one that loads wrap-ansi (one process serves both checks).
    expect(runs.get('validate --help')!.loaded.some((url) => url.includes('/wrap-ansi/'))).toBe(true);
  });
});
