/**
 * The layers of DESIGN.md hold: a lower layer never imports an upper one, and no module imports itself
 * through others (no cycle, runtime or type-only). dependency-cruiser reads every import form (static,
 * type-only, re-export, dynamic import()) with its swc parser — TypeScript 7 has no compiler API for its
 * tsc parser.
 *
 * Layers, lowest first (an arrow is "may import"):
 *   lib ← org, metadata ← yaml-spec ← validate ← engines (deploy, assign, setup, graph, explain)
 *       ← commands ← cli, sf
 * lib knows no domain; org and metadata are the core; only scripts/commands/ (and the cli/sf faces)
 * see flags, argv, text and rendering; tooling (npm scripts that do not ship) and the two entry files
 * sit on top. The product never imports tests or benchmarks, and the local org only through
 * `omni org local`; the local org imports nothing of the project (as test/local-org/independence.test.ts
 * checks by hand, with the XSD copy).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise } from 'dependency-cruiser';
import type { IForbiddenRuleType } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.ts';

const ENGINES = ['deploy', 'assign', 'setup', 'graph', 'explain'];
const CLI = ['commands', 'cli', 'sf'];
/** Every top folder of scripts/, in its layer: a new folder must be placed here (and in DESIGN.md). */
const FOLDERS = ['lib', 'org', 'metadata', 'yaml-spec', 'validate', ...ENGINES, ...CLI, 'tooling'];
const any = (folders: string[]) => `^scripts/(${folders.join('|')})/`;
const except = (folders: string[]) => `^scripts/(?!(${folders.join('|')})/)`;

const RULES: IForbiddenRuleType[] = [
  { name: 'lib-knows-no-domain', severity: 'error', from: { path: any(['lib']) }, to: { path: except(['lib']) } },
  { name: 'org-is-core', severity: 'error', from: { path: any(['org']) }, to: { path: except(['lib', 'org']) } },
  { name: 'metadata-is-core', severity: 'error', from: { path: any(['metadata']) }, to: { path: except(['lib', 'metadata']) } },
  { name: 'yaml-spec-over-metadata', severity: 'error', from: { path: any(['yaml-spec']) }, to: { path: except(['lib', 'metadata', 'yaml-spec']) } },
  // validate is offline: the routing analysis it shares with doctor (graph) yes, the org and the org engines no.
  { name: 'validate-is-offline', severity: 'error', from: { path: any(['validate']) }, to: { path: any(['org', 'deploy', 'assign', 'setup', 'explain', ...CLI, 'tooling']) } },
  { name: 'engines-see-no-flags', severity: 'error', from: { path: any(ENGINES) }, to: { path: any([...CLI, 'tooling']) } },
  { name: 'commands-below-faces', severity: 'error', from: { path: any(['commands', 'cli']) }, to: { path: any(['sf', 'tooling']) } },
  { name: 'product-ships-alone', severity: 'error', from: { path: '^scripts/', pathNot: `^scripts/(tooling/|start\\.ts$)` }, to: { path: '^(test|bench)/' } },
  // The local org is a program of its own; `omni org local` (and npm start) run it through its entry only.
  { name: 'local-org-through-its-command', severity: 'error', from: { path: '^scripts/', pathNot: `^scripts/(tooling/|start\\.ts$|commands/org-local\\.ts$)` }, to: { path: '^local-org/' } },
  { name: 'no-cycles', severity: 'error', from: { path: '^scripts/' }, to: { circular: true } },
  // The local org keeps its own facts (local-org/FIDELITY.md F-02): it imports nothing of the project.
  { name: 'local-org-independent', severity: 'error', from: { path: '^local-org/' }, to: { path: '^(scripts|test|bench|config)/' } },
];

/** `from → to [rule]` (cycles: the modules of the cycle) for every violation under `root`. */
async function violations(root: string): Promise<{ modules: number; found: string[] }> {
  const result = await cruise(['scripts', 'local-org'].filter((d) => existsSync(join(root, d))), {
    baseDir: root,
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    validate: true,
    ruleSet: { forbidden: RULES },
  });
  if (typeof result.output === 'string') throw new Error('dependency-cruiser returned text, not a result');
  const found = result.output.summary.violations.map((v) =>
    v.cycle?.length ? `${v.from} → ${v.cycle.map((c) => c.name).join(' → ')} [${v.rule.name}]` : `${v.from} → ${v.to} [${v.rule.name}]`,
  );
  return { modules: result.output.modules.filter((m) => m.source.startsWith('scripts/')).length, found: [...new Set(found)].sort() };
}

describe('layers (DESIGN.md)', () => {
  it('the check catches every import form that climbs a layer, and cycles (runtime and type-only)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'omni-layers-'));
    try {
      const files: Record<string, string> = {
        'scripts/cli/command.ts': 'export const flags = 1;\n',
        'scripts/commands/deploy.ts': "import { flags } from '../cli/command.ts';\nexport const x = flags;\n",
        'scripts/lib/static.ts': "import { flags } from '../cli/command.ts';\nexport const a = flags;\n",
        'scripts/metadata/type-only.ts': "import type { x } from '../commands/deploy.ts';\nexport type A = typeof x;\n",
        'scripts/deploy/reexport.ts': "export { flags } from '../cli/command.ts';\n",
        'scripts/assign/dynamic.ts': "export const load = () => import('../commands/deploy.ts');\n",
        'scripts/validate/org.ts': "import { s } from '../org/session.ts';\nexport const v = s;\n",
        'scripts/org/session.ts': 'export const s = 1;\n',
        'scripts/setup/a.ts': "import type { B } from './b.ts';\nexport type A = B;\nexport const a = 1;\n",
        'scripts/setup/b.ts': "import { a } from './a.ts';\nexport type B = typeof a;\n",
        'scripts/graph/fine.ts': "import { s } from '../org/session.ts';\nexport const g = s;\n",
        'scripts/explain/local.ts': "export const l = () => import('../../local-org/index.ts');\n",
        'local-org/index.ts': "import type { A } from '../scripts/setup/a.ts';\nexport const o: A | 1 = 1;\n",
      };
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), text);
      }
      const { found } = await violations(root);
      expect(found).toEqual([
        'local-org/index.ts → scripts/setup/a.ts [local-org-independent]',
        'scripts/assign/dynamic.ts → scripts/commands/deploy.ts [engines-see-no-flags]',
        'scripts/deploy/reexport.ts → scripts/cli/command.ts [engines-see-no-flags]',
        'scripts/explain/local.ts → local-org/index.ts [local-org-through-its-command]',
        'scripts/lib/static.ts → scripts/cli/command.ts [lib-knows-no-domain]',
        'scripts/metadata/type-only.ts → scripts/commands/deploy.ts [metadata-is-core]',
        'scripts/setup/a.ts → scripts/setup/b.ts → scripts/setup/a.ts [no-cycles]',
        'scripts/validate/org.ts → scripts/org/session.ts [validate-is-offline]',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);

  it('every folder of scripts/ has its layer', () => {
    const folders = readdirSync(join(REPO_ROOT, 'scripts'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !FOLDERS.includes(f))).toEqual([]);
  });

  it('scripts/ keeps them: no import climbs a layer, no cycle', async () => {
    const { modules, found } = await violations(REPO_ROOT);
    expect(modules).toBeGreaterThan(100);
    expect(found).toEqual([]);
  }, 60_000);
});
