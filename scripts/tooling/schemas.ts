/**
 * `npm run schemas`: writes `schemas/<command-id>.json`, the JSON Schema of each command's `--json`
 * `result`, generated from the TypeScript result types (scripts/commands/results.ts) by
 * ts-json-schema-generator. `--check` writes nothing and exits 1 when a committed schema differs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path, { dirname, join } from 'node:path';
import type { Config } from 'ts-json-schema-generator';
import { writeFileAtomic } from '../metadata/write.ts';
import { RESULT_TYPES, schemaFileName } from '../commands/results.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Every command's schema text (2-space JSON, trailing newline), by file name.
 *
 * The TypeScript program holds the project's own files and TypeScript's ES libraries only: every file under
 * node_modules is read as an empty module. The result types are the project's own (no result names a library
 * type), and parsing and binding the ~470 library declaration files the engines import for their code
 * (@types/node, jsforce, @salesforce/core, zod, undici…) was two thirds of the work (701 files → 230, same
 * schemas). A result type that does name a library type (or a global of @types/node, or the DOM) fails here with
 * its name instead of becoming `{}`: `resultSchemaProgram`'s checker throws on an import it cannot resolve.
 */
export async function renderResultSchemas(): Promise<Map<string, string>> {
  // ts-json-schema-generator is CommonJS and runs TypeScript 5's compiler (its own dependency).
  const { createGenerator } = (await import('ts-json-schema-generator')).default;
  const path = join(ROOT, 'scripts', 'commands', 'results.ts');
  const generator = createGenerator({
    tsProgram: resultSchemaProgram(path),
    path,
    skipTypeCheck: true,
    expose: 'none',
    topRef: false,
    additionalProperties: true,
    sortProps: true,
    jsDoc: 'extended',
  });
  const out = new Map<string, string>();
  for (const [id, type] of Object.entries(RESULT_TYPES)) {
    const schema = { $schema: 'http://json-schema.org/draft-07/schema#', title: `omni ${id} --json: result`, ...generator.createSchema(type) };
    out.set(schemaFileName(id), `${JSON.stringify(schema, null, 2)}\n`);
  }
  return out;
}

/** TypeScript 5's program, as ts-json-schema-generator takes it. */
type Program = NonNullable<Config['tsProgram']>;
type CompilerOptions = ReturnType<Program['getCompilerOptions']>;
type SourceFile = ReturnType<Program['getSourceFiles']>[number];
type SourceFileReader = (fileName: string, language: unknown, ...rest: unknown[]) => SourceFile | undefined;

/** The part of TypeScript 5's compiler API used here (the project's `typescript` types are TypeScript 7's). */
interface TypeScript5 {
  parseConfigFileTextToJson(fileName: string, text: string): { config?: { compilerOptions?: unknown } };
  convertCompilerOptionsFromJson(json: unknown, basePath: string): { options: CompilerOptions };
  createCompilerHost(options: CompilerOptions): { getSourceFile: SourceFileReader };
  getDefaultLibFilePath(options: CompilerOptions): string;
  createSourceFile(fileName: string, text: string, language: unknown): SourceFile;
  createProgram(roots: string[], options: CompilerOptions, host: { getSourceFile: SourceFileReader }): Program;
}

/**
 * The program the schemas are generated from: `root` and the project files its types can reach (`typeFiles`),
 * with tsconfig.json's compiler options but only the ES libraries of its target; every other file — under
 * node_modules (but TypeScript's libraries), or a project file reached only through value imports — is served
 * as an empty module. Its type checker refuses to resolve an import to nothing (a name from a module served
 * empty): ts-json-schema-generator would write `{}` for it.
 */
export function resultSchemaProgram(root: string): Program {
  // TypeScript 5, as ts-json-schema-generator loads it (the project's own typescript is 7, without this API).
  const ts: TypeScript5 = createRequire(createRequire(import.meta.url).resolve('ts-json-schema-generator'))('typescript');
  const tsconfig = ts.parseConfigFileTextToJson(join(ROOT, 'tsconfig.json'), readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).config;
  const options: CompilerOptions = { ...ts.convertCompilerOptionsFromJson(tsconfig?.compilerOptions, ROOT).options, lib: ['lib.es2023.d.ts'], noEmit: true };
  const host = ts.createCompilerHost(options);
  const libraries = dirname(ts.getDefaultLibFilePath(options));
  const read = host.getSourceFile.bind(host);
  const own = typeFiles(root);
  const served = (fileName: string) => (fileName.includes('/node_modules/') ? fileName.startsWith(libraries) : own.has(path.resolve(fileName)));
  host.getSourceFile = (fileName: string, language: unknown, ...rest: unknown[]) =>
    served(fileName) ? read(fileName, language, ...rest) : ts.createSourceFile(fileName, 'export {};', language);
  const program = ts.createProgram([root], options, host);
  const checker = program.getTypeChecker();
  const getAliasedSymbol = checker.getAliasedSymbol.bind(checker);
  checker.getAliasedSymbol = (symbol) => {
    const aliased = getAliasedSymbol(symbol);
    if (!aliased.declarations?.length) throw new Error(`${symbol.name}: a result type names an import the schema program reads as empty — from node_modules, or a project file imported for its values only (scripts/tooling/schemas.ts); give the result a type of the project's own, imported with \`import type\``);
    return aliased;
  };
  return program;
}

/** An import or re-export: its clause (what comes between the keyword and `from`) and the module it names. */
const IMPORT = /^[ \t]*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*(['"])([^'"]+)\4/gm;

/**
 * The project files whose declarations the types of `root` can reach, found without parsing: from `root`, every
 * module a file imports for types (`import type`, a `type` specifier, `import('…')` in a type), re-exports
 * (`export … from`), and value imports whose names the file uses in a `typeof` (a type taken from a value). Only
 * these are parsed and bound: the result types are declared in a few dozen of the ~160 files the engines import
 * (parsing and binding the others was a third of the drift test's work). A type the scan misses is not lost
 * silently: its import resolves to an empty module, which the checker refuses (above).
 */
function typeFiles(root: string): Set<string> {
  const found = new Set([path.resolve(root)]);
  const queue = [...found];
  const follow = (from: string, specifier: string) => {
    if (!specifier.startsWith('.')) return;
    const file = path.resolve(path.dirname(from), specifier);
    if (found.has(file)) return;
    found.add(file);
    queue.push(file);
  };
  for (let file = queue.pop(); file; file = queue.pop()) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // not a file of ours (TypeScript reports what it cannot find)
    }
    for (const [, keyword, typeOnly, clause, , specifier] of text.matchAll(IMPORT)) {
      const names = [...clause.replace(/\btype\s+[\w$]+(\s+as\s+[\w$]+)?/g, '').matchAll(/([\w$]+)\s*(?=,|\}|$)/g)].map((m) => m[1]);
      const typeUse = names.some((name) => new RegExp(`\\btypeof\\s+${name.replace(/\$/g, '\\$')}\\b`).test(text));
      if (keyword === 'export' || typeOnly || /\btype\s/.test(clause) || typeUse) follow(file, specifier);
    }
    for (const [, specifier] of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) follow(file, specifier);
  }
  return found;
}

if (import.meta.main) {
  const check = process.argv.includes('--check');
  const drift: string[] = [];
  for (const [file, text] of await renderResultSchemas()) {
    const path = join(ROOT, 'schemas', file);
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // a new command: no schema yet
    }
    if (current === text) continue;
    drift.push(file);
    if (!check) await writeFileAtomic(path, text);
  }
  console.log(drift.length ? `${check ? 'out of date' : 'written'}: ${drift.map((f) => `schemas/${f}`).join(', ')}` : 'schemas/ is up to date');
  if (check && drift.length) process.exit(1);
}
