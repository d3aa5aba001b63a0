/**
 * The `yaml` package, loaded on first use. Specs are read by js-yaml (yaml-plain.ts); the `yaml` package reads
 * only what that reader declines, and loading it costs ~30 ms of CPU and ~10 MB of memory that a plain spec
 * does not need. It is CommonJS for Node (its `node` export), so a synchronous require serves the
 * synchronous readers; the instance is the one an `import 'yaml'` elsewhere gets.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

export function yamlPackage(): typeof Yaml {
  loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return loaded;
}
