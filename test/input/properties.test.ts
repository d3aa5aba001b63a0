/**
 * Property tests for hostile input: random bytes, random YAML (aliases, odd keys, control characters) and
 * random XML into validate, generate, import and the assignment loader. For every input: the run ends
 * within its timeout, every error is located (file:line:col), and every file written is well-formed.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadAssignmentFile, loadAssignmentText } from '../../scripts/assign/assignment-file.ts';
import { wellFormedProblem } from '../../scripts/yaml-spec/generate.ts';
import { loadSpecText } from '../../scripts/yaml-spec/load.ts';
import { omniOffline } from '../helpers/omni.ts';

const RUN_TIMEOUT_MS = 20_000;

/** A run that has not ended within RUN_TIMEOUT_MS fails the test (a hang), without an access token in the env. */
async function omni(cwd: string, args: string[]): Promise<{ code: number; json: any; stdout: string }> {
  return omniOffline(cwd, [...args, '--json'], { SF_ACCESS_TOKEN: undefined }, RUN_TIMEOUT_MS);
}

function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'omni-prop-'));
  writeFileSync(path.join(root, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
  mkdirSync(path.join(root, 'config'));
  mkdirSync(path.join(root, 'force-app/main/default/presenceUserConfigs'), { recursive: true });
  return root;
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

/** Every error diagnostic names a file and a 1-based line and column. */
function expectLocated(diagnostics: Array<{ severity: string; file?: string; line?: number; column?: number; message: string }>): void {
  for (const d of diagnostics.filter((x) => x.severity === 'error')) {
    expect(d.file, d.message).toEqual(expect.any(String));
    expect(d.line, `${d.file}: ${d.message}`).toBeGreaterThanOrEqual(1);
    expect(d.column, `${d.file}: ${d.message}`).toBeGreaterThanOrEqual(1);
  }
}

/** Every file under force-app and config is well-formed (XML 1.0 / JSON) and holds no U+FFFD. */
function expectWellFormed(root: string, before: Map<string, string>): void {
  for (const f of files(root)) {
    if (!/\.(xml|json)$/.test(f) || f.endsWith('sfdx-project.json')) continue;
    if (before.get(f) === readFileSync(f, 'latin1')) continue; // not written by the run
    expect(wellFormedProblem(f, readFileSync(f, 'utf8')), f).toBeUndefined();
  }
}

function snapshot(root: string): Map<string, string> {
  return new Map(files(root).map((f) => [f, readFileSync(f, 'latin1')]));
}

// ---- random YAML: keys every way YAML spells them, aliases, control characters ----

const keyText = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '<<', '1', '01', 'true', 'null', '~', '', 'label', 'capacity', 'channels', 'statuses', 'presenceConfigurations', 'Support', 'users', 'usernames', 'profiles', 'csv'),
  fc.string({ maxLength: 6 }),
);
const yamlKey = fc.oneof(
  keyText.map((k) => JSON.stringify(k)),
  keyText.filter((k) => /^[A-Za-z_][\w]*$/.test(k)),
  keyText.map((k) => `? ${JSON.stringify(k)}\n`),
  fc.constantFrom('*a', '*b', '[a, b]', '{x: 1}', '!!str 1', '? [x]'),
);
const scalar = fc.oneof(
  fc.constantFrom('"A\\x01B"', '"\\0"', '"\\uFFFE"', '"\\uFFFD"', '"é"', "'it''s'", '*a', '*b', '&a x', '&b [*a, *a, *a]', '!!binary aGVsbG8=', '!!set {a, b}', '1e999', '.nan', '0x1F', '~', '-5', '5', 'Online'),
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
  fc.integer().map(String),
);
const yamlDoc: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('node'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
    fc.array(fc.tuple(yamlKey, tie('node')), { maxLength: 4 }).map((pairs) => `{${pairs.map(([k, v]) => `${k.replace(/\n$/, '')}: ${v}`).join(', ')}}`),
    fc.tuple(fc.constantFrom('&a ', '&b ', ''), fc.array(fc.tuple(yamlKey, tie('node')), { maxLength: 3 })).map(([anchor, pairs]) => `${anchor}{${pairs.map(([k, v]) => `${k.replace(/\n$/, '')}: ${v}`).join(', ')}}`),
  ),
})).node.chain((root) =>
  fc.array(fc.tuple(yamlKey, fc.constantFrom(root, 'x', '*a', '&a [1, 2]', '&b {k: v}')), { minLength: 1, maxLength: 5 }).map((pairs) => pairs.map(([k, v]) => `${k.startsWith('? ') ? `${k}: ${v}` : `${k}: ${v}`}`).join('\n') + '\n'),
);

describe('random YAML into the spec and assignment loaders', () => {
  it('never throws, never hangs, and every problem is located', () => {
    fc.assert(
      fc.property(yamlDoc, (text) => {
        const started = Date.now();
        const spec = loadSpecText(text, { file: 'spec.yaml', apiVersion: '66.0' });
        expectLocated(spec.diagnostics);
        const assignment = loadAssignmentText(text, { file: 'a.yaml', baseDir: tmpdir(), projectRoot: tmpdir() });
        for (const p of assignment.problems) {
          expect(p.origin.line, p.message).toBeGreaterThanOrEqual(1);
          expect(p.origin.column, p.message).toBeGreaterThanOrEqual(1);
        }
        expect(Date.now() - started).toBeLessThan(5_000);
        // A configuration that loads has every key exactly as written: none vanished into a prototype.
        if (assignment.desired) for (const c of assignment.desired.configs) expect(c.name).not.toBe('__proto__');
      }),
      { numRuns: 400 },
    );
  });
});

describe('random bytes into the spec, an assignment file and a CSV', () => {
  it('generate and validate end in time with located errors and write only well-formed files; the assignment loader locates every problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.boolean(), async (bytes, asPrefix) => {
        const root = project();
        try {
          // Half the runs: random bytes after a valid start, so the parser gets deeper.
          const prefix = asPrefix ? Buffer.from("apiVersion: '66.0'\nstatuses:\n  Online:\n    label: ") : Buffer.alloc(0);
          writeFileSync(path.join(root, 'config/omni-channel.yaml'), Buffer.concat([prefix, Buffer.from(bytes)]));
          const before = snapshot(root);
          const generate = await omni(root, ['generate']);
          expect([0, 1]).toContain(generate.code);
          if (generate.code === 1) expectLocated(generate.json.result?.diagnostics ?? [{ severity: 'error', message: generate.json.message }]);
          expectWellFormed(root, before);
          const validate = await omni(root, ['validate']);
          expect([0, 1]).toContain(validate.code);
          expectLocated(validate.json.result?.diagnostics ?? [{ severity: 'error', message: validate.json.message }]);

          writeFileSync(path.join(root, 'config/a.yaml'), Buffer.concat([Buffer.from('csv: [a.csv]\n'), Buffer.from(bytes)]));
          writeFileSync(path.join(root, 'config/a.csv'), Buffer.concat([Buffer.from('username,presenceConfig\n'), Buffer.from(bytes)]));
          const loaded = loadAssignmentFile(path.join(root, 'config/a.yaml'), 'config/a.yaml');
          for (const p of loaded.problems) {
            expect(p.origin.file).toMatch(/^config\/a\.(yaml|csv)$/);
            expect(p.origin.line, p.message).toBeGreaterThanOrEqual(1);
          }
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  }, 300_000);
});

// ---- random XML: registry element names, entities, CDATA, declarations, control characters ----

const xmlText = fc.oneof(
  fc.constantFrom('5', '-5', 'true', 'Online', '&amp;', '&lt;', '&bogus;', '&#1;', '&#xFFFE;', ']]>', '<![CDATA[x]]>', '\u0001', '\uFFFD', 'é', ''),
  fc.string({ maxLength: 6 }).map((s) => s.replace(/[<&]/g, '')),
);
const tagName = fc.constantFrom('capacity', 'label', 'enableDecline', 'declineReasons', 'assignments', 'profiles', 'profile', 'users', 'user', 'presenceStatusOnDecline', 'bogus', 'x:y', '1bad');
const element: fc.Arbitrary<string> = fc.letrec<{ el: string }>((tie) => ({
  el: fc.oneof(
    { depthSize: 'small' },
    fc.tuple(tagName, xmlText).map(([t, v]) => `<${t}>${v}</${t}>`),
    fc.tuple(tagName, fc.array(tie('el'), { maxLength: 3 })).map(([t, kids]) => `<${t}>${kids.join('')}</${t}>`),
    fc.tuple(tagName, tagName).map(([a, b]) => `<${a}>unclosed</${b}>`),
    fc.constant('<label xsi:nil="true"/>'),
  ),
})).el;
const xmlDoc = fc
  .tuple(
    fc.constantFrom('<?xml version="1.0" encoding="UTF-8"?>\n', '<?xml version="1.0" encoding="ISO-8859-1"?>\n', '<?xml version="1.0" encoding="bogus"?>\n', ''),
    fc.constantFrom('<PresenceUserConfig xmlns="http://soap.sforce.com/2006/04/metadata">', '<PresenceUserConfig>', '<Queue xmlns="http://soap.sforce.com/2006/04/metadata">'),
    fc.array(element, { maxLength: 6 }),
    fc.constantFrom('</PresenceUserConfig>', '</Queue>', ''),
  )
  .map(([decl, open, kids, close]) => `${decl}${open}\n${kids.map((k) => `    ${k}`).join('\n')}\n${close}\n`);

describe('random XML into validate, import and generate', () => {
  it('ends in time; errors are located; nothing ill-formed is written', async () => {
    await fc.assert(
      fc.asyncProperty(xmlDoc, fc.boolean(), async (xml, latin1) => {
        const root = project();
        try {
          const file = path.join(root, 'force-app/main/default/presenceUserConfigs/Random.presenceUserConfig-meta.xml');
          writeFileSync(file, latin1 ? Buffer.from(xml, 'latin1') : Buffer.from(xml, 'utf8'));
          const validate = await omni(root, ['validate']);
          expect([0, 1]).toContain(validate.code);
          if (validate.json.result?.diagnostics) expectLocated(validate.json.result.diagnostics);
          const before = snapshot(root);
          const imported = await omni(root, ['import', '--source-dir', 'force-app', '--force']);
          expect([0, 1, 68]).toContain(imported.code);
          for (const r of imported.json.result?.refused ?? []) {
            expect(r.file).toEqual(expect.any(String));
            expect(r.line, r.message).toBeGreaterThanOrEqual(1);
          }
          if (imported.code === 1 && imported.json.result?.diagnostics) expectLocated(imported.json.result.diagnostics);
          const generate = await omni(root, ['generate']);
          // 2: import refused everything, so there is no spec to generate from.
          if (generate.code === 2) expect(generate.json.message).toBe('Spec file not found: config/omni-channel.yaml.');
          else expect([0, 1]).toContain(generate.code);
          if (generate.code === 1 && generate.json.result?.diagnostics) expectLocated(generate.json.result.diagnostics);
          expectWellFormed(root, before);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  }, 300_000);
});
