/**
 * What @salesforce/sf-plugins-core imports from `@salesforce/ts-types` (`ensureString`, `isAnyJson`), served by the
 * `omni` bin (scripts/omni.mjs) for its `import … from '@salesforce/ts-types'`: each name is ts-types' own function,
 * required from the copy sf-plugins-core resolves. Why a `require`: see scripts/cli/sf-kit-subset.ts (ts-types'
 * index re-exports 20 modules, each read by cjs-module-lexer for an ES import). test/cli/sf-core-subset.test.ts
 * fails when sf-plugins-core imports a name missing here or served as another object.
 */
import { createRequire } from 'node:module';

const fromPlugins = createRequire(createRequire(import.meta.url).resolve('@salesforce/sf-plugins-core'));
const tsTypes = createRequire(import.meta.url)(fromPlugins.resolve('@salesforce/ts-types')) as Record<'ensureString' | 'isAnyJson', unknown>;

export const { ensureString, isAnyJson } = tsTypes;
