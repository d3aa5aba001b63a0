/**
 * The `omni` bin's oclif configuration: the package's, with the `omni` topic as the root. Its root folder
 * is scripts/sf/commands/omni, so the same command classes have the ids `deploy`, `assign:plan`, … there
 * and `omni:deploy`, `omni:assign:plan`, … under sf. https://oclif.io/docs/config
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '@oclif/core';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The bin's oclif root: the folder of the `omni` topic's command classes (and the bin's manifest). */
export const BIN_ROOT = path.join(PACKAGE_ROOT, 'scripts', 'sf', 'commands', 'omni');

interface PackageJson {
  name: string;
  version: string;
  oclif: { topics?: Record<string, { description: string }> } & Record<string, unknown>;
}

/** package.json as the bin's oclif reads it: bin `omni`, commands `.`, the topics below `omni`. */
export function binPjson(): Config['pjson'] {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageJson;
  const topics = Object.fromEntries(
    Object.entries(pkg.oclif.topics ?? {})
      .filter(([name]) => name.startsWith('omni:'))
      .map(([name, topic]) => [name.slice('omni:'.length), topic]),
  );
  const pjson = {
    ...pkg,
    oclif: {
      bin: 'omni',
      dirname: 'omni-presence',
      commands: '.',
      topicSeparator: ' ',
      topics,
      additionalHelpFlags: ['-h'],
      additionalVersionFlags: ['-v'],
      helpClass: path.relative(BIN_ROOT, fileURLToPath(new URL('./help.ts', import.meta.url))),
      // --flags-dir, read as sf reads it (sf's own preparse hook)
      hooks: { preparse: path.relative(BIN_ROOT, fileURLToPath(new URL('./flags-dir.ts', import.meta.url))) },
    },
  };
  return pjson as unknown as Config['pjson'];
}
