/**
 * User text names a flag by its real name: a former name kept as an alias (`--assignments` for
 * `--file`) still parses, but no message, fix or help bundle tells a user to type it (help may document
 * the alias: in the flag's own summary, or saying the former name still works beside the real one).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/local-org.ts';

interface Definition {
  id: string;
  flags: Record<string, { aliases?: string[] }>;
}

async function aliases(): Promise<Map<string, string>> {
  const dir = join(REPO_ROOT, 'scripts/commands');
  const out = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'results.ts')) {
    const def = (await import(join(dir, file))).default as Definition | undefined;
    for (const [name, flag] of Object.entries(def?.flags ?? {})) for (const alias of flag.aliases ?? []) out.set(alias, name);
  }
  return out;
}

describe('flags in user text', () => {
  it('no bundle of messages/ names a flag by a former name (alias): it names the flag itself', async () => {
    const known = await aliases();
    expect(known.get('assignments'), 'the --assignments alias of --file is what this test guards').toBe('file');
    const dir = join(REPO_ROOT, 'messages');
    const found: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
      const lines = readFileSync(join(dir, file), 'utf8').split('\n');
      let heading = '';
      lines.forEach((line, i) => {
        if (line.startsWith('# ')) heading = line.slice(2).trim();
        // Help may document an alias: the flag's own summary/description, or a sentence saying the former
        // name still works next to the real one.
        const documented = (name: string) => heading.startsWith(`flags.${name}.`) || (line.includes(`--${name}`) && /former name/.test(line));
        for (const [alias, name] of known) if (new RegExp(`--${alias}\\b(?!-)`).test(line) && !documented(name)) found.push(`messages/${file}:${i + 1}: --${alias} (say --${name})`);
      });
    }
    expect(found).toEqual([]);
  });

  it('omni doctor without a file tells the user to pass --file', async () => {
    const { messageText } = await import('../../scripts/lib/messages.ts');
    expect(messageText('doctor-checks', 'fix.passAssignments')).toContain('--file');
    expect(messageText('doctor-checks', 'presence-configuration.fix.noFile')).toContain('--file');
  });
});
