/**
 * Result schemas: `schemas/<command-id>.json` is what ts-json-schema-generator makes of the TypeScript
 * result types (drift test), there is one per command, and the real `--json` output of the commands,
 * run in-process against a local org, validates against it (ajv).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../helpers/commands.ts';
import { RESULT_TYPES, schemaFileName } from '../../scripts/commands/results.ts';
import { renderResultSchemas, resultSchemaProgram } from '../../scripts/tooling/schemas.ts';
import type { LocalOrg } from '../../local-org/server.ts';
import { REPO_ROOT, startTestOrg } from '../helpers/local-org.ts';
import { omniOffline } from '../helpers/omni.ts';
import { omni } from '../setup/helpers.ts';
import { makeProject, SAMPLE_WITH_CONFIG } from '../helpers/project.ts';

const committed = (id: string) => JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', schemaFileName(id)), 'utf8'));

describe('schemas/ ⇄ result types', () => {
  it('every command has a result type and a committed schema', () => {
    expect(Object.keys(RESULT_TYPES).sort()).toEqual(COMMANDS.map((c) => c.id).sort());
  });

  it('the committed schemas are exactly what the generator makes of the types (run "npm run schemas" after changing one)', async () => {
    const rendered = await renderResultSchemas();
    expect(rendered.size).toBe(COMMANDS.length);
    for (const [file, text] of rendered) expect(readFileSync(join(REPO_ROOT, 'schemas', file), 'utf8'), file).toBe(text);
  }, 120_000);

  it('a result type that names a library type, or a project type imported for its value only, fails with its name instead of becoming {} (the schema program reads those as empty)', async () => {
    const { createGenerator } = (await import('ts-json-schema-generator')).default;
    const path = join(REPO_ROOT, 'test', 'cli', 'fixtures', 'result-with-library-type.ts');
    const generator = createGenerator({ tsProgram: resultSchemaProgram(path), path, skipTypeCheck: true, expose: 'none', topRef: false });
    const failure = (type: string) => {
      try {
        generator.createSchema(type);
        return undefined;
      } catch (error) {
        return String((error as Error).message) + String((error as { cause?: Error }).cause?.message ?? '');
      }
    };
    expect(generator.createSchema('OwnResult')).toMatchObject({ type: 'object', properties: { count: { type: 'number' }, names: { type: 'array', items: { type: 'string' } } } });
    expect(failure('LibraryResult')).toMatch(/FileResponse: a result type names an import the schema program reads as empty — from node_modules/);
    expect(failure('GlobalResult')).toBeDefined();
    // A project file imported for its values only is not in the program either (only what types reach is parsed).
    expect(failure('ValueImportResult')).toMatch(/OmniError: a result type names an import the schema program reads as empty/);
  });
});

describe('real --json output validates against schemas/', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  let org: LocalOrg;
  let dir: string;
  let cleanup: () => void;
  beforeAll(async () => {
    org = await startTestOrg({});
    ({ dir, cleanup } = makeProject({ copy: SAMPLE_WITH_CONFIG }));
    writeFileSync(join(dir, 'agents.yaml'), "presenceConfigurations:\n  miaw:\n    users:\n      usernames: [agent01@omni.local]\n");
  });
  afterAll(async () => {
    await org?.stop();
    cleanup?.();
  });

  it('the schemas are not vacuous: an empty object is not a deploy, plan or setup result', () => {
    for (const id of ['deploy', 'plan', 'setup', 'assign plan', 'doctor', 'validate']) expect(ajv.validate(committed(id), {}), id).toBe(false);
  });

  const valid = (id: string, json: any) => {
    expect(json, `${id}: no JSON envelope`).toBeDefined();
    const validate = ajv.compile(committed(id));
    expect(validate(json.result) ? [] : validate.errors, `${id}: ${JSON.stringify(json.result).slice(0, 300)}`).toEqual([]);
  };

  // In the order a user would run them against a fresh org; each must succeed (or fail as stated) first.
  const offline = new Set(['validate', 'generate', 'import']);
  const runs: Array<[string, string[], number[]]> = [
    ['validate', ['validate', '--json'], [0]],
    ['generate', ['generate', '--check', '--json'], [0]],
    ['import', ['import', '--out', '-', '--json'], [0]],
    ['doctor', ['doctor', '--json'], [0, 1]],
    ['deploy', ['deploy', '--json'], [0]],
    ['deploy report', ['deploy', 'report', '--json'], [0]],
    ['plan', ['plan', '--json'], [0]],
    ['retrieve', ['retrieve', '--json'], [0]],
    ['assign plan', ['assign', 'plan', '--file', 'agents.yaml', '--json'], [0]],
    ['assign apply', ['assign', 'apply', '--file', 'agents.yaml', '--json'], [0]],
    ['access check', ['access', 'check', '--file', 'agents.yaml', '--json'], [0, 1]],
    ['setup', ['setup', '--assignments', 'agents.yaml', '--json'], [0]],
  ];
  for (const [id, args, codes] of runs) {
    it(`omni ${args.filter((a) => a !== '--json').join(' ')}`, async () => {
      const r = offline.has(id) ? await omniOffline(dir, args) : await omni(org, dir, args);
      expect(codes, `${id} exited ${r.code}: ${r.stdout.slice(0, 500)}`).toContain(r.code);
      valid(id, r.json);
    });
  }

  // The remaining commands, after setup (the org then holds the project and the assignments).
  const more: Array<[string, string[], number[], 'offline' | 'org']> = [
    ['deploy resume', ['deploy', 'resume', '--json'], [0], 'org'],
    ['assign export', ['assign', 'export', '--json'], [0], 'org'],
    ['explain', ['explain', 'agent01@omni.local', '--json'], [0, 1], 'org'],
    ['explain', ['explain', 'agent01@omni.local', '--offline', '--json'], [0, 1], 'offline'],
    ['graph', ['graph', '--format', 'json', '--json'], [0], 'offline'],
    ['graph', ['graph', '--format', 'mermaid', '--json'], [0], 'org'],
  ];
  for (const [id, args, codes, where] of more) {
    it(`omni ${args.filter((a) => a !== '--json').join(' ')}`, async () => {
      const r = where === 'offline' ? await omniOffline(dir, args) : await omni(org, dir, args);
      expect(codes, `${id} exited ${r.code}: ${r.stdout.slice(0, 500)}`).toContain(r.code);
      valid(id, r.json);
    });
  }

  it('omni assign apply (a change), assign resume and assign undo of that run', async () => {
    writeFileSync(join(dir, 'agents2.yaml'), "presenceConfigurations:\n  miaw:\n    users:\n      usernames: [agent02@omni.local]\n");
    const applied = await omni(org, dir, ['assign', 'apply', '--file', 'agents2.yaml', '--json']);
    expect(applied.code, applied.stdout.slice(0, 500)).toBe(0);
    valid('assign apply', applied.json);
    const runId = applied.json.result.runId as string;
    expect(runId, 'the apply made a run (agent02 had no configuration)').toEqual(expect.any(String));
    const resumed = await omni(org, dir, ['assign', 'resume', runId, '--json']);
    expect(resumed.code, resumed.stdout.slice(0, 500)).toBe(0);
    valid('assign resume', resumed.json);
    const undone = await omni(org, dir, ['assign', 'undo', runId, '--json']);
    expect(undone.code, undone.stdout.slice(0, 500)).toBe(0);
    valid('assign undo', undone.json);
    expect(undone.json.result.summary.done).toBe(1);
  });

  it('every command but org local (a server, tested in test/local-org) has its --json validated here', () => {
    const covered = new Set([...runs.map(([id]) => id), ...more.map(([id]) => id), 'assign resume', 'assign undo']);
    expect(COMMANDS.map((c) => c.id).filter((id) => !covered.has(id))).toEqual(['org local']);
  });
});
