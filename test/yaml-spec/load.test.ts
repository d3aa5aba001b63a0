import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSpec, loadSpecText } from '../../scripts/yaml-spec/load.ts';
import { knownKeysAt, renderJsonSchema } from '../../scripts/yaml-spec/schema.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { parseDocument, type Scalar, type YAMLMap } from 'yaml';
import { TYPE_MAPPINGS } from '../../scripts/yaml-spec/mapping.ts';


const load = (text: string, apiVersion = '66.0') => loadSpecText(text, { file: 'config/omni-channel.yaml', projectApiVersion: apiVersion });
const errors = (text: string, apiVersion?: string) => load(text, apiVersion).diagnostics.filter((d) => d.severity === 'error');

describe('loadSpec', () => {
  it('loads the sample spec with no diagnostics, at the project sourceApiVersion', async () => {
    const loaded = await loadSpec(path.join(REPO_ROOT, 'config/omni-channel.yaml'));
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.apiVersion).toBe('66.0');
    expect(loaded.displayFile).toBe('config/omni-channel.yaml');
    expect(loaded.spec?.presenceConfigurations?.miaw.capacity).toBe(20);
    // locate() points at the YAML value
    const pos = loaded.locate(['presenceConfigurations', 'miaw', 'capacity']);
    const line = readFileSync(path.join(REPO_ROOT, 'config/omni-channel.yaml'), 'utf8').split('\n')[pos.line - 1];
    expect(line.slice(pos.column - 1)).toBe('20');
  });

  it('reports a missing file as SPEC-READ with a hint, without throwing', async () => {
    const loaded = await loadSpec(path.join(REPO_ROOT, 'config/does-not-exist.yaml'));
    expect(loaded.spec).toBeUndefined();
    expect(loaded.diagnostics[0]).toMatchObject({ ruleId: 'SPEC-READ', severity: 'error' });
    expect(loaded.diagnostics[0].hint).toMatch(/--spec/);
  });

  it('turns YAML syntax errors into located SPEC-YAML diagnostics', () => {
    const [d] = errors('channels:\n  Case:\n    label: [unclosed\n');
    expect(d).toMatchObject({ ruleId: 'SPEC-YAML', file: 'config/omni-channel.yaml' });
    expect(d.line).toBeGreaterThanOrEqual(3);
    expect(d.hint).toBeTruthy();
  });

  it('reports duplicate developer names', () => {
    const [d] = errors('declineReasons:\n  A:\n    label: a\n  A:\n    label: b\n');
    expect(d).toMatchObject({ ruleId: 'SPEC-YAML', line: 4, column: 3 });
  });

  it('reports names that differ only in case as the same duplicate, for every keyed section, at the later key with the first one named', () => {
    // The org identifies a component by its fullName whatever its case: `Online` and `online` are one status.
    const sample = readFileSync(path.join(REPO_ROOT, 'config/omni-channel.yaml'), 'utf8');
    const doc = parseDocument(sample);
    const sections = TYPE_MAPPINGS.filter((m) => m.keyed).map((m) => m.specKey);
    expect(sections.length).toBeGreaterThanOrEqual(7);
    const lineOf = (text: string, section: string, key: string) => {
      const lines = text.split('\n');
      const start = lines.indexOf(`${section}:`);
      return lines.findIndex((l, i) => i > start && l === `  ${key}:`) + 1;
    };
    for (const section of sections) {
      const map = doc.get(section) as YAMLMap<Scalar<string>>;
      expect(map, section).toBeTruthy();
      const first = String(map.items[0].key.value);
      const twin = first === first.toLowerCase() ? first.toUpperCase() : first.toLowerCase();
      const copy = doc.clone();
      (copy.get(section) as YAMLMap).set(twin, map.items[0].value);
      const text = copy.toString();
      const found = errors(text).filter((d) => d.message.startsWith('Duplicate key'));
      expect(found, section).toHaveLength(1);
      const exact = errors(`declineReasons:\n  A:\n    label: a\n  A:\n    label: b\n`)[0];
      expect(found[0], section).toMatchObject({ ruleId: exact.ruleId, severity: 'error', hint: exact.hint, line: lineOf(text, section, twin), column: 3 });
      expect(found[0].message, section).toBe(
        `Duplicate key "${twin}" (first as "${first}" at line ${lineOf(text, section, first)}, column 3): developer names are unique in an org whatever their case.`,
      );
    }
  });

  it('a spec that declares no component is a SPEC-EMPTY error at 1:1 with a fix: empty, comments only, apiVersion only, empty sections', () => {
    for (const text of ['', '\n', '# the Omni-Channel setup\n', 'apiVersion: "66.0"\n', 'statuses: {}\n', 'channels: {}\nqueues: {}\n']) {
      const found = errors(text);
      expect(found, JSON.stringify(text)).toHaveLength(1);
      expect(found[0], JSON.stringify(text)).toMatchObject({ ruleId: 'SPEC-EMPTY', severity: 'error', file: 'config/omni-channel.yaml', line: 1, column: 1 });
      expect(found[0].message).toBe('config/omni-channel.yaml declares no Omni-Channel component: the file is empty, or holds only comments, apiVersion or empty sections.');
      expect(found[0].hint).toContain('import --out config/omni-channel.yaml');
    }
    // One component, or only the settings, is a spec.
    expect(errors('declareReasons: {}\n').map((d) => d.ruleId)).toEqual(['SPEC-SCHEMA']);
    expect(errors('declineReasons:\n  A:\n    label: a\n')).toEqual([]);
    expect(errors('settings:\n  enableOmniChannel: true\n')).toEqual([]);
  });

  it('suggests the closest key for a typo, located at the key', () => {
    const d = errors('presenceConfigurations:\n  P:\n    label: P\n    capacty: 3\n').find((x) => x.message.includes('capacty'))!;
    expect(d).toMatchObject({ ruleId: 'SPEC-SCHEMA', line: 4, column: 5 });
    expect(d.message).toContain('"capacty"');
    expect(d.hint).toBe('Did you mean "capacity"?');
  });

  it('reports a missing required key and a wrong value at the entry / value', () => {
    const diags = errors('routingConfigs:\n  R:\n    label: R\n    routingModel: FASTEST\n    routingPriority: 0\n');
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ ruleId: 'SPEC-SCHEMA', line: 4, column: 19 });
    expect(diags[0].hint).toContain('LEAST_ACTIVE');
    const missing = errors('presenceConfigurations:\n  P:\n    label: P\n');
    expect(missing[0].message).toMatch(/capacity: required key is missing/);
    expect(missing[0].hint).toBe('Add "capacity".');
  });

  it('a wrong-typed value says what was expected and what was found, at the value (issue #12 item 11)', () => {
    const spec = (capacity: string) => `presenceConfigurations:\n  P:\n    label: P\n    capacity: ${capacity}\n`;
    const cases: Array<[string, string, string]> = [
      ['"20"', 'expected an integer from 1 to 2147483647, found the string "20".', 'Write capacity: 20 (a number, without quotes).'],
      ['2.5', 'expected an integer from 1 to 2147483647, found the number 2.5.', 'Use a whole number, e.g. capacity: 3.'],
      ['true', 'expected an integer from 1 to 2147483647, found the boolean true.', 'Write an integer from 1 to 2147483647 for "capacity".'],
      ['twenty', 'expected an integer from 1 to 2147483647, found the string "twenty".', 'Write an integer from 1 to 2147483647 for "capacity".'],
      // Infinity has no whole number near it; a number past 2^53 is shown as written, once.
      ['.inf', 'expected an integer from 1 to 2147483647, found the number .inf.', 'Write an integer from 1 to 2147483647 for "capacity".'],
      ['99999999999999999999', 'expected an integer from 1 to 2147483647, found the number 99999999999999999999.', 'Write an integer from 1 to 2147483647 for "capacity".'],
    ];
    for (const [value, message, hint] of cases) {
      const diags = errors(spec(value));
      expect(diags.map((d) => [d.ruleId, d.line, d.column, d.message, d.hint]), value).toEqual([['SPEC-SCHEMA', 4, 15, `presenceConfigurations.P.capacity: ${message}`, hint]]);
    }
    // A whole number below the range is no type error: the XML check's rule and words for <capacity>0</capacity> (§10 rule 5).
    expect(errors(spec('0')).map((d) => [d.ruleId, d.line, d.column, d.message, d.hint])).toEqual([
      ['PUC-CAPACITY', 4, 15, 'capacity is 0; it must be a whole number of at least 1.', 'Set capacity to the number of work units an agent can hold at once (1 or more).'],
    ]);
    const [bool] = errors('settings:\n  enableOmniChannel: "yes"\n');
    expect(bool.message).toBe('settings.enableOmniChannel: expected true or false, found the string "yes".');
    const [list] = errors('statuses:\n  Online:\n    label: Online\n    channels: Cases\n');
    expect(list.message).toBe('statuses.Online.channels: expected a list, found the string "Cases".');
  });

  it('spec messages are worded by the bundle, not zod, name what was written, and give a fix that works (issue: spec message polish)', () => {
    const cases: Array<[string, string, string]> = [
      ['presenceConfigurations:\n  P:\n    label: P\n    capacity: 1\n    afterConversationWork: {}\n', 'presenceConfigurations.P.afterConversationWork.seconds: required key is missing.', 'Add "seconds".'],
      ['apiVersion: 40.0\n', 'apiVersion: expected text, found the number 40.0.', 'Quote the value to make it text: apiVersion: "40.0".'],
      ['statuses:\n  S:\n    label: S\n    channels: []\n', 'statuses.S.channels: expected a list of at least one item, found an empty list.', 'List at least one item under "channels", or leave "channels" out if it is optional.'],
      ['routingConfigs:\n  R:\n    label: R\n    routingModel: Fast\n    routingPriority: 1\n', 'routingConfigs.R.routingModel: expected one of LEAST_ACTIVE, MOST_AVAILABLE, EXTERNAL_ROUTING, found the string "Fast".', 'Use one of: LEAST_ACTIVE, MOST_AVAILABLE, EXTERNAL_ROUTING.'],
      ['queues:\n  Q:\n    label: Q\n    sobjects: [[Case]]\n', 'queues.Q.sobjects.0: expected text, found a list.', 'Write text for each item of "sobjects".'],
      ['queues:\n  Q:\n    label: Q\n    sobjects: [12]\n', 'queues.Q.sobjects.0: expected text, found the number 12.', 'Write the item of "sobjects" in quotes to make it text: "12".'],
    ];
    for (const [text, message, hint] of cases) {
      const diags = errors(text).filter((d) => d.ruleId === 'SPEC-SCHEMA');
      expect(diags.map((d) => [d.message, d.hint]), text).toEqual([[message, hint]]);
    }
    // A label too long is the XML check's NAME-LABEL, in its words (§10 rule 2: at most 80 characters).
    expect(errors(`statuses:\n  S:\n    label: ${'x'.repeat(90)}\n`).map((d) => [d.ruleId, d.message, d.hint])).toEqual([
      ['NAME-LABEL', 'label is 90 characters long; the maximum is 80.', 'Shorten the label to 80 characters or fewer.'],
    ]);
  });

  it('every key of every entry, given a wrong value of each kind: no zod wording, no index named as a key, one error per place (property)', () => {
    const sections = ['channels', 'statuses', 'declineReasons', 'presenceConfigurations', 'routingConfigs', 'queues', 'permissionSets'];
    const bad = fc.constantFrom('""', `${'x'.repeat(300)}`, '[]', '[[a]]', '[1]', '[a, [b]]', '{}', '{ z: 1 }', '99999999999999999999', '.inf', '-1', '2.5', '40.0', 'true', 'Not_A_Choice', '~');
    const raw = /Too (big|small)|Invalid (option|key|input)|expected (string|array|number|int|object|boolean)\b|received|Expected|>=|<=/;
    fc.assert(
      fc.property(fc.constantFrom(...sections), fc.nat(), bad, fc.constantFrom('A', 'Bad__Name', '_x'), (section, pick, value, name) => {
        const keys = knownKeysAt([section, 'A']).filter((k) => k !== 'otherElements');
        const key = keys[pick % keys.length];
        const text = `${section}:\n  ${name}:\n    ${key}: ${value}\n`;
        const diags = errors(text).filter((d) => d.ruleId === 'SPEC-SCHEMA');
        for (const d of diags) {
          expect(d.message, text).not.toMatch(raw);
          expect(d.hint ?? '', text).not.toMatch(raw);
          expect(d.hint ?? '', text).not.toMatch(/(for|of|under) "\d+"/);
        }
        const places = diags.map((d) => `${d.line}:${d.column}:${d.message}`);
        expect(new Set(places).size, text).toBe(places.length);
      }),
      { numRuns: 600 },
    );
  });

  it('YAML errors in our words: a missing space after a colon, a second document, text after a document end', () => {
    const settings = 'settings:\n  enableOmniChannel: true\n';
    const cases: Array<[string, Array<[number, number, string, string]>]> = [
      ['presenceConfigurations:\n  P:\n    label: P\n    capacity:10\n', [[4, 5, '"capacity:10" has no space after the colon, so YAML reads it as text, not as a key and a value.', 'Write capacity: 10 (a space after the colon).']]],
      ['capacity:10\nlabel: x\n', [[1, 1, '"capacity:10" has no space after the colon, so YAML reads it as text, not as a key and a value.', 'Write capacity: 10 (a space after the colon).']]],
      [`${settings}--- statuses:\n  Away:\n    label: Away\n`, [[3, 1, 'A second YAML document starts here (a line beginning with "---"); the file must hold one document.', 'Remove "---" from the start of the line, leaving statuses:.']]],
      [`${settings}---\nstatuses: {}\n`, [[3, 1, 'A second YAML document starts here (a line beginning with "---"); the file must hold one document.', 'Remove the "---" line.']]],
      [`${settings}... statuses:\n  Away:\n    label: Away\n`, [[3, 5, 'The YAML document ends here (a line beginning with "..."), and more follows; the file must hold one document.', 'Remove "..." from the start of the line, leaving statuses:.']]],
    ];
    for (const [text, want] of cases) {
      for (const eol of ['\n', '\r\n']) {
        const diags = errors(text.replace(/\n/g, eol));
        expect(diags.map((d) => [d.ruleId, d.line, d.column, d.message, d.hint]), text).toEqual(want.map((w) => ['SPEC-YAML', ...w]));
      }
    }
  });

  it('no YAML finding names the yaml package\'s API or grammar terms (property)', () => {
    const line = fc.constantFrom('settings:', '  enableOmniChannel: true', 'statuses:', '  Away:', '    label: Away', '    capacity:10', 'label:x', '--- statuses:', '... a: 1', '---', '...', '  --- b: 2', 'a: b: c', '  x');
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
        for (const d of load(`${lines.join('\n')}\n`).diagnostics) {
          expect(`${d.message} ${d.hint ?? ''}`, lines.join('\n')).not.toMatch(/parseAllDocuments|YAML\.parse|Implicit keys need|Implicit map keys/);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('null on an optional key is accepted (a retrieved xsi:nil); on a required key it is an error', () => {
    expect(errors('settings:\n  enableOmniAutoLoginPrompt: null\n  enableOmniChannel: true\n')).toEqual([]);
    const [required] = errors('presenceConfigurations:\n  P:\n    label: P\n    capacity: null\n');
    expect(required.message).toBe('presenceConfigurations.P.capacity: expected an integer from 1 to 2147483647, found null (no value).');
  });

  it('rejects bad developer names, at the name, with the rule and words of a file so named (§0.3, §10 rule 2)', () => {
    const [d] = errors('declineReasons:\n  Bad__Name:\n    label: x\n');
    expect(d).toMatchObject({ ruleId: 'NAME-DEVELOPER-NAME', line: 2, column: 3, message: 'Developer name "Bad__Name" must not contain "__".' });
    expect(d.hint).toMatch(/letters, digits and single underscores/);
  });

  it('rejects user assignments with a hint to assignment files', () => {
    const diags = errors('presenceConfigurations:\n  P:\n    label: P\n    capacity: 1\n    users: [a@b.c]\nqueues:\n  Q:\n    label: Q\n    members:\n      users: [a@b.c]\n');
    expect(diags.filter((d) => d.ruleId !== 'SPEC-SCHEMA').map((d) => d.ruleId)).toEqual(['SPEC-USER-ASSIGNMENT', 'SPEC-USER-ASSIGNMENT']);
    // the users key itself is not also reported as an unknown key
    expect(diags.some((d) => d.message.includes('Unknown key "users"'))).toBe(false);
    expect(diags[0]).toMatchObject({ line: 5, column: 5 });
    expect(diags[0].hint).toMatch(/assignment file/);
    expect(diags[1]).toMatchObject({ line: 10, column: 7 });
    // A key spelled with an escape (the text never says `users`) is one too.
    const escaped = errors('presenceConfigurations:\n  P:\n    label: P\n    capacity: 1\n    "\\x75sers": [a@b.c]\n');
    expect(escaped.filter((d) => d.ruleId === 'SPEC-USER-ASSIGNMENT').map((d) => [d.line, d.column])).toEqual([[5, 5]]);
  });

  it('reports an element newer than the API version, naming element, minimum and current version', () => {
    const spec = 'presenceConfigurations:\n  P:\n    label: P\n    capacity: 1\n    afterConversationWork:\n      seconds: 60\n';
    const [d] = errors(spec, '64.0');
    expect(d).toMatchObject({ ruleId: 'SPEC-VERSION', line: 6, column: 7 });
    expect(d.message).toContain('hasAfterConvoWorkTimer');
    expect(d.message).toContain('65.0');
    expect(d.message).toContain('64.0');
    expect(errors(spec, '65.0')).toEqual([]);
    // the spec's own apiVersion overrides sfdx-project.json
    expect(errors('apiVersion: "64.0"\n' + spec, '66.0')[0].ruleId).toBe('SPEC-VERSION');
    // nested: a queue's includeBosses needs 67.0
    const [q] = errors('queues:\n  Q:\n    label: Q\n    includeBosses: true\n', '66.0');
    expect(q.message).toMatch(/doesIncludeBosses.*67\.0.*66\.0/);
  });

  it('never throws on arbitrary text', () => {
    const yamlish = fc
      .array(
        fc.oneof(
          fc.constantFrom('channels:', '  A:', '    label: x', 'presenceConfigurations:', '  - 1', '&a [*a]', '? ', '"', "'", '{', ']', '\t', 'capacity: 1e999', '!!binary x', '%YAML 1.2', '---', '...'),
          fc.string(),
        ),
        { maxLength: 12 },
      )
      .map((lines) => lines.join('\n'));
    fc.assert(
      fc.property(fc.oneof(fc.string(), yamlish), (text) => {
        const result = load(text);
        expect(Array.isArray(result.diagnostics)).toBe(true);
        if (!result.spec) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        for (const d of result.diagnostics) expect(d.line === undefined || d.line >= 1).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('JSON Schema', () => {
  it('config/omni-channel.schema.json is exactly what the zod schema renders (no drift)', () => {
    expect(readFileSync(path.join(REPO_ROOT, 'config/omni-channel.schema.json'), 'utf8')).toBe(renderJsonSchema());
  });

  it('the sample YAML names the schema for editor completion', () => {
    expect(readFileSync(path.join(REPO_ROOT, 'config/omni-channel.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./omni-channel.schema.json');
  });
});
