/**
 * User text in message bundles (issue #10 item 5): every error the product raises is an entry of the error
 * catalogue (scripts/lib/error-catalogue.ts: heading → exit code) whose text is a heading of a bundle in
 * messages/; each condition has one name; code raises errors only through `catalogueError`; and the
 * bundles load through @salesforce/core's Messages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../scripts/lib/error-catalogue.ts';
import { bundle as bundleOf, catalogueError, countText, ruleText, warningCountText, warningText } from '../../scripts/lib/messages.ts';
import { WARNINGS } from '../../scripts/lib/warning-catalogue.ts';
import { commandPrefix, omniCommandLine, withCommandPrefix } from '../../scripts/lib/io.ts';
import { RULES } from '../../scripts/validate/catalogue.ts';
import { REPO_ROOT } from '../helpers/paths.ts';

const bundles = readdirSync(join(REPO_ROOT, 'messages'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => ({ bundle: f, headings: [...readFileSync(join(REPO_ROOT, 'messages', f), 'utf8').matchAll(/^# (\S+)\s*$/gm)].map((m) => m[1]) }));
const errorBundle = bundles.find((b) => b.bundle === 'errors.md')!;
/** Heading → the text under it, for one bundle of messages/ (`trim`: without surrounding blank lines). */
function bundleTexts(name: string, trim = false): Map<string, string> {
  return new Map(
    readFileSync(join(REPO_ROOT, 'messages', `${name}.md`), 'utf8')
      .split(/^# /m)
      .slice(1)
      .map((section) => {
        const body = section.slice(section.indexOf('\n') + 1);
        return [section.slice(0, section.indexOf('\n')).trim(), trim ? body.trim() : body] as const;
      }),
  );
}

/** The text under each heading of messages/errors.md. */
const errorTexts = bundleTexts('errors');
const placeholders = (key: string) => (errorTexts.get(key)?.match(/%s/g) ?? []).length;

/** The number of elements of the array literal after `field: [` at the top level of `args`; undefined when absent or spread. */
function arrayLength(args: string, field: string): number | undefined {
  const at = new RegExp(`\\b${field}: \\[`).exec(args);
  // Absent: none; given otherwise than as an array literal (a variable, shorthand): not counted here.
  if (!at) return new RegExp(`\\b${field}\\b`).test(args) ? undefined : 0;
  // A trailing comma (a literal written one element a line) ends the list; it adds no element.
  const inner = callArguments(args, at.index + at[0].length).replace(/,\s*$/, '');
  if (/(^|,)\s*\.\.\./.test(inner)) return undefined;
  let depth = 0;
  let count = inner.trim() ? 1 : 0;
  for (const c of inner) {
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) count++;
  }
  return count;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}
const product = sources(join(REPO_ROOT, 'scripts')).map((file) => ({ file: relative(REPO_ROOT, file), text: readFileSync(file, 'utf8') }));

/** The text of a call's argument list from `open` (just after its `(`) to the matching `)`. */
function callArguments(text: string, open: number): string {
  let depth = 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    if (depth === 0) return text.slice(open, i);
  }
  throw new Error('unbalanced call');
}

/**
 * The catalogue keys each raising call can produce: `catalogueError('Name', { variant: … })` and the
 * helpers that wrap one entry (`stateWriteError(…, { variant: … })` raises StateWriteFailed). A variant
 * given as a conditional contributes each literal it names; `undefined` or no variant means the bare name.
 */
function raisedKeys(): Array<{ file: string; key: string; tokens?: number; actionTokens?: number }> {
  const wrappers: Record<string, string> = { stateWriteError: 'StateWriteFailed' };
  const found: Array<{ file: string; key: string; tokens?: number; actionTokens?: number }> = [];
  for (const { file, text } of product) {
    if (file === 'scripts/lib/messages.ts') continue;
    for (const m of text.matchAll(/\b(catalogueError|stateWriteError)\(/g)) {
      const args = callArguments(text, m.index + m[0].length);
      if (/^\s*name: N\b|^\s*file: string/.test(args)) continue; // the definitions themselves
      const name = m[1] === 'catalogueError' ? /^'(\w+)'/.exec(args)?.[1] : wrappers[m[1]];
      expect(name, `${file}: ${m[1]}(${args.slice(0, 60)}…) names the error as a literal`).toBeDefined();
      // The options as an object literal, so the variant it raises can be read here.
      if (m[1] === 'catalogueError') expect(args.slice(name!.length + 2).trim(), `${file}: catalogueError('${name}', …) options`).toMatch(/^(,\s*\{[\s\S]*\}\s*,?)?$/);
      const variant = /\bvariant: ([^,}]+)/.exec(args)?.[1];
      const literals = variant ? [...variant.matchAll(/'(\w+)'/g)].map((v) => v[1]) : [];
      // Token counts of catalogueError calls with literal token arrays (not spread, not a wrapper's).
      const spread = /[{,]\s*\.\.\.[A-Za-z]/.test(args.replace(/\[[^\]]*\]/g, '[]')); // options spread in: not counted
      const counts = m[1] === 'catalogueError' && !spread ? { tokens: arrayLength(args, 'tokens'), actionTokens: arrayLength(args, 'actionTokens') } : {};
      if (!variant || /\bundefined\b/.test(variant)) found.push({ file, key: name!, ...counts });
      for (const v of literals) found.push({ file, key: `${name}.${v}`, ...counts });
      if (variant && !literals.length && !/\bundefined\b/.test(variant)) {
        // A variant passed through (stateWriteError's `what.variant`): its callers name it.
        expect(m[1] === 'catalogueError' && /^what\.variant$/.test(variant.trim()), `${file}: variant ${variant} is neither a literal nor passed through`).toBe(true);
      }
    }
  }
  return found;
}

describe('error catalogue: scripts/lib/error-catalogue.ts ⇄ messages/errors.md', () => {
  const keys = Object.keys(ERROR_CATALOGUE);
  const textHeadings = errorBundle.headings.filter((h) => !h.endsWith('.actions'));

  it('every catalogue key is a heading of messages/errors.md with its text, and every text heading is a catalogue key', () => {
    expect(new Set(textHeadings)).toEqual(new Set(keys));
    expect(textHeadings).toHaveLength(keys.length);
  });

  it('every actions list belongs to a catalogue entry', () => {
    for (const h of errorBundle.headings.filter((h) => h.endsWith('.actions'))) expect(keys, h).toContain(h.slice(0, -'.actions'.length));
  });

  it('one name, one text: no heading twice in a bundle, and an error name in no bundle but errors.md', () => {
    for (const { bundle, headings } of bundles) expect(headings.filter((h, i) => headings.indexOf(h) !== i), bundle).toEqual([]);
    const names = new Set(keys.map((k) => k.split('.')[0]));
    for (const name of names) {
      const holders = bundles.filter((b) => b.headings.some((h) => h === name || h.startsWith(`${name}.`))).map((b) => b.bundle);
      expect(holders, name).toEqual(['errors.md']);
    }
  });

  it('every entry is raised somewhere in the product, and every raised key is an entry (no dead entries)', () => {
    const raised = raisedKeys();
    expect(raised.length).toBeGreaterThanOrEqual(keys.length);
    for (const { file, key } of raised) expect(keys, `${file}: ${key}`).toContain(key);
    // stateWriteError's callers name its variants.
    const stateWrites = product.flatMap(({ text }) => [...text.matchAll(/stateWriteError\([^;]*?variant: '(\w+)'/g)].map((m) => `StateWriteFailed.${m[1]}`));
    const used = new Set([...raised.map((r) => r.key), ...stateWrites]);
    expect(keys.filter((k) => !used.has(k)), 'catalogue entries nothing raises').toEqual([]);
  });

  it('each raising call passes as many tokens as its text has %s placeholders (message and actions)', () => {
    const checked = raisedKeys().filter((r) => r.tokens !== undefined);
    expect(checked.length).toBeGreaterThan(60);
    for (const { file, key, tokens, actionTokens } of checked) {
      expect(tokens, `${file}: ${key} message tokens`).toBe(placeholders(key));
      if (actionTokens !== undefined) expect(actionTokens, `${file}: ${key} action tokens`).toBe(placeholders(`${key}.actions`));
    }
  });

  it('errors are raised only through the catalogue: no inline OmniError anywhere else in the product', () => {
    for (const { file, text } of product) {
      if (file === 'scripts/lib/messages.ts') continue;
      expect(text, file).not.toMatch(/new (OmniError|UsageError)\(|extends OmniError\b/);
    }
  });

  it('one name per condition: the retired duplicates are gone from the product', () => {
    // NoProject → NoProjectFound, OmniDisabled → OmniChannelDisabled, NoDeployFound → DeployNotFound,
    // SessionExpired → ExpiredSession, SourceNotFound → PathNotFound, AssignmentFileInvalid → InvalidAssignments,
    // ValidationFailed.planSpec → SpecInvalid.plan.
    for (const { file, text } of product) expect(text, file).not.toMatch(/'(NoProject|OmniDisabled|NoDeployFound|SessionExpired|SourceNotFound|AssignmentFileInvalid|planSpec)'/);
    for (const retired of ['SessionExpired', 'SourceNotFound', 'AssignmentFileInvalid', 'NoProject', 'OmniDisabled', 'NoDeployFound']) expect(keys.map((k) => k.split('.')[0])).not.toContain(retired);
  });
});

describe('catalogueError', () => {
  it('builds the OmniError from the bundle: name, message with tokens, actions with their tokens, the catalogue exit code', () => {
    const error = catalogueError('NoOrgFound', { tokens: ['uat'], actionTokens: ['uat', 'uat'] });
    expect(error.name).toBe('NoOrgFound');
    expect(error.message).toBe('No authorization found for "uat".');
    expect(error.actions).toEqual(['List known orgs with "sf org list".', 'Log in with "sf org login web --alias uat" (or "sf org login jwt" in CI), then pass --target-org uat.']);
    // sf exits 2 when the --target-org value is wrong, 1 when no default is set.
    expect(error.exitCode).toBe(2);
    const noDefault = catalogueError('NoDefaultEnv');
    expect(noDefault.name).toBe('NoDefaultEnv');
    expect(noDefault.message).toBe('No org specified and no default target-org is set.');
    expect(noDefault.actions).toHaveLength(4);
    expect(noDefault.exitCode).toBe(1);
    const stale = catalogueError('NoDefaultEnv', { variant: 'staleDefault', tokens: ['gone'], actionTokens: ['gone'] });
    expect(stale).toMatchObject({ name: 'NoDefaultEnv', exitCode: 1 });
    expect(stale.message).toContain('"gone"');
  });

  it('one name, one exit code: every variant of a condition exits as its name does (as sf: a name is one condition)', () => {
    const byName = new Map<string, Set<number>>();
    for (const [key, code] of Object.entries(ERROR_CATALOGUE)) {
      const name = key.split('.')[0];
      byName.set(name, (byName.get(name) ?? new Set()).add(code));
    }
    const mixed = [...byName].filter(([, codes]) => codes.size > 1).map(([name, codes]) => `${name}: ${[...codes].join(', ')}`);
    expect(mixed).toEqual([]);
  });

  it('a variant keeps the name; usage errors exit 2; an interrupted run exits 130 unless the signal says 143', () => {
    const usage = catalogueError('UsageError', { variant: 'unknownFlag', tokens: ['Nonexistent flag: --frob'], actionTokens: ['omni assign plan'] });
    expect(usage).toMatchObject({ name: 'UsageError', message: 'Nonexistent flag: --frob', exitCode: 2, actions: ['Run "omni assign plan --help" for the flags.'] });
    expect(catalogueError('Interrupted').exitCode).toBe(130);
    expect(catalogueError('Interrupted', { exitCode: 143 }).exitCode).toBe(143);
    expect(catalogueError('ExpiredSession', { variant: 'run', tokens: ['INVALID_SESSION_ID', 'Session expired', 3, 10, 7], actionTokens: ['r', 'u'] })).toMatchObject({
      name: 'ExpiredSession',
      message: 'The org rejected the session (INVALID_SESSION_ID: Session expired) and it cannot be refreshed, so the run stopped: 3 of 10 done, 7 not done (each holds its prior or its target configuration).',
      actions: ['Get a fresh access token (export SF_ACCESS_TOKEN=…) or log in again ("sf org login web"), then continue: r', 'Or restore the prior state: u'],
    });
  });

  it('a heading without an actions list gives no actions; extra actions come after the bundle’s', () => {
    expect(catalogueError('OrgDescribeFailed').actions).toEqual([]);
    // A count inside an error is a count text of the area bundle: its noun agrees with the number.
    expect(catalogueError('SpecInvalid', { tokens: [countText('deploy-output', 'count.error', 1, [1]), '  a'], actionTokens: ['omni'] }).message).toBe('The spec has 1 error:\n  a');
    expect(catalogueError('SpecInvalid', { tokens: [countText('deploy-output', 'count.error', 2, [2]), '  a\n  b'], actionTokens: ['omni'] }).message).toBe('The spec has 2 errors:\n  a\n  b');
    expect(catalogueError('OrgCheckFailed', { variant: 'doctor', tokens: ['uat', '  [api-version] …'], moreActions: ['Fix it.'] }).actions).toEqual(['Fix it.']);
  });

  it('a misspelt name or variant fails the typecheck (and throws at run time)', () => {
    // @ts-expect-error — not a catalogue name
    expect(() => catalogueError('NoSuchCondition')).toThrow();
    // @ts-expect-error — not a variant of NoOrgFound
    expect(() => catalogueError('NoOrgFound', { variant: 'noSuchVariant' })).toThrow();
    // @ts-expect-error — UsageError has no text of its own: a variant is required
    expect(() => catalogueError('UsageError')).toThrow();
  });
});

describe('command lines in the bundles name the running CLI', () => {
  it('no bundle hard-codes the omni bin in a command line: the prefix is a token (omni, or sf omni under sf)', () => {
    // `omni <command word>` anywhere: engine text takes the prefix as a %s token, help text as <%= omni %>
    // (scripts/cli/help-text.ts), which oclif's help renderer fills. "omni knows" (the product) is no command.
    const commandWords = 'access|assign|deploy|doctor|explain|generate|graph|import|org|plan|retrieve|setup|validate';
    const hardCoded = new RegExp(`(?<![\\w/.-])omni (${commandWords})\\b`, 'g');
    const found = bundles.flatMap(({ bundle }) =>
      [...bundleTexts(bundle.replace(/\.md$/, '')).entries()].flatMap(([key, text]) => [...text.matchAll(hardCoded)].map((m) => `${bundle} # ${key}: …${text.slice(Math.max(0, m.index - 20), m.index + 20)}…`)),
    );
    expect(found).toEqual([]);
  });

  it('the prefix is the caller’s (io.commandPrefix), else the running command’s, else omni', async () => {
    expect(commandPrefix()).toBe('omni');
    expect(commandPrefix({ commandPrefix: 'sf omni' })).toBe('sf omni');
    await withCommandPrefix('sf omni', async () => {
      await Promise.resolve();
      expect(commandPrefix()).toBe('sf omni');
      expect(omniCommandLine({}, 'deploy report 0Af')).toBe('sf omni deploy report 0Af');
      expect(catalogueError('DeployNotFound', { variant: 'noneRemembered', actionTokens: [commandPrefix(), commandPrefix()] }).actions).toEqual([
        'Pass the job id: "sf omni deploy report 0Af…".',
        'Or start one: "sf omni deploy --async".',
      ]);
    });
    expect(commandPrefix()).toBe('omni');
  });
});

describe('warning catalogue: scripts/lib/warning-catalogue.ts ⇄ messages/warnings.md', () => {
  const bundle = bundles.find((b) => b.bundle === 'warnings.md')!;
  const texts = bundleTexts('warnings');
  /** Each `warningText('Key', [tokens])` call: its key and, for a literal array without spread, its token count. */
  const calls = product.flatMap(({ file, text }) =>
    file === 'scripts/lib/messages.ts'
      ? []
      : [...text.matchAll(/\b(warningText|warningCountText)\(/g)].map((m) => {
          const args = callArguments(text, m.index + m[0].length);
          const key = /^'([\w.]+)'/.exec(args)?.[1];
          const afterKey = args.slice((key?.length ?? 0) + 2).trim();
          // warningCountText's second argument is the count: its tokens come after it.
          const rest = m[1] === 'warningCountText' ? afterFirstArgument(afterKey.replace(/^\s*,/, '')).trim() : afterKey;
          const array = /^,\s*\[([\s\S]*)\]$/.exec(rest)?.[1];
          let tokens: number | undefined = rest === '' ? 0 : undefined;
          if (array !== undefined && !/(^|,)\s*\.\.\./.test(array)) {
            let depth = 0;
            tokens = array.trim() ? 1 : 0;
            for (const c of array) {
              if ('([{'.includes(c)) depth++;
              else if (')]}'.includes(c)) depth--;
              else if (c === ',' && depth === 0) tokens++;
            }
          }
          return { file, key, tokens, count: m[1] === 'warningCountText' };
        }),
  );

  it('the list and the bundle hold the same keys, once each', () => {
    expect(bundle.headings).toEqual([...new Set(bundle.headings)]);
    expect(new Set(bundle.headings)).toEqual(new Set(WARNINGS));
    expect(bundle.headings).toHaveLength(WARNINGS.length);
  });

  it('every warning is printed somewhere (no dead entries), by a literal key, with as many tokens as it has %s', () => {
    for (const c of calls) expect(c.key, `${c.file}: warningText(…) names its key as a literal`).toBeDefined();
    expect(WARNINGS.filter((k) => !calls.some((c) => c.key === k))).toEqual([]);
    const counted = calls.filter((c) => c.tokens !== undefined);
    expect(counted.length).toBeGreaterThan(25);
    for (const c of counted) expect(c.tokens, `${c.file}: ${c.key}`).toBe((texts.get(c.key!)?.match(/%s/g) ?? []).length / (c.count ? 2 : 1));
    // A count text is the two forms (one, other), each a list item with the same placeholders.
    for (const c of calls.filter((k) => k.count)) {
      const lines = (texts.get(c.key!) ?? '').trim().split('\n');
      expect(lines.length === 2 && lines.every((l) => l.startsWith('- ')), `${c.key}: two forms`).toBe(true);
      expect(lines[0].match(/%s/g)?.length, `${c.key}: both forms take the same tokens`).toBe(lines[1].match(/%s/g)?.length);
    }
  });

  it('no warning text is built inline where engines and commands warn', () => {
    // A template or string literal handed straight to warn()/warnings.push() is user text outside the bundle;
    // a prefix naming the setup stage (`assign: …`) around a catalogue text is not.
    for (const { file, text } of product) {
      for (const m of text.matchAll(/\b(?:warn\??\.?\(|warnings\.push\()\s*([`'"])([^`'"]*)/g)) {
        expect(/^\$\{[\w.]+\}: \$\{|^[\w-]+: \$\{/.test(m[2]), `${file}: ${m[0].slice(0, 80)}`).toBe(true);
      }
    }
  });

  it('fills the tokens in order; a multi-line text keeps its lines', () => {
    expect(warningText('InactiveUserSkipped', ['ps.off@x.test', 'permission set Chat_Agents', 'sel.yaml:7:24'])).toBe('Skipped inactive user ps.off@x.test (permission set Chat_Agents, sel.yaml:7:24).');
    expect(warningText('AssignmentsRemoved', [countText('deploy-output', 'count.removedAssignment', 1, [1]), '  miaw: user a@x.test', '.omni/snapshots/s.json']).split('\n')).toEqual([
      'The deploy removed 1 assignment that was in the org but not in the files:',
      '  miaw: user a@x.test',
      '  The previous assignments are saved in .omni/snapshots/s.json. Add them to the files (or config/assignments) to keep them.',
    ]);
    expect(warningCountText('DeployStillRunning', 1, [1])).toBe('The deploy is still running in the org after 1 minute.');
    expect(warningCountText('DeployStillRunning', 33, [33])).toBe('The deploy is still running in the org after 33 minutes.');
    // @ts-expect-error — not a warning key
    expect(() => warningText('NoSuchWarning')).toThrow();
  });
});

describe('rule texts: validate findings ⇄ messages/rules.md', () => {
  const bundle = bundles.find((b) => b.bundle === 'rules.md')!;
  const texts = bundleTexts('rules', true);
  /** Each `ruleText('Key', [tokens])` call: its key and, for a literal array without spread, its token count. */
  const calls = product.flatMap(({ file, text }) =>
    file === 'scripts/lib/messages.ts'
      ? []
      : [...text.matchAll(/\bruleText\(/g)].map((m) => {
          const args = callArguments(text, m.index + m[0].length);
          const key = /^'([\w.-]+)'/.exec(args)?.[1];
          const rest = args.slice((key?.length ?? 0) + 2).trim();
          const array = /^,\s*\[([\s\S]*)\]$/.exec(rest)?.[1];
          let tokens: number | undefined = rest === '' ? 0 : undefined;
          if (array !== undefined && !/(^|,)\s*\.\.\./.test(array)) tokens = arrayLength(`tokens: [${array}]`, 'tokens');
          return { file, key, tokens };
        }),
  );

  it('every call names a heading of the bundle, every heading is used (no dead text), once each', () => {
    expect(bundle.headings).toEqual([...new Set(bundle.headings)]);
    for (const c of calls) expect(c.key, `${c.file}: ruleText(…) names its key as a literal`).toBeDefined();
    for (const c of calls) expect(bundle.headings, `${c.file}: ${c.key}`).toContain(c.key);
    const used = new Set(calls.map((c) => c.key));
    expect(bundle.headings.filter((h) => !used.has(h))).toEqual([]);
  });

  it('each call passes as many tokens as its text has %s placeholders', () => {
    const counted = calls.filter((c) => c.tokens !== undefined);
    expect(counted.length).toBeGreaterThan(90);
    for (const c of counted) expect(c.tokens, `${c.file}: ${c.key}`).toBe((texts.get(c.key!)?.match(/%s/g) ?? []).length);
    // The two whose tokens are passed through (one text per rule) take four.
    for (const key of ['ASSIGN-USER-TWICE', 'ASSIGN-PROFILE-TWICE']) expect(texts.get(key)?.match(/%s/g)).toHaveLength(4);
  });

  it('fills tokens exactly as core’s Messages does (the bundle holds no other % specifier), and validate findings read from it', () => {
    for (const [key, text] of texts) {
      expect(text.replace(/%s/g, ''), key).not.toMatch(/%/);
      const tokens = (text.match(/%s/g) ?? []).map((_, i) => (i % 2 ? i * 7 : `t${i}`));
      expect(ruleText(key, tokens), key).toBe(bundleOf('rules').getMessage(key, tokens));
    }
    expect(ruleText('PUC-CAPACITY', ['capacity', 0])).toBe('capacity is 0; it must be a whole number of at least 1.');
    expect(ruleText('ACW-EXTENSION.max', ['maxExtensions', '"x"', 1, 10])).toBe('maxExtensions is "x"; it must be one of "1" … "10".');
    expect(() => ruleText('NO-SUCH-RULE')).toThrow(/no text/);
  });
});

describe('rule summaries: the validate catalogue ⇄ messages/rule-summaries.md', () => {
  const texts = bundleTexts('rule-summaries', true);

  it('one heading per rule id of the catalogue, no other, once each', () => {
    const headings = bundles.find((b) => b.bundle === 'rule-summaries.md')!.headings;
    expect(headings).toEqual([...new Set(headings)]);
    expect(new Set(headings)).toEqual(new Set(RULES.map((r) => r.id)));
  });

  it('each summary is its heading with every %s filled, no token left over (core appends extra ones)', () => {
    for (const rule of RULES) {
      const pattern = new RegExp(`^${texts.get(rule.id)!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%s/g, '.+?')}$`);
      expect(rule.summary, rule.id).toMatch(pattern);
      expect(rule.summary, rule.id).not.toContain('%s');
    }
  });

  it('is read only when asked for: the catalogue module does not load the bundle', async () => {
    // Reading a rule's id, level and doc link touches no text (validate prints no summary unless listing or SARIF).
    const rule = RULES.find((r) => r.id === 'PUC-CAPACITY')!;
    expect(Object.getOwnPropertyDescriptor(rule, 'summary')?.get).toBeTypeOf('function');
  });
});

describe('no inline fix text', () => {
  it('findings and checks take their hint or fix from a bundle: no string literal after `hint:` or `fix:` in the product', () => {
    const inline = product
      .filter(({ file }) => !file.startsWith('scripts/tooling/'))
      .flatMap(({ file, text }) => [...text.matchAll(/\b(?:hint|fix): *['"`]/g)].map((m) => `${file}: ${text.slice(m.index, m.index + 60)}`));
    expect(inline).toEqual([]);
  });
});

/** The argument text after the first top-level comma of `args` (`, [a, b]` after a count argument). */
function afterFirstArgument(args: string): string {
  let depth = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) return args.slice(i);
  }
  return '';
}

describe('engine text bundles: messageText/messageList/countText calls ⇄ messages/<bundle>.md', () => {
  /** The text under each heading of a bundle (a list's items joined: its %s are filled across them). */
  const textsOf = (name: string) => bundleTexts(name, true);
  const calls = product.flatMap(({ file, text }) =>
    file === 'scripts/lib/messages.ts'
      ? []
      : [...text.matchAll(/\b(messageText|messageList|countText)\(/g)].map((m) => {
          const args = callArguments(text, m.index + m[0].length);
          const head = /^'([\w-]+)',\s*'([\w.-]+)'/.exec(args);
          // countText's third argument is the count: its tokens come after it.
          const rest = head ? (m[1] === 'countText' ? afterFirstArgument(args.slice(head[0].length).replace(/^\s*,/, '')) : args.slice(head[0].length)).trim() : '';
          const array = /^,\s*\[([\s\S]*)\]$/.exec(rest)?.[1];
          let tokens: number | undefined = rest === '' ? 0 : undefined;
          if (array !== undefined && !/(^|,)\s*\.\.\./.test(array)) tokens = arrayLength(`tokens: [${array}]`, 'tokens');
          return { file, fn: m[1], bundle: head?.[1], key: head?.[2], tokens };
        }),
  );
  const used = [...new Set(calls.map((c) => c.bundle))];

  it('every call names its bundle and heading as literals, the heading exists (a list for messageList), and every heading is used', () => {
    expect(calls.length).toBeGreaterThan(40);
    for (const c of calls) expect(c.key, `${c.file}: ${c.fn}(…) names bundle and key as literals`).toBeDefined();
    for (const name of used) {
      const texts = textsOf(name!);
      const mine = calls.filter((c) => c.bundle === name);
      for (const c of mine) {
        expect([...texts.keys()], `${c.file}: ${c.bundle}:${c.key}`).toContain(c.key);
        // A list's every line is an item (core's markdown loader makes it an array); a text has none.
        const lines = texts.get(c.key!)!.split('\n');
        expect(lines.every((l) => l.startsWith('- ')), `${c.bundle}:${c.key} is ${c.fn === 'messageText' ? 'a text' : 'a list'}`).toBe(c.fn !== 'messageText');
        // A count's two forms (one, other), each with the same placeholders.
        if (c.fn === 'countText') {
          expect(lines, `${c.bundle}:${c.key} lists two forms`).toHaveLength(2);
          expect(lines[0].match(/%s/g)?.length, `${c.bundle}:${c.key}: both forms take the same tokens`).toBe(lines[1].match(/%s/g)?.length);
        }
      }
      expect([...texts.keys()].filter((k) => !mine.some((c) => c.key === k)), `${name}: headings nothing reads`).toEqual([]);
    }
  });

  it('each call passes as many tokens as its text (or its list, across items) has %s placeholders', () => {
    const counted = calls.filter((c) => c.tokens !== undefined);
    expect(counted.length).toBe(calls.length);
    for (const c of counted) {
      const placeholders = (textsOf(c.bundle!).get(c.key!)?.match(/%s/g) ?? []).length;
      // A count's tokens fill one form.
      expect(c.tokens, `${c.file}: ${c.bundle}:${c.key}`).toBe(c.fn === 'countText' ? placeholders / 2 : placeholders);
    }
  });

  it('countText picks the form for one or for any other count, tokens filled in order', () => {
    expect(countText('doctor-checks', 'count.profile', 1, [1])).toBe('1 profile');
    expect(countText('doctor-checks', 'count.profile', 0, [0])).toBe('0 profiles');
    expect(countText('doctor-checks', 'record-settings.differ', 2, [2, 'a; b', ''])).toBe('2 records differ from the spec: a; b.');
    expect(countText('doctor-checks', 'record-settings.differ', 1, [1, 'a', ' Note.'])).toBe('1 record differs from the spec: a. Note.');
    expect(() => countText('doctor-checks', 'record-settings.none', 1)).toThrow(/two forms/);
  });
});
