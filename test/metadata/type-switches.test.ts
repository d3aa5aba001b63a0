/**
 * Metadata types are data: code outside the registry asks a type's facts (`partial`, `agentAssignments`,
 * `userMembers`, `needsSetting`, …) instead of comparing its name. This counts name comparisons
 * (`=== 'Queue'`, `!== 'PermissionSet'`, `case 'Profile':`) in scripts/, the registry itself aside.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.ts';

const NAMES = [
  'PresenceUserConfig',
  'Queue',
  'ServiceChannel',
  'PresenceDeclineReason',
  'ServicePresenceStatus',
  'QueueRoutingConfig',
  'PermissionSet',
  'Profile',
  'OmniChannelSettings',
  'StaticResource',
  'Skill',
].join('|');
const COMPARISON = new RegExp(`(?:[=!]==\\s*['"](?:${NAMES})['"])|(?:['"](?:${NAMES})['"]\\s*[=!]==)|(?:case\\s+['"](?:${NAMES})['"]\\s*:)`, 'g');
/** At most this many may remain (the bound); today there are none. */
const ALLOWED = 2;

function comparisons(text: string): string[] {
  return text.split('\n').flatMap((line, i) => (line.match(COMPARISON) ?? []).map((hit) => `${i + 1}: ${hit}`));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mjs)$/.test(entry.name) ? [full] : [];
  });
}

describe('no metadata type-name switch outside the registry', () => {
  test(`scripts/ (registry files aside) compares a type name at most ${ALLOWED} times`, () => {
    const hits = sourceFiles(path.join(REPO_ROOT, 'scripts'))
      .filter((file) => !path.basename(file).startsWith('registry') || !file.includes(`${path.sep}metadata${path.sep}`))
      .flatMap((file) => comparisons(readFileSync(file, 'utf8')).map((hit) => `${path.relative(REPO_ROOT, file)}:${hit}`));
    expect(hits.length, `type-name comparisons (use a registry fact instead):\n${hits.join('\n')}`).toBeLessThanOrEqual(ALLOWED);
  });

  test('the counter finds each form of comparison', () => {
    const sample = [
      "if (type.name === 'PresenceUserConfig') x();",
      'if (mapping.type !== "PermissionSet") y();',
      "if ('Queue' === t) z();",
      "switch (type) { case 'Profile': break; case 'ServiceChannel' : break; }",
      "const a = kind === 'Skill' || target !== 'StaticResource' || t === 'OmniChannelSettings';",
      "const fine = type.partial && ofType('Queue') && name === 'QueueMember';",
    ].join('\n');
    expect(comparisons(sample)).toEqual([
      "1: === 'PresenceUserConfig'",
      '2: !== "PermissionSet"',
      "3: 'Queue' ===",
      "4: case 'Profile':",
      "4: case 'ServiceChannel' :",
      "5: === 'Skill'",
      "5: !== 'StaticResource'",
      "5: === 'OmniChannelSettings'",
    ]);
  });
});
