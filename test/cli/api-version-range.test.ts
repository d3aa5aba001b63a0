/**
 * An --api-version the product does not know is a usage error (exit 2, as sf refuses a flag value it cannot
 * take), named with the supported range, in every command that takes the flag — before any file or org is read.
 * The range, from the reference documents: 44.0, the first version of the Omni-Channel metadata types
 * (salesforce-omni-spec.md §0.2, "Winter '19 (first version of all five Omni metadata types)"), to 67.0, the
 * version of the WSDL the XSD was assembled from (omni-metadata.xsd's header: "API 67.0 WSDL segments").
 * The commands are those command-snapshot.json records with the flag. In process, no org (the parse refuses first).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { omniOffline } from '../helpers/omni.ts';
import { REPO_ROOT } from '../helpers/paths.ts';
import { makeProject } from '../helpers/project.ts';

const OLDEST = '44.0';
const NEWEST = '67.0';

const SNAPSHOT: Array<{ command: string; flags: string[] }> = JSON.parse(readFileSync(path.join(REPO_ROOT, 'command-snapshot.json'), 'utf8'));
const WITH_FLAG = SNAPSHOT.filter((c) => c.flags.includes('api-version')).map((c) => c.command.split(':').slice(1));
/** A required argument, so that the flag is what the parse meets. */
const ARGS: Record<string, string[]> = { explain: ['agent01@omni.local'], 'assign resume': ['20261123T101500123Z-x'], 'assign undo': ['20261123T101500123Z-x'] };

const project = makeProject({ prefix: 'omni-apiv-' });
afterAll(() => project.cleanup());

const run = (words: string[], version: string) => omniOffline(project.dir, [...words, ...(ARGS[words.join(' ')] ?? []), '--api-version', version, '--json']);

describe('--api-version outside the versions the product knows is a usage error naming the range', () => {
  it('covers the commands with the flag', () => {
    expect(WITH_FLAG.length).toBeGreaterThan(15);
    expect(WITH_FLAG.map((w) => w.join(' '))).toEqual(expect.arrayContaining(['validate', 'deploy', 'plan', 'retrieve', 'import', 'doctor', 'assign plan']));
  });

  for (const words of WITH_FLAG) {
    it(`omni ${words.join(' ')} --api-version 99.0 and 43.0: exit 2, UsageError, the range ${OLDEST}–${NEWEST}`, async () => {
      for (const version of ['99.0', '68.0', '43.0']) {
        const r = await run(words, version);
        expect(r.code, `${version}: ${r.stdout}${r.stderr}`).toBe(2);
        expect(r.json, version).toMatchObject({ name: 'UsageError', exitCode: 2, status: 2 });
        expect(r.json.message, version).toContain(version);
        expect(r.json.message, version).toContain(OLDEST);
        expect(r.json.message, version).toContain(NEWEST);
        expect(r.json.message, version).toContain('--api-version');
      }
    });
  }

  it('every command\'s --help names the range on its --api-version line', async () => {
    for (const words of WITH_FLAG) {
      const help = await omniOffline(project.dir, [...words, '--help']);
      expect(help.code, words.join(' ')).toBe(0);
      // oclif wraps a long summary: the flag's line and the ones below it, up to the next flag.
      const block = help.stdout.split('--api-version=')[1]?.split(/\n\s+(?:-\w, )?--/)[0].replace(/\s+/g, ' ') ?? '';
      expect(block, words.join(' ')).toContain(`${OLDEST}–${NEWEST}`);
    }
  });

  it('the text form says the same on stderr; the range ends are accepted (validate)', async () => {
    const text = await omniOffline(project.dir, ['validate', '--api-version', '99.0']);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain(`${OLDEST} to ${NEWEST}`);
    for (const version of [OLDEST, NEWEST]) {
      const ok = await omniOffline(project.dir, ['validate', '--api-version', version, '--json']);
      expect(ok.json?.name, `${version}: ${ok.stdout}`).toBeUndefined();
      expect(ok.code, version).not.toBe(2);
    }
  });
});
