/** scripts/cli/resolve-cache.mjs: where the installed packages' requires and imports resolved, kept between runs. */
interface ResolveContext {
  parentURL?: string;
  conditions?: readonly string[];
}
interface Resolved {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
/** The installed tree's stamp (Node's version, npm's hidden lockfile, node_modules' mtime), or undefined without the lockfile. */
export declare function treeStamp(root: string): string | undefined;
/** The cache file in `dir` for the checkout `root` and the kind of command (`offline` or `org`). */
export declare function cacheFile(dir: string, kind: string, root: string): string;
/** The cache kept in `file` for the tree `stamp`: `resolve` answers from it or asks `next`; `save` writes what was learnt. */
export declare function resolveCache(
  file: string,
  stamp: string | undefined,
): {
  resolve(specifier: string, context: ResolveContext, next: (specifier: string, context: ResolveContext) => Resolved): Resolved;
  save(): void;
};
