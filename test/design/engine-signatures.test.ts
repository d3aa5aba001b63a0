/**
 * Engines behind one typed boundary (issue #10 item 1): every engine a command calls takes its org first
 * (a session or an OrgTarget), then its typed request (named `<Engine>Request`), then the caller's io —
 * `(org, request, io)`, or `(request, io)` for an engine without an org — and returns `{status, result}`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.ts';

/** The engine modules and the functions the commands call in them. */
const ENGINES: Record<string, string[]> = {
  'scripts/deploy/pipeline.ts': ['runDeploy'],
  'scripts/deploy/plan.ts': ['runPlan'],
  'scripts/deploy/retrieve.ts': ['runRetrieve'],
  'scripts/deploy/report.ts': ['runDeployReport'],
  'scripts/deploy/import-spec.ts': ['runImport'],
  'scripts/setup/run.ts': ['runSetup'],
  'scripts/setup/doctor.ts': ['runDoctor'],
  'scripts/graph/engine.ts': ['runGraph'],
  'scripts/explain/engine.ts': ['runExplain'],
  'scripts/yaml-spec/generate-engine.ts': ['runGenerate'],
  'scripts/assign/engines.ts': ['assignPlan', 'assignApply', 'assignResume', 'assignUndo', 'assignExport', 'accessCheck'],
};

/** The parameters of `export async function name(…)`: name and type text, split at top-level commas. */
function parameters(text: string, name: string): Array<{ name: string; type: string }> {
  const at = text.indexOf(`export async function ${name}(`);
  expect(at, name).toBeGreaterThanOrEqual(0);
  let depth = 0;
  let current = '';
  const params: string[] = [];
  for (let i = text.indexOf('(', at) + 1; ; i++) {
    const c = text[i];
    if (depth === 0 && c === ')') break;
    if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c) && text[i - 1] !== '=') depth--;
    if (depth === 0 && c === ',') {
      params.push(current);
      current = '';
    } else current += c;
  }
  if (current.trim()) params.push(current);
  return params.map((p) => {
    const colon = p.indexOf(':');
    return { name: p.slice(0, colon).trim(), type: p.slice(colon + 1).trim() };
  });
}

describe('engine signatures', () => {
  for (const [file, names] of Object.entries(ENGINES)) {
    const text = readFileSync(join(REPO_ROOT, file), 'utf8');
    for (const name of names) {
      it(`${name} (${file}) takes (org, <Name>Request, io) and returns {status, result}`, () => {
        const params = parameters(text, name);
        const request = params.findIndex((p) => p.name === 'request');
        expect(request, `${name}: a parameter named request`).toBeGreaterThanOrEqual(0);
        expect(params[request].type, `${name}: the request type's name`).toMatch(/^[A-Z]\w*Request$/);
        // The org before the request (no org: the request first), the io last.
        expect(params.length, name).toBe(request + 2);
        if (request === 1) expect(params[0].type, `${name}: the org first`).toMatch(/OrgSession|OrgTarget|connect\?: ConnectOptions/);
        else expect(request, `${name}: nothing but an org before the request`).toBe(0);
        expect(params[request + 1].type, `${name}: the io last`).toMatch(/EngineIo/);
        const returns = text.slice(text.indexOf(`export async function ${name}(`)).match(/\):\s*Promise<([^{]*?)\{/)?.[1] ?? '';
        expect(`${returns}{`, `${name}: returns {status, result}`).toMatch(/^(EngineOutcome<|\{)/);
      });
    }
  }
});
